"""The ``sheets-tool`` command: a thin click layer over the library.

Each command (one module in :mod:`sheets_tool.commands`) parses its options, calls one
library function and turns its result into text (for people) or JSON (for programs).
Exit codes: 0 fine, 1 the data has errors, 2 misuse or a file that cannot be read. No
traceback unless ``--debug``.
"""

from __future__ import annotations

import click

from . import __version__
from .commands.consolidate import consolidate_command
from .commands.ingest import history, ingest
from .commands.registry import registry
from .commands.sync import sync
from .commands.template import profiles, template
from .commands.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheets-tool")
def cli() -> None:
    """Templates, reading and validation of the rosters and reports of Vietnam's
    community digital teams (Tổ công nghệ số cộng đồng).

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
