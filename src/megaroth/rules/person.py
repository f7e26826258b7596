"""One person's part of the return: their Form 8606 (Parts I-III), the taxable amounts of their
IRA and Roth IRA forms, their Form 5329 and their Roth basis after the year.

Each spouse is their own: their IRAs are aggregated with each other, never with the other
spouse's (i8606 "More than one Form 8606 required"; i5329 "Joint returns").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.case import Options
from megaroth.model.form5498 import Form5498
from megaroth.model.results import Finding, FormResult, PersonResult, Severity
from megaroth.model.tax_return import LedgerFacts, Person, Role
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.excess_contributions import excess_parts
from megaroth.rules.form5329 import form_5329_flag, with_excess_tax
from megaroth.rules.form8606 import apply_form_8606, form_8606_result, part_i_and_ii
from megaroth.rules.ira import ira_amounts
from megaroth.rules.ira_facts import facts_from_5498
from megaroth.rules.context import CORRECTIVE
from megaroth.rules.markers import CLOCK_ROTH_IRA, clock_for_form
from megaroth.rules.recharacterization import statement_text
from megaroth.rules.roth_basis import apply_part_iii, part_iii, this_year_layer

RECHARACTERIZED_NOT_COUNTED = check(
    "form_8606.recharacterized_contribution_not_counted", Severity.warning,
    "A Roth IRA contribution recharacterized as a traditional IRA contribution for the year, more than the "
    "traditional IRA contributions the case counts (line 1 and the deduction).",
    ["i8606.recharacterization-second-ira", "i8606.recharacterizations"],
)
BIRTH_DATE_FOR_59_HALF = check(
    "roth_ira.birth_date_needed", Severity.warning,
    "A code J Roth IRA distribution with a taxable part, and the owner's birth date is not given: the 10% "
    "additional tax applies before 59½, and is counted until the birth date says otherwise.",
    ["irc-72.t2-age", "irc-72.t1-includible", "i5329.roth-recapture"],
)
RECHARACTERIZATION_STATEMENT = check(
    "form_8606.recharacterization_statement", Severity.info,
    "A recharacterization the case gives: the return needs a statement explaining it.",
    ["i8606.recharacterizations"],
)


def left_out(result: FormResult, reason: str) -> FormResult:
    """A form taken off the lines after all, because its owner's Form 8606 could not be computed."""
    return result.model_copy(update={
        "status": "unsupported", "unsupported_reason": reason, "treatment": "not_computed",
        "treatment_title": "Not computed", "taxable": None, "parts": [], "steps": [], "clocks": [],
        "statements": [], "roth_ira_basis_line_24": ZERO, "ira_conversion_taxable": None,
        "additional_tax_base": ZERO})


