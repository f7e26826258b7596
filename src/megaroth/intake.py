"""From input files to cases: read, identify, extract, group by taxpayer, validate.

One document may hold many taxpayers (a preparer's CSV) and one taxpayer's forms may come in
many documents (a folder of PDFs): records are grouped by taxpayer and tax year, and each group
becomes a case. Nothing is lost: every record read is either in a case or rejected with its
file, record and field, so records in = records reported + records rejected. A CSV is streamed
taxpayer by taxpayer; other sources are small and grouped in memory.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from megaroth.checks.imports import DATA_DIFFERS, IMPORT_NOTE
from megaroth.errors import InputError
from megaroth.importers import Document, RawForm, identify
from megaroth.importers.base import person_key, person_label, reading_pdf, record_errors, validate_record
from megaroth.model.case import Case, list_fact_years
from megaroth.model.tax_return import Person as Taxpayer
from megaroth.model.form1099r import Form1099R
from megaroth.model.form1099r_awaiting import AwaitingForm1099R
from megaroth.model.form5498 import Form5498
from megaroth.model.w2 import FormW2
from megaroth.limits import DEFAULT, Limits
from megaroth.model.loading import LoadedCase
from megaroth.provenance import Source

STDIN = "-"


@dataclass
class Record:
    raw: RawForm
    file: str
    importer: str


@dataclass
class Group:
    """One taxpayer's records for one tax year."""

    key: str
    tax_year: int | None
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Tally:
    """What came in and what became of it."""

    records_in: int = 0
    rejected: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    groups_expected: int = 0
    """Taxpayer groups the streamed sources announced (a CSV counts them on its first pass), for
    a progress bar; 0 when not known."""


def read_documents(paths: Iterable[str], input_format: str | None = None,
                   limits: Limits = DEFAULT) -> Iterator[Document | InputError]:
    for path in paths:
        if path == STDIN:
            yield Document(name="<stdin>", data=sys.stdin.buffer.read(), format_hint=input_format, limits=limits)
            continue
        try:
            # Backed by the file: a CSV is streamed from it, never held in memory whole.
            yield Document.from_file(str(path), path, format_hint=input_format, limits=limits)
        except FileNotFoundError:
            yield InputError("no such file", Source(file=str(path)))
        except IsADirectoryError:
            yield InputError("is a directory (pass the files in it, e.g. folder/*.pdf)", Source(file=str(path)))
        except OSError as exc:
            yield InputError(f"cannot be read ({exc.strerror})", Source(file=str(path)))


def display_key(key: str) -> str:
    """A taxpayer key for file names and summaries: TINs masked to their last four digits."""
    return person_label(key)


def record_key(raw: RawForm) -> str:
    """Which person a record belongs to (see `person_key`)."""
    return person_key(raw.taxpayer.get("id"), raw.taxpayer.get("tin"), raw.taxpayer.get("name"), raw.taxpayer_key)


def groups(documents: Iterable[Document | InputError], tally: Tally, taxpayer_id: str | None = None,
           one_person: bool = False) -> Iterator[Group]:
    """Taxpayer groups from the documents; CSV groups stream, the others follow at the end.

    Args:
        taxpayer_id: the user says every record is this one taxpayer's (`--taxpayer`).
        one_person: the user said, when asked, that every record is one person's (without an id).
    """
    if one_person and not taxpayer_id:
        taxpayer_id_key = "one-person"
    else:
        taxpayer_id_key = f"id:{taxpayer_id}" if taxpayer_id else None
    pending: dict[tuple[str, int | None], Group] = {}
    for doc in documents:
        if isinstance(doc, InputError):
            tally.rejected.append(doc)
            continue
        try:
            with reading_pdf(doc):
                ahead = getattr(doc, "read_ahead", None)
                if ahead is not None:
                    # Read already, by a batch's worker process (a scan's OCR): its importer and records.
                    importer, extraction = ahead()
                else:
                    importer = identify(doc)
                    extraction = None if hasattr(importer, "iter_groups") else importer.extract(doc)
            if extraction is None:
                header = importer.header(doc)
                if header.unknown:
                    tally.notes.append(f"{doc.name}: columns not used: {', '.join(header.unknown)}")
                def announce(count: int) -> None:
                    tally.groups_expected += count

                for key, records in importer.iter_groups(doc, announce):
                    key = taxpayer_id_key or key
                    tally.records_in += len(records)
                    by_year: dict[int | None, Group] = {}
                    for raw in records:
                        group = by_year.setdefault(raw.tax_year, Group(key=key, tax_year=raw.tax_year))
                        group.records.append(Record(raw, doc.name, importer.name))
                    yield from by_year.values()
                continue
        except InputError as exc:
            tally.rejected.append(exc)
            continue
        tally.rejected.extend(extraction.errors)
        for raw in extraction.records:
            tally.records_in += 1
            key = (taxpayer_id_key or record_key(raw), raw.tax_year)
            pending.setdefault(key, Group(key=key[0], tax_year=key[1])).records.append(
                Record(raw, doc.name, importer.name))
        if pending:
            last = next(reversed(pending.values()))
            last.notes.extend(extraction.notes)
        else:
            tally.notes.extend(extraction.notes)
    yield from pending.values()


