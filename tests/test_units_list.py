"""The official list of units: which list is in force on a day (the reform takes effect
on 1 July 2025 itself), the province names as messages show them ("Hà Tĩnh", not "Tỉnh
Hà Tĩnh"), and what ``registry init`` says when the list cannot be read."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from click.testing import CliRunner

from sheets_tool import units
from sheets_tool.cli import cli
from sheets_tool.units import (
    all_official_units,
    name_key_display,
    official_units,
    province_names,
)

REFORM_DAY = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)


def test_the_reform_day_already_has_the_new_provinces_and_no_districts():
    after = Counter(u.level for u in all_official_units(REFORM_DAY))
    before = Counter(u.level for u in all_official_units(EVE))
    assert after == {"province": 34, "commune": 3321}
    assert before == {"province": 63, "district": 691, "commune": 10035}


def test_province_names_on_the_reform_day_and_the_day_before():
    after, before = province_names(REFORM_DAY), province_names(EVE)
    assert len(after) == 34 and len(before) == 63
    assert "Tỉnh Hà Giang" in before and "Tỉnh Hà Giang" not in after  # merged into Tuyên Quang
    assert after == sorted(after)
    assert {"Thành phố Hà Nội", "Tỉnh Hà Tĩnh", "Tỉnh Lạng Sơn"} <= set(after)


def test_each_list_is_valid_from_the_reform_or_up_to_the_day_before():
    for u in all_official_units(REFORM_DAY):
        assert (u.valid_from, u.valid_to) == (REFORM_DAY, None), u
    for u in all_official_units(EVE):
        assert (u.valid_from, u.valid_to) == (None, EVE), u


def test_before_the_reform_communes_sit_in_districts_and_districts_in_provinces():
    by_code = {u.code: u for u in all_official_units(EVE)}
    for u in by_code.values():
        parent = by_code.get(u.parent) if u.parent else None
        expected = {"province": None, "district": "province", "commune": "district"}[u.level]
        assert (parent.level if parent else None) == expected, u
    chi_lang = by_code["187"]
    assert (chi_lang.name, chi_lang.level, chi_lang.parent) == ("Huyện Chi Lăng", "district", "20")
    assert by_code["06505"].parent == "187"  # Xã Vạn Linh


def test_official_units_of_a_province_on_the_reform_day_and_typed_without_marks():
    for typed in ("Hà Tĩnh", "ha tinh"):
        on_the_day = official_units(typed, REFORM_DAY)
        assert Counter(u.level for u in on_the_day) == {"province": 1, "commune": 69}, typed
        duc_tho = next(u for u in on_the_day if u.code == "18229")
        assert (duc_tho.name, duc_tho.parent) == ("Xã Đức Thọ", "42")
        assert {(u.valid_from, u.valid_to) for u in on_the_day} == {(REFORM_DAY, None)}
    before = official_units("ha tinh", EVE)
    assert Counter(u.level for u in before)["district"] == 12
    assert {(u.valid_from, u.valid_to) for u in before} == {(None, EVE)}
    with pytest.raises(LookupError):  # a district's type word does not name a province
        official_units("Huyện Hà Tĩnh", REFORM_DAY)


@pytest.mark.usefixtures("english")
def test_provinces_that_differ_only_by_marks_are_told_apart_by_them(monkeypatch):
    rows = [
        ("Tỉnh Hà Nam", "35", "Phường Phủ Lý", "13321"),
        ("Tỉnh Hà Năm", "99", "Xã Năm Một", "99001"),
    ]
    monkeypatch.setattr(units, "_rows", lambda after: rows)
    assert [u.code for u in official_units("Hà Nam", REFORM_DAY)] == ["35", "13321"]
    assert [u.code for u in official_units("Tỉnh Hà Năm", REFORM_DAY)] == ["99", "99001"]
    with pytest.raises(LookupError) as caught:  # without marks: either, so neither
        official_units("ha nam", REFORM_DAY)
    assert str(caught.value).endswith("(one of: Hà Nam, Hà Năm)")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Tỉnh Hà Tĩnh", "Hà Tĩnh"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Huyện Chi Lăng", "Huyện Chi Lăng"),  # only a province's type word goes
        ("tỉnh Hà Tĩnh", "tỉnh Hà Tĩnh"),  # not the official spelling: left as it is
    ],
)
def test_name_key_display(name, shown):
    assert name_key_display(name) == shown


@pytest.mark.usefixtures("english")
def test_an_unknown_province_lists_the_provinces_by_their_short_names():
    with pytest.raises(LookupError) as caught:
        official_units("Hà Tây", REFORM_DAY)
    message = str(caught.value)
    assert message.startswith("unknown province 'Hà Tây' on 01/07/2025 (one of: Cần Thơ, Huế,")
    listed = message.split("(one of: ")[1].rstrip(")").split(", ")
    assert len(listed) == 34
    assert {"Hà Nội", "Hồ Chí Minh", "Hà Tĩnh", "Lạng Sơn"} <= set(listed)
    assert not [n for n in listed if n.startswith(("Tỉnh", "Thành phố"))]


@pytest.fixture
def unread_list():
    """The official list read afresh (it is cached), and afresh again after the test."""
    units._rows.cache_clear()
    units._all_units.cache_clear()
    yield
    units._rows.cache_clear()
    units._all_units.cache_clear()


def registry_init(tmp_path):
    args = ["registry", "init", "--province", "Hà Tĩnh", "-o", str(tmp_path / "r.xlsx")]
    return CliRunner().invoke(cli, args)


def test_without_the_package_registry_init_says_it_is_not_installed(
    tmp_path, monkeypatch, unread_list
):
    def files(package):
        raise ModuleNotFoundError(f"No module named '{package}'")

    monkeypatch.setattr(units.resources, "files", files)
    result = registry_init(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "không có danh mục đơn vị hành chính: chưa cài gói vietnamadminunits\n"
    )
    assert not (tmp_path / "r.xlsx").exists()


def test_without_the_dataset_registry_init_names_the_missing_file(
    tmp_path, monkeypatch, unread_list
):
    monkeypatch.setattr(units.resources, "files", lambda package: tmp_path / package)
    result = registry_init(tmp_path)
    assert result.exit_code == 2
    missing = tmp_path / "vietnamadminunits" / "data" / "dataset.db"
    assert result.stderr == f"không có danh mục đơn vị hành chính: thiếu tệp {missing}\n"
