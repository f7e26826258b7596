"""The public API: load a case, analyze it, render it, and derive the exit code.

This is the only layer that touches files for the spine (case files, stdin). The CLI calls
these functions and holds no logic of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from megaroth.errors import ExitCode, InputError, UnsupportedYear, UsageError, worst
from megaroth.limits import DEFAULT as DEFAULT_LIMITS
from megaroth.limits import Limits
from megaroth.analysis import analyze, exit_code
from megaroth.model.loading import LoadedCase, load_case_bytes, load_case_data, parse_json
from megaroth.model.results import Analysis
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


def typed_form_case(boxes: dict[str, str | None], *, year: int | None = None, ira: bool = False,
                    not_determined: bool = False) -> LoadedCase:
    """A case of one form whose boxes were typed in (box_1, box_2a, box_4, box_5, box_7; None for
    blank), with no disposition yet.

    Raises:
        InputError: naming the box, when a box is not valid.
    """
    form: dict[str, Any] = {"id": "typed", "box_7_ira_sep_simple": ira, "box_2b_taxable_not_determined": not_determined}
    form.update({key: value for key, value in boxes.items() if value is not None})
    loaded = case_from_dict({"tax_year": year or default_year(), "forms_1099r": [form]}, label="typed form")
    if loaded.errors:
        raise InputError("; ".join(f"{(e.source.field or '').removeprefix('forms_1099r[0].').replace('_', ' ')}: "
                                   f"{e.message}" for e in loaded.errors), Source(file="typed form"))
    return loaded


def serve(port: int = 8014, *, limits: Limits = DEFAULT_LIMITS, ready=None) -> None:
    """`megaroth serve`: the local page on 127.0.0.1 (see `megaroth.web`); `ready()` is called once
    the port is known to be free, just before serving.

    Raises:
        UsageError: when the port is taken (another program, or another `megaroth serve`).
    """
    from megaroth.web import run

    run(port, limits=limits, ready=ready)


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case file."""
    from megaroth.model.case import Case

    return Case.model_json_schema(mode="validation")


def summary_schema() -> dict[str, Any]:
    """The JSON Schema of a batch's summary.json (versioned: see `megaroth.model.batch`)."""
    from megaroth.model.batch import BatchSummaryDocument

    return BatchSummaryDocument.model_json_schema(mode="serialization", by_alias=True)


def read_summary(path: str | Path):
    """A finished batch's summary.json (the folder `report --out-dir` wrote, or the file itself).

    Raises:
        InputError: when there is no summary (an unfinished batch has none) or it is not one.
    """
    from pydantic import ValidationError

    from megaroth.model.batch import BatchSummaryDocument
    from megaroth.model.loading import parse_json

    path = Path(path)
    if path.is_dir():
        if not (path / "summary.json").exists():
            raise InputError("no summary.json here: not a batch's output folder, or the batch did not finish",
                             Source(file=str(path)))
        path = path / "summary.json"
    data, source = read_input(path)
    parsed = parse_json(data, source)  # the case files' reader: bounded depth, decimals, named errors
    try:
        return BatchSummaryDocument.model_validate(parsed)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or None
        raise InputError(f"not a megaroth batch summary: {first['msg']}", source.at(field=where)) from None


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
    from megaroth.catalog import available_years, box_layout
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
            "schedule_2_excess_line": params.f1040.schedule_2.excess_line().line,
            "f1099r_boxes": box_layout(params.f1040.meta.f1099r_layout).title,
            "f1099r_boxes_verified": box_layout(params.f1040.meta.f1099r_layout).verified,
            "pdf_field_map": form_map("f1040", year) is not None,
        })
    return summary


# ---------------------------------------------------------------------------- sources (issue 3)
def check_taxpayer_id(taxpayer_id: str | None) -> str | None:
    """A `--taxpayer` id as given, refused when it cannot be an id.

    Raises:
        UsageError: for a blank id or one that looks like a TIN (ids are stored in plain text).
    """
    from megaroth.tin import looks_like_tin

    if taxpayer_id is None:
        return None
    if not taxpayer_id.strip() or len(taxpayer_id) > 80:
        raise UsageError("--taxpayer needs an id of 1 to 80 characters (a client number)")
    if looks_like_tin(taxpayer_id):
        raise UsageError("--taxpayer looks like a TIN; megaroth stores ids in plain text, so use a client number")
    return taxpayer_id.strip()


def load_sources(paths: list, *, input_format: str | None = None, year: int | None = None,
                 taxpayer_id: str | None = None, limits: Limits = DEFAULT_LIMITS, one_person: bool = False):
    """Import 1099-Rs from files (PDF, CSV, FDX JSON, case files) into one case per taxpayer.

    Args:
        paths: file paths ("-" for stdin), or documents already read.
        taxpayer_id: every record is this one taxpayer's (`--taxpayer`).

    Returns:
        (list of (taxpayer key, LoadedCase), Tally of records in and rejected).
    """
    from megaroth import intake

    tally = intake.Tally()
    cases = list(iter_sources(paths, tally, input_format=input_format, year=year, taxpayer_id=taxpayer_id,
                              limits=limits, one_person=one_person))
    return cases, tally


