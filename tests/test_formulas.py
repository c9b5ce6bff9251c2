"""Every formula of the summaries, evaluated without LibreOffice (tests/formulas.py): each
equals the value xlsxwriter cached with it, and the numbers equal those computed here
from the input rows themselves (never from sheets-tool), for the report summary at
commune, district and province level and the roster summary at commune, district and
province level (before the 2025 reform, when a province's children are districts, and
after it, when they are communes)."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheets_tool import (
    Store,
    consolidate,
    consolidate_rosters,
    init_registry,
    load_registry,
    write_roster_summary,
    write_summary,
)

from .conftest import CHI_LANG, SAMPLES
from .formulas import FormulaBook, mismatches, same
from .reports import VILLAGES, daily_file, values

DAY = dt.date(2021, 8, 5)
AT = dt.datetime(2021, 8, 5, 16, 0)  # before the 17:00 deadline
DEADLINE = "17:00"
# the columns of "Tổng hợp" in a report summary, as an official reads them
REPORT_COLUMNS = {
    "Tổng số hộ": "households",
    "Số hộ có cửa hàng số": "shops",
    "Số hộ có tài khoản thanh toán điện tử": "payment_accounts",
    "Cửa hàng số mở mới trong ngày": "new_shops",
    "Số hộ có giao dịch thành công": "sellers",
    "Số đơn hàng": "orders",
    "Sản lượng tiêu thụ (kg)": "quantity",
    "Doanh thu (đồng)": "revenue",
}
REPORT_RATIOS = {
    "% hộ có cửa hàng số": ("shops", "households"),
    "% hộ có giao dịch": ("sellers", "households"),
}
STATUS_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Muộn",
    "missing": "Chưa báo cáo",
    "excluded": "Có lỗi, không tính",
}
ROSTER_COLUMNS = {
    "Số tổ": "teams",
    "Số thành viên": "members",
    "Số thôn chưa có tổ": "without_team",
    "Số vi phạm quy định": "breaches",
}
# the sample files' columns C..J, in order
SAMPLE_KEYS = (
    "households",
    "shops",
    "payment_accounts",
    "new_shops",
    "sellers",
    "orders",
    "quantity",
    "revenue",
)
SAMPLE_COMMUNES = {"van-linh": "Vạn Linh", "y-tich": "Y Tịch", "quan-son": "Quan Sơn"}
OWN_TEAM = " (tổ cấp xã)"


def key(name: str) -> str:
    """A unit's name for matching the summary's rows to the test's own: "Phố Cũ" in a
    report is "Thôn Phố Cũ" in the registry."""
    text = unicodedata.normalize("NFC", name).strip().casefold()
    for prefix in ("thôn ", "bản "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def add(into: dict[str, float], numbers: dict[str, Any]) -> None:
    for k, v in numbers.items():
        into[k] = into.get(k, 0) + v


# ---------------------------------------------------------------------------
# reading a summary back through the evaluator


def header_row(ws: Any, first: str) -> int:
    for row in ws.iter_rows(min_col=2, max_col=2):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header row with {first!r} in column B of {ws.title}")


def table(book: FormulaBook, sheet: str, known: set[str]) -> tuple[dict[str, dict], dict, set]:
    """The child rows of a "Tổng hợp" sheet: {name key: {column: evaluated value}}, the
    total row, and the columns whose cells are formulas on every child row (all the
    columns are on every row)."""
    ws = book.wb[sheet]
    head = header_row(ws, "Mã")
    columns = {
        cell.column_letter: cell.value
        for cell in ws[head]
        if cell.value not in (None, "STT", "Mã", "Đơn vị", "Tình trạng báo cáo")
    }
    assert set(columns.values()) <= known, set(columns.values()) - known
    rows: dict[str, dict] = {}
    total: dict[str, Any] = {}
    formula_columns = set(columns.values())
    for r in range(head + 1, ws.max_row + 1):
        name = ws[f"C{r}"].value
        if name is None:
            break
        got = {label: book.value(sheet, f"{col}{r}") for col, label in columns.items()}
        if name == "Tổng cộng":
            total = got
            for col in columns:
                assert ws[f"{col}{r}"].data_type == "f", (sheet, f"{col}{r}")
            break
        for col, label in columns.items():
            if ws[f"{col}{r}"].data_type != "f":
                formula_columns.discard(label)
        name = name.removesuffix(OWN_TEAM)
        assert key(name) not in rows, name
        rows[key(name)] = got
    assert total, f"no total row on {sheet}"
    return rows, total, formula_columns


def assert_cached_values_are_right(book: FormulaBook) -> None:
    assert book.formula_cells()
    assert mismatches(book) == []


def check_report_summary(
    path: Path, expected: dict[str, dict[str, float]], statuses: dict[str, int]
) -> None:
    """``expected``: each child unit's numbers by its name; units not in it must be 0.
    ``statuses``: how many expected units are on time, late, missing."""
    book = FormulaBook(path)
    assert_cached_values_are_right(book)
    known = set(REPORT_COLUMNS) | set(REPORT_RATIOS)
    rows, total, formula_columns = table(book, "Tổng hợp", known)
    assert formula_columns == set(total)  # every figure is a formula
    expected = {key(n): v for n, v in expected.items()}
    assert set(expected) <= set(rows), set(expected) - set(rows)
    shown = {label for label in total if label in REPORT_COLUMNS}
    given = {k for numbers in expected.values() for k in numbers}
    assert given <= {REPORT_COLUMNS[label] for label in shown}
    sums: dict[str, float] = {}
    for name, got in rows.items():
        mine = expected.get(name, {})
        add(sums, mine)
        check_report_row(name, got, mine)
    check_report_row("Tổng cộng", total, sums)
    # the counts of each status: of the villages ("Theo thôn" when the children are
    # communes or above), and on "Tình hình báo cáo" of the child units it lists
    villages = "Theo thôn" if "Theo thôn" in book.wb.sheetnames else "Tình hình báo cáo"
    assert status_counts(book, villages) == {
        STATUS_LABELS[s]: statuses.get(s, 0) for s in STATUS_LABELS
    }
    ws = book.wb["Tình hình báo cáo"]
    listed = Counter(ws[f"E{r}"].value for r in range(header_row(ws, "Mã") + 1, ws.max_row + 1))
    assert status_counts(book, ws.title) == {
        label: listed[label] for label in STATUS_LABELS.values()
    }


def status_counts(book: FormulaBook, sheet: str) -> dict[str, Any]:
    """The COUNTIF of each status above a status table, by label."""
    ws = book.wb[sheet]
    counted = {}
    for r in range(1, header_row(ws, "Mã")):
        label = ws[f"C{r}"].value
        if label in STATUS_LABELS.values():
            assert ws[f"E{r}"].data_type == "f"
            counted[label] = book.value(ws.title, f"E{r}")
    return counted


def check_report_row(name: str, got: dict[str, Any], mine: dict[str, float]) -> None:
    for label, value in got.items():
        if label in REPORT_COLUMNS:
            assert value == pytest.approx(mine.get(REPORT_COLUMNS[label], 0)), (name, label)
        else:
            num, den = (mine.get(k, 0) for k in REPORT_RATIOS[label])
            want = num / den if den else ""
            assert same(value, want), (name, label, value, want)


def check_roster_summary(path: Path, expected: dict[str, dict[str, int]]) -> None:
    """``expected``: each child unit's teams, members, villages without a team and
    breaches, by name; units not in it must be 0."""
    book = FormulaBook(path)
    assert_cached_values_are_right(book)
    rows, total, formula_columns = table(book, "Tổng hợp", set(ROSTER_COLUMNS))
    # the counts are formulas over the other sheets ("villages without a team" too, when
    # the children are villages)
    assert {"Số tổ", "Số thành viên", "Số vi phạm quy định"} <= formula_columns
    expected = {key(n): v for n, v in expected.items()}
    assert set(expected) <= set(rows), set(expected) - set(rows)
    sums: dict[str, float] = {}
    for name, got in rows.items():
        mine = expected.get(name, {})
        add(sums, mine)
        assert {ROSTER_COLUMNS[label]: v for label, v in got.items()} == {
            k: mine.get(k, 0) for k in ROSTER_COLUMNS.values()
        }, name
    assert {ROSTER_COLUMNS[label]: v for label, v in total.items()} == {
        k: sums.get(k, 0) for k in ROSTER_COLUMNS.values()
    }


# ---------------------------------------------------------------------------
# the sample district, Chi Lăng, on 5 August 2021


def sample_rows(path: Path) -> list[tuple[str, dict[str, float], str]]:
    """(village, numbers, time sent) of a sample daily file, read with openpyxl alone."""
    ws = openpyxl.load_workbook(path, data_only=True).active
    sent_col = next(c.column - 1 for c in ws[5] if c.value == "Thời gian gửi")
    out = []
    for row in ws.iter_rows(min_row=6, values_only=True):
        if not isinstance(row[0], int):
            continue  # the total row, the signature block
        numbers = {
            k: float(str(v).replace(".", "")) if isinstance(v, str) else float(v)
            for k, v in zip(SAMPLE_KEYS, row[2:10], strict=True)
        }
        out.append((row[1], numbers, str(row[sent_col])))
    return out


@pytest.fixture(scope="module")
def chi_lang():
    return load_registry(CHI_LANG / "registry.xlsx")


def run(files, level, registry, tmp_path: Path, name: str, **kw) -> Path:
    with Store(tmp_path / f"{name}.db") as store:
        summary = consolidate(files, level=level, registry=registry, store=store, day=DAY, **kw)
    return write_summary(summary, tmp_path / f"{name}.xlsx")


def registered(communes) -> int:
    return sum(len(VILLAGES[c]) for c in communes)


def test_the_sample_district_summary(tmp_path, chi_lang):
    files = sorted((CHI_LANG / "daily").glob(f"*-{DAY:%Y-%m-%d}.xlsx"))
    assert len(files) == 3
    by_commune: dict[str, dict[str, float]] = {}
    status: Counter[str] = Counter()
    for path in files:
        commune = SAMPLE_COMMUNES[path.name.rsplit("-", 3)[0]]
        sums: dict[str, float] = {}
        for _village, numbers, sent in sample_rows(path):
            add(sums, numbers)
            status["on_time" if sent <= DEADLINE else "late"] += 1
        by_commune[f"Xã {commune}"] = sums
    status["missing"] = registered(SAMPLE_COMMUNES.values()) - sum(status.values())
    check_report_summary(run(files, "district", chi_lang, tmp_path, "d"), by_commune, status)
    # and one level up, straight from the reports
    district: dict[str, float] = {}
    for sums in by_commune.values():
        add(district, sums)
    province = run(files, "province", chi_lang, tmp_path, "p")
    check_report_summary(province, {"Huyện Chi Lăng": district}, status)


@pytest.mark.parametrize("slug", sorted(SAMPLE_COMMUNES))
def test_the_sample_commune_summaries(tmp_path, chi_lang, slug):
    (path,) = (CHI_LANG / "daily").glob(f"{slug}-{DAY:%Y-%m-%d}.xlsx")
    rows = sample_rows(path)
    status = Counter("on_time" if sent <= DEADLINE else "late" for _v, _n, sent in rows)
    status["missing"] = registered([SAMPLE_COMMUNES[slug]]) - len(rows)
    expected = {village: numbers for village, numbers, _sent in rows}
    check_report_summary(run([path], "commune", chi_lang, tmp_path, slug), expected, status)


# ---------------------------------------------------------------------------
# generated reports


def generated_reports(seed: int) -> dict[str, dict[str, dict[str, int]]]:
    """commune → village → numbers: some villages of each commune, at least one."""
    rnd = random.Random(seed)
    out = {}
    for commune, villages in VILLAGES.items():
        chosen = [v for v in villages if rnd.random() < 0.7] or [rnd.choice(villages)]
        out[commune] = {v: values(rnd.randint(40, 900), rnd.randint(0, 99)) for v in chosen}
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_report_summaries_at_each_level(tmp_path, chi_lang, seed):
    case = generated_reports(seed)
    files = {
        commune: daily_file(tmp_path / f"{commune}.xlsx", commune, list(villages.items()))
        for commune, villages in case.items()
    }
    for commune, villages in case.items():
        status = {"on_time": len(villages), "missing": len(VILLAGES[commune]) - len(villages)}
        out = run([files[commune]], "commune", chi_lang, tmp_path, commune, received_at=AT)
        check_report_summary(out, dict(villages.items()), status)
    by_commune: dict[str, dict[str, float]] = {}
    for commune, villages in case.items():
        by_commune[f"Xã {commune}"] = {}
        for numbers in villages.values():
            add(by_commune[f"Xã {commune}"], numbers)
    reported = sum(len(v) for v in case.values())
    status = {"on_time": reported, "missing": registered(VILLAGES) - reported}
    out = run(list(files.values()), "district", chi_lang, tmp_path, "d", received_at=AT)
    check_report_summary(out, by_commune, status)
    district: dict[str, float] = {}
    for sums in by_commune.values():
        add(district, sums)
    out = run(list(files.values()), "province", chi_lang, tmp_path, "p", received_at=AT)
    check_report_summary(out, {"Huyện Chi Lăng": district}, status)


# ---------------------------------------------------------------------------
# rosters

DUC_THO = SAMPLES / "duc-tho"
# the villages of samples/duc-tho/registry.xlsx, by commune
DUC_THO_VILLAGES = {
    "Xã Tùng Ảnh": ["Thôn Đông Thái", "Thôn Hòa Lạc", "Thôn Thông Tự", "Thôn Trung Hòa"],
    "Xã Đức Lạng": ["Thôn Bắc Sơn", "Thôn Tân Lạng"],
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
NAMES = (
    "An Bình Cường Dũng Giang Hải Khoa Lâm Minh Nam Phúc Quang Sơn Tâm Vinh Xuân Yến Hà",
    "Hùng Kiên Long Mai Nga Oanh Phong Quế Thảo Uyên Việt Bảo Chi Đức Hiếu Khánh Linh",
    "Ngọc Nhung Tuấn Trung Hưng",
)
GIVEN = [name for line in NAMES for name in line.split()]


def roster_file(path: Path, commune: str, teams: dict[str, list[tuple[str, str]]]) -> Path:
    """A commune's roster: a row per member (team, name, role), teams one after another."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tổ CNS"
    ws.append([f"UBND {commune.upper()}"])
    ws.append([])
    ws.append(["TT", "Thôn phụ trách", "Họ và tên", "Chức vụ", "Vai trò trong tổ"])
    n = 0
    for team, members in teams.items():
        for name, role in members:
            n += 1
            ws.append([n, team, name, "Trưởng thôn" if role == "Tổ trưởng" else "Tổ viên", role])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def generated_rosters(
    seed: int, villages: dict[str, list[str]]
) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """commune → team (a village, or the commune's own) → members (name, role). Most
    teams have one leader; some none or two, which is one breach of the team."""
    rnd = random.Random(seed)
    people = iter(rnd.sample(range(len(GIVEN)), len(GIVEN)))
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for commune, names in villages.items():
        labels = [v for v in names if rnd.random() < 0.7]
        if rnd.random() < 0.6 or not labels:
            labels.append(commune)
        out[commune] = {}
        for label in labels:
            leaders = rnd.choices([1, 0, 2], weights=[6, 1, 1])[0]
            size = rnd.randint(max(3, leaders + 1), 4)
            roles = ["Tổ trưởng"] * leaders + ["Tổ phó"]
            roles += ["Tổ viên"] * (size - len(roles))
            out[commune][label] = [
                (f"{SURNAMES[(g := next(people)) % len(SURNAMES)]} Văn {GIVEN[g]}", role)
                for role in roles
            ]
    return out


