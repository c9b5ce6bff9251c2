"""A stand-in for the Google Sheets API and OAuth token endpoint on 127.0.0.1.

It answers the calls sheets-tool makes (spreadsheet metadata, values batchGet,
batchUpdate addSheet, values batchClear and batchUpdate) with the shapes the real API
answers (checked against the recorded traffic in ../shared/sheets-api-recordings), keeps
what is written, logs every request, refuses spreadsheets that are not shared (403), and
can be told to fail the next requests (429 with Retry-After, 500...).
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


@dataclass
class Tab:
    id: int
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merges: list[dict[str, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    last_input: str | None = None

    def rows(self) -> list[list[Any]]:
        if not self.cells:
            return []
        height = max(r for r, _c in self.cells) + 1
        out = []
        for r in range(height):
            cols = [c for rr, c in self.cells if rr == r]
            width = max(cols) + 1 if cols else 0
            out.append([self.cells.get((r, c), "") for c in range(width)])
        return out

    def set_rows(self, rows: list[list[Any]]) -> None:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("", None):
                    self.cells[(r, c)] = value


@dataclass
class Book:
    title: str
    locale: str = "vi_VN"
    shared: bool = True
    tabs: dict[str, Tab] = field(default_factory=dict)

    def tab(self, title: str) -> Tab:
        return self.tabs[title]


def _a1(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def split_range(text: str) -> tuple[str, tuple[int, int]]:
    """ "'Tổng hợp'!A1" → ("Tổng hợp", (0, 0))."""
    title, _, cell = text.rpartition("!") if "!" in text else (text, "", "")
    if title.startswith("'") and title.endswith("'"):
        title = title[1:-1].replace("''", "'")
    return title, _a1(cell) if cell else (0, 0)


class FakeSheets:
    def __init__(self) -> None:
        self.books: dict[str, Book] = {}
        self.log: list[tuple[str, str]] = []
        self.fail_next: deque[tuple[int, dict[str, str]]] = deque()
        self._next_id = 100
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # a short poll: shutdown() waits for it (0.5 s by default, in every test)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeSheets:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_book(
        self,
        key: str,
        title: str,
        tabs: dict[str, list[list[Any]]],
        locale: str = "vi_VN",
        shared: bool = True,
    ) -> Book:
        book = Book(title, locale, shared)
        for name, rows in tabs.items():
            book.tabs[name] = Tab(self._new_id())
            book.tabs[name].set_rows(rows)
        self.books[key] = book
        return book

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def requests_to(self, key: str) -> list[str]:
        return [f"{m} {p}" for m, p in self.log if f"/spreadsheets/{key}" in p]

    # the API ---------------------------------------------------------------

    def answer(self, method: str, url: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        parsed = urlparse(url)
        path = unquote(parsed.path)
        query = parse_qs(parsed.query)
        if path == "/token":
            return (
                200,
                {"access_token": "fake-token", "expires_in": 3600, "token_type": "Bearer"},
                {},
            )
        self.log.append((method, path + ("?" + parsed.query if parsed.query else "")))
        if self.fail_next:
            status, headers = self.fail_next.popleft()
            return status, _error(status, "injected failure"), headers
        m = re.match(
            r"^/v4/spreadsheets/([^/:]+)(:batchUpdate|/values:batchGet|"
            r"/values:batchClear|/values:batchUpdate)?$",
            path,
        )
        if not m:
            return 404, _error(404, f"no such endpoint {path}"), {}
        key, action = m.group(1), m.group(2) or ""
        book = self.books.get(key)
        if book is None:
            return 404, _error(404, "Requested entity was not found."), {}
        if not book.shared:
            return 403, _error(403, "The caller does not have permission"), {}
        if method == "GET" and action == "":
            return 200, self._metadata(key, book), {}
        if method == "GET" and action == "/values:batchGet":
            return 200, self._batch_get(key, book, query.get("ranges", [])), {}
        if method == "POST" and action == ":batchUpdate":
            replies = []
            for req in body.get("requests", []):
                title = req["addSheet"]["properties"]["title"]
                if title in book.tabs:
                    return 400, _error(400, f'A sheet with the name "{title}" already exists.'), {}
                book.tabs[title] = Tab(self._new_id())
                replies.append(
                    {"addSheet": {"properties": {"sheetId": book.tabs[title].id, "title": title}}}
                )
            return 200, {"spreadsheetId": key, "replies": replies}, {}
        if method == "POST" and action == "/values:batchClear":
            for rng in body.get("ranges", []):
                tab = book.tabs.get(split_range(rng)[0])
                if tab is None:
                    return 400, _error(400, f"Unable to parse range: {rng}"), {}
                tab.cells.clear()
                tab.formulas.clear()
            return 200, {"spreadsheetId": key, "clearedRanges": body.get("ranges", [])}, {}
        if method == "POST" and action == "/values:batchUpdate":
            option = body.get("valueInputOption")
            if option not in ("RAW", "USER_ENTERED"):
                return 400, _error(400, "valueInputOption is required"), {}
            for block in body.get("data", []):
                title, (r0, c0) = split_range(block["range"])
                tab = book.tabs.get(title)
                if tab is None:
                    return 400, _error(400, f"Unable to parse range: {block['range']}"), {}
                tab.last_input = option
                for r, row in enumerate(block.get("values", [])):
                    for c, value in enumerate(row):
                        where = (r0 + r, c0 + c)
                        if option == "USER_ENTERED" and isinstance(value, str):
                            if value.startswith("'"):
                                value = value[1:]
                            elif value.startswith("="):
                                tab.formulas.add(where)
                        if value in ("", None):
                            tab.cells.pop(where, None)
                        else:
                            tab.cells[where] = value
            return 200, {"spreadsheetId": key, "totalUpdatedSheets": len(body.get("data", []))}, {}
        return 400, _error(400, "unsupported call"), {}

    def _metadata(self, key: str, book: Book) -> dict[str, Any]:
        return {
            "spreadsheetId": key,
            "properties": {
                "title": book.title,
                "locale": book.locale,
                "timeZone": "Asia/Ho_Chi_Minh",
            },
            "sheets": [
                {
                    "properties": {
                        "sheetId": tab.id,
                        "title": title,
                        "index": i,
                        "sheetType": "GRID",
                        "gridProperties": {"rowCount": 1000, "columnCount": 26},
                    },
                    **({"merges": tab.merges} if tab.merges else {}),
                }
                for i, (title, tab) in enumerate(book.tabs.items())
            ],
        }

    def _batch_get(self, key: str, book: Book, ranges: list[str]) -> dict[str, Any]:
        out = []
        for rng in ranges:
            title, _start = split_range(rng)
            tab = book.tabs[title]
            rows = [[v for v in row] for row in tab.rows()]
            for row in rows:
                while row and row[-1] == "":
                    row.pop()
            block: dict[str, Any] = {"range": f"'{title}'!A1:Z1000", "majorDimension": "ROWS"}
            if rows:
                block["values"] = rows
            out.append(block)
        return {"spreadsheetId": key, "valueRanges": out}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _respond(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body: Any = None
                if raw and "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw)
                status, doc, headers = fake.answer(method, self.path, body or {})
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._respond("GET")

            def do_POST(self) -> None:
                self._respond("POST")

            def do_PUT(self) -> None:
                self._respond("PUT")

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _error(status: int, message: str) -> dict[str, Any]:
    return {
        "error": {"code": status, "message": message, "status": STATUS_NAMES.get(status, "UNKNOWN")}
    }


def service_account_file(path: Any, token_uri: str) -> Any:
    """A real service-account key (a fresh RSA key) whose token endpoint is the fake."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "so-tt-test",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "sheets-tool@so-tt-test.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )
    return path
