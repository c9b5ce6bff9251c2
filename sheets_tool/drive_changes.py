"""Which shared spreadsheets changed since sync last looked, for one Drive request.

One ``files.list`` (a page holds 1,000 files) answers, for every spreadsheet shared with
the service account, its modified time, its version (Drive's counter, raised by every
change) and who changed it last. A source is read again only when one of them moved
since the run that read it, and not merely by sync's own "Kiểm tra" write:

- sync remembers the version it saw before reading a source and how many writes it made
  to it (one batch for the "Kiểm tra" tab, or none);
- the next run skips the source when its version is exactly that many changes further
  and its last change was sync's own. Any other change (an official's edit, even one
  made between sync's read and its write) leaves the version further on, so the source
  is read again.

If Google ever raised the version by more than one for one batch, sync would read such
a source once more than needed: never less. What this costs per run is measured in
``tests/test_sync_google.py`` against the emulator's request log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import gsheets

FILES_URL = "https://www.googleapis.com/drive/v3/files"
LIST_FIELDS = "nextPageToken,files(id,modifiedTime,version,lastModifyingUser(emailAddress))"
QUERY = "mimeType='application/vnd.google-apps.spreadsheet' and trashed=false"


@dataclass(frozen=True)
class Seen:
    """A spreadsheet as Drive's listing shows it."""

    modified: str
    version: int
    by: str

    def as_state(self, writes: int = 0) -> dict[str, Any]:
        return {"modified": self.modified, "version": self.version, "writes": writes}


def list_seen(google: gsheets.Google, keys: set[str]) -> dict[str, Seen]:
    """The listing of the spreadsheets ``keys`` that the service account can see (one
    request per 1,000 spreadsheets shared with it)."""
    http = google.client.http_client
    out: dict[str, Seen] = {}
    token = ""
    while True:
        params: dict[str, Any] = {
            "q": QUERY,
            "pageSize": 1000,
            "fields": LIST_FIELDS,
            "supportsAllDrives": True,
            "includeItemsFromAllDrives": True,
        }
        if token:
            params["pageToken"] = token
        page = http.request("get", FILES_URL, params=params).json()
        for f in page.get("files", []):
            if f.get("id") in keys:
                out[f["id"]] = Seen(
                    str(f.get("modifiedTime", "")),
                    int(f.get("version", 0)),
                    str(f.get("lastModifyingUser", {}).get("emailAddress", "")),
                )
        token = page.get("nextPageToken", "")
        if not token:
            return out


def unchanged(known: dict[str, Any], seen: Seen | None, email: str) -> bool:
    """Whether a source need not be read: nothing changed it since sync read it but
    sync's own writes (see the module)."""
    if seen is None or "version" not in known:
        return False
    if seen.version == known["version"] and seen.modified == known.get("modified"):
        return True
    writes = int(known.get("writes", 0))
    return bool(writes) and seen.by == email and seen.version == known["version"] + writes
