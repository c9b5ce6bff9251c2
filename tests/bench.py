"""Reader speeds and validation throughput (make bench). Prints numbers; asserts nothing.

Builds its inputs in a temporary folder: N village daily reports (30 rows × 12 columns,
as a commune sends them) and one large daily sheet, then times reading the values with
python-calamine and openpyxl, the guard, and the whole validation.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine
import xlsxwriter

from sheets_tool import guard
from sheets_tool.consolidate import consolidate
from sheets_tool.registry import load_registry
from sheets_tool.report_book import write_summary
from sheets_tool.store import Store
from sheets_tool.validate import validate_file, validate_paths

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VILLAGE_FILES = 300
BIG_ROWS = 100_000
HEADER = [
    "STT",
    "Ngày",
    "Thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Mở mới trong ngày",
    "Số hộ có giao dịch thành công",
    "Số đơn hàng",
    "Sản lượng (kg)",
    "Doanh thu (đồng)",
    "Người báo cáo",
]


def write_daily(path: Path, rows: int, seed: int) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Báo cáo")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, HEADER)
    day = dt.date(2021, 8, 2)
    for r in range(1, rows + 1):
        households = 150 + (r * 7 + seed) % 300
        shops = households // 3
        ws.write_number(r, 0, r)
        ws.write_datetime(r, 1, dt.datetime.combine(day, dt.time()), date_fmt)
        ws.write_string(r, 2, f"Thôn {seed}-{r}")
        ws.write_row(
            r, 3, [households, shops, shops + 3, r % 5, shops // 4, r % 9, 12.5 * r, 35000 * r]
        )
        ws.write_string(r, 11, "Hoàng Văn Tùng")
    wb.close()


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def read_calamine(path: Path) -> int:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    n = sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
    wb.close()
    return n


def read_openpyxl(path: Path, read_only: bool) -> int:
    wb = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    wb.close()
    return n


def main() -> None:
    villages = int(sys.argv[1]) if len(sys.argv) > 1 else VILLAGE_FILES
    big_rows = int(sys.argv[2]) if len(sys.argv) > 2 else BIG_ROWS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = [folder / f"v{i:04d}.xlsx" for i in range(villages)]
        for i, path in enumerate(small):
            write_daily(path, 30, i)
        big = folder / "big.xlsx"
        write_daily(big, big_rows, 0)
        print(
            f"inputs: {villages} village files × 30 rows × 12 columns; one sheet of "
            f"{big_rows:,} rows; median of 3 runs\n"
        )
        print(f"{'what':<44} {'village files':>14} {'big sheet':>11}")
        rows = [
            (
                "python-calamine values",
                lambda: [read_calamine(p) for p in small],
                lambda: read_calamine(big),
            ),
            (
                "openpyxl read_only values",
                lambda: [read_openpyxl(p, True) for p in small],
                lambda: read_openpyxl(big, True),
            ),
            (
                "openpyxl normal values",
                lambda: [read_openpyxl(p, False) for p in small],
                lambda: read_openpyxl(big, False),
            ),
            (
                "guard (zip and XML checks)",
                lambda: [guard.inspect(p) for p in small],
                lambda: guard.inspect(big),
            ),
            (
                "validate (guard + read + checks)",
                lambda: validate_paths(small),
                lambda: validate_file(big, "daily"),
            ),
        ]
        for name, many, one in rows:
            t_many, t_one = timed(many), timed(one)
            print(f"{name:<44} {t_many:>12.2f} s {t_one:>9.2f} s")
        print()
        registry = load_registry(SAMPLES / "chi-lang" / "registry.xlsx")
        week = sorted((SAMPLES / "chi-lang" / "daily").glob("*.xlsx"))

        def run_consolidation() -> None:
            with tempfile.TemporaryDirectory() as where:
                with Store(Path(where) / "s.db") as store:
                    summary = consolidate(
                        week,
                        level="district",
                        registry=registry,
                        store=store,
                        day=dt.date(2021, 8, 5),
                    )
                write_summary(summary, Path(where) / "huyen.xlsx")

        t = timed(run_consolidation)
        print(f"consolidate a district's week ({len(week)} files) into a summary: {t:.2f} s")
        t = timed(lambda: validate_file(big, "daily"), 1)
        print(f"validation throughput on the big sheet: {big_rows / t:,.0f} rows/s")
        print(
            f"peak Python memory, validating the big sheet: "
            f"{peak_mb(lambda: validate_file(big, 'daily')):.0f} MB (tracemalloc)"
        )


if __name__ == "__main__":
    main()
