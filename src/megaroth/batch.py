"""A preparer's batch: one worksheet per taxpayer, and a summary that accounts for every record.

`report --out-dir DIR` writes, per taxpayer, `<client>-<year>.<ext>`, then `summary.csv`,
`summary.json` and `rejected.csv`. The promise, checked at the end of every batch:

    records in = records reported + records rejected

A record is a 1099-R as the source holds it (a CSV row, a PDF page or form, an FDX entry); a
record that cannot be read, validated or given a tax year is rejected with its file, record and
field, and the batch goes on. A file that cannot be read at all holds no records and is counted
in `files_rejected`.

The summary is written last (streamed to temporary files and renamed at the end), so a batch
that was killed leaves no summary: a folder without `summary.json` is not a complete batch.
Temporary files a killed batch left behind are removed by the next one.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from megaroth import __version__
from megaroth.errors import ExitCode, InputError, worst
from megaroth.limits import DEFAULT, Limits
from megaroth.model.batch import SUMMARY_COLUMNS, SUMMARY_SCHEMA, SUMMARY_SCHEMA_VERSION
from megaroth.model.results import Severity


@dataclass
class BatchSummary:
    taxpayers: int = 0
    records_in: int = 0
    records_reported: int = 0
    records_rejected: int = 0
    files_rejected: int = 0
    exit_code: ExitCode = ExitCode.OK
    first_rejected: list[InputError] = field(default_factory=list)
    """The first rejections, for the terminal (rejected.csv has them all)."""

    @property
    def conserved(self) -> bool:
        return self.records_in == self.records_reported + self.records_rejected

    def totals(self) -> dict:
        return {"taxpayers": self.taxpayers, "records_in": self.records_in, "records_reported": self.records_reported,
                "records_rejected": self.records_rejected, "files_rejected": self.files_rejected,
                "conserved": self.conserved}


SHOWN = 20
"""Rejections kept for the terminal."""


class RecordsLost(RuntimeError):
    """The totals do not add up: a bug in megaroth, never the user's input."""


