"""A contribution recharacterized in the year after the one it was for (Form 1099-R code R).

A regular IRA contribution moved by a trustee-to-trustee transfer to the other kind of IRA is
treated as made to the second IRA (i8606 "Recharacterizations"): a Roth IRA contribution found
ineligible becomes a traditional IRA contribution of its year — nondeductible, it is that year's
Form 8606 line 1 and basis a later conversion does not pay tax on again (the backdoor sequence:
contribute to a Roth IRA, recharacterize, convert). The transfer is not a distribution.

Code R reports a contribution made for the year before the form's year (i1099r, Guide to
Distribution Codes). i8606: if the recharacterization occurred in the year after the
contribution's year, report the amount transferred only in the statement attached to the return
of the contribution's year, "and not on your [that year's] or [this year's] tax return". So a code
R form puts nothing on this return's lines 4a/4b; what it changes on this return is the basis the
contribution left (line 2, last year's line 14). Code N (the same year) stays in `ira`.
"""

from __future__ import annotations

from megaroth.checks.registry import check
from megaroth.model.results import FormResult, Severity
from megaroth.model.tax_return import Recharacterization
from megaroth.money import ZERO, money_text
from megaroth.rules.context import TREATMENT_TITLES, FormContext
from megaroth.rules.registry import define

PRIOR_YEAR_RECHARACTERIZATION = "ira_recharacterization_prior"

RECHARACTERIZED_PRIOR = define(
    "ira.recharacterization_prior_year",
    "A contribution for an earlier year recharacterized this year (code R) is not a distribution and is not on "
    "this year's return nor on the contribution year's lines: the amount transferred is reported only in the "
    "statement attached to the contribution year's return, and the contribution is treated as made to the "
    "second IRA (nondeductible to a traditional IRA: that year's Form 8606 line 1).",
    ["i8606.recharacterization-next-year", "i8606.recharacterization-second-ira", "i1099r.code-r",
     "i8606.recharacterizations"],
)
FACTS_NEEDED = check(
    "ira.recharacterization_facts_needed", Severity.warning,
    "A code R form, and the case does not say which contribution was recharacterized: its kind, year and amount "
    "decide the earlier year's Form 8606 line 1 and the basis carried to this year.",
    ["i8606.recharacterizations", "i8606.recharacterization-second-ira"],
)
EARLIER_RETURN = check(
    "ira.recharacterization_earlier_return", Severity.warning,
    "A recharacterization of an earlier year's contribution: the statement and the contribution belong on that "
    "year's return (amend it if it was filed without them), and this year's Form 8606 line 2 carries its basis.",
    ["i8606.recharacterization-next-year", "i8606.recharacterizations", "i8606.line-2"],
)
NO_MATCH = check(
    "ira.recharacterization_not_matched", Severity.error,
    "A code R Form 1099-R, and the recharacterizations the case gives include none of an earlier year that "
    "matches it.",
    ["i1099r.code-r", "i8606.recharacterizations"],
)
BASIS_SHORT = check(
    "ira.recharacterization_basis_short", Severity.warning,
    "The basis given for the start of the year is less than a nondeductible contribution recharacterized into a "
    "traditional IRA for last year.",
    ["i8606.recharacterization-second-ira", "i8606.line-2"],
)