def roster_expected(team_members: list[tuple[str, str]]) -> dict[str, int]:
    leaders = sum(role == "Tổ trưởng" for _name, role in team_members)
    return {"teams": 1, "members": len(team_members), "breaches": int(leaders != 1)}


def roster_levels(case, villages) -> tuple[dict, dict]:
    """What each commune's summary shows per village, and the district's per commune."""
    per_commune: dict[str, dict[str, dict[str, int]]] = {}
    per_district: dict[str, dict[str, int]] = {}
    for commune, teams in case.items():
        rows: dict[str, dict[str, int]] = {}
        for village in villages[commune]:
            if village in teams:
                rows[village] = roster_expected(teams[village])
            else:
                rows[village] = {"without_team": 1}
        if commune in teams:
            rows[commune] = roster_expected(teams[commune])
        per_commune[commune] = rows
        per_district[commune] = {}
        for numbers in rows.values():
            add(per_district[commune], numbers)
    return per_commune, per_district


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_generated_roster_summaries_at_each_level(tmp_path, seed):
    registry = load_registry(DUC_THO / "registry.xlsx")
    case = generated_rosters(seed, DUC_THO_VILLAGES)
    files = [roster_file(tmp_path / f"{c}.xlsx", c, teams) for c, teams in case.items()]
    per_commune, per_district = roster_levels(case, DUC_THO_VILLAGES)
    for path, commune in zip(files, case, strict=True):
        s = consolidate_rosters([path], level="commune", registry=registry, profile="none")
        out = write_roster_summary(s, tmp_path / f"xa-{path.stem}.xlsx")
        check_roster_summary(out, per_commune[commune])
    s = consolidate_rosters(files, level="district", registry=registry, profile="none")
    check_roster_summary(write_roster_summary(s, tmp_path / "huyen.xlsx"), per_district)
    whole: dict[str, int] = {}
    for numbers in per_district.values():
        add(whole, numbers)
    s = consolidate_rosters(files, level="province", registry=registry, profile="none")
    check_roster_summary(write_roster_summary(s, tmp_path / "tinh.xlsx"), {"Huyện Đức Thọ": whole})


