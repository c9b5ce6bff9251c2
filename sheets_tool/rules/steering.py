"""Rules of a steering committee: the decision list and the task table name the same
people; villages looked after."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..reader import Workbook
from ..text import clean, person_key
from .base import (
    HEAD,
    VICE,
    Entry,
    Sink,
)
from .teams import check_near_identical, has_position, near, repeated_people, unit_key


def _label(entry: Entry) -> str:
    return f"{entry.sheet}!{entry.cells.get('name')}"


def check_steering(workbook: Workbook, entries: Sequence[Entry], sink: Sink) -> None:
    if not entries:  # a blank list: "file.no_records" says so
        return
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
        # "CT UBND xã" is read as "Chủ tịch Ủy ban nhân dân xã" (abbreviations expanded)
        if not (
            has_position(position, ["Chủ tịch Ủy ban nhân dân"])
            and not has_position(position, ["Phó Chủ tịch"])
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
    if decision_tables:  # a task table may give one person several tasks
        _check_listed_once(listed, sink)
    if decision_tables and task_tables:
        tasks = [e for e in entries if e.table in task_tables]
        _compare_tables(listed, tasks, sink)
    for table in sorted(decision_tables | task_tables):
        check_near_identical([e for e in entries if e.table == table], sink)


def _check_listed_once(listed: list[Entry], sink: Sink) -> None:
    """The same person twice in the decision list (two roles, or a row copied)."""
    for e, first_seen in repeated_people(listed):
        sink.rule(
            "steering.duplicate_person",
            e.sheet,
            e.row,
            "name",
            e.cells.get("name"),
            e.values.get("name"),
            name=e.values.get("name"),
            other=_label(first_seen),
        )


def _compare_tables(listed: list[Entry], tasks: list[Entry], sink: Sink) -> None:
    names = {"vi": "danh sách quyết định", "en": "the decision list"}
    task_names = {"vi": "bảng phân công nhiệm vụ", "en": "the task table"}
    sides = ((listed, tasks, names, task_names), (tasks, listed, task_names, names))
    for here, there, present, absent in sides:
        there_keys = {person_key(e.values.get("name", "")): e for e in there}
        for e in here:
            key = person_key(e.values.get("name", ""))
            if not key or key in there_keys:
                continue
            close = [o for k, o in there_keys.items() if near(key, k)]
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


def villages_in_charge(entries: Sequence[Entry]) -> dict[str, tuple[Entry, str]]:
    """unit key → the first entry that looks after it and the village as written there
    ("Thôn A, thôn B và thôn C" is three villages)."""
    out: dict[str, tuple[Entry, str]] = {}
    for e in entries:
        text = e.values.get("village_in_charge", "")
        for part in _SPLIT_UNITS.split(text):
            if part.strip():
                out.setdefault(unit_key(part), (e, clean(part)))
    return out
