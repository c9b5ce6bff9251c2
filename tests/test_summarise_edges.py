"""Consolidation at its edges: a unit that ended before the day, a commune name two
districts share, and a stored row whose village the registry no longer lists."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from sheets_tool.consolidate import DataRow, consolidate, summarise, summarise_store
from sheets_tool.findings import ERROR
from sheets_tool.registry import Registry, load_registry
from sheets_tool.store import Store
from sheets_tool.units import Unit

from .conftest import CHI_LANG
from .reports import VILLAGES, daily_file, values

DAY = dt.date(2021, 8, 5)
NUMBERS = {v: values(150 + 17 * i, i) for c in VILLAGES for i, v in enumerate(VILLAGES[c])}
AT = dt.datetime(2021, 8, 5, 16, 0)


@pytest.fixture
def registry():
    return load_registry(CHI_LANG / "registry.xlsx")


def test_a_commune_that_ended_before_the_day_is_no_row_of_the_district(registry):
    district = registry.find("Huyện Chi Lăng", "district").unit
    y_tich = registry.find("Y Tịch", "commune").unit
    assert district is not None and y_tich is not None
    ended = dataclasses.replace(y_tich, valid_to=DAY - dt.timedelta(1))
    registry = Registry({**registry.units, y_tich.code: ended})
    village = registry.find("Đoàn Kết", "village").unit
    rows = [DataRow(village, {"households": 230.0})]
    summary = summarise("daily", district, DAY.isoformat(), rows, registry)
    names = [c.unit.name for c in summary.children]
    assert "Xã Y Tịch" not in names and "Xã Quan Sơn" in names
    # the day before, it is one
    before = summarise("daily", district, "2021-08-04", rows, registry)
    assert "Xã Y Tịch" in [c.unit.name for c in before.children]


def test_a_commune_name_two_districts_share_is_the_one_under_the_unit_given(tmp_path, registry):
    # a second "Xã Vạn Linh" in another district of the province
    province = registry.find("Lạng Sơn", "province").unit
    assert province is not None
    registry.add(Unit("999", "Huyện Khác", "district", province.code))
    registry.add(Unit("99999", "Xã Vạn Linh", "commune", "999"))
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Vạn Linh"]]
    report = daily_file(tmp_path / "van-linh.xlsx", "Vạn Linh", rows)
    book = openpyxl.load_workbook(report)  # a title that names no district
    book.active["A3"] = "Xã Vạn Linh - Ngày 05/08/2021"
    book.save(report)
    with Store(tmp_path / "s.db") as store:
        summary = consolidate(
            [report],
            level="district",
            unit="Huyện Chi Lăng",
            registry=registry,
            store=store,
            day=DAY,
            received_at=AT,
        )
    assert [f.code for f in summary.findings if f.severity == ERROR] == []
    assert summary.totals["households"] == sum(n["households"] for _v, n in rows)


def test_a_stored_village_the_registry_no_longer_lists_is_an_error_at_its_cell(tmp_path, registry):
    rows = [(v, NUMBERS[v]) for v in VILLAGES["Quan Sơn"]]
    report = daily_file(tmp_path / "quan-son.xlsx", "Quan Sơn", rows)
    commune = registry.find("Quan Sơn", "commune").unit
    assert commune is not None
    with Store(tmp_path / "s.db") as store:
        consolidate(
            [report], level="commune", registry=registry, store=store, day=DAY, received_at=AT
        )
        # the registry of a later day: Bản Ngõa is gone (merged into its neighbour)
        gone = registry.find("Bản Ngõa", "village", within=commune.code).unit
        assert gone is not None
        later = Registry({c: u for c, u in registry.units.items() if c != gone.code})
        summary = summarise_store(store, later, kind="daily", period=DAY.isoformat(), scope=commune)
    unknown = [f for f in summary.findings if f.code == "registry.unknown_unit"]
    assert len(unknown) == 1
    f = unknown[0]
    assert (f.severity, f.sheet, f.column, f.value) == (ERROR, "05-08", "village", "Bản Ngõa")
    assert (f.row, f.cell) == (8, "B8")
    assert f.params["name"] == f"Bản Ngõa ({gone.code})"
    assert summary.totals["households"] == sum(n["households"] for v, n in rows if v != "Bản Ngõa")
