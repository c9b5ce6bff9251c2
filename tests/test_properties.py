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
    """A province → districts → communes → villages tree, some villages' numbers, and the
    same tree as plain data, {district: {commune: {village: numbers or None}}}, for an
    oracle that needs no registry."""
    reg = Registry()
    reg.add(Unit("P", "Tỉnh Thử", "province"))
    rows = []
    tree: dict[str, dict[str, dict[str, dict[str, int] | None]]] = {}
    for d in range(draw(st.integers(1, 3))):
        district = Unit(f"D{d}", f"Huyện {d}", "district", "P")
        reg.add(district)
        tree[district.code] = {}
        for c in range(draw(st.integers(1, 3))):
            commune = Unit(f"C{d}{c}", f"Xã {d}{c}", "commune", district.code)
            reg.add(commune)
            tree[district.code][commune.code] = {}
            for v in range(draw(st.integers(0, 4))):
                village = Unit(f"C{d}{c}-{v}", f"Thôn {v}", "village", commune.code)
                reg.add(village)
                tree[district.code][commune.code][village.code] = None
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
                    tree[district.code][commune.code][village.code] = values
    return reg, rows, tree


def _scopes(tree):
    """Each scope's code, with its children's codes and the numbers of the reported
    villages under each child, straight from the generator's tree."""
    province = {
        d: [n for villages in communes.values() for n in villages.values() if n]
        for d, communes in tree.items()
    }
    yield "P", province
    for d, communes in tree.items():
        yield d, {c: [n for n in villages.values() if n] for c, villages in communes.items()}
        for c, villages in communes.items():
            yield c, {v: [n] if n else [] for v, n in villages.items()}


@settings(max_examples=60, deadline=None)
@given(hierarchies())
def test_totals_equal_the_sum_of_the_parts_at_every_level(case):
    """At every scope, each child's numbers and the totals are the generated villages'
    numbers added up here per child, from the generator's own tree."""
    reg, rows, tree = case
    row_of = {r.unit.code: r for r in rows}
    for code, children in _scopes(tree):
        mine = [row_of[v] for v in _villages_under(tree, code) if v in row_of]
        s = summarise("daily", reg.units[code], "2021-08-05", mine, reg)
        got = {c.unit.code: c.values for c in s.children}
        assert set(got) == set(children)
        if mine:
            assert set(KEYS) <= set(s.keys)
        for key in s.keys:
            for child, parts in children.items():
                assert got[child][key] == sum(p[key] for p in parts), (code, child, key)
            everything = [p for parts in children.values() for p in parts]
            assert s.totals[key] == sum(p[key] for p in everything), (code, key)


def _villages_under(tree, code):
    for d, communes in tree.items():
        for c, villages in communes.items():
            if code in ("P", d, c):
                yield from villages


@settings(max_examples=40, deadline=None)
@given(hierarchies(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_result(case, rnd: random.Random):
    reg, rows, _tree = case
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a = summarise("daily", reg.units["P"], "2021-08-05", rows, reg)
    b = summarise("daily", reg.units["P"], "2021-08-05", shuffled, reg)
    assert a.to_dict() == b.to_dict()


@settings(max_examples=40, deadline=None)
@given(hierarchies())
def test_every_expected_village_has_one_status(case):
    reg, rows, _tree = case
    s = summarise("daily", reg.units["P"], "2021-08-05", rows, reg)
    villages = [u for u in reg.units.values() if u.level == "village"]
    assert sorted(u.code for u, _r in s.expected) == sorted(u.code for u in villages)
    reported = {r.unit.code for r in rows}
    for unit, row in s.expected:
        assert (row is not None) == (unit.code in reported)
