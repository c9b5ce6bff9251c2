"""Validation of the four records: fields, rows, teams, files, and several files together.

``validate_paths(["xa-tung-anh.xlsx"], profile="ha-tinh-2022")`` reads every file (see
:mod:`sheets_tool.reader`), types each value, and returns a :class:`~.findings.Report`.
Checks, from small to large:

* field: type, required, choice, range (``field.*``);
* row: ``shops`` ≤ ``households``, ``sellers`` ≤ ``shops``... (``row.*``), total rows
  and footers against the rows above;
* team (rosters): the profile's size and position rules, one leader, nobody twice;
* file: steering decision list and task table name the same people, near-identical
  names, villages looked after;
* across files: a person in several teams, villages without a team.

Whether a team or file rule is an error or a warning is the profile's choice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parse
from .findings import ERROR, WARNING, FileReport, Finding, Report
from .reader import Record, Table, Workbook, group_label, read_workbook
from .templates import Column, Profile, Template, load_profile
from .text import (
    clean,
    expand_abbreviations,
    fold_key,
    match_key,
    person_key,
    shown,
    split_honorific,
    strip_bullet,
)
from .unit_names import is_commune, name_key, unit_in_text

LEADER, DEPUTY, MEMBER = "Tổ trưởng", "Tổ phó", "Tổ viên"
HEAD, VICE, COMMITTEE_MEMBER = "Trưởng ban", "Phó ban", "Ủy viên"
_NUMERIC = ("whole", "number", "money")


@dataclass
class Entry:
    """A record with typed values; ``cells`` says where each value came from."""

    sheet: str
    row: int
    values: dict[str, Any]
    cells: dict[str, str]
    team: str | None = None
    level: str = "village"  # "village" or "commune" (rosters)
    table: int = 0
    raw_dates: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # keys whose value was refused


@dataclass
class FileResult:
    """One file's report and typed entries, for checks across files."""

    report: FileReport
    workbook: Workbook
    entries: list[Entry] = field(default_factory=list)


