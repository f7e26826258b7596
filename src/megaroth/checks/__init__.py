"""Checks: what can be said about the 1099-Rs as printed, before any tax treatment.

Box arithmetic, box 7 codes against the year's table, and cross-form checks. Checks report
`Finding`s and never change the data. Findings that depend on where the money went
(disposition, wrong-form patterns) are reported by the rules, through the same registry.
"""

from __future__ import annotations

from collections.abc import Mapping

from megaroth.checks.batch import check_batch
from megaroth.checks.boxes import (
    awaiting_findings,
    awaiting_form_findings,
    check_boxes,
    check_layout,
)
from megaroth.checks.codes import check_age, check_codes
from megaroth.checks.form5498 import check_5498
from megaroth.model.case import Case
from megaroth.model.owners import owner_of
from megaroth.model.results import Finding
from megaroth.params import YearParameters
from megaroth.provenance import Source


def run_checks(case: Case, params: YearParameters, sources: Mapping[str, Source]) -> list[Finding]:
    findings: list[Finding] = []
    for form in case.forms_1099r:
        source = sources.get(form.id, Source(record=f"form {form.id!r}"))
        findings.extend(check_boxes(form, source))
        findings.extend(check_layout(form, params.f1040.meta.f1099r_layout, source))
        findings.extend(check_codes(form, params, source))
        role, _ = owner_of(form, case)
        person = case.person(role) if role else None
        if person is not None:
            findings.extend(check_age(form, person, params, source))
    findings.extend(check_batch(case.forms_1099r, sources, case))
    for form in case.forms_1099r_awaiting:  # kept off the return until a person reads box 1 or 7
        findings.extend(awaiting_form_findings(form, sources.get(form.id, Source(record=f"form {form.id!r}"))))
    for form in case.forms_5498:
        source = sources.get(form.id, Source(record=f"5498 form {form.id!r}"))
        findings.extend(awaiting_findings(form, source))  # a scanned 5498's boxes a person must confirm
        findings.extend(check_5498(form, case.tax_year, source))
    return findings
