"""The units a summary covers, shared by report and roster consolidation: the scope (one
unit of the summary's level), its child level, the child each unit falls under, the
scope's own team, and each unit's ancestry.

A commune's own team (Tổ công nghệ số of the commune itself) reports or is listed as the
commune: it is a row of its own beside the commune's villages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .findings import Finding
from .i18n import tr
from .registry import Registry
from .units import Unit

SUMMARY_LEVELS = ("commune", "district", "province")


class ConsolidationError(ValueError):
    """Nothing can be written; the message says why (exit 2), and ``findings`` what was
    wrong with the inputs."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


LEVEL_VI = {"village": "thôn", "commune": "xã", "district": "huyện", "province": "tỉnh"}


def level_word(level: str) -> str:
    """A level as the user reads it: "xã" in Vietnamese, "commune" in English."""
    return tr(LEVEL_VI.get(level, level), level)


def check_level(level: str) -> None:
    if level not in SUMMARY_LEVELS:
        raise ConsolidationError(
            tr(
                "--level là một trong {levels}",
                "--level is one of {levels}",
                levels=", ".join(SUMMARY_LEVELS),
            )
        )


def find_scope(registry: Registry, name: str, level: str, on: dt.date | None = None) -> Unit:
    """The unit of ``level`` named (or coded) ``name`` (``--unit``)."""
    match = registry.find(name, level, on=on)
    if match.unit is None:
        listed = ", ".join(f"{u.name} ({u.code})" for u in match.candidates)
        level_name = level_word(level)
        raise ConsolidationError(
            f"--unit {name}: "
            + (
                tr(
                    "nhiều đơn vị cấp {level} trùng tên: {listed}",
                    "several units of level {level}: {listed}",
                    level=level_name,
                    listed=listed,
                )
                if listed
                else tr("không có {level} nào tên như vậy", "no {level} so named", level=level_name)
            )
        )
    return match.unit


def scope_of(
    registry: Registry, codes: Iterable[str], level: str, findings: list[Finding] | None = None
) -> Unit:
    """The one unit of ``level`` above the units ``codes``; an error when there is none or
    several (each must then be consolidated on its own)."""
    found: dict[str, Unit] = {}
    for code in codes:
        unit = registry.ancestor_at(code, level)
        if unit is not None:
            found[unit.code] = unit
    if not found:
        raise ConsolidationError(
            tr(
                "không dòng nào của các tệp đầu vào khớp được với một đơn vị cấp {level}",
                "no row of the inputs could be matched to a unit of level {level}",
                level=level_word(level),
            ),
            findings,
        )
    if len(found) > 1:
        names = ", ".join(u.name for u in sorted(found.values(), key=lambda u: u.code))
        raise ConsolidationError(
            tr(
                "các tệp đầu vào thuộc nhiều đơn vị cấp {level}: {names}; hãy tổng hợp riêng "
                "từng đơn vị, hoặc chọn --level cao hơn",
                "the inputs belong to several units of level {level}: {names}; consolidate "
                "each, or choose a higher --level",
                level=level_word(level),
                names=names,
            ),
            findings,
        )
    return next(iter(found.values()))


def is_under(registry: Registry, code: str, scope: Unit) -> bool:
    """Whether the unit ``code`` is ``scope`` or below it."""
    return any(a.code == scope.code for a in registry.ancestors(code))


@dataclass
class Children:
    """The child units of a scope, one row each in a summary."""

    scope: Unit
    level: str  # the child level: district, commune or village
    units: list[Unit]  # by code; the scope itself last when it has a row of its own
    registry: Registry

    def child_of(self, code: str) -> str | None:
        """The code of the child the unit ``code`` falls under (the scope's own code for
        its own team), or None when it is not under the scope."""
        if code == self.scope.code:
            return code
        chain = self.registry.ancestors(code)
        if all(a.code != self.scope.code for a in chain):
            return None
        return next((a.code for a in chain if a.level == self.level), None)


def children(
    registry: Registry, scope: Unit, *, own_row: bool = False, on: dt.date | None = None
) -> Children:
    """The scope's children at the highest level below it (valid ``on`` when given), and
    the scope itself when it has a row of its own (``own_row``: a commune's own team)."""
    below = registry.children(scope.code)
    levels = {u.level for u in below}
    level = next((lv for lv in ("district", "commune") if lv in levels), "village")
    units = sorted(
        (u for u in below if u.level == level and (on is None or u.valid_on(on))),
        key=lambda u: u.code,
    )
    if own_row and level == "village":
        units.append(scope)
    return Children(scope, level, units, registry)


def ancestry(registry: Registry, units: Iterable[Unit]) -> dict[str, dict[str, Unit]]:
    """code → level → unit, for every unit and each unit above it."""
    return {u.code: {a.level: a for a in registry.ancestors(u.code)} for u in units}
