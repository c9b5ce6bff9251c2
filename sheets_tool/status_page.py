"""The status page: one self-contained HTML file that shows who reported and where the
targets stand, for the official who reads it on a phone.

It holds what the summary workbook holds (:mod:`sheets_tool.report_book`), from the same
:class:`~sheets_tool.consolidate.Summary`: each child unit's status as on the status
sheet, the indicators against their targets, each unit's numbers, the findings per
unit, and the trend of earlier periods when the summary carries one. Rendered with
Jinja2, autoescaping on, so a name typed as ``<script>`` or ``=HYPERLINK(…)`` shows as
text; the charts are inline SVG (:mod:`sheets_tool.svg`) and the CSS is inline: the file
asks for nothing over the network and runs no script. Written atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from . import __version__, svg
from .consolidate import STATUS_LABELS, Summary, child_notes
from .files import atomic_path
from .findings import ERROR, Finding
from .report_book import TITLES, period_text

# who reported: the units to chase first
ORDER = ("missing", "excluded", "late", "on_time")

TEXT = {
    "vi": {
        "lang": "vi",
        "page": "Tình hình báo cáo",
        "generated": "Tạo lúc {when} bằng sheets-tool {version}",
        "due_daily": "Hạn nộp: {time} ngày {date}",
        "due_monthly": "Hạn nộp: hết ngày {date}",
        "who": "Tình hình nộp báo cáo",
        "unit": "Đơn vị",
        "status": "Tình trạng",
        "reported": "Đã báo cáo",
        "received": "Thời gian nhận",
        "note": "Ghi chú",
        "targets": "Chỉ tiêu",
        "target": "chỉ tiêu",
        "under": "Dưới chỉ tiêu",
        "no_households": "không có số hộ",
        "no_share": "Chưa có số liệu (không có số hộ)",
        "total": "Tổng cộng",
        "trend": "Diễn biến",
        "trend_days": "{n} ngày gần nhất",
        "trend_months": "{n} tháng gần nhất",
        "trend_table": "Bảng số liệu",
        "period": "Kỳ",
        "none": "chưa có số liệu",
        "numbers": "Số liệu theo đơn vị",
        "problems": "Lỗi và cảnh báo",
        "no_problems": "Không có lỗi hay cảnh báo.",
        "other": "Không gắn với đơn vị nào",
        "error": "Lỗi",
        "warning": "Cảnh báo",
        "file": "Tệp",
        "cell": "Ô",
        "what": "Nội dung",
        "reconciliation": "Đối chiếu",
        "decimal": ",",
        "thousands": ".",
    },
    "en": {
        "lang": "en",
        "page": "Reporting status",
        "generated": "Made {when} by sheets-tool {version}",
        "due_daily": "Due: {time} on {date}",
        "due_monthly": "Due: by the end of {date}",
        "who": "Who reported",
        "unit": "Unit",
        "status": "Status",
        "reported": "Reported",
        "received": "Received at",
        "note": "Note",
        "targets": "Targets",
        "target": "target",
        "under": "Under target",
        "no_households": "no households",
        "no_share": "No figures (no households)",
        "total": "Total",
        "trend": "Trend",
        "trend_days": "last {n} days",
        "trend_months": "last {n} months",
        "trend_table": "The numbers",
        "period": "Period",
        "none": "no data",
        "numbers": "Numbers by unit",
        "problems": "Errors and warnings",
        "no_problems": "No errors or warnings.",
        "other": "Not about one unit",
        "error": "Error",
        "warning": "Warning",
        "file": "File",
        "cell": "Cell",
        "what": "What",
        "reconciliation": "Reconciliation",
        "decimal": ".",
        "thousands": ",",
    },
}

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "html"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def write_status_page(
    summary: Summary, path: str | Path, lang: str = "vi", now: dt.datetime | None = None
) -> Path:
    """Write the status page of ``summary`` to ``path`` (atomically); ``now`` is the
    generation time it shows (default: now)."""
    target = Path(path)
    page = render_status_page(summary, lang, now)
    with atomic_path(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target


def render_status_page(summary: Summary, lang: str = "vi", now: dt.datetime | None = None) -> str:
    """The status page of ``summary`` as an HTML document."""
    t = TEXT[lang]
    number = _number_format(t)
    percent = _percent_format(t)
    s = summary
    labels = {c.key: c.label(lang) for c in s.template.columns}
    status_label = {k: v[0 if lang == "vi" else 1] for k, v in STATUS_LABELS.items()}
    units = [
        {
            "code": c.unit.code,
            "name": c.unit.name,
            "status": c.status,
            "status_label": status_label[c.status],
            "reported": c.reported,
            "expected": c.expected,
            "received": c.received_at.replace("T", " "),
            "notes": child_notes(s, c, lang),
            "values": [(k, c.values[k], number(c.values[k])) for k in s.keys],
        }
        for c in s.children
    ]
    who = sorted(units, key=lambda u: ORDER.index(u["status"]))
    counts = [(k, status_label[k], sum(u["status"] == k for u in units)) for k in ORDER]
    due = s.targets.deadlines.due(s.kind, s.period)
    assert due is not None  # a summary is of daily or monthly reports
    deadline = (
        t["due_daily"].format(time=f"{due:%H:%M}", date=f"{due:%d/%m/%Y}")
        if s.kind == "daily"
        else t["due_monthly"].format(date=f"{due:%d/%m/%Y}")
    )
    when = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M")
    return _ENV.get_template("status.html.j2").render(
        t=t,
        title=TITLES[s.kind][0 if lang == "vi" else 1],
        scope=s.scope.name,
        period=period_text(s.kind, s.period, lang),
        generated=t["generated"].format(when=when, version=__version__),
        deadline=deadline,
        counts=counts,
        who=who,
        targets=_targets(s, lang, percent, number),
        trend=_trend(s, labels, number, t),
        keys=[(k, labels.get(k, k)) for k in s.keys],
        units=units,
        totals=[(k, s.totals[k], number(s.totals[k])) for k in s.keys],
        problems=_problems(s, lang),
        reconciliation=s.reconciliation.line(lang),
    )


def _targets(
    s: Summary, lang: str, percent: Callable[[float], str], number: Callable[[float], str]
) -> list[dict[str, Any]]:
    """Per indicator: each unit's share as a bar against the target, and the total."""
    out = []
    for ind in s.indicators:
        label = ind.label_vi if lang == "vi" else ind.label_en
        shares = [c.indicators.get(ind.key) for c in s.children]
        scale = min(1.0, svg.nice_ceiling(max([x for x in shares if x is not None] + [ind.target])))
        rows = []
        for c, share in zip(s.children, shares, strict=True):
            text = percent(share) if share is not None else TEXT[lang]["no_households"]
            rows.append(
                {
                    "code": c.unit.code,
                    "name": c.unit.name,
                    "share": "" if share is None else repr(share),
                    "text": text,
                    "detail": f"{number(c.values[ind.numerator])} / "
                    f"{number(c.values[ind.denominator])}",
                    "under": share is not None and share < ind.target,
                    "bar": svg.share_bar(share, ind.target, scale, f"{c.unit.name}: {text}"),
                }
            )
        total = s.total_indicators.get(ind.key)
        out.append(
            {
                "key": ind.key,
                "label": label,
                "target": ind.target,
                "target_text": percent(ind.target),
                "rows": rows,
                "total": "" if total is None else repr(total),
                "total_text": percent(total) if total is not None else "–",
                "total_under": total is not None and total < ind.target,
            }
        )
    return out


