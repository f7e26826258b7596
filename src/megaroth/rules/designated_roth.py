"""A designated Roth account's distribution (codes B and H): only its earnings can be taxable, and
none of it when rolled to a Roth IRA or another designated Roth account."""

from __future__ import annotations

from megaroth.checks.registry import check
from megaroth.model.form1099r import (
    ROTH_DESTINATIONS,
    Destination,
)
from megaroth.model.results import FormResult, Part, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.rules.allocation import AllocationError, allocate
from megaroth.rules.context import (
    ADDITIONAL_TAX_BASE,
    BASIS_IMPLIED_NOTE,
    GROSS_PENSION,
    ROTH_IRA_BASIS,
    TREATMENT_TITLES,
    FormContext,
    gross_step,
    not_computed,
    treatment_kind,
)
from megaroth.rules.disposition import Entry
from megaroth.rules.markers import marker_step, rollover_marker
from megaroth.rules.registry import define

DRAC_TAXABLE = define(
    "taxable.designated_roth",
    "A designated Roth distribution is taxable only in its earnings (box 2a) when not qualified; "
    "rolled over to a Roth IRA or another designated Roth account, nothing is taxable, and a partial "
    "rollover takes the taxable part first.",
    ["i1099r.drac-to-roth-ira", "i1099r.drac-to-drac", "irc-402A.c3-drac-rollovers", "irc-402.c2-ordering"],
)


H_TAXABLE = check(
    "form.code_h_taxable", Severity.warning,
    "Code H with box 2a > 0: a direct rollover from a designated Roth account to a Roth IRA reports 0 in box 2a.",
    ["i1099r.drac-to-roth-ira", "i1099r.box-2a-zero"],
)


DRAC_INCONSISTENT = check(
    "form.designated_roth_inconsistent", Severity.warning,
    "A designated Roth distribution with box 5 more than box 1 and box 2a > 0: the boxes contradict each other.",
    ["i1099r.box-5", "i1099r.box-2a"],
)


# ---------------------------------------------------------------------------------- designated Roth
def treat_designated_roth(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    gross_step(ctx, GROSS_PENSION)
    all_rolled = all(e.to in ROTH_DESTINATIONS for e in entries)
    if form.box_5 is not None and form.box_5 > gross and (form.box_2a or ZERO) > ZERO:
        ctx.find(DRAC_INCONSISTENT, (
            f"Box 5 ({money_text(form.box_5)}) is more than box 1 ({money_text(gross)}), yet box 2a shows "
            f"{money_text(form.box_2a)} taxable: a distribution smaller than its basis has no taxable earnings. "
            "Ask the plan for a corrected 1099-R."), box="box_5")
    if "H" in form.codes and (form.box_2a or ZERO) > ZERO:
        ctx.find(H_TAXABLE, (
            f"Code H reports a direct rollover of designated Roth money to a Roth IRA, which is not taxable, "
            f"but box 2a shows {money_text(form.box_2a)}. megaroth puts 0 on the taxable line; ask the plan for "
            "a corrected 1099-R."), box="box_2a")
    if all_rolled:
        earnings = ZERO if form.taxable_not_determined else min(form.box_2a, gross)
    elif not form.taxable_not_determined:
        earnings = min(form.box_2a, gross)
    elif form.after_tax_basis is not None:
        earnings = gross - min(form.after_tax_basis, gross)
        ctx.find(BASIS_IMPLIED_NOTE, (
            "Box 2a was not determined; megaroth takes box 1 less the designated Roth basis you gave as the "
            "taxable earnings, which assumes the distribution is not qualified (a qualified distribution is "
            "not taxable at all)."), box="box_2a")
    else:
        return not_computed(ctx, "designated_roth", (
            "A designated Roth distribution paid to you with box 2a not determined: whether it is taxable depends "
            "on whether it is a qualified distribution, which megaroth cannot tell. Give after_tax_basis (your "
            "designated Roth contributions in it) if it is not qualified."))
    basis = form.box_5 if form.box_5 is not None else gross - earnings
    try:
        allocated = allocate(earnings, entries, ctx.steps)
    except AllocationError as exc:
        return not_computed(ctx, "designated_roth", f"Not computed: {exc}.")
    parts = []
    code_1 = "1" in form.codes
    for item in allocated:
        kept = item.entry.to is Destination.kept
        parts.append(Part(destination=item.entry.to, amount=item.entry.amount,
                          within_60_days=item.entry.within_60_days, basis=item.basis, pretax=item.pretax,
                          taxable=item.pretax if kept else ZERO,
                          subject_to_additional_tax=item.pretax if kept and code_1 else ZERO))
    taxable = total(p.taxable for p in parts)
    ctx.steps.append(DRAC_TAXABLE.step(
        "taxable", f"Earnings {money_text(earnings)}; rolled over to Roth accounts "
        f"{money_text(total(p.amount for p in parts if p.destination in ROTH_DESTINATIONS))}; taxable "
        f"{money_text(taxable)}.", result=taxable, inputs={"box_1": gross, "box_2a": form.box_2a}))
    box_10 = form.box_10 or ZERO
    line_22 = total(
        min(p.basis, basis) for p in parts if p.destination is Destination.roth_ira)
    if line_22:
        ctx.steps.append(ROTH_IRA_BASIS.step(
            "roth_ira_basis_line_22", f"{money_text(line_22)} of designated Roth basis rolled into a Roth IRA: "
            "treated as regular Roth IRA contributions (Form 8606 line 22 in a later year). If the designated "
            "Roth distribution was qualified, the whole amount rolled over counts.", result=line_22))
    additional = total(p.subject_to_additional_tax for p in parts) + box_10
    if additional:
        ctx.steps.append(ADDITIONAL_TAX_BASE.step(
            "additional_tax_base", f"Subject to the 10% additional tax unless an exception applies: "
            f"{money_text(additional)} (taxable part kept under code 1, plus box 10, the amount allocable to "
            "an in-plan Roth rollover within its 5 years).", result=additional))
    marked, policy = rollover_marker(ctx, entries)
    marker_step(ctx, marked, ira=False)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="designated_roth",
        treatment=(t := treatment_kind("designated_roth", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=basis, pretax=earnings, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="pension_gross", rollover_marker=marked, marker_policy=policy,
        fully_taxable=taxable == gross and not marked, parts=parts,
        roth_ira_basis_line_22=line_22, additional_tax_base=additional, box_10_amount=box_10,
        steps=ctx.steps,
    )
