"""Google Sheets: read shared spreadsheets with the same reader, write summaries back.

A source is a spreadsheet URL (``https://docs.google.com/spreadsheets/d/KEY/edit``) or
``gsheet:KEY``, optionally with a worksheet (``gsheet:KEY#Báo cáo``). Reading costs two
requests: one metadata call (titles, locale, merges) and one batched values call with
values unformatted, so that numbers stay numbers and codes typed as text stay text
("007" stays "007"; gspread's ``get_all_records`` would make it 7, so it is never used).

Dates: values come with ``dateTimeRenderOption=FORMATTED_STRING``, i.e. as the sheet
shows them, and are read in the spreadsheet's own locale: day first ("05/08/2021") for
vi_VN and most others, month first for en_US-like locales, where "8/5/2021" is 5 August.

Authentication follows gspread: a service-account JSON file given with
``--credentials``, the ``SHEETS_TOOL_CREDENTIALS`` or ``GOOGLE_APPLICATION_CREDENTIALS``
environment variable, or gspread's default path. Every request goes through
:class:`RetryingHTTPClient`, which counts requests, keeps under a per-minute budget,
and retries 429, 5xx and timeouts with bounded exponential back-off and jitter,
honouring Retry-After (gspread 6.2.1's own back-off client never stops on a permanent
429 and retries genuine 403s).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import tr

# gspread, google-auth and requests take a third of a second to import: they are imported
# where a Google sheet is read or written, not when this module is (`sheets-tool --help`,
# a local file)
if TYPE_CHECKING:
    import requests
    from gspread import Client
    from gspread.exceptions import APIError

# what a token may do: read the officials' sheets (validate, consolidate), or also
# write them and see Drive's modified times (sync); never full Drive access
READ_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
SYNC_SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.metadata.readonly",
)
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
CHECK_TAB = "Kiểm tra"
_URL = re.compile(
    r"https?://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)(?:[^#]*)(?:#gid=(\d+))?"
)
_MONTH_FIRST_LOCALES = ("en_US", "en_PH", "en_CA", "es_US", "en_BZ", "fil")


class SheetsError(RuntimeError):
    """Google Sheets cannot be used for this source; the message says what to do.

    ``permanent`` is False for errors worth retrying on the next run (quota, outage).
    """

    def __init__(self, message: str, *, permanent: bool = True, status: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True)
class SheetRef:
    key: str
    worksheet: str | None = None
    gid: int | None = None

    def __str__(self) -> str:
        return f"gsheet:{self.key}" + (f"#{self.worksheet}" if self.worksheet else "")


def parse_ref(text: str | Path) -> SheetRef | None:
    """A Google Sheets reference, or None for a local path."""
    text = str(text)
    m = _URL.match(text)
    if m:
        return SheetRef(m.group(1), None, int(m.group(2)) if m.group(2) else None)
    if text.startswith("gsheet:"):
        key, _, worksheet = text[len("gsheet:") :].partition("#")
        if re.fullmatch(r"[A-Za-z0-9_-]{10,}", key):
            return SheetRef(key, worksheet or None)
    return None


def is_google(text: str | Path) -> bool:
    return parse_ref(text) is not None


# ---------------------------------------------------------------------------
# the HTTP layer


@dataclass
class Budget:
    """Request counting, a per-minute limit (reads and writes counted apart, as Google
    does) and the retry policy.

    With ``shared`` (a file), the minute's requests are kept in that file under a lock,
    so every process using the same key on the machine (sync runs, a validate of a
    Google source) stays within one budget: Google counts per key, not per process."""

    per_minute: int = 60
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 32.0
    reads: int = 0
    writes: int = 0
    sleep: Any = time.sleep
    shared: Path | None = None
    clock: Any = time.time  # wall time: the file is read by other processes
    _recent: dict[str, deque[float]] = field(
        default_factory=lambda: {"read": deque(), "write": deque()}
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def used(self) -> int:
        return self.reads + self.writes

    def take(self, method: str) -> None:
        """Wait until a request fits in its per-minute budget, then count it."""
        kind = "read" if method.lower() == "get" else "write"
        if self.shared is not None:
            self._take_shared(kind)
        with self._lock:
            if self.shared is not None:
                self._count(kind)
                return
            recent = self._recent[kind]
            now = time.monotonic()
            while recent and now - recent[0] >= 60:
                recent.popleft()
            if len(recent) >= self.per_minute:
                self.sleep(max(0.0, 60 - (now - recent[0])))
                recent.popleft()
            recent.append(time.monotonic())
            self._count(kind)

    def _count(self, kind: str) -> None:
        if kind == "read":
            self.reads += 1
        else:
            self.writes += 1

    def _take_shared(self, kind: str) -> None:
        """Wait until the shared file's minute has room for one more, then note it."""
        import fcntl

        assert self.shared is not None
        self.shared.parent.mkdir(parents=True, exist_ok=True)
        while True:
            with self.shared.open("a+", encoding="utf-8") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                fh.seek(0)
                try:
                    doc = json.loads(fh.read() or "{}")
                except ValueError:
                    doc = {}
                now = self.clock()
                recent = [t for t in doc.get(kind, []) if now - t < 60]
                if len(recent) < self.per_minute:
                    doc[kind] = [*recent, now]
                    doc.setdefault("read" if kind == "write" else "write", [])
                    fh.seek(0)
                    fh.truncate()
                    fh.write(json.dumps(doc))
                    return
                wait = 60 - (now - min(recent))
            self.sleep(max(0.0, wait))  # outside the lock: the others go on

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Bounded exponential back-off with full jitter; Retry-After when given."""
        if retry_after:
            try:
                return min(float(retry_after), self.max_delay)
            except ValueError:
                pass
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


@cache
def _retrying_client() -> type[Any]:
    """gspread's HTTP client with counting, a budget, bounded retries, and (for tests)
    the Google hosts rewritten to ``base_url`` (made on first use: see the imports)."""
    import requests
    from gspread.exceptions import APIError
    from gspread.http_client import HTTPClient

    class RetryingHTTPClient(HTTPClient):
        budget: Budget = Budget()
        base_url: str | None = None

        def request(
            self,
            method: str,
            endpoint: str,
            params: Any = None,
            data: Any = None,
            json: Mapping[str, Any] | None = None,
            files: Any = None,
            headers: MutableMapping[str, str] | None = None,
        ) -> requests.Response:
            if self.base_url:
                for host in GOOGLE_HOSTS:
                    if endpoint.startswith(host):
                        endpoint = self.base_url + endpoint[len(host) :]
            budget = self.budget
            for attempt in range(budget.max_attempts):
                budget.take(method)
                try:
                    response = self.session.request(
                        method=method,
                        url=endpoint,
                        json=json,
                        params=params,
                        data=data,
                        files=files,
                        headers=headers,
                        timeout=self.timeout or 60,
                    )
                except (requests.Timeout, requests.ConnectionError):
                    if attempt + 1 == budget.max_attempts:
                        raise
                    budget.sleep(budget.delay(attempt, None))
                    continue
                if response.ok:
                    return response
                if response.status_code in RETRY_STATUSES and attempt + 1 < budget.max_attempts:
                    budget.sleep(budget.delay(attempt, response.headers.get("Retry-After")))
                    continue
                raise APIError(response)
            raise AssertionError("unreachable")  # pragma: no cover

    return RetryingHTTPClient


def make_http_client(budget: Budget, base_url: str | None = None) -> type[Any]:
    """A client class bound to ``budget`` (gspread takes a class, not an instance)."""
    return type(
        "BoundRetryingHTTPClient", (_retrying_client(),), {"budget": budget, "base_url": base_url}
    )


# ---------------------------------------------------------------------------
# authentication


def credentials_path(given: str | Path | None = None) -> Path:
    for candidate in (
        given,
        os.environ.get("SHEETS_TOOL_CREDENTIALS"),
        os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"),
    ):
        if candidate:
            return Path(candidate)
    from gspread.auth import DEFAULT_SERVICE_ACCOUNT_FILENAME

    return Path(DEFAULT_SERVICE_ACCOUNT_FILENAME)


def service_email(path: Path) -> str:
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("client_email", ""))
    except (OSError, ValueError):
        return ""


@dataclass
class Google:
    """A connected client and what it needs to explain errors."""

    client: Client
    email: str
    budget: Budget


def connect(
    credentials: str | Path | None = None,
    *,
    budget: Budget | None = None,
    base_url: str | None = None,
    scopes: tuple[str, ...] = READ_SCOPES,
) -> Google:
    """Authorise with a service account; raises :class:`SheetsError` saying what to do."""
    from google.auth.exceptions import GoogleAuthError
    from gspread import service_account

    path = credentials_path(credentials)
    budget = budget or Budget()
    if not path.is_file():
        raise SheetsError(
            tr(
                "không có khóa truy cập Google ở {path}. Hãy tạo khóa tài khoản dịch vụ (JSON) "
                "trong Google Cloud console và chỉ đến nó bằng --credentials TỆP hoặc biến "
                "môi trường SHEETS_TOOL_CREDENTIALS.",
                "no Google credentials at {path}. Create a service account key (JSON) in the "
                "Google Cloud console and give it with --credentials FILE or the "
                "SHEETS_TOOL_CREDENTIALS environment variable.",
                path=path,
            )
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("type") != "service_account" or "private_key" not in doc:
            raise ValueError(tr("không phải khóa tài khoản dịch vụ", "not a service-account key"))
        client = service_account(
            filename=path, http_client=make_http_client(budget, base_url), scopes=list(scopes)
        )
    except (ValueError, KeyError, GoogleAuthError) as exc:
        raise SheetsError(
            tr(
                "{path}: không dùng được làm khóa tài khoản dịch vụ ({exc}). Hãy tải một khóa "
                "JSON mới cho tài khoản dịch vụ.",
                "{path}: not a usable service-account key ({exc}). Download a new "
                "JSON key for the service account.",
                path=path,
                exc=exc,
            )
        ) from None
    return Google(client, str(doc.get("client_email", "")), budget)


_current: Google | None = None
_current_credentials: str | Path | None = None


@contextmanager
def _translated(google: Google, ref: SheetRef) -> Iterator[None]:
    """Google's errors as a :class:`SheetsError` an official can act on."""
    import requests
    from google.auth.exceptions import RefreshError, TransportError
    from gspread.exceptions import APIError

    try:
        yield
    except APIError as exc:
        raise explain(exc, google, ref) from None
    except RefreshError as exc:
        if getattr(exc, "retryable", False) or "invalid_grant" not in str(exc):
            raise _unreachable(
                ref, tr("máy chủ cấp quyền của Google trả lời lỗi", "Google's token service failed")
            ) from None
        raise SheetsError(
            tr(
                "{ref}: Google từ chối khóa của {who} (invalid_grant: khóa đã bị thu hồi hoặc "
                "xóa, hoặc tài khoản dịch vụ không còn). Hãy tạo khóa mới (JSON) cho tài khoản "
                "dịch vụ trong Google Cloud console và chỉ đến tệp đó bằng --credentials hoặc "
                "[sync] credentials.",
                "{ref}: Google refused the key of {who} (invalid_grant: the key was revoked or "
                "deleted, or the service account is gone). Create a new key (JSON) for the "
                "service account in the Google Cloud console and point --credentials or "
                "[sync] credentials at it.",
                ref=ref,
                who=google.email or tr("tài khoản dịch vụ", "the service account"),
            )
        ) from None
    except (TransportError, requests.RequestException) as exc:
        why = tr("không có mạng hoặc Google không trả lời", "no network, or Google does not answer")
        raise _unreachable(ref, f"{why}: {type(exc).__name__}") from None


