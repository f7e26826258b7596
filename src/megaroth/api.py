"""The public API: load a case, analyze it, render it, and derive the exit code.

This is the only layer that touches files for the spine (case files, stdin). The CLI calls
these functions and holds no logic of its own.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from megaroth.errors import ExitCode, InputError, UnsupportedYear, worst
from megaroth.model.loading import LoadedCase, load_case_bytes, load_case_data
from megaroth.model.results import Analysis, Severity
from megaroth.provenance import Source

STDIN = "-"


def read_input(path: str | Path) -> tuple[bytes, Source]:
    """The bytes of a file, or of stdin for "-", with where they came from."""
    if str(path) == STDIN:
        return sys.stdin.buffer.read(), Source(file="<stdin>")
    source = Source(file=str(path))
    try:
        return Path(path).read_bytes(), source
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source) from None
    except PermissionError:
        raise InputError("permission denied", source) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source) from None


def load_case(path: str | Path) -> LoadedCase:
    """Read and validate a case file ("-" for stdin)."""
    data, source = read_input(path)
    return load_case_bytes(data, source)


def case_from_dict(data: dict[str, Any], label: str = "<case>") -> LoadedCase:
    return load_case_data(data, Source(file=label))


def analyze(loaded: LoadedCase) -> Analysis:
    """Check and compute a loaded case.

    Raises:
        InputError: when the case's tax year is not supported.
    """
    from megaroth.params import load_year
    from megaroth.rules.engine import analyze as run

    case = loaded.case
    try:
        params = load_year(case.tax_year)
    except UnsupportedYear as exc:
        raise InputError(exc.message, loaded.source.at(field="tax_year")) from None
    return run(case, params, loaded.sources, loaded.errors, loaded.findings)


def exit_code(analysis: Analysis, *, findings_matter: bool = True) -> ExitCode:
    """The exit code an analysis calls for (documented in the README)."""
    codes = set()
    if analysis.errors:
        codes.add(ExitCode.INPUT)
    if any(form.status != "computed" for form in analysis.forms):
        codes.add(ExitCode.UNSUPPORTED)
    if findings_matter and any(f.severity is Severity.error for f in analysis.findings):
        codes.add(ExitCode.FINDINGS)
    return worst(codes)


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case file."""
    from megaroth.model.case import Case

    return Case.model_json_schema(mode="validation")


def default_year() -> int:
    """The tax year `quick` and `rules` use when none is given: the latest verified one."""
    from megaroth.params import latest_verified_year

    return latest_verified_year()


def rules_catalog(tax_year: int | None = None) -> list[dict[str, Any]]:
    """Every rule and finding kind, with its citations resolved for a tax year."""
    from megaroth.catalog import resolve_citation
    from megaroth.checks.registry import CHECKS
    from megaroth.rules.registry import all_rules

    year = tax_year or default_year()
    entries = [{"kind": "rule", "id": r.id, "title": r.title, "severity": None,
                "cites": [resolve_citation(c, year).text for c in r.cites]} for r in all_rules()]
    entries += [{"kind": "finding", "id": c.code, "title": c.title, "severity": c.severity.value,
                 "cites": [resolve_citation(x, year).text for x in c.cites]}
                for c in sorted(CHECKS.values(), key=lambda c: c.code)]
    return entries


def years_summary() -> list[dict[str, Any]]:
    """Supported tax years with their Form 1040 lines and how far they are verified."""
    from megaroth.catalog import available_years
    from megaroth.params import load_year
    from megaroth.pdf_maps import form_map

    summary = []
    for year in available_years():
        params = load_year(year)
        lines = params.f1040.lines
        summary.append({
            "tax_year": year,
            "pension_lines": (lines.pension_gross.line, lines.pension_taxable.line),
            "ira_lines": (lines.ira_gross.line, lines.ira_taxable.line),
            "withholding_line": lines.withholding.line,
            "rollover_marker": params.f1040.markers.pension_rollover.instruction(),
            "layout_verified": params.f1040.meta.verified,
            "codes_from_year": params.codes.based_on_year,
            "codes_verified": params.codes.verified,
            "schedule_2_line": params.f1040.schedule_2.additional_tax.line,
            "pdf_field_map": form_map("f1040", year) is not None,
        })
    return summary


