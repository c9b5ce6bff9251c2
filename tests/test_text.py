import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sheets_tool.text import (
    clean,
    expand_abbreviations,
    fold_key,
    match_key,
    person_key,
    split_honorific,
    strip_bullet,
)

VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        list(
            "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệ"
            "ìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ÀÁĐ-.,:"
        )
    ),
    max_size=40,
)


def test_case_form_and_spacing_are_ignored():
    assert match_key("HỌ VÀ TÊN") == match_key("Họ và tên") == match_key("  họ   và\ntên ")
    assert match_key(unicodedata.normalize("NFD", "Họ và tên")) == match_key("Họ và tên")


def test_tone_mark_placement_is_ignored_but_the_mark_is_kept():
    assert match_key("Hòa") == match_key("Hoà")
    assert match_key("Thúy") == match_key("Thuý")
    assert match_key("Ủy viên") == match_key("Uỷ viên")
    assert match_key("Hòa") != match_key("Hoa")
    assert match_key("Thủy") != match_key("Thùy")


def test_fold_key_is_for_suggestions_only():
    assert fold_key("Thủy") == fold_key("Thùy") == fold_key("Thụy") == "thuy"
    assert fold_key("Đức Thọ") == "duc tho"


def test_punctuation_is_ignored():
    assert match_key("Họ, tên:") == match_key("Họ tên")
    assert match_key("Số ĐT") == match_key("số đt")


def test_invisible_characters_are_dropped():
    assert clean("Tổ\u200b trưởng\u00a0 ") == "Tổ trưởng"


@given(VIETNAMESE)
def test_keys_are_idempotent_and_form_blind(text):
    assert match_key(match_key(text)) == match_key(text)
    assert clean(clean(text)) == clean(text)
    assert match_key(unicodedata.normalize("NFD", text)) == match_key(text)
    assert fold_key(text) == fold_key(unicodedata.normalize("NFD", text))


def test_abbreviations_expand_in_positions():
    assert expand_abbreviations("BT chi bộ Thôn Đông Thái") == "Bí thư chi bộ Thôn Đông Thái"
    assert expand_abbreviations("PCT UBND xã") == "Phó Chủ tịch Ủy ban nhân dân xã"
    assert expand_abbreviations("CC VHXH") == "Công chức Văn hóa - Xã hội"
    assert expand_abbreviations("Bí thư Đoàn TN") == "Bí thư Đoàn Thanh niên"
    # words that merely contain the letters are left alone
    assert expand_abbreviations("Trưởng thôn") == "Trưởng thôn"


def test_honorific_with_colon_and_numbering():
    assert split_honorific("Ông: Phạm Hồng Chương") == ("Ông", "Phạm Hồng Chương")
    assert split_honorific("1. Ông: Phạm Hồng Chương") == ("Ông", "Phạm Hồng Chương")
    assert split_honorific("Bà : Mai Thị Hằng") == ("Bà", "Mai Thị Hằng")
    assert split_honorific("Phạm Hồng Chương") == (None, "Phạm Hồng Chương")
    # a name that starts like a title word is not split without a separator
    assert split_honorific("Bàng Văn An")[0] is None


def test_bullets_are_stripped():
    assert strip_bullet("- Tổ trưởng") == "Tổ trưởng"
    assert strip_bullet("-BT chi bộ") == "BT chi bộ"
    assert strip_bullet("Tổ viên") == "Tổ viên"


def test_person_key_joins_spellings_of_one_person():
    decomposed = unicodedata.normalize("NFD", "Trần Văn Hoà")
    assert person_key("Ông: Trần Văn Hòa") == person_key(decomposed)
    assert person_key("Phạm Thị Hường") != person_key("Phạm Thị Hương")
