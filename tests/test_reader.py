"""The reader on small workbooks built in code: one feature of real sheets each."""

import unicodedata

import openpyxl

from sheets_tool.reader import HeaderIndex, group_label, read_workbook
from sheets_tool.templates import load_template
from sheets_tool.validate import validate_file

ROSTER = ["TT", "Họ và tên", "Chức vụ", "Vai trò trong tổ", "SĐT"]


def test_header_below_title_rows_keeps_true_cell_addresses(make_xlsx):
    # the table starts at C15: calamine drops leading empty rows and columns
    rows = (
        [["UBND XÃ TÙNG ẢNH"]]
        + [[]] * 12
        + [
            ["DANH SÁCH TỔ CNS THÔN ĐÔNG THÁI"],
            ROSTER,
            [1, "Phạm Hồng Chương", "Trưởng thôn", "Tổ trưởng", "0912345678"],
        ]
    )
    wb = read_workbook(make_xlsx(rows, at="C1"), "roster")
    table = wb.tables[0]
    assert table.header_row == 15
    assert table.columns["name"] == 3  # column D
    record = wb.records[0]
    assert record.row == 16
    assert record.cells["name"] == "D16"
    assert record.raw["name"] == "Phạm Hồng Chương"


def test_header_matching_ignores_case_form_tone_placement_and_punctuation():
    index = HeaderIndex(load_template("roster"))
    for typed in ("HỌ VÀ TÊN", "Họ tên", "họ, tên", unicodedata.normalize("NFD", "Họ và tên")):
        assert index.match(typed) == "name", typed
    assert index.match("SỐ ĐIỆN THOẠI") == "phone"
    steering = HeaderIndex(load_template("steering"))
    assert steering.match("Uỷ viên") is None  # a value, not a header
    assert steering.match("Chức danh BCĐ") == "committee_role"


def test_fuzzy_header_only_when_unambiguous(make_xlsx):
    index = HeaderIndex(load_template("daily"))
    key, candidates = index.fuzzy("Số hộ có cửa hàng sô", set())
    assert key == "shops" and candidates == []
    key, candidates = index.fuzzy("Ngày tháng", set())
    assert key is None


def test_fuzzy_header_is_reported(make_xlsx):
    path = make_xlsx(
        [
            [
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng sô",
                "Số hộ có tài khoản thanh toán điện tử",
                "Ngày báo cáo",
            ],
            ["Phố Cũ", 312, 80, 85, "05/08/2021"],
        ]
    )
    result = validate_file(path, "daily")
    assert ("header.fuzzy", "C1") in [(f.code, f.cell) for f in result.report.findings]
    assert result.entries[0].values["shops"] == 80


def test_merged_header_over_title_and_name_columns(make_xlsx):
    path = make_xlsx(
        [
            ["TT", "Họ và tên", None, "Chức vụ", "Vai trò trong tổ"],
            [1, "Ông", "Lê Doãn Lợi", "PCT UBND xã", "Tổ trưởng"],
            [2, "Bà", "Võ Thị Thanh Cảnh", "CC VHXH", "Tổ phó"],
        ],
        merges=["B1:C1"],
    )
    wb = read_workbook(path, "roster")
    assert wb.tables[0].columns["title"] == 1
    assert wb.tables[0].columns["name"] == 2
    assert wb.records[0].raw["name"] == "Lê Doãn Lợi"


def test_two_row_header_and_numbering_row(make_xlsx):
    path = make_xlsx(
        [
            ["STT", "Thôn", "Số liệu", None, None],
            [
                None,
                None,
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
            ],
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            [1, "Phố Cũ", 312, 80, 85],
        ],
        merges=["C1:E1"],
    )
    wb = read_workbook(path, "daily")
    assert set(wb.tables[0].columns) >= {"village", "households", "shops", "payment_accounts"}
    assert [r.row for r in wb.records] == [4]