def iter_sources(paths: list, tally, *, input_format: str | None = None, year: int | None = None,
                 taxpayer_id: str | None = None, limits: Limits = DEFAULT_LIMITS, one_person: bool = False):
    """`load_sources` one taxpayer at a time: (taxpayer key, LoadedCase) as each is read (a CSV's
    taxpayers stream; see `intake.groups`), the records in and rejected counted in `tally`.

    Raises:
        UsageError: for a `taxpayer_id` that cannot be an id (before anything is read).
    """
    from megaroth import intake

    taxpayer_id = check_taxpayer_id(taxpayer_id)
    documents = paths if paths and not isinstance(paths[0], str) else intake.read_documents(paths, input_format,
                                                                                             limits)

    def cases():
        for group in intake.groups(documents, tally, taxpayer_id, one_person):
            result = intake.build_case(group, year, taxpayer_id)
            if isinstance(result, list):
                tally.rejected.extend(result)
            else:
                yield group.key, result

    return cases()


def load_single(paths: list[str], *, input_format: str | None = None, year: int | None = None,
                taxpayer_id: str | None = None, limits: Limits = DEFAULT_LIMITS,
                one_person: bool = False) -> LoadedCase:
    """One taxpayer's case from a case file or from sources; every rejected record is kept in
    the case's errors so the worksheet and the exit code report it.

    Raises:
        InputError: when nothing could be read.
        SeveralPeople: when the sources name several people (`one_person=True`: the person asked
            said they are all one).
        UsageError: when --taxpayer contradicts the case file's own id.
    """
    taxpayer_id = check_taxpayer_id(taxpayer_id)
    fast = _case_file(paths, input_format)
    if fast is not None:
        return with_taxpayer_id(case_year(fast, year), taxpayer_id)
    from megaroth import intake

    documents = list(intake.read_documents(paths, input_format, limits))
    return load_documents(documents, ", ".join(paths), input_format=input_format, year=year,
                          taxpayer_id=taxpayer_id, one_person=one_person)


def load_uploads(files: list[tuple[str, bytes]], *, year: int | None = None,
                 limits: Limits = DEFAULT_LIMITS, one_person: bool = False) -> LoadedCase:
    """One taxpayer's case from files already in memory (name, bytes), as `load_single` reads
    files: a case file, or 1099-Rs from PDFs, CSV or FDX (`megaroth serve`'s uploads)."""
    from megaroth.importers.base import Document

    if not files:
        raise InputError("no file given", Source(file="<upload>"))
    documents = [Document(name=name, data=data, limits=limits) for name, data in files]
    return load_documents(documents, ", ".join(name for name, _ in files), year=year, one_person=one_person)


def load_documents(documents: list, label: str, *, input_format: str | None = None, year: int | None = None,
                   taxpayer_id: str | None = None, one_person: bool = False) -> LoadedCase:
    """One taxpayer's case from documents read (see `load_single`)."""
    from megaroth import intake
    from megaroth.checks.imports import IMPORT_NOTE
    from megaroth.importers.case_json import is_case

    paths = [label]
    if len(documents) == 1 and not isinstance(documents[0], InputError) and documents[0].kind == "json":
        doc = documents[0]
        if is_case(doc.json):  # a case file is read whole: dispositions, options, facts
            loaded = load_case_bytes(doc.data, doc.source)
            return with_taxpayer_id(case_year(loaded, year), taxpayer_id)
    cases, tally = load_sources(documents, input_format=input_format, year=year, taxpayer_id=taxpayer_id,
                                one_person=one_person)
    if len(cases) > 1:
        from megaroth.errors import SeveralPeople
        from megaroth.intake import display_key

        names = ", ".join(display_key(key) or "(no name)" for key, _ in cases[:5])
        raise SeveralPeople(f"the sources hold {len(cases)} taxpayers ({names}{', …' if len(cases) > 5 else ''}); "
                            "use --out-dir to report each one, or --taxpayer ID if they are all one person's",
                            Source(file=", ".join(paths)), [_person_text(c) for _, c in cases],
                            [c for _, c in cases])
    if not cases:
        if tally.rejected:
            first = tally.rejected[0]
            more = f" (and {len(tally.rejected) - 1} more)" if len(tally.rejected) > 1 else ""
            raise InputError(first.message + more, first.source)
        raise InputError("no Form 1099-R found" + (": " + "; ".join(intake.compact_notes(tally.notes))
                                                   if tally.notes else ""), Source(file=", ".join(paths)))
    loaded = cases[0][1]
    loaded.errors[:0] = tally.rejected
    loaded.findings.extend(IMPORT_NOTE.finding(note) for note in intake.compact_notes(tally.notes))
    return loaded