class _Sink:
    """Collects findings for one file, with the profile's severities."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.findings: list[Finding] = []

    def add(
        self,
        severity: str,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        found: Any = None,
        **params: Any,
    ) -> None:
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                params=params,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                value=found,
            )
        )

    def rule(
        self,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        found: Any = None,
        **params: Any,
    ) -> None:
        self.add(self.profile.severity_of(code), code, sheet, row, column, cell, found, **params)


# ---------------------------------------------------------------------------
# typing values


def _choices_text(col: Column) -> str:
    return ", ".join(col.choices)


def _type_value(col: Column, value: Any) -> tuple[Any, str | None]:
    """(typed value, error code) for one cell."""
    if col.type == "text":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.strftime("%d/%m/%Y"), None
        return clean(value), None
    if col.type == "choice":
        text = strip_bullet(value)
        found = col.choice_lookup.get(match_key(text))
        if found:
            return found, None
        return text, ("field.other_choice" if col.open_choice else "field.bad_choice")
    parsed: parse.Parsed
    if col.type == "whole":
        parsed = parse.parse_whole(value)
    elif col.type == "number":
        parsed = parse.parse_number(value)
        if parsed.ok and parsed.value is not None and parsed.value < 0:
            parsed = parse.Parsed(parsed.value, "field.negative")
    elif col.type == "money":
        parsed = parse.parse_money(value)
    elif col.type == "date":
        parsed = parse.parse_date(value)
    elif col.type == "month":
        parsed = parse.parse_date(value, allow_month=True)
        if not parsed.ok:
            parsed = parse.Parsed(None, "field.not_month")
    elif col.type == "datetime":
        parsed = parse.parse_datetime(value)
    elif col.type == "phone":
        parsed = parse.parse_phone(value)
    else:  # pragma: no cover - the loader refuses other types
        raise ValueError(col.type)
    return parsed.value, parsed.error


def _role_from_note(note: Any, col: Column) -> str | None:
    """ "Ghi chú: Tổ trưởng" → "Tổ trưởng" (whole words, any case or form)."""
    key = f" {match_key(note)} "
    for typed, choice in sorted(col.choice_lookup.items(), key=lambda kv: -len(kv[0])):
        if len(typed) > 3 and f" {typed} " in key:
            return choice
    return None


def _table_defaults(table: Table, template: Template) -> dict[str, Any]:
    """Values stated once in the title rows ("Báo cáo ngày 05/8/2021", "xã Vạn Linh")."""
    defaults: dict[str, Any] = {}
    keys = template.keys
    for line in table.title:
        if "date" in keys and "date" not in table.columns and "date" not in defaults:
            found = parse.find_date(line)
            if found:
                defaults["date"] = found
        if "month" in keys and "month" not in table.columns and "month" not in defaults:
            parsed = parse.parse_date(line, allow_month=True)
            m = re.search(r"th[aá]ng\s*\d{1,2}\s*(?:/|n[aă]m)\s*\d{4}", line, re.I)
            if m:
                parsed = parse.parse_date(m.group(0), allow_month=True)
            if parsed.ok and parsed.value:
                defaults["month"] = parsed.value
        if "commune" in keys and "commune" not in table.columns and "commune" not in defaults:
            label = group_label(line)
            if label and is_commune(label):
                defaults["commune"] = label
    return defaults


def _column_hint(table: Table, col: Column) -> dict[str, str]:
    """ "Có phải là cột 'X' ở C4?" — the closest unmatched header, if one is close: by
    spelling, or by holding every word of one of the column's names."""
    best: tuple[float, str, str] | None = None
    for cell, text in table.unmatched.items():
        words = set(fold_key(text).split())
        for name in (col.label_vi, *col.aliases):
            folded = fold_key(name)
            ratio = difflib.SequenceMatcher(None, folded, fold_key(text)).ratio()
            if set(folded.split()) <= words:
                ratio = max(ratio, 0.7)
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best = (ratio, text, cell)
    if not best:
        return {}
    _ratio, text, cell = best
    return {
        "vi": f" Có phải là cột '{text}' ở {cell}?",
        "en": f" Is it the column '{text}' at {cell}?",
    }


def type_records(workbook: Workbook, sink: _Sink) -> list[Entry]:
    """Typed entries for every record, with field findings."""
    template = workbook.template
    assert template is not None
    entries: list[Entry] = []
    for t_index, table in enumerate(workbook.tables):
        defaults = _table_defaults(table, template)
        note_roles = (
            "role" in template.keys and "role" not in table.columns and "note" in table.columns
        )
        missing = [
            c
            for c in template.columns
            if c.required
            and c.key not in table.columns
            and c.key not in defaults
            and not (c.key == "role" and note_roles)
        ]
        for col in missing:
            sink.add(
                ERROR,
                "header.missing_column",
                table.sheet,
                table.header_row,
                col.key,
                None,
                None,
                label=col.label_vi,
                header_row=table.header_row,
                hint=_column_hint(table, col),
            )
        missing_keys = {c.key for c in missing}
        default_team = _default_team(table)
        for record in table.records:
            entries.append(
                _type_record(
                    record, template, table, t_index, defaults, missing_keys, default_team, sink
                )
            )
    return entries


def _default_team(table: Table) -> str:
    for line in table.title:
        label = group_label(line)
        if label:
            return label
    return table.sheet


