"""The guard's size caps, each on its own: one member's uncompressed size and the whole
package's. The caps are lowered for the test so the files stay tiny; a file exactly at a
cap passes, one byte over it is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sheets_tool import guard

BIG = 10**12  # a cap that never matters


@pytest.fixture
def book(make_xlsx) -> Path:
    return make_xlsx([["STT", "Tên thôn", "Tổng số hộ"], [1, "Phố Cũ", 312]])


def sizes(path: Path) -> list[int]:
    with zipfile.ZipFile(path) as zf:
        return [info.file_size for info in zf.infolist()]


def test_the_workbook_passes_with_the_real_caps(book):
    assert guard.inspect(book).ok
    assert max(sizes(book)) < 10**6  # tiny: the caps below are lowered to reach it


def test_a_member_larger_than_the_member_cap_is_refused(book, monkeypatch):
    largest = max(sizes(book))
    assert sorted(sizes(book))[-2] < largest  # one member alone is over the cap below
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", BIG)
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", largest - 1)
    found = guard.inspect(book)
    assert (found.code, found.ok) == ("file.too_large", False)
    assert f"{largest} bytes" in found.detail


def test_a_member_at_the_member_cap_passes(book, monkeypatch):
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", BIG)
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", max(sizes(book)))
    assert guard.inspect(book).ok


def test_members_together_larger_than_the_total_cap_are_refused(book, monkeypatch):
    total = sum(sizes(book))
    assert max(sizes(book)) < total - 1  # no member alone reaches the cap below
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", BIG)
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", total - 1)
    found = guard.inspect(book)
    assert (found.code, found.ok) == ("file.too_large", False)


def test_members_together_at_the_total_cap_pass(book, monkeypatch):
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", BIG)
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", sum(sizes(book)))
    assert guard.inspect(book).ok


def test_many_small_members_add_up_to_the_total_cap(tmp_path, book, monkeypatch):
    """Forty members of 1 KB each, none large: the total alone refuses the file."""
    padded = tmp_path / "padded.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for n in range(40):
            dst.writestr(f"customXml/item{n}.xml", b"<a>" + b" " * 1017 + b"</a>")
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", BIG)
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", sum(sizes(book)) + 40 * 1024 - 1)
    assert guard.inspect(padded).code == "file.too_large"
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", sum(sizes(book)) + 40 * 1024)
    assert guard.inspect(padded).ok
    # and the workbook itself is still read
    monkeypatch.undo()
    assert guard.inspect(padded).ok
