"""The README documents every command, and its examples run."""

import re

from sheets_tool.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert first_block.splitlines()[0].startswith("make demo")
    assert first_block.splitlines()[1].startswith("make test")


def test_every_command_has_a_readme_section():
    headings = [line for line in README.splitlines() if line.startswith("### ")]
    for name in cli.commands:
        assert any(f"`sheets-tool {name}" in h for h in headings), name


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_profile_and_template_is_in_the_readme():
    from sheets_tool.templates import TEMPLATE_NAMES, profile_names

    for name in profile_names():
        assert f"`{name}`" in README, name
    for name in TEMPLATE_NAMES:
        assert f"`{name}`" in README, name


def test_every_message_has_both_languages():
    from sheets_tool.messages import MESSAGES

    for code, (vi, en) in MESSAGES.items():
        assert vi and en and vi != en, code


def test_every_code_the_package_uses_has_a_message():
    import re

    from sheets_tool.messages import MESSAGES

    prefixes = "file|header|cell|field|row|footer|team|roster|steering|names|registry|daily|report"
    used = set()
    for path in (ROOT / "sheets_tool").rglob("*.py"):
        if path.name != "messages.py":
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(rf'"((?:{prefixes}|consolidate)\.[a-z_]+)"', text))
    assert used == set(MESSAGES)