_PAGE_NOTE = re.compile(r"^(?P<file>.*?): page (?P<page>\d+): (?P<message>.*)$", re.S)


def compact_notes(notes: list[str]) -> list[str]:
    """Notes with the same message for many pages of one file said once, with the pages as
    ranges ("pages 2-2000"), so a long document gives a readable message."""
    result: list[str] = []
    pages: dict[tuple[str, str], list[int]] = {}
    order: list[tuple[str, str] | str] = []
    for note in notes:
        match = _PAGE_NOTE.match(note)
        if not match:
            order.append(note)
            continue
        key = (match.group("file"), match.group("message"))
        if key not in pages:
            pages[key] = []
            order.append(key)
        pages[key].append(int(match.group("page")))
    for item in order:
        if isinstance(item, str):
            result.append(item)
            continue
        numbers = sorted(set(pages[item]))
        runs: list[str] = []
        start = previous = numbers[0]
        for number in numbers[1:] + [None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            runs.append(str(start) if start == previous else f"{start}-{previous}")
            if number is not None:
                start = previous = number
        label = "page" if len(numbers) == 1 else "pages"
        result.append(f"{item[0]}: {label} {', '.join(runs)}: {item[1]}")
    return result


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


@cache
def _stem(file: str) -> str:
    return _slug(Path(file).stem)


def _short(locator: str) -> str:
    """A short id part from a locator: "page 1, form 2" → p1-f2, "row 14" → row-14."""
    page = re.match(r"page (\d+)(?:, form (\d+))?", locator)
    if page:
        return f"p{page.group(1)}" + (f"-f{page.group(2)}" if page.group(2) else "")
    row = re.match(r"row (\d+)", locator)
    if row:
        return f"row-{row.group(1)}"
    number = re.search(r"#(\d+)", locator)
    return number.group(1) if number else _slug(locator)


def _people(group: Group, taxpayer_id: str | None = None) -> tuple[dict, list[str]]:
    """The return's people as the group's records name them: the taxpayer (their client id, name,
    TIN and birth date, with the user's `--taxpayer` id first), the spouse and the filing status
    when the source gives them. Values that do not validate are left out with a note."""
    merged: dict[str, str] = {}
    if taxpayer_id:
        merged["id"] = taxpayer_id
    for record in group.records:
        for key, value in record.raw.taxpayer.items():
            merged.setdefault(key, value)
    notes: list[str] = []
    spouse = _with_ira({k.split(".", 1)[1]: v for k, v in merged.items() if k.startswith("spouse.")})
    people = {"taxpayer": _person(_with_ira({k: v for k, v in merged.items() if not k.startswith("spouse.")
                                             and k != "filing_status"}), "taxpayer", notes)}
    if spouse:
        people["spouse"] = _person(spouse, "spouse", notes)
    if merged.get("filing_status"):
        people["filing_status"] = merged["filing_status"]
    return people, notes


def _with_ira(fields: dict) -> dict:
    """A person's fields with their IRA facts ("ira.basis", as a CSV gives them) nested as the
    case file's `ira` object."""
    ira = {k.removeprefix("ira."): v for k, v in fields.items() if k.startswith("ira.")}
    person = {k: v for k, v in fields.items() if "." not in k}
    if ira:
        person["ira"] = ira
    return person


def _person(fields: dict, role: str, notes: list[str]) -> Taxpayer:
    try:
        return Taxpayer.model_validate(fields)
    except ValidationError:
        kept = {}
        for key, value in fields.items():
            try:
                Taxpayer.model_validate({key: value})
                kept[key] = value
            except ValidationError:
                shown = "(a TIN)" if key == "tin" else repr(value)[:40]
                notes.append(f"{role} {key} {shown} could not be read; left out")
        return Taxpayer.model_validate(kept)


def _year_problem(tax_year: int | None) -> str | None:
    """Why a group's records cannot become a case for this tax year, or None."""
    from megaroth.catalog import available_years

    if tax_year is None:
        return "the tax year is not printed on the form nor given; pass --year"
    years = available_years()
    if tax_year not in years:
        return f"tax year {tax_year} is not supported (supported: {years[0]}-{years[-1]})"
    return None


def build_case(group: Group, year: int | None = None, taxpayer_id: str | None = None) -> LoadedCase | list[InputError]:
    """Validate a group's records into a case; bad records become errors, good ones forms.

    Every record ends in exactly one place: a form of the case, or at least one error located at
    its file and record (so a batch can count it as rejected). Without a usable tax year (not
    printed nor given, or not supported) there is no case: every record is an error.

    Args:
        taxpayer_id: the id the user gave for this taxpayer (`--taxpayer`), overriding the source's.
    """
    tax_year = year or group.tax_year
    first_file = group.records[0].file if group.records else None
    source = Source(file=first_file)
    problem = _year_problem(tax_year)
    if problem:
        errors = []
        for r in group.records:  # a record's own problems first: the year may be why it is unreadable
            where = Source(file=r.file, record=r.raw.locator)
            errors.extend(record_errors(r.raw, where) if r.raw.errors else [InputError(problem, where.at(field="tax_year"))])
        return errors
    errors: list[InputError] = []
    forms: list[Form1099R] = []
    forms_5498: list[Form5498] = []
    forms_w2: list[FormW2] = []
    awaiting: list[AwaitingForm1099R] = []
    sources: dict[str, Source] = {}
    findings = []
    used: set[str] = set()
    for record in group.records:
        raw = record.raw
        base = raw.form_id or f"{_stem(record.file)}-{_short(raw.locator)}"
        form_id, n = base, 1
        while form_id in used:
            n += 1
            form_id = f"{base}-{n}"
        used.add(form_id)
        where = Source(file=record.file, record=raw.locator)
        result = validate_record(raw, record.file, record.importer, form_id)
        if isinstance(result, list):
            errors.extend(result or [InputError("the record could not be read", where)])
            continue
        (forms_5498 if isinstance(result, Form5498) else forms_w2 if isinstance(result, FormW2)
         else awaiting if isinstance(result, AwaitingForm1099R) else forms).append(result)
        sources[form_id] = Source(file=record.file, record=f"{raw.locator} (form {form_id!r})")
        for warning in raw.warnings:
            findings.append(DATA_DIFFERS.finding(warning, form_id=form_id, source=where))
    for note in group.notes:
        findings.append(IMPORT_NOTE.finding(note, source=source))
    people, notes = _people(group, taxpayer_id)
    for note in notes:
        findings.append(IMPORT_NOTE.finding(note, source=source))
    envelope = {"tax_year": tax_year}
    if "spouse" in people:
        # A spouse with no filing status given: both people's forms are on one return only when joint.
        envelope["filing_status"] = people.get("filing_status", "married_filing_jointly")
        if "filing_status" not in people:
            findings.append(IMPORT_NOTE.finding(
                "the source names a spouse but no filing status: taken as married filing jointly, so that both "
                "people's forms are on this return; give a Filing status column if that is not so", source=source))
    elif people.get("filing_status"):
        envelope["filing_status"] = people["filing_status"]
    problem = list_fact_years(tax_year, people["taxpayer"], people.get("spouse"))
    if problem:
        # The person's fact, not one form's: each of their records is rejected with it, as rows that disagree are.
        errors.extend(InputError(problem, sources[form.id]) for form in [*forms, *awaiting, *forms_5498, *forms_w2])
        forms, awaiting, forms_5498, forms_w2 = [], [], [], []
    case = Case.model_validate(envelope).model_copy(update={
        "taxpayer": people["taxpayer"], "spouse": people.get("spouse"), "forms_1099r": forms,
        "forms_1099r_awaiting": awaiting, "forms_5498": forms_5498, "forms_w2": forms_w2})
    return LoadedCase(case=case, source=source, errors=errors, sources=sources, findings=findings)


def case_document(loaded: LoadedCase, *, reveal_tins: bool) -> dict:
    """A case file (the contract) for an imported case: the forms with empty dispositions to
    fill in, and where each was read."""
    case = loaded.case
    document = case.model_dump(mode="json", exclude_defaults=False, context={"reveal_tins": reveal_tins})
    for form in document["forms_1099r"]:
        for key in [k for k, v in form.items() if v is None or (k in ("state", "local") and not v)]:
            del form[key]
        form.setdefault("disposition", [])
    for form in document["forms_1099r_awaiting"]:
        # Boxes 1 and 7 stay in the file, blank, where a person types them; no disposition until it is on the return.
        for key in [k for k, v in form.items() if (v is None and k not in ("box_1", "box_7"))
                    or (k in ("state", "local") and not v)]:
            del form[key]
    if not document["forms_1099r_awaiting"]:
        del document["forms_1099r_awaiting"]
    for form in document["forms_5498"]:
        for key in [k for k, v in form.items() if v is None or v is False]:
            del form[key]
    if not document["forms_5498"]:
        del document["forms_5498"]
    for form in document["forms_w2"]:
        for key in [k for k, v in form.items() if v is None or v is False]:
            del form[key]
    if not document["forms_w2"]:
        del document["forms_w2"]
    return document


def form_counts(document: dict) -> tuple[int, int]:
    """(every form of a case file, of them the Forms 1099-R awaiting a person's box 1 or 7)."""
    awaiting = len(document.get("forms_1099r_awaiting") or [])
    return sum(len(document.get(name) or []) for name in ("forms_1099r", "forms_5498", "forms_w2")) + awaiting, awaiting


def import_notes(loaded: LoadedCase, said: set[str]) -> list[str]:
    """What `import` tells a person beside writing the case file: the importers' warnings (a member of the
    source that is not read, two readings that disagree), and, once a run for each tax year, when the year's
    forms were not read by megaroth (the 2026 Form 1099-R's boxes 7a-7d and 8a/8b), naming the forms whose
    new boxes `report` will refuse. `said` keeps the year notes to one a run."""
    from megaroth.catalog import box_layout
    from megaroth.params import load_year

    notes = [f"{f.form_id or loaded.source.file}: {f.message}" for f in loaded.findings
             if f.code == DATA_DIFFERS.code]
    year = loaded.case.tax_year
    try:
        meta = load_year(year).f1040.meta
    except Exception:  # a year without data is refused by report, with its own message
        return notes
    layout = box_layout(meta.f1099r_layout)
    if not layout.verified and f"layout {year}" not in said:
        said.add(f"layout {year}")
        notes.append(f"tax year {year}: the boxes are read as the {layout.title} (source: {layout.source}); "
                     "check them against your forms")
    if not meta.verified and f"1040 {year}" not in said:
        said.add(f"1040 {year}")
        notes.append(f"tax year {year}: {meta.note}")
    for form in loaded.case.forms_1099r:
        new = [name for name in ("box_7c", "box_7d") if getattr(form, name)]
        if new:
            notes.append(f"form {form.id!r} shows {' and '.join('box ' + n.removeprefix('box_') for n in new)}, "
                         "new on the 2026 form: `report` will not compute it (the 2026 instructions that say how "
                         "it is taxed are not read)")
    return notes
