"""A province in seconds (make bench): consolidation at scale against its floor and a
pandas script, a day against a year of history, and how fast the command starts.

Prints numbers; asserts nothing. Each measured run is a fresh process (so the peak
resident memory is that run's own), and the figures are medians of ``--repeat`` runs
taken side by side.

    python tests/bench_scale.py [--villages 10000] [--per-file 20] [--repeat 3]

The inputs are laid out as ``samples/chi-lang`` lays out a commune's daily report: a
title block, the header on row 5, a row per village, a total row and a sent-at column;
the registry lists every village. The province is Thanh Hóa on 5/8/2021 (547 communes
in 26 districts), so up to 547 commune files.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
DAY = dt.date(2021, 8, 5)
PROVINCE = "Thanh Hóa"
FIRST_NUMBER, NUMBERS = 2, 8  # columns C..J hold the eight numbers


def build_inputs(folder: Path, villages: int, per_file: int, day: dt.date = DAY) -> dict:
    """The registry (official units and every village) and one daily report per commune
    (``samples/build_samples.daily_book``, as the samples are built); returns their
    paths. The communes are the province's "Xã" whose names are not repeated in it."""
    import openpyxl
    from build_samples import daily_book, save

    from sheets_tool.registry import Registry, init_registry

    registry = Registry.official(day)
    province = next(u for u in registry.units.values() if u.name == f"Tỉnh {PROVINCE}")
    communes = [u for u in registry.descendants(province.code, "commune") if u.valid_on(day)]
    names = Counter(u.name for u in communes)
    communes = [u for u in communes if u.name.startswith("Xã ") and names[u.name] == 1]
    files = -(-villages // per_file)
    if files > len(communes):
        raise SystemExit(f"{PROVINCE} has {len(communes)} such communes; raise --per-file")
    communes = communes[:files]
    path = init_registry(PROVINCE, folder / "registry.xlsx", day)
    wb = openpyxl.load_workbook(path)
    ws = wb["Thôn"]
    lists: dict[str, list[tuple[str, int]]] = {}
    r = 2
    left = villages
    for c in communes:
        n = min(per_file, left)
        left -= n
        lists[c.code] = [
            (f"Tân Tiến {v + 1}", 1000 + (int(c.code) * 31 + v * 17) % 400) for v in range(n)
        ]
        for name, households in lists[c.code]:
            ws.cell(row=r, column=1, value=c.code)
            ws.cell(row=r, column=3, value=name)
            ws.cell(row=r, column=4, value=households)
            r += 1
    wb.save(path)
    (folder / "daily").mkdir(exist_ok=True)
    inputs = []
    for c in communes:
        out = folder / "daily" / f"{c.code}-{day:%Y-%m-%d}.xlsx"
        book = daily_book(
            (day - dt.date(2021, 8, 2)).days,
            date_column=False,
            text_numbers=False,
            commune=c.name.removeprefix("Xã "),
            villages=lists[c.code],
            sent_at="16:30",
            district=registry.units[str(c.parent)].name,
        )
        save(book, out)
        inputs.append(str(out))
    return {"registry": str(path), "inputs": inputs, "province": province.code}


# ---------------------------------------------------------------------------
# the three ways of consolidating, each run in its own process (--run WHAT SPEC)


def run_tool(spec: dict, out: Path) -> None:
    from sheets_tool.cli import cli

    store = out.with_suffix(".db")  # made ready by child(), outside the timing
    args = [
        "consolidate",
        *spec["inputs"],
        "--level",
        "province",
        "--date",
        DAY.isoformat(),
        "--registry",
        spec["registry"],
        "--store",
        str(store),
        "-o",
        str(out),
    ]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli(args, prog_name="sheets-tool")
    except SystemExit as stop:
        if stop.code:
            raise


def run_floor(spec: dict, out: Path) -> None:
    """Read every cell of every input with calamine, write an output holding the same
    information: a row per village with its numbers, a row per commune with totals."""
    import python_calamine
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out))
    villages = wb.add_worksheet("villages")
    communes = wb.add_worksheet("communes")
    vr = 0
    for cr, path in enumerate(spec["inputs"]):
        book = python_calamine.CalamineWorkbook.from_path(path)
        rows = book.get_sheet_by_index(0).to_python()
        book.close()
        commune = Path(path).stem.split("-")[0]
        totals = [0.0] * NUMBERS
        for row in rows[5:]:
            if not isinstance(row[0], float):  # the total row ends the list
                break
            numbers = row[FIRST_NUMBER : FIRST_NUMBER + NUMBERS]
            villages.write_row(vr, 0, [commune, row[1], *numbers])
            totals = [a + b for a, b in zip(totals, numbers, strict=True)]
            vr += 1
        communes.write_row(cr, 0, [commune, *totals])
    wb.close()


def run_pandas(spec: dict, out: Path) -> None:
    """What an analyst would write: read_excel (openpyxl), concat, groupby, to_excel."""
    import pandas as pd

    frames = []
    for path in spec["inputs"]:
        frame = pd.read_excel(path, header=4, engine="openpyxl")
        frame = frame[pd.to_numeric(frame["STT"], errors="coerce").notna()].copy()
        frame["commune"] = Path(path).stem.split("-")[0]
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    numbers = list(data.columns[FIRST_NUMBER : FIRST_NUMBER + NUMBERS])
    totals = data.groupby("commune")[numbers].sum()
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        data.to_excel(writer, sheet_name="villages", index=False)
        totals.to_excel(writer, sheet_name="communes")


RUNS = {"tool": run_tool, "floor": run_floor, "pandas": run_pandas}


