"""sheets-tool: templates, reading and validation of the rosters and reports of
Vietnam's community digital teams (Tổ công nghệ số cộng đồng).

Library use::

    from sheets_tool import validate_paths
    report = validate_paths(["to-cns.xlsx"], profile="ha-tinh-2022")
    for file in report.files:
        for finding in file.findings:
            print(finding.cell, finding.code, finding.message("en"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from .annotate import annotate
from .consolidate import consolidate
from .findings import FileReport, Finding, Report
from .ingest import ingest_paths
from .inputs import expand_inputs
from .reader import read_workbook
from .registry import init_registry, load_registry
from .report_book import write_summary
from .roster_book import write_roster_summary
from .rosters import consolidate_rosters
from .store import Store
from .template_book import write_template
from .templates import load_profile, load_template
from .validate import validate_file, validate_paths

__all__ = [
    "FileReport",
    "Finding",
    "Report",
    "Store",
    "__version__",
    "annotate",
    "consolidate",
    "consolidate_rosters",
    "expand_inputs",
    "ingest_paths",
    "init_registry",
    "load_profile",
    "load_registry",
    "load_template",
    "read_workbook",
    "validate_file",
    "validate_paths",
    "write_roster_summary",
    "write_summary",
    "write_template",
]