def test_teams_grouped_by_village_heading_rows(make_xlsx):
    path = make_xlsx(
        [
            ROSTER,
            ["I. TỔ CÔNG NGHỆ SỐ THÔN ĐÔNG THÁI"],
            [1, "Phạm Hồng Chương", "BT chi bộ", "Tổ trưởng"],
            [2, "Nguyễn Xuân Vinh", "Thôn trưởng", "Tổ phó"],
            ["II. Tổ CNS thôn Thông Tự"],
            [1, "Phan Doãn Sơn", "Trưởng thôn", "Tổ trưởng"],
        ],
        merges=["A2:E2"],
    )
    result = validate_file(path, "roster")
    assert [e.team for e in result.entries] == ["Thôn Đông Thái", "Thôn Đông Thái", "Thôn Thông Tự"]


def test_group_labels():
    assert group_label("I. TỔ CÔNG NGHỆ SỐ XÃ TÙNG ẢNH") == "Xã Tùng Ảnh"
    assert group_label("2. Thôn Yên Phú") == "Thôn Yên Phú"
    assert group_label("Phạm Hồng Chương") is None


def test_role_in_notes_and_colon_titles(make_xlsx):
    path = make_xlsx(
        [
            ["TT", "Họ và tên", "Chức vụ", "Ghi chú"],
            [1, "Ông: Trần Văn Hòa", "Trưởng thôn", "Ghi chú: Tổ trưởng"],
            [2, "Bà: Lê Thị Thúy", "Bí thư Chi đoàn", "Tổ Phó"],
            [3, "Ông Đặng Quốc Huy", "Công an viên", "thành viên"],
        ]
    )
    result = validate_file(path, "roster")
    assert [e.values["role"] for e in result.entries] == ["Tổ trưởng", "Tổ phó", "Tổ viên"]
    assert [e.values["title"] for e in result.entries] == ["Ông", "Bà", "Ông"]
    assert result.entries[0].values["name"] == "Trần Văn Hòa"
    assert result.entries[0].cells["role"] == "D2"  # the finding would point at the note
    assert result.report.errors == 0


def test_footer_and_signature_block(make_xlsx):
    path = make_xlsx(
        [
            ROSTER,
            [1, "Phạm Hồng Chương", "Trưởng thôn", "Tổ trưởng"],
            [2, "Mai Thị Hằng", "Bí thư chi Đoàn", "Tổ viên"],
            ["Danh sách ấn định 02 người"],
            [],
            [None, None, "TM. ỦY BAN NHÂN DÂN"],
            [None, None, "CHỦ TỊCH"],
            [None, None, "Nguyễn Văn Hải"],
        ]
    )
    wb = read_workbook(path, "roster")
    assert len(wb.records) == 2
    assert wb.tables[0].footers[0].stated == 2
    assert validate_file(path, "roster").report.errors == 0


def test_vertically_merged_village_fills_down(make_xlsx):
    path = make_xlsx(
        [
            ["TT", "Họ và tên", "Vai trò trong tổ", "Thôn phụ trách"],
            [1, "A Văn Một", "Tổ trưởng", "Thôn Yên Phú"],
            [2, "B Văn Hai", "Tổ viên", None],
            [3, "C Văn Ba", "Tổ trưởng", "Thôn Yên Hạ"],
        ],
        merges=["D2:D3"],
    )
    result = validate_file(path, "roster")
    assert [e.team for e in result.entries] == ["Thôn Yên Phú", "Thôn Yên Phú", "Thôn Yên Hạ"]


def test_total_row_is_not_a_record(make_xlsx):
    path = make_xlsx(
        [
            [
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
                "Ngày",
            ],
            ["Phố Cũ", 312, 80, 85, "05/08/2021"],
            ["Hà Quảng", "1.200", 100, 110, "05/08/2021"],
            ["Tổng cộng", 1512, 181, 195],
        ]
    )
    result = validate_file(path, "daily")
    assert result.report.records == 2
    mismatch = [(f.code, f.cell) for f in result.report.findings]
    assert mismatch == [("row.total_mismatch", "C4")]


