"""One Form 1099-R → its treatment, its share of the Form 1040 lines, and the trace: the dispatch
to the account's own rules (plan money, designated Roth, traditional IRA, Roth IRA)."""

from __future__ import annotations

from megaroth.model.results import FormResult
from megaroth.money import money_text
from megaroth.rules.accounts import account_of, unsupported_code_reason
from megaroth.rules.context import FormContext, not_computed
from megaroth.rules.corrective import is_corrective, treat_corrective
from megaroth.rules.designated_roth import treat_designated_roth
from megaroth.rules.disposition import resolve
from megaroth.rules.ira import treat_ira
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
    if account == "plan":
        return treat_plan(ctx, entries)
    if account == "designated_roth":
        return treat_designated_roth(ctx, entries)
    if account == "roth_ira":
        return treat_roth_ira(ctx, entries)
    return treat_ira(ctx, entries)
