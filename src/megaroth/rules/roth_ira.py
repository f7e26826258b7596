"""A Roth IRA's distribution (codes J, T, Q): rolled over to another Roth IRA, or kept.

Box 1 goes on line 4a. What is taxable depends on the owner's whole Roth IRA history, not on
the form: a qualified distribution is not taxable at all; a nonqualified one comes first out of
regular contributions, then out of conversions and plan rollovers first in, first out, and is
taxable only beyond them (Form 8606 Part III). So this module splits the form by destination
and says whether the form itself shows a qualified distribution; `roth_basis` and `form8606`
do the rest for the owner.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.model.form1099r import Destination
from megaroth.model.results import FormResult, Part
from megaroth.money import ZERO, money_text, total
from megaroth.rules.context import GROSS_IRA, TREATMENT_TITLES, FormContext, gross_step, treatment_kind
from megaroth.rules.disposition import Entry
from megaroth.rules.markers import marker_step
from megaroth.rules.registry import define

ROTH_SPLIT = define(
    "roth_ira.distribution",
    "A Roth IRA distribution goes on line 4a; one rolled over to a Roth IRA within 60 days is disregarded; "
    "code Q is a qualified distribution (not taxable); otherwise the taxable part comes from Form 8606 Part III.",
    ["i1040.ira.exception-2", "i8606.line-19", "reg-1.408A-6.q9-aggregation"],
)


def treat_roth_ira(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross_step(ctx, GROSS_IRA)
    parts = [Part(destination=e.to, amount=e.amount, within_60_days=e.within_60_days, basis=ZERO, pretax=ZERO,
                  taxable=ZERO) for e in entries]
    rolled = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    kept = total(p.amount for p in parts if p.destination is Destination.kept)
    qualified = "Q" in form.codes
    ctx.steps.append(ROTH_SPLIT.step(
        "roth_split", f"Rolled over to a Roth IRA within 60 days (disregarded): {money_text(rolled)}; kept: "
        f"{money_text(kept)}" + (" — code Q, a qualified distribution: not taxable." if qualified else
                                 "; its taxable part, if any, is figured on Form 8606 Part III."),
        inputs={"box_1": form.box_1}))
    marked = bool(rolled) if form.rollover_marker is None else form.rollover_marker and bool(rolled)
    marker_step(ctx, marked, ira=True)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="roth_ira",
        treatment=(t := treatment_kind("roth_ira", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=form.box_1, basis=None, pretax=None, taxable=ZERO, withholding=form.box_4 or ZERO,
        gross_line="ira_gross", rollover_marker=marked, parts=parts, steps=ctx.steps,
    )


def roth_amount_kept(result: FormResult) -> tuple[str, Decimal]:
    """The kept amount of a computed Roth IRA form and its code letter (J, T or Q)."""
    kept = total(p.amount for p in result.parts if p.destination is Destination.kept)
    code = next((c for c in ("Q", "T", "J") if c in result.box_7), "J")
    return code, kept
