"""Analyze a case: checks, per-form treatment, lines, Form 8606 verdict, 10% flag, clocks.

Rules never read files: `analyze` takes a validated case (with any records that failed
validation) and the tax year's parameters, and returns an `Analysis`.
"""

from __future__ import annotations

from collections.abc import Mapping

from megaroth.checks import run_checks
from megaroth.checks.registry import check
from megaroth.errors import InputError
from megaroth.model.case import Case
from megaroth.model.results import (
    SEVERITY_ORDER,
    Analysis,
    Finding,
    FormResult,
    InputErrorRecord,
    Severity,
)
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.accounts import account_of
from megaroth.rules.context import FormContext
from megaroth.rules.form5329 import form_5329_flag
from megaroth.rules.form8606 import form_8606_verdict
from megaroth.rules.form1040 import (
    build_lines,
    build_notations,
    build_policies,
    build_statements,
)
from megaroth.rules.treatment import treat_form

LAYOUT_UNVERIFIED = check(
    "year.form_layout_unverified", Severity.warning,
    "The tax year's Form 1040 line layout was not read from that year's form.",
    ["f1040.lines"],
)
NOT_COMPUTED = check(
    "form.not_computed", Severity.error,
    "A form megaroth could not compute: the lines leave it out.",
    ["i1040.rollovers", "i1040.line-25b"],
)


def analyze(
    case: Case,
    params: YearParameters,
    sources: Mapping[str, Source] | None = None,
    errors: list[InputError] | None = None,
    import_findings: list[Finding] | None = None,
) -> Analysis:
    sources = sources or {}
    errors = errors or []
    findings: list[Finding] = list(import_findings or []) + run_checks(case, params, sources)
    meta = params.f1040.meta
    if not meta.verified:
        findings.append(LAYOUT_UNVERIFIED.finding(
            f"{meta.form}: {meta.note or 'line layout not verified.'} Check the line numbers against the form."))

    def context(form, ira_basis=ZERO):
        return FormContext(form=form, case=case, params=params,
                           source=sources.get(form.id, Source(record=f"form {form.id!r}")),
                           findings=findings, ira_basis_added_in_case=ira_basis)

    # Plan forms first: after-tax money they roll into a traditional IRA is IRA basis that an
    # IRA conversion in the same year must take into account.
    by_id: dict[str, FormResult] = {}
    for form in case.forms_1099r:
        if account_of(form) != "ira":
            by_id[form.id] = treat_form(context(form))
    added = total(r.ira_basis_added for r in by_id.values())
    for form in case.forms_1099r:
        if account_of(form) == "ira":
            by_id[form.id] = treat_form(context(form, added))
    results = [by_id[form.id] for form in case.forms_1099r]

    for result in results:
        if result.status != "computed":
            withheld = params.f1040.lines.withholding.line
            findings.append(NOT_COMPUTED.finding(
                f"{result.unsupported_reason} The Form 1040 lines below leave this form out"
                + (f", except its box 4 withholding ({money_text(result.withholding)}), which is tax already paid "
                   f"and is on line {withheld} whatever the form's taxable amount." if result.withholding else "."),
                form_id=result.form_id, source=sources.get(result.form_id)))

    order = {form.id: index for index, form in enumerate(case.forms_1099r)}
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.form_id, -1)))
    return Analysis(
        tax_year=case.tax_year,
        taxpayer_name=case.taxpayer.name,
        complete=not errors and all(r.status == "computed" for r in results),
        lines=build_lines(results, params),
        notations=build_notations(results, params),
        statements=build_statements(results, params),
        form_8606=form_8606_verdict(results, case),
        form_5329=form_5329_flag(results, params),
        clocks=[clock for r in results for clock in r.clocks],
        roth_ira_basis_line_22=total(r.roth_ira_basis_line_22 for r in results),
        roth_ira_basis_line_24=total(r.roth_ira_basis_line_24 for r in results),
        forms=results,
        findings=findings,
        errors=[InputErrorRecord(message=e.message, **e.source.to_dict()) for e in errors],
        policies=build_policies(results, case),
        form_layout_note=meta.note if not meta.verified else None,
    )
