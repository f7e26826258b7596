"""Custodians' flat (text-only) Form 5498 statements, read by their printed captions with the
same grid reader as the 1099-R's (`text_forms`): a value to the right of its caption or under
it. The captions are data (`forms/pdf_text_labels_5498.toml`). A page is a Form 5498 when it
names the form and shows at least one of its money boxes and no 1099-R box 1. A money value
that cannot be read with confidence rejects the record with the box and the reason.

The IRS's own Form 5498 grid printed flat is read by `f5498_layout` (its captions and places);
its fillable PDF is not read: megaroth has no copy of it to derive a field map from. A page
with captions but no box read is refused, never imported as an empty form.
"""

from __future__ import annotations

import re
from functools import cache

from megaroth.importers.base import RawForm
from megaroth.importers.csv_batch import ira_kind_flags
from megaroth.importers.account_number import clean_account_number
from megaroth.importers.text_forms import Grid, LabelSpec, PageReader, find_labels, label_specs

TABLE = "pdf_text_labels_5498.toml"
FORM = re.compile(r"\b(?:form\s+)?5498\b(?!-)", re.I)
NOT_5498 = re.compile(r"gross\s+distribution|5498-(?:sa|esa)", re.I)
YEAR = re.compile(r"(?:(?:tax|calendar)\s+year\s+((?:19|20)\d{2}))|(?:((?:19|20)\d{2})\s+form\s+5498)|"
                  r"(?:form\s+5498\s*[\(\[]?\s*(?:for\s+)?((?:19|20)\d{2}))", re.I)


@cache
def specs() -> tuple[LabelSpec, ...]:
    return label_specs(TABLE)[0]


def is_5498_page(text: str) -> bool:
    return bool(FORM.search(text)) and not NOT_5498.search(text)


def records_5498(number: int, text: str) -> list[RawForm]:
    """The Form 5498 on one page (one per page), or none when no box caption is found."""
    grid = Grid(page=number, lines=text.splitlines())
    labels = find_labels(grid, specs())
    if not any(label.kind == "money" for label in labels):
        return []
    reader = PageReader(grid, labels)
    values: dict = {}
    fields: dict[str, str] = {}
    errors: list[str] = []
    warnings: list[str] = []
    for label in labels:
        if label.box in values:
            continue
        read = reader.read(label)
        if read.problem:
            errors.append(f"{label.box}: {read.problem} ({read.where})")
            continue
        if read.value in (None, "", False):
            continue
        if label.box == "kind":
            flags, bad = ira_kind_flags(str(read.value))
            for part in bad:
                errors.append(f"box_7: {part!r} is not a kind of IRA (IRA, SEP, SIMPLE or Roth IRA) ({read.where})")
            for flag in flags:
                values[flag] = True
                fields[flag] = read.where
            continue
        if label.box == "account_number":
            cleaned = clean_account_number(str(read.value))
            if cleaned is None:
                warnings.append(f"account_number: {read.value!r} next to the label is not an account number; left "
                                f"empty ({read.where})")
                continue
            read.value = cleaned
        values[label.box] = read.value
        fields[label.box] = read.where
    if not errors and not any(box.startswith("box_") and not box.startswith("box_7_") for box in values):
        errors.append(f"no box of the Form 5498 could be read on page {number}: its captions are printed but no "
                      "amount, year or code is next to them; megaroth does not import a Form 5498 with no box read")
    year = next((int(next(g for g in m.groups() if g)) for m in YEAR.finditer(text)), None)
    if year is not None:
        values["tax_year"] = year
    taxpayer = {k: values[v] for k, v in (("name", "participant_name"), ("tin", "participant_tin")) if values.get(v)}
    return [RawForm(values=values, locator=f"page {number}", fields=fields, tax_year=year, taxpayer=taxpayer,
                    errors=errors, warnings=warnings, form="5498")]
