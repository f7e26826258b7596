"""1099-R PDFs without live fields of a known revision: the IRS form flattened or printed, and
custodians' statements.

A page of the IRS form itself is read box by box at the places the revision's map gives
(`f1099r_layout`), so a flattened or printed IRS 1099-R reads like its fillable twin. Any other
page is laid out on a character grid by pypdf, then `text_forms` finds the forms, their labels
and the values next to them. Copies of the same form (B, C and 2 on one page) are read once. A
page without a 1099-R (a cover, a summary) is noted and skipped, but a tax year printed on it
applies to the forms on the pages after it that print none. A value that cannot be read with
confidence rejects its record with the box and the reason.
"""

from __future__ import annotations

import json
import re

from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.importers.f1040_pdf import page_kind
from megaroth.importers.f1099r_layout import read_irs_page
from megaroth.importers.revisions import other_revision
from megaroth.importers.f5498_layout import read_5498_page
from megaroth.importers.pdf_fillable import has_fdx_json, matching_map, printed_year
from megaroth.importers.text_5498 import is_5498_page, records_5498
from megaroth.importers.text_forms import Grid, form_values, parse_page, title_year

MARKERS = re.compile(r"1099-?r|gross\s+distribution|\b5498\b", re.I)


def _grid_records(number: int, text: str) -> tuple[list[RawForm], str | None]:
    forms, note = parse_page(Grid(page=number, lines=text.splitlines()))
    records = []
    for index, form in enumerate(forms, start=1):
        values, fields, problems = form_values(form)
        locator = f"page {form.page}" + (f", form {index}" if len(forms) > 1 else "")
        taxpayer = {k: values[v] for k, v in (("name", "recipient_name"), ("tin", "recipient_tin")) if values.get(v)}
        records.append(RawForm(
            values=values, locator=locator, fields=fields, tax_year=form.tax_year,
            taxpayer=taxpayer, errors=problems,
        ))
    return records, note


def text_records(doc: Document) -> Extraction:
    """Every form in the PDF's text, as raw records (also used to cross-check embedded data)."""
    extraction = Extraction()
    seen: dict[str, str] = {}
    context: tuple[int, int] | None = None
    """The tax year printed on the last page without a form (a cover, a summary), and that page."""
    scanned = _scanned_pages(doc, extraction)
    for number, text in enumerate(doc.page_texts, start=1):
        if number in scanned:
            # A page that is an image (a scanned form among filled ones): read by the OCR, in its place.
            extraction.records.extend(scanned[number])
            continue
        form_5498 = is_5498_page(text)
        irs = None if form_5498 else read_irs_page(doc, number - 1)
        layout_5498 = read_5498_page(doc, number - 1) if form_5498 else None
        if layout_5498 is not None:
            records, note = [layout_5498], None
            extraction.notes.append(f"{doc.name}: page {number} is the IRS Form 5498 printed flat; its boxes were "
                                    "read under their printed captions")
        elif form_5498 and (found := records_5498(number, text)):
            records, note = found, None
        elif irs is not None:
            record, layout = irs
            records, note = [record], None
            extraction.notes.append(f"{doc.name}: page {number} is the IRS Form 1099-R without live fields; its boxes "
                                    f"were read at their places on {layout}")
            _printed_year(doc, number, record)
        else:
            records, note = _grid_records(number, text)
        if note:
            extraction.notes.append(f"{doc.name}: {note}")
            year = title_year(Grid(page=number, lines=text.splitlines()))
            if year is not None:
                context = (year, number)
        for record in records:
            if record.tax_year is None and context is not None:
                record.tax_year = context[0]
                record.fields["tax_year"] = f"the year printed on page {context[1]}"
                extraction.notes.append(f"{doc.name}: {record.locator} prints no tax year; {context[0]}, printed on "
                                        f"page {context[1]} before it, is taken as its year")
            signature = json.dumps(record.values, sort_keys=True, default=str)
            if not record.errors and signature in seen:
                extraction.notes.append(f"{doc.name}: {record.locator} repeats {seen[signature]} (another copy); "
                                        "read once")
                continue
            seen[signature] = record.locator
            extraction.records.append(record)
    _one_recipient(doc, extraction)
    return extraction


