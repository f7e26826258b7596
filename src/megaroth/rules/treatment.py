"""One Form 1099-R → its treatment, its share of the Form 1040 lines, and the trace: the dispatch
to the account's own rules (plan money, designated Roth, traditional IRA, Roth IRA)."""

from __future__ import annotations

from megaroth.model.results import FormResult
from megaroth.money import money_text
from megaroth.rules.accounts import account_of, unsupported_code_reason
from megaroth.rules.context import FormContext, not_computed
from megaroth.rules.designated_roth import treat_designated_roth
from megaroth.rules.disposition import resolve
from megaroth.rules.ira import treat_ira
from megaroth.rules.roth_ira import treat_roth_ira
from megaroth.rules.plan_money import treat_plan, treat_plan_unknown_destination


def treat_form(ctx: FormContext) -> FormResult:
    """Classify one form and compute what it puts on the return."""
    form = ctx.form
    account = account_of(form)
    if form.void:
        return not_computed(ctx, account, "The form is marked VOID; remove it from the case.", void=True)
    reason = unsupported_code_reason(form, account)
    if reason:
        return not_computed(ctx, account, reason)
    if form.box_6:
        return not_computed(ctx, account, (
            f"Box 6 shows {money_text(form.box_6)} of net unrealized appreciation in employer securities; "
            "megaroth does not compute NUA."))
    resolved = resolve(form, account, ctx.params, ctx.source, ctx.findings)
    if resolved.problem:
        return not_computed(ctx, account, f"Not computed: {resolved.problem}.")
    if account == "plan":
        if resolved.entries is None:
            return treat_plan_unknown_destination(ctx)
        return treat_plan(ctx, resolved.entries)
    if resolved.entries is None:  # defaults always resolve for these accounts
        return not_computed(ctx, account, "Not computed: the destination is unknown.")
    if account == "designated_roth":
        return treat_designated_roth(ctx, resolved.entries)
    if account == "roth_ira":
        return treat_roth_ira(ctx, resolved.entries)
    return treat_ira(ctx, resolved.entries)