def test_the_sample_rosters(tmp_path):
    """samples/duc-tho, with the numbers test_rosters states: Tùng Ảnh 4 teams of 12 and
    a village without one, Đức Lạng 3 of 10; two breaches in each."""
    registry = load_registry(DUC_THO / "registry.xlsx")
    rosters = sorted((DUC_THO / "rosters").glob("*.xlsx"))
    by_commune = {
        "Xã Tùng Ảnh": {"teams": 4, "members": 12, "without_team": 1, "breaches": 2},
        "Xã Đức Lạng": {"teams": 3, "members": 10, "without_team": 0, "breaches": 2},
    }
    kw = {"registry": registry, "profile": "ha-tinh-2022"}
    s = consolidate_rosters(rosters, level="district", **kw)
    check_roster_summary(write_roster_summary(s, tmp_path / "huyen.xlsx"), by_commune)
    whole = {"teams": 7, "members": 22, "without_team": 1, "breaches": 4}
    s = consolidate_rosters(rosters, level="province", **kw)
    check_roster_summary(write_roster_summary(s, tmp_path / "tinh.xlsx"), {"Huyện Đức Thọ": whole})


def test_rosters_of_a_province_without_districts(tmp_path):
    """After 1/7/2025 a province's children are its communes."""
    path = init_registry("Hà Tĩnh", tmp_path / "ha-tinh.xlsx", dt.date(2025, 8, 1))
    villages = {
        "Xã Đức Thọ": ["Thôn Yên Trung", "Thôn Đông Thịnh", "Thôn Trung Hậu"],
        "Xã Tùng Lộc": ["Thôn Hữu Ninh", "Thôn Tân Tiến"],
    }
    wb = openpyxl.load_workbook(path)
    r = 2
    for commune, names in villages.items():
        for village in names:
            wb["Thôn"].cell(row=r, column=2, value=commune)
            wb["Thôn"].cell(row=r, column=3, value=village)
            r += 1
    wb.save(path)
    registry = load_registry(path)
    case = generated_rosters(7, villages)
    files = [roster_file(tmp_path / f"{c}.xlsx", c, teams) for c, teams in case.items()]
    per_commune, per_district = roster_levels(case, villages)
    s = consolidate_rosters(files, level="province", registry=registry, profile="none")
    assert s.child_level == "commune"
    check_roster_summary(write_roster_summary(s, tmp_path / "tinh.xlsx"), per_district)
    s = consolidate_rosters(files[:1], level="commune", registry=registry, profile="none")
    check_roster_summary(write_roster_summary(s, tmp_path / "xa.xlsx"), per_commune["Xã Đức Thọ"])


