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

A batch of PARALLEL_FROM taxpayers or more is analysed by worker processes (`jobs`): each
validates, analyses and renders a chunk of taxpayers and writes their worksheets to temporary
files; this process reads the sources, names each taxpayer, renames the worksheets into place
and writes the summaries, in the sources' order — so the outputs do not depend on the number
of workers. Memory stays flat: a CSV is streamed (`importers.csv_batch`), at most a few chunks
are in flight, and the names taken are kept on disk (`megaroth.spill`).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from megaroth import __version__
from megaroth.errors import ExitCode, InputError, worst
from megaroth.limits import DEFAULT, Limits
from megaroth.model.batch import SUMMARY_COLUMNS, SUMMARY_SCHEMA, SUMMARY_SCHEMA_VERSION
from megaroth.model.results import Severity
from megaroth.provenance import Source


@dataclass
class BatchSummary:
    taxpayers: int = 0
    records_in: int = 0
    records_reported: int = 0
    records_rejected: int = 0
    files_rejected: int = 0
    incomplete: int = 0
    """Taxpayers whose result is not final: a form left out, or a fact the tax depends on not given."""
    exit_code: ExitCode = ExitCode.OK
    first_rejected: list[InputError] = field(default_factory=list)
    """The first rejections, for the terminal (rejected.csv has them all)."""
    notes: list[str] = field(default_factory=list)
    """What the sources held that the batch did not use (a CSV's columns it does not know), as
    summary.json's notes say it: for the terminal too, so no column is left out unseen."""

    @property
    def conserved(self) -> bool:
        return self.records_in == self.records_reported + self.records_rejected

    def totals(self) -> dict:
        return {"taxpayers": self.taxpayers, "records_in": self.records_in, "records_reported": self.records_reported,
                "records_rejected": self.records_rejected, "files_rejected": self.files_rejected,
                "incomplete": self.incomplete, "conserved": self.conserved}


SHOWN = 20
"""Rejections kept for the terminal."""


class RecordsLost(RuntimeError):
    """The totals do not add up: a bug in megaroth, never the user's input."""


PARALLEL_FROM = 64
"""Taxpayers a batch must hold before it is analysed by worker processes (fewer: in this one)."""
CHUNK = 16
"""Taxpayers sent to a worker at a time."""
MAX_JOBS = 8
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
"""How workers start: forked on Linux (megaroth already imported, nothing read twice); spawned
elsewhere (forking is unsafe on macOS once system libraries are loaded)."""


def default_jobs() -> int:
    """The worker processes a batch uses when not told: one per core this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


@dataclass
class _Settings:
    year: int | None
    fmt: str
    reveal_tins: bool
    worksheets: bool
    out: Path
    in_worker: bool = False
    """The worksheet goes to a temporary file in `out`, renamed by the batch once it is named."""


@dataclass
class _Done:
    """What became of one taxpayer's group (computed in this process or in a worker)."""

    errors: list[InputError]
    no_case: bool = False
    """Every record was rejected before a case could be made (no usable tax year)."""
    forms: int = 0
    code: ExitCode = ExitCode.OK
    tax_year: int | None = None
    row: dict | None = None
    text: str | None = None
    temporary: str | None = None


def _taxpayer(group, settings: _Settings) -> _Done:
    """One taxpayer's group: validated, analysed, its summary row and worksheet made."""
    from megaroth import intake
    from megaroth.analysis import analyze, exit_code
    from megaroth.render import render

    result = intake.build_case(group, settings.year)
    if isinstance(result, list):
        return _Done(errors=result, no_case=True)
    forms = result.case.form_count
    if not forms:
        return _Done(errors=result.errors)  # every record was rejected: nothing to report but rejected.csv
    analysis = analyze(result)
    code = exit_code(analysis)
    done = _Done(errors=result.errors, forms=forms, code=code, tax_year=result.case.tax_year,
                 row=summary_row(intake.display_key(group.key), "", analysis, code))
    if settings.worksheets:
        done.text = render(analysis, result.case, settings.fmt, reveal_tins=settings.reveal_tins)
        if settings.in_worker:
            from megaroth.outputs import write_temporary

            done.temporary, done.text = write_temporary(settings.out, done.text), None
    return done


def _chunk(groups: list, settings: _Settings) -> list[_Done]:
    """A worker's share: a few taxpayers, in order."""
    return [_taxpayer(group, settings) for group in groups]


class _Crashed(Exception):
    """A worker process stopped before it finished its taxpayers."""


