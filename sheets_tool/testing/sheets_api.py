"""An emulator of the Google Sheets v4 and Drive v3 APIs, and of Google's OAuth token
endpoint, on 127.0.0.1: what tests (and anyone trying sheets-tool without a Google
account) talk to instead of Google.

    python -m sheets_tool.testing.sheets_api --port 8765

serves until stopped and prints its URL and a service-account key file that works with
it (the key's ``token_uri`` points here; give it to ``sheets-tool sync --credentials``
and set the ``base_url`` the tool uses). In tests::

    with Emulator() as google:
        key = google.service_account(tmp_path / "key.json")
        sid = google.create("Thôn Bản Nà", {"Báo cáo": rows}, share={email: "writer"})
        ...
        google.counts()            # requests per kind of call
        google.fail(429, times=2)  # the next two API calls answer 429 with Retry-After

How faithful it is to Google is measured, not assumed: :mod:`sheets_tool.testing.replay`
replays the 2,130 recorded request/answer pairs of ``../shared/sheets-api-recordings``
against it and prints the share it reproduces, per kind of call.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

from . import drive, masks
from .model import ApiError, Spreadsheet

OWNER = "can-bo@xa.example.vn"  # who owns the spreadsheets a test creates


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    kind: str
    status: int = 0
    caller: str | None = None

    @property
    def read(self) -> bool:
        return self.method == "GET"


@dataclass
class Fault:
    status: int  # 0: no answer at all (the connection is closed)
    kinds: tuple[str, ...] = ()  # which kinds of call ("" prefix match); all when empty
    retry_after: str | None = None
    delay: float = 0.0
    after: bool = False  # the call is carried out, then its answer lost


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, doc: Any, **headers: str) -> Answer:
        data = json.dumps(doc, ensure_ascii=False, indent=2).encode()
        return cls(status, data, {"Content-Type": "application/json; charset=UTF-8", **headers})


class Emulator:
    """The emulated Google (see the module's documentation)."""

    def __init__(
        self,
        *,
        auth: bool = True,
        caller: str = OWNER,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.auth = auth
        self.caller = caller  # who every request is from when auth is off
        self.files: dict[str, drive.File] = {}
        self.log: list[Logged] = []
        self.faults: deque[Fault] = deque()
        self.token_faults: deque[int] = deque()
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None
        self.host, self.port = host, port
        self.url = ""
        self.accounts: Any = None
        self._thread: threading.Thread | None = None

    # -- running -------------------------------------------------------------

    def start(self) -> Emulator:
        self.server = ThreadingHTTPServer((self.host, self.port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://{self.host}:{self.server.server_address[1]}"
        from .oauth import Accounts

        self.accounts = Accounts(self.url + "/token")
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests set up -----------------------------------------------------

    def service_account(self, path: Path, name: str = "sheets-tool") -> Path:
        """A service-account key file that authenticates against this emulator."""
        if self.accounts is None:
            raise RuntimeError("start the emulator first")
        return Path(self.accounts.write_key(path, name=name))

    def create(
        self,
        title: str,
        tabs: dict[str, list[list[Any]]] | None = None,
        *,
        locale: str = "vi_VN",
        time_zone: str = "Asia/Ho_Chi_Minh",
        typed: str = "USER_ENTERED",
        share: dict[str, str] | None = None,
        owner: str = OWNER,
        key: str | None = None,
    ) -> str:
        """A spreadsheet typed as a person types it (``typed``: how each value is
        parsed), shared with ``share`` (email → "reader" | "writer"); returns its id."""
        with self.lock:
            key = key or drive.new_key()
            book = Spreadsheet(key, title, locale, time_zone)
            f = drive.File(key, title, book, owner, permissions=dict(share or {}))
            if tabs:
                first = True
                for name, rows in tabs.items():
                    if first:
                        book.sheets[0].props["title"] = name
                        first = False
                    else:
                        book.batch_update([{"addSheet": {"properties": {"title": name}}}])
                    if rows:
                        height = max(len(rows), 1000)
                        width = max(max((len(r) for r in rows), default=0), 26)
                        sheet = book.by_title(name)
                        assert sheet is not None
                        sheet.props["gridProperties"].update(rowCount=height, columnCount=width)
                        book.values_update(_quote(name) + "!A1", rows, typed)
            f.modified = f.created = drive.now_text()
            f.version = 1
            self.files[key] = f
            return key

    def share(self, key: str, email: str, role: str = "writer") -> None:
        with self.lock:
            self.files[key].permissions[email] = role

    def book(self, key: str) -> Spreadsheet:
        return self.files[key].book

    def edit(
        self,
        key: str,
        tab: str,
        rows: list[list[Any]],
        *,
        at: str = "A1",
        typed: str = "USER_ENTERED",
        by: str = OWNER,
    ) -> None:
        """An official edits a tab (from ``at``), as through the Sheets web page."""
        with self.lock:
            f = self.files[key]
            f.editor = by
            try:
                f.book.values_update(_quote(tab) + "!" + at, rows, typed)
            finally:
                f.editor = ""

    def export_xlsx(self, key: str) -> bytes:
        with self.lock:
            return drive.export_xlsx(self.files[key].book)

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        kinds: tuple[str, ...] = (),
        retry_after: str | None = None,
        delay: float = 0.0,
        after: bool = False,
    ) -> None:
        """The next ``times`` calls (of ``kinds``) answer ``status`` (0: the connection
        is closed without an answer; with ``delay``: after waiting, for timeouts; with
        ``after``: the call is carried out first, as when an answer is lost on the way)."""
        if status == 429 and retry_after is None:
            retry_after = "1"
        for _ in range(times):
            self.faults.append(Fault(status, kinds, retry_after, delay, after))

    def fail_token(self, status: int, times: int = 1) -> None:
        """The token endpoint answers ``status`` the next ``times`` (400: invalid_grant)."""
        self.token_faults.extend([status] * times)

    def counts(self) -> Counter[str]:
        """Requests per kind of call (``sheets.values.batchGet``, ``drive.files.list``…)."""
        return Counter(entry.kind for entry in self.log)

    def reads(self) -> int:
        return sum(1 for e in self.log if e.read and not e.kind.startswith("oauth"))

    def writes(self) -> int:
        return sum(1 for e in self.log if not e.read and not e.kind.startswith("oauth"))

    # -- answering -------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """One request, from the HTTP handler or called directly (the replay)."""
        parts = urlsplit(target)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        kind = kind_of(method, path)
        entry = Logged(method, path, query, kind)
        with self.lock:
            self.log.append(entry)
            fault = self._fault(kind)
        if fault is not None and fault.after:
            entry.status = self._carry_out(kind, method, path, query, headers, body).status
            raise ConnectionAbortedError("injected: the answer is lost")
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            entry.status = fault.status
            if fault.status == 0:
                raise ConnectionAbortedError("injected: no answer")
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            message = {
                429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests "
                "per minute per user' of service 'sheets.googleapis.com'.",
                500: "Internal error encountered.",
                503: "The service is currently unavailable.",
            }.get(fault.status, "injected failure")
            return Answer.json(fault.status, ApiError(fault.status, message).body(), **extra)
        answer = self._carry_out(kind, method, path, query, headers, body, entry)
        entry.status = answer.status
        return answer

    def _carry_out(
        self,
        kind: str,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        entry: Logged | None = None,
    ) -> Answer:
        try:
            if kind == "oauth.token":
                return self._token(body)
            with self.lock:
                caller = self._caller(kind, method, headers)
                if entry is not None:
                    entry.caller = caller
                return self._route(kind, method, path, query, body, caller)
        except ApiError as exc:
            return Answer.json(exc.code, exc.body())
        except (ValueError, KeyError, TypeError) as exc:
            return Answer.json(400, ApiError(400, f"Invalid JSON payload received. {exc}").body())

    def _fault(self, kind: str) -> Fault | None:
        if kind == "oauth.token":
            return None
        for fault in self.faults:
            if not fault.kinds or any(kind.startswith(k) for k in fault.kinds):
                self.faults.remove(fault)
                return fault
        return None

    def _token(self, body: bytes) -> Answer:
        with self.lock:
            status = self.token_faults.popleft() if self.token_faults else None
        if status == 400:
            return Answer.json(
                400,
                {"error": "invalid_grant", "error_description": "Invalid grant: account not found"},
            )
        if status:
            return Answer.json(
                status, {"error": "internal_failure", "error_description": "Backend Error"}
            )
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        code, doc = self.accounts.token(form)
        return Answer.json(code, doc)

    def _caller(self, kind: str, method: str, headers: dict[str, str]) -> str | None:
        if not self.auth:
            return self.caller
        from .oauth import scopes_for

        api = "drive" if kind.startswith("drive") else "sheets"
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        email, refusal = self.accounts.caller(auth, scopes_for(api, write=method != "GET"))
        if refusal is not None:
            code, doc = refusal
            raise _Refused(code, doc)
        return str(email)

    def _file(self, key: str, caller: str | None, need: int, api: str) -> drive.File:
        f = self.files.get(key)
        if f is None or f.trashed or f.role(caller) == 0:
            if api == "drive":
                raise drive.not_found(key)
            raise (
                ApiError(404, "Requested entity was not found.")
                if f is None or f.trashed
                else ApiError(403, "The caller does not have permission")
            )
        if f.role(caller) < need:
            if api == "drive":
                raise ApiError(
                    403,
                    "The user does not have sufficient permissions for this file.",
                    errors=[
                        {
                            "message": "The user does not have sufficient permissions for "
                            "this file.",
                            "domain": "global",
                            "reason": "insufficientFilePermissions",
                        }
                    ],
                )
            raise ApiError(403, "The caller does not have permission")
        return f

    def _route(
        self,
        kind: str,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
        caller: str | None,
    ) -> Answer:
        q = {k: v[-1] for k, v in query.items()}
        doc: Any = json.loads(body) if body and kind not in ("drive.files.import",) else {}
        mask = masks.parse(q["fields"]) if q.get("fields") else None
        parts = path.split("/")
        if kind.startswith("sheets."):
            key = unquote(parts[3]).split(":")[0] if len(parts) > 3 else ""
            if kind == "sheets.spreadsheets.create":
                return self._sheets_create(doc, caller, mask)
            f = self._file(key, caller, 1 if method == "GET" else 2, "sheets")
            f.editor = book_caller = caller or f.owner
            f.book.caller = book_caller
            try:
                result = self._sheets(kind, f, path, query, q, doc)
            finally:
                f.editor = ""
            return Answer.json(200, masks.apply(result, mask))
        return self._drive(kind, method, parts, q, doc, body, caller, mask)

    def _sheets(
        self,
        kind: str,
        f: drive.File,
        path: str,
        query: dict[str, list[str]],
        q: dict[str, str],
        doc: Any,
    ) -> dict[str, Any]:
        book = f.book
        if kind == "sheets.spreadsheets.get":
            mask = masks.parse(q["fields"]) if q.get("fields") else None
            grid = q.get("includeGridData", "false").lower() == "true" or (
                mask is not None and masks.wants(mask, "sheets", "data")
            )
            return book.to_json(grid=grid, ranges=query.get("ranges"))
        if kind == "sheets.spreadsheets.batchUpdate":
            replies = book.batch_update(doc.get("requests", []))
            out: dict[str, Any] = {"spreadsheetId": book.id, "replies": replies}
            f.name = book.props["title"]
            if doc.get("includeSpreadsheetInResponse"):
                out["updatedSpreadsheet"] = book.to_json()
            return out
        if kind == "sheets.values.batchGet":
            return {
                "spreadsheetId": book.id,
                "valueRanges": [
                    book.values_get(
                        r,
                        q.get("majorDimension", "ROWS"),
                        q.get("valueRenderOption", "FORMATTED_VALUE"),
                        q.get("dateTimeRenderOption", "SERIAL_NUMBER"),
                    )
                    for r in query.get("ranges", [])
                ],
            }
        if kind == "sheets.values.batchUpdate":
            option = doc.get("valueInputOption")
            responses, written = [], set()
            for d in doc.get("data", []):
                book.last_written = []
                response = book.values_update(
                    d["range"], d.get("values", []), option, d.get("majorDimension")
                )
                written.update(book.last_written)
                if len(response) > 1:
                    responses.append(response)
            out = {"spreadsheetId": book.id}
            if responses:
                # totals count distinct rows, columns and sheets (recorded: two 1×4 rows
                # of the same columns are "totalUpdatedColumns": 4)
                out.update(
                    totalUpdatedRows=len({(s, r) for s, r, _ in written}),
                    totalUpdatedColumns=len({(s, c) for s, _, c in written}),
                    totalUpdatedCells=len(written),
                    totalUpdatedSheets=len({s for s, _, _ in written}),
                    responses=responses,
                )
            return out
        if kind == "sheets.values.batchClear":
            cleared = [book.values_clear(r)["clearedRange"] for r in doc.get("ranges", [])]
            return {"spreadsheetId": book.id, "clearedRanges": cleared}
        rng = (
            unquote(path.split("/values/", 1)[1]).rsplit(":", 1)[0]
            if ":" in path.split("/values/", 1)[1]
            and kind != "sheets.values.get"
            and kind != "sheets.values.update"
            else unquote(path.split("/values/", 1)[1])
        )
        if kind == "sheets.values.get":
            return book.values_get(
                rng,
                q.get("majorDimension", "ROWS"),
                q.get("valueRenderOption", "FORMATTED_VALUE"),
                q.get("dateTimeRenderOption", "SERIAL_NUMBER"),
            )
        if kind == "sheets.values.update":
            out = book.values_update(
                rng, doc.get("values"), q.get("valueInputOption"), doc.get("majorDimension")
            )
            if q.get("includeValuesInResponse", "").lower() == "true":
                out["updatedData"] = book.values_get(out.get("updatedRange", rng))
            return out
        if kind == "sheets.values.append":
            return book.values_append(
                rng, doc.get("values", []), q.get("valueInputOption"), doc.get("majorDimension")
            )
        if kind == "sheets.values.clear":
            return book.values_clear(rng)
        raise ApiError(404, f"Method not found: {kind}")

    def _sheets_create(
        self, doc: dict[str, Any], caller: str | None, mask: masks.Mask | None
    ) -> Answer:
        props = doc.get("properties", {})
        key = drive.new_key()
        book = Spreadsheet(
            key,
            props.get("title", "Untitled spreadsheet"),
            props.get("locale", "en_US"),
            props.get("timeZone", "Etc/GMT"),
        )
        self.files[key] = drive.File(key, book.props["title"], book, caller or OWNER)
        return Answer.json(200, masks.apply(book.to_json(), mask))

    def _drive(
        self,
        kind: str,
        method: str,
        parts: list[str],
        q: dict[str, str],
        doc: Any,
        body: bytes,
        caller: str | None,
        mask: masks.Mask | None,
    ) -> Answer:
        def resource(f: drive.File) -> dict[str, Any]:
            full = f.resource()
            if mask is None:
                return {k: full[k] for k in drive.DEFAULT_FIELDS}
            return dict(masks.apply(full, mask))

        if kind == "drive.files.create":
            if doc.get("mimeType") not in (None, drive.SPREADSHEET):
                raise ApiError(400, "Only spreadsheets can be created here.")
            key = drive.new_key()
            book = Spreadsheet(key, doc.get("name") or "Untitled spreadsheet")
            f = drive.File(key, book.props["title"], book, caller or OWNER)
            self.files[key] = f
            return Answer.json(200, resource(f))
        if kind == "drive.files.list":
            files = [
                f
                for f in self.files.values()
                if f.role(caller) and drive.matches(q.get("q", ""), f)
            ]
            files.sort(key=lambda f: f.modified, reverse=True)
            size = int(q.get("pageSize", 100))
            start = int(q.get("pageToken") or 0)
            page = files[start : start + size]
            out: dict[str, Any] = {
                "kind": "drive#fileList",
                "incompleteSearch": False,
                "files": [dict(f.resource()) for f in page],
            }
            if start + size < len(files):
                out["nextPageToken"] = str(start + size)
            if mask is None:
                out["files"] = [{k: x[k] for k in drive.DEFAULT_FIELDS} for x in out["files"]]
                return Answer.json(200, out)
            return Answer.json(200, masks.apply(out, mask))
        key = parts[4] if parts[1] == "drive" else parts[5]
        need = 1 if method == "GET" else 2
        f = self._file(key, caller, need, "drive")
        if kind == "drive.files.get":
            return Answer.json(200, resource(f))
        if kind == "drive.files.delete":
            if f.role(caller) < 3:
                raise ApiError(403, "The user does not have sufficient permissions for this file.")
            del self.files[key]
            return Answer(204, b"", {"Content-Type": "text/html"})
        if kind == "drive.files.update":
            if "name" in doc:
                f.name = f.book.props["title"] = doc["name"]
            f.touch()
            return Answer.json(200, resource(f))
        if kind == "drive.files.copy":
            import copy

            new_key = drive.new_key()
            book = copy.deepcopy(f.book)
            book.id = new_key
            book.props["title"] = doc.get("name") or f"Copy of {f.name}"
            g = drive.File(new_key, book.props["title"], book, caller or OWNER)
            self.files[new_key] = g
            return Answer.json(200, resource(g))
        if kind == "drive.files.export":
            mime = q.get("mimeType", "")
            if mime == "text/csv":
                return Answer(200, drive.export_csv(f.book), {"Content-Type": "text/csv"})
            if mime == drive.XLSX:
                return Answer(200, drive.export_xlsx(f.book), {"Content-Type": drive.XLSX})
            raise ApiError(400, "The requested conversion is not supported.")
        if kind == "drive.comments.list":
            return Answer.json(200, {"comments": []})
        if kind == "drive.permissions.create":
            email = doc.get("emailAddress") or ("anyone" if doc.get("type") == "anyone" else "")
            f.permissions[email] = doc.get("role", "reader")
            return Answer.json(
                200,
                {
                    "kind": "drive#permission",
                    "id": str(abs(hash(email)) % 10**20),
                    "type": doc.get("type", "user"),
                    "role": f.permissions[email],
                },
            )
        if kind == "drive.permissions.list":
            perms = [
                {
                    "kind": "drive#permission",
                    "id": str(abs(hash(e)) % 10**20),
                    "type": "anyone" if e == "anyone" else "user",
                    "emailAddress": e,
                    "role": r,
                }
                for e, r in f.permissions.items()
            ]
            return Answer.json(200, {"kind": "drive#permissionList", "permissions": perms})
        if kind == "drive.files.import":
            import csv
            import io

            rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
            # a converted upload replaces the spreadsheet: one sheet named as the file,
            # in Drive's default time zone (recorded: America/Los_Angeles)
            book = f.book
            book.sheets = book.sheets[:1]
            book.sheets[0].cells.clear()
            book.sheets[0].props["title"] = f.name
            book.sheets[0].props["sheetId"] = book.new_id()
            book.props["timeZone"] = "America/Los_Angeles"
            book.values_update(_quote(book.sheets[0].title) + "!A1", rows, "USER_ENTERED")
            return Answer.json(200, {"kind": "drive#file", "id": f.id})
        raise ApiError(404, f"Method not found: {kind}")


class _Refused(ApiError):
    """The OAuth layer's answer, passed through as Google gives it."""

    def __init__(self, code: int, doc: dict[str, Any]) -> None:
        super().__init__(code, str(doc.get("error", {}).get("message", "")))
        self.doc = doc

    def body(self) -> dict[str, Any]:
        return self.doc


def kind_of(method: str, path: str) -> str:
    """The API method a request calls, as the discovery documents name them."""
    if path == "/token":
        return "oauth.token"
    if path.startswith("/v4/spreadsheets"):
        rest = path[len("/v4/spreadsheets") :]
        if rest in ("", "/"):
            return "sheets.spreadsheets.create"
        if "/values:" in rest:
            return "sheets.values." + rest.rsplit(":", 1)[1]
        if "/values/" in rest:
            tail = rest.split("/values/", 1)[1]
            action = (
                tail.rsplit(":", 1)[1]
                if ":" in tail and tail.rsplit(":", 1)[1] in ("append", "clear")
                else ""
            )
            return "sheets.values." + (
                action or {"GET": "get", "PUT": "update"}.get(method, "update")
            )
        if rest.endswith(":batchUpdate"):
            return "sheets.spreadsheets.batchUpdate"
        if ":copyTo" in rest:
            return "sheets.sheets.copyTo"
        return "sheets.spreadsheets.get"
    if path.startswith("/upload/drive"):
        return "drive.files.import"
    if path.startswith("/drive/v3/files"):
        parts = path.split("/")
        if len(parts) == 4:
            return "drive.files." + ("list" if method == "GET" else "create")
        if len(parts) == 5:
            return "drive.files." + {"GET": "get", "DELETE": "delete", "PATCH": "update"}.get(
                method, "update"
            )
        sub = parts[5]
        if sub in ("copy", "export"):
            return "drive.files." + sub
        if sub == "permissions":
            return "drive.permissions." + (
                "list"
                if method == "GET" and len(parts) == 6
                else {"POST": "create", "DELETE": "delete"}.get(method, "get")
            )
        if sub == "comments":
            return "drive.comments.list"
    return "unknown"


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _handler(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                answer = emulator.answer(self.command, self.path, dict(self.headers.items()), body)
            except ConnectionAbortedError:
                self.close_connection = True
                return
            self.send_response(answer.status)
            for k, v in answer.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--key",
        type=Path,
        default=Path("emulator-key.json"),
        help="where to write a service-account key",
    )
    args = parser.parse_args(argv)
    emulator = Emulator(host=args.host, port=args.port).start()
    key = emulator.service_account(args.key)
    print(f"Google Sheets emulator at {emulator.url} (key: {key}); Ctrl-C stops it.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
