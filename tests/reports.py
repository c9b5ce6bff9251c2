"""Daily report workbooks made in tests, laid out as the communes of Chi Lăng send them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

KEYS = ("households", "shops", "payment_accounts", "new_shops", "sellers", "orders")
HEADER = [
    "STT",
    "Tên thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Mở mới trong ngày",
    "Số hộ có giao dịch thành công",
    "Số đơn hàng",
]
# the villages of the sample registry (samples/chi-lang/registry.xlsx), by commune
VILLAGES = {
    "Vạn Linh": [
        "Phố Cũ",
        "Thôn Lùng Cằm",
        "Đồng Lùm",
        "Thôn Hà Quảng",
        "Nà Phầy",
        "Thôn Làng Mới",
    ],
    "Y Tịch": ["Bản Đon", "Nà Hấy", "Khòn Pạc", "Còn Cuông"],
    "Quan Sơn": ["Đoàn Kết", "Hữu Lân", "Bản Ngõa", "Lùng Vài", "Pá Phiêng"],
}
COMMUNE_OF = {v: c for c, vs in VILLAGES.items() for v in vs}


def values(households: int, seed: int = 0) -> dict[str, int]:
    """Numbers that pass every row rule."""
    shops = households * (20 + seed % 30) // 100
    return {
        "households": households,
        "shops": shops,
        "payment_accounts": shops + 3,
        "new_shops": seed % 4,
        "sellers": shops // 5,
        "orders": 2 + seed % 7,
    }


def daily_file(
    path: Path,
    commune: str,
    rows: Sequence[tuple[str, dict[str, Any]]],
    day: dt.date = dt.date(2021, 8, 5),
    header: Sequence[str] = HEADER,
    writer: str = "openpyxl",
) -> Path:
    """A commune's (or a village's) daily sheet: title rows, header at row 5, a row per
    village as (name, values by key); values may be anything a person types. xlsxwriter
    writes control characters (as _x0007_), which openpyxl refuses."""
    keys = [KEYS[HEADER.index(h) - 2] for h in header[2:]]
    lines: list[list[Any]] = [
        [f"UBND XÃ {commune.upper()}"],
        ["BÁO CÁO KẾT QUẢ PHÁT TRIỂN KINH TẾ SỐ"],
        [f"Xã {commune}, huyện Chi Lăng - Ngày {day:%d/%m/%Y}"],
        [],
        list(header),
    ]
    lines += [[n, v, *(vals.get(k) for k in keys)] for n, (v, vals) in enumerate(rows, start=1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    if writer == "xlsxwriter":
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet(f"{day:%d-%m}")
        for r, line in enumerate(lines):
            sheet.write_row(r, 0, line)
        book.close()
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{day:%d-%m}"
    for line in lines:
        ws.append(line)
    wb.save(path)
    return path