# ---------------------------------------------------------------------------- sources (issue 3)
def load_sources(paths: list, *, input_format: str | None = None, year: int | None = None):
    """Import 1099-Rs from files (PDF, CSV, FDX JSON, case files) into one case per taxpayer.

    Args:
        paths: file paths ("-" for stdin), or documents already read.

    Returns:
        (list of (taxpayer key, LoadedCase), Tally of records in and rejected).
    """
    from megaroth import intake

    tally = intake.Tally()
    cases = []
    documents = paths if paths and not isinstance(paths[0], str) else intake.read_documents(paths, input_format)
    for group in intake.groups(documents, tally):
        result = intake.build_case(group, year)
        if isinstance(result, list):
            tally.rejected.extend(result)
        else:
            cases.append((group.key, result))
    return cases, tally


def load_single(paths: list[str], *, input_format: str | None = None, year: int | None = None) -> LoadedCase:
    """One taxpayer's case from a case file or from sources; every rejected record is kept in
    the case's errors so the worksheet and the exit code report it.

    Raises:
        InputError: when nothing could be read, or the sources hold several taxpayers.
    """
    from megaroth import intake
    from megaroth.checks.imports import IMPORT_NOTE
    from megaroth.importers.case_json import is_case

    documents = list(intake.read_documents(paths, input_format))
    if len(documents) == 1 and not isinstance(documents[0], InputError) and documents[0].kind == "json":
        doc = documents[0]
        if is_case(doc.json):  # a case file is read whole: dispositions, options, facts
            return load_case_bytes(doc.data, doc.source)
    cases, tally = load_sources(documents, input_format=input_format, year=year)
    if len(cases) > 1:
        from megaroth.intake import display_key

        names = ", ".join(display_key(key) or "(no name)" for key, _ in cases[:5])
        raise InputError(f"the sources hold {len(cases)} taxpayers ({names}{', …' if len(cases) > 5 else ''}); "
                         "use --out-dir to report each one", Source(file=", ".join(paths)))
    if not cases:
        if tally.rejected:
            first = tally.rejected[0]
            more = f" (and {len(tally.rejected) - 1} more)" if len(tally.rejected) > 1 else ""
            raise InputError(first.message + more, first.source)
        raise InputError("no Form 1099-R found" + (": " + "; ".join(tally.notes) if tally.notes else ""),
                         Source(file=", ".join(paths)))
    loaded = cases[0][1]
    loaded.errors[:0] = tally.rejected
    loaded.findings.extend(IMPORT_NOTE.finding(note) for note in tally.notes)
    return loaded


@dataclass
class BatchSummary:
    taxpayers: int = 0
    records_in: int = 0
    records_reported: int = 0
    records_rejected: int = 0
    files_rejected: int = 0
    exit_code: ExitCode = ExitCode.OK
    outputs: list[str] = field(default_factory=list)


SUMMARY_COLUMNS = ["taxpayer", "tax_year", "worksheet", "forms", "complete", "exit_code", "ira_gross",
                   "ira_taxable", "pension_gross", "pension_taxable", "withholding", "form_8606",
                   "additional_tax", "errors", "warnings", "finding_codes"]


