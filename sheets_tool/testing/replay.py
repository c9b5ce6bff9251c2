"""How faithful the emulator is: replay recorded real traffic against it.

Every recorded pair is replayed the same way: a fresh emulator per cassette, the
request's method, path, query and body sent in the recorded order, and the answer's
status and body compared with Google's. Volatile values are normalised, nothing else:
ids Google issued (spreadsheet and file ids, sheetId, namedRangeId, protectedRangeId)
are mapped to the ids the emulator issued when they first appear, and times
(createdTime, modifiedTime) only need to be well formed. A pair counts as reproduced
when the status and the whole normalised answer are equal.

    python -m sheets_tool.testing.replay [DIR]   # prints the figure per kind of call
"""

from __future__ import annotations

import argparse
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .sheets_api import Emulator, kind_of

# the recordings (gspread's cassettes, MIT licence inside), kept with the tests
RECORDINGS = (
    Path(__file__).resolve().parents[2] / "tests" / "recordings" / "sheets-api-recordings.tar.gz"
)
ID_KEYS = ("spreadsheetId", "id", "sheetId", "namedRangeId", "protectedRangeId")
TIME_KEYS = ("createdTime", "modifiedTime")
# the service account that made the recordings (its email is in their answers; the
# tokens were filtered out): requests are replayed as from it
RECORDER = "telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com"
FOREIGN = "someone-else@example.com"
_FILE_ID = re.compile(r"/(?:spreadsheets|files)/([A-Za-z0-9_-]{25,})")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# the kinds of call sheets-tool itself makes (gsheets.py, sync.py): each must be 100%
TOOL_KINDS = (
    "sheets.spreadsheets.get",
    "sheets.values.batchGet",
    "sheets.values.batchUpdate",
    "sheets.values.batchClear",
    "sheets.spreadsheets.batchUpdate[addSheet]",
    "sheets.spreadsheets.batchUpdate[updateCells]",
    "sheets.spreadsheets.batchUpdate[updateSheetProperties]",
    "sheets.spreadsheets.batchUpdate[deleteSheet]",
    "drive.files.list",
)


@dataclass
class Miss:
    cassette: str
    index: int
    kind: str
    why: str


@dataclass
class Report:
    total: Counter[str] = field(default_factory=Counter)
    same: Counter[str] = field(default_factory=Counter)
    foreign: Counter[str] = field(default_factory=Counter)  # about files of other accounts
    foreign_same: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    @property
    def share(self) -> float:
        return sum(self.same.values()) / max(1, sum(self.total.values()))

    def share_of(self, kind: str) -> float:
        return self.same[kind] / self.total[kind] if self.total[kind] else 1.0

    def own_share_of(self, kind: str) -> float:
        """Among the pairs about files the cassette made itself."""
        own = self.total[kind] - self.foreign[kind]
        return (self.same[kind] - self.foreign_same[kind]) / own if own else 1.0

    def table(self) -> str:
        head = (
            f"{'kind of call':58} {'pairs':>6} {'same':>6} {'share':>7} {'foreign':>8} {'own':>7}"
        )
        lines = [head]
        for kind in sorted(self.total, key=lambda k: (-self.total[k], k)):
            mark = " *" if kind in TOOL_KINDS else ""
            lines.append(
                f"{kind + mark:58} {self.total[kind]:6d} {self.same[kind]:6d} "
                f"{100 * self.share_of(kind):6.1f}% {self.foreign[kind]:8d} "
                f"{100 * self.own_share_of(kind):6.1f}%"
            )
        total, foreign = sum(self.total.values()), sum(self.foreign.values())
        own_same = sum(self.same.values()) - sum(self.foreign_same.values())
        lines.append(
            f"{'all':58} {total:6d} {sum(self.same.values()):6d} {100 * self.share:6.1f}% "
            f"{foreign:8d} {100 * own_same / max(1, total - foreign):6.1f}%"
        )
        lines.append(
            "* a kind of call sheets-tool makes; foreign: pairs about files of other "
            "accounts, which no replay can know (counted as misses in 'share'); own: "
            "the share among the other pairs"
        )
        return "\n".join(lines)


