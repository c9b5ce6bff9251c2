"""The registry: which unit belongs to which parent, on which dates.

Provinces, districts (before 1 July 2025) and communes come from the official list
(:mod:`sheets_tool.units`); villages have no official codes, so each commune types its
own into the registry workbook's "Thôn" sheet. ``sheets-tool registry init`` writes that
workbook pre-filled; :func:`load_registry` reads it back (with the same tolerant reader
as the reports) and :meth:`Registry.find` matches the names people type.

A village's code is made from its commune's code and its name ("18259-dong-thai"), so it
stays the same when rows are added or reordered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter

from .files import atomic_path
from .findings import ERROR, Finding
from .i18n import language, tr
from .reader import read_workbook
from .templates import Template, load_template
from .text import clean, match_key, shown
from .unit_names import LEVELS, fold_name, name_key
from .units import SOURCE, Unit, all_official_units, official_units

LEVEL_LABELS = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã", "village": "Thôn"}
LEVEL_FROM_LABEL = {v: k for k, v in LEVEL_LABELS.items()}


class RegistryError(ValueError):
    """A registry file that cannot be used at all; the message says why."""


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    candidates: tuple[Unit, ...] = ()  # when ambiguous: every unit the name could be


@dataclass
class Registry:
    units: dict[str, Unit] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    path: str = ""
    households: dict[str, int] = field(default_factory=dict)  # village code → households
    seen: dict[str, Unit] = field(default_factory=dict)  # villages known only from reports
    # a store's village codes under a commune code, with their names (see Store.unit_names)
    stored: Callable[[str], dict[str, str]] | None = None

    def __post_init__(self) -> None:
        # (level, folded) → ALL or a parent code → name key → units
        self._indexes: dict[tuple[str, bool], dict[str | None, dict[str, list[Unit]]]] = {}
        self._above_cache: dict[str, frozenset[str]] = {}
        self._children: dict[str | None, list[Unit]] = {}
        for unit in self.units.values():
            self._children.setdefault(unit.parent, []).append(unit)

    def add(self, unit: Unit) -> None:
        self._above_cache.pop(unit.code, None)
        self.units[unit.code] = unit
        self._children.setdefault(unit.parent, []).append(unit)
        for (level, folded), index in self._indexes.items():
            if level == unit.level:
                _index_unit(index, unit, folded)

    @classmethod
    def official(cls, on: dt.date) -> Registry:
        """The official provinces, districts and communes of the whole country on ``on``,
        with no villages: these are then taken from the reports (see :meth:`village`)."""
        return cls({u.code: u for u in all_official_units(on)})

    def registered_villages(self, commune_code: str) -> bool:
        """Whether the registry lists villages of its own for this commune."""
        return any(
            u.level == "village" and u.code not in self.seen
            for u in self._children.get(commune_code, [])
        )

    def village(self, commune: Unit, name: str, code: str | None = None) -> Unit:
        """The village ``name`` of a commune whose villages the registry does not list:
        taken from the reports (the same code as the registry would give it), and kept in
        :attr:`seen` for the status sheet."""
        key = name_key(name, "village")
        siblings = self._children.get(commune.code, [])
        for u in siblings:
            if u.level == "village" and name_key(u.name, "village") == key:
                return u
        if code is None:  # "Bản Na" and "Bản Nà" fold alike: never one code for both
            in_store = self.stored(commune.code) if self.stored else {}
            taken = {u.code for u in siblings} | {
                c for c, n in in_store.items() if name_key(n, "village") != key
            }
            code = village_code(commune.code, name, taken)
        unit = Unit(
            code,
            name,
            "village",
            commune.code,
            commune.valid_from,
            commune.valid_to,
        )
        self.add(unit)
        self.seen[unit.code] = unit
        return unit

    def reported_village(
        self, commune_code: str, name: str, code: str | None = None
    ) -> Unit | None:
        """The village ``name`` as a report names it, when the registry lists no villages
        of that commune (see :meth:`village`); None when it lists them (the name must
        then match one) or the commune is unknown."""
        commune = self.units.get(commune_code)
        if commune is None or not name or self.registered_villages(commune.code):
            return None
        return self.village(commune, name, code)

    def children(self, code: str | None) -> list[Unit]:
        return list(self._children.get(code, []))

    def ancestors(self, code: str) -> list[Unit]:
        """The unit and its parents, nearest first."""
        chain = []
        unit = self.units.get(code)
        while unit is not None and unit not in chain:
            chain.append(unit)
            unit = self.units.get(unit.parent) if unit.parent else None
        return chain

    def _above(self, code: str) -> frozenset[str]:
        """The codes of a unit and its parents (cached: find() asks it for every name)."""
        if code not in self._above_cache:
            self._above_cache[code] = frozenset(a.code for a in self.ancestors(code))
        return self._above_cache[code]

    def ancestor_at(self, code: str, level: str) -> Unit | None:
        return next((u for u in self.ancestors(code) if u.level == level), None)

    def descendants(self, code: str, level: str) -> list[Unit]:
        """Every unit of ``level`` under ``code`` (the unit itself if it is of that level)."""
        unit = self.units.get(code)
        if unit is None:
            return []
        if unit.level == level:
            return [unit]
        out: list[Unit] = []
        for child in sorted(self.children(code), key=lambda u: u.code):
            out.extend(self.descendants(child.code, level))
        return out

    def find(
        self, name: str, level: str, within: str | None = None, on: dt.date | None = None
    ) -> Match:
        """The unit of ``level`` called ``name`` (under ``within``, valid ``on``)."""

        def fits(u: Unit) -> bool:
            return (on is None or u.valid_on(on)) and (
                within is None or u.parent == within or within in self._above(u.code)
            )

        code = clean(name)
        by_code = self.units.get(code)
        if by_code is not None and by_code.level == level and fits(by_code):
            return Match(by_code)
        # a village's commune is its parent: within a commune, look only at its villages
        scope = self.units.get(within) if within else None
        parent = within if level == "village" and scope and scope.level == "commune" else None
        key = name_key(name, level)
        found = [u for u in self._index(level, False, parent).get(key, []) if fits(u)]
        if len(found) > 1:  # "Thị trấn Chi Lăng" beside "Xã Chi Lăng": the full name decides
            full = [u for u in found if match_key(u.name) == match_key(name)]
            found = full or found
        if len(found) == 1:
            return Match(found[0])
        if found:
            return Match(None, tuple(sorted(found, key=lambda u: u.code)))
        # nothing by the exact key: units spelled alike but for the marks, as suggestions
        close = self._index(level, True, parent).get(fold_name(name, level), [])
        return Match(None, tuple(u for u in close if fits(u)))

    def _index(self, level: str, folded: bool, parent: str | None) -> dict[str, list[Unit]]:
        """Units of a level by name key (or mark-free key), all of them or one parent's.
        Built on first use, then kept up to date by :meth:`add`."""
        index = self._indexes.get((level, folded))
        if index is None:
            index = self._indexes[(level, folded)] = {}
            for u in self.units.values():
                if u.level == level:
                    _index_unit(index, u, folded)
        return index.get(ALL if parent is None else parent, {})


ALL = "*"  # the group of every unit of a level in the name indexes (no unit has this code)


def _index_unit(index: dict[str | None, dict[str, list[Unit]]], unit: Unit, folded: bool) -> None:
    """File ``unit`` under its name key, among all units of its level and its parent's."""
    key = (fold_name if folded else name_key)(unit.name, unit.level)
    for group in (ALL, unit.parent):
        index.setdefault(group, {}).setdefault(key, []).append(unit)


