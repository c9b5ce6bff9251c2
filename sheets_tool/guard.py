"""Look at a file before any parser touches it.

Tells an .xlsx from what people actually send (a legacy .xls, a password-protected
workbook, an empty or truncated download, a CSV renamed .xlsx), and refuses files that
would make the fast reader abort the whole process (FIELD-NOTES, "Hostile files"): a
member that inflates far beyond its size, a DOCTYPE/ENTITY, a sheet whose cell range
is absurdly large. It also finds formula cells saved without a cached value, which the
value reader cannot tell from empty cells. About a millisecond for a village file.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, above MIN_RATIO_CHECK bytes
MIN_RATIO_CHECK = 16 * 1024 * 1024
MAX_CELLS = 30_000_000  # rows × columns of a sheet's used range

_CELL_COL = re.compile(rb'<c r="([A-Z]{1,3})\d+"')
_ROW_NUM = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d+)"')
# a formula cell with no <v> (or an empty one) before </c>
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3}\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)'
    rb"\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Inspection:
    """What the guard found: either a refusal (``code``), or facts for the reader."""

    code: str | None = None  # a "file.*" finding code when the file is refused
    detail: str = ""
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)  # sheet → cells

    @property
    def ok(self) -> bool:
        return self.code is None


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _sniff(head: bytes) -> str:
    """A few words on what a non-zip file seems to be, for the message."""
    text = head.lstrip().lower()
    if head.startswith(b"%PDF"):
        return "PDF"
    if text.startswith((b"<!doctype html", b"<html")) or b"<table" in text:
        return "HTML"
    if text.startswith(b"<?xml"):
        return "XML"
    if head.startswith(b"{\\rtf"):
        return "RTF"
    try:  # the head may end inside a letter: an incomplete last letter is no error
        sample = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "binary"
    return "CSV/text" if ("," in sample or ";" in sample or "\t" in sample) else "text"


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels_xml = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels_xml.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(target)
    out = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            out[sheet.get("name", "")] = targets[rid]
    return out


def inspect(path: str | Path) -> Inspection:
    """Check ``path`` before reading it; never raises for a bad file. A file looked at
    again unchanged (same inode, size and modification time, and the same limits) is
    not inspected again: consolidation asks once to tell summaries from reports and once
    to read it."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return Inspection("file.not_found")
    except OSError as exc:
        return Inspection("file.corrupt", exc.strerror or str(exc))
    limits = (MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, MAX_RATIO, MIN_RATIO_CHECK, MAX_CELLS)
    return _inspect(p.resolve(), st.st_ino, st.st_size, st.st_mtime_ns, limits)


@lru_cache(maxsize=1024)
def _inspect(p: Path, _ino: int, size: int, _mtime: int, _limits: tuple[int, ...]) -> Inspection:
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        return Inspection("file.not_found")
    except OSError as exc:
        return Inspection("file.corrupt", exc.strerror or str(exc))
    if size == 0:
        return Inspection("file.empty")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE compound file: an encrypted OOXML package or a legacy .xls
        with p.open("rb") as fh:
            blob = fh.read(min(size, 8 * 1024 * 1024))
        if _ENCRYPTION_MARK in blob:
            return Inspection("file.encrypted")
        return Inspection("file.legacy_xls")
    if not head.startswith(b"PK"):
        return Inspection("file.not_xlsx", _sniff(head))
    try:
        return _inspect_zip(p)
    except zipfile.BadZipFile as exc:
        return Inspection("file.corrupt", str(exc))
    except (KeyError, ElementTree.ParseError) as exc:
        return Inspection("file.corrupt", f"workbook structure: {exc}")
    except (UnsafeXML, DefusedXmlException) as exc:
        return Inspection("file.unsafe", str(exc) or type(exc).__name__)
    except (EOFError, OSError, ValueError, zlib.error) as exc:
        return Inspection("file.corrupt", str(exc) or type(exc).__name__)


def _inspect_zip(p: Path) -> Inspection:
    with zipfile.ZipFile(p) as zf:
        names = set(zf.namelist())
        if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
            return Inspection("file.not_xlsx", "OpenDocument .ods")
        if "xl/workbook.xml" not in names:
            if "word/document.xml" in names:
                return Inspection("file.not_xlsx", "Word .docx")
            return Inspection("file.not_xlsx", "zip")
        total = 0
        for info in zf.infolist():
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                return Inspection("file.too_large", f"{info.filename}: {info.file_size} bytes")
            if info.file_size > MIN_RATIO_CHECK and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                return Inspection("file.too_large", f"{info.filename}: compression ratio")
        for name in ("xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"):
            if name in names:
                _check_xml_prolog(zf.read(name)[:4096], name)
        result = Inspection()
        for sheet, part in _sheet_paths(zf).items():
            if part not in names:
                return Inspection("file.corrupt", f"missing part {part}")
            data = zf.read(part)  # reading checks the CRC: a truncated part fails here
            _check_xml_prolog(data[:4096], part)
            rows = 0
            cols = 0
            dim = _DIMENSION.search(data, 0, 4096)
            if dim:
                cols, rows = _col_number(dim.group(1)), int(dim.group(2))
            row_nums = _ROW_NUM.findall(data)
            if row_nums:
                rows = max(rows, max(map(int, row_nums)))
            col_letters = set(_CELL_COL.findall(data))
            if col_letters:
                cols = max(cols, max(map(_col_number, col_letters)))
            if rows * cols > MAX_CELLS:
                return Inspection(
                    "file.too_large", f"sheet '{sheet}': {rows:,} rows × {cols:,} columns"
                )
            if b"<f" in data:
                cells = [m.decode() for m in _FORMULA_NO_VALUE.findall(data)]
                if cells:
                    result.formulas_without_value[sheet] = cells
        return result


class UnsafeXML(Exception):
    """A part declares a DOCTYPE or an ENTITY: refused before any parser sees it."""


def _check_xml_prolog(head: bytes, name: str) -> None:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeXML(f"{name}: DOCTYPE/ENTITY")