def pair_kind(method: str, path: str, body: Any) -> str:
    kind = kind_of(method, path)
    if kind == "sheets.spreadsheets.batchUpdate" and isinstance(body, dict):
        names = sorted({next(iter(r)) for r in body.get("requests", []) if r})
        return f"{kind}[{','.join(names)}]"
    return kind


class _Ids:
    """Recorded ids ↔ the emulator's."""

    def __init__(self) -> None:
        self.to_new: dict[Any, Any] = {}
        self.to_old: dict[Any, Any] = {}

    def learn(self, old: Any, new: Any) -> None:
        if old not in self.to_new and new not in self.to_old and type(old) is type(new):
            self.to_new[old] = new
            self.to_old[new] = old

    def forward_text(self, text: str) -> str:
        for old, new in self.to_new.items():
            if isinstance(old, str) and len(old) > 8:
                text = text.replace(old, str(new))
        return text

    def forward(self, doc: Any, key: str | None = None) -> Any:
        if isinstance(doc, dict):
            return {k: self.forward(v, k) for k, v in doc.items()}
        if isinstance(doc, list):
            return [self.forward(v, key) for v in doc]
        if key in ID_KEYS and doc in self.to_new:
            return self.to_new[doc]
        if isinstance(doc, str):
            return self.forward_text(doc)
        return doc

    def walk(self, old: Any, new: Any, key: str | None = None) -> None:
        """Learn ids from the recorded and the emulator's answers side by side."""
        if isinstance(old, dict) and isinstance(new, dict):
            for k in old:
                if k in new:
                    self.walk(old[k], new[k], k)
        elif isinstance(old, list) and isinstance(new, list):
            for a, b in zip(old, new, strict=False):
                self.walk(a, b, key)
        elif key in ID_KEYS:
            self.learn(old, new)

    def back(self, doc: Any, key: str | None = None) -> Any:
        if isinstance(doc, dict):
            return {k: self.back(v, k) for k, v in doc.items()}
        if isinstance(doc, list):
            return [self.back(v, key) for v in doc]
        if key in TIME_KEYS and isinstance(doc, str) and _TIME.match(doc):
            return "<time>"
        if key in ID_KEYS and doc in self.to_old:
            return self.to_old[doc]
        if isinstance(doc, str):
            for new, old in self.to_old.items():
                if isinstance(new, str) and len(new) > 8 and new in doc:
                    doc = doc.replace(new, str(old))
        return doc


def _times(doc: Any, key: str | None = None) -> Any:
    if isinstance(doc, dict):
        return {k: _times(v, k) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_times(v, key) for v in doc]
    if key in TIME_KEYS and isinstance(doc, str) and _TIME.match(doc):
        return "<time>"
    return doc


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def replay_cassette(name: str, text: str, report: Report) -> None:
    emulator = Emulator(auth=False, caller=RECORDER)
    ids = _Ids()
    pairs = json.loads(text)["interactions"]
    _pre_existing(emulator, pairs, ids)
    for i, pair in enumerate(pairs):
        req, res = pair["request"], pair["response"]
        parts = urlsplit(req["uri"])
        raw_body = req.get("body") or ""
        if isinstance(raw_body, dict):  # VCR's base64 form, not used by these cassettes
            raw_body = raw_body.get("string", "")
        body_doc = _json(raw_body) if raw_body else None
        kind = pair_kind(req["method"], parts.path, body_doc)
        report.total[kind] += 1
        foreign = _foreign(emulator, ids, parts.path, res["body"].get("string") or "")
        if foreign:
            report.foreign[kind] += 1
        target = ids.forward_text(parts.path + ("?" + parts.query if parts.query else ""))
        if body_doc is not None:
            sent = json.dumps(ids.forward(body_doc)).encode()
        else:
            sent = ids.forward_text(raw_body).encode()
        answer = emulator.answer(req["method"], target, {}, sent)
        want_status = res["status"]["code"]
        want_text = res["body"]["string"]
        want = _json(want_text) if want_text else None
        got = _json(answer.body.decode("utf-8", "replace")) if answer.body else None
        if want is not None and got is not None:
            ids.walk(want, got)
        if answer.status != want_status:
            report.misses.append(Miss(name, i, kind, f"status {answer.status} ≠ {want_status}"))
            continue
        if want is None:
            same = answer.body.decode("utf-8", "replace").strip() == want_text.strip()
        else:
            same = ids.back(got) == _times(want)
        if same:
            report.same[kind] += 1
            report.foreign_same[kind] += foreign
        else:
            report.misses.append(Miss(name, i, kind, _diff(_times(want), ids.back(got))))