def batch_report(paths: list[str], out_dir: str | Path, *, fmt: str = "md", input_format: str | None = None,
                 year: int | None = None, reveal_tins: bool = False, progress=None,
                 limits: Limits = DEFAULT, worksheets: bool = True) -> BatchSummary:
    """One worksheet per taxpayer in `out_dir`, plus summary.csv, summary.json and rejected.csv.

    Args:
        worksheets: False writes the summaries only (each taxpayer's lines, verdicts and findings).

    Raises:
        InputError: when the folder cannot be made or written.
        RecordsLost: when records in ≠ reported + rejected (a bug; the outputs are written first).
    """
    from megaroth import intake
    from megaroth.analysis import analyze, exit_code
    from megaroth.outputs import AtomicFile, prepare_out_dir, sync_directory, write_atomic
    from megaroth.render import render
    from megaroth.spill import NameSet

    out = Path(out_dir)
    prepare_out_dir(out)
    # A previous run's summary would describe worksheets this run may overwrite: it goes first.
    for stale in ("summary.json", "summary.csv", "rejected.csv"):
        (out / stale).unlink(missing_ok=True)
    summary = BatchSummary()
    tally = intake.Tally()
    codes: set[ExitCode] = set()
    # The output names taken, kept on disk: a batch's memory does not grow with its taxpayers.
    with NameSet() as names, AtomicFile(out / "summary.csv") as summary_csv, \
            AtomicFile(out / "summary.json") as summary_json, AtomicFile(out / "rejected.csv") as rejected_csv:
        rows = csv.DictWriter(summary_csv, fieldnames=SUMMARY_COLUMNS)
        rows.writeheader()
        rejected = csv.writer(rejected_csv)
        rejected.writerow(["file", "record", "field", "message"])
        summary_json.write(f'{{\n  "schema": {json.dumps(SUMMARY_SCHEMA)},\n  "schema_version": '
                           f'{SUMMARY_SCHEMA_VERSION},\n  "megaroth_version": {json.dumps(__version__)},\n'
                           '  "results": [\n')
        first_row = True

        def reject(errors: list[InputError]) -> None:
            summary.first_rejected.extend(errors[:SHOWN - len(summary.first_rejected)])
            for error in errors:
                rejected.writerow([error.source.file or "", error.source.record or "", error.source.field or "",
                                   error.message])
            records = {(e.source.file, e.source.record) for e in errors if e.source.record}
            summary.records_rejected += len(records)
            summary.files_rejected += len({e.source.file for e in errors if not e.source.record})

        documents = intake.read_documents(paths, input_format, limits)
        for group in intake.groups(documents, tally):
            reject(tally.rejected)
            tally.rejected.clear()
            result = intake.build_case(group, year)
            if isinstance(result, list):
                reject(result)
                codes.add(ExitCode.INPUT)
                continue
            reject(result.errors)
            forms = len(result.case.forms_1099r) + len(result.case.forms_5498)
            if not forms:
                continue  # every record of this taxpayer was rejected: nothing to report but rejected.csv
            analysis = analyze(result)
            summary.records_reported += forms
            code = exit_code(analysis)
            codes.add(code)
            name = output_stem(group.key, result.case.tax_year, names)
            worksheet = f"{name}.{fmt}" if worksheets else ""
            if worksheets:
                # Durability is paid once for the batch (below), not once per worksheet.
                write_atomic(out / worksheet, render(analysis, result.case, fmt, reveal_tins=reveal_tins),
                             durable=False)
            summary.taxpayers += 1
            row = summary_row(intake.display_key(group.key), worksheet, analysis, code)
            rows.writerow({k: ("" if v is None else v) for k, v in row.items()})
            summary_json.write(("" if first_row else ",\n") + "    " + json.dumps(row, ensure_ascii=False))
            first_row = False
            if progress:
                progress(summary.taxpayers, tally.groups_expected or None)
        reject(tally.rejected)
        summary.records_in = tally.records_in
        if summary.records_rejected or summary.files_rejected:
            codes.add(ExitCode.INPUT)
        summary.exit_code = worst(codes)
        summary_json.write("\n  ],\n  \"totals\": " + json.dumps(summary.totals())
                           + ",\n  \"notes\": " + json.dumps(intake.compact_notes(tally.notes), ensure_ascii=False)
                           + f",\n  \"exit_code\": {int(summary.exit_code)}\n}}\n")
        if hasattr(os, "sync"):
            os.sync()  # every worksheet on disk before the summary says the batch is complete
    sync_directory(out)
    if not summary.conserved:
        raise RecordsLost(f"{summary.records_in} record(s) read but {summary.records_reported} reported and "
                          f"{summary.records_rejected} rejected")
    return summary


def summary_row(taxpayer: str, worksheet: str, analysis, code: ExitCode) -> dict:
    """One taxpayer's line of the summary (see `megaroth.model.batch.SummaryRow`)."""
    lines = {e.role: (f"{e.amount:.2f}" if e.amount is not None else None) for e in analysis.lines}
    return {
        "taxpayer": taxpayer, "tax_year": analysis.tax_year, "worksheet": worksheet, "forms": len(analysis.forms),
        "complete": analysis.complete, "exit_code": int(code),
        **{column: lines.get(column) for column in ("ira_gross", "ira_taxable", "pension_gross", "pension_taxable",
                                                     "withholding")},
        "form_8606": analysis.form_8606.status, "additional_tax": f"{analysis.form_5329.additional_tax:.2f}",
        "errors": sum(1 for f in analysis.findings if f.severity is Severity.error),
        "warnings": sum(1 for f in analysis.findings if f.severity is Severity.warning),
        "finding_codes": " ".join(sorted({f.code for f in analysis.findings if f.severity is not Severity.info})),
    }


def output_stem(key: str, tax_year: int, used: set[str]) -> str:
    """A file name for one taxpayer's output: the client id (a TIN only by its last four digits)
    and the year, made unique among `used`."""
    from megaroth.intake import display_key

    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", display_key(key)).strip("_.") or "taxpayer"
    stem = stem[:80]
    name, n = f"{stem}-{tax_year}", 1
    while name in used:
        n += 1
        name = f"{stem}-{tax_year}-{n}"
    used.add(name)
    return name
