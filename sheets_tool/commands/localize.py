"""The command line in the user's language: help texts, and click's own words.

Help texts are declared as :class:`~sheets_tool.i18n.Text` (English, carrying its
Vietnamese); :func:`localize` puts the chosen language's into every command and
option before click formats them. click writes its own words ("Usage:", "Missing
option", "Show this message and exit.") through ``gettext``, which would need compiled
catalogues and the process's locale variables; instead its modules' ``_`` and
``ngettext`` are pointed at :data:`CLICK_VI` while Vietnamese is chosen.
``tests/test_i18n.py`` checks that every text click can write to a user is in it.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence
from typing import Any

import click

from ..i18n import ENV, LANGS, VIETNAMESE, language, set_language

# click's messages a user can meet, as click 8.1-8.x writes them (msgid -> Vietnamese).
CLICK_VI: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Aborted!": "Đã dừng.",
    "Missing command.": "Thiếu lệnh.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "deprecated": "không dùng nữa",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Confirm the action without prompting.": "Xác nhận, không hỏi lại.",
    "Do you want to continue?": "Tiếp tục?",
    "Error: {message}": "Lỗi: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Try '{command} {option}' for help.": "Xem '{command} {option}' để được hướng dẫn.",
    "unknown error": "lỗi không rõ",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} cần {nargs} giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Invalid start character for option ({option})": "Tùy chọn bắt đầu bằng ký tự lạ ({option})",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải một trong {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng các dạng {formats}.",
    "{len_type} values are required, but {len_value} was given.": (
        "Cần {len_type} giá trị, nhưng có {len_value}."
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "Cần {len_type} giá trị, nhưng có {len_value}."
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải giá trị đúng/sai. Các giá trị nhận: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} không phải UUID hợp lệ.",
    "file": "Tệp",
    "directory": "Thư mục",
    "path": "Đường dẫn",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {name} {filename!r}.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} không chạy được.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Error: The two entered values do not match.": "Lỗi: hai giá trị nhập không khớp.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Press any key to continue...": "Nhấn một phím bất kỳ để tiếp tục...",
    "Repeat for confirmation": "Nhập lại để xác nhận",
}

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def _gettext(message: str) -> str:
    return CLICK_VI.get(message, message) if language() == "vi" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _install_click_words() -> None:
    """Point click's ``_`` and ``ngettext`` at the catalogue above (once)."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def chosen_language(args: Sequence[str]) -> str:
    """``--lang X`` or ``--lang=X`` among ``args``, else ``$SHEETS_TOOL_LANG``, else vi."""
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    env = os.environ.get(ENV, "").strip().lower()
    return env if env in LANGS else "vi"


def localize(command: click.Command, lang: str) -> None:
    """Put ``lang``'s help texts into ``command``, its options and its subcommands."""
    for obj in (command, *command.params):
        for attr in ("help", "short_help"):
            english = getattr(obj, f"_{attr}_en", None) or getattr(obj, attr, None)
            if not english:
                continue
            english = inspect.cleandoc(english)
            setattr(obj, f"_{attr}_en", english)
            setattr(obj, attr, VIETNAMESE.get(english, english) if lang == "vi" else english)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub, lang)


class LocalizedGroup(click.Group):
    """The top command: chooses the language before click reads the arguments."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        import sys

        argv = list(sys.argv[1:] if args is None else args)
        lang = chosen_language(argv)
        set_language(lang)
        _install_click_words()
        localize(self, lang)
        try:
            return super().main(argv, *rest, **kwargs)
        finally:
            set_language(None)
