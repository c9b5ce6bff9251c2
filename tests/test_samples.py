"""Golden findings: every sample workbook against the findings written beside it."""

import json
from pathlib import Path

import pytest

from sheets_tool.validate import validate_paths

from .conftest import SAMPLES, sha256

EXPECTED = sorted(SAMPLES.glob("*/*.expected.json"))


def _workbook_for(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    (found,) = [
        p
        for p in expected.parent.iterdir()
        if p.name.startswith(stem + ".") and not p.name.endswith(".json")
    ]
    return found


def test_there_are_good_and_bad_samples():
    assert len([p for p in EXPECTED if p.parent.name == "good"]) >= 4
    assert len([p for p in EXPECTED if p.parent.name == "bad"]) >= 15


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_findings(expected):
    doc = json.loads(expected.read_text(encoding="utf-8"))
    path = _workbook_for(expected)
    before = sha256(path)
    report = validate_paths([path], doc["template"], doc["profile"])
    got = sorted((f.severity, f.code, f.sheet, f.cell) for f in report.files[0].findings)
    want = sorted((f["severity"], f["code"], f["sheet"], f["cell"]) for f in doc["findings"])
    assert got == want
    assert report.exit_code() == doc["exit"]
    assert sha256(path) == before


def test_good_samples_have_no_errors():
    good = sorted((SAMPLES / "good").glob("*.xlsx"))
    report = validate_paths(good, profile="ha-tinh-2022")
    assert report.errors == 0
    assert report.exit_code() == 0
    assert report.records == 12 + 8 + 16 + 7 * 6 + 5


def test_every_template_has_a_good_sample():
    report = validate_paths(sorted((SAMPLES / "good").glob("*.xlsx")))
    assert {f.template for f in report.files} == {"roster", "steering", "daily", "monthly"}


def test_a_commune_roster_and_steering_committee_together(make_xlsx):
    """Tùng Ảnh: the committee looks after every village that has a team."""
    roster = SAMPLES / "good" / "ha-tinh-tung-anh-roster.xlsx"
    steering = SAMPLES / "good" / "ha-tinh-tung-anh-steering.xlsx"
    report = validate_paths([roster, steering], profile="ha-tinh-2022")
    assert report.errors == 0
    assert not [f for f in report.files[1].findings if f.code.startswith("steering.")]
    # a committee of the same commune whose task table forgets Trung Hòa
    partial = make_xlsx(
        [
            ["UBND XÃ TÙNG ẢNH"],
            [],
            ["TT", "Họ và tên", "Nhiệm vụ được phân công", "Thôn phụ trách"],
            [1, "Nguyễn Văn Hải", "Phụ trách chung", "Thôn Đông Thái"],
            [2, "Lê Doãn Lợi", "Kinh tế số", "Thôn Thông Tự"],
        ]
    )
    report = validate_paths([roster, partial], profile="ha-tinh-2022")
    found = [(f.code, f.value) for f in report.files[1].findings]
    assert found == [("steering.village_unassigned", "Thôn Trung Hòa")]
    # another commune's committee is not held to Tùng Ảnh's villages
    other = SAMPLES / "good" / "ninh-binh-yen-hoa-steering.xlsx"
    report = validate_paths([roster, other], profile="ha-tinh-2022")
    assert report.files[1].findings == []