def _type_record(
    record: Record,
    template: Template,
    table: Table,
    t_index: int,
    defaults: dict[str, Any],
    missing_keys: set[str],
    default_team: str,
    sink: _Sink,
) -> Entry:
    values: dict[str, Any] = dict(defaults)
    cells = dict(record.cells)
    raw_dates: dict[str, Any] = {}
    bad: set[str] = set()
    for col in template.columns:
        if col.key not in record.raw:
            continue
        raw = record.raw[col.key]
        if col.key == "name":
            title, name = split_honorific(raw)
            values["name"] = name
            if title and "title" not in record.raw:
                values["title"] = title
                cells["title"] = record.cells["name"]
            continue
        typed, error = _type_value(col, raw)
        if col.type in ("date", "month"):
            raw_dates[col.key] = raw
        if error:
            sev = WARNING if error == "field.other_choice" else ERROR
            sink.add(
                sev,
                error,
                record.sheet,
                record.row,
                col.key,
                record.cells[col.key],
                raw,
                value=shown(raw),
                label=col.label_vi,
                choices=_choices_text(col),
            )
            if sev == ERROR:
                bad.add(col.key)
                continue
        if typed not in ("", None):
            values[col.key] = typed
    if "position" in values:
        values["position"] = strip_bullet(values["position"])
        values["position_full"] = expand_abbreviations(values["position"])
    if "role" in template.keys and "role" not in values and "note" in record.raw:
        role = _role_from_note(record.raw["note"], template.column("role"))
        if role:
            values["role"] = role
            cells["role"] = record.cells["note"]
    for col in template.columns:
        # a bad value is reported already; a missing column once, in the header
        if col.required and col.key not in values and col.key not in missing_keys | bad:
            bad.add(col.key)
            sink.add(
                ERROR,
                "field.required",
                record.sheet,
                record.row,
                col.key,
                record.cells.get(col.key),
                None,
                label=col.label_vi,
            )
    team = values.get("village_in_charge") or record.group or default_team
    level = "commune" if is_commune(team) else "village"
    return Entry(record.sheet, record.row, values, cells, team, level, t_index, raw_dates, bad)


# ---------------------------------------------------------------------------
# rows, totals, footers, dates

_ROW_RULES = (
    ("shops", "households", "row.shops_exceed_households"),
    ("payment_accounts", "households", "row.payment_exceed_households"),
    ("sellers", "shops", "row.sellers_exceed_shops"),
    ("new_shops", "shops", "row.new_shops_exceed_shops"),
)


def check_rows(entries: Sequence[Entry], template: Template, sink: _Sink) -> None:
    keys = template.keys
    for e in entries:
        for small, big, code in _ROW_RULES:
            if small in keys and big in keys:
                a, b = e.values.get(small), e.values.get(big)
                if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > b:
                    sink.add(
                        ERROR,
                        code,
                        e.sheet,
                        e.row,
                        small,
                        e.cells.get(small),
                        a,
                        **{small: a, big: b},
                    )


def check_totals(workbook: Workbook, entries: Sequence[Entry], sink: _Sink) -> None:
    """A typed "Tổng cộng" row must equal the sum of the data rows above it."""
    template = workbook.template
    assert template is not None
    for t_index, table in enumerate(workbook.tables):
        rows = [e for e in entries if e.table == t_index]
        previous = 0
        for total in table.totals:
            part = [e for e in rows if previous < e.row < total.row]
            previous = total.row
            for col in template.columns:
                if col.type not in _NUMERIC or col.key == "stt" or col.key not in total.raw:
                    continue
                stated = parse.parse_number(total.raw[col.key])
                if not stated.ok or stated.value is None or any(col.key in e.bad for e in part):
                    continue  # a refused value above is reported already
                counted = sum(e.values.get(col.key) or 0 for e in part)
                if abs(stated.value - counted) > 1e-6:
                    sink.add(
                        WARNING,
                        "row.total_mismatch",
                        table.sheet,
                        total.row,
                        col.key,
                        total.cells[col.key],
                        stated.value,
                        label=col.label_vi,
                        value=stated.value,
                        expected=counted,
                    )


def check_footers(workbook: Workbook, entries: Sequence[Entry], sink: _Sink) -> None:
    """ "Danh sách ấn định 40 người" against the people listed above it."""
    for t_index, table in enumerate(workbook.tables):
        for footer in table.footers:
            counted = sum(1 for e in entries if e.table == t_index and e.row < footer.row)
            if counted != footer.stated:
                sink.add(
                    ERROR,
                    "footer.count_mismatch",
                    table.sheet,
                    footer.row,
                    None,
                    footer.cell,
                    footer.text,
                    text=footer.text,
                    stated=footer.stated,
                    counted=counted,
                )