def batch_report(paths: list[str], out_dir: str | Path, *, fmt: str = "md", input_format: str | None = None,
                 year: int | None = None, reveal_tins: bool = False, progress=None) -> BatchSummary:
    """One worksheet per taxpayer in `out_dir`, plus summary.csv, summary.json and rejected.csv.

    Every file is written atomically; the summaries are streamed to temporary files and renamed
    at the end, so memory does not grow with the batch and a crash leaves no half summary.
    """
    import csv
    import json

    from megaroth import intake
    from megaroth.outputs import AtomicFile, write_atomic
    from megaroth.render import render

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    tally = intake.Tally()
    codes: set[ExitCode] = set()
    names: set[str] = set()
    ext = {"md": "md", "html": "html", "json": "json"}[fmt]
    with AtomicFile(out / "summary.csv") as summary_csv, AtomicFile(out / "summary.json") as summary_json, \
            AtomicFile(out / "rejected.csv") as rejected_csv:
        rows = csv.DictWriter(summary_csv, fieldnames=SUMMARY_COLUMNS)
        rows.writeheader()
        rejected = csv.writer(rejected_csv)
        rejected.writerow(["file", "record", "field", "message"])
        summary_json.write('{\n  "taxpayers": [\n')
        first_row = True

        def reject(errors):
            for error in errors:
                rejected.writerow([error.source.file or "", error.source.record or "", error.source.field or "",
                                   error.message])
            records = {(e.source.file, e.source.record) for e in errors if e.source.record}
            summary.records_rejected += len(records)
            summary.files_rejected += sum(1 for e in errors if not e.source.record)

        for group in intake.groups(intake.read_documents(paths, input_format), tally):
            reject(tally.rejected)
            tally.rejected.clear()
            result = intake.build_case(group, year)
            if isinstance(result, list):
                reject(result)
                codes.add(ExitCode.INPUT)
                continue
            reject(result.errors)
            if not result.case.forms_1099r:
                continue  # every record of this taxpayer was rejected: nothing to report but rejected.csv
            try:
                analysis = analyze(result)
            except InputError as exc:  # an unsupported tax year: every form of the group is rejected
                reject([InputError(exc.message, s) for s in result.sources.values()])
                codes.add(ExitCode.INPUT)
                continue
            summary.records_reported += len(result.case.forms_1099r)
            code = exit_code(analysis)
            codes.add(code)
            name = output_stem(group.key, result.case.tax_year, names)
            write_atomic(out / f"{name}.{ext}", render(analysis, result.case, fmt, reveal_tins=reveal_tins))
            summary.taxpayers += 1
            lines = {e.role: (f"{e.amount:.2f}" if e.amount is not None else "") for e in analysis.lines}
            row = {
                "taxpayer": intake.display_key(group.key), "tax_year": result.case.tax_year,
                "worksheet": f"{name}.{ext}", "forms": len(analysis.forms), "complete": analysis.complete,
                "exit_code": int(code), **lines, "form_8606": analysis.form_8606.status,
                "additional_tax": f"{analysis.form_5329.additional_tax:.2f}",
                "errors": sum(1 for f in analysis.findings if f.severity is Severity.error),
                "warnings": sum(1 for f in analysis.findings if f.severity is Severity.warning),
                "finding_codes": " ".join(sorted({f.code for f in analysis.findings
                                                  if f.severity is not Severity.info})),
            }
            rows.writerow(row)
            summary_json.write(("" if first_row else ",\n") + "    " + json.dumps(row))
            first_row = False
            if progress:
                progress(summary.taxpayers)
        reject(tally.rejected)
        summary.records_in = tally.records_in
        if summary.records_rejected or summary.files_rejected:
            codes.add(ExitCode.INPUT)
        summary.exit_code = worst(codes)
        totals = {k: getattr(summary, k) for k in ("taxpayers", "records_in", "records_reported",
                                                   "records_rejected", "files_rejected")}
        summary_json.write("\n  ],\n" + "\n".join(f'  "{k}": {v},' for k, v in totals.items())
                           + f'\n  "notes": {json.dumps(tally.notes)},\n  "exit_code": {int(summary.exit_code)}\n}}\n')
    summary.outputs = sorted(names)
    return summary


def output_stem(key: str, tax_year: int, used: set[str]) -> str:
    """A file name for one taxpayer's output: the client id (a TIN only by its last four digits)
    and the year, made unique among `used`."""
    from megaroth.intake import display_key

    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", display_key(key)).strip("_") or "taxpayer"
    name, n = f"{stem}-{tax_year}", 1
    while name in used:
        n += 1
        name = f"{stem}-{tax_year}-{n}"
    used.add(name)
    return name


def import_sources(paths: list[str], *, input_format: str | None = None, year: int | None = None,
                   reveal_tins: bool = False) -> tuple[list[tuple[str, dict]], "Any"]:
    """Case-file documents (forms with empty dispositions to fill in) from 1099-R sources, each
    with a file name stem for --out-dir."""
    from megaroth.intake import case_document

    cases, tally = load_sources(paths, input_format=input_format, year=year)
    documents = []
    used: set[str] = set()
    for key, loaded in cases:
        tally.rejected.extend(loaded.errors)
        if not loaded.case.forms_1099r:
            continue
        documents.append((output_stem(key, loaded.case.tax_year, used), case_document(loaded, reveal_tins=reveal_tins)))
    return documents, tally


