"""Build the sample workbooks in samples/good and samples/bad, with their expected findings.

Run: python samples/build_samples.py  (make samples). The workbooks imitate what
officials really send: national header and title rows, merged header cells, a row of
column numbers, village heading rows, "Ông:" with a colon, abbreviations, decomposed
Unicode, numbers typed as text with dots, footers, signature blocks. Each bad file
breaks named rules; its expected findings are written by hand below, next to the data
that breaks them, and tests/test_samples.py compares them with what the tool finds.
People and places follow the seed documents (Tùng Ảnh, Yên Hòa, Vạn Linh, Vinh).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
BAD = HERE / "bad"
FIXED_TIME = dt.datetime(2022, 10, 4, 8, 0, 0)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def new_book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "sheets-tool samples"
    return wb


def national_header(ws: Any, issuer: str, width: int) -> None:
    last = openpyxl.utils.get_column_letter(width)
    ws["A1"] = issuer
    ws["A1"].font = Font(bold=True)
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells(f"E1:{last}1")
    ws.merge_cells(f"E2:{last}2")


def save(wb: openpyxl.Workbook, path: Path) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    # stable bytes: fixed zip timestamps so a rebuild changes nothing
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2022-10-04T08:00:00Z", data
                )
            info.date_time = FIXED_TIME.timetuple()[:6]
            out.writestr(info, data)


def expect(
    path: Path,
    template: str | None,
    profile: str,
    exit_code: int,
    findings: list[tuple[str, str, str | None, str | None]],
    note: str,
) -> None:
    rows = [{"severity": s, "code": c, "sheet": sh, "cell": cell} for s, c, sh, cell in findings]
    doc = {
        "template": template,
        "profile": profile,
        "exit": exit_code,
        "note": note,
        "findings": rows,
    }
    path.with_suffix(".expected.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


# ---------------------------------------------------------------------------
# rosters

TUNG_ANH_TEAMS: list[tuple[str, list[tuple[str, str, str, str, str, str]]]] = [
    # (heading, [(title, name, position, role, village, phone)])
    (
        "I. TỔ CÔNG NGHỆ SỐ XÃ TÙNG ẢNH",
        [
            ("Ông", "Lê Doãn Lợi", "PCT UBND xã", "Tổ trưởng", "Thôn Đông Thái", "0912 345 601"),
            ("Bà", "Võ Thị Thanh Cảnh", "CC VHXH", "Tổ phó", "Thôn Thông Tự", "0912345602"),
            (
                "Ông",
                "Nguyễn Đắc Thắng",
                "Bí thư Đoàn TN xã",
                "Tổ viên",
                "Thôn Trung Hòa",
                "0912345603",
            ),
        ],
    ),
    (
        "II. TỔ CNS THÔN ĐÔNG THÁI",
        [
            (
                "Ông",
                "Phạm Hồng Chương",
                "BT chi bộ Thôn Đông Thái",
                "Tổ trưởng",
                "Thôn Đông Thái",
                "0912345604",
            ),
            (
                "Ông",
                "Nguyễn Xuân Vinh",
                "Thôn trưởng thôn Đông Thái",
                "Tổ phó",
                "Thôn Đông Thái",
                "0912345605",
            ),
            ("Bà", "Mai Thị Hằng", "Bí thư chi Đoàn TN", "Tổ viên", "Thôn Đông Thái", "0912345606"),
        ],
    ),
    (
        "III. TỔ CNS THÔN THÔNG TỰ",
        [
            (
                "Ông",
                "Phan Doãn Sơn",
                "Trưởng thôn Thông Tự",
                "Tổ trưởng",
                "Thôn Thông Tự",
                "0912345607",
            ),
            ("Bà", "Phan Thị Nam", "Bí thư Chi đoàn thôn", "Tổ phó", "Thôn Thông Tự", "0912345608"),
            (
                "Ông",
                "Nguyễn Bá Khuê",
                "BT chi bộ Thôn Thông Tự",
                "Tổ viên",
                "Thôn Thông Tự",
                "0912345609",
            ),
        ],
    ),
    (
        nfd("IV. TỔ CNS THÔN TRUNG HÒA"),
        [
            (
                "Ông",
                nfd("Trần Văn Hòa"),
                nfd("Trưởng thôn Trung Hoà"),
                "",
                "Thôn Trung Hòa",
                "912345610",
            ),
            ("Bà", nfd("Lê Thị Thúy"), "Bí thư Chi đoàn", "", "Thôn Trung Hòa", "0912.345.611"),
            ("Ông", "Đặng Quốc Huy", "Công an viên", "", "Thôn Trung Hòa", "+84912345612"),
        ],
    ),
]


def roster_sheet(
    ws: Any,
    teams: list[tuple[str, list[tuple[str, ...]]]],
    *,
    footer: str | None,
    roles_in_notes: set[int] | None = None,
    colon_titles: set[int] | None = None,
    commune: str = "Tùng Ảnh",
) -> dict[str, str]:
    """Write a commune roster; returns {"team heading": first data cell} for expectations."""
    roles_in_notes = roles_in_notes or set()
    colon_titles = colon_titles or set()
    national_header(ws, f"UBND XÃ {commune.upper()}", 8)
    ws["A4"] = f"DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG XÃ {commune.upper()}"
    ws.merge_cells("A4:H4")
    ws["A5"] = "(Kèm theo Quyết định số 170/QĐ-UBND ngày 04/10/2022 của UBND xã)"
    ws.merge_cells("A5:H5")
    headers = [
        "TT",
        "Họ và tên",
        None,
        "Chức vụ",
        "Vai trò trong tổ",
        "Thôn nơi ở",
        "SĐT",
        "Ghi chú",
    ]
    for c, h in enumerate(headers, start=1):
        if h:
            ws.cell(row=7, column=c, value=h).font = Font(bold=True)
    ws.merge_cells("B7:C7")  # "Họ và tên" spans the title column and the name column
    for c in range(1, 9):
        ws.cell(row=8, column=c, value=f"({c})")
    r = 9
    firsts: dict[str, str] = {}
    n = 0
    for t_index, (heading, members) in enumerate(teams):
        ws.cell(row=r, column=1, value=heading).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        r += 1
        firsts[heading] = f"A{r}"
        for title, name, position, role, village, phone in members:
            n += 1
            ws.cell(row=r, column=1, value=n)
            if t_index in colon_titles:
                ws.cell(row=r, column=3, value=f"{title}: {name}")
            else:
                ws.cell(row=r, column=2, value=title)
                ws.cell(row=r, column=3, value=name)
            ws.cell(row=r, column=4, value=f"- {position}")
            if t_index in roles_in_notes:
                ws.cell(row=r, column=8, value=f"Ghi chú: {role or 'Tổ viên'}")
            else:
                ws.cell(row=r, column=5, value=role)
            ws.cell(row=r, column=6, value=village)
            ws.cell(row=r, column=7, value=phone)
            r += 1
    if footer:
        ws.cell(row=r, column=1, value=footer).font = Font(italic=True)
        r += 1
    r += 1
    ws.cell(row=r, column=6, value="TM. ỦY BAN NHÂN DÂN XÃ")
    ws.cell(row=r + 1, column=6, value="CHỦ TỊCH")
    ws.cell(row=r + 4, column=6, value="Nguyễn Văn Hải")
    for col, width in zip("ABCDEFGH", (5, 7, 24, 30, 14, 16, 14, 20), strict=True):
        ws.column_dimensions[col].width = width
    return firsts


def build_rosters() -> None:
    # The Tùng Ảnh roster: a commune team and three village teams in one sheet. The
    # Trung Hòa team's roles are typed in the notes column and its village is written
    # in decomposed Unicode. Đông Thái's leader is the Party cell secretary, as in the
    # real decision 171, which the Đức Thọ plan does not foresee: a warning.
    teams = [(h, [list(m) for m in ms]) for h, ms in TUNG_ANH_TEAMS]
    for members in (teams[3][1],):
        members[0][3], members[1][3], members[2][3] = "Tổ trưởng", "Tổ phó", "Thành viên"
    wb = new_book()
    ws = wb.active
    ws.title = "Tổ CNS"
    roster_sheet(
        ws,
        [(h, [tuple(m) for m in ms]) for h, ms in teams],
        footer="Danh sách ấn định 12 người",
        roles_in_notes={3},
        colon_titles={1},
    )
    path = GOOD / "ha-tinh-tung-anh-roster.xlsx"
    save(wb, path)
    expect(
        path,
        "roster",
        "ha-tinh-2022",
        0,
        [
            ("warning", "team.leader_position", "Tổ CNS", "D14"),
            ("warning", "team.deputy_position", "Tổ CNS", "D15"),
        ],
        "Tùng Ảnh (Đức Thọ, Hà Tĩnh): commune team and three village teams in one sheet. "
        "Đông Thái's leader is the Party cell secretary and its deputy the village head, the "
        "other way round from the Đức Thọ plan (warnings), as in the real decision 171.",
    )

    # Two leaders in one team.
    wb = new_book()
    ws = wb.active
    ws.title = "Tổ CNS"
    bad_teams = [list(t) for t in TUNG_ANH_TEAMS[:2]]
    members = [list(m) for m in bad_teams[1][1]]
    members[1][3] = "Tổ trưởng"
    bad_teams[1] = [bad_teams[1][0], [tuple(m) for m in members]]
    roster_sheet(ws, [tuple(t) for t in bad_teams], footer=None)
    path = BAD / "roster-two-leaders.xlsx"
    save(wb, path)
    expect(
        path,
        "roster",
        "none",
        1,
        [
            ("warning", "roster.village_without_team", "Tổ CNS", "F11"),
            ("warning", "roster.village_without_team", "Tổ CNS", "F12"),
            ("error", "team.leader_count", "Tổ CNS", "E15"),
        ],
        "Thôn Đông Thái has two 'Tổ trưởng'. Only two of the commune's teams are listed, so "
        "the villages where two commune members live have no team (warnings).",
    )

    # The same person twice (once composed, once decomposed), a footer that disagrees,
    # a role that is not one of the choices, a bad phone number.
    wb = new_book()
    ws = wb.active
    ws.title = "Tổ CNS"
    members = [list(m) for m in TUNG_ANH_TEAMS[1][1]]
    members.append(
        [
            "Bà",
            nfd("Mai Thị Hằng"),
            "Hội viên Hội Phụ nữ",
            "Tổ viên",
            "Thôn Đông Thái",
            "0912345606",
        ]
    )
    members[2][3] = "Trưởng nhóm kỹ thuật"
    members[1][5] = "09123"
    roster_sheet(
        ws,
        [(TUNG_ANH_TEAMS[1][0], [tuple(m) for m in members])],
        footer="Danh sách ấn định 3 người",
    )
    path = BAD / "roster-duplicate-and-footer.xlsx"
    save(wb, path)
    expect(
        path,
        "roster",
        "none",
        1,
        [
            ("error", "field.bad_phone", "Tổ CNS", "G11"),
            ("error", "field.bad_choice", "Tổ CNS", "E12"),
            ("error", "team.duplicate_person", "Tổ CNS", "C13"),
            ("error", "footer.count_mismatch", "Tổ CNS", "A14"),
        ],
        "Mai Thị Hằng listed twice (NFC and NFD), '09123' is no phone number, "
        "'Trưởng nhóm kỹ thuật' is not a role, and the footer says 3 people for 4 rows.",
    )

    # Vinh (Nghệ An) allows 5 to 10 members: a team of 11, and a ward team of 4.
    wb = new_book()
    ws = wb.active
    ws.title = "Khối 1"
    ws["A1"] = "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG KHỐI 1, PHƯỜNG HƯNG DŨNG"
    header = ["STT", "Họ tên", "Chức vụ", "Nhiệm vụ trong tổ", "Địa chỉ", "Số điện thoại"]
    for c, h in enumerate(header, start=1):
        ws.cell(row=3, column=c, value=h)
    people = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
        "Hoàng Văn Em",
        "Vũ Thị Giang",
        "Đỗ Văn Hải",
        "Bùi Thị Hoa",
        "Ngô Văn Khánh",
        "Dương Thị Lan",
        "Đinh Văn Minh",
    ]
    for i, name in enumerate(people):
        role = "Tổ trưởng" if i == 0 else ("Tổ phó" if i == 1 else "Thành viên")
        position = "Trưởng khối" if i == 0 else ("Bí thư Chi đoàn" if i == 1 else "Người dân")
        ws.append([i + 1, name, position, role, "Khối 1", f"09{i:08d}"])
    ws2 = wb.create_sheet("Khối 2")
    ws2["A1"] = "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG KHỐI 2, PHƯỜNG HƯNG DŨNG"
    for c, h in enumerate(header, start=1):
        ws2.cell(row=3, column=c, value=h)
    for i, name in enumerate(["Mai Văn Nam", "Lý Thị Oanh", "Tạ Văn Phúc", "Chu Thị Quyên"]):
        ws2.append(
            [
                i + 1,
                name,
                "Khối trưởng" if i == 0 else "Đoàn viên",
                "Tổ trưởng" if i == 0 else "Tổ viên",
                "Khối 2",
                f"08{i:08d}",
            ]
        )
    path = BAD / "roster-nghe-an-team-size.xlsx"
    save(wb, path)
    expect(
        path,
        "roster",
        "nghe-an-2023",
        1,
        [
            ("error", "team.size", "Khối 1", "B4"),
            ("error", "team.size", "Khối 2", "B4"),
        ],
        "Vinh allows 5 to 10 members: Khối 1 has 11 and Khối 2 has 4.",
    )

    # Hương Sơn 2023: the deputy must be the village Youth Union secretary and a
    # Women's Union head must be a member.
    wb = new_book()
    ws = wb.active
    ws.title = "Thôn Tân Hương"
    ws["A1"] = "TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THÔN TÂN HƯƠNG"
    for c, h in enumerate(["TT", "Họ và tên", "Chức vụ", "Chức danh trong tổ", "SĐT"], start=1):
        ws.cell(row=2, column=c, value=h)
    ws.append([1, "Ông: Nguyễn Văn Tâm", "Trưởng thôn", "Tổ trưởng", "0987000001"])
    ws.append([2, "Bà: Trần Thị Hương", "Công chức Tư pháp", "Tổ phó", "0987000002"])
    ws.append([3, "Ông: Lê Văn Toàn", "Công an viên", "Tổ viên", "0987000003"])
    path = BAD / "roster-ha-tinh-2023-positions.xlsx"
    save(wb, path)
    expect(
        path,
        "roster",
        "ha-tinh-2023",
        1,
        [
            ("warning", "team.member_missing", "Thôn Tân Hương", "C3"),
            ("error", "team.deputy_position", "Thôn Tân Hương", "C4"),
        ],
        "Hương Sơn 2023: the deputy is not the Youth Union secretary (error) and no member "
        "is the Women's Union head (warning).",
    )


# ---------------------------------------------------------------------------
# steering committee

YEN_HOA = [
    (
        "Ông",
        "Đoàn Trung Nam",
        "Chủ tịch UBND xã",
        "Trưởng ban",
        "Phụ trách chung; chỉ đạo toàn diện công tác chuyển đổi số",
        "Thôn Yên Phú",
    ),
    (
        "Bà",
        "Đoàn Thị Thơm",
        "PBT TT ĐU, CT HĐND xã",
        "Phó ban",
        "Chỉ đạo công tác tuyên truyền",
        "Thôn Yên Thượng",
    ),
    (
        "Ông",
        "Hoàng Văn Cảnh",
        "Phó Chủ tịch UBND xã",
        "Phó ban",
        "Phụ trách kinh tế số, thương mại điện tử",
        "Thôn Yên Hạ",
    ),
    (
        "Bà",
        "Nguyễn Thị Hà",
        "Chủ tịch MTTQ xã",
        "Ủy viên",
        "Vận động nhân dân tham gia",
        "Thôn Yên Phú",
    ),
    (
        "Ông",
        "Nguyễn Duy Lộc",
        "Chủ tịch Hội CCB xã",
        "Ủy viên",
        "Vận động hội viên CCB",
        "Thôn Yên Thượng",
    ),
    (
        "Ông",
        "Nguyễn Huy Hữu",
        "Chủ tịch Hội Nông dân xã",
        "Ủy viên",
        "Hướng dẫn nông dân mở cửa hàng số",
        "Thôn Yên Hạ",
    ),
    (
        "Bà",
        "Nguyễn Thị Thúy",
        "Chủ tịch Hội Phụ nữ xã",
        "Ủy viên",
        "Vận động hội viên phụ nữ",
        "Thôn Yên Phú",
    ),
    (
        "Bà",
        "Phạm Thị Hường",
        "Công chức Văn hóa - Xã hội",
        "Ủy viên",
        "Thường trực tham mưu, tổng hợp báo cáo",
        "Thôn Yên Thượng, thôn Yên Hạ",
    ),
]


def steering_book(
    members: list[tuple[str, ...]],
    task_names: dict[str, str] | None = None,
    roles: dict[int, str] | None = None,
) -> openpyxl.Workbook:
    task_names = task_names or {}
    roles = roles or {}
    wb = new_book()
    ws = wb.active
    ws.title = "Quyết định"
    ws["A1"] = "UBND XÃ YÊN HÒA"
    ws["A3"] = "DANH SÁCH BAN CHỈ ĐẠO TRIỂN KHAI CHUYỂN ĐỔI SỐ XÃ YÊN HÒA"
    ws.merge_cells("A3:E3")
    for c, h in enumerate(["TT", "Ông/Bà", "Họ và tên", "Chức vụ", "Chức danh BCĐ"], start=1):
        ws.cell(row=5, column=c, value=h)
    for i, (title, name, position, role, _duty, _village) in enumerate(members):
        ws.append([f"{i + 1}.", title, name, position, roles.get(i, role)])
    ws.append([f"Danh sách có {len(members)} người"])
    tasks = wb.create_sheet("Phân công")
    tasks["A1"] = "PHÂN CÔNG NHIỆM VỤ THÀNH VIÊN BAN CHỈ ĐẠO"
    for c, h in enumerate(
        ["STT", "Họ và tên", "Chức vụ", "Nhiệm vụ được phân công", "Thôn phụ trách"], start=1
    ):
        tasks.cell(row=3, column=c, value=h)
    for i, (_title, name, position, _role, duty, village) in enumerate(members):
        tasks.append([i + 1, task_names.get(name, name), position, duty, village])
    return wb


TUNG_ANH_STEERING = [
    (
        "Ông",
        "Nguyễn Văn Hải",
        "Chủ tịch UBND xã",
        "Trưởng ban",
        "Phụ trách chung",
        "Thôn Đông Thái",
    ),
    (
        "Ông",
        "Lê Doãn Lợi",
        "PCT UBND xã",
        "Phó ban",
        "Kinh tế số, Tổ công nghệ số cộng đồng",
        "Thôn Thông Tự",
    ),
    (
        "Bà",
        "Võ Thị Thanh Cảnh",
        "CC VHXH",
        "Ủy viên",
        "Tuyên truyền, tổng hợp báo cáo",
        nfd("Thôn Trung Hòa"),
    ),
    (
        "Ông",
        "Nguyễn Đắc Thắng",
        "Bí thư Đoàn TN xã",
        "Ủy viên",
        "Hướng dẫn thanh niên, hộ kinh doanh mở cửa hàng số",
        "Thôn Đông Thái, thôn Thông Tự",
    ),
]


def build_tung_anh_steering() -> None:
    """Tùng Ảnh's steering committee: both tables in one sheet, as many communes type
    them, below the national header."""
    wb = new_book()
    ws = wb.active
    ws.title = "BCĐ CĐS"
    national_header(ws, "UBND XÃ TÙNG ẢNH", 6)
    ws["A4"] = "DANH SÁCH BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ XÃ TÙNG ẢNH"
    ws.merge_cells("A4:F4")
    for c, h in enumerate(["TT", "Họ và tên", None, "Chức vụ", "Chức vụ trong BCĐ"], start=1):
        if h:
            ws.cell(row=6, column=c, value=h)
    ws.merge_cells("B6:C6")
    r = 7
    for i, (title, name, position, role, _duty, _village) in enumerate(TUNG_ANH_STEERING):
        for c, value in enumerate([i + 1, title, name, position, role], start=1):
            ws.cell(row=r, column=c, value=value)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="PHÂN CÔNG NHIỆM VỤ CÁC THÀNH VIÊN")
    r += 1
    for c, h in enumerate(
        ["TT", "Họ và tên", "Nhiệm vụ được phân công", "Thôn phụ trách"], start=1
    ):
        ws.cell(row=r, column=c, value=h)
    for i, (_t, name, _p, _role, duty, village) in enumerate(TUNG_ANH_STEERING):
        for c, value in enumerate([i + 1, name, duty, village], start=1):
            ws.cell(row=r + 1 + i, column=c, value=value)
    path = GOOD / "ha-tinh-tung-anh-steering.xlsx"
    save(wb, path)
    expect(
        path,
        "steering",
        "ha-tinh-2022",
        0,
        [],
        "Tùng Ảnh's steering committee: the decision list and, lower in the same sheet, "
        "the task table; every village of the roster is looked after.",
    )


def build_steering() -> None:
    build_tung_anh_steering()
    wb = steering_book(list(YEN_HOA))
    path = GOOD / "ninh-binh-yen-hoa-steering.xlsx"
    save(wb, path)
    expect(
        path,
        "steering",
        "none",
        0,
        [],
        "Yên Hòa: decision list and task table agree; every village is looked after.",
    )

    # As in the real Yên Hòa documents: one member is "Hường" in the decision list and
    # "Hương" in the task table. And the committee head is a vice-chairman.
    wb = steering_book(
        list(YEN_HOA),
        task_names={"Phạm Thị Hường": "Phạm Thị Hương"},
        roles={0: "Ủy viên", 2: "Trưởng ban"},
    )
    path = BAD / "steering-names-differ.xlsx"
    save(wb, path)
    expect(
        path,
        "steering",
        "none",
        1,
        [
            ("warning", "steering.head_not_chairman", "Quyết định", "D8"),
            ("error", "steering.tables_differ", "Quyết định", "C13"),
            ("error", "steering.tables_differ", "Phân công", "B11"),
        ],
        "'Phạm Thị Hường' in the decision list is 'Phạm Thị Hương' in the task table; the "
        "head is the vice-chairman.",
    )

    wb = steering_book(list(YEN_HOA), roles={1: "Trưởng ban", 2: "Ủy viên"})
    path = BAD / "steering-two-heads.xlsx"
    save(wb, path)
    expect(
        path,
        "steering",
        "none",
        1,
        [
            ("error", "steering.head_count", "Quyết định", "E7"),
            ("error", "steering.no_deputy", "Quyết định", "E6"),
        ],
        "Two heads ('Trưởng ban') and no deputy.",
    )


# ---------------------------------------------------------------------------
# daily reports (Lạng Sơn, Vạn Linh commune, a week of August 2021)

VAN_LINH = [
    ("Phố Cũ", 312),
    ("Lùng Cằm", 265),
    ("Đồng Lùm", 198),
    ("Hà Quảng", 287),
    ("Nà Phầy", 221),
    ("Làng Mới", 241),
]


def daily_values(day: int, v: int, households: int) -> dict[str, int]:
    """Deterministic, growing cumulative counts for village v on day `day` (0..6)."""
    base_shops = households * (20 + 3 * v) // 100
    shops = base_shops + day * (4 + v)
    return {
        "households": households,
        "shops": shops,
        "payment_accounts": shops + 5 + v,
        "new_shops": 4 + v if day else 0,
        "sellers": shops // 5 + day,
        "orders": 3 * day + v + 2,
        "quantity": 40 + 12 * day + 3 * v,
        "revenue": (40 + 12 * day + 3 * v) * 35_000,
    }


DAILY_HEADER = [
    "STT",
    "Tên thôn",
    "Tổng số hộ",
    "Số hộ có cửa hàng số",
    "Số hộ có tài khoản thanh toán điện tử",
    "Mở mới trong ngày",
    "Số hộ có giao dịch thành công",
    "Số đơn hàng",
    "Sản lượng (kg)",
    "Doanh thu (đồng)",
    "Doanh nghiệp hỗ trợ",
    "Người báo cáo",
]
NUMERIC_KEYS = [
    "households",
    "shops",
    "payment_accounts",
    "new_shops",
    "sellers",
    "orders",
    "quantity",
    "revenue",
]


def daily_book(
    day: int,
    *,
    date_column: bool,
    text_numbers: bool,
    overrides: dict[tuple[int, str], Any] | None = None,
    total: bool = True,
    total_formulas: bool = False,
    commune: str = "Vạn Linh",
    villages: list[tuple[str, int]] = VAN_LINH,
    sent_at: str | None = None,
    first: int = 0,
    district: str = "huyện Chi Lăng",
) -> openpyxl.Workbook:
    """A commune's daily sheet, or a village's (``villages`` one village, ``first`` its
    place in the commune's list, which its numbers depend on)."""
    overrides = overrides or {}
    date = dt.date(2021, 8, 2) + dt.timedelta(days=day)
    wb = new_book()
    ws = wb.active
    ws.title = f"{date:%d-%m}"
    ws["A1"] = f"UBND XÃ {commune.upper()}"
    ws["A2"] = "BÁO CÁO KẾT QUẢ PHÁT TRIỂN KINH TẾ SỐ"
    ws.merge_cells("A2:L2")
    ws["A3"] = f"Xã {commune}, {district} - Ngày {date:%d/%m/%Y}"
    ws.merge_cells("A3:L3")
    header = list(DAILY_HEADER)
    if date_column:
        header.insert(1, "Ngày")
    if sent_at:
        header.append("Thời gian gửi")
    for c, h in enumerate(header, start=1):
        ws.cell(row=5, column=c, value=h).alignment = Alignment(wrap_text=True)
    offset = 1 if date_column else 0
    for v, (village, households) in enumerate(villages, start=first):
        vals: dict[str, Any] = daily_values(day, v, households)
        row = [v - first + 1]
        if date_column:
            row.append(date)
        row.append(f"Thôn {village}" if v % 2 and not village.startswith("Bản") else village)
        for key in NUMERIC_KEYS:
            value = vals[key]
            if text_numbers and key in ("revenue", "households") and value >= 1000:
                value = f"{value:,}".replace(",", ".")
            row.append(value)
        row += ["Viettelpost" if v % 2 else "Bưu điện", "Hoàng Văn Tùng"]
        if sent_at:
            row.append(sent_at)
        for (vi, key), value in overrides.items():
            if vi == v:
                idx = (
                    (2 + offset + NUMERIC_KEYS.index(key))
                    if key in NUMERIC_KEYS
                    else {"village": 1 + offset, "date": 1}[key]
                )
                row[idx] = value
        ws.append(row)
    if total:
        r = 6 + len(villages)
        ws.cell(row=r, column=1, value="Tổng cộng")
        for k, key in enumerate(NUMERIC_KEYS):
            c = 3 + offset + k
            if total_formulas:
                letter = openpyxl.utils.get_column_letter(c)
                ws.cell(row=r, column=c, value=f"=SUM({letter}6:{letter}{r - 1})")
            else:
                ws.cell(
                    row=r,
                    column=c,
                    value=sum(
                        daily_values(day, v, h)[key]
                        for v, (_n, h) in enumerate(villages, start=first)
                    ),
                )
    ws.cell(row=8 + len(villages), column=10, value="Người lập biểu")
    ws.cell(row=11 + len(villages), column=10, value="Hoàng Văn Tùng")
    return wb


# ---------------------------------------------------------------------------
# two levels: the villages of three communes of Chi Lăng district, a week of daily reports

CHI_LANG = HERE / "chi-lang"
CHI_LANG_COMMUNES: dict[str, list[tuple[str, int]]] = {
    "Vạn Linh": VAN_LINH,
    "Y Tịch": [("Bản Đon", 176), ("Nà Hấy", 143), ("Khòn Pạc", 201), ("Còn Cuông", 158)],
    "Quan Sơn": [
        ("Đoàn Kết", 230),
        ("Hữu Lân", 187),
        ("Bản Ngõa", 164),
        ("Lùng Vài", 139),
        ("Pá Phiêng", 121),
    ],
}
# (commune, day index) → when the report was sent; a day a commune missed has no file
SENT_LATE = {("Quan Sơn", 3): "17:40", ("Y Tịch", 1): "18:15"}
MISSED = {("Y Tịch", 4)}


def build_chi_lang() -> None:
    """A district's week: the registry (official units plus the villages each commune
    typed) and each commune's daily report, one late, one day missing."""
    from sheets_tool.registry import init_registry

    shutil.rmtree(CHI_LANG, ignore_errors=True)
    (CHI_LANG / "daily").mkdir(parents=True)
    registry = init_registry("Lạng Sơn", CHI_LANG / "registry.xlsx", dt.date(2021, 8, 1))
    wb = openpyxl.load_workbook(registry)
    wb.properties.modified = FIXED_TIME
    ws = wb["Thôn"]
    r = 2
    for commune, villages in CHI_LANG_COMMUNES.items():
        for village, households in villages:
            ws.cell(row=r, column=2, value=f"Xã {commune}")
            ws.cell(
                row=r,
                column=3,
                value=f"Thôn {village}" if not village.startswith("Bản") else village,
            )
            ws.cell(row=r, column=4, value=households)
            r += 1
    save(wb, registry)
    for commune, villages in CHI_LANG_COMMUNES.items():
        slug = "-".join(
            commune.lower().replace("ạ", "a").replace("ị", "i").replace("ơ", "o").split()
        )
        for day in range(7):
            if (commune, day) in MISSED:
                continue
            date = dt.date(2021, 8, 2) + dt.timedelta(days=day)
            wb = daily_book(
                day,
                date_column=False,
                text_numbers=day % 2 == 0,
                commune=commune,
                villages=villages,
                sent_at=SENT_LATE.get((commune, day), "16:30"),
            )
            save(wb, CHI_LANG / "daily" / f"{slug}-{date:%Y-%m-%d}.xlsx")
    build_chi_lang_other_shapes()


def _slug(name: str) -> str:
    """ "Đoàn Kết" → "doan-ket"."""
    plain = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "-".join(plain.encode("ascii", "ignore").decode().split())


def build_chi_lang_other_shapes() -> None:
    """5 August 2021 as other districts receive it, with the same numbers as the commune
    files in daily/: by-village/, one file per village (each team leader sends their
    own); mixed/, Vạn Linh's villages one by one, Y Tịch and Quan Sơn as commune files,
    and a village file sent twice (gui-lai/)."""
    day = 3  # 2021-08-05
    for folder in ("by-village", "mixed"):
        (CHI_LANG / folder).mkdir(parents=True)
    for commune, villages in CHI_LANG_COMMUNES.items():
        sent = SENT_LATE.get((commune, day), "16:30")
        for v, village in enumerate(villages):
            wb = daily_book(
                day,
                date_column=False,
                text_numbers=False,
                commune=commune,
                villages=[village],
                sent_at=sent,
                first=v,
            )
            name = f"{_slug(commune)}-{_slug(village[0])}-2021-08-05.xlsx"
            save(wb, CHI_LANG / "by-village" / name)
            if commune == "Vạn Linh":
                save(wb, CHI_LANG / "mixed" / name)
        if commune != "Vạn Linh":
            shutil.copy(
                CHI_LANG / "daily" / f"{_slug(commune)}-2021-08-05.xlsx",
                CHI_LANG / "mixed" / f"{_slug(commune)}-2021-08-05.xlsx",
            )
    (CHI_LANG / "mixed" / "gui-lai").mkdir()
    shutil.copy(
        CHI_LANG / "mixed" / "van-linh-pho-cu-2021-08-05.xlsx",
        CHI_LANG / "mixed" / "gui-lai" / "van-linh-pho-cu-2021-08-05.xlsx",
    )


def build_daily() -> None:
    for day in range(7):
        wb = daily_book(day, date_column=day % 3 == 1, text_numbers=day % 2 == 0)
        date = dt.date(2021, 8, 2) + dt.timedelta(days=day)
        path = GOOD / f"lang-son-van-linh-daily-{date:%Y-%m-%d}.xlsx"
        save(wb, path)
        expect(
            path,
            "daily",
            "none",
            0,
            [],
            f"Vạn Linh (Chi Lăng, Lạng Sơn), daily report of {date:%d/%m/%Y}: six villages, "
            "numbers partly typed as text with dots, a checked total row.",
        )

    # Broken rows: shops above households, sellers above shops, a negative, a decimal, a
    # word in a count column, an impossible date, an empty required cell; the total row
    # then disagrees with the rows above for households and shops.
    wb = daily_book(
        3,
        date_column=True,
        text_numbers=False,
        overrides={
            (0, "shops"): 400,  # > households 312
            (1, "sellers"): 500,  # > shops
            (2, "orders"): -2,
            (3, "new_shops"): "12,5",
            (4, "payment_accounts"): "chưa có",
            (5, "date"): "31/02/2021",
            (2, "households"): None,
        },
    )
    path = BAD / "daily-broken-rows.xlsx"
    save(wb, path)
    expect(
        path,
        "daily",
        "none",
        1,
        [
            ("error", "row.shops_exceed_households", "05-08", "E6"),
            ("error", "row.sellers_exceed_shops", "05-08", "H7"),
            ("error", "field.required", "05-08", "D8"),
            ("error", "field.negative", "05-08", "I8"),
            ("error", "field.not_integer", "05-08", "G9"),
            ("error", "field.not_number", "05-08", "F10"),
            ("error", "field.not_date", "05-08", "B11"),
            ("warning", "row.total_mismatch", "05-08", "E12"),
            ("warning", "row.total_mismatch", "05-08", "H12"),
        ],
        "Row rules and field types broken one per village; the total row no longer adds up "
        "for shops and sellers (columns with a refused value are not summed).",
    )

    # A total row of formulas saved by a program that computed nothing (no cached values).
    wb = daily_book(1, date_column=False, text_numbers=False, total_formulas=True)
    path = BAD / "daily-formulas-without-values.xlsx"
    save(wb, path)
    expect(
        path,
        "daily",
        "none",
        0,
        [("warning", "cell.formula_no_value", "03-08", f"{c}12") for c in "CDEFGHIJ"],
        "The total row's SUM formulas have no cached values: a warning per cell.",
    )

    # Dates typed under a US locale: the real dates have day and month swapped, the ones
    # Excel could not read (day > 12) stayed text.
    wb = new_book()
    ws = wb.active
    ws.title = "Tổng hợp tuần"
    ws.append(
        [
            "STT",
            "Ngày",
            "Thôn",
            "Số hộ",
            "Số hộ có cửa hàng số",
            "Số hộ có tài khoản thanh toán điện tử",
        ]
    )
    ws.append([1, dt.date(2021, 8, 10), "Phố Cũ", 312, 80, 85])  # meant 08/10? no: 10/08
    ws.append([2, dt.date(2021, 8, 11), "Phố Cũ", 312, 84, 90])
    ws.append([3, "13/10/2021", "Phố Cũ", 312, 88, 95])
    path = BAD / "daily-us-locale-dates.xlsx"
    save(wb, path)
    expect(
        path,
        "daily",
        "none",
        0,
        [
            ("warning", "field.date_maybe_swapped", "Tổng hợp tuần", "B2"),
            ("warning", "field.date_maybe_swapped", "Tổng hợp tuần", "B3"),
        ],
        "Real dates 10/08 and 11/08 next to the text date 13/10: typed under a US locale.",
    )

    # A required column whose header is not recognisable.
    wb = new_book()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append(["BÁO CÁO NGÀY 05/08/2021 - XÃ VẠN LINH"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Thôn",
            "Số hộ dân cư toàn thôn",
            "Số hộ có cửa hàng số",
            "Số hộ có tài khoản thanh toán điện tử",
        ]
    )
    ws.append([1, "Phố Cũ", 312, 80, 85])
    path = BAD / "daily-missing-column.xlsx"
    save(wb, path)
    expect(
        path,
        "daily",
        "none",
        1,
        [
            ("error", "header.missing_column", "Báo cáo", None),
        ],
        "'Số hộ dân cư toàn thôn' is not a name of 'Tổng số hộ': the column is missing, "
        "and the message suggests it.",
    )


# ---------------------------------------------------------------------------
# monthly report


def build_monthly() -> None:
    wb = new_book()
    ws = wb.active
    ws.title = "Tháng 3-2023"
    national_header(ws, "UBND PHƯỜNG HƯNG DŨNG", 12)
    ws["A4"] = "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG CỦA TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
    ws["A5"] = "Tháng 03 năm 2023"
    header = [
        "TT",
        "Tổ (thôn)",
        "Số buổi tuyên truyền, hướng dẫn",
        "Số người được hướng dẫn",
        "Hỗ trợ dịch vụ công trực tuyến",
        "VNeID",
        "Sổ sức khỏe điện tử",
        "Địa chỉ số",
        "Cửa hàng số mở mới",
        "Tài khoản thanh toán điện tử mở mới",
        "Đề xuất khen thưởng",
    ]
    for c, h in enumerate(header, start=1):
        ws.cell(row=7, column=c, value=h)
    rows = [
        ("Khối 1", 4, 120, 35, 60, 22, 15, 3, 12, ""),
        ("Khối 2", 3, 95, 28, 41, 18, 10, 2, 9, "Tổ Khối 2: giấy khen"),
        ("Khối 3", 5, "1.020", 40, 77, 25, 12, 4, 15, ""),
        ("Khối 4", 2, 60, 12, 30, 9, 6, 1, 5, ""),
        ("Tổ CNS phường", 6, 210, 55, 120, 40, 20, 5, 30, ""),
    ]
    for i, row in enumerate(rows):
        ws.append([i + 1, *row])
    ws.append(["Tổng cộng", None, 20, 1505, 170, 328, 114, 63, 15, 71])
    path = GOOD / "nghe-an-hung-dung-monthly-2023-03.xlsx"
    save(wb, path)
    expect(
        path,
        "monthly",
        "none",
        0,
        [],
        "Hưng Dũng ward (Vinh): March 2023, the month given once in the title.",
    )

    wb = new_book()
    ws = wb.active
    ws.title = "BC tháng"
    ws.append(["Tháng", "Tổ (thôn)", "Số buổi tuyên truyền, hướng dẫn", "VNeID"])
    ws.append(["13/2023", "Khối 1", 4, 22])
    ws.append(["03/2023", "Khối 2", -1, 18])
    ws.append(["03/2023", "Khối 3", 2, 7.5])
    path = BAD / "monthly-bad-values.xlsx"
    save(wb, path)
    expect(
        path,
        "monthly",
        "none",
        1,
        [
            ("error", "field.not_month", "BC tháng", "A2"),
            ("error", "field.negative", "BC tháng", "C3"),
            ("error", "field.not_integer", "BC tháng", "D4"),
        ],
        "Month 13, a negative count, and 7.5 activations.",
    )


# ---------------------------------------------------------------------------
# files that cannot be read


def build_bad_files() -> None:
    good = GOOD / "ha-tinh-tung-anh-roster.xlsx"
    cases: list[tuple[str, bytes, str, str]] = [
        ("empty.xlsx", b"", "file.empty", "A 0-byte download."),
        (
            "csv-renamed.xlsx",
            "TT,Họ và tên,Chức vụ\n1,Lê Doãn Lợi,PCT UBND xã\n".encode(),
            "file.not_xlsx",
            "A CSV file renamed to .xlsx.",
        ),
        (
            "truncated.xlsx",
            good.read_bytes()[: good.stat().st_size // 2],
            "file.corrupt",
            "The first half of a good workbook: an interrupted download.",
        ),
        (
            "legacy.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook",
            "file.legacy_xls",
            "The start of an Excel 97-2003 file.",
        ),
    ]
    for name, data, code, note in cases:
        path = BAD / name
        path.write_bytes(data)
        expect(path, None, "none", 2, [("error", code, None, None)], note)

    # A password-protected workbook, encrypted for real with msoffcrypto-tool.
    try:
        import msoffcrypto  # type: ignore[import-untyped]
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dev dependency
        raise SystemExit(
            "msoffcrypto-tool is needed to build samples: pip install -e '.[dev]'"
        ) from None
    _ = msoffcrypto
    out = io.BytesIO()
    with good.open("rb") as fh:
        OOXMLFile(fh).encrypt("matkhau", out)
    path = BAD / "password-protected.xlsx"
    path.write_bytes(out.getvalue())
    expect(
        path,
        None,
        "none",
        2,
        [("error", "file.encrypted", None, None)],
        "Protected with the password 'matkhau'.",
    )

    # A workbook with no header the tool knows: a letter typed into a sheet.
    wb = new_book()
    ws = wb.active
    ws.append(["Kính gửi: UBND huyện Chi Lăng"])
    ws.append(["Xã Vạn Linh xin báo cáo như sau", "", "Ngày 05/08/2021"])
    path = BAD / "no-header.xlsx"
    save(wb, path)
    expect(
        path,
        None,
        "none",
        2,
        [("error", "file.template_unknown", None, None)],
        "No template's header anywhere: a letter typed into a sheet.",
    )

    # 5 KB that claims a cell at XFD1048576: the fast reader would abort the process.
    wb = new_book()
    ws = wb.active
    ws["A1"] = "TT"
    ws["XFD1048576"] = "x"
    path = BAD / "huge-range.xlsx"
    save(wb, path)
    expect(
        path,
        None,
        "none",
        2,
        [("error", "file.too_large", None, None)],
        "A tiny file with a cell at XFD1048576.",
    )


# ---------------------------------------------------------------------------
# a district's rosters: Tùng Ảnh and Đức Lạng communes of Đức Thọ (Hà Tĩnh), 2022

DUC_THO = HERE / "duc-tho"
DUC_THO_VILLAGES = {
    "Tùng Ảnh": ["Thôn Đông Thái", "Thôn Thông Tự", "Thôn Trung Hòa", "Thôn Hòa Lạc"],
    "Đức Lạng": ["Thôn Bắc Sơn", "Thôn Tân Lạng"],
}
DUC_LANG_TEAMS = [
    (
        "I. TỔ CÔNG NGHỆ SỐ XÃ ĐỨC LẠNG",
        [
            ("Ông", "Trần Đình Khoa", "PCT UBND xã", "Tổ trưởng", "Thôn Bắc Sơn", "0988111001"),
            ("Bà", "Nguyễn Thị Lan", "Công chức VHXH", "Tổ phó", "Thôn Tân Lạng", "0988111002"),
            ("Ông", "Lê Văn Đức", "Bí thư Đoàn xã", "Tổ viên", "Thôn Bắc Sơn", "0988111003"),
        ],
    ),
    (
        "II. TỔ CNS THÔN BẮC SƠN",
        [
            (
                "Ông",
                "Phan Văn Bình",
                "Trưởng thôn Bắc Sơn",
                "Tổ trưởng",
                "Thôn Bắc Sơn",
                "0988111004",
            ),
            ("Bà", "Võ Thị Hoa", "Bí thư Chi đoàn thôn", "Tổ phó", "Thôn Bắc Sơn", "0988111005"),
            ("Ông", "Đinh Văn Hùng", "Công an viên", "Tổ viên", "Thôn Bắc Sơn", "0988111006"),
        ],
    ),
    (
        "III. TỔ CNS THÔN TÂN LẠNG",
        [
            (
                "Ông",
                "Hồ Văn Tâm",
                "Trưởng thôn Tân Lạng",
                "Tổ trưởng",
                "Thôn Tân Lạng",
                "0988111007",
            ),
            ("Ông", "Lê Văn Đức", "Bí thư Đoàn xã", "Tổ phó", "Thôn Tân Lạng", "0988111003"),
            (
                "Bà",
                "Trần Thị Mai",
                "Chi hội trưởng Hội Phụ nữ",
                "Tổ viên",
                "Thôn Tân Lạng",
                "0988111008",
            ),
            ("Ông", "Nguyễn Văn Sáu", "Giáo viên", "Tổ viên", "Thôn Tân Lạng", "0988111009"),
        ],
    ),
]


def build_duc_tho() -> None:
    """Two communes' rosters and their registry: Tùng Ảnh has a village without a team,
    Đức Lạng a team of four (Đức Thọ's plan says three) and a member in two teams."""
    from sheets_tool.registry import init_registry

    shutil.rmtree(DUC_THO, ignore_errors=True)
    (DUC_THO / "rosters").mkdir(parents=True)
    registry = init_registry("Hà Tĩnh", DUC_THO / "registry.xlsx", dt.date(2022, 10, 4))
    wb = openpyxl.load_workbook(registry)
    ws = wb["Thôn"]
    r = 2
    for commune, villages in DUC_THO_VILLAGES.items():
        for village in villages:
            ws.cell(row=r, column=2, value=f"Xã {commune}")
            ws.cell(row=r, column=3, value=village)
            r += 1
    save(wb, registry)
    shutil.copy(GOOD / "ha-tinh-tung-anh-roster.xlsx", DUC_THO / "rosters" / "tung-anh.xlsx")
    wb = new_book()
    ws = wb.active
    ws.title = "Tổ CNS"
    roster_sheet(ws, DUC_LANG_TEAMS, footer="Danh sách ấn định 10 người", commune="Đức Lạng")
    save(wb, DUC_THO / "rosters" / "duc-lang.xlsx")


def main() -> None:
    for folder in (GOOD, BAD):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    build_rosters()
    build_steering()
    build_daily()
    build_monthly()
    build_bad_files()
    build_chi_lang()
    build_duc_tho()
    print(
        f"wrote {len(list(GOOD.glob('*.xlsx')))} good and "
        f"{len([p for p in BAD.iterdir() if not p.name.endswith('.json')])} bad samples"
    )


if __name__ == "__main__":
    main()