def joint_case(people: list[LoadedCase], roles: list[str]) -> LoadedCase:
    """The people the forms named, put on one joint return as the person asked said: each is
    "taxpayer" or "spouse" (`roles`, in the same order); a person's forms are owned by them (Form
    8606 is per person). Several people given the same role are one person printed differently.

    Raises:
        UsageError: unless each role is taxpayer or spouse and both are given.
    """
    if len(roles) != len(people) or set(roles) != {"taxpayer", "spouse"}:
        raise UsageError("say for each person whether they are you (taxpayer) or your spouse, both at least once")
    data: dict[str, Any] = {}
    forms: list[dict] = []
    forms_5498: list[dict] = []
    sources: dict[str, Source] = {}
    ids: set[str] = set()
    for loaded, role in zip(people, roles):
        one = case_data(loaded)
        if not data:
            data = {k: v for k, v in one.items() if k not in ("taxpayer", "forms_1099r", "forms_5498")}
        data.setdefault(role, one.get("taxpayer") or {})  # the first of a role names the person
        for form in one.get("forms_1099r", []):
            new_id = form["id"] if form["id"] not in ids else f"{form['id']}-{role}"
            ids.add(new_id)
            if form["id"] in loaded.sources:
                sources[new_id] = loaded.sources[form["id"]]
            forms.append({**form, "id": new_id, "owner": role})
        forms_5498 += [{**f, "owner": role} for f in one.get("forms_5498", [])]
    data.update(filing_status="married_filing_jointly", forms_1099r=forms, forms_5498=forms_5498)
    label = ", ".join(dict.fromkeys(p.source.file for p in people if p.source.file)) or "<joint return>"
    joint = case_from_dict(data, label)
    joint.sources.update(sources)
    for loaded in people:
        joint.errors.extend(loaded.errors)
        joint.findings.extend(loaded.findings)
    return joint


def _person_text(loaded: LoadedCase) -> str:
    """A person as their forms show them, TIN masked: "Pat Example, TIN ***-**-1234: Acme 401(k) Plan
    (box 1 $10,200.00)"."""
    from megaroth.money import money_text
    from megaroth.render.common import tin_text

    person = loaded.case.taxpayer
    forms = "; ".join(f"{f.payer_name or 'payer not named'} (box 1 {money_text(f.box_1)})"
                      for f in loaded.case.forms_1099r)
    tin = tin_text(person.tin, False) if person.tin else "no TIN"
    return f"{person.name or '(no name)'}, TIN {tin}: {forms}"


def _case_file(paths: list[str], input_format: str | None) -> LoadedCase | None:
    """One case file given alone, read without loading the importers (most of `report`'s start-up
    for a small case); None for anything else, which the importers then read."""
    if len(paths) != 1 or input_format not in (None, "json") or str(paths[0]) == STDIN:
        return None
    path = Path(paths[0])
    try:
        if not path.is_file():
            return None
        data = path.read_bytes()
    except OSError:
        return None  # the importers' reading says why
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return None
    source = Source(file=str(paths[0]))
    try:
        parsed = parse_json(data, source)
    except InputError:
        return None
    if not (isinstance(parsed, dict) and "forms_1099r" in parsed):
        return None
    return load_case_data(parsed, source)


def case_data(loaded: LoadedCase, *, reveal_tins: bool = True) -> dict[str, Any]:
    """The case as a case-file dict (what `questions.apply_answers` and `case_from_dict` take);
    with full TINs unless told, for keeping in memory — `case_file` is the one to hand out."""
    data = loaded.case.model_dump(mode="json", exclude_none=True, context={"reveal_tins": reveal_tins})
    if not data.get("forms_1099r_awaiting"):  # only a scan's held forms (model.form1099r_awaiting) need the list
        data.pop("forms_1099r_awaiting", None)
    return data


def case_file(loaded: LoadedCase, *, reveal_tins: bool = False) -> str:
    """The case file to keep, as JSON text (TINs masked unless told)."""
    import json

    return json.dumps(case_data(loaded, reveal_tins=reveal_tins), indent=2) + "\n"


def compact_notes(notes: list[str]) -> list[str]:
    """Import notes with the same message for many pages said once (see `intake.compact_notes`)."""
    from megaroth.intake import compact_notes as compact

    return compact(notes)


def case_year(loaded: LoadedCase, year: int | None) -> LoadedCase:
    """The case file, checked against `--year`: a case says its own tax year, and --year is for
    sources that do not print one, so a --year that contradicts the case is refused, not ignored.

    Raises:
        UsageError: naming both years and the case file.
    """
    if year is not None and year != loaded.case.tax_year:
        where = loaded.source.file or "the case file"
        raise UsageError(f"--year {year} contradicts {where}'s tax_year {loaded.case.tax_year}: leave --year out "
                         "(a case file says its own year), or change tax_year in the case file")
    return loaded


def with_taxpayer_id(loaded: LoadedCase, taxpayer_id: str | None) -> LoadedCase:
    """The case with the `--taxpayer` id, when the case has none.

    Raises:
        UsageError: when the case file already names another id.
    """
    if taxpayer_id is None:
        return loaded
    current = loaded.case.taxpayer.id
    if current is not None and current != taxpayer_id:
        raise UsageError(f"--taxpayer {taxpayer_id} contradicts the case file's taxpayer.id {current!r}")
    taxpayer = loaded.case.taxpayer.model_copy(update={"id": taxpayer_id})
    loaded.case = loaded.case.model_copy(update={"taxpayer": taxpayer})
    return loaded


