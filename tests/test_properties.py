"""Invariants of consolidation, on registries and numbers made up by hypothesis."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_tool.consolidate import DataRow, summarise
from sheets_tool.registry import Registry
from sheets_tool.units import Unit

KEYS = ("households", "shops", "sellers", "orders", "revenue")


@st.composite
def hierarchies(draw):
    """A province → districts → communes → villages tree, and some villages' numbers."""
    reg = Registry()
    reg.add(Unit("P", "Tỉnh Thử", "province"))
    rows = []
    for d in range(draw(st.integers(1, 3))):
        district = Unit(f"D{d}", f"Huyện {d}", "district", "P")
        reg.add(district)
        for c in range(draw(st.integers(1, 3))):
            commune = Unit(f"C{d}{c}", f"Xã {d}{c}", "commune", district.code)
            reg.add(commune)
            for v in range(draw(st.integers(0, 4))):
                village = Unit(f"C{d}{c}-{v}", f"Thôn {v}", "village", commune.code)
                reg.add(village)
                if draw(st.booleans()):
                    households = draw(st.integers(0, 2000))
                    shops = draw(st.integers(0, households))
                    values = {
                        "households": households,
                        "shops": shops,
                        "sellers": draw(st.integers(0, shops)),
                        "orders": draw(st.integers(0, 500)),
                        "revenue": draw(st.integers(0, 10**9)),
                    }
                    status = draw(st.sampled_from(["on_time", "late"]))
                    rows.append(
                        DataRow(village, {k: float(x) for k, x in values.items()}, "", status)
                    )
    return reg, rows


def _under(reg, rows, code):
    return [r for r in rows if any(a.code == code for a in reg.ancestors(r.unit.code))]


@settings(max_examples=60, deadline=None)
@given(hierarchies())
def test_totals_equal_the_sum_of_the_parts_at_every_level(case):
    reg, rows = case
    for scope in reg.units.values():
        if scope.level == "village":
            continue
        mine = _under(reg, rows, scope.code)
        s = summarise("daily", scope, "2021-08-05", mine, reg)
        for key in s.keys:
            assert s.totals[key] == sum(c.values[key] for c in s.children)
            assert s.totals[key] == sum(r.values.get(key, 0) for r in mine)
        # and a child's total is that child's own summary's total
        for child in s.children:
            if child.unit.level != "village" and child.unit.code != scope.code:
                inner = summarise(
                    "daily", child.unit, "2021-08-05", _under(reg, rows, child.unit.code), reg
                )
                assert inner.totals == {k: child.values[k] for k in inner.keys}


@settings(max_examples=40, deadline=None)
@given(hierarchies(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_result(case, rnd: random.Random):
    reg, rows = case
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a = summarise("daily", reg.units["P"], "2021-08-05", rows, reg)
    b = summarise("daily", reg.units["P"], "2021-08-05", shuffled, reg)
    assert a.to_dict() == b.to_dict()


@settings(max_examples=40, deadline=None)
@given(hierarchies())
def test_every_expected_village_has_one_status(case):
    reg, rows = case
    s = summarise("daily", reg.units["P"], "2021-08-05", rows, reg)
    villages = [u for u in reg.units.values() if u.level == "village"]
    assert sorted(u.code for u, _r in s.expected) == sorted(u.code for u in villages)
    reported = {r.unit.code for r in rows}
    for unit, row in s.expected:
        assert (row is not None) == (unit.code in reported)