def identify_sources(paths: list[str], input_format: str | None = None) -> list[dict[str, Any]]:
    """Which importer claims each input, and why not when none does."""
    from megaroth import intake
    from megaroth.importers import IMPORTERS, identify

    report = []
    for doc in intake.read_documents(paths, input_format):
        if isinstance(doc, InputError):
            report.append({"file": doc.source.file, "importer": None, "error": doc.message})
            continue
        try:
            importer = identify(doc)
            report.append({"file": doc.name, "importer": importer.name, "description": importer.description,
                           "error": None})
        except InputError as exc:
            report.append({"file": doc.name, "importer": None, "error": exc.message,
                           "known": [i.name for i in IMPORTERS]})
    return report


# ---------------------------------------------------------------------------- year-end (issue 4)
def room_from_plans(plans: list[dict], tax_year: int, birth_date=None):
    """The after-tax room for plans given as dictionaries (the `room` command's quick path).

    Raises:
        InputError: for plan figures that do not validate, or an unsupported year.
    """
    from pydantic import ValidationError

    from megaroth.model.loading import validation_errors
    from megaroth.model.yearend import Plan
    from megaroth.params import load_year
    from megaroth.rules.room import room

    try:
        models = [Plan.model_validate(plan) for plan in plans]
    except ValidationError as exc:
        errors = validation_errors(exc, Source(file="<command line>"))
        raise InputError("; ".join(f"{e.source.field}: {e.message}" for e in errors), Source(file="<command line>"))
    try:
        params = load_year(tax_year)
    except UnsupportedYear as exc:
        raise InputError(exc.message, Source(field="--year")) from None
    return room(models, birth_date, params)


def open_ledger(path: str | Path | None = None):
    from megaroth.ledger import Ledger

    return Ledger(path)


def ledger_add(loaded: LoadedCase, ledger_path: str | Path | None = None, on_row=None) -> tuple[str, int, Analysis]:
    """Store a case's forms, basis, clocks and year-end plan basis in the ledger (one transaction).

    Returns:
        (taxpayer key in the ledger, forms stored, the analysis).
    """
    from megaroth.ledger import taxpayer_key
    from megaroth.rules.timing import timing

    analysis = analyze(loaded)
    case = loaded.case
    key = taxpayer_key(case)
    timing_result = None
    with open_ledger(ledger_path) as ledger:
        if case.yearend and (case.yearend.after_tax_contributions or case.yearend.conversions):
            carried = ledger.carried(key, case.tax_year)
            timing_result = timing(case.yearend, case.tax_year, case.forms_1099r,
                                   opening_basis=carried.plan_after_tax_basis)
        stored = ledger.add(case, analysis, timing_result, on_row=on_row)
    return key, stored, analysis


def ledger_view(ledger_path: str | Path | None = None, taxpayer: str | None = None,
                year: int | None = None) -> list[dict[str, Any]]:
    """What the ledger holds, per taxpayer and year."""
    with open_ledger(ledger_path) as ledger:
        view = []
        for key, name in ledger.taxpayers():
            if taxpayer and key != taxpayer:
                continue
            for tax_year in ledger.years(key):
                if year and tax_year != year:
                    continue
                view.append({"taxpayer": key, "name": name, **ledger.summary(key, tax_year)})
        return view


def yearend(loaded: LoadedCase | None, *, tax_year: int | None = None, taxpayer: str | None = None,
            ledger_path: str | Path | None = None, use_ledger: bool = True):
    """The year-end report: room, timing, this year's forms, and basis carried in and out.

    Raises:
        InputError: when neither a case nor a taxpayer and year are given.
    """
    from megaroth.ledger import taxpayer_key
    from megaroth.model.case import Case
    from megaroth.model.results import CarriedBasis
    from megaroth.params import load_year
    from megaroth.rules.yearend import yearend_report

    if loaded is None:
        if not (taxpayer and tax_year):
            raise InputError("give a case file, or --taxpayer and --year to read the ledger", Source())
        case = Case.model_validate({"tax_year": tax_year, "taxpayer": {"id": taxpayer}})
    else:
        case = loaded.case
    year = case.tax_year
    try:
        params = load_year(year)
    except UnsupportedYear as exc:
        raise InputError(exc.message, Source(field="tax_year")) from None
    carried = None
    if use_ledger:
        key = taxpayer or taxpayer_key(case)
        with open_ledger(ledger_path) as ledger:
            remembered = ledger.carried(key, year)
        carried = CarriedBasis(
            years=remembered.years, traditional_ira_basis=remembered.traditional_ira_basis,
            roth_ira_contribution_basis=remembered.roth_ira_contribution_basis,
            roth_ira_conversion_basis=remembered.roth_ira_conversion_basis,
            plan_after_tax_basis=remembered.plan_after_tax_basis, open_clocks=remembered.open_clocks)
    analysis = analyze(loaded) if loaded is not None and case.forms_1099r else None
    return yearend_report(case, params, analysis, carried)


