"""A traditional, SEP or SIMPLE IRA's distribution: rolled over, converted to a Roth IRA, or kept.

What is rolled over is not taxable (i1040 lines 4a/4b, Exception 1). What is converted or kept
is taxable except for its share of the owner's basis, which only the owner's Form 8606 Part I
can figure: it takes all of that person's IRA distributions and conversions of the year
together (pro rata). So this module only splits the form by destination; `form8606` then
gives each form its share of the nontaxable amount (`apply_form_8606`).
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.form1099r import DESTINATION_IN_TEXT, NON_ROTH_DESTINATIONS, Destination
from megaroth.model.results import FormResult, Part, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.rules.context import GROSS_IRA, TREATMENT_TITLES, FormContext, gross_step, treatment_kind
from megaroth.rules.disposition import Entry
from megaroth.rules.markers import marker_step
from megaroth.rules.registry import define

IRA_TAXABLE = define(
    "taxable.ira",
    "An IRA distribution rolled over to a traditional IRA or a plan is not taxable (Exception 1); converted "
    "or kept, it is taxable but for its share of the owner's basis in traditional IRAs, which Form 8606 "
    "figures pro rata; with no basis, it is taxable in full.",
    ["i1040.ira.exception-1", "i1040.ira.exception-2", "i1040.ira.fully-taxable", "i8606.no-basis-tip"],
)
RECHARACTERIZED = define(
    "ira.recharacterization",
    "A contribution recharacterized in the same year (code N) is not a distribution: the amount transferred "
    "goes on line 4a, nothing on line 4b, and a statement explains the recharacterization.",
    ["i8606.recharacterizations", "i1040.rechar-statement"],
)

IRA_OUTSIDE_PLAN_RULES = check(
    "ira.outside_plan_rules", Severity.info,
    "An IRA distribution: reported on lines 4a/4b; the plan rules (after-tax basis in box 5, Notice 2014-54) "
    "do not apply to it.",
    ["i1099r.box-7.ira-checkbox", "i1040.ira.exception-1", "i1040.ira.exception-2"],
)


def treat_ira(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    lines = ctx.params.f1040.lines
    ctx.find(IRA_OUTSIDE_PLAN_RULES, (
        f"This form reports a traditional, SEP or SIMPLE IRA distribution: it goes on lines "
        f"{lines.ira_gross.line}/{lines.ira_taxable.line}, not with the plan's after-tax money; its taxable part "
        "comes from its owner's basis in traditional IRAs (Form 8606 Part I), if any."), box="box_7")
    gross_step(ctx, GROSS_IRA)
    if "N" in form.codes:
        return _recharacterized(ctx)
    parts = []
    statements = []
    tax_year = ctx.params.tax_year
    for entry in entries:
        # Until Form 8606 says otherwise, what is converted or kept is all taxable (no basis).
        taxable = ZERO if entry.to in NON_ROTH_DESTINATIONS else entry.amount
        parts.append(Part(destination=entry.to, amount=entry.amount, within_60_days=entry.within_60_days,
                          basis=ZERO, pretax=entry.amount, taxable=taxable))
        if entry.to is Destination.employer_plan or (entry.date and entry.date.year > tax_year and entry.to.is_rollover):
            when = f" on {entry.date.isoformat()}" if entry.date else ""
            into = "into a qualified employer plan" if entry.to is Destination.employer_plan else (
                f"into {DESTINATION_IN_TEXT[entry.to]}")
            statements.append(
                f"{money_text(entry.amount)} of the {money_text(gross)} IRA distribution from "
                f"{form.payer_name or 'the payer'} (Form 1099-R {form.id!r}) was rolled over {into}{when}.")
    rolled = total(p.amount for p in parts if p.destination in NON_ROTH_DESTINATIONS)
    converted = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    kept = total(p.amount for p in parts if p.destination is Destination.kept)
    ctx.steps.append(IRA_TAXABLE.step(
        "ira_split", f"Rolled over (not taxable): {money_text(rolled)}; converted to a Roth IRA: "
        f"{money_text(converted)}; kept: {money_text(kept)}. The converted and kept amounts are taxable but for "
        "their share of basis (Form 8606).", inputs={"box_1": gross}))
    marked = any(p.destination in NON_ROTH_DESTINATIONS for p in parts)
    if form.rollover_marker is not None and marked:
        marked = form.rollover_marker
    marker_step(ctx, marked, ira=True)
    taxable = converted + kept
    # Deposited in a traditional IRA after December 31: in no IRA's year-end value, yet still IRA money
    # (i8606 line 6: "plus any outstanding rollovers"; a rollover into an employer plan is not one).
    outstanding = total(e.amount for e in entries if e.to is Destination.traditional_ira and e.within_60_days
                        and e.date is not None and e.date.year > tax_year)
    return FormResult(
        outstanding_rollover=outstanding,
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="ira",
        treatment=(t := treatment_kind("ira", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=ZERO, pretax=gross, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="ira_gross", rollover_marker=marked,
        # Exception 2: a conversion puts box 1 on line 4a even when all of it is taxable.
        fully_taxable=taxable == gross and not marked and not converted, parts=parts,
        roth_ira_basis_line_24=converted, ira_conversion_taxable=converted if converted else None,
        statements=statements, steps=ctx.steps,
    )


def _recharacterized(ctx: FormContext) -> FormResult:
    form = ctx.form
    ctx.steps.append(RECHARACTERIZED.step(
        "taxable", f"Code N: a recharacterized contribution, moved between IRAs ({money_text(form.box_1)} with its "
        "earnings). Not a distribution: box 1 on line 4a, nothing taxable.", result=ZERO, inputs={"box_1": form.box_1}))
    marker_step(ctx, False, ira=True)
    statement = (f"Recharacterization: {money_text(form.box_1)} (the contribution with its earnings) was moved from "
                 f"one IRA to another, reported by {form.payer_name or 'the payer'} on Form 1099-R {form.id!r} with "
                 "code N. State the contribution's date and amount, and the date of the recharacterization.")
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="ira",
        treatment="ira_recharacterization", treatment_title=TREATMENT_TITLES["ira_recharacterization"],
        gross=form.box_1, basis=ZERO, pretax=ZERO, taxable=ZERO, withholding=form.box_4 or ZERO,
        gross_line="ira_gross", parts=[Part(destination=Destination.kept, amount=form.box_1, basis=form.box_1,
                                            pretax=ZERO, taxable=ZERO)],
        statements=[statement], steps=ctx.steps,
    )


def ira_amounts(result: FormResult) -> tuple[Decimal, Decimal]:
    """(converted to a Roth IRA, kept) of a computed traditional IRA form: its Form 8606 lines 8 and 7."""
    if result.account != "ira" or result.status != "computed" or result.treatment == "ira_recharacterization":
        return ZERO, ZERO
    converted = total(p.amount for p in result.parts if p.destination is Destination.roth_ira)
    kept = total(p.amount for p in result.parts if p.destination is Destination.kept)
    return converted, kept