def test_second_table_lower_in_the_sheet(make_xlsx):
    path = make_xlsx(
        [
            ["TT", "Họ và tên", "Chức vụ", "Chức danh BCĐ"],
            [1, "Đoàn Trung Nam", "Chủ tịch UBND xã", "Trưởng ban"],
            [2, "Hoàng Văn Cảnh", "Phó Chủ tịch UBND xã", "Phó ban"],
            [],
            ["PHÂN CÔNG NHIỆM VỤ"],
            ["TT", "Họ và tên", "Nhiệm vụ được phân công", "Thôn phụ trách"],
            [1, "Đoàn Trung Nam", "Phụ trách chung", "Thôn Yên Phú"],
            [2, "Hoàng Văn Cảnh", "Kinh tế số", "Thôn Yên Hạ"],
        ]
    )
    wb = read_workbook(path, "steering")
    assert [len(t.records) for t in wb.tables] == [2, 2]
    assert "duties" in wb.tables[1].columns


def test_template_is_detected_from_headers(make_xlsx):
    daily = make_xlsx(
        [["Thôn", "Tổng số hộ", "Số hộ có cửa hàng số"], ["Phố Cũ", 3, 1]], name="d.xlsx"
    )
    roster = make_xlsx([ROSTER, [1, "A Văn B", "Trưởng thôn", "Tổ trưởng"]], name="r.xlsx")
    assert read_workbook(daily).template.name == "daily"
    assert read_workbook(roster).template.name == "roster"


def test_formula_without_cached_value_is_a_warning(make_xlsx):
    path = make_xlsx(
        [
            [
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
                "Ngày",
            ],
            ["Phố Cũ", "=100+212", 80, 85, "05/08/2021"],
        ]
    )
    result = validate_file(path, "daily")
    found = [(f.code, f.severity, f.cell) for f in result.report.findings]
    assert ("cell.formula_no_value", "warning", "B2") in found
    assert ("field.required", "error", "B2") in found  # the value is unknown: not a 0


def test_text_numbers_with_thousands_dots(make_xlsx):
    path = make_xlsx(
        [
            [
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
                "Doanh thu (đồng)",
                "Ngày",
            ],
            ["Phố Cũ", "1.234", "1.001", 85, "12.500.000", "ngày 05 tháng 8 năm 2021"],
        ]
    )
    entry = validate_file(path, "daily").entries[0]
    assert entry.values["households"] == 1234
    assert entry.values["revenue"] == 12500000
    assert str(entry.values["date"]) == "2021-08-05"


def test_every_sheet_is_read(tmp_path):
    wb = openpyxl.Workbook()
    for i, village in enumerate(["Thôn A", "Thôn B"]):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = village
        ws.append(ROSTER)
        ws.append([1, f"Người {i} Một", "Trưởng thôn", "Tổ trưởng"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    result = validate_file(path, "roster")
    assert [e.team for e in result.entries] == ["Thôn A", "Thôn B"]


def test_a_column_twice_is_reported_and_the_first_is_used(make_xlsx):
    path = make_xlsx(
        [["Họ và tên", "Vai trò trong tổ", "Họ tên"], ["A Văn Một", "Tổ trưởng", "khác"]]
    )
    result = validate_file(path, "roster")
    assert [(f.code, f.cell) for f in result.report.findings] == [("header.duplicate", "C1")]
    assert result.entries[0].values["name"] == "A Văn Một"


def test_a_name_that_starts_like_total_is_a_person(make_xlsx):
    path = make_xlsx(
        [
            ROSTER,
            [1, "Tống Văn Bình", "Trưởng thôn", "Tổ trưởng"],
            [2, "Cộng Thị Hoa", "Đoàn viên", "Tổ viên"],
        ]
    )
    assert [r.raw["name"] for r in read_workbook(path, "roster").records] == [
        "Tống Văn Bình",
        "Cộng Thị Hoa",
    ]


def test_a_village_that_reported_nothing_is_kept(make_xlsx):
    path = make_xlsx(
        [
            [
                "STT",
                "Thôn",
                "Tổng số hộ",
                "Số hộ có cửa hàng số",
                "Số hộ có tài khoản thanh toán điện tử",
                "Ngày",
            ],
            [1, "Thôn Phố Cũ", 312, 80, 85, "05/08/2021"],
            [2, "Thôn Hà Quảng"],
        ]
    )
    result = validate_file(path, "daily")
    assert result.report.records == 2
    assert ("field.required", "C3") in [(f.code, f.cell) for f in result.report.findings]