# ---------------------------------------------------------------------------
# the evaluator itself


def test_the_evaluator_on_formulas_with_known_values(tmp_path):
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Dữ liệu"
    for row in [
        ["code", "key", "value"],
        ["06505", "households", 10],
        ["06505", "Shops", 4],
        ["6505", "households", 1],
        ["06520", "households", 7],
        ["06520-x", "households", "text"],
        [None, "households", 100],
    ]:
        data.append(row)
    ws = wb.create_sheet("Tổ")
    cases = {
        "A1": ("=SUMIFS('Dữ liệu'!$C$2:$C$7,'Dữ liệu'!$A$2:$A$7,\"06505\")", 14),
        "A2": ("=SUMIFS('Dữ liệu'!C2:C7,'Dữ liệu'!B2:B7,\"shops\")", 4),  # any case
        "A3": ("=COUNTIFS('Dữ liệu'!$A$2:$A$7,\"0652*\")", 2),  # a wildcard
        "A4": ("=COUNTIFS('Dữ liệu'!$A$2:$A$7,\"<>06505\")", 4),
        "A5": ("=COUNTIF('Dữ liệu'!$C$2:$C$7,\">=7\")", 3),
        "A6": ('=IFERROR(1/0,"")', ""),
        "A7": ("=IFERROR(A1/A5,0)", 14 / 3),
        "A8": ("=SUM(A1:A5)+2*-1", 14 + 4 + 2 + 4 + 3 - 2),
        "A9": ("=SUM('Dữ liệu'!C2:C7)", 122),  # text is left out
        "A10": ('=IF(A1>A2,"more","less")', "more"),
        "A11": ("=COUNTIFS('Dữ liệu'!$A$2:$A$7,\"\")", 1),
        "A12": ('=HYPERLINK("file:///x.xlsx#S!B6","B6")', "B6"),
        "A13": ("=SUMIFS(Tổ!$B$1:$B$2,Tổ!$C$1:$C$2,$C$1)", 5),  # an unquoted sheet
    }
    ws["B1"], ws["B2"], ws["C1"], ws["C2"] = 5, 6, "x", "y"
    for ref, (formula, _want) in cases.items():
        ws[ref] = formula
    path = tmp_path / "f.xlsx"
    wb.save(path)
    book = FormulaBook(path)
    for ref, (formula, want) in cases.items():
        assert same(book.value("Tổ", ref), want), (ref, formula, book.value("Tổ", ref))
    assert book.value("Tổ", "B1") == 5
    assert book.value("Tổ", "A14") is None


