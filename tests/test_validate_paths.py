"""validate_paths, the library's entry point: the template it is given is the one each
file is held to, and a file that breaks the reader in an unforeseen way is one
``file.unreadable`` finding unless ``debug=True`` asks for the exception."""

from __future__ import annotations

import pytest

from sheets_tool import validate
from sheets_tool.validate import validate_paths

from .conftest import SAMPLES

ROSTER = SAMPLES / "good" / "ha-tinh-tung-anh-roster.xlsx"


def test_the_given_template_is_the_one_the_file_is_held_to():
    (auto,) = validate_paths([ROSTER]).files
    assert (auto.template, auto.readable, auto.records) == ("roster", True, 12)
    report = validate_paths([ROSTER], "daily")
    (daily,) = report.files
    assert (daily.template, daily.readable, daily.records) == ("daily", False, 0)
    assert [f.code for f in daily.findings] == ["file.no_header"]
    assert report.exit_code() == 2


@pytest.fixture
def reader_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path, template=None, **options):
        raise KeyError("styles.xml")

    monkeypatch.setattr(validate, "read_workbook", broken)


@pytest.mark.usefixtures("reader_breaks")
def test_a_file_that_breaks_the_reader_is_one_unreadable_finding():
    report = validate_paths([ROSTER], profile="ha-tinh-2022")
    (fr,) = report.files
    assert (fr.path, fr.readable) == (str(ROSTER), False)
    assert [(f.severity, f.code) for f in fr.findings] == [("error", "file.unreadable")]
    assert fr.findings[0].message("en") == (
        "The file could not be read (KeyError: 'styles.xml'). Open it in Excel, save it and "
        "try again; if it still fails, send the file to the developers."
    )
    assert report.exit_code() == 2


@pytest.mark.usefixtures("reader_breaks")
def test_debug_raises_the_reader_failure_instead():
    with pytest.raises(KeyError, match=r"styles\.xml"):
        validate_paths([ROSTER], debug=True)
