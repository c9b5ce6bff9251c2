"""When a report is due, to the second: a daily report at 17:00 on its day, a monthly one
to the very end of the 20th of the next month (December's in January), so a monthly
report whose "Thời gian gửi" is 23:59:30 on the 20th is on time."""

from __future__ import annotations

import datetime as dt

import pytest

from sheets_tool.store import Deadlines

DEADLINES = Deadlines()


@pytest.mark.parametrize(
    ("kind", "period", "due"),
    [
        ("daily", "2021-08-05", dt.datetime(2021, 8, 5, 17, 0)),
        ("monthly", "2023-03", dt.datetime(2023, 4, 20, 23, 59, 59)),
        ("monthly", "2023-12", dt.datetime(2024, 1, 20, 23, 59, 59)),
        ("roster", "", None),
    ],
)
def test_when_each_kind_of_report_is_due(kind, period, due):
    assert DEADLINES.due(kind, period) == due


@pytest.mark.parametrize(
    ("sent", "status"),
    [
        (dt.datetime(2023, 4, 20, 23, 59, 30), "on_time"),
        (dt.datetime(2023, 4, 20, 23, 59, 59), "on_time"),
        (dt.datetime(2023, 4, 21, 0, 0, 0), "late"),
    ],
)
def test_a_monthly_report_sent_in_the_last_minute_of_the_20th_is_on_time(sent, status):
    assert DEADLINES.status("monthly", "2023-03", sent) == status


def test_a_team_s_own_monthly_day_is_due_to_its_last_second():
    assert Deadlines(monthly_day=10).due("monthly", "2023-03") == dt.datetime(
        2023, 4, 10, 23, 59, 59
    )