def village_code(commune_code: str, name: str, taken: Iterable[str] = ()) -> str:
    """ "18259" + "Thôn Đông Thái" → "18259-dong-thai" (a suffix if that is taken)."""
    slug = "-".join(fold_name(name, "village").split()) or "thon"
    slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")
    code = f"{commune_code}-{slug}"
    taken = set(taken)
    n = 2
    while code in taken:
        code = f"{commune_code}-{slug}-{n}"
        n += 1
    return code


# ---------------------------------------------------------------------------
# writing the registry workbook

GUIDE_VI = [
    'Sổ đăng ký đơn vị: sheet "Đơn vị" là danh mục chính thức ({source}), tỉnh {province}, '
    "hiệu lực ngày {as_of}. Không sửa sheet này.",
    'Mỗi xã nhập các thôn, tổ dân phố của mình vào sheet "Thôn": mã xã (hoặc tên xã) và tên '
    "thôn, mỗi thôn một dòng. Có thể ghi số hộ để tính tỉ lệ.",
    "Thôn không có mã chính thức; sheets-tool tự đặt mã theo mã xã và tên thôn.",
    "Dùng tệp này khi tổng hợp: sheets-tool consolidate ... --registry TỆP_NÀY.xlsx",
]
GUIDE_EN = [
    'Unit registry: the "Units" sheet is the official list ({source}), province {province}, '
    "in force on {as_of}. Do not edit it.",
    'Each commune types its villages into the "Villages" sheet: commune code (or name) and '
    "village name, one village a row. Households may be added for the percentages.",
    "Villages have no official codes; sheets-tool makes one from the commune code and name.",
    "Use this file when consolidating: sheets-tool consolidate ... --registry THIS_FILE.xlsx",
]


