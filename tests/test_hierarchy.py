"""The one hierarchy shared by report and roster consolidation: scope, child level, the
child each unit falls under, and what is said when there is no single scope."""

import datetime as dt

import pytest

from sheets_tool.hierarchy import (
    ConsolidationError,
    ancestry,
    check_level,
    children,
    find_scope,
    is_under,
    scope_of,
)
from sheets_tool.registry import Registry
from sheets_tool.units import Unit

pytestmark = pytest.mark.usefixtures("english")  # the messages asserted are English

OLD = dt.date(2020, 12, 31)


@pytest.fixture
def registry():
    units = [
        Unit("20", "Tỉnh Lạng Sơn", "province"),
        Unit("200", "Huyện Chi Lăng", "district", "20"),
        Unit("201", "Huyện Hữu Lũng", "district", "20"),
        Unit("06463", "Xã Vân Thủy", "commune", "200"),
        Unit("06464", "Xã Chi Lăng", "commune", "200", valid_to=OLD),
        Unit("06500", "Thị trấn Chi Lăng", "commune", "200"),
        Unit("06600", "Xã Thiện Tân", "commune", "201"),
        Unit("06463-a", "Thôn A", "village", "06463"),
        Unit("06463-b", "Thôn B", "village", "06463"),
        Unit("06600-a", "Thôn A", "village", "06600"),
    ]
    return Registry({u.code: u for u in units})


def test_children_at_the_highest_level_below(registry):
    province, district, commune = (registry.units[c] for c in ("20", "200", "06463"))
    kids = children(registry, province)
    assert (kids.level, [u.code for u in kids.units]) == ("district", ["200", "201"])
    assert kids.child_of("06463-a") == "200" and kids.child_of("06600-a") == "201"
    # valid on a day: a commune merged away is no child after it ended
    assert [u.code for u in children(registry, district).units] == ["06463", "06464", "06500"]
    on = dt.date(2021, 8, 5)
    assert [u.code for u in children(registry, district, on=on).units] == ["06463", "06500"]
    # the commune's own team: a row of its own, last, only when asked
    assert [u.code for u in children(registry, commune).units] == ["06463-a", "06463-b"]
    own = children(registry, commune, own_row=True)
    assert [u.code for u in own.units] == ["06463-a", "06463-b", "06463"]
    assert own.child_of("06463") == "06463"
    assert own.child_of("06600-a") is None  # another commune's village
    # a unit with no children is summarised at village level
    assert children(registry, registry.units["06500"]).level == "village"


def test_is_under(registry):
    district = registry.units["200"]
    assert is_under(registry, "06463-a", district)
    assert is_under(registry, "200", district)
    assert not is_under(registry, "06600-a", district)
    assert not is_under(registry, "20", district)


def test_scope_of_one_unit_or_a_clear_error(registry):
    assert scope_of(registry, ["06463-a", "06463-b"], "district").code == "200"
    assert scope_of(registry, ["06463-a", "06600-a"], "province").code == "20"
    with pytest.raises(ConsolidationError) as several:
        scope_of(registry, ["06600-a", "06463-a", "06463"], "district", ["f"])
    assert str(several.value) == (
        "the inputs belong to several units of level district: Huyện Chi Lăng, "
        "Huyện Hữu Lũng; consolidate each, or choose a higher --level"
    )
    assert several.value.findings == ["f"]
    with pytest.raises(ConsolidationError, match=r"no row of the inputs .* level district"):
        scope_of(registry, ["nowhere"], "district")


def test_find_scope_names_the_candidates(registry):
    assert find_scope(registry, "Vân Thủy", "commune").code == "06463"
    assert find_scope(registry, "200", "district").code == "200"
    with pytest.raises(ConsolidationError) as ambiguous:
        find_scope(registry, "Chi Lăng", "commune", dt.date(2020, 1, 1))
    assert str(ambiguous.value).startswith("--unit Chi Lăng: several units of level commune: ")
    assert str(ambiguous.value).endswith(": Xã Chi Lăng (06464), Thị trấn Chi Lăng (06500)")
    assert find_scope(registry, "Chi Lăng", "commune", dt.date(2021, 1, 1)).code == "06500"
    with pytest.raises(ConsolidationError, match=r"^--unit Nowhere: no district so named$"):
        find_scope(registry, "Nowhere", "district")


def test_levels_and_ancestry(registry):
    for level in ("commune", "district", "province"):
        check_level(level)
    with pytest.raises(ConsolidationError, match=r"^--level is one of commune, district, prov"):
        check_level("village")
    chain = ancestry(registry, [registry.units["06463-a"]])["06463-a"]
    assert {lv: u.code for lv, u in chain.items()} == {
        "village": "06463-a",
        "commune": "06463",
        "district": "200",
        "province": "20",
    }


def test_a_unit_under_the_scope_but_not_under_any_child_has_no_child(registry):
    """A village filed directly under a district (no commune between): in the district's
    summary its row has no commune to fall under, and it is said, not a crash."""
    registry.units["200-x"] = Unit("200-x", "Thôn Lạc", "village", "200")
    registry = Registry(registry.units)
    kids = children(registry, registry.units["200"])
    assert kids.level == "commune"
    assert kids.child_of("200-x") is None
    assert kids.child_of("06463-a") == "06463"
