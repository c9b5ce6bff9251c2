"""The roster summary as a workbook: a sheet per function below, columns looked up by
key (so a formula never points at a column another function moved), headers in the
language asked for.

Sheets: the summary ("Tổng hợp", COUNTIFS/SUMIFS over the sheets after it), a row per
team ("Tổ"), a row per member ("Thành viên": a roster again, read back by the next
level), the villages without a team, the breaches ("Vi phạm") and the member list to
print and attach to a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from .files import save_workbook
from .report_book import write_findings
from .rosters import ROSTER_SHEETS, RosterSummary
from .templates import load_template
from .units import Unit

# (key, Vietnamese header, English header, width)
TEAM_COLUMNS = (
    ("unit_code", "Mã đơn vị", "Unit code", 18),
    ("unit", "Tổ", "Team", 22),
    ("commune_code", "Mã xã", "Commune code", 8),
    ("commune", "Xã", "Commune", 18),
    ("district_code", "Mã huyện", "District code", 9),
    ("district", "Huyện", "District", 16),
    ("members", "Số thành viên", "Members", 10),
    ("leader", "Tổ trưởng", "Team leader", 22),
    ("breaches", "Số vi phạm", "Breaches", 9),
    ("source", "Nguồn", "Source", 40),
)
# the members sheet is read back as a roster: its headers are the template's labels
MEMBER_COLUMNS = (
    ("stt", 5),
    ("unit_code", 18),
    ("village_in_charge", 20),
    ("commune", 18),
    ("title", 7),
    ("name", 24),
    ("position", 30),
    ("role", 14),
    ("phone", 13),
    ("commune_code", 8),
    ("district_code", 9),
)
_MEMBER_EXTRA = {
    "unit_code": ("Mã đơn vị", "Unit code"),
    "commune_code": ("Mã xã", "Commune code"),
    "district_code": ("Mã huyện", "District code"),
}
WITHOUT_COLUMNS = (
    ("unit_code", "Mã đơn vị", "Unit code", 22),
    ("village", "Thôn", "Village", 22),
    ("commune", "Xã", "Commune", 22),
)
SUMMARY_COLUMNS = (
    ("n", "STT", "No.", 5),
    ("code", "Mã", "Code", 16),
    ("unit", "Đơn vị", "Unit", 28),
    ("teams", "Số tổ", "Teams", 14),
    ("members", "Số thành viên", "Members", 14),
    ("without_team", "Số thôn chưa có tổ", "Villages without a team", 14),
    ("breaches", "Số vi phạm quy định", "Breaches of the rules", 14),
)
PRINT_COLUMNS = (
    ("n", "TT", "No.", 6),
    ("title", "Ông/Bà", "Title", 8),
    ("name", "Họ và tên", "Full name", 26),
    ("position", "Chức vụ", "Position", 34),
    ("role", "Vai trò trong tổ", "Role in team", 14),
    ("village_in_charge", "Thôn phụ trách", "Village in charge", 22),
    ("phone", "Số điện thoại", "Phone", 14),
)
# which column of "Tổ" and of "Thành viên" holds the code of a child of each level
_CHILD_CODE = {"village": "unit_code", "commune": "commune_code", "district": "district_code"}
TEXT = {
    "vi": {
        "title": "TỔNG HỢP TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
        "rules": "quy định",
        "total": "Tổng cộng",
        "list": "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
        "team": "Tổ {name}",
        "count": "Danh sách ấn định {n} người.",
        "page": "&CTrang &P/&N",
    },
    "en": {
        "title": "COMMUNITY DIGITAL TECHNOLOGY TEAMS: SUMMARY",
        "rules": "rules",
        "total": "Total",
        "list": "MEMBERS OF THE COMMUNITY DIGITAL TECHNOLOGY TEAMS",
        "team": "Team {name}",
        "count": "{n} people listed.",
        "page": "&CPage &P/&N",
    },
}
FONT = {"font_name": "Times New Roman", "font_size": 12}


def column(columns: tuple[tuple[Any, ...], ...], key: str) -> int:
    """The 0-based index of the column ``key`` in a column list."""
    return next(i for i, c in enumerate(columns) if c[0] == key)


def member_heads(lang: str) -> list[str]:
    roster = load_template("roster")
    out = []
    for key, _width in MEMBER_COLUMNS:
        if key in _MEMBER_EXTRA:
            out.append(_MEMBER_EXTRA[key][0 if lang == "vi" else 1])
        else:
            out.append(roster.column(key).label(lang))
    return out


def write_roster_summary(summary: RosterSummary, path: str | Path, lang: str = "vi") -> Path:
    """Write the roster summary (see :func:`sheets_tool.files.save_workbook`)."""
    return save_workbook(path, lambda tmp: _write(summary, tmp, lang))


@dataclass
class _Book:
    """The workbook being written, its formats and its language."""

    wb: Any
    s: RosterSummary
    lang: str

    def __post_init__(self) -> None:
        add = self.wb.add_format
        self.head = add(
            {
                **FONT,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#DDEBF7",
            }
        )
        self.cell = add({**FONT, "border": 1, "valign": "top", "text_wrap": True})
        self.num = add({**FONT, "border": 1})
        self.bold = add({**FONT, "bold": True})
        self.title = add({**FONT, "bold": True, "font_size": 13})
        self.total = add({**FONT, "bold": True, "border": 1, "top": 2})

    @property
    def vi(self) -> bool:
        return self.lang == "vi"

    def sheet(self, key: str) -> str:
        return ROSTER_SHEETS[self.lang][key]

    def heads(
        self, ws: Any, columns: tuple[tuple[Any, ...], ...], row: int = 0, fmt: Any = None
    ) -> None:
        for c, col in enumerate(columns):
            ws.write_string(row, c, col[1] if self.vi else col[2], fmt or self.head)
            ws.set_column(c, c, col[3])

    def above(self, unit: Unit, level: str) -> Unit | None:
        return self.s.ancestry.get(unit.code, {}).get(level)


def _write(s: RosterSummary, path: Path, lang: str) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": FONT,
        },
    )
    book = _Book(wb, s, lang)
    sheets = {key: wb.add_worksheet(name) for key, name in ROSTER_SHEETS[lang].items()}
    _teams(book, sheets["teams"])
    n_members = _members(book, sheets["members"])
    _without(book, sheets["without"])
    write_findings(
        sheets["breaches"],
        s.findings,
        lang,
        book.head,
        wb.add_format({"font_color": "#0563C1", "underline": 1}),
        wb.add_format({"bg_color": "#FFC7CE"}),
    )
    _summary(book, sheets["summary"], n_members)
    _printable(book, sheets["print"])
    wb.close()


def _teams(book: _Book, ws: Any) -> None:
    """A row per team."""
    book.heads(ws, TEAM_COLUMNS)
    for r, t in enumerate(book.s.teams, start=1):
        commune, district = book.above(t.unit, "commune"), book.above(t.unit, "district")
        values: dict[str, Any] = {
            "unit_code": t.unit.code,
            "unit": t.unit.name,
            "commune_code": commune.code if commune else "",
            "commune": commune.name if commune else "",
            "district_code": district.code if district else "",
            "district": district.name if district else "",
            "members": len(t.members),
            "leader": t.leader,
            "breaches": t.breaches,
            "source": t.source,
        }
        for c, (key, *_rest) in enumerate(TEAM_COLUMNS):
            v = values[key]
            if isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    ws.freeze_panes(1, 0)


def _members(book: _Book, ws: Any) -> int:
    """A row per member, as a roster the next level reads back; the number of rows."""
    for c, (text, (_key, width)) in enumerate(
        zip(member_heads(book.lang), MEMBER_COLUMNS, strict=True)
    ):
        ws.write_string(0, c, text, book.head)
        ws.set_column(c, c, width)
    r = 1
    for t in book.s.teams:
        commune, district = book.above(t.unit, "commune"), book.above(t.unit, "district")
        for e in t.members:
            values = {
                **{key: e.values.get(key, "") for key, _w in MEMBER_COLUMNS},
                "stt": str(r),
                "unit_code": t.unit.code,
                "village_in_charge": t.unit.name,
                "commune": commune.name if commune else "",
                "commune_code": commune.code if commune else "",
                "district_code": district.code if district else "",
            }
            for c, (key, _w) in enumerate(MEMBER_COLUMNS):
                ws.write_string(r, c, str(values[key]))
            r += 1
    ws.freeze_panes(1, 0)
    return r - 1


def _without(book: _Book, ws: Any) -> None:
    """The villages with no team."""
    book.heads(ws, WITHOUT_COLUMNS)
    for r, v in enumerate(book.s.without_team, start=1):
        commune = book.above(v, "commune")
        ws.write_string(r, 0, v.code)
        ws.write_string(r, 1, v.name)
        ws.write_string(r, 2, commune.name if commune else "")


def _summary(book: _Book, ws: Any, n_members: int) -> None:
    """A row per child unit: formulas over the sheets above, with their cached values."""
    s, text = book.s, TEXT[book.lang]
    ws.write_string(0, 0, text["title"], book.title)
    ws.write_string(1, 0, f"{s.scope.name} — {text['rules']}: {s.profile}", book.bold)
    book.heads(ws, SUMMARY_COLUMNS, row=3)
    ws.set_row(3, 32)
    child_key = _CHILD_CODE[s.child_level]
    teams_code = xl_col_to_name(column(TEAM_COLUMNS, child_key))
    teams_breaches = xl_col_to_name(column(TEAM_COLUMNS, "breaches"))
    members_code = xl_col_to_name(
        next(i for i, c in enumerate(MEMBER_COLUMNS) if c[0] == child_key)
    )
    n_teams, n_without = len(s.teams), len(s.without_team)

    def rng(sheet: str, col: str, last: int) -> str:
        return f"{quote_sheetname(book.sheet(sheet))}!${col}$2:${col}${max(last + 1, 2)}"

    first = 4
    for n, child in enumerate(s.children):
        row = first + n
        ref = xl_rowcol_to_cell(row, column(SUMMARY_COLUMNS, "code"), col_abs=True)
        formulas = {
            "teams": (f"=COUNTIFS({rng('teams', teams_code, n_teams)},{ref})", child.teams),
            "members": (
                f"=COUNTIFS({rng('members', members_code, n_members)},{ref})",
                child.members,
            ),
            "without_team": (
                f"=COUNTIFS({rng('without', 'A', n_without)},{ref})"
                if s.child_level == "village"
                else None,  # a district's or province's children: counted here
                child.without_team,
            ),
            "breaches": (
                f"=SUMIFS({rng('teams', teams_breaches, n_teams)},"
                f"{rng('teams', teams_code, n_teams)},{ref})",
                child.breaches,
            ),
        }
        ws.write_number(row, column(SUMMARY_COLUMNS, "n"), n + 1, book.num)
        ws.write_string(row, column(SUMMARY_COLUMNS, "code"), child.unit.code, book.num)
        ws.write_string(row, column(SUMMARY_COLUMNS, "unit"), child.unit.name, book.cell)
        for key, (formula, value) in formulas.items():
            c = column(SUMMARY_COLUMNS, key)
            if formula is None:
                ws.write_number(row, c, value, book.num)
            else:
                ws.write_formula(row, c, formula, book.num, value)
    last = first + len(s.children) - 1
    total = last + 1
    ws.write_string(total, column(SUMMARY_COLUMNS, "unit"), text["total"], book.total)
    for key in ("teams", "members", "without_team", "breaches"):
        c = column(SUMMARY_COLUMNS, key)
        col = xl_col_to_name(c)
        cached = sum(getattr(child, key) for child in s.children)
        ws.write_formula(total, c, f"=SUM({col}{first + 1}:{col}{last + 1})", book.total, cached)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)
    ws.activate()


def _printable(book: _Book, ws: Any) -> None:
    """The member list to attach to a decision: national header, A4 landscape, the header
    row repeated on every page, Times New Roman (its header unshaded, for printing)."""
    s, text, add = book.s, TEXT[book.lang], book.wb.add_format
    center_bold = add({**FONT, "bold": True, "align": "center"})
    center_italic = add({**FONT, "italic": True, "align": "center"})
    head = add(
        {
            **FONT,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    group = add({**FONT, "bold": True, "border": 1})
    last = len(PRINT_COLUMNS) - 1
    ws.merge_range(0, 0, 0, 2, f"UBND {s.scope.name.upper()}", center_bold)
    ws.merge_range(0, 3, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center_bold)
    ws.merge_range(1, 3, 1, last, "Độc lập - Tự do - Hạnh phúc", center_bold)
    ws.merge_range(3, 0, 3, last, text["list"], center_bold)
    ws.merge_range(4, 0, 4, last, s.scope.name, center_italic)
    book.heads(ws, PRINT_COLUMNS, row=6, fmt=head)
    r, n = 7, 0
    for t, members in s.printable():
        ws.merge_range(r, 0, r, last, text["team"].format(name=t.unit.name), group)
        r += 1
        for e in members:
            n += 1
            values = {
                **{key: e.values.get(key, "") for key, *_rest in PRINT_COLUMNS},
                "n": str(n),
                "village_in_charge": t.unit.name,
            }
            for c, (key, *_rest) in enumerate(PRINT_COLUMNS):
                ws.write_string(r, c, str(values[key]), book.cell)
            r += 1
    ws.write_string(r + 1, 0, text["count"].format(n=n), add({**FONT, "italic": True}))
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(6)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer(text["page"])
