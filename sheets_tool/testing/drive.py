"""Drive v3 as gspread and sheets-tool use it: spreadsheet files (create, copy, delete,
get, list with a ``q`` query, export as .xlsx or .csv), their permissions (who may read,
who may write) and their modified times and versions.

Shapes follow the recordings (``files.create`` answers kind, id, name and mimeType;
``files.list`` answers kind and files); the query language is the subset Drive's
documentation gives for search by name, mime type, trashed, parents and modified time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from . import cells
from .model import ApiError, Spreadsheet

SPREADSHEET = "application/vnd.google-apps.spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLES = {"reader": 1, "commenter": 1, "writer": 2, "fileOrganizer": 2, "organizer": 2, "owner": 3}


def now_text(clock: dt.datetime | None = None) -> str:
    t = clock or dt.datetime.now(dt.UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def new_key() -> str:
    """An id shaped like Google's (44 characters of [A-Za-z0-9_-], starting with 1)."""
    return "1" + secrets.token_urlsafe(32)[:43]


@dataclass
class File:
    id: str
    name: str
    book: Spreadsheet
    owner: str
    created: str = field(default_factory=now_text)
    modified: str = ""
    version: int = 1
    last_user: str = ""
    permissions: dict[str, str] = field(default_factory=dict)  # email → role
    trashed: bool = False

    def __post_init__(self) -> None:
        self.modified = self.modified or self.created
        self.last_user = self.last_user or self.owner
        self.permissions.setdefault(self.owner, "owner")
        self.book.changed = self.touch

    editor: str = ""  # who is writing now (set by the server around each request)

    def touch(self) -> None:
        self.modified = now_text()
        self.version += 1
        self.last_user = self.editor or self.owner

    def role(self, email: str | None) -> int:
        if email is None:
            return ROLES["owner"]  # authentication off (replay)
        return max(
            ROLES.get(self.permissions.get(email, ""), 0),
            ROLES.get(self.permissions.get("anyone", ""), 0),
        )

    def resource(self) -> dict[str, Any]:
        return {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": SPREADSHEET,
            "createdTime": self.created,
            "modifiedTime": self.modified,
            "version": str(self.version),
            "trashed": self.trashed,
            "lastModifyingUser": {"kind": "drive#user", "emailAddress": self.last_user},
            "owners": [{"kind": "drive#user", "emailAddress": self.owner}],
        }


DEFAULT_FIELDS = ("kind", "id", "name", "mimeType")


def not_found(file_id: str) -> ApiError:
    """Drive's 404 (its error shape carries the older ``errors`` list)."""
    message = f"File not found: {file_id}."
    return ApiError(
        404,
        message,
        errors=[
            {
                "message": message,
                "domain": "global",
                "reason": "notFound",
                "location": "fileId",
                "locationType": "parameter",
            }
        ],
    )


# -- the q language ------------------------------------------------------------

_TERM = re.compile(
    r"""\s*(?:(?P<not>not)\s+)?(?:
        (?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s+in\s+(?P<list>parents|owners|writers|readers)
      | (?P<field>name|mimeType|trashed|modifiedTime|createdTime|fullText)\s*
        (?P<op>!=|<=|>=|=|<|>|contains)\s*(?P<rhs>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|true|false)
    )\s*""",
    re.X,
)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def matches(q: str, f: File) -> bool:
    """Whether ``f`` matches a Drive query (terms joined by and/or, left to right)."""
    pos, result, joiner = 0, True, "and"
    q = q.strip()
    if not q:
        return True
    while pos < len(q):
        m = _TERM.match(q, pos)
        if not m:
            raise ApiError(400, "Invalid Value", errors=[{"reason": "invalid", "location": "q"}])
        ok = _term(m, f)
        result = (result and ok) if joiner == "and" else (result or ok)
        pos = m.end()
        j = re.match(r"\s*(and|or)\s+", q[pos:])
        if j:
            joiner = j.group(1)
            pos += j.end()
    return result