def init_registry(
    province: str, path: str | Path, as_of: dt.date | None = None, lang: str = "vi"
) -> Path:
    """Write a registry workbook pre-filled with the official units of ``province`` on
    ``as_of`` (today by default). Raises ``LookupError`` for an unknown province."""
    day = as_of or dt.date.today()
    units = official_units(province, day)
    with atomic_path(path) as tmp:
        _write_registry(units, tmp, day, lang)
    return Path(path)


def _write_registry(units: list[Unit], path: Path, day: dt.date, lang: str) -> None:
    unit_tpl = load_template("registry_units")
    village_tpl = load_template("registry_villages")
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    unlocked = wb.add_format({"locked": False, "num_format": "@"})
    guide = wb.add_worksheet("Hướng dẫn" if lang == "vi" else "Instructions")
    guide.set_column(0, 0, 110)
    province = units[0].name
    for i, line in enumerate(GUIDE_VI if lang == "vi" else GUIDE_EN):
        guide.write_string(
            i, 0, line.format(source=SOURCE, province=province, as_of=f"{day:%d/%m/%Y}")
        )
    sheet = wb.add_worksheet(unit_tpl.sheet_title(lang))
    _header(sheet, unit_tpl, lang, bold)
    for r, unit in enumerate(units, start=1):
        sheet.write_string(r, 0, unit.code, text_fmt)
        sheet.write_string(r, 1, unit.name)
        level = LEVEL_LABELS[unit.level] if lang == "vi" else unit.level
        sheet.write_string(r, 2, level)
        sheet.write_string(r, 3, unit.parent or "", text_fmt)
        for c, day_value in ((4, unit.valid_from), (5, unit.valid_to)):
            if day_value:
                sheet.write_datetime(r, c, dt.datetime.combine(day_value, dt.time()), date_fmt)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(units), len(unit_tpl.columns) - 1)
    sheet.protect("", {"autofilter": True, "sort": True})
    villages = wb.add_worksheet(village_tpl.sheet_title(lang))
    _header(villages, village_tpl, lang, bold)
    last = len(units)
    for c in range(len(village_tpl.columns)):
        villages.set_column(c, c, village_tpl.columns[c].width, unlocked)
    villages.data_validation(
        1,
        0,
        5000,
        0,
        {
            "validate": "list",
            "source": f"='{sheet.get_name()}'!$A$2:$A${last + 1}",
            "error_type": "warning",
        },
    )
    villages.freeze_panes(1, 0)
    villages.activate()
    wb.close()


def _header(ws: Any, tpl: Template, lang: str, fmt: Any) -> None:
    for c, col in enumerate(tpl.columns):
        ws.write_string(0, c, col.label(lang), fmt)
        ws.set_column(c, c, col.width)
    ws.set_row(0, 30)


# ---------------------------------------------------------------------------
# reading it back


def load_registry(path: str | Path) -> Registry:
    """Read a registry workbook. Problems in the villages sheet become findings; a file
    that is not a registry raises :class:`RegistryError`."""
    units_book = read_workbook(path, load_template("registry_units"))
    if not units_book.readable or not units_book.records:
        lang = language()
        reason = (
            units_book.findings[0].message(lang)
            if units_book.findings
            else tr("không có đơn vị nào", "no units")
        )
        raise RegistryError(
            tr(
                "{path}: không phải sổ đơn vị ({reason})",
                "{path}: not a registry workbook ({reason})",
                path=path,
                reason=reason,
            )
        )
    registry = Registry(path=str(path))
    where: dict[str, str] = {}  # code or village key → the cell that gave it first
    rows: list[tuple[Unit, Any]] = []
    for rec in units_book.records:
        raw = rec.raw
        level_text = shown(raw.get("level", ""))
        level = LEVEL_FROM_LABEL.get(level_text, level_text.lower())
        if level not in LEVELS or not raw.get("code") or not raw.get("name"):
            registry.findings.append(
                Finding(
                    severity=ERROR,
                    code="registry.bad_unit",
                    params={"value": level_text},
                    sheet=rec.sheet,
                    row=rec.row,
                    column="level",
                    cell=rec.cells.get("level"),
                    value=level_text,
                )
            )
            continue
        unit = Unit(
            shown(raw["code"]),
            shown(raw["name"]),
            level,
            shown(raw.get("parent", "")) or None,
            _day(raw.get("valid_from")),
            _day(raw.get("valid_to")),
        )
        rows.append((unit, rec))
    for unit, rec in _official_first(rows):
        code = unit.code
        if code in registry.units:  # a code given twice: the official list decides
            official = _official_code(unit)
            free = official and all(official != u.code for u, _r in rows)
            registry.findings.append(
                Finding(
                    severity=ERROR,
                    code="registry.duplicate_code",
                    params={
                        "code": code,
                        "name": unit.name,
                        "other": registry.units[code].name,
                        "other_cell": where[code],
                        "fix": {
                            "vi": f" Dòng này được dùng với mã chính thức {official}."
                            if free
                            else " Dòng này bị bỏ qua.",
                            "en": f" This row is used with its official code {official}."
                            if free
                            else " This row is skipped.",
                        },
                    },
                    sheet=rec.sheet,
                    row=rec.row,
                    column="code",
                    cell=rec.cells.get("code"),
                    value=code,
                )
            )
            if not free:
                continue
            unit = replace(unit, code=str(official))
        where[unit.code] = f"{rec.sheet}!{rec.cells.get('code', '')}"
        registry.add(unit)
    villages_book = read_workbook(path, load_template("registry_villages"))
    for rec in villages_book.records:
        _add_village(registry, rec.raw, rec.sheet, rec.row, rec.cells, where)
    return registry