def treat_recharacterization_prior(ctx: FormContext) -> FormResult:
    """A code R form: nothing on this year's lines, and what the earlier year's return owes it."""
    form, params = ctx.form, ctx.params
    year = params.tax_year
    person = ctx.case.person(ctx.owner)
    who = (person.name if person else None) or ctx.owner
    given = person.facts.recharacterizations if person else None
    item = _matching(given or [], form.box_1, year)
    ctx.steps.append(RECHARACTERIZED_PRIOR.step(
        "taxable", f"Code R: {money_text(form.box_1)} moved between IRAs in {year} for a contribution made for "
        f"{year - 1} or earlier: not a distribution, nothing on lines {params.f1040.lines.ira_gross.line}/"
        f"{params.f1040.lines.ira_taxable.line} of this return; the amount moved goes only in the statement "
        "attached to the contribution year's return.", result=ZERO, inputs={"box_1": form.box_1}))
    if item is None and given is not None:
        # The person gave their recharacterizations and none is this form's: a contradiction to settle,
        # not a fact still missing (asking again would get the same answer).
        ctx.find(NO_MATCH, (
            f"Code R: {money_text(form.box_1)} was moved in {year} to recharacterize a contribution made for "
            f"{year - 1} (or earlier), but none of the recharacterizations given for {who} "
            f"({ctx.owner}.ira.recharacterizations) was for an earlier year with {money_text(form.box_1)} moved (or "
            "the only one of an earlier year): correct them, or the form (a code R form is always a "
            "recharacterization)."), box=f"{ctx.owner}.ira.recharacterizations")
    elif item is None:
        ctx.find(FACTS_NEEDED, (
            f"Code R: {money_text(form.box_1)} was moved in {year} to recharacterize a contribution made for "
            f"{year - 1} (or earlier), and the case does not say which: where it was first made (Roth or "
            "traditional IRA), the year it was for and the contribution without its earnings. A Roth IRA "
            f"contribution moved to a traditional IRA is a traditional IRA contribution of {year - 1}: not deducted, "
            f"it is {year - 1}'s Form 8606 line 1 and up to {money_text(form.box_1)} of basis in this year's line 2. "
            f"Give {ctx.owner}.ira.recharacterizations."), box=f"{ctx.owner}.ira.recharacterizations",
            fact=f"{ctx.owner}.ira.recharacterizations", at_stake=form.box_1)
    else:
        _earlier_year(ctx, item, who)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="ira",
        treatment=PRIOR_YEAR_RECHARACTERIZATION, treatment_title=TREATMENT_TITLES[PRIOR_YEAR_RECHARACTERIZATION],
        gross=form.box_1, basis=ZERO, pretax=ZERO, taxable=ZERO, withholding=form.box_4 or ZERO, gross_line=None,
        steps=ctx.steps,
    )


def _matching(items: list[Recharacterization], moved, year: int) -> Recharacterization | None:
    """The recharacterization the code R form reports: one for an earlier year, the amount moved first."""
    earlier = [i for i in items if i.for_year < year]
    same = [i for i in earlier if i.amount_moved == moved]
    return (same or earlier or [None])[0]


def _earlier_year(ctx: FormContext, item: Recharacterization, who: str) -> None:
    year = ctx.params.tax_year
    person = ctx.case.person(ctx.owner)
    into_traditional = item.contributed_to == "roth_ira"
    second = "traditional IRA" if into_traditional else "Roth IRA"
    first = "Roth IRA" if into_traditional else "traditional IRA"
    consequence = (
        f"It is a traditional IRA contribution for {item.for_year}: deducted on that year's Schedule 1, or, not "
        f"deducted (a backdoor Roth), {item.for_year}'s Form 8606 line 1 ({money_text(item.contribution_amount)}), "
        f"so {item.for_year}'s line 14 and this year's line 2 (basis) include it."
        if into_traditional else
        f"It is a Roth IRA contribution for {item.for_year}: no deduction and not on Form 8606 Part I; it is Roth "
        "IRA contribution basis (Form 8606 line 22) when a Roth IRA distribution comes.")
    ctx.find(EARLIER_RETURN, (
        f"Code R: {who}'s {money_text(item.contribution_amount)} contribution to a {first} for {item.for_year} was "
        f"recharacterized as a contribution to a {second}, moving {money_text(item.amount_moved)}. {consequence} "
        f"Attach to the {item.for_year} return a statement: " + statement_text(item)
        + f" If the {item.for_year} return was filed without it, amend it (Form 1040-X with Form 8606 and the "
        "statement)."), box="box_7")
    basis = person.facts.basis if person else None
    if into_traditional and basis is not None and basis < item.contribution_amount:
        ctx.find(BASIS_SHORT, (
            f"{who}'s basis at the end of {year - 1} is given as {money_text(basis)}, less than the "
            f"{money_text(item.contribution_amount)} recharacterized into a traditional IRA for {item.for_year}: "
            f"unless it was deducted, {year - 1}'s Form 8606 line 14, and so this year's line 2, include it. Check "
            f"{ctx.owner}.ira.basis."), box=f"{ctx.owner}.ira.basis")


def statement_text(item: Recharacterization) -> str:
    """The statement i8606 asks for: the contribution, the recharacterization, the amount transferred."""
    first, second = ("Roth IRA", "traditional IRA") if item.contributed_to == "roth_ira" else (
        "traditional IRA", "Roth IRA")
    made = f" on {item.contribution_date.isoformat()}" if item.contribution_date else " on [date]"
    moved = f" on {item.recharacterized_on.isoformat()}" if item.recharacterized_on else " on [date]"
    return (f"A contribution of {money_text(item.contribution_amount)} to a {first} for {item.for_year}, made{made}, "
            f"was recharacterized{moved} as a contribution to a {second} by a trustee-to-trustee transfer of "
            f"{money_text(item.amount_moved)} (the contribution with its earnings or less its loss).")
