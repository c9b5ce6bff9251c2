"""A1 notation as the Sheets API reads and writes it.

``'Sheet 1'!A1:C3``, ``Sheet1!A:A``, ``Sheet1!2:4``, ``Sheet1`` (the whole sheet) and a
bare ``A1:B2`` (the first sheet). Indexes are 0-based, ends exclusive, None for
unbounded, as in the API's GridRange.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d*)$")
# a title needs quotes when it is not letters, digits and underscores, or when it could
# be read as a cell or a range ("A1", "R1C1", "D3"); the recordings show 'D3'!A1 sent and
# Sheet1!A1 answered
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d+[Cc]\d+$|^[Rr]\d*$|^[Cc]\d*$")


class RangeError(ValueError):
    """Not a range the API can parse."""


@dataclass(frozen=True)
class Span:
    """A parsed A1 range: the sheet's title (None: the first sheet) and its bounds."""

    title: str | None
    r0: int | None = None
    c0: int | None = None
    r1: int | None = None
    c1: int | None = None
    single: bool = False  # one cell ("A1"), not an open range ("A1:A")


def col_letters(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote(title: str) -> str:
    """A title as the API writes it in a range: quoted only where it must be."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _split_title(text: str) -> tuple[str | None, str]:
    if text.startswith("'"):
        i, out = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    out.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest and not rest.startswith("!"):
                    raise RangeError(text)
                return "".join(out), rest[1:] if rest else ""
            out.append(text[i])
            i += 1
        raise RangeError(text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def parse(text: str, titles: list[str]) -> Span:
    """Parse ``text`` against the spreadsheet's sheet titles (a bare word that is a title
    is that whole sheet, as the API reads it)."""
    text = text.strip()
    if not text:
        raise RangeError(text)
    title, cells = _split_title(text)
    if title is None:
        if text in titles:
            return Span(text)
        cells = text
    if not cells:
        return Span(title)
    first, _, last = cells.partition(":")
    a = _CELL.match(first)
    b = _CELL.match(last) if last else a
    if not a or not b or not (a.group(1) or a.group(2)):
        raise RangeError(text)
    c0 = col_index(a.group(1)) if a.group(1) else None
    r0 = int(a.group(2)) - 1 if a.group(2) else None
    c1 = col_index(b.group(1)) + 1 if b.group(1) else None
    r1 = int(b.group(2)) if b.group(2) else None
    if (r0 is not None and r0 < 0) or (r1 is not None and r1 < 1):
        raise RangeError(text)
    if last:  # a reversed range is read in order, as Google does (B2:A1 is A1:B2)
        if c0 is not None and c1 is not None and c1 <= c0:
            c0, c1 = c1 - 1, c0 + 1
        if r0 is not None and r1 is not None and r1 <= r0:
            r0, r1 = r1 - 1, r0 + 1
        if c0 is None and c1 is not None and r0 is not None:
            c0 = 0  # "A:B" style is fine; "2:A5"-like forms take column A as start
    else:
        if c0 is not None and r0 is None:
            raise RangeError(text)  # "A" alone is a sheet name, not a column
        return Span(title, r0, c0, r1, c1, single=True)
    return Span(title, r0, c0, r1, c1)


def cell_name(row: int, col: int) -> str:
    return f"{col_letters(col)}{row + 1}"


def format_span(title: str, r0: int, c0: int, r1: int, c1: int) -> str:
    """The API's answer form: ``Sheet1!A1:C3``, ``Sheet1!A2`` for one cell."""
    start, end = cell_name(r0, c0), cell_name(r1 - 1, c1 - 1)
    return f"{quote(title)}!{start}" + ("" if start == end else f":{end}")
