"""The ``sheets-tool`` command: a thin click layer over the library.

Each command (one module in :mod:`sheets_tool.commands`) parses its options, calls one
library function and turns its result into text (for people) or JSON (for programs).
Exit codes: 0 fine, 1 the data has errors, 2 misuse or a file that cannot be read. No
traceback unless ``--debug``.
"""

from __future__ import annotations

from typing import Any

import click

from . import __version__
from .commands.common import lang_switch
from .commands.consolidate import consolidate_command
from .commands.ingest import history, ingest
from .commands.localize import LocalizedGroup
from .commands.registry import registry
from .commands.sync import sync
from .commands.template import profiles, template
from .commands.validate import validate
from .i18n import Text, vietnamese
from .store import StoreError


class Cli(LocalizedGroup):
    """``sheets-tool``: a store that fails midway (a full disk) is a message and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(2)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    prog_name="sheets-tool",
    help=Text("In phiên bản rồi thoát.", "Show the version and exit."),
)
@lang_switch
@vietnamese(
    """Mẫu biểu, đọc và kiểm tra danh sách và báo cáo của Tổ công nghệ số cộng đồng;
    tổng hợp từ thôn lên xã, huyện, tỉnh. Thông báo bằng tiếng Việt; thêm --lang en
    (hoặc đặt SHEETS_TOOL_LANG=en) để dùng tiếng Anh.

    \b
    Bắt đầu với:
      sheets-tool template roster -o to-cns.xlsx     # một mẫu để điền
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022
    """
)
def cli() -> None:
    """Templates, reading and validation of the rosters and reports of Vietnam's
    community digital teams (Tổ công nghệ số cộng đồng); consolidation from villages up
    to communes, districts and provinces. Messages are in Vietnamese; add --lang en (or
    set SHEETS_TOOL_LANG=en) for English.

    \b
    Start with:
      sheets-tool template roster -o to-cns.xlsx     # a sheet to fill in
      sheets-tool validate to-cns.xlsx --profile ha-tinh-2022
    """


for command in (validate, template, profiles, registry, ingest, history, consolidate_command, sync):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="sheets-tool")


if __name__ == "__main__":  # pragma: no cover
    main()
