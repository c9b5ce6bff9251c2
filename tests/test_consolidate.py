"""Consolidation: numbers computed independently, formulas proven by LibreOffice,
summaries consolidated again one level up."""

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_tool.consolidate import STATUS_LABELS, consolidate
from sheets_tool.registry import load_registry
from sheets_tool.report_book import write_summary
from sheets_tool.store import Store
from sheets_tool.templates import load_template

from .conftest import CHI_LANG, formula_cells, recalculate

DAY = dt.date(2021, 8, 5)
KEYS = [
    "households",
    "shops",
    "payment_accounts",
    "new_shops",
    "sellers",
    "orders",
    "quantity",
    "revenue",
]
NEEDS_LO = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) not installed",
)


def daily_files(day: dt.date = DAY) -> list[Path]:
    return sorted((CHI_LANG / "daily").glob(f"*-{day:%Y-%m-%d}.xlsx"))


def independent_totals(paths: list[Path]) -> dict[str, float]:
    """Sum the village rows with openpyxl and plain Python, not with sheets-tool."""
    totals = dict.fromkeys(KEYS, 0.0)
    for path in paths:
        ws = openpyxl.load_workbook(path, data_only=True).active
        for row in ws.iter_rows(min_row=6, values_only=True):
            if not isinstance(row[0], int):
                continue  # the total row, the signature block
            for key, value in zip(KEYS, row[2:10], strict=True):
                totals[key] += (
                    float(str(value).replace(".", "")) if isinstance(value, str) else float(value)
                )
    return totals


@pytest.fixture
def registry():
    return load_registry(CHI_LANG / "registry.xlsx")


def run(inputs, tmp_path, registry, level="district", store="s.db", **kw):
    with Store(tmp_path / store) as st:
        return consolidate(inputs, level=level, registry=registry, store=st, day=DAY, **kw)


def test_district_totals_match_an_independent_sum(tmp_path, registry):
    summary = run(daily_files(), tmp_path, registry)
    assert summary.scope.name == "Huyện Chi Lăng"
    assert summary.totals == independent_totals(daily_files())
    assert summary.total_indicators["shops_pct"] == pytest.approx(
        summary.totals["shops"] / summary.totals["households"]
    )
    status = {c.unit.name: c.status for c in summary.children}
    assert status["Xã Quan Sơn"] == "late"  # sent 17:40
    assert status["Xã Vạn Linh"] == status["Xã Y Tịch"] == "on_time"
    assert status["Xã Vân An"] == "missing"
    assert summary.findings == []
    rec = summary.reconciliation
    assert (rec.read, rec.counted, rec.excluded, rec.superseded) == (15, 15, 0, 0)


def test_a_missing_day_is_missing(tmp_path, registry):
    with Store(tmp_path / "s.db") as st:
        summary = consolidate(
            daily_files(dt.date(2021, 8, 6)),
            level="district",
            registry=registry,
            store=st,
            day=dt.date(2021, 8, 6),
        )
    status = {c.unit.name: c.status for c in summary.children}
    assert status["Xã Y Tịch"] == "missing" and status["Xã Vạn Linh"] == "on_time"


def test_commune_summaries_consolidate_to_the_same_numbers(tmp_path, registry):
    direct = run(daily_files(), tmp_path, registry)
    communes = []
    for path in daily_files():
        summary = run([path], tmp_path, registry, level="commune", store=f"{path.stem}.db")
        assert summary.child_level == "village"
        out = tmp_path / f"{path.stem}.tong-hop.xlsx"
        write_summary(summary, out)
        communes.append(out)
    district = run(communes, tmp_path, registry, store="district.db")
    assert district.totals == direct.totals
    assert district.reconciliation == direct.reconciliation
    assert [(c.unit.code, c.values, c.status) for c in district.children] == [
        (c.unit.code, c.values, c.status) for c in direct.children
    ]
    district_file = tmp_path / "huyen.xlsx"
    write_summary(district, district_file)
    province = run([district_file], tmp_path, registry, level="province", store="p.db")
    assert province.totals == direct.totals
    assert [c.unit.name for c in province.children if c.status != "missing"] == ["Huyện Chi Lăng"]


