"""Inputs as people give them: files, folders and quoted globs."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from . import gsheets

SPREADSHEETS = (".xlsx", ".xlsm", ".xls")  # .xls: a finding says to save it as .xlsx


def _wanted(path: Path) -> bool:
    """A spreadsheet, not Excel's "~$name.xlsx" or LibreOffice's ".~lock.name#" file."""
    return path.suffix.lower() in SPREADSHEETS and not path.name.startswith(("~$", ".~lock."))


def expand_inputs(items: Iterable[str | Path]) -> list[str]:
    """Every input as a file: a folder gives its spreadsheets (recursively), a glob
    ("xa-*/*.xlsx", quoted so the shell left it) the files it matches; Google Sheets
    references, files and names that match nothing are kept as given (a missing file is
    then a finding, never a silent skip)."""
    out: list[str] = []
    for item in items:
        text = str(item)
        path = Path(text)
        if gsheets.parse_ref(text) is not None:
            out.append(text)
        elif path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and _wanted(p))
        elif not path.exists() and glob.has_magic(text):
            found = sorted(glob.glob(text, recursive=True))
            matched = [p for p in found if Path(p).is_file() and _wanted(Path(p))]
            out.extend(matched or [text])
        else:
            out.append(text)
    return list(dict.fromkeys(out))
