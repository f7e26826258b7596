"""The non-Roth account of a 401(k)/403(b)/governmental 457(b) plan: after-tax basis, the pretax
split, where each part went, and what box 2a should have said.

The line 5b rule (i1040 "Rollovers" under lines 5a and 5b): box 1, less the after-tax
contributions (box 5), less the amount rolled over. The same paragraph and the 1099-R
recipient instructions for box 2a say a rollover to a Roth IRA or to the designated Roth
account of the same plan is not tax free: only pretax money rolled to a NON-Roth destination
comes off. So, for the plan's non-Roth account:

    taxable = box 1 − after-tax basis − pretax money rolled to a traditional IRA or plan

which is box 2a for a correctly reported IRR or Roth IRA rollover (the earnings), and 0 for a
correctly reported split rollover under Notice 2014-54.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.form1099r import (
    DESTINATION_TITLES,
    NON_ROTH_DESTINATIONS,
    ROTH_DESTINATIONS,
    Destination,
    Form1099R,
)
from megaroth.model.results import Clock, EntryPart, FormResult, Part, Severity
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
from megaroth.rules.disposition import Entry, goes_to_non_roth, goes_to_roth
from megaroth.rules.markers import (
    CLOCK_IRR,
    CLOCK_ROTH_IRA,
    clock,
    marker_step,
    rollover_marker,
)
from megaroth.rules.registry import define

BASIS_BOX_5 = define(
    "basis.box_5",
    "The after-tax basis recovered is box 5.",
    ["i1099r.box-5", "i1040.rollovers"],
)


BASIS_FACT = define(
    "basis.plan_records",
    "The after-tax basis recovered, from the plan's records, when box 5 is blank or wrong (the "
    "instructions subtract the contributions \"usually shown in box 5\").",
    ["i1040.rollovers", "i1099r.box-5"],
)


BASIS_IMPLIED = define(
    "basis.implied_by_box_2a",
    "With box 5 blank and box 2a determined, the payer's taxable amount is accepted and the rest of "
    "box 1 is basis.",
    ["i1040.pensions.partially-taxable", "i1099r.box-2a"],
)


TAXABLE_AS_PRINTED = define(
    "taxable.box_2a_reported",
    "A distribution kept (not rolled over) whose box 2a disagrees with box 1 − box 5: the taxable amount the "
    "1099-R shows may be reported, as the Form 1040 instructions for partially taxable pensions allow.",
    ["i1040.pensions.partially-taxable", "i1099r.box-2a"],
)
BASIS_NONE = define(
    "basis.none_reported",
    "A direct rollover to a non-Roth account with box 5 blank reports no after-tax money.",
    ["i1099r.box-5", "i1099r.box-2a-zero"],
)


PRETAX = define(
    "split.pretax",
    "Everything in the distribution that is not after-tax basis is pretax money, including the earnings "
    "on after-tax contributions.",
    ["irs-after-tax.earnings-pretax", "irc-72.e8-separate-contract"],
)


TAXABLE_PLAN = define(
    "taxable.plan",
    "Taxable amount = box 1 − after-tax basis − pretax money rolled over to a non-Roth destination; "
    "pretax money rolled into a Roth IRA or the plan's designated Roth account stays taxable.",
    ["i1040.rollovers", "i1040.rollovers.roth", "f1099r.box-2a.roth", "irc-408A.d3-rollover-income",
     "irc-402A.c4-irr", "irs-irr.taxable-amount"],
)


TAXABLE_REPORTED = define(
    "taxable.as_reported",
    "Where the destination of a direct rollover is not given, the taxable amount is box 2a as the "
    "payer, who made the rollover, reported it.",
    ["f1099r.box-2a.roth", "i1099r.direct-rollovers", "i1040.pensions.partially-taxable"],
)


TAXABLE_NON_ROTH_ONLY = define(
    "taxable.non_roth_rollover",
    "A distribution rolled over entirely to non-Roth destinations is not taxable, whatever its basis.",
    ["i1040.rollovers", "i1099r.box-2a-zero"],
)


IRA_BASIS = define(
    "basis.traditional_ira",
    "After-tax money rolled into a traditional IRA becomes basis in your traditional IRAs, carried on "
    "line 2 of the next Form 8606 you file.",
    ["i8606.rollover-basis"],
)


# ---------------------------------------------------------------------------------- findings
BOX_2A_UNEXPECTED = check(
    "form.box_2a_unexpected", Severity.warning,
    "Box 2a differs from what the boxes and the disposition imply; the 1099-R is probably wrong.",
    ["f1099r.box-2a.roth", "i1099r.box-2a-zero", "i1040.rollovers"],
)


ROTH_ZERO = check(
    "form.roth_rollover_reported_untaxed", Severity.warning,
    "A code G rollover into a Roth with box 2a = 0 although pretax money (earnings) went in.",
    ["f1099r.box-2a.roth", "i1099r.roth-ira-rollover", "i1099r.irr"],
)


NON_ROTH_TAXED = check(
    "form.non_roth_rollover_reported_taxable", Severity.warning,
    "A direct rollover to a traditional IRA or plan with box 2a > 0: box 2a should be 0.",
    ["i1099r.box-2a-zero"],
)


SPLIT_REPORTED_TAXABLE = check(
    "form.split_rollover_taxable", Severity.warning,
    "One code G form for a split rollover reports a taxable amount that Notice 2014-54's allocation "
    "does not produce.",
    ["notice-2014-54.pretax-first", "notice-2014-54.allocation-election"],
)


TWO_DESTINATIONS = check(
    "form.one_form_two_destinations", Severity.warning,
    "One code G form covers a Roth and a non-Roth destination: tax software that takes it as one "
    "rollover double counts or misses the taxable part; enter it split.",
    ["notice-2014-54.single-distribution", "i1040.rollovers"],
)


BOX_2A_REPORTED = check(
    "form.box_2a_differs_reported", Severity.warning,
    "A distribution kept whose box 2a disagrees with box 1 − box 5: megaroth reports box 2a, as the instructions "
    "allow, and says so.",
    ["i1040.pensions.partially-taxable", "i1099r.box-5"],
)
BASIS_DIFFERS = check(
    "basis.differs_from_box_5", Severity.warning,
    "The after-tax basis given in the case differs from box 5.",
    ["i1040.rollovers", "i1099r.box-5"],
)


BASIS_UNKNOWN = check(
    "basis.unknown", Severity.warning,
    "The after-tax basis is unknown; what depends on it (traditional IRA basis) cannot be tracked.",
    ["i8606.rollover-basis", "i1099r.box-2b-tnd"],
)


ROTH_EMPLOYER = check(
    "form.possible_roth_employer_contribution", Severity.info,
    "A code G form with box 2a = box 1 and no basis may report Roth employer contributions (SECURE 2.0 "
    "section 604), which are not rollovers.",
    ["i1099r.roth-employer-contributions"],
)


def _entry_split(form: Form1099R, parts: list[Part], kept_code: str | None = None) -> list[EntryPart]:
    """One 1099-R covering several destinations, split for entry: one part per destination,
    boxes 1, 4 and 5 summing to the form's and box 2a to the taxable amount.

    Args:
        kept_code: box 7 of a part paid to the participant out of a direct rollover form (a required
            minimum distribution the plan rolled over): code G says rollover, so that part gets the
            code of a distribution paid out.
    """
    groups: dict[Destination, list[Part]] = {}
    for part in parts:
        groups.setdefault(part.destination, []).append(part)
    withheld = form.box_4 or ZERO
    holder = Destination.kept if Destination.kept in groups else next(iter(groups))
    split = []
    for destination, members in groups.items():
        split.append(EntryPart(
            destination=destination,
            box_1=total(p.amount for p in members),
            box_2a=total(p.taxable for p in members),
            box_4=withheld if destination is holder else ZERO,
            box_5=total(p.basis for p in members),
            box_7=kept_code if kept_code and destination is Destination.kept and "G" in form.codes else form.box_7,
        ))
    return split


def _paid_out_code(ctx: FormContext) -> str:
    """Code 7 (normal distribution) when the owner is 59½ by the end of the year, else 1 (early)."""
    person = ctx.case.person(ctx.owner)
    if person is None or person.birth_date is None:
        return "1"
    reached = date_reaching_age(person.birth_date, ctx.params.statutory.early_distribution_age.required())
    return "7" if reached.year <= ctx.params.tax_year else "1"


# ---------------------------------------------------------------------------------- plan account
def _plan_basis(ctx: FormContext, entries: list[Entry]) -> Decimal | None | str:
    """The after-tax basis recovered: a Decimal, None when unknown but irrelevant to the lines,
    or a string saying why megaroth cannot go on."""
    form = ctx.form
    gross = form.box_1
    if form.after_tax_basis is not None:
        if form.box_5 is not None and form.box_5 != form.after_tax_basis:
            ctx.find(BASIS_DIFFERS, (
                f"The case gives an after-tax basis of {money_text(form.after_tax_basis)} but box 5 shows "
                f"{money_text(form.box_5)}; megaroth uses the case's figure. If box 5 is wrong, ask the plan "
                "for a corrected 1099-R: the IRS sees box 5."), box="after_tax_basis")
        ctx.steps.append(BASIS_FACT.step(
            "basis", f"After-tax basis recovered, from the plan's records: {money_text(form.after_tax_basis)}.",
            result=form.after_tax_basis, inputs={"after_tax_basis": form.after_tax_basis}))
        return form.after_tax_basis
    kept_only = all(e.to is Destination.kept for e in entries)
    if (form.box_5 is not None and kept_only and not form.taxable_not_determined and form.box_2a is not None
            and form.box_2a != gross - min(form.box_5, gross)):
        # i1040 "Partially taxable pensions": "If your Form 1099-R shows a taxable amount, you can report that
        # amount on line 5b." Reporting box 2a never overstates what the payer told the IRS; a rollover keeps
        # the recomputation (below), where plans' box 2a is so often wrong.
        reported = min(form.box_2a, gross)
        ctx.find(BOX_2A_REPORTED, (
            f"Box 2a shows {money_text(form.box_2a)} taxable, but box 1 − box 5 = {money_text(gross)} − "
            f"{money_text(form.box_5)} = {money_text(gross - min(form.box_5, gross))}: the boxes disagree. The 1040 "
            "instructions let you report the taxable amount the 1099-R shows, so megaroth reports box 2a. If box 5 "
            "is right (or box 2a wrong), ask the plan for a corrected 1099-R, or give after_tax_basis to use the "
            "plan's records."), box="box_2a")
        ctx.steps.append(TAXABLE_AS_PRINTED.step(
            "basis", f"Not rolled over: box 2a, {money_text(reported)}, is the taxable amount reported; the rest of "
            f"box 1, {money_text(gross - reported)}, is basis.", result=gross - reported,
            inputs={"box_1": gross, "box_2a": form.box_2a}))
        return gross - reported
    if form.box_5 is not None:
        ctx.steps.append(BASIS_BOX_5.step(
            "basis", f"Box 5, after-tax contributions recovered: {money_text(form.box_5)}.",
            result=form.box_5, inputs={"box_5": form.box_5}))
        return form.box_5
    roth_or_kept = any(e.to is Destination.kept or e.to in ROTH_DESTINATIONS for e in entries)
    non_roth = goes_to_non_roth(entries)
    direct_form = "G" in form.codes
    if not form.taxable_not_determined and form.box_2a is not None:
        if not direct_form or not non_roth:
            if form.box_2a == ZERO and gross:
                # Box 2a = 0 with box 5 blank on money kept or put into a Roth: either all of it is
                # after-tax (box 5 missing) or it is pretax and taxable (box 2a wrong). Never guess.
                if goes_to_roth(entries):
                    ctx.find(ROTH_ZERO, (
                        "Box 2a is 0 and box 5 is blank, yet the money went into a Roth account: if it was pretax "
                        "money (or earnings) it is taxable and box 2a is wrong; if it was after-tax money, box 5 "
                        "should show it. Give after_tax_basis from the plan's records."), box="box_2a")
                return ("box 2a is 0 and box 5 is blank, so the form does not say whether the money is after-tax "
                        "(not taxable) or pretax (taxable); give after_tax_basis from the plan's records")
            basis = gross - min(form.box_2a, gross)
            if basis:
                ctx.find(BASIS_IMPLIED_NOTE, (
                    f"Box 5 is blank; megaroth takes box 1 − box 2a = {money_text(basis)} as the after-tax basis "
                    "recovered. If the plan's records say otherwise, give after_tax_basis."), box="box_5")
            ctx.steps.append(BASIS_IMPLIED.step(
                "basis", f"Box 1 − box 2a = {money_text(gross)} − {money_text(form.box_2a)} = {money_text(basis)}.",
                result=basis, inputs={"box_1": gross, "box_2a": form.box_2a}))
            return basis
        if not roth_or_kept:
            ctx.steps.append(BASIS_NONE.step(
                "basis", "Box 5 is blank on a direct rollover to a non-Roth account: no after-tax money reported.",
                result=ZERO))
            return ZERO
        return ("box 5 is blank on a code G form that went to both Roth and non-Roth destinations, so the "
                "after-tax part cannot be told; give after_tax_basis from the plan's records")
    if not roth_or_kept:
        ctx.find(BASIS_UNKNOWN, (
            "The taxable amount was not determined and box 5 is blank. Everything went to non-Roth "
            "destinations, so nothing is taxable now; but if after-tax money went into a traditional IRA it "
            "is IRA basis: ask the plan for the after-tax amount and give it as after_tax_basis."),
            box="box_5")
        return None
    annuity = "" if direct_form else (
        " (if these are annuity payments, the taxable part comes from the General Rule or the Simplified Method, "
        "which megaroth does not compute)")
    return ("box 2a was not determined (box 2b checked or box 2a blank) and neither box 5 nor after_tax_basis "
            "gives the after-tax basis; megaroth will not guess it: give after_tax_basis from the plan's records"
            + annuity)


def treat_plan(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    gross_step(ctx, GROSS_PENSION)
    basis = _plan_basis(ctx, entries)
    if isinstance(basis, str):
        return not_computed(ctx, "plan", f"Taxable amount undeterminable: {basis}.")
    basis_known = basis is not None
    if basis is None:
        basis = ZERO
        ctx.steps.append(TAXABLE_NON_ROTH_ONLY.step(
            "taxable", "Everything was rolled over to non-Roth destinations: nothing is taxable.", result=ZERO))
    basis = min(basis, gross)
    pretax = gross - basis
    if basis_known:
        ctx.steps.append(PRETAX.step(
            "pretax", f"Pretax money (earnings and other pretax amounts) = box 1 − basis = "
            f"{money_text(gross)} − {money_text(basis)} = {money_text(pretax)}.",
            result=pretax, inputs={"box_1": gross, "basis": basis}))
    try:
        allocated = allocate(pretax, entries, ctx.steps)
    except AllocationError as exc:
        ctx.find(PRETAX_ALLOCATION, f"The pretax allocation cannot be honoured: {exc}.", box="disposition")
        return not_computed(ctx, "plan", f"Not computed: {exc}.")
    code_1 = "1" in form.codes
    parts: list[Part] = []
    clocks: list[Clock] = []
    for item in allocated:
        destination = item.entry.to
        taxable = ZERO if destination in NON_ROTH_DESTINATIONS else item.pretax
        subject = item.pretax if destination is Destination.kept and code_1 else ZERO
        parts.append(Part(destination=destination, amount=item.entry.amount,
                          within_60_days=item.entry.within_60_days, basis=item.basis, pretax=item.pretax,
                          taxable=taxable, subject_to_additional_tax=subject))
        if destination is Destination.designated_roth_same_plan and item.pretax:
            clocks.append(clock(ctx, "irr_recapture", item.pretax,
                                 "In-plan Roth rollover: its taxable amount taken out of the designated Roth "
                                 "account before the period ends (and before 59½) owes the 10% additional tax.",
                                 list(CLOCK_IRR.cites)))
        if destination is Destination.roth_ira and item.pretax:
            clocks.append(clock(ctx, "roth_ira_recapture", item.pretax,
                                 "Rollover to a Roth IRA: its taxable part withdrawn before the period ends (and "
                                 "before 59½) owes the 10% additional tax.", list(CLOCK_ROTH_IRA.cites)))
    taxable = total(p.taxable for p in parts)
    non_roth_pretax = total(p.pretax for p in parts if p.destination in NON_ROTH_DESTINATIONS)
    if basis_known:
        ctx.steps.append(TAXABLE_PLAN.step(
            "taxable", f"Taxable = box 1 − basis − pretax rolled to non-Roth = {money_text(gross)} − "
            f"{money_text(basis)} − {money_text(non_roth_pretax)} = {money_text(taxable)}.",
            result=taxable, inputs={"box_1": gross, "basis": basis, "pretax_rolled_non_roth": non_roth_pretax}))
    _compare_box_2a(ctx, parts, pretax, basis_known)
    if form.box_5 is None and form.after_tax_basis is None and "G" in form.codes and goes_to_roth(entries) \
            and form.box_2a == gross and gross:
        ctx.find(ROTH_EMPLOYER, (
            "Box 2a equals box 1 with no basis on a code G form: if this reports designated Roth employer "
            "contributions (SECURE 2.0 section 604) rather than a rollover, nothing was rolled over; set "
            "rollover_marker to false on this form."), box="box_7")
    additional = total(p.subject_to_additional_tax for p in parts)
    if additional:
        ctx.steps.append(ADDITIONAL_TAX_BASE.step(
            "additional_tax_base", f"Code 1 and {money_text(additional)} of taxable money kept: subject to the "
            "10% additional tax unless an exception applies.", result=additional))
    ira_basis = total(p.basis for p in parts if p.destination is Destination.traditional_ira)
    if ira_basis and basis_known:
        ctx.steps.append(IRA_BASIS.step(
            "ira_basis", f"{money_text(ira_basis)} of after-tax money went into a traditional IRA: it is basis "
            "there.", result=ira_basis))
    line_24 = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    if line_24:
        ctx.steps.append(ROTH_IRA_BASIS.step(
            "roth_ira_basis_line_24", f"{money_text(line_24)} rolled from the plan into a Roth IRA: basis in "
            "rollovers from qualified plans (Form 8606 line 24 in a later year's Part III).", result=line_24))
    marked, policy = rollover_marker(ctx, entries)
    marker_step(ctx, marked, ira=False)
    destinations = {p.destination for p in parts}
    split: list[EntryPart] = []
    if "G" in form.codes and len(destinations) > 1:
        split = _entry_split(form, parts, _paid_out_code(ctx))
        if destinations & ROTH_DESTINATIONS and destinations & NON_ROTH_DESTINATIONS:
            ctx.find(TWO_DESTINATIONS, (
                "This one code G form covers " + " and ".join(sorted(DESTINATION_TITLES[d] for d in destinations))
                + ". "
                "In tax software, enter it as the split shown in the worksheet (one form per destination, "
                "boxes summing to this form) so each part gets its own treatment."), box="disposition")
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="plan",
        treatment=(t := treatment_kind("plan", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=basis if basis_known else None, pretax=pretax if basis_known else None,
        taxable=taxable, withholding=form.box_4 or ZERO, gross_line="pension_gross",
        rollover_marker=marked, marker_policy=policy,
        fully_taxable=taxable == gross and not marked,
        parts=parts, entry_split=split,
        ira_basis_added=ira_basis if basis_known else ZERO,
        roth_ira_basis_line_24=line_24,
        additional_tax_base=additional,
        converted_taxable_code_1=total(p.taxable for p in parts if p.destination in ROTH_DESTINATIONS)
        if code_1 else ZERO,
        clocks=clocks, steps=ctx.steps,
    )


PRETAX_ALLOCATION = check(
    "disposition.pretax_allocation_impossible", Severity.error,
    "The pretax_amount values given cannot be honoured.",
    ["notice-2014-54.allocation-election"],
)


def _compare_box_2a(ctx: FormContext, parts: list[Part], pretax: Decimal, basis_known: bool) -> None:
    """What the payer should have put in box 2a, against what it did (the wrong-form patterns)."""
    form = ctx.form
    if not basis_known or form.taxable_not_determined or form.box_2a is None:
        return
    direct = "G" in form.codes
    # The payer knows only its own side: a direct rollover's destination, or that it paid you.
    expected = total(p.pretax for p in parts if p.destination not in NON_ROTH_DESTINATIONS or p.within_60_days) \
        if direct else pretax
    if form.box_2a == expected:
        return
    destinations = {p.destination for p in parts}
    roth = bool(destinations & ROTH_DESTINATIONS)
    non_roth = bool(destinations & NON_ROTH_DESTINATIONS)
    ours = total(p.taxable for p in parts)
    if direct and roth and not non_roth and form.box_2a == ZERO:
        what = "earnings" if form.box_5 else "pretax money"
        ctx.find(ROTH_ZERO, (
            f"Box 2a is 0, but {money_text(expected)} of {what} (box 1 − box 5) went into a Roth account, "
            f"and that is taxable. megaroth puts {money_text(ours)} on the taxable line. Ask the plan for a "
            "corrected 1099-R; until then, keep a note of why your return differs from box 2a."), box="box_2a")
    elif direct and non_roth and not roth and form.box_2a > ZERO:
        ctx.find(NON_ROTH_TAXED, (
            f"Box 2a shows {money_text(form.box_2a)} on a direct rollover to a non-Roth account, which is not "
            "taxable (box 2a should be 0). megaroth puts 0 on the taxable line for it; ask the plan for a "
            "corrected 1099-R."), box="box_2a")
    elif direct and roth and non_roth:
        ctx.find(SPLIT_REPORTED_TAXABLE, (
            f"Box 2a shows {money_text(form.box_2a)}, but with pretax money sent first to the non-Roth "
            f"destination (Notice 2014-54) the taxable amount is {money_text(expected)}. If you told the plan "
            "to allocate the pretax money differently, give pretax_amount on each disposition; otherwise ask "
            "for a corrected 1099-R."), box="box_2a")
    else:
        ctx.find(BOX_2A_UNEXPECTED, (
            f"Box 2a shows {money_text(form.box_2a)}, but box 1 − box 5 = {money_text(expected)}"
            + (" for the part not rolled to a non-Roth account" if direct else "")
            + f". megaroth uses {money_text(ours)} on the taxable line (box 1 less basis less pretax money "
            "rolled to non-Roth destinations); check boxes 2a and 5 with the plan."), box="box_2a")


def treat_plan_unknown_destination(ctx: FormContext) -> FormResult:
    form = ctx.form
    gross_step(ctx, GROSS_PENSION)
    if form.taxable_not_determined:
        return not_computed(ctx, "plan", (
            "Code G without a disposition, and box 2a not determined: megaroth cannot tell what is taxable. "
            "Add the disposition (and after_tax_basis if box 5 is blank).")).model_copy(
            update={"destination_known": False})
    taxable = form.box_2a
    ctx.steps.append(TAXABLE_REPORTED.step(
        "taxable", f"Box 2a as reported by the payer: {money_text(taxable)}.", result=taxable,
        inputs={"box_2a": taxable}))
    pretax = None
    if form.box_5 is not None:
        # Box 1 − box 5 is the pretax money whatever the destination; where it went decides its tax.
        pretax = form.box_1 - min(form.box_5, form.box_1)
        ctx.steps.append(PRETAX.step(
            "pretax", f"Pretax money (earnings and other pretax amounts) = box 1 − box 5 = "
            f"{money_text(form.box_1)} − {money_text(form.box_5)} = {money_text(pretax)}.",
            result=pretax, inputs={"box_1": form.box_1, "basis": form.box_5}))
    marked = form.rollover_marker if form.rollover_marker is not None else True
    marker_step(ctx, marked, ira=False)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="plan",
        treatment="direct_rollover_destination_unknown",
        treatment_title=TREATMENT_TITLES["direct_rollover_destination_unknown"],
        gross=form.box_1, basis=form.box_5, pretax=pretax, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="pension_gross", rollover_marker=marked, destination_known=False,
        marker_policy="set on the form (rollover_marker)" if form.rollover_marker is not None else None,
        steps=ctx.steps,
    )
