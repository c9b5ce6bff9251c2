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

from .i18n import tr
from .unit_names import LEVELS, fold_name, name_key

REFORM_DATE = dt.date(2025, 7, 1)  # two-tier local government; district level ended
SOURCE = "vietnamadminunits 1.0.4"


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


def _database() -> Path:
    try:
        path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    except ModuleNotFoundError:
        raise UnitsUnavailable(
            tr("chưa cài gói vietnamadminunits", "the package vietnamadminunits is not installed")
        ) from None
    if not path.is_file():
        raise UnitsUnavailable(tr("thiếu tệp {path}", "{path} is missing", path=path))
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
        raise UnitsUnavailable(
            tr("không đọc được {db}: {exc}", "cannot read {db}: {exc}", db=_database(), exc=exc)
        ) from None
    finally:
        con.close()


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
        folded = fold_name(province, "province")
        fits = {r[0] for r in _rows(after) if fold_name(r[0], "province") == folded}
        if len(fits) == 1:
            rows = [r for r in _rows(after) if r[0] in fits]
    if not rows:
        names = ", ".join(name_key_display(n) for n in province_names(as_of))
        raise LookupError(
            tr(
                "ngày {day} không có tỉnh '{province}' (các tỉnh: {names})",
                "unknown province '{province}' on {day} (one of: {names})",
                province=province,
                day=f"{as_of:%d/%m/%Y}",
                names=names,
            )
        )
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