def _outcomes(items, settings: _Settings, jobs: int):
    """(pending rejections, group, _Done or _Crashed) for each item, in the items' order: here, or
    by `jobs` worker processes once the batch holds PARALLEL_FROM taxpayers."""
    first = []
    if jobs > 1:
        for item in items:
            first.append(item)
            if len(first) >= PARALLEL_FROM:
                break
    if jobs <= 1 or len(first) < PARALLEL_FROM:
        for pending, group in (first or items):
            yield pending, group, _taxpayer(group, settings)
        return
    yield from _parallel(itertools.chain(first, items), replace(settings, in_worker=True), jobs)


def _parallel(items, settings: _Settings, jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context(START_METHOD)
    window: deque = deque()
    executor = None

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context)

    def submit(chunk: list) -> None:
        nonlocal executor
        groups = [group for _, group in chunk]
        for _ in range(2):
            try:
                window.append((executor.submit(_chunk, groups, settings), chunk))
                return
            except BrokenProcessPool:
                executor.shutdown(wait=True, cancel_futures=True)
                executor = start()
        window.append((None, chunk))

    def drain():
        future, chunk = window.popleft()
        try:
            done = future.result() if future is not None else None
        except BrokenProcessPool as exc:
            done = None
            reason = str(exc) or "terminated abruptly"
        else:
            reason = "could not be started"
        for n, (pending, group) in enumerate(chunk):
            yield pending, group, (done[n] if done is not None else _Crashed(reason))

    executor = start()
    try:
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) == CHUNK:
                submit(chunk)
                chunk = []
                while len(window) > 2 * jobs:
                    yield from drain()
        if chunk:
            submit(chunk)
        while window:
            yield from drain()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


SCANS_PARALLEL_FROM = 2
"""Scanned files a batch must hold before their OCR runs in worker processes (one is read here)."""


def _is_scan(doc) -> bool:
    """A file whose reading is mostly OCR: an image, or a PDF with pages that are images."""
    if isinstance(doc, InputError):
        return False
    try:
        if doc.kind == "image":
            return True
        if doc.kind != "pdf":
            return False
        from megaroth.importers.scan_1099r import image_pages

        return bool(image_pages(doc))
    except InputError:
        return False  # a damaged file is refused where it is read, as any other


def _read_scan(name: str, path, data: bytes | None, input_format: str | None, limits: Limits):
    """In a worker process: one scanned file identified and read (the OCR), as (importer name, extraction)."""
    from megaroth.importers import identify
    from megaroth.importers.base import Document, reading_pdf

    doc = Document(name, data=data, format_hint=input_format, limits=limits, path=path)
    with reading_pdf(doc):
        importer = identify(doc)
        return importer.name, importer.extract(doc)


class _Ahead:
    """A scanned document's reading by a worker process: its importer and extraction when called,
    or the InputError the reading raised. A worker that stopped is replaced by reading it here."""

    def __init__(self, doc, future) -> None:
        self.doc, self.future = doc, future

    def __call__(self):
        from concurrent.futures.process import BrokenProcessPool

        from megaroth.importers import IMPORTERS, identify

        try:
            name, extraction = self.future.result()
        except BrokenProcessPool:
            importer = identify(self.doc)
            return importer, importer.extract(self.doc)
        return next(i for i in IMPORTERS if i.name == name), extraction


def read_scans_ahead(documents, jobs: int):
    """The documents in their order; once SCANS_PARALLEL_FROM scanned ones are seen, each scan is read
    (OCR, 1-2 s a page) by `jobs` worker processes, a few files ahead, and handed on with its reading
    (`read_ahead`), so the batch's outputs are the same whatever the number of workers. Other files
    (CSV, JSON, text PDFs) are read where they always were, in this process, in their turn."""
    if jobs <= 1:
        yield from documents
        return
    documents = iter(documents)
    held: list = []
    for doc in documents:
        held.append(doc)
        if sum(_is_scan(d) for d in held) >= SCANS_PARALLEL_FROM:
            break
    else:
        yield from held  # fewer scans than that: the pool would cost more than it saves
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    window: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(START_METHOD)) as pool:
        for doc in itertools.chain(held, documents):
            if _is_scan(doc):
                data = None if doc.path is not None else doc.data
                future = pool.submit(_read_scan, doc.name, doc.path, data, doc.format_hint, doc.limits)
                doc.read_ahead = _Ahead(doc, future)
            window.append(doc)
            while len(window) > 2 * jobs:
                yield window.popleft()
        while window:
            yield window.popleft()


