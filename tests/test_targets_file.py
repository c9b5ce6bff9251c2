"""The ``--targets`` TOML file: what an official may write in it, the defaults for what
they leave out, and the exact message for each mistake (the command prints it and exits 2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_tool.consolidate import Indicator, Targets, load_targets
from sheets_tool.hierarchy import ConsolidationError
from sheets_tool.store import Deadlines

pytestmark = pytest.mark.usefixtures("english")  # the messages asserted are English

SHOPS = ("shops_pct", "% hộ có cửa hàng số", "% households with an online shop", "shops")
SELLERS = ("sellers_pct", "% hộ có giao dịch", "% households that sold", "sellers")


def targets_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chi-tieu.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ConsolidationError) as info:
        load_targets(path)
    return str(info.value)


def test_no_file_gives_the_built_in_targets_and_deadlines():
    targets = load_targets(None)
    assert targets == Targets()
    assert [(i.key, i.target) for i in targets.indicators] == [
        ("shops_pct", 0.5),
        ("sellers_pct", 0.1),
    ]
    assert targets.deadlines == Deadlines(dt.time(17, 0), 20)


def test_an_empty_file_gives_the_defaults(tmp_path):
    assert load_targets(targets_file(tmp_path, "")) == Targets()


def test_targets_and_deadlines_from_the_file(tmp_path):
    path = targets_file(
        tmp_path,
        '[targets]\nshops_pct = 0.7\nsellers_pct = 0.25\n\n[deadlines]\ndaily = "16:30"\n'
        "monthly_day = 15\n",
    )
    targets = load_targets(str(path))  # a str path as well as a Path
    assert targets.indicators == (
        Indicator(*SHOPS, "households", 0.7),
        Indicator(*SELLERS, "households", 0.25),
    )
    assert targets.deadlines == Deadlines(dt.time(16, 30), 15)


def test_a_target_left_out_keeps_its_default_and_deadlines_default(tmp_path):
    targets = load_targets(targets_file(tmp_path, "[targets]\nshops_pct = 0.6\n"))
    assert targets.indicators == (
        Indicator(*SHOPS, "households", 0.6),
        Indicator(*SELLERS, "households", 0.1),
    )
    assert targets.deadlines == Deadlines(dt.time(17, 0), 20)


def test_deadlines_alone_keep_the_default_targets(tmp_path):
    targets = load_targets(targets_file(tmp_path, '[deadlines]\ndaily = "18:00"\n'))
    assert targets.indicators == Targets().indicators
    assert targets.deadlines == Deadlines(dt.time(18, 0), 20)
    monthly = load_targets(targets_file(tmp_path, "[deadlines]\nmonthly_day = 10\n"))
    assert monthly.deadlines == Deadlines(dt.time(17, 0), 10)


@pytest.mark.parametrize("share", [0, 0.0, 1, 1.0, 0.5])
def test_a_share_from_0_to_1_inclusive_is_a_target(tmp_path, share):
    targets = load_targets(targets_file(tmp_path, f"[targets]\nsellers_pct = {share}\n"))
    assert targets.indicators[1].target == share
    assert isinstance(targets.indicators[1].target, float)


@pytest.mark.parametrize(
    "value", ["-0.01", "1.01", "1.5", "2", "50", '"0.5"', '"half"', "true", "false"]
)
def test_a_target_that_is_not_a_share_is_refused(tmp_path, value):
    path = targets_file(tmp_path, f"[targets]\nshops_pct = {value}\n")
    assert refused(path) == f"{path}: target 'shops_pct' must be a share from 0 to 1"


def test_an_unknown_target_is_refused_naming_the_known_ones(tmp_path):
    path = targets_file(tmp_path, "[targets]\nshops_pct = 0.5\norders_pct = 0.3\n")
    assert refused(path) == (
        f"{path}: unknown target 'orders_pct' (one of ['sellers_pct', 'shops_pct'])"
    )


def test_a_missing_file_is_refused(tmp_path):
    path = tmp_path / "khong-co.toml"
    assert refused(path) == f"cannot read targets {path}: No such file or directory"


def test_a_file_that_is_not_toml_is_refused_with_the_line(tmp_path):
    path = targets_file(tmp_path, "[targets]\nshops_pct = \n")
    message = refused(path)
    assert message.startswith(f"{path}: not valid TOML: ")
    assert message.endswith("(at line 2, column 13)")


@pytest.mark.parametrize("day", [1, 28])
def test_monthly_day_from_1_to_28(tmp_path, day):
    targets = load_targets(targets_file(tmp_path, f"[deadlines]\nmonthly_day = {day}\n"))
    assert targets.deadlines == Deadlines(dt.time(17, 0), day)


@pytest.mark.parametrize("day", [0, 29, 31, -1])
def test_monthly_day_outside_1_to_28_is_refused(tmp_path, day):
    path = targets_file(tmp_path, f"[deadlines]\nmonthly_day = {day}\n")
    assert refused(path) == f"{path}: monthly_day must be from 1 to 28"


@pytest.mark.parametrize(
    "deadlines",
    [
        'daily = "5pm"',
        "daily = 1700",
        'daily = ""',
        'monthly_day = "twenty"',
        "monthly_day = [20]",
        "monthly_day = 20.7",
        "monthly_day = true",
    ],
)
def test_a_deadline_that_is_not_a_time_or_day_is_refused(tmp_path, deadlines):
    path = targets_file(tmp_path, f"[deadlines]\n{deadlines}\n")
    assert refused(path) == (
        f'{path}: deadlines are daily = "HH:MM" and monthly_day = a day of the month'
    )


@pytest.mark.parametrize("text", ["targets = 1\n", 'deadlines = "17:00"\n', "targets = [0.5]\n"])
def test_targets_or_deadlines_that_are_not_tables_are_refused(tmp_path, text):
    path = targets_file(tmp_path, text)
    assert refused(path) == (
        f"{path}: targets and deadlines are tables: [targets] shops_pct = 0.5, "
        '[deadlines] daily = "17:00"'
    )
