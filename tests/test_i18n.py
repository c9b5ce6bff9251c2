"""Vietnamese throughout, English on request: every command's help and every option,
click's own words, the messages of the library, English plurals."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.commands.localize import CLICK_VI, chosen_language
from sheets_tool.i18n import VIETNAMESE, count, language, set_language, tr
from sheets_tool.messages import MESSAGES


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    yield path, group
    for name, sub in group.commands.items():
        if isinstance(sub, click.Group):
            yield from commands(sub, (*path, name))
        else:
            yield (*path, name), sub


def english_help(obj: click.Command | click.Parameter) -> str:
    text = getattr(obj, "_help_en", None) or getattr(obj, "help", None) or ""
    return inspect.cleandoc(text)


def test_every_help_text_has_its_vietnamese():
    CliRunner().invoke(cli, ["--help"])  # puts the help texts in place
    missing = []
    for path, command in commands():
        for obj in (command, *command.params):
            text = english_help(obj)
            if text and text not in VIETNAMESE:
                missing.append(f"{' '.join(path) or 'sheets-tool'} {getattr(obj, 'name', '')}")
    assert missing == []


@pytest.mark.parametrize("path", [p for p, _ in commands()], ids=lambda p: " ".join(p) or "top")
def test_each_command_s_help_in_both_languages(path):
    vi = CliRunner().invoke(cli, [*path, "--help"])
    en = CliRunner().invoke(cli, [*path, "--help", "--lang", "en"])
    by_env = CliRunner().invoke(cli, [*path, "--help"], env={"SHEETS_TOOL_LANG": "en"})
    assert vi.exit_code == en.exit_code == by_env.exit_code == 0
    assert vi.output.startswith("Cách dùng: ") and "Tùy chọn:" in vi.output
    assert en.output.startswith("Usage: ") and "Options:" in en.output
    assert by_env.output == en.output
    for word in ("Usage", "Options", "Show this message", "default:", "required]"):
        assert word not in vi.output, (path, word)
    for word in ("Cách dùng", "Tùy chọn", "mặc định", "bắt buộc"):
        assert word not in en.output, (path, word)


def test_click_s_usage_errors_in_both_languages(tmp_path):
    runner = CliRunner()
    vi = runner.invoke(cli, ["registry", "init", "-o", str(tmp_path / "r.xlsx")])
    assert vi.exit_code == 2
    assert "Lỗi: Thiếu tùy chọn '--province'." in vi.output
    assert "registry init --help' để được hướng dẫn." in vi.output
    en = runner.invoke(cli, ["registry", "init", "-o", str(tmp_path / "r.xlsx"), "--lang", "en"])
    assert "Error: Missing option '--province'." in en.output
    choice = runner.invoke(cli, ["validate", "x.xlsx", "--template", "weekly"])
    assert "Giá trị không hợp lệ cho '--template'" in choice.output
    assert "'weekly' không phải một trong" in choice.output
    unknown = runner.invoke(cli, ["validate", "x.xlsx", "--nope"])
    assert "Không có tùy chọn '--nope'." in unknown.output
    nothing = runner.invoke(cli, ["validate"])
    assert "Thiếu đối số 'PATH|URL...'." in nothing.output
    no_such = runner.invoke(cli, ["validat"])
    assert "Không có lệnh 'validat'." in no_such.output and "Có phải ý bạn là" in no_such.output
    assert not (tmp_path / "r.xlsx").exists()


def click_messages() -> set[str]:
    """Every text click passes through gettext, read from its source."""
    found: set[str] = set()
    quoted = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
    for path in Path(click.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        calls = re.findall(r"\b_\(\s*" + quoted + r"\s*\)", source)
        for singular, plural in re.findall(
            r"ngettext\(\s*" + quoted + r",\s*" + quoted + ",", source
        ):
            calls += [singular, plural]
        for call in calls:
            text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', call))
            found.add(text.encode().decode("unicode_escape").encode("latin-1").decode())
    return found


# click's texts no user of sheets-tool meets: for programmers (declarations, shell
# completion, Windows consoles, editors, colours) and prompts the tool never shows
NOT_SHOWN = re.compile(
    r"declaration|defined twice|Did you mean to declare|Boolean option|Could not determine"
    r"|Bash|Windows|Editing failed|Unknown color|standard stream|DeprecationWarning"
    r"|^d$|^\(dynamic\)$|^Choice\(|^Positional"
)


def test_every_click_message_a_user_can_meet_has_its_vietnamese():
    messages = click_messages()
    assert len(messages) > 50  # the source was read
    missing = sorted(m for m in messages if m not in CLICK_VI and not NOT_SHOWN.search(m))
    assert missing == []
    stale = sorted(m for m in CLICK_VI if m not in messages and m != "required")
    assert stale == []  # "required" reaches gettext through a variable
    for english, vietnamese in CLICK_VI.items():
        assert set(re.findall(r"\{\w+[^}]*\}|%\(\w+\)s", english)) == set(
            re.findall(r"\{\w+[^}]*\}|%\(\w+\)s", vietnamese)
        ), english


def test_every_finding_message_has_the_same_fields_in_both_languages():
    for code, (vi, en) in MESSAGES.items():
        assert set(re.findall(r"\{(\w+)", vi)) == set(re.findall(r"\{(\w+)", en)), code


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["validate", "--lang", "en", "x"], "en"),
        (["validate", "--lang=en"], "en"),
        (["validate", "--lang", "vi"], "vi"),
        (["validate", "--", "--lang", "en"], "vi"),
        (["validate", "--lang", "fr"], "vi"),
    ],
)
def test_the_language_is_chosen_before_parsing(args, lang, monkeypatch):
    monkeypatch.delenv("SHEETS_TOOL_LANG", raising=False)
    assert chosen_language(args) == lang


def test_the_library_speaks_vietnamese_unless_told(monkeypatch):
    monkeypatch.delenv("SHEETS_TOOL_LANG", raising=False)
    assert language() == "vi" and tr("xã", "commune") == "xã"
    monkeypatch.setenv("SHEETS_TOOL_LANG", "en")
    assert language() == "en" and tr("xã", "commune") == "commune"
    set_language("vi")
    try:
        assert tr("{n} xã", "{n} communes", n=2) == "2 xã"
    finally:
        set_language(None)
    with pytest.raises(ValueError):
        set_language("fr")


def test_english_plurals():
    assert count(1, "file", "files", "tệp", "en") == "1 file"
    assert count(0, "file", "files", "tệp", "en") == "0 files"
    assert count(2, "file", "files", "tệp", "en") == "2 files"
    assert count(1, "file", "files", "tệp", "vi") == "1 tệp"