def check_date_locale(entries: Sequence[Entry], template: Template, sink: _Sink) -> None:
    """Real dates next to "25/10/2022" text in one column: typed under a US locale, so
    the real dates (day ≤ 12) may have day and month swapped."""
    for col in template.columns:
        if col.type != "date":
            continue
        text_late = [
            e.raw_dates[col.key]
            for e in entries
            if isinstance(e.raw_dates.get(col.key), str)
            and (v := e.values.get(col.key))
            and v.day > 12
        ]
        if not text_late:
            continue
        for e in entries:
            raw = e.raw_dates.get(col.key)
            if isinstance(raw, (dt.date, dt.datetime)) and raw.day <= 12 and raw.month != raw.day:
                shown = raw.strftime("%d/%m/%Y")
                sink.add(
                    WARNING,
                    "field.date_maybe_swapped",
                    e.sheet,
                    e.row,
                    col.key,
                    e.cells.get(col.key),
                    shown,
                    value=shown,
                    label=col.label_vi,
                    example=clean(text_late[0]),
                )


# ---------------------------------------------------------------------------
# teams (rosters)


def _has_position(position: str, patterns: Sequence[str]) -> bool:
    key = f" {match_key(position)} "
    return any(f" {match_key(p)} " in key for p in patterns)


def _or_list(patterns: Sequence[str], lang: str) -> str:
    joiner = " hoặc " if lang == "vi" else " or "
    return joiner.join(f"'{p}'" for p in patterns)


