import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_tool.parse import (
    find_date,
    parse_date,
    parse_money,
    parse_number,
    parse_phone,
    parse_whole,
)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1,234", 1234),
        ("1 234", 1234),
        ("312", 312),
        (" 45 hộ", 45),
        (12.0, 12),
        (7, 7),
        ("0", 0),
    ],
)
def test_whole_numbers_as_people_type_them(typed, expected):
    assert parse_whole(typed).value == expected
    assert parse_whole(typed).ok


@pytest.mark.parametrize(
    "typed, code",
    [
        ("12,5", "field.not_integer"),
        (12.5, "field.not_integer"),
        ("-3", "field.negative"),
        ("abc", "field.not_number"),
        ("chưa có", "field.not_number"),
        (True, "field.not_number"),
        (dt.date(2021, 8, 5), "field.not_number"),
    ],
)
def test_bad_whole_numbers_say_why(typed, code):
    assert parse_whole(typed).error == code


def test_empty_is_not_an_error():
    for empty in (None, "", "   "):
        assert parse_whole(empty).ok and parse_whole(empty).value is None


def test_money_and_decimals():
    assert parse_money("1.250.000 đ").value == 1250000
    assert parse_money("12.500.000 VNĐ").value == 12500000
    assert parse_money("1.234,5").value == 1234.5
    assert parse_number("12,5").value == 12.5
    assert parse_money("-5").error == "field.negative"


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_number_survives_thousands_dots(n):
    typed = f"{n:,}".replace(",", ".")
    assert parse_whole(typed).value == n
    assert parse_whole(str(n)).value == n
    assert parse_whole(float(n)).value == n


@pytest.mark.parametrize(
    "typed",
    [
        "04/10/2022",
        "4/10/2022",
        "04-10-2022",
        "04.10.2022",
        "2022-10-04",
        "ngày 04 tháng 10 năm 2022",
        "Ngày 4 tháng 10 năm 2022",
        "NGÀY 04 THÁNG 10 NĂM 2022",
        dt.date(2022, 10, 4),
        dt.datetime(2022, 10, 4, 9, 30),
    ],
)
def test_dates_day_first(typed):
    assert parse_date(typed).value == dt.date(2022, 10, 4)


def test_bad_dates():
    assert parse_date("31/02/2022").error == "field.not_date"
    assert parse_date("hôm qua").error == "field.not_date"
    assert parse_date(44838.0).error == "field.not_date"


def test_months():
    assert parse_date("10/2022", allow_month=True).value == dt.date(2022, 10, 1)
    assert parse_date("Tháng 10 năm 2022", allow_month=True).value == dt.date(2022, 10, 1)
    assert parse_date("13/2022", allow_month=True).error == "field.not_date"
    assert parse_date("10/2022").error == "field.not_date"


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_round_trip(d):
    assert parse_date(d.strftime("%d/%m/%Y")).value == d
    assert parse_date(f"ngày {d.day} tháng {d.month} năm {d.year}").value == d


def test_date_in_a_title_line():
    assert find_date("BÁO CÁO NGÀY 05/8/2021") == dt.date(2021, 8, 5)
    assert find_date("Lạng Sơn, ngày 05 tháng 8 năm 2021") == dt.date(2021, 8, 5)
    assert find_date("Báo cáo kết quả") is None


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84912345678",
        "84912345678",
        912345678.0,
        "912345678",
    ],
)
def test_phones(typed):
    assert parse_phone(typed).value == "0912345678"


def test_bad_phone():
    assert parse_phone("09123").error == "field.bad_phone"
    assert parse_phone("gọi Zalo").error == "field.bad_phone"