def long_form(path: Path) -> Path:
    """A copy of a summary whose "Dữ liệu" is in the long form earlier summaries have:
    a line per unit and indicator ("Mã chỉ tiêu", "Giá trị")."""
    columns = load_template("summary_data").columns
    number_keys = {c.key for c in columns if c.type == "number" and c.key != "value"}
    wide = list(openpyxl.load_workbook(path)["Dữ liệu"].iter_rows(values_only=True))
    keys = {}
    for i, head in enumerate(wide[0]):
        keys[i] = next(c.key for c in columns if head in (c.label_vi, *c.aliases))
    long_keys = [c.key for c in columns if c.key not in number_keys]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws.append([load_template("summary_data").column(k).label_vi for k in long_keys])
    for line in wide[1:]:
        cells = {keys[i]: v for i, v in enumerate(line)}
        for key in sorted(number_keys & set(cells)):
            if cells[key] is not None:
                line = cells | {"indicator": key, "indicator_name": key, "value": cells[key]}
                ws.append([line.get(k) for k in long_keys])
    out = path.with_name(f"{path.stem}.long.xlsx")
    wb.save(out)
    return out


def test_summaries_in_the_earlier_long_form_consolidate_beside_the_wide_ones(tmp_path, registry):
    """One commune summary in the long form, one in the wide form in English ("Data"),
    one in Vietnamese: the same numbers as the villages consolidated directly."""
    direct = run(daily_files(), tmp_path, registry)
    communes = []
    for n, path in enumerate(daily_files()):
        summary = run([path], tmp_path, registry, level="commune", store=f"{path.stem}.db")
        out = write_summary(
            summary, tmp_path / f"{path.stem}.tong-hop.xlsx", "en" if n == 2 else "vi"
        )
        communes.append(long_form(out) if n == 1 else out)
    assert any(p.name.endswith(".long.xlsx") for p in communes)
    district = run(communes, tmp_path, registry, store="district.db")
    assert district.findings == direct.findings == []
    assert district.totals == direct.totals
    assert [(c.unit.code, c.values) for c in district.children] == [
        (c.unit.code, c.values) for c in direct.children
    ]


def test_input_order_does_not_change_the_result(tmp_path, registry):
    files = daily_files()
    a = run(files, tmp_path, registry, store="a.db")
    b = run(list(reversed(files)), tmp_path, registry, store="b.db")
    assert a.to_dict() == b.to_dict()


def test_the_summary_workbook(tmp_path, registry):
    summary = run(daily_files(), tmp_path, registry)
    out = write_summary(summary, tmp_path / "huyen.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Dữ liệu", "Tình hình báo cáo", "Theo thôn", "Lỗi"]
    ws = wb["Tổng hợp"]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert any(f.startswith("=SUMIFS('Dữ liệu'!") for f in formulas)
    assert any(f.startswith("=IFERROR(") for f in formulas)
    assert ws.conditional_formatting  # units under target
    assert len(ws._charts) == 2
    # "Dữ liệu": a row per village, a column per indicator headed as in the template
    data = list(wb["Dữ liệu"].iter_rows(values_only=True))
    assert len(data) - 1 == len(summary.data)
    labels = {summary.template.column(k).label_vi: k for k in summary.keys}
    columns = {labels[h]: i for i, h in enumerate(data[0]) if h in labels}
    assert list(columns) == summary.keys
    by_code = {r.unit.code: r.values for r in summary.data}
    for line in data[1:]:
        numbers = {k: line[i] for k, i in columns.items() if line[i] is not None}
        assert numbers == by_code[line[2]]
    status = wb["Tình hình báo cáo"]
    assert status["E2"].value.startswith("=COUNTIF(")
    # a row per commune of the district, those that sent nothing included
    listed = {r[1].value: r[4].value for r in status.iter_rows(min_row=8)}
    assert listed == {c.unit.code: STATUS_LABELS[c.status][0] for c in summary.children}
    assert len(listed) == len(registry.descendants("187", "commune")) > 3
    assert "Chưa báo cáo" in listed.values()
    villages = wb["Theo thôn"]
    assert {r[1].value for r in villages.iter_rows(min_row=8)} == {
        u.code for u, _r in summary.expected
    }


@NEEDS_LO
def test_libreoffice_recalculates_every_formula_to_its_cached_value(tmp_path, registry):
    summary = run(daily_files(), tmp_path, registry)
    out = write_summary(summary, tmp_path / "huyen.xlsx")
    before = formula_cells(out)
    recalculated = openpyxl.load_workbook(recalculate(out, tmp_path), data_only=True)
    assert len(before) > 100
    for (sheet, ref), (formula, cached) in before.items():
        value = recalculated[sheet][ref].value
        assert not (isinstance(value, str) and value.startswith("#")), (sheet, ref, formula, value)
        if cached in ("", None):
            assert value in ("", None), (sheet, ref, formula, value)
        else:
            assert value == pytest.approx(cached), (sheet, ref, formula, value, cached)
    # and the total row equals the independent sum
    ws = recalculated["Tổng hợp"]
    total_row = next(r for r in ws.iter_rows() if r[2].value == "Tổng cộng")
    got = [c.value for c in total_row[3 : 3 + len(KEYS)]]
    assert got == pytest.approx([independent_totals(daily_files())[k] for k in KEYS])