def person_result(role: Role, person: Person, results: list[FormResult], ledger: LedgerFacts | None,
                  params: YearParameters, findings: list[Finding], options: Options,
                  forms_5498: list[Form5498] = ()) -> tuple[PersonResult, list[FormResult]]:
    """The person's results, and their forms as finally computed (IRA taxable amounts filled in).

    Args:
        forms_5498: the person's Forms 5498, which fill in IRA facts the case leaves out.
    """
    source = Source(record=role, field=f"{role}.ira")
    person, origin = facts_from_5498(role, person, list(forms_5498), params.tax_year, findings, source)
    mine = [r for r in results if r.owner == role]
    plan = [r for r in mine if r.account in ("plan", "designated_roth") and r.status == "computed"]
    iras = [r for r in mine if r.account == "ira" and r.status == "computed" and r.treatment != CORRECTIVE]
    roths = [r for r in mine if r.account == "roth_ira" and r.treatment != CORRECTIVE]
    added = total(r.ira_basis_added for r in plan)
    part12 = part_i_and_ii(role, person, iras, added, ledger, params, findings, source, options, origin)
    by_id = {r.form_id: r for r in mine}
    if part12.status == "not_computed":
        for r in iras:
            if any(ira_amounts(r)):
                by_id[r.form_id] = left_out(r, f"Its taxable part comes from {person.name or role}'s Form 8606, "
                                               f"which could not be computed: {part12.summary}")
        part12.line_17 = part12.line_18 = ZERO
    else:
        for r in apply_form_8606(iras, part12, params, lambda form, amount: clock_for_form(
                params, form.form_id, amount, "Conversion to a Roth IRA: its taxable part withdrawn before the "
                "period ends (and before 59½) owes the 10% additional tax.", list(CLOCK_ROTH_IRA.cites))):
            by_id[r.form_id] = r
    new_layer = this_year_layer(params.tax_year, part12.line_17, part12.line_18, plan)
    contributions = (person.facts.roth_contributions or ZERO) + total(r.roth_ira_basis_line_22 for r in plan)
    part3 = part_iii(role, person, roths, new_layer, contributions, ledger, params, findings, source)
    if part3.status == "not_computed":
        for r in roths:
            if r.form_id in part3.nonqualified or (r.status == "computed" and "Q" not in r.box_7):
                by_id[r.form_id] = left_out(r, f"Its taxable part comes from {person.name or role}'s Form 8606 "
                                               f"Part III, which could not be computed: {part3.summary}")
    else:
        for r in apply_part_iii([r for r in roths if r.status == "computed"], part3,
                                lambda r: _early(r, person, params)):
            by_id[r.form_id] = r
    final = [by_id[r.form_id] for r in mine]
    if part3.status == "computed" and part3.recapture:
        # Say whether the recapture amount actually owes the 10%: it does only for an owner under 59½ with no
        # exception (code J), never as income tax again.
        owed = any(r.account == "roth_ira" and r.additional_tax_base for r in final)
        part3.summary += (" Here it does: Form 5329 line 1." if owed else
                          " Here it does not (59½ or older, or the payer shows an exception): no tax arises on it.")
    early_unknown = [r for r in final if r.account == "roth_ira" and "J" in r.box_7 and r.additional_tax_base]
    if early_unknown and person.birth_date is None:
        # Code J says only "early" as the payer saw it; 59½ by year end removes the 10% tax (i5329).
        base = total(r.additional_tax_base for r in early_unknown)
        rate = params.statutory.additional_tax_rate.required()
        findings.append(BIRTH_DATE_FOR_59_HALF.finding(
            f"{person.name or role}: {money_text(base)} of code J Roth IRA distributions is taxable, and the "
            f"{role}'s birth date is not given. The 10% additional tax ({money_text(base * rate)}) is counted as if "
            f"{person.name or role} were under 59½; give {role}.birth_date.", box=f"{role}.birth_date",
            source=source, fact=f"{role}.birth_date", at_stake=(base * rate).quantize(Decimal("0.01"))))
    # A recharacterization is explained on the return of the year the contribution was for; one for an
    # earlier year (code R) is reported by that form's own rule.
    this_year = [item for item in person.facts.recharacterizations or [] if item.for_year == params.tax_year]
    statements = ["Statement: " + statement_text(item) for item in this_year]
    for text in statements:
        findings.append(RECHARACTERIZATION_STATEMENT.finding(text, source=source))
    _check_recharacterized_contributions(role, person, this_year, params, findings, source)
    form_8606 = form_8606_result(role, person, part12, part3, statements, params)
    totals = {
        "ira_gross": total(r.gross for r in final if r.status == "computed" and r.gross_line == "ira_gross"),
        "ira_taxable": total(r.taxable or ZERO for r in final if r.status == "computed" and r.gross_line == "ira_gross"),
        "pension_gross": total(r.gross for r in final if r.status == "computed" and r.gross_line == "pension_gross"),
        "pension_taxable": total(r.taxable or ZERO for r in final
                                 if r.status == "computed" and r.gross_line == "pension_gross"),
        "withholding": total(r.withholding for r in final),
    }
    excess = excess_parts(role, person, final, ledger, params, findings, source)
    return PersonResult(
        role=role, name=person.name, forms=[r.form_id for r in final], form_8606=form_8606,
        form_5329=with_excess_tax(form_5329_flag(final, params), excess, params),
        clocks=[c for r in final for c in r.clocks], roth=part3.state,
        traditional_basis_given=part12.basis_given, totals=totals, excess_contributions=excess,
    ), final


def _early(result: FormResult, person: Person, params: YearParameters) -> bool:
    """Whether the 10% additional tax can reach a Roth IRA distribution: code J (no known exception),
    unless the owner was 59½ or older at the end of the year."""
    if "J" not in result.box_7:
        return False
    if person.birth_date is None:
        return True
    reached = date_reaching_age(person.birth_date, params.statutory.early_distribution_age.required())
    return reached >= date(params.tax_year + 1, 1, 1)


def _check_recharacterized_contributions(role, person: Person, items, params: YearParameters,
                                         findings: list[Finding], source: Source) -> None:
    """A Roth IRA contribution recharacterized as traditional is a traditional IRA contribution of the year
    (i8606): deducted, or nondeductible on line 1. Say so when the case's line 1 and deduction leave it out."""
    moved_in = total(i.contribution_amount for i in items if i.contributed_to == "roth_ira")
    facts = person.facts
    if not moved_in or facts.nondeductible_contributions is None:
        return  # nothing moved in, or line 1 is asked for where it matters (form8606)
    counted = facts.nondeductible_contributions + (facts.deductible_contributions or ZERO)
    if counted < moved_in:
        who = person.name or role
        findings.append(RECHARACTERIZED_NOT_COUNTED.finding(
            f"{who}: {money_text(moved_in)} of Roth IRA contributions for {params.tax_year} were recharacterized as "
            f"traditional IRA contributions, treated as made to the traditional IRA; the case counts "
            f"{money_text(counted)} of traditional IRA contributions for the year (line 1 "
            f"{money_text(facts.nondeductible_contributions)}, deducted {money_text(facts.deductible_contributions or ZERO)}). "
            f"Not deducted, they belong on Form 8606 line 1: check {role}.ira.nondeductible_contributions.",
            box=f"{role}.ira.nondeductible_contributions", source=source))
