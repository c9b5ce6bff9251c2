"""Files that must be refused before the fast reader sees them."""

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

from sheets_tool import guard
from sheets_tool.consolidate import consolidate
from sheets_tool.registry import load_registry
from sheets_tool.store import Store
from sheets_tool.validate import validate_paths

from .conftest import CHI_LANG, SAMPLES


def _rezip(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


def test_doctype_and_entities_are_refused(tmp_path):
    src = SAMPLES / "good" / "nghe-an-hung-dung-monthly-2023-03.xlsx"
    dst = tmp_path / "xxe.xlsx"

    def inject(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
        return data

    _rezip(src, dst, inject)
    assert guard.inspect(dst).code == "file.unsafe"


def test_a_part_that_inflates_far_beyond_its_size_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MIN_RATIO_CHECK", 1024)
    src = SAMPLES / "good" / "nghe-an-hung-dung-monthly-2023-03.xlsx"
    dst = tmp_path / "bomb.xlsx"

    def pad(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b"</worksheet>", b"<!--" + b" " * 2_000_000 + b"--></worksheet>")
        return data

    _rezip(src, dst, pad)
    found = guard.inspect(dst)
    assert found.code == "file.too_large" and "ratio" in found.detail


def test_other_documents_are_named(tmp_path):
    docx = tmp_path / "bao-cao.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert (guard.inspect(docx).code, guard.inspect(docx).detail) == ("file.not_xlsx", "Word .docx")
    ods = tmp_path / "bao-cao-ods.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert guard.inspect(ods).detail == "OpenDocument .ods"
    html = tmp_path / "export.xlsx"
    html.write_text("<html><table><tr><td>1</td></tr></table></html>")
    assert guard.inspect(html).detail == "HTML"


def test_a_corrupt_part_is_caught(tmp_path):
    src = (SAMPLES / "good" / "nghe-an-hung-dung-monthly-2023-03.xlsx").read_bytes()
    buf = io.BytesIO(src)
    with zipfile.ZipFile(buf) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = bytearray(src)
    for i in range(start + 10, start + 60):
        broken[i] ^= 0x5A
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(broken))
    assert guard.inspect(path).code == "file.corrupt"


def test_one_bad_file_does_not_stop_the_others():
    paths = [
        SAMPLES / "bad" / "huge-range.xlsx",
        SAMPLES / "bad" / "legacy.xls",
        SAMPLES / "good" / "nghe-an-hung-dung-monthly-2023-03.xlsx",
    ]
    report = validate_paths(paths)
    assert [f.readable for f in report.files] == [False, False, True]
    assert report.files[2].records == 5


def test_a_file_is_inspected_once_until_it_changes(tmp_path, monkeypatch):
    """Consolidation asks about each input twice (summary or report, then reading it):
    the zip is looked into once; a file changed in between is looked into again."""
    registry = load_registry(CHI_LANG / "registry.xlsx")
    opened = []
    real = guard._inspect_zip
    monkeypatch.setattr(guard, "_inspect_zip", lambda p: opened.append(p.name) or real(p))
    files = [shutil.copy(p, tmp_path) for p in sorted((CHI_LANG / "daily").glob("*-05.xlsx"))]
    with Store(tmp_path / "s.db") as store:
        consolidate(
            files,
            level="district",
            registry=registry,
            store=store,
            day=dt.date(2021, 8, 5),
        )
    assert sorted(opened) == sorted(p.name for p in map(Path, files))
    opened.clear()
    first = Path(files[0])
    first.write_bytes(first.read_bytes()[:-100])  # cut short: looked at again, and refused
    assert guard.inspect(first).code == "file.corrupt"
    assert guard.inspect(files[1]).ok
    assert opened == [first.name]