@NEEDS_LO
def test_a_wrong_cached_value_is_caught(tmp_path, registry):
    """The proof must be able to fail: a summary whose cached total is off by one."""
    summary = run(daily_files(), tmp_path, registry)
    out = write_summary(summary, tmp_path / "huyen.xlsx")
    right = int(summary.totals["shops"])
    tampered = tmp_path / "tampered" / "huyen.xlsx"
    tampered.parent.mkdir()
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert f"<v>{right}</v>".encode() in data
                data = data.replace(f"<v>{right}</v>".encode(), f"<v>{right + 1}</v>".encode())
            dst.writestr(info, data)
    before = formula_cells(tampered)
    recalculated = openpyxl.load_workbook(recalculate(tampered, tmp_path), data_only=True)
    wrong = [
        k
        for k, (_f, cached) in before.items()
        if isinstance(cached, (int, float))
        and recalculated[k[0]][k[1]].value != pytest.approx(cached)
    ]
    total_row = next(
        r for r in openpyxl.load_workbook(out)["Tổng hợp"].iter_rows() if r[2].value == "Tổng cộng"
    )
    assert wrong == [("Tổng hợp", total_row[4].coordinate)]  # the shops total


def test_the_output_is_written_atomically_and_a_locked_target_is_refused(tmp_path, registry):
    summary = run(daily_files(), tmp_path, registry)
    target = tmp_path / "huyen.xlsx"
    target.write_bytes(b"the official's previous summary")
    (tmp_path / ".~lock.huyen.xlsx#").write_text("locked by LibreOffice")
    with pytest.raises(OSError, match="open in a spreadsheet program"):
        write_summary(summary, target)
    assert target.read_bytes() == b"the official's previous summary"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".huyen")) == []


def test_monthly_reports_of_a_ward(tmp_path):
    """Vinh's Hưng Dũng ward, March 2023: four blocks and the ward's own team."""
    from sheets_tool.registry import init_registry

    reg_path = init_registry("Nghệ An", tmp_path / "nghe-an.xlsx", dt.date(2023, 3, 1))
    wb = openpyxl.load_workbook(reg_path)
    for r, block in enumerate(["Khối 1", "Khối 2", "Khối 3", "Khối 4", "Khối 5"], start=2):
        wb["Thôn"].cell(row=r, column=1, value="16675")
        wb["Thôn"].cell(row=r, column=3, value=block)
    wb.save(reg_path)
    registry = load_registry(reg_path)
    sample = Path(__file__).parent.parent / "samples" / "good"
    with Store(tmp_path / "s.db") as st:
        summary = consolidate(
            [sample / "nghe-an-hung-dung-monthly-2023-03.xlsx"],
            level="commune",
            registry=registry,
            store=st,
            month="2023-03",
            received_at=dt.datetime(2023, 4, 18, 9, 0),
        )
    assert summary.scope.name == "Phường Hưng Dũng"
    by_name = {c.unit.name: c for c in summary.children}
    assert by_name["Khối 3"].values["people_guided"] == 1020
    assert by_name["Phường Hưng Dũng"].values["trainings"] == 6  # the ward's own team
    assert by_name["Khối 5"].status == "missing"
    assert summary.totals["trainings"] == 20 and summary.totals["people_guided"] == 1505
    assert summary.reconciliation.balanced and summary.reconciliation.counted == 5  # + the ward
    assert by_name["Khối 1"].status == "on_time"  # before the 20th of April
    out = write_summary(summary, tmp_path / "phuong.xlsx")
    assert openpyxl.load_workbook(out)["Tổng hợp"]["A1"].value.startswith("TỔNG HỢP KẾT QUẢ HOẠT")


def test_a_unit_in_the_store_and_in_a_summary_is_counted_once(tmp_path, registry):
    van_linh = [p for p in daily_files() if p.name.startswith("van-linh")]
    commune = run(van_linh, tmp_path, registry, level="commune", store="c.db")
    summary_file = write_summary(commune, tmp_path / "xa.xlsx")
    both = run([*van_linh, summary_file], tmp_path, registry, level="commune", store="b.db")
    assert both.totals == commune.totals
    # the same numbers twice in one run: counted once, the other copy named
    assert {f.code for f in both.findings} == {"consolidate.repeated_row"}
    assert len(both.findings) == len(commune.data)
    rec = both.reconciliation
    assert (rec.read, rec.counted, rec.superseded, rec.excluded) == (12, 6, 6, 0)
