"""A traditional, SEP or SIMPLE IRA's distribution: rolled over, converted to a Roth IRA, or kept."""

from __future__ import annotations

from megaroth.checks.registry import check
from megaroth.model.form1099r import (
    NON_ROTH_DESTINATIONS,
    Destination,
)
from megaroth.model.results import FormResult, Part, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.rules.context import (
    GROSS_IRA,
    TREATMENT_TITLES,
    FormContext,
    gross_step,
    not_computed,
    treatment_kind,
)
from megaroth.rules.disposition import Entry
from megaroth.rules.markers import CLOCK_ROTH_IRA, clock, marker_step
from megaroth.rules.registry import define

IRA_TAXABLE = define(
    "taxable.ira",
    "An IRA distribution rolled over to a traditional IRA or a plan is not taxable (Exception 1); converted "
    "or kept with no basis in any traditional IRA, it is taxable in full.",
    ["i1040.ira.exception-1", "i1040.ira.exception-2", "i1040.ira.fully-taxable"],
)


IRA_OUTSIDE_PLAN_RULES = check(
    "ira.outside_plan_rules", Severity.info,
    "An IRA distribution: reported on lines 4a/4b; the plan rules (after-tax basis in box 5, Notice 2014-54) "
    "do not apply to it.",
    ["i1099r.box-7.ira-checkbox", "i1040.ira.exception-1", "i1040.ira.exception-2"],
)


IRA_NEEDS_8606 = check(
    "ira.form_8606_needed", Severity.warning,
    "An IRA conversion or distribution with basis in traditional IRAs: Form 8606 figures the taxable part.",
    ["i1040.ira.exception-2"],
)


# ---------------------------------------------------------------------------------- IRA
def treat_ira(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    lines = ctx.params.f1040.lines
    ctx.find(IRA_OUTSIDE_PLAN_RULES, (
        f"This form reports an IRA distribution (box 7 {'IRA/SEP/SIMPLE box checked' if form.box_7_ira_sep_simple else 'Roth IRA code'}): "
        f"it goes on lines {lines.ira_gross.line}/{lines.ira_taxable.line}, not with the plan's after-tax money; "
        "megaroth computes IRA rollovers, and conversions or distributions only with no basis in traditional IRAs."),
        box="box_7")
    gross_step(ctx, GROSS_IRA)
    taxed = [e for e in entries if e.to is Destination.kept or e.to is Destination.roth_ira]
    if taxed:
        prior = ctx.case.traditional_ira_basis
        if prior is None or prior > ZERO or ctx.ira_basis_added_in_case > ZERO:
            why = ("the case does not give your traditional IRA basis (traditional_ira_basis)" if prior is None
                   else "you have basis in traditional IRAs")
            ctx.find(IRA_NEEDS_8606, (
                "Part of this IRA distribution was converted or kept, and " + why + ": Form 8606 figures the "
                "taxable part pro rata across all your traditional IRAs. Enter traditional_ira_basis: 0 if you "
                "never made nondeductible contributions or rolled after-tax money into a traditional IRA."),
                box="box_2a")
            return not_computed(ctx, "ira", (
                "The taxable part of an IRA conversion or distribution with (possible) basis in traditional IRAs "
                "comes from Form 8606, which megaroth does not compute."))
    parts = []
    code_1 = "1" in form.codes
    clocks = []
    statements = []
    tax_year = ctx.params.tax_year
    for entry in entries:
        taxable = entry.amount if entry in taxed else ZERO
        parts.append(Part(destination=entry.to, amount=entry.amount, within_60_days=entry.within_60_days,
                          basis=ZERO, pretax=entry.amount, taxable=taxable,
                          subject_to_additional_tax=taxable if entry.to is Destination.kept and code_1 else ZERO))
        if entry.to is Destination.roth_ira:
            clocks.append(clock(ctx, "roth_ira_recapture", entry.amount,
                                 "Conversion to a Roth IRA: the converted amount withdrawn before the period ends "
                                 "(and before 59½) owes the 10% additional tax.", list(CLOCK_ROTH_IRA.cites)))
        if entry.to is Destination.employer_plan or (entry.date and entry.date.year > tax_year and entry.to.is_rollover):
            when = f" on {entry.date.isoformat()}" if entry.date else ""
            into = "into a qualified employer plan" if entry.to is Destination.employer_plan else (
                f"into a {entry.to.value.replace('_', ' ')}")
            statements.append(
                f"{money_text(entry.amount)} of the {money_text(gross)} IRA distribution from "
                f"{form.payer_name or 'the payer'} (Form 1099-R {form.id!r}) was rolled over {into}{when}.")
    taxable = total(p.taxable for p in parts)
    ctx.steps.append(IRA_TAXABLE.step(
        "taxable", f"Rolled over (not taxable): {money_text(gross - taxable)}; converted or kept (taxable, no "
        f"IRA basis): {money_text(taxable)}.", result=taxable, inputs={"box_1": gross}))
    conversion = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    additional = total(p.subject_to_additional_tax for p in parts)
    marked = any(p.destination in NON_ROTH_DESTINATIONS for p in parts)
    if form.rollover_marker is not None and marked:
        marked = form.rollover_marker
    marker_step(ctx, marked, ira=True)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="ira",
        treatment=(t := treatment_kind("ira", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=ZERO, pretax=gross, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="ira_gross", rollover_marker=marked,
        # Exception 2: a conversion puts box 1 on line 4a even when all of it is taxable.
        fully_taxable=taxable == gross and not marked and not conversion, parts=parts,
        roth_ira_basis_line_24=conversion,
        ira_conversion_taxable=conversion if conversion else None,
        additional_tax_base=additional, clocks=clocks, statements=statements, steps=ctx.steps,
    )