def teams_of(entries: Sequence[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by team, keyed by the team's label as first written."""
    by_key: dict[str, list[Entry]] = {}
    labels: dict[str, str] = {}
    for e in entries:
        k = unit_key(e.team or "")
        labels.setdefault(k, e.team or "")
        by_key.setdefault(labels[k], []).append(e)
    return by_key


def unit_key(label: str) -> str:
    """ "Thôn Đông Thái", "Tổ CNS thôn Đông Thái" and "ĐÔNG THÁI" are one village."""
    return name_key(label, "village")


def check_teams(entries: Sequence[Entry], sink: _Sink) -> None:
    profile = sink.profile
    for team, members in teams_of(entries).items():
        first = members[0]
        level = first.level
        rules = profile.rules_for(level)
        size = len(members)
        lo, hi = profile.min_size, profile.max_size
        if (lo is not None and size < lo) or (hi is not None and size > hi):
            if lo is not None and hi is not None:
                rule_vi = f"đúng {lo} người" if lo == hi else f"từ {lo} đến {hi} người"
                rule_en = f"exactly {lo}" if lo == hi else f"{lo} to {hi} members"
            elif lo is not None:
                rule_vi, rule_en = f"ít nhất {lo} người", f"at least {lo} members"
            else:
                rule_vi, rule_en = f"không quá {hi} người", f"at most {hi} members"
            sink.rule(
                "team.size",
                first.sheet,
                first.row,
                "name",
                first.cells.get("name"),
                size,
                team=team,
                size=size,
                profile=profile.name,
                rule={"vi": rule_vi, "en": rule_en},
            )
        leaders = [e for e in members if e.values.get("role") == LEADER]
        deputies = [e for e in members if e.values.get("role") == DEPUTY]
        if len(leaders) != 1:
            where = leaders[1] if len(leaders) > 1 else first
            sink.rule(
                "team.leader_count",
                where.sheet,
                where.row,
                "role",
                where.cells.get("role"),
                len(leaders),
                team=team,
                count=len(leaders),
            )
        for code, people, patterns in (
            ("team.leader_position", leaders, rules.leader_positions),
            ("team.deputy_position", deputies, rules.deputy_positions),
        ):
            if not patterns:
                continue
            for e in people:
                position = e.values.get("position_full", "")
                if not _has_position(position, patterns):
                    sink.rule(
                        code,
                        e.sheet,
                        e.row,
                        "position",
                        e.cells.get("position"),
                        e.values.get("position"),
                        team=team,
                        position=e.values.get("position", ""),
                        profile=profile.name,
                        expected={"vi": _or_list(patterns, "vi"), "en": _or_list(patterns, "en")},
                    )
        if profile.deputy_required and not deputies:
            sink.rule(
                "team.deputy_missing",
                first.sheet,
                first.row,
                "role",
                first.cells.get("role"),
                None,
                team=team,
                profile=profile.name,
            )
        for group in rules.required_members:
            if not any(_has_position(e.values.get("position_full", ""), group) for e in members):
                sink.rule(
                    "team.member_missing",
                    first.sheet,
                    first.row,
                    "position",
                    first.cells.get("position"),
                    None,
                    team=team,
                    profile=profile.name,
                    expected={"vi": _or_list(group, "vi"), "en": _or_list(group, "en")},
                )
        seen: dict[str, Entry] = {}
        for e in members:
            key = person_key(e.values.get("name", ""))
            if not key:
                continue
            if key in seen:
                sink.rule(
                    "team.duplicate_person",
                    e.sheet,
                    e.row,
                    "name",
                    e.cells.get("name"),
                    e.values.get("name"),
                    name=e.values.get("name"),
                    team=team,
                    other=seen[key].cells.get("name"),
                )
            else:
                seen[key] = e


def check_near_identical(entries: Sequence[Entry], sink: _Sink) -> None:
    """ "Hường" and "Hương" in one list: flag names that differ only slightly."""
    people: dict[str, Entry] = {}
    for e in entries:
        key = person_key(e.values.get("name", ""))
        if key and key not in people:
            people[key] = e
    items = list(people.items())
    for i, (ka, a) in enumerate(items):
        for kb, b in items[i + 1 :]:
            if _near(ka, kb):
                sink.rule(
                    "names.near_identical",
                    b.sheet,
                    b.row,
                    "name",
                    b.cells.get("name"),
                    b.values.get("name"),
                    name=b.values.get("name"),
                    other=a.values.get("name"),
                    other_cell=f"{a.sheet}!{a.cells.get('name')}",
                )


def _near(a: str, b: str) -> bool:
    """Different people's names rarely differ by one mark or one letter."""
    if a == b:
        return False
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    if fold_key(a) == fold_key(b):
        return True  # only the marks differ: Hường / Hương
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.93


# ---------------------------------------------------------------------------
# steering committee


def _label(entry: Entry) -> str:
    return f"{entry.sheet}!{entry.cells.get('name')}"


def check_steering(workbook: Workbook, entries: Sequence[Entry], sink: _Sink) -> None:
    decision_tables = {i for i, t in enumerate(workbook.tables) if "committee_role" in t.columns}
    task_tables = {
        i
        for i, t in enumerate(workbook.tables)
        if i not in decision_tables and ("duties" in t.columns or "village_in_charge" in t.columns)
    }
    listed = [e for e in entries if e.table in decision_tables] or list(entries)
    heads = [e for e in listed if e.values.get("committee_role") == HEAD]
    if decision_tables and len(heads) != 1:
        where = heads[1] if len(heads) > 1 else listed[0]
        sink.rule(
            "steering.head_count",
            where.sheet,
            where.row,
            "committee_role",
            where.cells.get("committee_role"),
            len(heads),
            count=len(heads),
        )
    for head in heads[:1]:
        position = head.values.get("position_full", "")
        if not (
            _has_position(position, ["Chủ tịch Ủy ban nhân dân", "Chủ tịch UBND"])
            and not _has_position(position, ["Phó Chủ tịch"])
        ):
            sink.rule(
                "steering.head_not_chairman",
                head.sheet,
                head.row,
                "position",
                head.cells.get("position"),
                head.values.get("position"),
                position=head.values.get("position", ""),
            )
    if decision_tables and not any(e.values.get("committee_role") == VICE for e in listed):
        first = listed[0]
        sink.rule(
            "steering.no_deputy",
            first.sheet,
            first.row,
            "committee_role",
            first.cells.get("committee_role"),
        )
    if decision_tables and task_tables:
        tasks = [e for e in entries if e.table in task_tables]
        _compare_tables(listed, tasks, sink)
    for table in sorted(decision_tables | task_tables):
        check_near_identical([e for e in entries if e.table == table], sink)


def _compare_tables(listed: list[Entry], tasks: list[Entry], sink: _Sink) -> None:
    names = {"vi": "danh sách quyết định", "en": "the decision list"}
    task_names = {"vi": "bảng phân công nhiệm vụ", "en": "the task table"}
    sides = ((listed, tasks, names, task_names), (tasks, listed, task_names, names))
    for here, there, present, absent in sides:
        there_keys = {person_key(e.values.get("name", "")): e for e in there}
        for e in here:
            key = person_key(e.values.get("name", ""))
            if not key or key in there_keys:
                continue
            close = [o for k, o in there_keys.items() if _near(key, k)]
            hint = {}
            if close:
                o = close[0]
                hint = {
                    "vi": f" Có phải là '{o.values.get('name')}' ở {_label(o)}?",
                    "en": f" Is it '{o.values.get('name')}' at {_label(o)}?",
                }
            sink.rule(
                "steering.tables_differ",
                e.sheet,
                e.row,
                "name",
                e.cells.get("name"),
                e.values.get("name"),
                name=e.values.get("name"),
                present=present,
                absent=absent,
                hint=hint,
            )


_SPLIT_UNITS = re.compile(r"\s*(?:[,;\n/+]|\bvà\b)\s*", re.IGNORECASE)


def villages_in_charge(entries: Sequence[Entry]) -> dict[str, Entry]:
    """unit key → the first entry that looks after it ("Thôn A, thôn B và thôn C")."""
    out: dict[str, Entry] = {}
    for e in entries:
        text = e.values.get("village_in_charge", "")
        for part in _SPLIT_UNITS.split(text):
            if part.strip():
                out.setdefault(unit_key(part), e)
    return out


# ---------------------------------------------------------------------------
# files and runs


def validate_file(
    path: str | Path, template: str | Template | None = None, profile: Profile | str = "none"
) -> FileResult:
    """Read and check one file. Never raises for a bad file."""
    return check_workbook(read_workbook(path, template), profile)


def check_workbook(workbook: Workbook, profile: Profile | str = "none") -> FileResult:
    """The checks of one workbook already read (from a file or a Google Sheet)."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    path = workbook.path
    sink = _Sink(prof)
    sink.findings.extend(workbook.findings)
    report = FileReport(str(path), workbook.template.name if workbook.template else None)
    result = FileResult(report, workbook)
    if not workbook.readable or workbook.template is None:
        report.readable = False
        report.findings = sink.findings
        return result
    tpl = workbook.template
    entries = type_records(workbook, sink)
    if not entries and not any(f.code == "header.missing_column" for f in sink.findings):
        table = workbook.tables[0]
        sink.add(WARNING, "file.no_records", table.sheet, table.header_row)
    check_rows(entries, tpl, sink)
    check_totals(workbook, entries, sink)
    check_footers(workbook, entries, sink)
    check_date_locale(entries, tpl, sink)
    if tpl.name == "roster":
        check_teams(entries, sink)
        for members in teams_of(entries).values():
            check_near_identical(members, sink)
    elif tpl.name == "steering":
        check_steering(workbook, entries, sink)
    report.records = len(entries)
    report.findings = sink.findings
    result.entries = entries
    return result


def commune_of(workbook: Workbook) -> str | None:
    """The commune a file's title rows name, as written ("UBND XÃ TÙNG ẢNH - HUYỆN ĐỨC
    THỌ" → "XÃ TÙNG ẢNH")."""
    for table in workbook.tables[:1]:
        for line in table.title:
            found = unit_in_text(line, ("commune",))
            if found:
                return found
    return None


def check_across(results: Sequence[FileResult], profile: Profile) -> None:
    """Checks that need several files at once, among the files of one commune (as their
    title rows name it; files that name none are taken together)."""
    groups: dict[str | None, list[FileResult]] = defaultdict(list)
    for res in results:
        if res.report.readable:
            commune = commune_of(res.workbook)
            groups[name_key(commune, "commune") if commune else None].append(res)
    for group in groups.values():
        _check_commune(group, profile)


def _check_commune(results: Sequence[FileResult], profile: Profile) -> None:
    rosters = [r for r in results if r.report.template == "roster"]
    steering = [r for r in results if r.report.template == "steering"]
    # a person in several teams
    seen: dict[str, list[tuple[FileResult, Entry]]] = defaultdict(list)
    for res in rosters:
        for e in res.entries:
            key = person_key(e.values.get("name", ""))
            if key:
                seen[key + "|" + e.values.get("phone", "")].append((res, e))
    for places in seen.values():
        teams = {unit_key(e.team or "") for _r, e in places}
        if len(teams) < 2:
            continue
        names = ", ".join(dict.fromkeys(e.team or "" for _r, e in places))
        for res, e in places[1:]:
            sink = _Sink(profile)
            sink.rule(
                "team.person_in_several_teams",
                e.sheet,
                e.row,
                "name",
                e.cells.get("name"),
                e.values.get("name"),
                name=e.values.get("name"),
                teams=names,
            )
            res.report.findings.extend(sink.findings)
    # villages: named anywhere (residence, task table) but without a team
    team_units = {
        unit_key(e.team or "") for r in rosters for e in r.entries if e.level == "village"
    }
    named: dict[str, tuple[FileResult, Entry, str]] = {}
    for res in rosters:
        for e in res.entries:
            village = e.values.get("village")
            if village and not is_commune(village):
                named.setdefault(unit_key(village), (res, e, village))
    for res in steering:
        for key, e in villages_in_charge(res.entries).items():
            named.setdefault(key, (res, e, clean(e.values.get("village_in_charge"))))
    if rosters:
        for key, (res, e, village) in named.items():
            if key and key not in team_units:
                sink = _Sink(profile)
                column = "village" if res.report.template == "roster" else "village_in_charge"
                sink.rule(
                    "roster.village_without_team",
                    e.sheet,
                    e.row,
                    column,
                    e.cells.get(column),
                    village,
                    village=village,
                )
                res.report.findings.extend(sink.findings)
    # every village with a team is looked after by a steering committee member
    labels = {
        unit_key(e.team or ""): e.team for r in rosters for e in r.entries if e.level == "village"
    }
    for res in steering:
        if not any(e.values.get("village_in_charge") for e in res.entries):
            continue
        covered = villages_in_charge(res.entries)
        first = res.entries[0]
        for key, label in labels.items():
            if key not in covered:
                sink = _Sink(profile)
                sink.rule(
                    "steering.village_unassigned",
                    first.sheet,
                    None,
                    "village_in_charge",
                    None,
                    label,
                    village=label,
                )
                res.report.findings.extend(sink.findings)


def validate_files(
    paths: Iterable[str | Path],
    template: str | Template | None = None,
    profile: Profile | str = "none",
    *,
    debug: bool = False,
) -> list[FileResult]:
    """Validate files together: each on its own, then the checks across them; the
    typed entries stay with each report, for the store and consolidation.

    ``template`` None (or "auto") detects each file's record from its headers. A file
    that breaks the reader in an unforeseen way becomes one ``file.unreadable`` finding
    and the others are still checked (``debug=True`` raises instead).
    """
    prof = load_profile(profile) if isinstance(profile, str) else profile
    tpl = None if template in (None, "auto") else template
    results = []
    for p in paths:
        try:
            results.append(validate_file(p, tpl, prof))
        except Exception as exc:
            if debug:
                raise
            report = FileReport(
                str(p),
                readable=False,
                findings=[
                    Finding(
                        severity=ERROR,
                        code="file.unreadable",
                        params={"detail": f"{type(exc).__name__}: {exc}"},
                    )
                ],
            )
            results.append(FileResult(report, Workbook(str(p), None, readable=False)))
    check_across(results, prof)
    for res in results:
        res.report.findings.sort(key=Finding.sort_key)
    return results


def validate_paths(
    paths: Iterable[str | Path],
    template: str | Template | None = None,
    profile: Profile | str = "none",
    *,
    debug: bool = False,
) -> Report:
    """Validate files together (see :func:`validate_files`) and return the report."""
    return Report([r.report for r in validate_files(paths, template, profile, debug=debug)])
