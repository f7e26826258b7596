"""Where the money went: the user's disposition, checked against the form, or a default.

A 1099-R cannot say whether a code G rollover went to the same plan's Roth account, a Roth
IRA or a traditional IRA, nor whether cash was rolled over within 60 days. The case file
says so in `disposition`. When it is omitted, a default is used only where the codes make it
certain (H: Roth IRA; B+G: another plan's Roth account; G with the IRA box: an employer plan)
or where the form itself is the reading (cash paid to you: kept); a code G plan form without
a disposition is reported as asking for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.form1099r import (
    DESTINATION_TITLES,
    NON_ROTH_DESTINATIONS,
    ROTH_DESTINATIONS,
    Destination,
    Form1099R,
)
from megaroth.model.results import Finding, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.accounts import Account
from megaroth.rules.relief import NOTICE_2020_51, RepaymentRelief, judge_late

MISSING = check(
    "disposition.missing", Severity.warning,
    "No disposition was given where the codes do not make the destination certain.",
    ["i1099r.box-7", "i1040.rollovers"],
)
ASSUMED = check(
    "disposition.assumed", Severity.info,
    "No disposition was given; the destination follows from the codes or the form itself.",
    ["i1099r.box-7"],
)
SUM = check(
    "disposition.amounts_do_not_add_up", Severity.error,
    "The disposition amounts do not add up to box 1.",
    ["i1099r.box-1", "i1040.rollovers"],
)
WITHHOLDING_KEPT = check(
    "disposition.withholding_not_rolled", Severity.info,
    "The disposition adds up to box 1 less box 4: the tax withheld was not made up in the rollover and "
    "counts as a distribution kept.",
    ["i1099r.box-4", "irc-402.c2-ordering"],
)
DESTINATION_INVALID = check(
    "disposition.destination_not_allowed", Severity.error,
    "A destination this kind of money cannot go to.",
    ["irc-402A.c3-drac-rollovers", "irc-402A.c4-irr"],
)
KEPT_ON_DIRECT_ROLLOVER = check(
    "disposition.cash_on_direct_rollover_form", Severity.error,
    "A code G or H form reports a direct rollover; money paid to you belongs on a separate 1099-R.",
    ["i1099r.box-7.separate-forms"],
)
DIRECT_ON_CASH_FORM = check(
    "disposition.direct_rollover_on_cash_form", Severity.error,
    "The form reports money paid to you (no code G or H), but the disposition says direct rollover.",
    ["i1099r.direct-rollovers", "i1099r.box-7.separate-forms"],
)
SIXTY_DAY_ON_DIRECT = check(
    "disposition.60_day_on_direct_rollover_form", Severity.warning,
    "A code G or H form reports a direct rollover, but the disposition says 60-day rollover.",
    ["i1099r.direct-rollovers"],
)
LATE = check(
    "disposition.rollover_after_60_days", Severity.error,
    "A rollover made more than 60 days after the distribution.",
    ["irc-402.c3-60-days", "rev-proc-2020-46.self-certification"],
)
SELF_CERTIFIED = check(
    "disposition.late_rollover_self_certified", Severity.warning,
    "A rollover made after 60 days, declared self-certified (or waived): self-certification is not a waiver, "
    "the IRS may still examine it; keep the records that show it qualifies.",
    ["rev-proc-2020-46.not-a-waiver", "rev-proc-2020-46.self-certification", "irc-402.c3-60-days"],
)
PLAN_NO_5498 = check(
    "disposition.plan_rollover_no_5498", Severity.info,
    "A rollover into an employer plan: plans file no Form 5498; the plan's confirmation proves the rollover.",
    ["i1099r.f5498-not-plans", "irs.rollover-proof"],
)
PLAN_DESTINATIONS = frozenset({Destination.employer_plan, Destination.designated_roth_other_plan})
SELF_CERTIFICATION_RECORDS = (
    "Keep with the return's records: the self-certification letter given to the plan or IRA that received the "
    "money (the model letter of Rev. Proc. 2020-46), which of its listed reasons kept you from the 60 days (and "
    "the papers that show it), and the dates: the distribution, when the reason ended, and the deposit (within "
    "30 days after the reason ended is the safe harbor).")
NOT_ELIGIBLE = check(
    "disposition.not_eligible_for_rollover", Severity.error,
    "A deemed loan distribution (code L) is not an eligible rollover distribution.",
    ["i1099r.direct-rollovers"],
)
PRETAX_INVALID = check(
    "disposition.pretax_amount_invalid", Severity.error,
    "A disposition's pretax_amount is more than its amount.",
    ["notice-2014-54.allocation-election"],
)


@dataclass(frozen=True)
class Entry:
    """One destination of the money, after defaults and the withholding adjustment."""

    to: Destination
    amount: Decimal
    within_60_days: bool = False
    date: date | None = None
    pretax_amount: Decimal | None = None
    late_rollover_waiver: bool = False
    withheld: bool = False
    """This entry is the box 4 withholding that was not rolled over."""
    rmd: bool = False
    """This entry is the year's required minimum distribution, taken out of a rollover: it could not be
    rolled over, so it is a distribution kept (and its deposit a contribution to the receiving IRA)."""
    late: bool = False
    """This entry was a rollover made after the 60 days that nothing excused: kept (rules/relief.py's signs)."""
    rolled_as: str | None = None
    """cash, same_property or sale_proceeds (Disposition.rolled_as)."""
    relief: str | None = None
    """The relief that made a late rollover a rollover (e.g. "notice-2020-51"): such a rollover does not
    count toward the one-rollover-per-12-months rule."""
    ineligible_to: Destination | None = None
    """For a kept entry taken out of a rollover (an RMD, a second IRA-to-IRA rollover within 12 months):
    where the money was deposited all the same, so that the receiving IRA holds an excess contribution."""
    second_rollover: bool = False
    """This entry is an IRA-to-IRA 60-day rollover barred by the one-rollover-per-12-months rule."""


@dataclass(frozen=True)
class Resolved:
    entries: list[Entry] | None
    """None: a direct rollover whose destination is unknown."""
    assumed: bool
    problem: str | None = None
    """Why the form cannot be computed as disposed, if it cannot."""


def _is_direct_form(form: Form1099R) -> bool:
    return bool({"G", "H"} & set(form.codes))


def default_destination(form: Form1099R, account: Account) -> tuple[Destination | None, str]:
    codes = set(form.codes)
    if account == "roth_ira":
        return Destination.kept, "a Roth IRA distribution with no rollover given is taken as kept"
    if account == "ira":
        if "N" in codes:
            return Destination.kept, "code N reports a recharacterized contribution (moved, not rolled over)"
        if "G" in codes:
            return Destination.employer_plan, "code G on an IRA form is a direct payment to an employer plan"
        return Destination.kept, "an IRA distribution with no rollover or conversion given is taken as kept"
    if account == "designated_roth":
        if "H" in codes:
            return Destination.roth_ira, "code H is a direct rollover of designated Roth money to a Roth IRA"
        if "G" in codes:
            return Destination.designated_roth_other_plan, (
                "codes B and G are a direct rollover to another plan's designated Roth account"
            )
        return Destination.kept, "a designated Roth distribution paid to you is taken as kept"
    if "G" in codes:
        return None, ""
    return Destination.kept, "a distribution paid to you (no code G) is taken as kept"


ALLOWED = {
    "plan": frozenset(Destination) - {Destination.designated_roth_other_plan},
    "designated_roth": frozenset({Destination.roth_ira, Destination.designated_roth_other_plan, Destination.kept}),
    "ira": frozenset({Destination.traditional_ira, Destination.employer_plan, Destination.roth_ira, Destination.kept}),
    # A Roth IRA distribution can only be rolled (within 60 days) into another Roth IRA.
    "roth_ira": frozenset({Destination.roth_ira, Destination.kept}),
}
WHY_NOT_ALLOWED = {
    "plan": "pretax and after-tax plan money can enter a designated Roth account only by an in-plan Roth "
            "rollover in the same plan (IRC 402A(c)(4))",
    "designated_roth": "designated Roth money can be rolled over only to another designated Roth account or to a "
                       "Roth IRA (IRC 402A(c)(3))",
    "ira": "IRA money cannot be rolled into a designated Roth account",
    "roth_ira": "Roth IRA money can be rolled over only into another Roth IRA (IRC 408A(e))",
}


def resolve(
    form: Form1099R,
    account: Account,
    params: YearParameters,
    source: Source,
    findings: list[Finding],
    relief: RepaymentRelief | None = None,
) -> Resolved:
    """The effective disposition of one form, with findings about it; `relief` is the year's late-rollover
    relief that may reach this form (Notice 2020-51)."""
    here = {"form_id": form.id, "source": source}
    if not form.disposition:
        destination, why = default_destination(form, account)
        if destination is None:
            findings.append(MISSING.finding(
                "Code G reports a direct rollover, but the case does not say where it went: the same plan's "
                "designated Roth account (in-plan Roth rollover), a Roth IRA, a traditional IRA or another plan. "
                "megaroth uses box 2a as the payer reported it; add a disposition so it can check box 2a, "
                "track basis and start the right 5-year clock.",
                box="disposition", **here,
            ))
            return Resolved(entries=None, assumed=True)
        entries = [Entry(to=destination, amount=form.box_1)]
        findings.append(ASSUMED.finding(
            f"No disposition given: {why}. "
            "Add a disposition if that is not what happened.",
            box="disposition",
            severity=Severity.warning if account in ("ira", "roth_ira") and destination is Destination.kept
            and "N" not in form.codes else None,
            **here,
        ))
        return _validated(form, account, entries, params, source, findings, assumed=True, relief=relief)

    entries = [
        Entry(to=d.to, amount=d.amount, within_60_days=d.within_60_days, date=d.date,
              pretax_amount=d.pretax_amount, late_rollover_waiver=d.late_rollover_waiver, rolled_as=d.rolled_as)
        for d in form.disposition
    ]
    given = total(e.amount for e in entries)
    withheld = form.box_4 or ZERO
    if given != form.box_1:
        if withheld and given == form.box_1 - withheld:
            findings.append(WITHHOLDING_KEPT.finding(
                f"The disposition adds up to {money_text(given)}, box 1 less the {money_text(withheld)} withheld "
                "(box 4): the withholding was not made up out of pocket, so it is a distribution you kept.",
                box="box_4", **here,
            ))
            entries.append(Entry(to=Destination.kept, amount=withheld, withheld=True))
        else:
            findings.append(SUM.finding(
                f"The disposition adds up to {money_text(given)}, but box 1 is {money_text(form.box_1)}"
                + (f" (and box 1 less box 4 is {money_text(form.box_1 - withheld)})" if withheld else "")
                + ". Every dollar of box 1 must have a destination (use \"kept\" for money not rolled over).",
                box="disposition", **here,
            ))
            return Resolved(entries=None, assumed=False, problem="the disposition does not add up to box 1")
    return _validated(form, account, entries, params, source, findings, assumed=False, relief=relief)


def _validated(
    form: Form1099R,
    account: Account,
    entries: list[Entry],
    params: YearParameters,
    source: Source,
    findings: list[Finding],
    *,
    assumed: bool,
    relief: RepaymentRelief | None = None,
) -> Resolved:
    here = {"form_id": form.id, "source": source, "box": "disposition"}
    problem = None
    direct_form = _is_direct_form(form)
    window = params.statutory.rollover_period_days.required()
    fixed: list[Entry] = []
    for number, entry in enumerate(entries, start=1):
        label = f"disposition #{number} ({DESTINATION_TITLES[entry.to]})"
        if entry.to not in ALLOWED[account]:
            findings.append(DESTINATION_INVALID.finding(
                f"{label}: {WHY_NOT_ALLOWED[account]}.", **here))
            problem = f"{DESTINATION_TITLES[entry.to]} is not a possible destination for this money"
        if entry.to.is_rollover and "L" in form.codes:
            findings.append(NOT_ELIGIBLE.finding(
                f"{label}: a loan treated as a distribution (code L) cannot be rolled over.", **here))
            problem = "a deemed loan distribution cannot be rolled over"
        if entry.pretax_amount is not None and entry.pretax_amount > entry.amount:
            findings.append(PRETAX_INVALID.finding(
                f"{label}: pretax_amount {money_text(entry.pretax_amount)} is more than the amount "
                f"{money_text(entry.amount)}.", **here))
            problem = "a pretax_amount is more than its amount"
        if direct_form and entry.to is Destination.kept and not entry.withheld:
            findings.append(KEPT_ON_DIRECT_ROLLOVER.finding(
                f"{label}: box 7 ({form.box_7}) reports a direct rollover, so money paid to you should be on a "
                "separate Form 1099-R. Check the forms you received; megaroth counts this part as kept.", **here))
        if direct_form and entry.within_60_days:
            findings.append(SIXTY_DAY_ON_DIRECT.finding(
                f"{label}: box 7 ({form.box_7}) reports a direct rollover (paid straight to the new account), "
                "not a 60-day rollover. megaroth follows the disposition.", **here))
        if not direct_form and entry.to.is_rollover and not entry.within_60_days:
            if account in ("ira", "roth_ira") and entry.to in (Destination.traditional_ira, Destination.roth_ira):
                # IRA-to-IRA moves reported on a 1099-R are either 60-day rollovers or conversions,
                # which the form reports the same way: no direct/indirect distinction to enforce.
                pass
            else:
                findings.append(DIRECT_ON_CASH_FORM.finding(
                    f"{label}: box 7 ({form.box_7}) shows the money was paid to you, so a rollover of it is a "
                    "60-day (indirect) rollover; set \"within_60_days\": true. A direct rollover would be "
                    "reported with code G. megaroth treats it as a 60-day rollover.", **here))
                entry = replace(entry, within_60_days=True)
        if entry.rolled_as == "sale_proceeds" and entry.to.is_rollover:
            entry = _sale_proceeds(entry, account, label, findings, here)
        if entry.within_60_days and entry.date and form.distribution_date:
            days = (entry.date - form.distribution_date).days
            waived = entry.late_rollover_waiver
            covered, found = (ZERO, None) if waived or days <= window else judge_late(
                relief, form.distribution_date, entry.date, entry.amount, label)
            if found:
                definition, message, extra = found
                findings.append(definition.finding(message, **{**here, **extra}))
            if covered:
                rest = entry.amount - covered
                if rest:
                    findings.append(LATE.finding(
                        f"{label}: made {days} days after the distribution; {money_text(rest)} of it is above what "
                        "the relief covers and, without a waiver or self-certification (Rev. Proc. 2020-46), is not "
                        "a rollover: megaroth counts it as a distribution you kept.", **here))
                    fixed.append(Entry(to=Destination.kept, amount=rest, late=True))
                entry = replace(entry, amount=covered, pretax_amount=None if rest else entry.pretax_amount,
                                relief=NOTICE_2020_51)
            elif days > window and waived:
                # Self-certification lets the receiving plan or IRA accept the deposit and lets you report
                # it as a rollover; it is not the IRS's waiver, which only a ruling (or an exam) gives.
                findings.append(SELF_CERTIFIED.finding(
                    f"{label}: made {days} days after the distribution ({form.distribution_date.isoformat()} to "
                    f"{entry.date.isoformat()}), beyond {window} days, and declared self-certified (or waived by the "
                    "IRS): megaroth reports it as a rollover. A self-certification is not a waiver: the IRS may "
                    "still examine it and, if a condition was not met (a listed reason, no earlier IRS denial, the "
                    "deposit as soon as the reason ended), tax it as a distribution kept. "
                    + SELF_CERTIFICATION_RECORDS, **here))
            elif days > window:
                findings.append(LATE.finding(
                    f"{label}: made {days} days after the distribution ({form.distribution_date.isoformat()} to "
                    f"{entry.date.isoformat()}), beyond {window} days. Without a waiver from the IRS or a "
                    "self-certification (Rev. Proc. 2020-46) it is not a rollover: megaroth counts the money as a "
                    "distribution you kept (and the deposit is a new contribution to that account).", **here))
                entry = replace(entry, to=Destination.kept, within_60_days=False, late=True)
        if entry.to in PLAN_DESTINATIONS:
            findings.append(PLAN_NO_5498.finding(
                f"{label}: no Form 5498 will come for this rollover: employer plans file none (only IRAs do). What "
                "proves it is the receiving plan's confirmation of the rollover contribution (or the account "
                "statement showing it, with its date and amount): keep it with the 1099-R.", **here))
        fixed.append(entry)
    if problem:
        return Resolved(entries=None, assumed=assumed, problem=problem)
    return Resolved(entries=fixed, assumed=assumed)


PROCEEDS_FROM_IRA = check(
    "disposition.ira_property_sold", Severity.error,
    "An IRA distribution of property that was sold and the cash rolled over: not the same property, so not a "
    "rollover.",
    ["irc-408.d3a-same-property", "p590a.property-rollovers"],
)
PROCEEDS_FROM_PLAN = check(
    "disposition.plan_property_sold", Severity.info,
    "Property distributed by an employer plan, sold, and the proceeds rolled over: allowed (IRC 402(c)(6)).",
    ["irc-402.c6-sale-of-property", "p590a.property-rollovers"],
)


def _sale_proceeds(entry: Entry, account: Account, label: str, findings: list[Finding], here: dict) -> Entry:
    """The same-property rule: only a plan's distributed property may be sold and its proceeds rolled over."""
    if account in ("plan", "designated_roth"):
        findings.append(PROCEEDS_FROM_PLAN.finding(
            f"{label}: property distributed by the plan was sold and the proceeds rolled over. IRC 402(c)(6) allows it "
            "for plan distributions: no gain or loss is recognized on the sale to the extent the proceeds are rolled "
            "over, and the receiving IRA's Form 5498 shows the proceeds (value_received), not box 1.", **here))
        return entry
    findings.append(PROCEEDS_FROM_IRA.finding(
        f"{label}: the IRA distributed property that was sold and the cash deposited. A rollover of an IRA "
        "distribution must be of the same property (IRC 408(d)(3)(A); Pub 590-A, \"Same property\"); the sale-proceeds "
        "rule of IRC 402(c)(6) is for employer plans only. So it is not a rollover: megaroth counts the "
        f"{money_text(entry.amount)} as a distribution you kept, and the deposit is a regular contribution to the "
        "receiving IRA (an excess one above the year's limit: ask the custodian to return it with its earnings "
        "before the return's due date).", **here))
    return replace(entry, to=Destination.kept, within_60_days=False)


def destinations(entries: list[Entry]) -> set[Destination]:
    return {e.to for e in entries}


def goes_to_roth(entries: list[Entry]) -> bool:
    return any(e.to in ROTH_DESTINATIONS for e in entries)


def goes_to_non_roth(entries: list[Entry]) -> bool:
    return any(e.to in NON_ROTH_DESTINATIONS for e in entries)