def _unreachable(ref: SheetRef, why: str) -> SheetsError:
    return SheetsError(
        tr(
            "{ref}: không kết nối được Google ({why}). Lần chạy sau sẽ thử lại.",
            "{ref}: Google could not be reached ({why}). The next run tries again.",
            ref=ref,
            why=why,
        ),
        permanent=False,
    )


@contextmanager
def session(
    credentials: str | Path | None = None,
    *,
    budget: Budget | None = None,
    base_url: str | None = None,
) -> Iterator[None]:
    """Use these credentials for every Google source read inside the block (connecting
    only if one is read)."""
    global _current, _current_credentials
    saved = (_current, _current_credentials)
    _current, _current_credentials = None, credentials
    if budget is not None or base_url is not None:
        _current = connect(credentials, budget=budget, base_url=base_url)
    try:
        yield
    finally:
        _current, _current_credentials = saved


def current() -> Google:
    global _current
    if _current is None:
        _current = connect(_current_credentials)
    return _current


def explain(exc: APIError, google: Google, ref: SheetRef) -> SheetsError:
    """A message an official can act on."""
    status = exc.response.status_code
    if status == 403 and "insufficient authentication scopes" in str(exc):
        return SheetsError(
            tr(
                "{ref}: lệnh này chỉ có quyền đọc Google Sheets, không ghi được.",
                "{ref}: this command has read-only access to Google Sheets and cannot write.",
                ref=ref,
            ),
            status=status,
        )
    if status in (403, 404):
        return SheetsError(
            tr(
                "{ref}: bảng tính chưa được chia sẻ với tài khoản dịch vụ, hoặc không tồn tại. "
                "Hãy chia sẻ với {who} quyền Người xem (Người chỉnh sửa với bảng tổng hợp và "
                "để ghi tab '{tab}').",
                "{ref}: the spreadsheet is not shared with the service account, or does not "
                "exist. Share it with {who} as Viewer (Editor for the target and for writing "
                "the '{tab}' tab).",
                ref=ref,
                who=google.email or tr("tài khoản dịch vụ", "the service account"),
                tab=CHECK_TAB,
            ),
            status=status,
        )
    if status == 429:
        return SheetsError(
            tr(
                "{ref}: đã hết hạn mức yêu cầu của Google (429); lần chạy sau sẽ tiếp tục.",
                "{ref}: Google's quota is used up (429); the next run goes on.",
                ref=ref,
            ),
            permanent=False,
            status=status,
        )
    if status >= 500:
        return SheetsError(
            tr(
                "{ref}: Google trả lời lỗi {status}; lần chạy sau sẽ thử lại.",
                "{ref}: Google answered {status}; the next run tries again.",
                ref=ref,
                status=status,
            ),
            permanent=False,
            status=status,
        )
    return SheetsError(
        tr(
            "{ref}: Google từ chối yêu cầu ({status}: {exc}).",
            "{ref}: Google refused the request ({status}: {exc}).",
            ref=ref,
            status=status,
            exc=exc,
        ),
        status=status,
    )


