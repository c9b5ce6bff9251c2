"""Parsing the values people type: whole numbers, money, dates and phone numbers.

Every parser takes a cell value as the reader gives it (``str``, ``float``, ``int``,
``bool``, ``date``/``datetime`` or ``None``) and returns a :class:`Parsed`: the value,
or the stable code of why it could not be read. Nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .text import clean, fold_key


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    error: str | None = None  # a finding code, e.g. "field.not_integer"

    @property
    def ok(self) -> bool:
        return self.error is None


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+[.,]\d+$")
_MIXED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$|^[+-]?\d{1,3}(?:,\d{3})+\.\d+$")
_UNITS = re.compile(
    r"\s*(?:đồng|vnđ|vnd|đ|hộ|người|cái|đơn|kg|tài khoản|tk|cửa hàng)\.?$", re.IGNORECASE
)


def _number_text(text: str) -> tuple[float | int | None, str | None]:
    """Read "1.234.567", "1,234", "12,5", "12.5" as Vietnamese typists mean them."""
    s = _UNITS.sub("", text).replace("\u00a0", " ").strip()
    if not s:
        return None, "field.not_number"
    if _PLAIN_INT.match(s):
        return int(s), None
    if _THOUSANDS.match(s):
        # A lone "1.234" in a count column is thousands (FIELD-NOTES): dots, commas or
        # spaces between groups of exactly three digits are separators.
        return int(re.sub(r"[.,\s]", "", s)), None
    if _MIXED.match(s):
        dec = s[-(len(s) - max(s.rfind(","), s.rfind("."))) :]
        whole = s[: -len(dec)]
        return float(re.sub(r"[.,]", "", whole) + "." + dec[1:]), None
    if _DECIMAL.match(s):
        return float(s.replace(",", ".")), None
    return None, "field.not_number"


def parse_number(value: Any) -> Parsed:
    """Any number, as typed or stored; ``None`` for an empty cell."""
    if value is None or value == "":
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(None, "field.not_number")
    if isinstance(value, int):
        return Parsed(value)
    if isinstance(value, float):
        return Parsed(int(value) if value.is_integer() else value)
    if isinstance(value, dt.date):
        return Parsed(None, "field.not_number")
    text = clean(value)
    if not text:
        return Parsed(None)
    number, error = _number_text(text)
    return Parsed(number, error)


def parse_whole(value: Any) -> Parsed:
    """A whole number ≥ 0 (counts of households, shops, people...)."""
    p = parse_number(value)
    if not p.ok or p.value is None:
        return p
    if isinstance(p.value, float):
        return Parsed(p.value, "field.not_integer")
    if p.value < 0:
        return Parsed(p.value, "field.negative")
    return p


def parse_money(value: Any) -> Parsed:
    """An amount in VND ≥ 0; "1.250.000 đ" → 1250000. Fractions of a đồng are kept."""
    p = parse_number(value)
    if p.ok and p.value is not None and p.value < 0:
        return Parsed(p.value, "field.negative")
    return p


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
# "ngày 04 tháng 10 năm 2022", matched on the fold key (no marks, no punctuation)
_WORDS_DMY = re.compile(r"ngay\s*(\d{1,2})\s+thang\s*(\d{1,2})\s+nam\s*(\d{4})")
_WORDS_MY = re.compile(r"thang\s*(\d{1,2})\s+(?:nam\s*)?(\d{4})")


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _date_from_text(text: str, allow_month: bool) -> dt.date | None:
    s = text.strip()
    m = _DMY.match(s)
    if m:
        return _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _YMD.match(s)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    key = fold_key(s)
    m = _WORDS_DMY.search(key)
    if m:
        return _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if allow_month:
        m = _MY.match(s) or _WORDS_MY.search(key)
        if m:
            return _make_date(int(m.group(2)), int(m.group(1)), 1)
    return None


def parse_date(value: Any, *, allow_month: bool = False) -> Parsed:
    """A real date cell, "dd/mm/yyyy" text (day first), or "ngày 04 tháng 10 năm 2022".

    With ``allow_month`` a month alone ("10/2022", "Tháng 10 năm 2022") reads as its
    first day, for monthly reports.
    """
    if value is None or value == "":
        return Parsed(None)
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Parsed(None, "field.not_date")
    text = clean(value)
    if not text:
        return Parsed(None)
    found = _date_from_text(text, allow_month)
    return Parsed(found) if found else Parsed(None, "field.not_date")


def find_date(text: str) -> dt.date | None:
    """The first date written anywhere in a title line, e.g. "Báo cáo ngày 05/8/2021"."""
    for m in re.finditer(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}", text):
        found = _date_from_text(m.group(0), False)
        if found:
            return found
    return _date_from_text(text, False) if "ng" in text.lower() else None


_TIME = re.compile(
    r"(\d{1,2})\s*(?:giờ|[:hg])\s*(?:(\d{2})(?![\d/.\-]))?\s*(?:phút|p)?", re.IGNORECASE
)


def parse_datetime(value: Any) -> Parsed:
    """When something was sent: a date-time cell, "05/08/2021 16:30", "16h30 05/08/2021",
    or a time alone ("16:30", a time cell), which the caller joins to the report's date."""
    if value is None or value == "":
        return Parsed(None)
    if isinstance(value, dt.datetime):
        return Parsed(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        if isinstance(value, dt.timedelta):
            value = (dt.datetime.min + value).time()
        return Parsed(value)
    if isinstance(value, dt.date):
        return Parsed(dt.datetime.combine(value, dt.time()))
    if not isinstance(value, str):
        return Parsed(None, "field.not_datetime")
    text = clean(value)
    m = _TIME.search(text)
    clock = None
    if m and int(m.group(1)) < 24 and int(m.group(2) or 0) < 60:
        clock = dt.time(int(m.group(1)), int(m.group(2) or 0))
        rest = (text[: m.start()] + " " + text[m.end() :]).strip(" ,-")
    else:
        rest = text
    day = find_date(rest) if rest else None
    if rest and day is None:
        return Parsed(None, "field.not_datetime")
    if day and clock:
        return Parsed(dt.datetime.combine(day, clock))
    if day:
        return Parsed(dt.datetime.combine(day, dt.time()))
    return Parsed(clock) if clock else Parsed(None, "field.not_datetime")


_PHONE_JUNK = re.compile(r"[\s.\-()/]")


def parse_phone(value: Any) -> Parsed:
    """A Vietnamese phone number as ``0xxxxxxxxx``.

    Accepts spaces, dots and dashes, a +84/84 prefix, and a number cell that lost its
    leading zero (912345678.0 → "0912345678").
    """
    if value is None or value == "":
        return Parsed(None)
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _PHONE_JUNK.sub("", clean(value))
    if not text:
        return Parsed(None)
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    elif len(text) == 9 and text[0] in "35789":
        text = "0" + text
    if re.fullmatch(r"0\d{9}", text) or re.fullmatch(r"02\d{9}", text):
        return Parsed(text)
    return Parsed(clean(value), "field.bad_phone")
