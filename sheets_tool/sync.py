"""The scheduled link between the officials' shared Google Sheets, the store and the
summary: ``sheets-tool sync CONFIG [--once | --every 15m] [--dry-run]``.

Each run, for every source in the configuration: read it (two requests), skip it if its
content has not changed since the last run, otherwise validate it, keep it in the store
and write a "Kiểm tra" tab into that spreadsheet listing its findings with their cells.
Then consolidate the period from the store, write the summary locally (.xlsx, and the
status page beside it, .html: :mod:`sheets_tool.status_page`) and into
the target spreadsheet: "Tổng hợp" and "Tình hình báo cáo" with live formulas (sent
USER_ENTERED), "Dữ liệu" and "Lỗi" as plain values (sent RAW, so a cell typed "=..."
can never become a formula). The officials' own tabs are never written.

Change detection is by content hash, not by Drive's modified time: sync itself writes
the "Kiểm tra" tab into every source, which changes the modified time on each run, and
a hash of the officials' tabs alone is exact. It costs the two read requests a source.

A run that dies midway resumes on the next: a source's hash is saved only once it is
in the store, and the store keeps the same content once, so nothing is lost and nothing
is counted twice. A lock file keeps two runs from overlapping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import sqlite3
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import drive_changes, gsheets, sheets_write
from .consolidate import TREND_PERIODS, Targets, consolidate, load_targets
from .files import atomic_path
from .findings import Finding, finding_table
from .hierarchy import SUMMARY_LEVELS, ConsolidationError
from .i18n import count, language, tr
from .ingest import ingest_results
from .reader import read_fetched
from .registry import load_registry
from .report_book import write_summary
from .rules.across import check_across
from .status_page import write_status_page
from .store import REPORT_KINDS, Store
from .templates import Profile, load_profile
from .validate import check_workbook

USER_ENTERED_TABS = ("Tổng hợp", "Tình hình báo cáo", "Summary", "Reporting")


class SyncError(RuntimeError):
    """The run cannot start (bad configuration, lock held); exit 2."""


@dataclass
class Source:
    unit: str
    spreadsheet: str
    worksheet: str | None = None
    kind: str = "daily"

    @property
    def ref(self) -> gsheets.SheetRef:
        ref = gsheets.parse_ref(self.spreadsheet)
        if ref is None:
            raise SyncError(
                tr(
                    "nguồn {unit}: '{ref}' không phải địa chỉ Google Sheets hay gsheet:KEY",
                    "source {unit}: '{ref}' is not a Google Sheets URL or gsheet:KEY",
                    unit=self.unit,
                    ref=self.spreadsheet,
                )
            )
        return gsheets.SheetRef(ref.key, self.worksheet or ref.worksheet, ref.gid)

    @property
    def key(self) -> str:
        return f"{self.ref}|{self.kind}"


@dataclass
class SyncConfig:
    path: Path
    sources: list[Source]
    registry: Path
    store: Path
    output: Path
    level: str = "district"
    kind: str = "daily"
    unit: str | None = None  # the unit summarised; by default the one the sources are under
    target: str | None = None
    credentials: Path | None = None
    profile: str = "none"
    targets: Path | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    log: Path | None = None
    state: Path | None = None
    per_minute: int = 60

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def state_path(self) -> Path:
        return self.state or self.store.with_name(self.store.name + ".sync-state.json")

    @property
    def log_path(self) -> Path:
        return self.log or self.path.with_suffix(".log")


def load_config(path: str | Path) -> SyncConfig:
    """Read a sync configuration (TOML); relative paths are taken from its folder. Every
    value is checked (kind, type, range) before anything runs: :class:`SyncError`."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SyncError(
            tr("không đọc được {p}: {e}", "cannot read {p}: {e}", p=p, e=exc.strerror)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SyncError(
            tr("{p}: không phải TOML hợp lệ: {e}", "{p}: not valid TOML: {e}", p=p, e=exc)
        ) from None
    base = p.resolve().parent
    text = _Values(_table(raw, "sync", p), p, "[sync]")
    needed = {}
    for key in ("registry", "store", "output"):
        value = text.string(key)
        if value is None:
            raise SyncError(tr("{p}: [sync] cần '{k}'", "{p}: [sync] needs '{k}'", p=p, k=key))
        needed[key] = base / value

    def here(key: str) -> Path | None:
        value = text.string(key)
        return None if value is None else base / value

    kind = text.choice("kind", REPORT_KINDS) or "daily"
    items = raw.get("sources", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SyncError(
            tr(
                "{p}: mỗi nguồn là một bảng [[sources]] có unit và spreadsheet",
                "{p}: each source is a [[sources]] table with unit and spreadsheet",
                p=p,
            )
        )
    sources = []
    for i, item in enumerate(items):
        values = _Values(item, p, f"[[sources]] {i + 1}")
        unit, spreadsheet = values.string("unit"), values.string("spreadsheet")
        if not unit or not spreadsheet:
            raise SyncError(
                tr(
                    "{p}: nguồn {n} cần 'unit' và 'spreadsheet'",
                    "{p}: source {n} needs 'unit' and 'spreadsheet'",
                    p=p,
                    n=i + 1,
                )
            )
        source = Source(
            unit,
            spreadsheet,
            values.string("worksheet"),
            values.choice("kind", REPORT_KINDS) or kind,
        )
        _ = source.ref  # refuse a bad reference now, not halfway through a run
        sources.append(source)
    if not sources:
        raise SyncError(tr("{p}: không có nguồn [[sources]] nào", "{p}: no [[sources]]", p=p))
    target = text.string("target")
    if target and gsheets.parse_ref(target) is None:
        raise SyncError(
            tr(
                "{p}: target '{t}' không phải địa chỉ Google Sheets hay gsheet:KEY",
                "{p}: target '{t}' is not a Google Sheets URL or gsheet:KEY",
                p=p,
                t=target,
            )
        )
    timezone = text.string("timezone") or "Asia/Ho_Chi_Minh"
    try:
        ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        raise SyncError(
            tr(
                "{p}: [sync] timezone '{z}' không phải múi giờ (ví dụ: Asia/Ho_Chi_Minh)",
                "{p}: [sync] timezone '{z}' is not a time zone (e.g. Asia/Ho_Chi_Minh)",
                p=p,
                z=timezone,
            )
        ) from None
    return SyncConfig(
        path=p,
        sources=sources,
        registry=needed["registry"],
        store=needed["store"],
        output=needed["output"],
        level=text.choice("level", SUMMARY_LEVELS) or "district",
        kind=kind,
        unit=text.string("unit"),
        target=target,
        credentials=here("credentials"),
        profile=text.string("profile") or "none",
        targets=here("targets"),
        timezone=timezone,
        log=here("log"),
        state=here("state"),
        per_minute=text.whole("requests_per_minute", 1, 100_000) or 60,
    )


def _table(raw: dict[str, Any], key: str, p: Path) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise SyncError(
            tr(
                "{p}: '{k}' phải là một bảng [{k}], không phải {v!r}",
                "{p}: '{k}' must be a [{k}] table, not {v!r}",
                p=p,
                k=key,
                v=value,
            )
        )
    return value


@dataclass
class _Values:
    """The values of one table of the configuration, each checked for its kind."""

    table: dict[str, Any]
    path: Path
    where: str

    def _wrong(self, key: str, wanted_vi: str, wanted_en: str) -> SyncError:
        return SyncError(
            tr(
                "{p}: {w} {k} = {v!r}: cần {want}",
                "{p}: {w} {k} = {v!r}: {want} expected",
                p=self.path,
                w=self.where,
                k=key,
                v=self.table[key],
                want=wanted_vi if language() == "vi" else wanted_en,
            )
        )

    def string(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self._wrong(key, "một chuỗi trong dấu nháy", "a quoted string")
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.string(key)
        if value is not None and value not in choices:
            listed = ", ".join(choices)
            raise self._wrong(key, f"một trong {listed}", f"one of {listed}")
        return value

    def whole(self, key: str, low: int, high: int) -> int | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._wrong(
                key, f"một số nguyên từ {low} đến {high}", f"a whole number from {low} to {high}"
            )
        return value


@dataclass
class SyncResult:
    read: int = 0
    unchanged: int = 0
    failed: int = 0
    requests: int = 0
    reads: int = 0
    writes: int = 0
    summary: Path | None = None
    page: Path | None = None  # the status page beside the summary
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        if language() == "vi":
            return (
                f"sync: đọc {self.read}, không đổi {self.unchanged}, lỗi {self.failed}; "
                f"{self.requests} yêu cầu ({self.reads} đọc, {self.writes} ghi)"
                + (f"; bảng tổng hợp {self.summary}" if self.summary else "")
            )
        requests = count(self.requests, "request", "requests", "")
        return (
            f"sync: {self.read} read, {self.unchanged} unchanged, {self.failed} failed; "
            f"{requests} ({self.reads} read, {self.writes} write)"
            + (f"; summary {self.summary}" if self.summary else "")
        )

    def exit_code(self) -> int:
        return 1 if self.failed else 0


@contextlib.contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """An exclusive lock for the run; a second run at the same time is refused."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError(
                tr(
                    "một lần chạy sync khác đang giữ {path}; hãy đợi nó xong",
                    "another sync run holds {path}; wait for it to finish",
                    path=path,
                )
            ) from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _load_state(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_state(path: Path, state: dict[str, Any]) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")


def period_for(
    config: SyncConfig, now: dt.datetime, day: dt.date | None, month: str | None
) -> tuple[dt.date | None, str | None]:
    """The period to consolidate: given, or today (daily) / last month (monthly)."""
    if day or month:
        return day, month
    today = now.astimezone(ZoneInfo(config.timezone)).date() if now.tzinfo else now.date()
    if config.kind == "daily":
        return today, None
    first = today.replace(day=1) - dt.timedelta(days=1)
    return None, f"{first:%Y-%m}"


def run_once(
    config: SyncConfig,
    *,
    dry_run: bool = False,
    day: dt.date | None = None,
    month: str | None = None,
    now: dt.datetime | None = None,
    budget: gsheets.Budget | None = None,
    base_url: str | None = None,
) -> SyncResult:
    """One sync run (see the module's documentation)."""
    now = now or dt.datetime.now(dt.UTC)
    budget = budget or gsheets.Budget(per_minute=config.per_minute)
    result = SyncResult()
    with run_lock(config.lock_path):
        google = gsheets.connect(
            config.credentials, budget=budget, base_url=base_url, scopes=gsheets.SYNC_SCOPES
        )
        if budget.shared is None and not dry_run:
            budget.shared = quota_path(config, google.email)
        registry = load_registry(config.registry)
        targets = load_targets(config.targets) if config.targets else Targets()
        profile = load_profile(config.profile)
        state = _load_state(config.state_path)
        seen = _listing(config, google, result)
        with _store_for(config, dry_run) as store:
            for source in config.sources:
                _sync_source(
                    source,
                    config,
                    google,
                    registry,
                    profile,
                    store,
                    state,
                    targets,
                    now,
                    dry_run,
                    result,
                    seen,
                )
            day, month = period_for(config, now, day, month)
            try:
                summary = consolidate(
                    [],
                    level=config.level,
                    registry=registry,
                    store=store,
                    day=day,
                    month=month,
                    unit=config.unit or _scope_of_sources(config, registry, day, month),
                    targets=targets,
                    profile=config.profile,
                    history=0 if dry_run else TREND_PERIODS[config.kind],  # for the page
                )
            except ConsolidationError as exc:
                result.messages.append(
                    tr("không tổng hợp được: ", "nothing consolidated: ") + str(exc)
                )
                summary = None
        if summary is not None and not dry_run:
            name = f"{summary.scope.code}-{summary.period}.xlsx"
            result.summary = write_summary(summary, config.output / name)
            result.page = write_status_page(summary, result.summary.with_suffix(".html"))
            if config.target:
                _write_target(config, google, state, result.summary, result)
    result.requests, result.reads, result.writes = budget.used, budget.reads, budget.writes
    _log(config, result, now)
    return result


def quota_path(config: SyncConfig, email: str) -> Path:
    """The file beside the store in which every process using this key on the machine
    counts its requests of the minute."""
    import hashlib

    tag = hashlib.sha256(email.encode()).hexdigest()[:10]
    return config.store.with_name(f".sheets-tool-quota-{tag}.json")


def _listing(
    config: SyncConfig, google: gsheets.Google, result: SyncResult
) -> dict[str, drive_changes.Seen] | None:
    """Drive's listing of the sources (one request), or None when it cannot be had:
    every source is then read, as before the listing existed."""
    try:
        with gsheets._translated(google, gsheets.SheetRef("drive")):
            return drive_changes.list_seen(google, {s.ref.key for s in config.sources})
    except gsheets.SheetsError as exc:
        result.messages.append("Drive: " + str(exc).removeprefix("gsheet:drive: "))
        return None


def _write_target(
    config: SyncConfig,
    google: gsheets.Google,
    state: dict[str, Any],
    path: Path,
    result: SyncResult,
) -> None:
    """The summary into the target spreadsheet, in one atomic request, unless it holds
    this very summary already."""
    target = gsheets.parse_ref(config.target or "")
    assert target is not None
    tabs = xlsx_tabs(path)
    digest = sheets_write.digest(tabs)
    known = state.setdefault("target", {})
    if known.get("key") != target.key:
        known = {}
    if known.get("digest") == digest:
        return
    seen = (known["sheets"], known["locale"]) if "sheets" in known else None
    try:
        sheets, locale = sheets_write.write_tabs(target, tabs, google, seen)
    except gsheets.SheetsError as exc:
        result.failed += 1
        result.messages.append(str(exc))
        return
    state["target"] = {"key": target.key, "digest": digest, "sheets": sheets, "locale": locale}
    _save_state(config.state_path, state)


def _scope_of_sources(
    config: SyncConfig, registry: Any, day: dt.date | None, month: str | None
) -> str:
    """The one unit of the configured level that the sources' communes are under."""
    on = day or dt.date.fromisoformat(f"{month}-01")
    found = set()
    for source in config.sources:
        commune = registry.find(source.unit, "commune", on=on).unit
        above = registry.ancestor_at(commune.code, config.level) if commune else None
        if above is not None:
            found.add(above.code)
    if len(found) != 1:
        raise ConsolidationError(
            tr(
                '{p}: các nguồn không cùng thuộc một đơn vị cấp {level}: hãy ghi [sync] unit = "…"',
                '{p}: the sources are not under one unit of level {level}: give [sync] unit = "…"',
                p=config.path,
                level=config.level,
            )
        )
    return str(found.pop())


@contextlib.contextmanager
def _store_for(config: SyncConfig, dry_run: bool) -> Iterator[Store]:
    """The store, or for a dry run a throw-away copy of it."""
    if not dry_run:
        with Store(config.store) as store:
            yield store
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "dry-run.db"
        if config.store.exists():  # a consistent copy, with what is still in the WAL
            with Store(config.store) as src, contextlib.closing(sqlite3.connect(copy)) as dst:
                src.con.backup(dst)
        with Store(copy) as store:
            yield store


def _sync_source(
    source: Source,
    config: SyncConfig,
    google: gsheets.Google,
    registry: Any,
    profile: Profile,
    store: Store,
    state: dict[str, Any],
    targets: Targets,
    now: dt.datetime,
    dry_run: bool,
    result: SyncResult,
    seen: dict[str, drive_changes.Seen] | None = None,
) -> None:
    ref = source.ref
    known = state.setdefault("sources", {}).get(source.key, {})
    listed = seen.get(ref.key) if seen is not None else None
    if drive_changes.unchanged(known.get("drive", {}), listed, google.email):
        if listed is not None and known.get("drive", {}).get("writes") and not dry_run:
            _remember(config, state, source, {**known, "drive": listed.as_state()})
        result.unchanged += 1
        return
    try:
        fetched = gsheets.fetch(ref, google)
    except gsheets.SheetsError as exc:
        result.failed += 1
        result.messages.append(f"{source.unit}: {exc}")
        return
    if known.get("hash") == fetched.content_hash:
        if listed is not None and not dry_run:
            _remember(config, state, source, {**known, "drive": listed.as_state()})
        result.unchanged += 1
        return
    workbook = read_fetched(fetched, source.kind, str(ref))
    checked = check_workbook(workbook, profile)
    check_across([checked], profile)
    for entry in checked.entries:
        entry.values.setdefault("commune", source.unit)
    received = now.astimezone(ZoneInfo(config.timezone)).replace(
        tzinfo=None, second=0, microsecond=0
    )
    ingest_results([checked], store, registry, received_at=received, deadlines=targets.deadlines)
    result.read += 1
    if dry_run:
        return
    check = {gsheets.CHECK_TAB: (check_tab(checked.report.findings), "RAW")}
    digest = sheets_write.digest(check)
    writes = 0
    if digest != known.get("check"):  # the same findings as last time: not written again
        try:
            sheets_write.write_tabs(ref, check, google, (fetched.sheets, fetched.locale))
            writes = 1
        except gsheets.SheetsError as exc:
            # its data is in the store; the official just does not see the findings
            result.failed += 1
            result.messages.append(f"{source.unit}: {_check_tab_refused(exc, google)}")
            digest = known.get("check", "")
    remembered: dict[str, Any] = {
        "hash": fetched.content_hash,
        "check": digest,
        "at": now.isoformat(timespec="seconds"),
        "title": fetched.title,
    }
    if listed is not None:
        remembered["drive"] = listed.as_state(writes)
    _remember(config, state, source, remembered)


def _check_tab_refused(exc: gsheets.SheetsError, google: gsheets.Google) -> str:
    if exc.status == 403:
        return tr(
            "đã đọc, nhưng không ghi được thẻ '{tab}' (chỉ được chia sẻ quyền xem): hãy chia "
            "sẻ bảng tính với {who} với quyền Người chỉnh sửa (Editor).",
            "read, but the '{tab}' tab could not be written (shared as Viewer only): share "
            "the spreadsheet with {who} as Editor (Người chỉnh sửa).",
            tab=gsheets.CHECK_TAB,
            who=google.email,
        )
    return str(exc)


def _remember(
    config: SyncConfig, state: dict[str, Any], source: Source, entry: dict[str, Any]
) -> None:
    state.setdefault("sources", {})[source.key] = entry
    _save_state(config.state_path, state)


CHECK_COLUMNS = ("severity", "code", "sheet", "cell", "value", "message")


def check_tab(findings: list[Finding], lang: str = "vi") -> list[list[Any]]:
    """The "Kiểm tra" tab: each finding with its cell, for the official who typed it."""
    heads, rows = finding_table(findings, lang, CHECK_COLUMNS)
    if not rows:
        blank = [""] * (len(CHECK_COLUMNS) - 1)
        rows = [[*blank, "Không có lỗi." if lang == "vi" else "No findings."]]
    return [heads, *rows]


def xlsx_tabs(path: Path) -> dict[str, tuple[list[list[Any]], str]]:
    """A written summary as tabs for Google Sheets: formulas as :class:`gsheets.Formula`
    in the formula tabs (USER_ENTERED), cached values everywhere else (RAW)."""
    import openpyxl  # only here: `sheets-tool --help` need not load it

    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    tabs: dict[str, tuple[list[list[Any]], str]] = {}
    for ws in formulas.worksheets:
        live = ws.title in USER_ENTERED_TABS
        rows = []
        for f_row, v_row in zip(ws.iter_rows(), values[ws.title].iter_rows(), strict=True):
            row = []
            for f_cell, v_cell in zip(f_row, v_row, strict=True):
                if f_cell.data_type == "f" and live:
                    row.append(gsheets.Formula(str(f_cell.value)))
                else:
                    row.append(v_cell.value)
            rows.append(row)
        tabs[ws.title] = (rows, "USER_ENTERED" if live else "RAW")
    return tabs


def _log(config: SyncConfig, result: SyncResult, now: dt.datetime) -> None:
    lines = [f"{now.isoformat(timespec='seconds')} {result.line()}"]
    lines += [f"    {m}" for m in result.messages]
    try:
        config.log_path.parent.mkdir(parents=True, exist_ok=True)
        with config.log_path.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    except OSError:
        pass  # the summary line still goes to stdout


_EVERY = re.compile(r"^(\d+)\s*([smh]?)$")


def parse_every(text: str) -> float:
    """ "15m" → 900 seconds; "1h", "30s" and plain seconds too."""
    m = _EVERY.match(text.strip().lower())
    if not m or int(m.group(1)) == 0:
        raise SyncError(
            tr(
                "--every cần một khoảng thời gian như 15m, 1h hoặc 900s, không phải '{text}'",
                "--every takes a duration such as 15m, 1h or 900s, not '{text}'",
                text=text,
            )
        )
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def run_every(
    config: SyncConfig, seconds: float, report: Callable[[SyncResult], None], **kwargs: Any
) -> None:
    """Run, then wait ``seconds``, forever (Ctrl-C stops it between runs)."""
    while True:
        started = time.monotonic()
        try:
            report(run_once(config, **kwargs))
        except (SyncError, gsheets.SheetsError) as exc:
            report(SyncResult(messages=[str(exc)], failed=1))
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
