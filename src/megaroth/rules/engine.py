"""Analyze a case: checks, per-form treatment, lines, Form 8606 verdict, 10% flag, clocks.

Rules never read files: `analyze` takes a validated case (with any records that failed
validation) and the tax year's parameters, and returns an `Analysis`.
"""

from __future__ import annotations

from collections.abc import Mapping

from megaroth.checks import run_checks
from megaroth.checks.boxes import awaits_a_person
from megaroth.checks.registry import check
from megaroth.errors import InputError
from megaroth.model.case import Case
from megaroth.model.tax_return import LedgerFacts
from megaroth.model.results import (
    SEVERITY_ORDER,
    Analysis,
    Finding,
    FormResult,
    InputErrorRecord,
    MissingFact,
    Severity,
)
from megaroth.money import money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.accounts import account_of
from megaroth.rules.context import FormContext, not_computed
from megaroth.rules.form5329 import combine_5329
from megaroth.rules.form5498 import match_rollovers
from megaroth.rules.form8606_verdict import form_8606_verdict
from megaroth.model.owners import NOT_ON_RETURN
from megaroth.rules.owners import OWNER_MISSING, OWNER_RULE, SPOUSE_FORM_NOT_ON_RETURN, owner_of
from megaroth.rules.person import person_result
from megaroth.rules.form1040 import (
    build_lines,
    build_notations,
    build_policies,
    build_statements,
)
from megaroth.rules.treatment import treat_form
from megaroth.rules.w2_deferrals import excess_deferral_findings, line_1h_excess
from megaroth.rules.year_layout import forms_findings, results_findings

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
    ledger: Mapping[str, LedgerFacts] | None = None,
) -> Analysis:
    """Check and compute one return.

    Args:
        ledger: what the ledger holds for each person ("taxpayer", "spouse") from earlier years.
    """
    sources = sources or {}
    errors = errors or []
    ledger = ledger or {}
    findings: list[Finding] = list(import_findings or []) + run_checks(case, params, sources)
    findings += forms_findings(case, params)

    results: list[FormResult] = []
    for form in case.forms_1099r:
        source = sources.get(form.id, Source(record=f"form {form.id!r}"))
        role, how = owner_of(form, case)
        ctx = FormContext(form=form, case=case, params=params, source=source, findings=findings,
                          owner=role or "taxpayer", ledger=ledger.get(role or "taxpayer"))
        if role is None:
            definition = SPOUSE_FORM_NOT_ON_RETURN if how.startswith(NOT_ON_RETURN) else OWNER_MISSING
            findings.append(definition.finding(f"Whose form is it? {how}.", form_id=form.id, box="owner",
                                               source=source))
            results.append(not_computed(ctx, account_of(form), f"Not computed: {how}."))
            continue
        result = treat_form(ctx).model_copy(update={"owner": role})
        if how != "owner given on the form" and case.joint:
            result = result.model_copy(update={"steps": [OWNER_RULE.step(
                "owner", f"The form is the {role}'s ({how}).")] + list(result.steps)})
        results.append(result)

    people = []
    by_id = {r.form_id: r for r in results}
    for role, person in case.people:
        person_part, final = person_result(role, person, results, ledger.get(role), params, findings,
                                            case.options, [f for f in case.forms_5498 if owner_of(f, case)[0] == role])
        people.append(person_part)
        by_id.update({r.form_id: r for r in final})
    results = [by_id[form.id] for form in case.forms_1099r]
    matches = match_rollovers(case, results, findings, dict(sources))
    findings += excess_deferral_findings(case, params, results)
    for result in results:
        if result.status != "computed":
            withheld = params.f1040.lines.withholding.line
            findings.append(NOT_COMPUTED.finding(
                f"{result.unsupported_reason} The Form 1040 lines below leave this form out"
                + (f", except its box 4 withholding ({money_text(result.withholding)}), which is tax already paid "
                   f"and is on line {withheld} whatever the form's taxable amount." if result.withholding else "."),
                form_id=result.form_id, source=sources.get(result.form_id)))

    form_5329 = combine_5329(people, params)
    findings += results_findings(people, form_5329, params)
    order = {form.id: index for index, form in enumerate(case.forms_1099r)}
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.form_id, -1)))
    # A fact the tax depends on and nobody gave: the lines are computed without it, and the result
    # says it is incomplete rather than passing a default off as an answer (one entry per fact).
    missing = list({f.fact: MissingFact(fact=f.fact, code=f.code, message=f.message, at_stake=f.at_stake)
                    for f in findings if f.fact}.values())
    return Analysis(
        tax_year=case.tax_year,
        taxpayer_name=case.taxpayer.name,
        filing_status=case.filing_status.value if case.filing_status else None,
        # A box a scan left to a person (a form kept off the return for its box 1 or 7, or a blank box awaiting
        # confirmation) is a fact the lines lack, whatever they show.
        complete=not errors and all(r.status == "computed" for r in results) and not awaits_a_person(findings)
        and all(p.form_8606.status != "not_computed" for p in people) and not missing,
        lines=build_lines(results, params, people, line_1h_excess(case, params, results)),
        notations=build_notations(results, params),
        statements=build_statements(results, params, people),
        form_8606=form_8606_verdict(results, case, people),
        form_5329=form_5329,
        people=people,
        clocks=[clock for r in results for clock in r.clocks],
        roth_ira_basis_line_22=total(r.roth_ira_basis_line_22 for r in results),
        roth_ira_basis_line_24=total(r.roth_ira_basis_line_24 for r in results),
        forms=results,
        findings=findings,
        errors=[InputErrorRecord(message=e.message, **e.source.to_dict()) for e in errors],
        policies=build_policies(results, case),
        rollover_matches=matches,
        missing_facts=missing,
        form_layout_note=params.f1040.meta.note if not params.f1040.meta.verified else None,
    )