def test_a_wrong_cached_value_or_a_formula_on_the_wrong_column_is_caught(tmp_path):
    """The check must be able to fail: a roster summary whose member counts read the
    commune's code column at province level, and one whose cached total is off by one."""
    registry = load_registry(DUC_THO / "registry.xlsx")
    rosters = sorted((DUC_THO / "rosters").glob("*.xlsx"))
    s = consolidate_rosters(rosters, level="province", registry=registry, profile="none")
    out = write_roster_summary(s, tmp_path / "tinh.xlsx")
    book = FormulaBook(out)
    assert mismatches(book) == []
    members = next(
        (sheet, ref)
        for sheet, ref in book.formula_cells()
        if sheet == "Tổng hợp" and "'Thành viên'!$K" in book.formula(sheet, ref)
    )
    changes = [("'Thành viên'!$K$2:$K$", "'Thành viên'!$J$2:$J$"), ("<v>22</v>", "<v>23</v>")]
    for n, (old, new) in enumerate(changes):
        tampered = tmp_path / f"tampered-{n}.xlsx"
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    assert old.encode() in data
                    data = data.replace(old.encode(), new.encode())
                dst.writestr(info, data)
        wrong = mismatches(FormulaBook(tampered))
        assert wrong, (old, new)
        # the district's members and the total: column E of "Tổng hợp" alone
        assert {(sheet, ref[0]) for sheet, ref, *_ in wrong} == {(members[0], members[1][0])}
