"""Flat (text-only) 1099-R PDFs, as custodians issue them: boxes found by their labels.

The page text is laid out on a character grid by pypdf, then `text_forms` finds the forms,
their labels and the values next to them. Copies of the same form (B, C and 2 on one page) are
read once. A page without a 1099-R (a cover, a summary) is noted and skipped; a value that
cannot be read with confidence rejects its record with the box and the reason.
"""

from __future__ import annotations

import json
import re

from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.importers.pdf_fillable import has_fdx_json, matching_map
from megaroth.importers.text_forms import Grid, form_values, parse_page

MARKERS = re.compile(r"1099-?r|gross\s+distribution", re.I)


def text_records(doc: Document) -> Extraction:
    """Every form in the PDF's text, as raw records (also used to cross-check embedded data)."""
    extraction = Extraction()
    seen: dict[str, str] = {}
    for number, text in enumerate(doc.page_texts, start=1):
        forms, note = parse_page(Grid(page=number, lines=text.splitlines()))
        if note:
            extraction.notes.append(f"{doc.name}: {note}")
        for index, form in enumerate(forms, start=1):
            values, fields, problems = form_values(form)
            locator = f"page {form.page}" + (f", form {index}" if len(forms) > 1 else "")
            signature = json.dumps(values, sort_keys=True, default=str)
            if not problems and signature in seen:
                extraction.notes.append(f"{doc.name}: {locator} repeats {seen[signature]} (another copy); read once")
                continue
            seen[signature] = locator
            taxpayer = {k: values[v] for k, v in (("name", "recipient_name"), ("tin", "recipient_tin"))
                        if values.get(v)}
            extraction.records.append(RawForm(
                values=values, locator=locator, fields=fields, tax_year=form.tax_year,
                taxpayer=taxpayer, errors=problems,
            ))
    return extraction


class TextPdfImporter:
    name = "pdf-text"
    description = "flat 1099-R PDF (custodian statements, flattened IRS copies): boxes found by their labels"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "pdf":
            return False
        reader = doc.pdf_or_none()
        if reader is None or has_fdx_json(reader):
            return False
        if matching_map(set(doc.pdf_fields)) is not None:
            return False
        return any(MARKERS.search(text) for text in doc.page_texts)

    def extract(self, doc: Document) -> Extraction:
        extraction = text_records(doc)
        if not extraction.records and not any("cannot be read" in n for n in extraction.notes):
            extraction.notes.append(f"{doc.name}: no 1099-R form found in the text")
        return extraction
