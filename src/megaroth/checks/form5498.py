"""Checks of a Form 5498 as printed: its codes against the year's form and its boxes against
the kind of IRA checked in box 7. Nothing here decides tax treatment."""

from __future__ import annotations

from collections.abc import Iterator

from megaroth.checks.registry import check
from megaroth.model.form5498 import Form5498
from megaroth.model.results import Finding, Severity
from megaroth.money import money_text
from megaroth.catalog import available_years
from megaroth.params import YearParameters, load_year
from megaroth.provenance import Source

CODE_UNKNOWN = check(
    "f5498.code_unknown", Severity.warning,
    "A Form 5498 code (box 13c, 14b or 15b) that the year's instructions do not list.",
    ["i1099r.f5498-boxes"],
)
KIND_MISSING = check(
    "f5498.kind_not_checked", Severity.warning,
    "No box 7 checkbox: the Form 5498 does not say whether the account is a traditional or a Roth IRA.",
    ["i1099r.f5498-boxes", "f5498.who-files"],
)
BOX_FOR_OTHER_KIND = check(
    "f5498.box_for_other_kind", Severity.warning,
    "A box used only for the other kind of IRA: Roth IRA contributions (box 10) on a traditional IRA's form, "
    "or traditional contributions (box 1) or a conversion (box 3) reported on a non-Roth IRA's form.",
    ["i1099r.f5498-boxes", "i1099r.f5498-box-3"],
)
YEAR_OUT_OF_RANGE = check(
    "f5498.other_year", Severity.info,
    "A Form 5498 of a year that neither reports this tax year's deposits nor the next year's.",
    ["i1099r.f5498-box-2"],
)

_LABELS = {"box_13c": "box 13c", "box_14b": "box 14b", "box_15b": "box 15b"}


def _codes(field: str, value: str) -> list[str]:
    if field == "box_15b":
        # Two codes at most, printed together ("AB") or apart ("A, B").
        return [c for c in value.replace(",", " ").replace("/", " ").upper() if c.strip()]
    return [value.strip().upper().replace(" ", "")]


def check_5498(form: Form5498, tax_year: int, source: Source) -> Iterator[Finding]:
    here = {"form_id": form.id, "source": source}
    year = form.tax_year or tax_year
    if year not in (tax_year, tax_year + 1):
        yield YEAR_OUT_OF_RANGE.finding(
            f"Form 5498 {form.id!r} is for {year}: a {tax_year} return's deposits are on the {tax_year} form (or the "
            f"{tax_year + 1} one for money deposited after December 31). It is not matched.", box="tax_year", **here)
    params: YearParameters | None = load_year(year) if year in available_years() else None
    if params is not None:
        known = {name: {c.upper().replace(" ", "") for c in codes} for name, codes in params.f5498.codes.items()}
        for field in ("box_13c", "box_14b", "box_15b"):
            value = getattr(form, field)
            if not value:
                continue
            unknown = [c for c in _codes(field, value) if c not in known[field]]
            if unknown:
                yield CODE_UNKNOWN.finding(
                    f"{_LABELS[field]} shows {value!r}: not a code of the {year} Form 5498 "
                    f"({', '.join(sorted(params.f5498.codes[field]))}).", box=field, **here)
    if not (form.box_7_ira or form.box_7_sep or form.box_7_simple or form.box_7_roth_ira):
        yield KIND_MISSING.finding(
            f"Form 5498 {form.id!r} has no box 7 checkbox; megaroth takes it as a traditional IRA unless box 3 or "
            "box 10 shows a Roth amount. Check the form.", box="box_7", **here)
    if form.roth and form.box_1:
        yield BOX_FOR_OTHER_KIND.finding(
            f"Box 1 (traditional IRA contributions, {money_text(form.box_1)}) on a Roth IRA's Form 5498: a Roth IRA's "
            "regular contributions are in box 10.", box="box_1", **here)
    if form.kind != "roth_ira" and form.box_10:
        yield BOX_FOR_OTHER_KIND.finding(
            f"Box 10 (Roth IRA contributions, {money_text(form.box_10)}) on a Form 5498 whose Roth IRA box is not "
            "checked.", box="box_10", **here)
    if form.kind != "roth_ira" and form.box_3:
        yield BOX_FOR_OTHER_KIND.finding(
            f"Box 3 (Roth IRA conversion amount, {money_text(form.box_3)}) is reported by the Roth IRA that received "
            "the conversion, but this form's Roth IRA box is not checked.", box="box_3", **here)
