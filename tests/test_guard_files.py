"""What the guard says about each kind of file people send, code and detail exactly.

The packages here are built part by part (workbook, relationships, one sheet), so each
test changes one thing a real file could carry: a sheet's dimension, its rows, a missing
part, a DOCTYPE in one part, a relationship without a target. The detail is what the
official reads after the code's message, so it is pinned too.
"""

from __future__ import annotations

import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

from sheets_tool import guard

from .conftest import SAMPLES

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = f"{REL}/worksheet"


def workbook_xml(sheets: list[tuple[str | None, str]]) -> str:
    """``sheets``: (name or None for no name attribute, relationship id)."""
    tags = "".join(
        f'<sheet {"" if name is None else f"name={name!r} "}sheetId="{n}" r:id="{rid}"/>'
        for n, (name, rid) in enumerate(sheets, 1)
    )
    return f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{tags}</sheets></workbook>'


def rels_xml(targets: dict[str, str | None]) -> str:
    """Relationship id → target (None: no Target attribute)."""
    tags = "".join(
        f'<Relationship Id="{rid}" Type="{SHEET_TYPE}"'
        + ("" if target is None else f' Target="{target}"')
        + "/>"
        for rid, target in targets.items()
    )
    return f'<Relationships xmlns="{PKG}">{tags}</Relationships>'