def measure(what: str, spec_path: Path, out: Path) -> tuple[float, float, float]:
    """(wall seconds, cpu seconds, peak resident MB) of one run in a fresh process."""
    cmd = [sys.executable, __file__, "--run", what, str(spec_path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    wall, cpu, peak = (float(x) for x in done.stdout.split()[-3:])
    return wall, cpu, peak


def child(what: str, spec_path: str, out: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    store = Path(out).with_suffix(".db")
    store.unlink(missing_ok=True)
    if spec.get("store"):  # a store already holding earlier days: a copy of it
        shutil.copyfile(spec["store"], store)
    start, cpu0 = time.perf_counter(), time.process_time()
    RUNS[what](spec, Path(out))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    peak = peak_rss_mb()
    print(f"{wall:.3f} {cpu:.3f} {peak:.1f}")


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, it starts again at
    exec, so it does not carry the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def have_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def consolidation(villages: int, per_file: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        spec = build_inputs(folder, villages, per_file)
        spec_path = folder / "spec.json"
        spec_path.write_text(json.dumps(spec))
        print(
            f"{villages:,} villages in {len(spec['inputs'])} commune files "
            f"(built in {time.perf_counter() - start:.0f} s); median of {repeat} runs, "
            "each in a fresh process"
        )
        kinds = ["tool", "floor"] + (["pandas"] if have_pandas() else [])
        results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in kinds}
        for _ in range(repeat):
            for k in kinds:
                results[k].append(measure(k, spec_path, folder / f"{k}.xlsx"))
        med = {
            k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in results.items()
        }
        for k in kinds:
            wall, cpu, peak = med[k]
            print(f"  {k:<8} {wall:6.2f} s wall {cpu:6.2f} s cpu {peak:6.0f} MB peak")
        tool, floor = med["tool"][0], med["floor"][0]
        print(f"  tool / floor: {tool / floor:.2f}")
        if "pandas" in med:
            print(f"  pandas / tool: {med['pandas'][0] / tool:.2f}")
        else:
            print("  pandas / tool: (pandas is not installed)")


def fill_year(spec: dict, store_path: Path, days: int) -> int:
    """A store holding the ``days`` days before DAY: the same files' rows, each day its
    own submissions (as if each commune had sent its report every day), with the shops
    fewer by that day's new shops for each day back (so DAY agrees with the day before).
    Returns the number of stored rows."""
    import dataclasses

    from sheets_tool.ingest import prepare
    from sheets_tool.registry import load_registry
    from sheets_tool.store import Store
    from sheets_tool.validate import validate_files

    registry = load_registry(spec["registry"])
    when = dt.datetime.combine(DAY, dt.time(16, 30))
    results = validate_files(spec["inputs"], "daily", "none")
    subs = [prepare(r, registry, when) for r in results]
    with Store(store_path) as store:
        for back in range(days, 0, -1):
            day = DAY - dt.timedelta(days=back)
            at = when - dt.timedelta(days=back)
            store.deliver(
                [
                    dataclasses.replace(
                        sub,
                        content_hash=f"{sub.content_hash}-{day}",
                        rows=[earlier(r, back, day, at) for r in sub.rows],
                        findings=[],
                        report=None,
                        check_days=False,
                    )
                    for sub in subs
                ],
                at,
            )
    return sum(len(sub.rows) for sub in subs) * days


def earlier(row: Any, back: int, day: dt.date, at: dt.datetime) -> Any:
    import dataclasses

    values = dict(row.values)
    values["shops"] = max(0.0, values["shops"] - back * values["new_shops"])
    return dataclasses.replace(row, period=str(day), received_at=at, values=values)


def history(villages: int, per_file: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        spec = build_inputs(folder, villages, per_file)
        year = folder / "year.db"
        start = time.perf_counter()
        rows = fill_year(spec, year, 364)
        print(
            f"one day of {villages:,} villages ({len(spec['inputs'])} files) consolidated "
            f"into a store with nothing before it, and into one holding the 364 days before "
            f"it ({rows:,} rows, filled in {time.perf_counter() - start:.0f} s); median of "
            f"{repeat} runs"
        )
        times = {}
        for name, store in (("1 day", None), ("365 days", str(year))):
            spec_path = folder / f"spec-{name}.json"
            spec_path.write_text(json.dumps(spec | {"store": store}))
            runs = [measure("tool", spec_path, folder / "h.xlsx") for _ in range(repeat)]
            times[name] = statistics.median(r[0] for r in runs)
            print(f"  {name:<9} {times[name]:6.2f} s wall")
        print(f"  365 days / 1 day: {times['365 days'] / times['1 day']:.2f}")


def start_up(repeat: int) -> None:
    """`sheets-tool --help` and `validate` of one small sample, each a new process."""
    tool = str(Path(sys.executable).with_name("sheets-tool"))
    small = str(ROOT / "samples" / "good" / "lang-son-van-linh-daily-2021-08-02.xlsx")
    print(f"start-up (a new process each time; median of {repeat})")
    for name, args in (
        ("sheets-tool --help", ["--help"]),
        ("validate one small file", ["validate", small]),
    ):
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([tool, *args], capture_output=True, check=False)
            runs.append(time.perf_counter() - start)
        print(f"  {name:<26} {statistics.median(runs):5.2f} s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--run":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--history-villages", type=int, default=1_000)
    parser.add_argument("--only", choices=["start", "scale", "history"])
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.only in (None, "start"):
        start_up(max(args.repeat, 5))
        print()
    if args.only in (None, "scale"):
        consolidation(args.villages, args.per_file, args.repeat)
        print()
    if args.only in (None, "history"):
        history(args.history_villages, args.per_file, args.repeat)


if __name__ == "__main__":
    main()