def _scanned_pages(doc: Document, extraction: Extraction) -> dict[int, list[RawForm]]:
    """The image-only pages of a PDF that also has text pages, read by the scan reader: their
    records by page number (the reader's notes and refusals go to `extraction` at once)."""
    from megaroth.errors import InputError
    from megaroth.importers.scan_1099r import extract as scan_extract, image_pages

    numbers = image_pages(doc)
    if not numbers:
        return {}
    try:
        scan = scan_extract(doc, numbers)
    except InputError as exc:
        # The text pages are still read; the image pages are refused with the reason (the extra missing).
        pages = ", ".join(str(n) for n in sorted(numbers))
        extraction.errors.append(InputError(f"page{'s' if len(numbers) > 1 else ''} {pages}: {exc.message}",
                                            doc.source))
        return {number: [] for number in numbers}
    extraction.notes.extend(scan.notes)
    extraction.errors.extend(scan.errors)
    found: dict[int, list[RawForm]] = {number: [] for number in numbers}
    for record in scan.records:
        found[int(record.locator.split()[1].rstrip(","))].append(record)
    return found


PARTY = {"1099-R": ("recipient_name", "recipient_tin"), "5498": ("participant_name", "participant_tin")}


def _one_recipient(doc: Document, extraction: Extraction) -> None:
    """A statement that prints its one recipient once (above all its forms, as consolidated
    statements do) names the recipient of every form in it: forms that print no recipient of
    their own get that one, so that the statement's forms stay one person's. Only when every
    form that names a recipient names the same one; otherwise nothing is carried."""
    named = [r for r in extraction.records if r.taxpayer]
    people = {(" ".join(str(r.taxpayer.get("name", "")).casefold().split()), str(r.taxpayer.get("tin", "")))
              for r in named}
    if len(people) != 1 or len(named) == len(extraction.records):
        return
    source = named[0]
    name_field, tin_field = PARTY[source.form]
    for record in extraction.records:
        if record.taxpayer:
            continue
        record.taxpayer = dict(source.taxpayer)
        for key, field in zip(("name", "tin"), PARTY[record.form]):
            if key in source.taxpayer:
                record.values[field] = source.taxpayer[key]
                record.fields[field] = f"the statement's one recipient, printed once ({source.locator})"
        extraction.notes.append(f"{doc.name}: {record.locator} prints no recipient of its own; the statement's one "
                                f"recipient, printed once ({source.locator}), is taken as its recipient")


def _printed_year(doc: Document, number: int, record: RawForm) -> None:
    """The year printed on an IRS form page is its tax year (the map's revision is its layout)."""
    printed = printed_year(doc, number)
    if printed is not None and printed != record.tax_year:
        refusal = other_revision(printed, record.tax_year, f"the page layout of the {record.tax_year} form")
        if refusal is not None:
            record.errors.append(refusal)
        else:
            record.warnings.append(f"the form is printed for {printed} but read at the places of the "
                                   f"{record.tax_year} revision; check the boxes")
        record.tax_year = printed


class TextPdfImporter:
    name = "pdf-text"
    description = ("1099-R PDF without live fields: the IRS form flattened or printed (read at its boxes' places), "
                   "custodian statements (boxes found by their labels)")

    def identify(self, doc: Document) -> bool:
        if doc.kind != "pdf":
            return False
        reader = doc.pdf_or_none()
        if reader is None or has_fdx_json(reader):
            return False
        if matching_map(set(doc.pdf_fields)) is not None:
            return False
        # A Form 1040 mentions Forms 1099-R ("attach … 1099-R if tax was withheld"): its pages
        # are not 1099-R text.
        return any(MARKERS.search(text) and page_kind(text) is None for text in doc.page_texts)

    def describe(self, doc: Document) -> str:
        """What this document holds: a Form 5498 is named as one, not as a 1099-R."""
        if any(is_5498_page(text) for text in doc.page_texts):
            return ("Form 5498 PDF without live fields: the IRS form printed flat (boxes read under their captions), "
                    "custodian statements (boxes found by their labels)")
        return self.description

    def extract(self, doc: Document) -> Extraction:
        extraction = text_records(doc)
        if not extraction.records and not any("cannot be read" in n for n in extraction.notes):
            extraction.notes.append(f"{doc.name}: no 1099-R form found in the text")
        return extraction
