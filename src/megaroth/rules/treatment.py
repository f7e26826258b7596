"""One Form 1099-R → its treatment, its share of the Form 1040 lines, and the trace: the dispatch
to the account's own rules (plan money, designated Roth, traditional IRA, Roth IRA)."""

from __future__ import annotations

from megaroth.model.form1099r import Destination
from megaroth.model.results import ExcessDeposit, FormResult
from megaroth.money import money_text
from megaroth.rules.accounts import account_of, unsupported_code_reason
from megaroth.rules.context import FormContext, not_computed
from megaroth.rules.corrective import is_corrective, new_box_2026, treat_corrective
from megaroth.rules.designated_roth import treat_designated_roth
from megaroth.rules.disposition import Entry, resolve
from megaroth.rules.excess_advice import CONTRIBUTION_BOX
from megaroth.rules.ira import treat_ira
from megaroth.rules.one_rollover import apply_one_rollover
from megaroth.rules.relief import relief_signs, rmd_repayment_relief
from megaroth.rules.rmd import apply_rmd
from megaroth.rules.roth_ira import treat_roth_ira
from megaroth.rules.plan_money import treat_plan, treat_plan_unknown_destination
from megaroth.rules.recharacterization import treat_recharacterization_prior


def treat_form(ctx: FormContext) -> FormResult:
    """Classify one form and compute what it puts on the return."""
    form = ctx.form
    account = account_of(form)
    if form.void:
        return not_computed(ctx, account, "The form is marked VOID; remove it from the case.", void=True)
    refused = new_box_2026(ctx, account)
    if refused is not None:
        return refused
    if is_corrective(form.codes):
        return treat_corrective(ctx, account)
    if form.codes == ("R",) and account == "ira":
        return treat_recharacterization_prior(ctx)
    reason = unsupported_code_reason(form, account)
    if reason:
        return not_computed(ctx, account, reason)
    if form.box_6:
        return not_computed(ctx, account, (
            f"Box 6 shows {money_text(form.box_6)} of net unrealized appreciation in employer securities; "
            "megaroth does not compute NUA."))
    resolved = resolve(form, account, ctx.params, ctx.source, ctx.findings, rmd_repayment_relief(ctx, account))
    if resolved.problem:
        return not_computed(ctx, account, f"Not computed: {resolved.problem}.")
    if resolved.entries is None:
        if account == "plan":
            return treat_plan_unknown_destination(ctx)
        return not_computed(ctx, account, "Not computed: the destination is unknown.")  # defaults always resolve
    entries, problem = apply_rmd(ctx, account, resolved.entries)
    if problem:
        return not_computed(ctx, account, f"Not computed: {problem}.")
    relief_signs(ctx, account, entries)
    entries = apply_one_rollover(ctx, account, entries)
    if account == "plan":
        result = treat_plan(ctx, entries)
    elif account == "designated_roth":
        result = treat_designated_roth(ctx, entries)
    elif account == "roth_ira":
        result = treat_roth_ira(ctx, entries)
    else:
        result = treat_ira(ctx, entries)
    excess = excess_deposits(form.id, entries)
    return result.model_copy(update={"excess_deposits": excess}) if excess else result


def excess_deposits(form_id: str, entries: list[Entry]) -> list[ExcessDeposit]:
    """What the form's ineligible amounts put into IRAs all the same: a contribution there (Form 5498 box 1 or
    10), an excess beyond the year's limit."""
    out = []
    for entry in entries:
        if entry.ineligible_to not in (Destination.traditional_ira, Destination.roth_ira):
            continue
        kind = "roth_ira" if entry.ineligible_to is Destination.roth_ira else "traditional_ira"
        out.append(ExcessDeposit(form_id=form_id, kind=kind, amount=entry.amount,
                                 reason="second_rollover" if entry.second_rollover else "rmd",
                                 box=CONTRIBUTION_BOX[kind]))
    return out
