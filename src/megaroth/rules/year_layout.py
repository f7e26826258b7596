"""What of the tax year's forms megaroth did not read from the IRS's own form: said on every result that uses it.

A year's line numbers (Form 1040, Schedule 2, Form 8606) and box numbers (Form 1099-R) live in
forms/<year>/ and forms/f1099r_boxes.toml with `verified`; a year whose form was not available (2026:
only third parties' descriptions of the drafts, docs/irs-pdfs-2026.md) is computed on the layout
described, and each result says which lines and boxes to check against the form (f1040.lines).
"""

from __future__ import annotations

from megaroth.catalog import box_layout
from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.results import Finding, Form5329Flag, PersonResult, Severity
from megaroth.params import YearParameters

LAYOUT_UNVERIFIED = check(
    "year.form_layout_unverified", Severity.warning,
    "The tax year's Form 1040 line layout was not read from that year's form.",
    ["f1040.lines"],
)


def forms_findings(case: Case, params: YearParameters) -> list[Finding]:
    """The Form 1040 and the Form 1099-R layouts of the year, before any form is computed."""
    found = []
    meta = params.f1040.meta
    if not meta.verified:
        found.append(LAYOUT_UNVERIFIED.finding(
            f"{meta.form}: {meta.note or 'line layout not verified.'} Check the line numbers against the form."))
    boxes = box_layout(meta.f1099r_layout)
    if not boxes.verified and case.forms_1099r:
        # The worksheet names boxes in this layout's numbers (7a, 8b): say they were not read from the IRS's form.
        found.append(LAYOUT_UNVERIFIED.finding(
            f"Form 1099-R ({case.tax_year}): the box numbers used here (7a-7d, 8a/8b) are those of the "
            f"{boxes.title}; source: {boxes.source}. Check them against your form."))
    return found


def results_findings(people: list[PersonResult], form_5329: Form5329Flag, params: YearParameters) -> list[Finding]:
    """Form 8606 and Schedule 2 lines the result uses, when the year's form was not read."""
    found = []
    if not params.f8606.meta.verified and any(p.form_8606.lines for p in people):
        found.append(LAYOUT_UNVERIFIED.finding(
            f"{params.f8606.meta.form}: {params.f8606.meta.note} Check the line numbers against the form.",
            severity=Severity.info))
    schedule_2 = params.f1040.schedule_2
    used = [line for line, amount in ((schedule_2.additional_tax, form_5329.additional_tax),
                                      (schedule_2.excess_line(), form_5329.excess_tax)) if amount and not line.verified]
    for line in {line.line: line for line in used}.values():
        found.append(LAYOUT_UNVERIFIED.finding(
            f"Schedule 2 ({params.tax_year}) line {line.line}: {line.note or 'not read from the form.'} Check the "
            "line number against the form.",
            # A year whose Form 1040 itself is unread (a draft year) warns; an earlier year's line, the same as
            # its neighbours', is a note.
            severity=None if not params.f1040.meta.verified else Severity.info))
    return found
