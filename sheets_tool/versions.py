"""Which stored row counts.

The store keeps every version of a unit's row for a period. Versions are ordered by the
ingest (batch) that last gave them: the newest batch with an accepted version decides.

* In that batch, accepted versions with the same numbers are one report given twice
  (a village's file and its commune's): one is counted, the others are *superseded*
  with a warning. Different numbers are a conflict: none is counted, each is an error
  naming the others, and an earlier batch decides.
* Versions with errors are never counted; newer than the counted version they are
  *excluded* and listed, and the counted one says "using the version received at …".
* A row that comes through a lower summary made before a version received later (with
  other numbers) is *superseded* by it, with a warning: an old summary given again never
  undoes a correction.
* Every version older than the counted one is *superseded*.

So every version is exactly one of counted, excluded or superseded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .findings import ERROR, WARNING, Finding
from .store import RowVersion, Store
from .templates import NUMBER_TYPES, Template, load_template


@dataclass
class Choice:
    """One unit's versions for a period, sorted into what counts and what does not."""

    unit_code: str
    counted: RowVersion | None = None
    excluded: list[RowVersion] = field(default_factory=list)
    superseded: list[RowVersion] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def replaced_by_error(self) -> bool:
        """A newer version was excluded and an earlier one is used instead."""
        return self.counted is not None and any(v.batch > self.counted.batch for v in self.excluded)


def numeric_keys(template: Template) -> list[str]:
    return [c.key for c in template.columns if c.type in NUMBER_TYPES]


def counted(store: Store, kind: str, period: str) -> dict[str, RowVersion]:
    """The version of each unit's row that counts for a period, by unit code."""
    keys = numeric_keys(load_template(kind))
    return {
        c.unit_code: c.counted
        for c in choose_all(store.versions(kind, period), keys)
        if c.counted is not None
    }


def numbers(version: RowVersion, keys: Sequence[str]) -> tuple[tuple[str, float], ...]:
    return tuple(
        (k, float(v))
        for k in keys
        if isinstance(v := version.values.get(k), (int, float)) and not isinstance(v, bool)
    )


def choose(versions: Sequence[RowVersion], keys: Sequence[str]) -> Choice:
    """Sort one unit's versions (see the module's documentation)."""
    choice = Choice(versions[0].unit_code if versions else "")
    by_batch: dict[int, list[RowVersion]] = defaultdict(list)
    for v in versions:
        by_batch[v.batch].append(v)
    for batch in sorted(by_batch, reverse=True):
        group = sorted(by_batch[batch], key=lambda v: (v.source, v.sheet or "", v.row or 0))
        if choice.counted is not None:
            choice.superseded.extend(group)
            continue
        accepted = [v for v in group if not v.excluded and v.unit_code]
        choice.excluded.extend(v for v in group if v.excluded or not v.unit_code)
        if not accepted:
            continue
        if len({numbers(v, keys) for v in accepted}) > 1:
            choice.excluded.extend(accepted)
            for v in accepted:
                others = "; ".join(o.place() for o in accepted if o is not v)
                choice.findings.append(
                    _at(v, ERROR, "consolidate.conflicting_rows", unit=v.unit_name, others=others)
                )
            continue
        newer = _newer_elsewhere(accepted[0], versions, keys)
        if newer is not None:  # a lower summary that carries an older version
            choice.superseded.extend(accepted)
            choice.findings.append(
                _at(
                    accepted[0],
                    WARNING,
                    "consolidate.stale_summary",
                    unit=accepted[0].unit_name,
                    received=accepted[0].received_at.replace("T", " "),
                    newer=newer.received_at.replace("T", " "),
                )
            )
            continue
        choice.counted, *repeats = accepted
        choice.superseded.extend(repeats)
        for v in repeats:
            choice.findings.append(
                _at(
                    v,
                    WARNING,
                    "consolidate.repeated_row",
                    unit=v.unit_name,
                    other=choice.counted.place(),
                )
            )
    if choice.replaced_by_error and choice.counted is not None:
        used = choice.counted
        choice.findings.append(
            _at(
                used,
                WARNING,
                "consolidate.using_earlier",
                unit=used.unit_name,
                received=used.received_at.replace("T", " "),
            )
        )
    return choice


def _newer_elsewhere(
    v: RowVersion, versions: Sequence[RowVersion], keys: Sequence[str]
) -> RowVersion | None:
    """For a row that came through a lower summary: an accepted version given earlier
    but received later, with other numbers (the summary was made before it)."""
    if v.source == v.submitted:
        return None
    later = [
        o
        for o in versions
        if o.batch < v.batch
        and not o.excluded
        and o.received_at > v.received_at
        and numbers(o, keys) != numbers(v, keys)
    ]
    return max(later, key=lambda o: o.received_at) if later else None


def choose_all(versions: Iterable[RowVersion], keys: Sequence[str]) -> list[Choice]:
    """A choice per unit; each row matched to no unit is a choice of its own (excluded)."""
    by_unit: dict[str, list[RowVersion]] = defaultdict(list)
    out = []
    for v in versions:
        if v.unit_code:
            by_unit[v.unit_code].append(v)
        else:
            out.append(Choice("", excluded=[v]))
    out.extend(choose(group, keys) for group in by_unit.values())
    return out


def _at(v: RowVersion, severity: str, code: str, **params: str) -> Finding:
    return Finding(
        severity=severity,
        code=code,
        params={**params, "path": v.submitted},
        sheet=v.sheet,
        row=v.row,
        column="village",
        cell=v.cell,
        value=v.unit_name,
    )
