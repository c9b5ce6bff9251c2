"""Official administrative units, behind a small adapter.

The source is the dataset shipped in the ``vietnamadminunits`` package (MIT): the 34
provinces and 3,321 communes in force since 1 July 2025 (Decision 19/2025/QĐ-TTg codes),
and the 63 provinces, 696 districts and 10,040 communes before the reform. It is read
straight from the package's SQLite file, so none of that package's geocoding
dependencies are imported at run time.

A unit is identified by its code *and* its validity period: codes were reused across
the reform (18229 was Thị trấn Đức Thọ, now the larger Xã Đức Thọ).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .text import fold_key, match_key

REFORM_DATE = dt.date(2025, 7, 1)  # two-tier local government; district level ended
LEVELS = ("province", "district", "commune", "village")
SOURCE = "vietnamadminunits 1.0.4"

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "province": ("Tỉnh", "Thành phố"),
    "district": ("Huyện", "Quận", "Thị xã", "Thành phố"),
    "commune": ("Xã", "Phường", "Thị trấn", "Đặc khu"),
    "village": (
        "Thôn",
        "Xóm",
        "Bản",
        "Tổ dân phố",
        "TDP",
        "Khối",
        "Ấp",
        "Làng",
        "Tổ",
        "Buôn",
        "Plei",
        "Sóc",
    ),
}


class UnitsUnavailable(RuntimeError):
    """The official list cannot be read (package missing or damaged)."""


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str  # one of LEVELS
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@cache
def _type_prefixes(level: str | None, folded: bool) -> tuple[str, ...]:
    """The unit-type words of ``level`` as keys, longest first."""
    key = fold_key if folded else match_key
    levels = [level] if level else list(TYPE_WORDS)
    found = {key(w) for lv in levels for w in TYPE_WORDS[lv]}
    return tuple(sorted(found, key=lambda p: -len(p.split())))


def _strip_type(words: list[str], level: str | None, folded: bool) -> str:
    for prefix in _type_prefixes(level, folded):
        n = len(prefix.split())
        if " ".join(words[:n]) == prefix and len(words) > n:
            return " ".join(words[n:])
    return " ".join(words)


def name_key(name: str, level: str | None = None) -> str:
    """ "Tỉnh Hà Tĩnh", "Hà Tĩnh" and "HÀ TĨNH" give one key: the match key without the
    unit-type words in front ("Xã", "Thôn", "Thành phố"...) of ``level`` (any level when
    None). Marks count: "Làng" is a type word, "Lạng" (Lạng Sơn) is not."""
    return _strip_type(match_key(name).split(" "), level, folded=False)


def fold_name(name: str, level: str | None = None) -> str:
    """Like :func:`name_key` with every mark removed: for suggestions and slugs only."""
    return _strip_type(fold_key(name).split(" "), level, folded=True)


def _database() -> Path:
    try:
        path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    except ModuleNotFoundError:
        raise UnitsUnavailable("the package vietnamadminunits is not installed") from None
    if not path.is_file():
        raise UnitsUnavailable(f"{path} is missing")
    return Path(str(path))


@cache
def _rows(after_reform: bool) -> list[tuple[str, ...]]:
    con = sqlite3.connect(f"file:{_database()}?mode=ro", uri=True)
    try:
        if after_reform:
            sql = "SELECT province, provinceCode, ward, wardCode FROM admin_units"
        else:
            sql = (
                "SELECT province, provinceCode, district, districtCode, ward, wardCode "
                "FROM admin_units_legacy"
            )
        return [tuple(r) for r in con.execute(sql)]
    except sqlite3.Error as exc:
        raise UnitsUnavailable(f"cannot read {_database()}: {exc}") from None
    finally:
        con.close()


def _fold_province(name: str) -> str:
    folded = fold_key(name)
    for prefix in ("tinh ", "thanh pho "):
        folded = folded.removeprefix(prefix)
    return folded


def province_names(as_of: dt.date) -> list[str]:
    rows = _rows(as_of >= REFORM_DATE)
    return sorted({r[0] for r in rows})


def official_units(province: str, as_of: dt.date) -> list[Unit]:
    """The province, its districts (before the reform) and its communes on ``as_of``.

    Raises ``LookupError`` with the valid names when ``province`` is unknown.
    """
    after = as_of >= REFORM_DATE
    want = name_key(province, "province")
    rows = [r for r in _rows(after) if name_key(r[0], "province") == want]
    if not rows:  # typed without marks ("lang son"): accepted when only one province fits
        folded = _fold_province(province)
        fits = {r[0] for r in _rows(after) if _fold_province(r[0]) == folded}
        if len(fits) == 1:
            rows = [r for r in _rows(after) if r[0] in fits]
    if not rows:
        names = ", ".join(name_key_display(n) for n in province_names(as_of))
        raise LookupError(f"unknown province '{province}' on {as_of:%d/%m/%Y} (one of: {names})")
    return _units(rows, after)


@cache
def _all_units(after: bool) -> tuple[Unit, ...]:
    return tuple(_units(_rows(after), after))


def all_official_units(as_of: dt.date) -> list[Unit]:
    """Every province, district (before the reform) and commune of the country on
    ``as_of``."""
    return list(_all_units(as_of >= REFORM_DATE))


def _units(rows: list[tuple[str, ...]], after: bool) -> list[Unit]:
    valid_from, valid_to = (REFORM_DATE, None) if after else (None, REFORM_DATE - dt.timedelta(1))
    units: dict[str, Unit] = {}
    for r in rows:
        if any(not part for part in r):
            continue  # a few rows of the dataset lack a code
        p_name, p_code = r[0], r[1]
        units.setdefault(p_code, Unit(p_code, p_name, "province", None, valid_from, valid_to))
        if after:
            units[r[3]] = Unit(r[3], r[2], "commune", p_code, valid_from, valid_to)
        else:
            d_code = r[3]
            units.setdefault(d_code, Unit(d_code, r[2], "district", p_code, valid_from, valid_to))
            units[r[5]] = Unit(r[5], r[4], "commune", d_code, valid_from, valid_to)
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(units.values(), key=lambda u: (order[u.level], u.code))


def name_key_display(name: str) -> str:
    """ "Tỉnh Hà Tĩnh" → "Hà Tĩnh" for lists in messages."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