def sheet_xml(body: str = "", dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'


def package(tmp_path: Path, parts: dict[str, str | bytes], name: str = "t.xlsx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return path


def book(tmp_path: Path, sheet: str, **more: str | bytes) -> Path:
    """A one-sheet package ("Báo cáo") whose sheet part is ``sheet``."""
    parts: dict[str, str | bytes] = {
        "xl/workbook.xml": workbook_xml([("Báo cáo", "rId1")]),
        "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "worksheets/sheet1.xml"}),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update({k.replace("__", "/"): v for k, v in more.items()})
    return package(tmp_path, parts)


def found(path: Path) -> tuple[str | None, str]:
    got = guard.inspect(path)
    return got.code, got.detail


# --- what a file that is not a zip package seems to be ---------------------------------


@pytest.mark.parametrize(
    "head, seems",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"<!DOCTYPE html><html><body>", "HTML"),
        (b"<!DOCTYPE HTML PUBLIC>", "HTML"),
        (b"  \r\n<HTML><body>", "HTML"),  # leading blank lines, capitals
        (b"<div><TABLE><tr><td>1</td></tr></TABLE></div>", "HTML"),
        (b"<?xml version='1.0'?><Workbook/>", "XML"),
        (b"\n<?XML version='1.0'?>", "XML"),
        (b"{\\rtf1\\ansi Bao cao}", "RTF"),
        (b"\xff\xfe\x00\x01binary", "binary"),
        (b"STT,Ten thon,So ho\n1,Phu Cu,312\n", "CSV/text"),
        (b"STT;Ten thon;So ho\n", "CSV/text"),
        (b"STT\tTen thon\tSo ho\n", "CSV/text"),
        ("Báo cáo tháng 3\n".encode(), "text"),
        # a Vietnamese CSV whose 4,096th byte falls inside a letter ("ộ" is 3 bytes)
        (b"STT,Ten\n" + b"x" * 4086 + "ộ,312\n".encode(), "CSV/text"),
        (b"STT;Ten\n" + b"x" * 4087 + "ộ;312\n".encode(), "CSV/text"),
    ],
)
def test_a_file_that_is_no_package_is_named(tmp_path, head, seems):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(head)
    assert found(path) == ("file.not_xlsx", seems)


def test_a_missing_file_an_empty_one_and_a_folder(tmp_path):
    assert found(tmp_path / "nowhere.xlsx") == ("file.not_found", "")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert found(tmp_path / "empty.xlsx") == ("file.empty", "")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert found(folder) == ("file.corrupt", "Is a directory")


def test_legacy_and_encrypted_compound_files(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 5000
    legacy = tmp_path / "cu.xlsx"
    legacy.write_bytes(ole)
    assert found(legacy) == ("file.legacy_xls", "")
    # the mark of an encrypted package lies past the first 4 KB the guard looks at first
    encrypted = tmp_path / "mat-khau.xlsx"
    encrypted.write_bytes(ole + "EncryptionInfo".encode("utf-16-le"))
    got = guard.inspect(encrypted)
    assert (got.code, got.ok) == ("file.encrypted", False)
    # the search for the mark stops after 8 MiB
    far = tmp_path / "far.xlsx"
    far.write_bytes(ole + b"\0" * (8 * 1024 * 1024) + "EncryptionInfo".encode("utf-16-le"))
    assert found(far) == ("file.legacy_xls", "")


def test_zip_packages_that_are_not_workbooks(tmp_path):
    assert found(package(tmp_path, {"a.txt": "x"})) == ("file.not_xlsx", "zip")
    docx = package(tmp_path, {"word/document.xml": "<w/>"}, "d.xlsx")
    assert found(docx) == ("file.not_xlsx", "Word .docx")
    ods = package(tmp_path, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})
    assert found(ods) == ("file.not_xlsx", "OpenDocument .ods")


def test_a_zip_that_is_broken(tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    assert found(path) == ("file.corrupt", "File is not a zip file")


def test_a_package_without_the_workbook_relationships(tmp_path):
    path = package(
        tmp_path,
        {"xl/workbook.xml": workbook_xml([("A", "rId1")]), "xl/worksheets/sheet1.xml": "<a/>"},
    )
    assert found(path) == (
        "file.corrupt",
        "workbook structure: \"There is no item named 'xl/_rels/workbook.xml.rels' "
        'in the archive"',
    )


def test_a_damaged_compressed_part(tmp_path):
    path = book(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' * 200))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    code, detail = found(path)
    assert code == "file.corrupt"
    assert detail.startswith("Error -3 while decompressing data")


# --- the parts of a package ------------------------------------------------------------


def test_a_plain_workbook_passes(tmp_path):
    path = book(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', "A1"))
    got = guard.inspect(path)
    assert (got.ok, got.code, got.detail, got.formulas_without_value) == (True, None, "", {})


def test_an_empty_sheet_without_dimension_or_rows_passes(tmp_path):
    assert guard.inspect(book(tmp_path, sheet_xml())).ok


def test_a_sheet_its_relationships_point_nowhere(tmp_path):
    path = package(
        tmp_path,
        {
            "xl/workbook.xml": workbook_xml([("A", "rId1")]),
            "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "worksheets/sheet9.xml"}),
        },
    )
    assert found(path) == ("file.corrupt", "missing part xl/worksheets/sheet9.xml")


def test_absolute_targets_and_a_relationship_without_target(tmp_path):
    sheet = sheet_xml(dimension="A1:XFD1048576")
    absolute = package(
        tmp_path,
        {
            "xl/workbook.xml": workbook_xml([("A", "rId1")]),
            "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "/xl/worksheets/sheet1.xml"}),
            "xl/worksheets/sheet1.xml": sheet,
        },
        "absolute.xlsx",
    )
    assert found(absolute)[0] == "file.too_large"  # the part was found and looked at
    no_target = package(
        tmp_path,
        {
            "xl/workbook.xml": workbook_xml([("A", "rId1"), ("B", "rId2")]),
            "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "worksheets/sheet1.xml", "rId2": None}),
            "xl/worksheets/sheet1.xml": sheet_xml(),
        },
        "no-target.xlsx",
    )
    assert found(no_target) == ("file.corrupt", "missing part xl")


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"]
)
@pytest.mark.parametrize(
    "declaration", ["<!DOCTYPE x>", '<!ENTITY e "x">', '<!DOCTYPE x [<!ENTITY e "x">]>']
)
def test_a_doctype_or_an_entity_in_any_xml_part_is_refused(tmp_path, part, declaration):
    parts: dict[str, str | bytes] = {
        "xl/workbook.xml": workbook_xml([("A", "rId1")]),
        "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "worksheets/sheet1.xml"}),
        "xl/worksheets/sheet1.xml": sheet_xml(),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"/>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"/>',
    }
    parts[part] = '<?xml version="1.0"?>' + declaration + str(parts[part])
    assert found(package(tmp_path, parts)) == ("file.unsafe", f"{part}: DOCTYPE/ENTITY")


# --- a sheet's size, from its dimension, its rows and its cells ------------------------


@pytest.mark.parametrize(
    "sheet, rows, cols",
    [
        (sheet_xml(dimension="A1:XFD1048576"), 1_048_576, 16_384),
        (sheet_xml(dimension="ZZ40000"), 40_000, 702),  # a single-cell reference
        (sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "A1:AD2"), 1_048_576, 30),
        (sheet_xml('<row r="1"><c r="AAA1"><v>1</v></c></row><row r="50000"/>'), 50_000, 703),
    ],
    ids=["dimension", "one-cell-dimension", "rows-beyond-dimension", "cells-without-dimension"],
)
def test_a_sheet_too_large_is_refused_with_its_size(tmp_path, monkeypatch, sheet, rows, cols):
    monkeypatch.setattr(guard, "MAX_CELLS", 30_000_000)
    if rows * cols <= guard.MAX_CELLS:
        monkeypatch.setattr(guard, "MAX_CELLS", rows * cols - 1)
    path = book(tmp_path, sheet)
    assert found(path) == ("file.too_large", f"sheet 'Báo cáo': {rows:,} rows × {cols:,} columns")
    monkeypatch.setattr(guard, "MAX_CELLS", rows * cols)  # exactly at the cap: read
    assert guard.inspect(path).ok


def test_a_sheet_without_a_name_is_named_empty(tmp_path):
    path = package(
        tmp_path,
        {
            "xl/workbook.xml": workbook_xml([(None, "rId1")]),
            "xl/_rels/workbook.xml.rels": rels_xml({"rId1": "worksheets/sheet1.xml"}),
            "xl/worksheets/sheet1.xml": sheet_xml(dimension="A1:XFD1048576"),
        },
    )
    assert found(path) == ("file.too_large", "sheet '': 1,048,576 rows × 16,384 columns")


def test_formulas_without_values_are_listed_by_sheet(tmp_path):
    body = (
        '<row r="2"><c r="B2"><f>SUM(A1:A3)</f></c><c r="C2"><f>1+1</f><v>2</v></c>'
        '<c r="D2" t="str"><f>A1</f><v></v></c><c r="E2"><f t="shared" si="0"/></c></row>'
    )
    got = guard.inspect(book(tmp_path, sheet_xml(body, "A1:E2")))
    assert got.ok and got.formulas_without_value == {"Báo cáo": ["B2", "D2", "E2"]}


# --- compressed size against uncompressed size -----------------------------------------


def test_the_ratio_check_applies_only_above_its_size(tmp_path, monkeypatch):
    sample = SAMPLES / "good" / "nghe-an-hung-dung-monthly-2023-03.xlsx"
    monkeypatch.setattr(guard, "MIN_RATIO_CHECK", 0)  # every part is checked: none inflates
    assert guard.inspect(sample).ok
    padded = book(tmp_path, sheet_xml() + " " * 100_000)
    with zipfile.ZipFile(padded) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    ratio = Fraction(info.file_size, info.compress_size)
    assert ratio > 200
    monkeypatch.setattr(guard, "MAX_RATIO", ratio)  # exactly at the ratio: read
    assert guard.inspect(padded).ok
    monkeypatch.setattr(guard, "MAX_RATIO", ratio - Fraction(1, 1000))
    assert found(padded) == ("file.too_large", "xl/worksheets/sheet1.xml: compression ratio")
    monkeypatch.setattr(guard, "MIN_RATIO_CHECK", info.file_size)  # exactly at the size: read
    assert guard.inspect(padded).ok


def test_the_member_cap_names_the_member(tmp_path, monkeypatch):
    path = book(tmp_path, sheet_xml() + " " * 5000)
    monkeypatch.setattr(guard, "MAX_MEMBER_BYTES", 5000)
    size = len(sheet_xml()) + 5000
    assert found(path) == ("file.too_large", f"xl/worksheets/sheet1.xml: {size} bytes")
