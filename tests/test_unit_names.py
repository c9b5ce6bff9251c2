"""One normaliser of unit names, used by the reader, validation, the registry and ingest:
regression tests for the names on which the earlier normalisers disagreed, and for every
type word the seeds use."""

import pytest

from sheets_tool.reader import group_label
from sheets_tool.registry import Registry
from sheets_tool.text import match_key
from sheets_tool.unit_names import (
    fold_name,
    is_commune,
    is_commune_team,
    level_of,
    name_key,
    unit_in_text,
)
from sheets_tool.units import Unit

VILLAGE_WORDS = [
    "Thôn",
    "Xóm",
    "Bản",
    "Buôn",
    "Plei",
    "Bon",
    "Sóc",
    "Ấp",
    "Khối",
    "Tổ dân phố",
    "TDP",
    "Khu phố",
    "Làng",
    "Khóm",
]
COMMUNE_WORDS = ["Xã", "Phường", "Thị trấn", "Đặc khu"]


@pytest.mark.parametrize("word", VILLAGE_WORDS)
def test_every_village_word_is_one_village_with_or_without_it(word):
    name = f"{word} Ea Kao"
    assert name_key(name, "village") == name_key("Ea Kao", "village")
    assert name_key(name.upper(), "village") == name_key("Ea Kao")
    assert name_key(f"Tổ CNS {name}", "village") == name_key("Ea Kao")
    assert level_of(name) == "village"
    assert not is_commune(name)


@pytest.mark.parametrize("word", COMMUNE_WORDS)
def test_every_commune_word_makes_a_commune(word):
    name = f"{word} Phú Quốc"
    assert is_commune(name)
    assert is_commune(name.upper())
    assert name_key(name, "commune") == name_key("Phú Quốc")
    assert is_commune_team(f"Tổ công nghệ số {word.lower()}")
    assert not is_commune_team(f"Tổ CNS {name}")


def test_special_zone_is_a_commune():
    assert is_commune("Đặc khu Phú Quốc")


def test_marks_decide_what_is_a_type_word():
    # "Lạng" is no type word: Lạng Sơn keeps its first word (the earlier validate key
    # gave "sơn")
    assert name_key("Lạng Sơn") != name_key("Sơn")
    assert name_key("Lạng Sơn", "village") == name_key("Lạng Sơn")
    assert name_key("Làng Sơn", "village") == name_key("Sơn")
    assert name_key("Bàn Thạch", "village") != name_key("Thạch")
    # unmarked only where it cannot be a name
    assert name_key("thon dong thai", "village") == "dong thai"
    assert name_key("lang son", "village") == "lang son"
    assert name_key("Xa Tung Anh", "commune") == name_key("tung anh")


def test_type_word_alone_is_kept():
    assert name_key("Thôn") == match_key("thôn") != ""
    assert name_key("Xã", "commune") == match_key("xã")
    assert level_of("Xã") is None  # a type word alone names no commune
    assert name_key("Tổ CNS") == ""  # team words alone name no unit
    assert name_key("Tổ CNS xã") == match_key("xã")
    assert name_key("Tổ 5", "village") == "5"
    assert name_key("Tổ dân phố 5", "village") == "5"


def test_a_commune_team_is_named_by_a_team_word_and_the_commune_word_alone():
    assert is_commune_team("Tổ CNS phường")
    assert is_commune_team("to cong nghe so xa")
    assert not is_commune_team("Xã")  # no team word
    assert not is_commune_team("Tổ CNS")
    assert not is_commune_team("Tổ CNS thôn")
    # marks typed: they must be the commune word's ("Xá" is a village's name)
    assert not is_commune_team("Tổ CNS Xá")
    assert not is_commune_team("Tổ công nghệ số Phương")


def test_the_level_a_type_word_says_needs_its_marks():
    assert level_of("Lạng Sơn") is None
    assert level_of("Bàn Cờ") is None
    assert level_of("Bản Cờ") == "village"
    assert level_of("thi tran Dong Mo") == "commune"
    assert level_of("Thành phố Vinh") == "district"
    assert level_of("Tỉnh Nghệ An") == "province"


def test_district_words_do_not_leak_into_communes():
    assert level_of("Thị xã Kỳ Anh") == "district"
    assert not is_commune("Thị xã Kỳ Anh")
    assert unit_in_text("UBND THỊ XÃ KỲ ANH", ("commune",)) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("UBND XÃ THIỆN TÂN - HUYỆN HỮU LŨNG", "XÃ THIỆN TÂN"),
        ("II. TỔ CNS BUÔN EA KAO", "BUÔN EA KAO"),
        ("Tổ CNS Plei Ơi", "Plei Ơi"),
        ("I. Tổ công nghệ số ấp Phú Hòa", "ấp Phú Hòa"),
        ("Tổ CNS khóm 3, phường 5", "khóm 3"),
        ("ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC", "ĐẶC KHU PHÚ QUỐC"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),
        ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", None),
        ("Tổ 7 (khu dân cư số 2)", "Tổ 7"),
        ("UBND THỊ TRẤN  ĐỒNG MỎ", "THỊ TRẤN ĐỒNG MỎ"),
        ("Tổ dân phố Bắc Sơn: 12 hộ", "Tổ dân phố Bắc Sơn"),
        ("Khu phố 3 - phường Tân Phong", "Khu phố 3"),
        ("Tổ CNS xóm Bãi", "xóm Bãi"),
    ],
)
def test_unit_in_text(text, found):
    assert unit_in_text(text) == found


def test_unit_in_text_of_the_levels_asked():
    assert unit_in_text("Tổ 5, phường Tân Phong", ("village",)) == "Tổ 5"
    assert unit_in_text("Tổ 5, phường Tân Phong", ("commune",)) == "phường Tân Phong"
    assert unit_in_text("HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN", ("district",)) == "HUYỆN HỮU LŨNG"
    assert unit_in_text("HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN", ("province",)) == "TỈNH LẠNG SƠN"
    assert unit_in_text("Thôn Đông, xã Tây", ("commune", "village")) == "Thôn Đông"


def test_group_label_reads_central_highlands_and_southern_headings():
    assert group_label("II. TỔ CNS BUÔN EA KAO") == "Buôn Ea Kao"
    assert group_label("3. Tổ CNS Sóc Tà Liêm") == "Sóc Tà Liêm"
    assert group_label("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is None


def test_fold_name_is_for_slugs():
    assert fold_name("Buôn Ea Kao", "village") == "ea kao"
    assert fold_name("Tổ CNS thôn Đông Thái", "village") == "dong thai"


def test_registry_finds_villages_by_every_word():
    commune = Unit("24000", "Xã Ea Kao", "commune")
    units = {"24000": commune}
    for n, word in enumerate(["Buôn", "Plei", "Bon", "Sóc", "Ấp", "Khóm", "Khu phố"]):
        code = f"24000-{n}"
        units[code] = Unit(code, f"{word} Ea {n}", "village", "24000")
    reg = Registry(units)
    for n, word in enumerate(["Buôn", "Plei", "Bon", "Sóc", "Ấp", "Khóm", "Khu phố"]):
        assert reg.find(f"Ea {n}", "village", within="24000").unit.code == f"24000-{n}"
        assert reg.find(f"{word.upper()} EA {n}", "village").unit.code == f"24000-{n}"
