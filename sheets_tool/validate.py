"""Validation of the four records: fields, rows, teams, files, and several files together.

``validate_paths(["xa-tung-anh.xlsx"], profile="ha-tinh-2022")`` reads every file (see
:mod:`sheets_tool.reader`), types each value, and returns a :class:`~.findings.Report`.
Checks, from small to large:

* field: type, required, choice, range (``field.*``);
* row: ``shops`` ≤ ``households``, ``sellers`` ≤ ``shops``... (``row.*``), total rows
  and footers against the rows above;
* team (rosters): the profile's size and position rules, one leader, nobody twice;
* file: steering decision list and task table name the same people, near-identical
  names, villages looked after;
* across files: a person in several teams, villages without a team.

Whether a team or file rule is an error or a warning is the profile's choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .findings import ERROR, WARNING, FileReport, Finding, Report
from .reader import Workbook, read_workbook
from .rules.across import check_across
from .rules.base import FileResult, Sink
from .rules.fields import type_records
from .rules.rows import check_date_locale, check_footers, check_rows, check_totals
from .rules.steering import check_steering
from .rules.teams import check_near_identical, check_teams, teams_of
from .templates import Profile, Template, load_profile


def validate_file(
    path: str | Path,
    template: str | Template | None = None,
    profile: Profile | str = "none",
    *,
    include_hidden: bool = False,
) -> FileResult:
    """Read and check one file. Never raises for a bad file."""
    return check_workbook(read_workbook(path, template, include_hidden=include_hidden), profile)


def check_workbook(workbook: Workbook, profile: Profile | str = "none") -> FileResult:
    """The checks of one workbook already read (from a file or a Google Sheet)."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    path = workbook.path
    sink = Sink(prof)
    sink.findings.extend(workbook.findings)
    report = FileReport(str(path), workbook.template.name if workbook.template else None)
    result = FileResult(report, workbook)
    if not workbook.readable or workbook.template is None:
        report.readable = False
        report.findings = sink.findings
        return result
    tpl = workbook.template
    entries = type_records(workbook, sink)
    if not entries and not any(f.code == "header.missing_column" for f in sink.findings):
        table = workbook.tables[0]
        sink.add(WARNING, "file.no_records", table.sheet, table.header_row)
    check_rows(entries, tpl, sink)
    check_totals(workbook, entries, sink)
    check_footers(workbook, entries, sink)
    check_date_locale(entries, tpl, sink)
    if tpl.name == "roster":
        check_teams(entries, sink)
        for members in teams_of(entries).values():
            check_near_identical(members, sink)
    elif tpl.name == "steering":
        check_steering(workbook, entries, sink)
    report.records = len(entries)
    report.findings = sink.findings
    result.entries = entries
    return result


def validate_files(
    paths: Iterable[str | Path],
    template: str | Template | None = None,
    profile: Profile | str = "none",
    *,
    debug: bool = False,
    include_hidden: bool = False,
) -> list[FileResult]:
    """Validate files together: each on its own, then the checks across them; the
    typed entries stay with each report, for the store and consolidation.

    ``template`` None (or "auto") detects each file's record from its headers. A file
    that breaks the reader in an unforeseen way becomes one ``file.unreadable`` finding
    and the others are still checked (``debug=True`` raises instead). Hidden sheets are
    read only with ``include_hidden``.
    """
    prof = load_profile(profile) if isinstance(profile, str) else profile
    tpl = None if template in (None, "auto") else template
    results = []
    for p in paths:
        try:
            results.append(validate_file(p, tpl, prof, include_hidden=include_hidden))
        except Exception as exc:
            if debug:
                raise
            report = FileReport(
                str(p),
                readable=False,
                findings=[
                    Finding(
                        severity=ERROR,
                        code="file.unreadable",
                        params={"detail": f"{type(exc).__name__}: {exc}"},
                    )
                ],
            )
            results.append(FileResult(report, Workbook(str(p), None, readable=False)))
    check_across(results, prof)
    for res in results:
        res.report.findings.sort(key=Finding.sort_key)
    return results


def validate_paths(
    paths: Iterable[str | Path],
    template: str | Template | None = None,
    profile: Profile | str = "none",
    *,
    debug: bool = False,
    include_hidden: bool = False,
) -> Report:
    """Validate files together (see :func:`validate_files`) and return the report."""
    results = validate_files(paths, template, profile, debug=debug, include_hidden=include_hidden)
    return Report([r.report for r in results])