def batch_report(paths: list[str], out_dir: str | Path, *, fmt: str = "md", input_format: str | None = None,
                 year: int | None = None, reveal_tins: bool = False, progress=None,
                 limits: Limits = DEFAULT, worksheets: bool = True, jobs: int | None = None) -> BatchSummary:
    """One worksheet per taxpayer in `out_dir`, plus summary.csv, summary.json and rejected.csv.

    Args:
        worksheets: False writes the summaries only (each taxpayer's lines, verdicts and findings).
        jobs: worker processes analysing the taxpayers (None: `default_jobs()`; 1: none, all in this
            process). The outputs are the same whatever the number: the taxpayers are named,
            written and summarised here, in the order the sources give them. A worker that stops
            (killed, out of memory) loses nothing: its taxpayers' records are rejected, naming
            why, and the batch exits 70.

    Raises:
        InputError: when the folder cannot be made or written.
        RecordsLost: when records in ≠ reported + rejected (a bug; the outputs are written first).
    """
    from megaroth import intake
    from megaroth.outputs import AtomicFile, place_temporary, prepare_out_dir, sync_directory, write_atomic
    from megaroth.spill import NameSet

    out = Path(out_dir)
    prepare_out_dir(out)
    # A previous run's summary would describe worksheets this run may overwrite: it goes first.
    for stale in ("summary.json", "summary.csv", "rejected.csv"):
        (out / stale).unlink(missing_ok=True)
    summary = BatchSummary()
    tally = intake.Tally()
    codes: set[ExitCode] = set()
    settings = _Settings(year=year, fmt=fmt, reveal_tins=reveal_tins, worksheets=worksheets, out=out)
    crashed = False
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

        def items():
            # What the sources rejected before each group (an unreadable file) goes with it, so
            # rejected.csv is in the same order however far ahead the workers read.
            documents = read_scans_ahead(intake.read_documents(paths, input_format, limits), jobs or default_jobs())
            for group in intake.groups(documents, tally):
                pending = tally.rejected[:]
                tally.rejected.clear()
                yield pending, group

        for pending, group, done in _outcomes(items(), settings, jobs or default_jobs()):
            reject(pending)
            if isinstance(done, _Crashed):
                crashed = True
                reject([InputError(f"not analysed: the worker process analysing it stopped ({done}); run the "
                                   "batch again (--jobs 1 analyses every taxpayer in one process)",
                                   Source(file=r.file, record=r.raw.locator)) for r in group.records])
                continue
            reject(done.errors)
            if done.no_case:
                codes.add(ExitCode.INPUT)
                continue
            if not done.forms:
                continue  # every record of this taxpayer was rejected: nothing to report but rejected.csv
            summary.records_reported += done.forms
            codes.add(done.code)
            name = output_stem(group.key, done.tax_year, names)
            worksheet = f"{name}.{fmt}" if worksheets else ""
            if worksheets:
                # Durability is paid once for the batch (below), not once per worksheet.
                if done.temporary:
                    place_temporary(done.temporary, out / worksheet)
                else:
                    write_atomic(out / worksheet, done.text, durable=False)
            summary.taxpayers += 1
            summary.incomplete += not done.row["complete"]
            row = done.row
            row["worksheet"] = worksheet
            rows.writerow({k: ("" if v is None else v) for k, v in row.items()})
            summary_json.write(("" if first_row else ",\n") + "    " + json.dumps(row, ensure_ascii=False))
            first_row = False
            if progress:
                progress(summary.taxpayers, tally.groups_expected or None)
        reject(tally.rejected)
        summary.records_in = tally.records_in
        if summary.records_rejected or summary.files_rejected:
            codes.add(ExitCode.INPUT)
        if crashed:
            codes.add(ExitCode.INTERNAL)
        summary.exit_code = worst(codes)
        summary.notes = intake.compact_notes(tally.notes)
        summary_json.write("\n  ],\n  \"totals\": " + json.dumps(summary.totals())
                           + ",\n  \"notes\": " + json.dumps(summary.notes, ensure_ascii=False)
                           + f",\n  \"exit_code\": {int(summary.exit_code)}\n}}\n")
        if hasattr(os, "sync"):
            os.sync()  # every worksheet on disk before the summary says the batch is complete
    if crashed:
        prepare_out_dir(out)  # the temporary files the stopped workers left
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
        "excess_tax": f"{analysis.form_5329.excess_tax:.2f}",
        "errors": sum(1 for f in analysis.findings if f.severity is Severity.error),
        "warnings": sum(1 for f in analysis.findings if f.severity is Severity.warning),
        "finding_codes": " ".join(sorted({f.code for f in analysis.findings if f.severity is not Severity.info})),
        "missing_facts": " ".join(_fact_names(analysis)),
    }


def _fact_names(analysis) -> list[str]:
    """The missing facts by the names of their CSV columns (`ira_basis`, `spouse_ira_year_end_value`):
    what the preparer adds to the client's rows."""
    from megaroth.questions.facts import from_path, option_name

    names = []
    for missing in analysis.missing_facts:
        found = from_path(missing.fact)
        names.append(option_name(*found) if found else missing.fact)
    return names


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
