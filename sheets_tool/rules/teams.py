"""Rules of a team (rosters): the profile's size and position rules, one leader,
nobody twice, near-identical names."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from ..text import (
    fold_key,
    match_key,
    person_key,
)
from ..unit_names import name_key
from .base import (
    DEPUTY,
    LEADER,
    Entry,
    Sink,
)


def has_position(position: str, patterns: Sequence[str]) -> bool:
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


def check_teams(entries: Sequence[Entry], sink: Sink) -> None:
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
                if not has_position(position, patterns):
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
            if not any(has_position(e.values.get("position_full", ""), group) for e in members):
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
        for e, first_seen in repeated_people(members):
            sink.rule(
                "team.duplicate_person",
                e.sheet,
                e.row,
                "name",
                e.cells.get("name"),
                e.values.get("name"),
                name=e.values.get("name"),
                team=team,
                other=first_seen.cells.get("name"),
            )


def repeated_people(entries: Sequence[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """Each entry naming a person named above it, with the entry that named them first."""
    seen: dict[str, Entry] = {}
    for e in entries:
        key = person_key(e.values.get("name", ""))
        if key in seen:
            yield e, seen[key]
        elif key:
            seen[key] = e


def check_near_identical(entries: Sequence[Entry], sink: Sink) -> None:
    """ "Hường" and "Hương" in one list: flag names that differ only slightly."""
    people: dict[str, Entry] = {}
    for e in entries:
        key = person_key(e.values.get("name", ""))
        if key and key not in people:
            people[key] = e
    items = list(people.items())
    for i, (ka, a) in enumerate(items):
        for kb, b in items[i + 1 :]:
            if near(ka, kb):
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


def near(a: str, b: str) -> bool:
    """Different people's names rarely differ by one mark or one letter."""
    if a == b:
        return False
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    if fold_key(a) == fold_key(b):
        return True  # only the marks differ: Hường / Hương
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.93