def _diff(want: Any, got: Any, where: str = "") -> str:
    if isinstance(want, dict) and isinstance(got, dict):
        for k in list(want) + [k for k in got if k not in want]:
            if want.get(k, "<absent>") != got.get(k, "<absent>"):
                return _diff(want.get(k, "<absent>"), got.get(k, "<absent>"), f"{where}.{k}")
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return (
                f"{where}: {len(got)} items ≠ {len(want)}: "
                f"{json.dumps(got)[:150]} vs {json.dumps(want)[:150]}"
            )
        for n, (a, b) in enumerate(zip(want, got, strict=True)):
            if a != b:
                return _diff(a, b, f"{where}[{n}]")
    got_text, want_text = (json.dumps(v, ensure_ascii=False)[:200] for v in (got, want))
    return f"{where}: {got_text} ≠ {want_text}"


def _pre_existing(emulator: Emulator, pairs: list[dict[str, Any]], ids: _Ids) -> None:
    """Files a cassette uses without creating them belong to someone else's account:
    the emulator holds them, owned by another user and not shared with the recorder
    (what the recorder could see of them is not in the cassette)."""
    from .drive import File
    from .model import Spreadsheet

    made = set()
    for pair in pairs:
        text = pair["response"]["body"].get("string") or ""
        doc = _json(text) if text else None
        if isinstance(doc, dict) and doc.get("kind") == "drive#file" and "id" in doc:
            made.add(doc["id"])
    for pair in pairs:
        m = _FILE_ID.search(urlsplit(pair["request"]["uri"]).path)
        if m and m.group(1) not in made and m.group(1) not in ids.to_new:
            key = m.group(1)
            emulator.files[key] = File(key, "", Spreadsheet(key, ""), FOREIGN)
            ids.learn(key, key)


def _foreign(emulator: Emulator, ids: _Ids, path: str, answer: str) -> bool:
    """Whether a pair is about a file of another account (by its path, or for a
    listing by the files Google listed)."""
    found = set(_FILE_ID.findall(path)) | set(re.findall(r'"id": "([A-Za-z0-9_-]{25,})"', answer))
    for key in found:
        f = emulator.files.get(ids.to_new.get(key, ""))
        if f is not None and f.owner == FOREIGN:
            return True
    return False


def cassettes(source: Path) -> list[tuple[str, str]]:
    """(name, text) of each cassette in a folder or a .tar.gz of one."""
    if source.is_dir():
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(source.glob("*.json"))]
    with tarfile.open(source) as tar:
        out = []
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            fh = tar.extractfile(member) if member.name.endswith(".json") else None
            if fh is not None:
                out.append((Path(member.name).name, fh.read().decode("utf-8")))
        return out


def replay(source: Path = RECORDINGS) -> Report:
    report = Report()
    for name, text in cassettes(source):
        replay_cassette(name, text, report)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Replay recorded Google traffic against the emulator."
    )
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=RECORDINGS,
        help="a folder of cassettes or a .tar.gz of one",
    )
    parser.add_argument("--misses", type=int, default=0, help="print the first N differences")
    args = parser.parse_args(argv)
    report = replay(args.source)
    print(report.table())
    for miss in report.misses[: args.misses]:
        print(f"{miss.cassette}#{miss.index} {miss.kind}: {miss.why}")


if __name__ == "__main__":
    main()
