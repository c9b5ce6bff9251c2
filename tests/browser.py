"""Headless Chromium for the status page tests: Debian's /usr/bin/chromium (installed by
.ci/run), driven with Playwright. A page is loaded with every request other than the
file itself aborted and recorded, and every console message and script error kept."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# the flags that keep Chromium off this machine's closed network (FIELD-NOTES, env notes)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def needs_chromium() -> pytest.MarkDecorator:
    """Skip where Chromium is missing, except in CI, where .ci/run installs it: there a
    missing browser fails the tests rather than hiding them."""
    return pytest.mark.skipif(
        CHROMIUM is None and os.environ.get("CI") != "true",
        reason="chromium is not installed (apt-get install chromium; .ci/run does)",
    )


@dataclass
class Loaded:
    page: Any
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    errors: list[str] = field(default_factory=list)  # uncaught script errors
    dialogs: list[str] = field(default_factory=list)  # alert() and the like


class Browser:
    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def load(self, path: Path, width: int, height: int = 900) -> Loaded:
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=True
        )
        page = context.new_page()
        loaded = Loaded(page)
        own = path.resolve().as_uri()

        def route(r: Any) -> None:
            if r.request.url == own:
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        page.on("request", lambda r: loaded.requests.append(r.url))
        page.on("console", lambda m: loaded.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: loaded.errors.append(str(e)))
        page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))
        page.goto(own, wait_until="load")
        return loaded


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "chromium is not installed"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield Browser(b)
        finally:
            b.close()
