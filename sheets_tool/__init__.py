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

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The names below are loaded when first used (PEP 562), so that `sheets-tool --help` and a
# small validation do not import openpyxl, xlsxwriter and the Google libraries they need not.
_EXPORTS = {
    "annotate": "annotate",
    "consolidate": "consolidate",
    "FileReport": "findings",
    "Finding": "findings",
    "Report": "findings",
    "ingest_paths": "ingest",
    "expand_inputs": "inputs",
    "read_workbook": "reader",
    "init_registry": "registry",
    "load_registry": "registry",
    "write_summary": "report_book",
    "write_roster_summary": "roster_book",
    "consolidate_rosters": "rosters",
    "Store": "store",
    "write_template": "template_book",
    "load_profile": "templates",
    "load_template": "templates",
    "validate_file": "validate",
    "validate_paths": "validate",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sheets_tool' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


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