# ---------------------------------------------------------------------------
# reading


@dataclass
class Fetched:
    """One spreadsheet's grids, as the reader takes them."""

    ref: SheetRef
    title: str
    locale: str
    grids: list[tuple[str, list[list[Any]], list[Any]]]
    sheet_ids: dict[str, int]
    content_hash: str
    sheets: list[dict[str, Any]] = field(default_factory=list)  # every tab's properties


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def fetch(ref: SheetRef, google: Google | None = None) -> Fetched:
    """Read a spreadsheet's tabs (or the one asked for) in two requests: the tabs with
    which cells are dates (their number format's type), then the values, dates as serial
    numbers. A date is read from its serial number, whatever format the cell shows it in
    (as text, "05/08/2021" in a cell formatted dd/mm/yyyy of an en_US spreadsheet would
    be taken for the 8th of May)."""
    google = google or current()
    http = google.client.http_client
    with _translated(google, ref):
        meta = http.fetch_sheet_metadata(
            ref.key,
            params={
                "fields": "properties(title,locale,timeZone),sheets(properties(sheetId,title,"
                "sheetType,gridProperties),merges,"
                "data(rowData(values(effectiveFormat(numberFormat(type))))))",
                "includeGridData": "true",
            },
        )
        sheets = [
            s
            for s in meta.get("sheets", [])
            if s["properties"].get("sheetType", "GRID") == "GRID"
            and s["properties"]["title"] != CHECK_TAB
        ]
        if ref.worksheet:
            sheets = [s for s in sheets if s["properties"]["title"] == ref.worksheet]
        elif ref.gid is not None:
            sheets = [s for s in sheets if s["properties"]["sheetId"] == ref.gid] or sheets
        if not sheets:
            raise SheetsError(
                tr(
                    "{ref}: không có trang tính '{tab}' trong '{title}'",
                    "{ref}: no worksheet '{tab}' in '{title}'",
                    ref=ref,
                    tab=ref.worksheet or ref.gid,
                    title=meta.get("properties", {}).get("title", ""),
                )
            )
        titles = [s["properties"]["title"] for s in sheets]
        values = http.values_batch_get(
            ref.key,
            [quote_title(t) for t in titles],
            params={
                "valueRenderOption": "UNFORMATTED_VALUE",
                "dateTimeRenderOption": "SERIAL_NUMBER",
                "majorDimension": "ROWS",
            },
        )
    locale = meta.get("properties", {}).get("locale", "vi_VN")
    grids = []
    for sheet, block in zip(sheets, values.get("valueRanges", []), strict=False):
        grid = values_to_grid(block.get("values", []), locale, date_cells(sheet))
        grids.append((sheet["properties"]["title"], grid, merges_of(sheet)))
    digest = hashlib.sha256(
        json.dumps([[t, g] for t, g, _m in grids], ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return Fetched(
        ref,
        meta.get("properties", {}).get("title", ""),
        locale,
        grids,
        {s["properties"]["title"]: s["properties"]["sheetId"] for s in meta.get("sheets", [])},
        digest,
        [{"properties": s["properties"]} for s in meta.get("sheets", [])],
    )


_DATE_TEXT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


_DATE_TYPES = {"DATE": "date", "DATE_TIME": "datetime", "TIME": "time"}
_EPOCH = dt.datetime(1899, 12, 30)


def date_cells(sheet: dict[str, Any]) -> dict[tuple[int, int], str]:
    """(row, column) → "date" | "datetime" | "time" for the cells formatted as such."""
    out = {}
    for block in sheet.get("data", []):
        r0, c0 = block.get("startRow", 0), block.get("startColumn", 0)
        for r, row in enumerate(block.get("rowData", [])):
            for c, cell in enumerate(row.get("values", [])):
                kind = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type")
                if kind in _DATE_TYPES:
                    out[(r0 + r, c0 + c)] = _DATE_TYPES[kind]
    return out


def _from_serial(value: float, kind: str) -> dt.date | dt.datetime | dt.time:
    when = _EPOCH + dt.timedelta(days=value)
    when = when.replace(microsecond=0) + dt.timedelta(seconds=round(when.microsecond / 1e6))
    if kind == "date":
        return when.date()
    if kind == "time":
        return when.time()
    return when


def values_to_grid(
    rows: list[list[Any]], locale: str, dates: dict[tuple[int, int], str] | None = None
) -> list[list[Any]]:
    """The API's rows (ragged, trailing blanks dropped) as a rectangular grid: cells
    formatted as dates (``dates``) from their serial numbers; dates typed as text in a
    month-first locale turned into real dates, so the reader never swaps day and month."""
    width = max((len(r) for r in rows), default=0)
    month_first = locale.startswith(_MONTH_FIRST_LOCALES)
    dates = dates or {}
    grid = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            kind = dates.get((r, c))
            if kind and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = _from_serial(value, kind)
            elif month_first and isinstance(value, str):
                m = _DATE_TEXT.match(value.strip())
                if m:
                    value = _us_date(m) or value
            out.append(value)
        out.extend([""] * (width - len(out)))
        grid.append(out)
    return grid


def _us_date(m: re.Match[str]) -> dt.date | dt.datetime | None:
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        if m.group(4):
            return dt.datetime(
                year, month, day, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
            )
        return dt.date(year, month, day)
    except ValueError:
        return None


def merges_of(sheet: dict[str, Any]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The API's merges (end exclusive) as calamine's ((r0, c0), (r1, c1)), inclusive."""
    out = []
    for m in sheet.get("merges", []):
        out.append(
            (
                (m.get("startRowIndex", 0), m.get("startColumnIndex", 0)),
                (m.get("endRowIndex", 1) - 1, m.get("endColumnIndex", 1) - 1),
            )
        )
    return out


# ---------------------------------------------------------------------------
# writing (sheets_write.py sends them)


@dataclass(frozen=True)
class Formula:
    """A formula sheets-tool wrote (never a value a person typed)."""

    text: str