def _term(m: re.Match[str], f: File) -> bool:
    if m.group("list"):
        value = _unquote(m.group("value"))
        if m.group("list") == "parents":
            ok = value == "root"
        elif m.group("list") == "owners":
            ok = value == f.owner
        else:
            need = 2 if m.group("list") == "writers" else 1
            ok = f.role(value) >= need
    else:
        name, op, rhs = m.group("field"), m.group("op"), m.group("rhs")
        actual: Any = {
            "name": f.name,
            "mimeType": SPREADSHEET,
            "trashed": f.trashed,
            "modifiedTime": f.modified,
            "createdTime": f.created,
            "fullText": f.name,
        }[name]
        wanted: Any = rhs == "true" if rhs in ("true", "false") else _unquote(rhs)
        if name.endswith("Time"):
            actual, wanted = _time(actual), _time(wanted)
        ok = _holds(op, actual, wanted)
    return not ok if m.group("not") else ok


def _holds(op: str, actual: Any, wanted: Any) -> bool:
    if op == "contains":
        return str(wanted).lower() in str(actual).lower()
    return bool(
        {
            "=": actual == wanted,
            "!=": actual != wanted,
            "<": actual < wanted,
            "<=": actual <= wanted,
            ">": actual > wanted,
            ">=": actual >= wanted,
        }[op]
    )


def _time(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


# -- export --------------------------------------------------------------------


def export_csv(book: Spreadsheet) -> bytes:
    """The first sheet as CSV of its formatted values (what Drive exports)."""
    sheet = book.sheets[0]
    rows, cols = sheet.extent()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r in range(rows):
        writer.writerow(
            [
                cells.render(
                    sheet.cells.get((r, c)), "FORMATTED_VALUE", "FORMATTED_STRING", book.locale
                )
                or ""
                for c in range(cols)
            ]
        )
    return out.getvalue().rstrip("\r\n").encode()


def export_xlsx(book: Spreadsheet) -> bytes:
    """The spreadsheet as .xlsx: values, formulas (in Excel's comma syntax, without a
    cached result, so that a spreadsheet program recalculates them), number formats,
    merges. Enough to check a summary by recalculating it in LibreOffice."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    formats: dict[str, Any] = {}
    for sheet in book.sheets:
        ws = wb.add_worksheet(sheet.title[:31])
        for (r, c), cell in sorted(sheet.cells.items()):
            value = cell.get("userEnteredValue")
            pattern = cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("pattern")
            fmt = None
            if pattern:
                fmt = formats.setdefault(
                    pattern, wb.add_format({"num_format": _excel_pattern(pattern)})
                )
            if not value:
                continue
            if "formulaValue" in value:
                ws.write_formula(r, c, to_excel_formula(value["formulaValue"], book.locale), fmt)
            elif "numberValue" in value:
                ws.write_number(r, c, value["numberValue"], fmt)
            elif "boolValue" in value:
                ws.write_boolean(r, c, value["boolValue"], fmt)
            elif "stringValue" in value:
                ws.write_string(r, c, value["stringValue"], fmt)
        for m in sheet.merges:
            if (
                m["endRowIndex"] - m["startRowIndex"] > 1
                or m["endColumnIndex"] - m["startColumnIndex"] > 1
            ):
                first = sheet.cells.get((m["startRowIndex"], m["startColumnIndex"]), {})
                ws.merge_range(
                    m["startRowIndex"],
                    m["startColumnIndex"],
                    m["endRowIndex"] - 1,
                    m["endColumnIndex"] - 1,
                    cells.render(first or None, "FORMATTED_VALUE", "FORMATTED_STRING", book.locale)
                    or "",
                )
    wb.close()
    return buf.getvalue()


def _excel_pattern(pattern: str) -> str:
    return pattern.replace("am/pm", "AM/PM")


def to_excel_formula(text: str, locale: str) -> str:
    """A formula as entered in ``locale`` in Excel's syntax (argument separator ",",
    decimal mark ".")."""
    if not cells.comma_decimal(locale):
        return text
    out, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if not quoted and ch == ",":
            out.append(".")
        elif not quoted and ch == ";":
            out.append(",")
        else:
            out.append(ch)
    return "".join(out)