def _trend(
    s: Summary, labels: dict[str, str], number: Callable[[float], str], t: dict[str, str]
) -> dict[str, Any] | None:
    trend = s.trend
    if trend is None:
        return None
    names = [labels.get(k, k) for k in trend.keys]
    ticks = [
        f"{p[8:10]}/{p[5:7]}" if s.kind == "daily" else f"{p[5:7]}/{p[:4]}" for p in trend.periods
    ]
    series = [
        (name, [None if tot is None else tot[k] for tot in trend.totals])
        for name, k in zip(names, trend.keys, strict=True)
    ]
    n = len(trend.periods)
    span = (t["trend_days"] if s.kind == "daily" else t["trend_months"]).format(n=n)
    return {
        "span": span,
        "chart": svg.line_chart(ticks, series, number, f"{t['trend']}: {span}"),
        "legend": svg.legend(names),
        "columns": list(zip(trend.keys, names, strict=True)),
        "rows": [
            (p, tick, None if tot is None else [(k, tot[k], number(tot[k])) for k in trend.keys])
            for p, tick, tot in zip(trend.periods, ticks, trend.totals, strict=True)
        ],
    }


def _problems(s: Summary, lang: str) -> list[dict[str, Any]]:
    """The findings grouped by the child unit whose rows they are about (in the order of
    the units), then those about no one unit (a file as a whole, the registry)."""
    t = TEXT[lang]
    by_child: dict[str | None, list[Finding]] = {}
    for f in s.findings:
        by_child.setdefault(s.child_of_finding(f), []).append(f)
    groups: list[tuple[str | None, str]] = [
        (c.unit.code, c.unit.name) for c in s.children if c.unit.code in by_child
    ]
    if None in by_child:
        groups.append((None, t["other"]))
    out = []
    for code, name in groups:
        items = []
        for f in by_child[code]:
            path = str(f.params.get("path") or "")
            items.append(
                {
                    "severity": f.severity,
                    "severity_label": t["error"] if f.severity == ERROR else t["warning"],
                    "file": Path(path).name if path else "",
                    "path": path,
                    "where": "!".join(x for x in (f.sheet or "", f.cell or "") if x),
                    "message": f.message(lang),
                }
            )
        errors = sum(i["severity"] == ERROR for i in items)
        out.append(
            {
                "code": code or "",
                "name": name,
                "errors": errors,
                "warnings": len(items) - errors,
                "items": items,
            }
        )
    return out


def _number_format(t: dict[str, str]) -> Callable[[float], str]:
    def number(value: float) -> str:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return text.translate({ord(","): t["thousands"], ord("."): t["decimal"]})

    return number


def _percent_format(t: dict[str, str]) -> Callable[[float], str]:
    def percent(value: float) -> str:
        return f"{value * 100:.1f}%".replace(".", t["decimal"])

    return percent