# ---------------------------------------------------------------------------- compare (issue 5)
def load_software(source: str | None, options: dict[str, Any] | None, tax_year: int, *,
                  input_format: str | None = None):
    """The tax software's figures: from a file (the 1040 PDF it produced, or a small JSON or CSV
    file) and/or options, which override the file.

    Raises:
        InputError: naming the file, row and figure, for what cannot be read, and when the
            software's return is for another tax year than the case.
    """
    from megaroth.importers import f1040_pdf
    from megaroth.importers import software_figures as figures_io
    from megaroth.importers.base import Document
    from megaroth.model.software import SoftwareFigures
    from megaroth.params import load_year

    def params(year: int, where: Source):
        try:
            return load_year(year)
        except UnsupportedYear as exc:
            raise InputError(exc.message, where) from None

    figures = SoftwareFigures()
    if source is not None:
        data, where = read_input(source)
        doc = Document(name=where.file or str(source), data=data, format_hint=input_format)
        kind = doc.kind
        if kind == "unknown" and figures_io.looks_like_csv(doc.data):
            kind = "csv"  # a CSV starting with a comment line
        if kind == "pdf":
            figures = f1040_pdf.read_f1040_pdf(doc, load_year, default_year=tax_year)
        elif kind in ("json", "csv"):
            raw = figures_io.from_json(doc.json, where) if kind == "json" else figures_io.from_csv(doc.text, where)
            if raw.tax_year is not None and raw.tax_year != tax_year:
                raise InputError(f"the software's figures are for tax year {raw.tax_year}, the 1099-Rs for {tax_year}; "
                                 "compare the same year", where.at(field="tax_year"))
            figures = figures_io.resolve(raw, params(tax_year, where))
        else:
            raise InputError("not a Form 1040 PDF, nor a JSON or CSV file of software figures", where)
        if figures.tax_year is not None and figures.tax_year != tax_year:
            raise InputError(f"the software's return is for tax year {figures.tax_year}, the 1099-Rs for {tax_year}; "
                             "compare the same year", where)
    raw = figures_io.from_options(options or {})
    if raw.pairs:
        figures = figures.updated(figures_io.resolve(raw, params(tax_year, Source(field="--year"))))
    if figures.unreadable:  # lines the PDF shows but not with certainty, not given by an option
        raise InputError("; ".join(figures.unreadable.values()), Source(file=figures.file))
    return figures


def compare(loaded: LoadedCase, figures):
    """Analyze a case and compare the software's figures with it.

    Returns:
        (Analysis, Comparison).
    """
    from megaroth.params import compare_settings, load_year
    from megaroth.rules.compare import compare as run

    analysis = analyze(loaded)
    comparison = run(analysis, loaded.case, figures, load_year(analysis.tax_year),
                     compare_settings().tolerance.required())
    return analysis, comparison


def compare_exit_code(analysis: Analysis, comparison) -> ExitCode:
    """4 when the software differs; otherwise what the case itself calls for (1 or 3), its
    findings aside."""
    codes = {exit_code(analysis, findings_matter=False)}
    if not comparison.agree:
        codes.add(ExitCode.FINDINGS)
    return worst(codes)


def report_exit_code(analysis: Analysis, comparison) -> ExitCode:
    """A worksheet with a comparison section: the worksheet's code, or 4 when the software differs."""
    return worst({exit_code(analysis), compare_exit_code(analysis, comparison)})