def batch_report(paths: list[str], out_dir: str | Path, **options):
    """One worksheet per taxpayer in `out_dir`, plus summary.csv, summary.json and rejected.csv
    (see `megaroth.batch`)."""
    from megaroth.batch import batch_report as run

    return run(paths, out_dir, **options)


def import_sources(paths: list[str], *, input_format: str | None = None, year: int | None = None,
                   reveal_tins: bool = False, taxpayer_id: str | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> tuple[list[tuple[str, dict]], "Any"]:
    """Case-file documents (forms with empty dispositions to fill in) from 1099-R sources, each
    with a file name stem for --out-dir."""
    documents, tally = iter_imports(paths, input_format=input_format, year=year, reveal_tins=reveal_tins,
                                    taxpayer_id=taxpayer_id, limits=limits)
    return list(documents), tally


def iter_imports(paths: list[str], *, input_format: str | None = None, year: int | None = None,
                 reveal_tins: bool = False, taxpayer_id: str | None = None, limits: Limits = DEFAULT_LIMITS):
    """`import_sources` one taxpayer at a time (`import --out-dir` writes each case file as it
    comes, as `report --out-dir` does; the file names taken are kept on disk, `megaroth.spill`).

    Returns:
        (an iterator of (file name stem, case-file document), the Tally that counts the records in
        and rejected as the iterator reads them).
    """
    from megaroth import intake
    from megaroth.batch import output_stem
    from megaroth.intake import case_document
    from megaroth.spill import NameSet

    tally = intake.Tally()
    cases = iter_sources(paths, tally, input_format=input_format, year=year, taxpayer_id=taxpayer_id, limits=limits)

    def documents():
        said: set[str] = set()
        with NameSet() as used:
            for key, loaded in cases:
                tally.rejected.extend(loaded.errors)
                tally.notes.extend(intake.import_notes(loaded, said))
                if not loaded.case.form_count:
                    continue
                yield (output_stem(key, loaded.case.tax_year, used),
                       case_document(loaded, reveal_tins=reveal_tins))

    return documents(), tally


def imported_forms(document: dict) -> tuple[int, int]:
    """(forms in an imported case file, of them the Forms 1099-R awaiting a person's box 1 or 7): `import`'s count,
    so that the records read are the forms imported plus those rejected."""
    from megaroth.intake import form_counts

    return form_counts(document)


def identify_sources(paths: list[str], input_format: str | None = None,
                     limits: Limits = DEFAULT_LIMITS) -> list[dict[str, Any]]:
    """Which importer claims each input, and why not when none does."""
    from megaroth import intake
    from megaroth.importers import IMPORTERS, identify
    from megaroth.importers.base import reading_pdf

    report = []
    for doc in intake.read_documents(paths, input_format, limits):
        if isinstance(doc, InputError):
            report.append({"file": doc.source.file, "importer": None, "error": doc.message})
            continue
        try:
            with reading_pdf(doc):
                importer = identify(doc)
            if doc.kind == "image":  # refused at once when its pixels are over the limit, as reading it is
                from megaroth.importers.scan_image import check_image_pixels

                check_image_pixels(doc)
            describe = getattr(importer, "describe", None)  # what this document holds, when it varies
            report.append({"file": doc.name, "importer": importer.name,
                           "description": describe(doc) if describe else importer.description, "error": None})
        except InputError as exc:
            report.append({"file": doc.name, "importer": None, "error": exc.message,
                           "known": [i.name for i in IMPORTERS]})
    return report


# ---------------------------------------------------------------------------- year-end (issue 4)
def room_from_plans(plans: list[dict], tax_year: int, birth_date=None):
    """The after-tax room for plans given as dictionaries (the `room` command's quick path).

    Raises:
        UsageError: for plan figures that do not validate.
        InputError: for an unsupported year.
    """
    from pydantic import ValidationError

    from megaroth.model.loading import validation_errors
    from megaroth.model.yearend import Plan
    from megaroth.params import load_year
    from megaroth.rules.room import room

    try:
        models = [Plan.model_validate(plan) for plan in plans]
    except ValidationError as exc:
        # The figures came from the command's options: a bad one is a usage error, named by its option.
        names = {"pretax_deferrals": "pretax", "roth_deferrals": "roth", "nonelective": "employer",
                 "after_tax_cap_percent": "cap-percent", "after_tax_cap_amount": "cap-amount"}
        errors = validation_errors(exc, Source(file="<command line>"))
        raise UsageError("; ".join(f"--{names.get(e.source.field.split('.')[-1], e.source.field.split('.')[-1])}: "
                                   f"{e.message}" for e in errors)) from None
    try:
        params = load_year(tax_year)
    except UnsupportedYear as exc:
        raise InputError(exc.message, Source(field="--year")) from None
    return room(models, birth_date, params)


def entry_title(kind: str) -> str:
    """What a ledger entry kind means."""
    from megaroth.ledger import entry_title as title

    return title(kind)


def open_ledger(path: str | Path | None = None, *, create: bool = True):
    from megaroth.ledger import Ledger

    return Ledger(path, create=create)


def ledger_facts(loaded: LoadedCase, ledger, *, taxpayer_id: str | None = None, strict: bool = False,
                 same_person: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """What an open ledger holds for each person of the case, and their identities.

    Args:
        strict: every person with forms or IRA facts must be identified and match the ledger
            (`ledger add`); otherwise a person the ledger cannot use is left out with a note.

    Returns:
        ({role: LedgerFacts, "findings": [...]}, {role: Identity}).

    Raises:
        InputError: (strict) when a person cannot be identified or is another person than the key's.
    """
    from megaroth.checks.imports import LEDGER_NOTE

    case = loaded.case
    facts: dict[str, Any] = {"findings": []}
    identities = {}
    for role, person in case.people:
        has_forms = any((f.owner or "taxpayer") == role for f in case.forms_1099r) or person.ira is not None
        try:
            identity = ledger.identity(case, taxpayer_id if role == "taxpayer" else None, role=role)
            ledger.check_person(identity.key, case, same_person=same_person, role=role)
        except InputError as exc:
            if strict and (role == "taxpayer" or has_forms):
                raise
            if has_forms and ledger.taxpayers():
                facts["findings"].append(LEDGER_NOTE.finding(
                    f"The ledger ({ledger.path}) was not used for the {role}: {exc.message}."))
            continue
        identities[role] = identity
        if ledger.person(identity.key) is not None:
            facts[role] = ledger.carried(identity.key, case.tax_year).facts()
    return facts, identities


def analyze_with_ledger(loaded: LoadedCase, ledger_path: str | Path | None = None) -> Analysis:
    """Analyze a case with what the ledger holds for its people (basis from earlier years), when
    the case's numbers depend on it and a ledger exists (the one named, or the default one)."""
    from megaroth.analysis import needs_ledger

    if not needs_ledger(loaded.case):
        return analyze(loaded)
    path = Path(ledger_path) if ledger_path is not None else default_ledger_path()
    if not path.exists():
        if ledger_path is not None:
            raise InputError("no ledger here (`megaroth ledger add` creates one)", Source(file=str(path)))
        return analyze(loaded)
    with open_ledger(path, create=False) as ledger:
        facts, _ = ledger_facts(loaded, ledger)
    return analyze(loaded, facts)


def ledger_add(loaded: LoadedCase, ledger_path: str | Path | None = None, on_row=None, *,
               taxpayer_id: str | None = None, same_person: bool = False) -> tuple[str, int, Analysis]:
    """Store a case's forms, basis, clocks and year-end plan basis in the ledger (one transaction);
    on a joint return, each spouse under their own key.

    Args:
        taxpayer_id: the taxpayer's id when the case does not carry it (`--taxpayer`).
        same_person: the people already under those keys are this case's, whatever the name or
            birth date say.

    Returns:
        (taxpayer key in the ledger, forms stored, the analysis).

    Raises:
        InputError: when the case does not say who a person is (an id or a complete TIN), or
            names another person than the one the ledger holds under the key.
    """
    from megaroth.rules.timing import timing

    case = loaded.case
    timing_result = None
    with open_ledger(ledger_path) as ledger:
        facts, identities = ledger_facts(loaded, ledger, taxpayer_id=taxpayer_id, strict=True,
                                         same_person=same_person)
        analysis = analyze(loaded, facts)
        key = identities["taxpayer"].key
        if case.yearend and (case.yearend.after_tax_contributions or case.yearend.conversions):
            carried = ledger.carried(key, case.tax_year)
            timing_result = timing(case.yearend, case.tax_year, case.forms_1099r,
                                   opening_basis=carried.plan_after_tax_basis)
        stored = ledger.add(case, analysis, timing_result, on_row=on_row, identities=identities,
                            same_person=same_person)
    return key, stored, analysis


def ledger_view(ledger_path: str | Path | None = None, taxpayer: str | None = None,
                year: int | None = None) -> list[dict[str, Any]]:
    """What the ledger holds, per taxpayer and year.

    Raises:
        InputError: when the ledger does not exist (nothing is created), or holds no such taxpayer.
    """
    from megaroth.ledger import KIND_NOTES

    with open_ledger(ledger_path, create=False) as ledger:
        people = ledger.taxpayers()
        if taxpayer and not any(p["taxpayer"] == taxpayer for p in people):
            raise InputError(f"the ledger holds no taxpayer {taxpayer!r}"
                             + _known(people), Source(file=str(ledger.path), field="--taxpayer"))
        view = []
        for person in people:
            key = person["taxpayer"]
            if taxpayer and key != taxpayer:
                continue
            for tax_year in ledger.years(key):
                if year and tax_year != year:
                    continue
                view.append({"taxpayer": key, "name": person["name"], "note": KIND_NOTES.get(person["kind"]),
                             **ledger.summary(key, tax_year)})
        return view


def _known(people: list[dict]) -> str:
    names = [p["taxpayer"] for p in people[:8]]
    return f" (it holds {', '.join(names)}{', …' if len(people) > 8 else ''})" if names else " (it is empty)"


def yearend(loaded: LoadedCase | None, *, tax_year: int | None = None, taxpayer: str | None = None,
            ledger_path: str | Path | None = None, use_ledger: bool = True, same_person: bool = False):
    """The year-end report: room, timing, this year's forms, and basis carried in and out.

    Args:
        taxpayer: the taxpayer's id in the ledger (`--taxpayer`): alone, with --year, the report
            starts from what the ledger remembers; with a case, it names the case's taxpayer.

    Raises:
        InputError: when neither a case nor a taxpayer and year are given; when the ledger asked
            for does not exist or does not hold the taxpayer; when the case's person is not the
            ledger's.
    """
    from megaroth.model.case import Case
    from megaroth.model.results import CarriedBasis
    from megaroth.params import load_year
    from megaroth.rules.yearend import yearend_report

    if loaded is None:
        if not (taxpayer and tax_year):
            raise UsageError("give a case file, or --taxpayer and --year to start from the ledger")
        case = Case.model_validate({"tax_year": tax_year, "taxpayer": {"id": taxpayer}})
    else:
        case = loaded.case
    year = case.tax_year
    try:
        params = load_year(year)
    except UnsupportedYear as exc:
        # The case file's year, named with its file (as report does); --year without a case.
        raise InputError(exc.message, loaded.source.at(field="tax_year") if loaded is not None
                         else Source(field="--year")) from None
    carried = None
    # A ledger the user named must exist; the default one may simply not be made yet, unless the
    # report is to come from it alone.
    explicit = ledger_path is not None or loaded is None
    if use_ledger and (explicit or Path(default_ledger_path()).exists()):
        with open_ledger(ledger_path, create=False) as ledger:
            key = ledger.identity(case, taxpayer).key
            person = ledger.person(key)
            if person is None and loaded is None:
                raise InputError(f"the ledger holds no taxpayer {key!r}" + _known(ledger.taxpayers()),
                                 Source(file=str(ledger.path), field="--taxpayer"))
            ledger.check_person(key, case, same_person=same_person)
            remembered = ledger.carried(key, year)
        if person is not None and loaded is None:
            from datetime import date

            born = date.fromisoformat(person["birth_date"]) if person["birth_date"] else None
            case = case.model_copy(update={"taxpayer": case.taxpayer.model_copy(
                update={"name": person["name"], "birth_date": born})})
        carried = CarriedBasis(
            years=remembered.years, traditional_ira_basis=remembered.traditional_ira_basis,
            roth_ira_contribution_basis=remembered.roth_ira_contribution_basis,
            roth_ira_conversion_basis=remembered.roth_ira_conversion_basis,
            plan_after_tax_basis=remembered.plan_after_tax_basis, open_clocks=remembered.open_clocks)
    analysis = None
    if loaded is not None and case.forms_1099r:
        analysis = analyze_with_ledger(loaded, ledger_path) if use_ledger else analyze(loaded)
    return yearend_report(case, params, analysis, carried)


def default_ledger_path() -> Path:
    from megaroth.ledger import default_path

    return default_path()


# ---------------------------------------------------------------------------- compare (issue 5)
def load_software(source: str | None, options: dict[str, Any] | None, tax_year: int, *,
                  input_format: str | None = None, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None,
                  case_source: Source | None = None, year_option: bool = False):
    """The tax software's figures: from a file (the 1040 PDF it produced, or a small JSON or CSV
    file) and/or options, which override the file.

    Args:
        case_source, year_option: where `tax_year` came from — the case (its file's tax_year), or
            the --year option — named when megaroth does not support that year.

    Raises:
        InputError: naming the file, row and figure, for what cannot be read, and when the
            software's return is for another tax year than the case.
    """
    from megaroth.importers import f1040_pdf
    from megaroth.importers import software_figures as figures_io
    from megaroth.importers.base import Document, reading_pdf
    from megaroth.model.software import SoftwareFigures
    from megaroth.params import load_year

    year_from = Source(field="--year") if year_option else (
        case_source.at(field="tax_year") if case_source is not None else Source(field="tax_year"))

    def year_params():
        try:
            return load_year(tax_year)
        except UnsupportedYear as exc:
            raise InputError(exc.message, year_from) from None

    figures = SoftwareFigures()
    if source is not None:
        if data is None:
            data, where = read_input(source)
        else:  # already in memory (an upload); `source` is its name
            where = Source(file=str(source))
        doc = Document(name=where.file or str(source), data=data, format_hint=input_format, limits=limits)
        kind = doc.kind
        if kind == "unknown" and figures_io.looks_like_csv(doc.data):
            kind = "csv"  # a CSV starting with a comment line
        if kind == "pdf":
            with reading_pdf(doc):
                figures = f1040_pdf.read_f1040_pdf(doc, load_year, default_year=tax_year)
        elif kind in ("json", "csv"):
            raw = figures_io.from_json(doc.json, where) if kind == "json" else figures_io.from_csv(doc.text, where)
            if raw.tax_year is not None and raw.tax_year != tax_year:
                raise InputError(f"the software's figures are for tax year {raw.tax_year}, the 1099-Rs for {tax_year}; "
                                 "compare the same year", where.at(field="tax_year"))
            figures = figures_io.resolve(raw, year_params())
        else:
            raise InputError("not a Form 1040 PDF, nor a JSON or CSV file of software figures", where)
        if figures.tax_year is not None and figures.tax_year != tax_year:
            raise InputError(f"the software's return is for tax year {figures.tax_year}, the 1099-Rs for {tax_year}; "
                             "compare the same year", where)
    raw = figures_io.from_options(options or {})
    if raw.pairs:
        figures = figures.updated(figures_io.resolve(raw, year_params()))
    if figures.unreadable:  # lines the PDF shows but not with certainty, not given by an option
        raise InputError("; ".join(figures.unreadable.values()), Source(file=figures.file))
    return figures


def compare(loaded: LoadedCase, figures, *, cents: bool = False):
    """Analyze a case and compare the software's figures with it.

    Args:
        cents: compare megaroth's lines in dollars and cents (default: rounded to whole dollars, as
            software files them).

    Returns:
        (Analysis, Comparison).
    """
    from megaroth.params import compare_settings, entry_guides as guide_catalog, load_year
    from megaroth.rules.compare import compare as run

    analysis = analyze_with_ledger(loaded)
    comparison = run(analysis, loaded.case, figures, load_year(analysis.tax_year),
                     compare_settings().tolerance.required(), cents=cents, guides=guide_catalog())
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


def letter(loaded: LoadedCase, *, reveal_tins: bool = False, form_ids: list[str] | None = None):
    """The request for corrected forms the case calls for (`megaroth letter`).

    Args:
        form_ids: only these forms' requests (every form's when None).

    Returns:
        (Analysis, LetterDocument).
    """
    from megaroth.rules.letter import correction_requests

    analysis = analyze_with_ledger(loaded)
    document = correction_requests(analysis, loaded.case, reveal_tins=reveal_tins)
    if form_ids:
        known = {f.id for f in loaded.case.forms_1099r} | {f.id for f in loaded.case.forms_5498}
        unknown = [i for i in form_ids if i not in known]
        if unknown:
            raise UsageError(f"--form {', '.join(unknown)}: no such form in the case (forms: "
                             f"{', '.join(sorted(known)) or 'none'})")
        document = document.model_copy(update={"requests": [r for r in document.requests if r.form_id in form_ids]})
    return analysis, document


def needed_questions(loaded: LoadedCase, declined: Iterable[str] = ()) -> list:
    """The questions a report needs answered (`megaroth.questions`, the same the web page asks):
    where a rollover went when the case does not say, or an IRA form's money when it was only
    taken as kept (a backdoor's conversion looks like that); whose form it is on a joint return
    when that is unknown; and every fact the analysis reports missing — each only when the lines
    depend on it; and each box a scan left awaiting confirmation (a person reads the paper form).
    `declined`: question ids answered "I don't know", not asked again."""
    from megaroth.questions import CONFIRM, FACT, OWNER, open_questions

    analysis = analyze_with_ledger(loaded)
    unknown = {r.form_id for r in analysis.forms if not r.destination_known}
    unknown |= {f.form_id for f in analysis.findings if f.code == "disposition.assumed" and f.form_id}
    no_owner = {f.form_id for f in analysis.findings if f.code == "form.owner_missing" and f.form_id}
    skip = set(declined)
    return [q for q in open_questions(case_data(loaded), analysis.missing_facts) if q.id not in skip and (
        q.kind in (FACT, CONFIRM) or (q.form_id in no_owner and q.kind == OWNER)
        or (q.form_id in unknown and q.kind not in (OWNER, CONFIRM)))]


def answered(loaded: LoadedCase, answers: dict) -> LoadedCase:
    """The case with the interview's answers written in (validated again as a case file).

    Raises:
        InputError: for an answer that is not allowed, naming the question.
    """
    from megaroth.questions import AnswerError, apply_answers

    try:
        data = apply_answers(case_data(loaded), answers)
    except AnswerError as exc:
        raise InputError(exc.message, Source(record=f"question {exc.question_id}")) from None
    return case_from_dict(data, loaded.source.file or "<case>")

def fill_irs_forms(loaded: LoadedCase, *, whole_dollars: bool = True):
    """The case analysed and the IRS's blank forms of its year filled with the figures:
    (Analysis, FilledSet) — see megaroth.render.irs_forms. Whole dollars, as the forms are filed,
    unless `whole_dollars` is False (dollars and cents)."""
    from megaroth.render.irs_forms import fill_forms

    analysis = analyze_with_ledger(loaded)
    return analysis, fill_forms(analysis, whole=whole_dollars)


def starter_case(tax_year: int | None = None) -> str:
    """`megaroth init`: a commented starter case file for the tax year (default: the latest verified)."""
    from megaroth.starter import starter_case as make

    year = tax_year or default_year()
    from megaroth.params import load_year

    load_year(year)  # an unsupported year is refused here
    return make(year)


def with_destinations(loaded: LoadedCase, targets: list[str]) -> LoadedCase:
    """`report --to`: where the one form's money went, as DEST or DEST=AMOUNT (one DEST without an
    amount takes what the others leave of box 1).

    Raises:
        UsageError: when the case has more than one form, or a target is malformed.
        InputError: when the amounts do not add up to box 1 (named as the interview's question).
    """
    from decimal import Decimal

    from megaroth.money import MoneyError, parse_money

    forms = loaded.case.forms_1099r
    if len(forms) != 1:
        raise UsageError(f"--to is for one form; this case has {len(forms)} (answer the questions on a terminal, "
                         "or give each form's disposition in the case file)")
    from megaroth.model.form1099r import Destination

    destinations = [d.value for d in Destination]
    form = forms[0]
    given: dict[str, Decimal | None] = {}
    for target in targets:
        name, sep, amount = target.partition("=")
        name = name.strip()
        if not name or name in given:
            raise UsageError(f"--to {target!r}: give each destination once, as DEST or DEST=AMOUNT")
        if name not in destinations:
            # An option's value the user mistyped: a usage error naming --to, not the interview's question.
            raise UsageError(f"--to {target!r}: {name!r} is not a destination; give one of {', '.join(destinations)}")
        try:
            given[name] = parse_money(amount) if sep else None
        except MoneyError as exc:
            raise UsageError(f"--to {target!r}: {exc}") from None
        if sep and given[name] is None:
            raise UsageError(f"--to {target!r}: give an amount after =")
    open_ = [name for name, amount in given.items() if amount is None]
    if len(open_) > 1:
        raise UsageError("--to: at most one destination without an amount (it takes the rest of box 1)")
    if open_:
        given[open_[0]] = form.box_1 - sum((a for a in given.values() if a is not None), Decimal("0.00"))
    allocation = {name: str(amount) for name, amount in given.items()}
    return answered(loaded, {f"{form.id}:allocation": allocation})


def with_facts(loaded: LoadedCase, items: list[str]) -> LoadedCase:
    """`--fact NAME=VALUE`: a person's fact the forms cannot carry (`megaroth facts` lists the names:
    ira_nondeductible_contributions, ira_basis, spouse_ira_year_end_value, birth_date…), written into
    the case as the interview would.

    Raises:
        UsageError: for an unknown name, a malformed item, a spouse's fact without a spouse, or a
            value that is not one (naming the option).
    """
    from megaroth.questions import facts as fact_defs

    answers: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        found = fact_defs.from_option(name)
        if not sep or not value.strip():
            raise UsageError(f"--fact {item!r}: give NAME=VALUE, e.g. ira_basis=0 (`megaroth facts` lists the names)")
        if found is None:
            raise UsageError(f"--fact {item!r}: {name.strip()!r} is not a fact megaroth knows (`megaroth facts` "
                             "lists them: " + ", ".join(fact_defs.option_name("taxpayer", f) for f in fact_defs.FACTS)
                             + "; spouse_… for the spouse)")
        role, fact = found
        if role == "spouse" and loaded.case.spouse is None:
            raise UsageError(f"--fact {item!r}: the case has no spouse (give filing_status and spouse in the case)")
        key = fact_defs.path(role, fact)
        if key in answers:
            raise UsageError(f"--fact {item!r}: {fact_defs.option_name(role, fact)} is given twice")
        try:
            fact_defs.read_value(fact, value, loaded.case.tax_year)
        except fact_defs.FactValueError as exc:
            raise UsageError(f"--fact {item!r}: {exc}") from None
        answers[key] = value
    return answered(loaded, answers)


def is_unknown_answer(answer: Any) -> bool:
    """Whether an answer means "I don't know" (the fact stays missing, the result incomplete)."""
    from megaroth.questions import is_unknown

    return is_unknown(answer)


def fact_catalog(tax_year: int | None = None) -> list[dict[str, str]]:
    """`megaroth facts`: every person's fact megaroth can ask, with its option/CSV name, what it is
    and where to find it (worded for the taxpayer; `spouse_` names the spouse's)."""
    from megaroth.questions.facts import FACTS, option_name, wording

    year = tax_year or default_year()
    return [{"name": option_name("taxpayer", f), "case_field": f"taxpayer.{f.name}", "kind": f.kind,
             "line": f.line, "question": wording("taxpayer", f.prompt, year),
             "where": wording("taxpayer", f.where, year), "why": wording("taxpayer", f.why, year)} for f in FACTS]


GUIDE_PRODUCTS = ("turbotax", "hrblock", "freetaxusa", "drake", "ultratax")


def entry_guides(loaded: LoadedCase, analysis: Analysis, products: list[str] | None = None):
    """What to type into each tax product (all five unless named) for this analysis; `EntryGuides`."""
    from megaroth.params import entry_guides as catalog, load_year
    from megaroth.rules.entry_guides import build_guides

    wanted = None if not products or "all" in products else list(dict.fromkeys(products))
    return build_guides(analysis, loaded.case, load_year(analysis.tax_year), catalog(), wanted)