def _official_code(unit: Unit) -> str | None:
    """The code the official list gives a unit of this name and parent."""
    day = unit.valid_from or unit.valid_to or dt.date.today()
    key = name_key(unit.name, unit.level)
    for u in all_official_units(day):
        if u.level == unit.level and u.parent == unit.parent and name_key(u.name, u.level) == key:
            return u.code
    return None


def _official_first(rows: list[tuple[Unit, Any]]) -> list[tuple[Unit, Any]]:
    """The rows with, among those that share a code, the one the official list gives
    that code first (so it keeps it, whatever the order of the sheet)."""
    counts: dict[str, int] = {}
    for unit, _rec in rows:
        counts[unit.code] = counts.get(unit.code, 0) + 1

    def rank(item: tuple[Unit, Any]) -> int:
        unit = item[0]
        return 0 if counts[unit.code] == 1 or _official_code(unit) == unit.code else 1

    return sorted(rows, key=rank)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _add_village(
    registry: Registry,
    raw: dict[str, Any],
    sheet: str,
    row: int,
    cells: dict[str, str],
    where: dict[str, str],
) -> None:
    name = shown(raw.get("village", ""))
    if not name:
        return
    commune: Unit | None = None
    code = shown(raw.get("commune_code", ""))
    if code:
        commune = registry.units.get(code)
        if commune is None or commune.level != "commune":
            registry.findings.append(
                Finding(
                    severity=ERROR,
                    code="registry.unknown_unit",
                    params={"name": code, "hint": ""},
                    sheet=sheet,
                    row=row,
                    column="commune_code",
                    cell=cells.get("commune_code"),
                    value=code,
                )
            )
            return
    else:
        typed = shown(raw.get("commune", ""))
        match = registry.find(typed, "commune")
        if match.unit is None:
            registry.findings.append(
                unit_finding(typed, match, sheet, row, "commune", cells.get("commune"))
            )
            return
        commune = match.unit
    siblings = registry.children(commune.code)
    taken = {u.code for u in siblings}
    key = f"{commune.code}|{name_key(name, 'village')}"
    if key in where:
        registry.findings.append(
            Finding(
                severity=ERROR,
                code="registry.duplicate_village",
                params={"name": name, "other": where[key]},
                sheet=sheet,
                row=row,
                column="village",
                cell=cells.get("village"),
                value=name,
            )
        )
        return
    where[key] = f"{sheet}!{cells.get('village', '')}"
    village = Unit(
        village_code(commune.code, name, taken),
        name,
        "village",
        commune.code,
        commune.valid_from,
        commune.valid_to,
    )
    registry.add(village)
    households = raw.get("households")
    if isinstance(households, (int, float)) and not isinstance(households, bool):
        registry.households[village.code] = int(households)


def unit_finding(
    name: str, match: Match, sheet: str | None, row: int | None, column: str, cell: str | None
) -> Finding:
    """``registry.ambiguous_unit`` naming the candidates, or ``registry.unknown_unit``."""
    listed = ", ".join(f"{u.name} ({u.code})" for u in match.candidates)
    if match.candidates and len(match.candidates) > 1:
        return Finding(
            severity=ERROR,
            code="registry.ambiguous_unit",
            params={"name": name, "candidates": listed},
            sheet=sheet,
            row=row,
            column=column,
            cell=cell,
            value=name,
        )
    hint = {}
    if match.candidates:
        hint = {"vi": f" Có phải là '{listed}'?", "en": f" Is it '{listed}'?"}
    return Finding(
        severity=ERROR,
        code="registry.unknown_unit",
        params={"name": name, "hint": hint},
        sheet=sheet,
        row=row,
        column=column,
        cell=cell,
        value=name,
    )
