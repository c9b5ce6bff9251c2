"""The registry: official units from the adapter, the villages communes type."""

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.registry import Registry, init_registry, load_registry, village_code
from sheets_tool.unit_names import name_key
from sheets_tool.units import REFORM_DATE, official_units

from .conftest import CHI_LANG


def test_official_units_before_and_after_the_reform():
    before = official_units("Hà Tĩnh", dt.date(2022, 10, 4))
    tung_anh = next(u for u in before if u.code == "18259")
    assert (tung_anh.name, tung_anh.level, tung_anh.parent) == ("Xã Tùng Ảnh", "commune", "440")
    assert {u.level for u in before} == {"province", "district", "commune"}
    after = official_units("Hà Tĩnh", dt.date(2026, 1, 1))
    assert {u.level for u in after} == {"province", "commune"}
    # codes are reused: 18229 was Thị trấn Đức Thọ, now the larger Xã Đức Thọ
    old = next(u for u in before if u.code == "18229")
    new = next(u for u in after if u.code == "18229")
    assert (old.name, new.name) == ("Thị trấn Đức Thọ", "Xã Đức Thọ")
    assert old.valid_on(dt.date(2025, 6, 30)) and not old.valid_on(REFORM_DATE)
    assert new.valid_on(REFORM_DATE) and not new.valid_on(dt.date(2025, 6, 30))


def test_province_names_as_people_type_them():
    assert official_units("lang son", dt.date(2021, 8, 1))[0].name == "Tỉnh Lạng Sơn"
    assert official_units("Tỉnh Lạng Sơn", dt.date(2021, 8, 1))[0].code == "20"
    with pytest.raises(LookupError, match="Lạng Sơn"):
        official_units("Lang Xon", dt.date(2021, 8, 1))


def test_name_keys_drop_unit_types_but_not_marks():
    assert name_key("Thôn Đông Thái", "village") == name_key("ĐÔNG THÁI", "village")
    assert name_key("Tỉnh Lạng Sơn", "province") == name_key("Lạng Sơn")
    assert name_key("Làng Mới", "village") != name_key("Lạng Mới", "village")


def test_village_codes_are_stable_and_unique():
    assert village_code("18259", "Thôn Đông Thái") == "18259-dong-thai"
    assert village_code("18259", "Đông Thái", taken={"18259-dong-thai"}) == "18259-dong-thai-2"


def test_the_sample_registry():
    reg = load_registry(CHI_LANG / "registry.xlsx")
    assert reg.findings == []
    van_linh = reg.find("Vạn Linh", "commune").unit
    assert van_linh is not None and van_linh.code == "06505"
    villages = reg.children("06505")
    assert {v.name for v in villages} >= {"Thôn Phố Cũ", "Thôn Lùng Cằm"}
    assert reg.ancestor_at("06505-pho-cu", "district").name == "Huyện Chi Lăng"
    assert reg.households["06505-pho-cu"] == 312
    # four communes of Lạng Sơn are called Chi Lăng: a finding names them, never a guess
    match = reg.find("Chi Lăng", "commune")
    assert match.unit is None and len(match.candidates) == 4


def test_villages_typed_wrong_are_findings(tmp_path):
    path = init_registry("Lạng Sơn", tmp_path / "r.xlsx", dt.date(2021, 8, 1))
    wb = openpyxl.load_workbook(path)
    ws = wb["Thôn"]
    for r, row in enumerate(
        [
            ("06505", None, "Phố Cũ"),
            (None, "Chi Lăng", "Thôn A"),
            (None, "Van Linh", "Thôn B"),
            ("99999", None, "Thôn C"),
            (None, "Vạn Linh", "Thôn Phố Cũ"),
        ],
        start=2,
    ):
        for c, value in enumerate(row, start=1):
            if value:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    reg = load_registry(path)
    assert [(f.code, f.cell) for f in reg.findings] == [
        ("registry.ambiguous_unit", "B3"),
        ("registry.unknown_unit", "B4"),
        ("registry.unknown_unit", "A5"),
        ("registry.duplicate_village", "C6"),
    ]
    assert "Xã Vạn Linh (06505)" in reg.findings[1].message()


def test_registry_init_command(tmp_path):
    out = tmp_path / "ha-tinh.xlsx"
    result = CliRunner().invoke(
        cli, ["registry", "init", "--province", "Hà Tĩnh", "--as-of", "2022-10-04", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Hướng dẫn", "Đơn vị", "Thôn"]
    codes = [c.value for c in wb["Đơn vị"]["A"]][1:]
    assert "18259" in codes and "440" in codes and codes[0] == "42"
    bad = CliRunner().invoke(
        cli, ["registry", "init", "--province", "Atlantis", "-o", str(tmp_path / "x.xlsx")]
    )
    assert bad.exit_code == 2 and "không có tỉnh" in bad.output


def test_a_village_name_many_communes_share_is_found_in_the_commune_given():
    """Lookups by parent: "Thôn Tân Tiến" in each of a province's communes, found in the
    one asked (and by the same walk as before when asked within a district or not at
    all); a village added after the first lookup is found too."""
    day = dt.date(2021, 8, 5)
    registry = Registry.official(day)
    province = next(u for u in registry.units.values() if u.name == "Tỉnh Thanh Hóa")
    communes = registry.descendants(province.code, "commune")[:50]
    villages = [registry.village(c, "Thôn Tân Tiến") for c in communes]
    for commune, village in zip(communes, villages, strict=True):
        assert registry.find("Tân Tiến", "village", within=commune.code).unit == village
        assert registry.find("tan tien", "village", within=commune.code).candidates == (village,)
        district = registry.find("Tân Tiến", "village", within=commune.parent, on=day)
        under = [
            v for v in villages if v.parent in {u.code for u in registry.children(commune.parent)}
        ]
        assert (district.unit, len(district.candidates)) == (
            (village, 0) if len(under) == 1 else (None, len(under))
        )
    assert len(registry.find("Tân Tiến", "village").candidates) == 50
    late = registry.village(communes[0], "Bản Mới")
    assert registry.find("Bản Mới", "village", within=communes[0].code).unit == late
    assert registry.find("Bản Mới", "village", within=communes[1].code).unit is None
