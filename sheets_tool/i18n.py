"""The language of what a user reads: Vietnamese by default, English on request.

The command line chooses it from ``--lang`` or the ``SHEETS_TOOL_LANG`` variable before
it parses anything (:mod:`sheets_tool.commands.localize`); a Python caller uses
:func:`set_language` or the same variable. A message is written at the place that
raises or prints it, in both languages, with :func:`tr`. Findings keep their own
catalogue (:mod:`sheets_tool.messages`), since their codes are a contract.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any, TypeVar

LANGS = ("vi", "en")
ENV = "SHEETS_TOOL_LANG"
_chosen: str | None = None


def language() -> str:
    """ "vi" or "en": what :func:`set_language` chose, else ``$SHEETS_TOOL_LANG``, else vi."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV, "").strip().lower()
    return env if env in LANGS else "vi"


def set_language(lang: str | None) -> None:
    """Choose the language (None: back to ``$SHEETS_TOOL_LANG`` or Vietnamese)."""
    global _chosen
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang is one of {', '.join(LANGS)}: {lang!r}")
    _chosen = lang


def tr(vi: str, en: str, /, **values: Any) -> str:
    """The text in the current language, with ``values`` put into its ``{fields}``."""
    text = vi if language() == "vi" else en
    return text.format(**values) if values else text


class Text(str):
    """An English text (its value as a ``str``) that carries its Vietnamese: used for
    help texts, which click takes when the commands are declared, before the language
    is known. click keeps a cleaned copy of an option's help (a plain ``str``), so each
    Text is also recorded in :data:`VIETNAMESE`, by its cleaned English."""

    vi: str

    def __new__(cls, vi: str, en: str) -> Text:
        text = super().__new__(cls, en)
        text.vi = vi
        VIETNAMESE[inspect.cleandoc(en)] = inspect.cleandoc(vi)
        return text

    def local(self, lang: str | None = None) -> str:
        return self.vi if (lang or language()) == "vi" else str(self)


VIETNAMESE: dict[str, str] = {}  # English help text (cleaned) -> its Vietnamese

F = TypeVar("F", bound=Callable[..., Any])


def vietnamese(text: str) -> Callable[[F], F]:
    """Record the Vietnamese of a command's docstring (its English help). Put it
    directly above the ``def``, below click's decorators."""

    def record(f: F) -> F:
        VIETNAMESE[inspect.cleandoc(f.__doc__ or "")] = inspect.cleandoc(text)
        return f

    return record


def count(n: int, one: str, many: str, vi: str, lang: str | None = None) -> str:
    """``n`` and its noun: "1 file", "2 files"; Vietnamese has one form: "2 tệp"."""
    if (lang or language()) == "vi":
        return f"{n} {vi}"
    return f"{n} {one if n == 1 else many}"
