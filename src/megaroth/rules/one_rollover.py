"""One IRA-to-IRA rollover per 12 months.

An IRA distribution cannot be rolled over if, in the 1-year period ending on the day it was
received, the person received another IRA distribution that was rolled over (IRC 408(d)(3)(B)).
From 2015 the IRS applies the limit across all of a person's IRAs, traditional and Roth together
(Announcement 2014-15; Pub 590-A "Waiting period between rollovers"). Only 60-day IRA-to-IRA
rollovers count: trustee-to-trustee transfers (a direct rollover between IRAs), conversions to a
Roth IRA, and rollovers from or to an employer plan do not. The period runs from the day the
distribution was received: Pub 590-A's example, a distribution received on January 1 and rolled
over bars rolling over another IRA distribution received before January 1 of the next year.

A barred rollover is a distribution kept (taxable, and the 10% may apply) and its deposit a
regular contribution to the receiving IRA, an excess beyond the year's limit. A distribution
rolled over in breach of the limit did not escape income, so it starts no new period.

The day of receipt is taken as the form's box 13 (date of payment) or the case's
distribution_date: a check received days later moves the period by those days.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from megaroth.checks.registry import check
from megaroth.dates import add_months
from megaroth.model.form1099r import Destination, Form1099R
from megaroth.model.owners import owner_of
from megaroth.model.results import Severity
from megaroth.money import money_text, total
from megaroth.rules.accounts import Account, account_of
from megaroth.rules.context import FormContext
from megaroth.rules.disposition import Entry
from megaroth.rules.excess_advice import ineligible_box_text, removal_advice

CITES = ["irc-408.d3B-one-per-year", "ann-2014-15.aggregate", "p590a.one-rollover-per-year"]

SECOND_ROLLOVER = check(
    "rollover.second_within_12_months", Severity.error,
    "A second IRA-to-IRA 60-day rollover within 12 months of the first: it is a taxable distribution, and its "
    "deposit an excess contribution to the receiving IRA until removed.",
    CITES + ["p590a.excess-contributions", "irc-4973.a-excess", "irc-408.d4-excess-removed", "reg-1.408-11.nia"],
)
LAST_DATE_NEEDED = check(
    "rollover.last_ira_rollover_date_needed", Severity.warning,
    "A 60-day IRA-to-IRA rollover, and the date of the last one before this year is not given: a second one "
    "within 12 months is taxable.",
    CITES,
)
DATE_NEEDED = check(
    "rollover.distribution_date_needed", Severity.warning,
    "A 60-day IRA-to-IRA rollover whose distribution date is not given: whether it falls within 12 months of "
    "another cannot be told.",
    CITES,
)

_SAME_KIND = {"ira": Destination.traditional_ira, "roth_ira": Destination.roth_ira}


def _counts(entry_to: Destination, within_60_days: bool, late: bool, account: Account) -> bool:
    """A 60-day (or late, waived) rollover from an IRA to an IRA of the same kind: the only kind the limit
    counts (a direct one between IRAs is a trustee-to-trustee transfer; to a Roth IRA, a conversion)."""
    return account in _SAME_KIND and entry_to is _SAME_KIND[account] and (within_60_days or late)


def _rollover_forms(ctx: FormContext) -> list[Form1099R]:
    """The owner's forms of the year with a 60-day IRA-to-IRA rollover, in the order they were received
    (undated ones last, in case order)."""
    out = []
    for index, form in enumerate(ctx.case.forms_1099r):
        if form.void or owner_of(form, ctx.case)[0] != ctx.owner:
            continue
        account = account_of(form)
        if any(_counts(d.to, d.within_60_days, d.late_rollover_waiver, account) for d in form.disposition or []):
            out.append((form.box_13 or form.distribution_date or date.max, index, form))
    return [form for _, _, form in sorted(out, key=lambda item: (item[0], item[1]))]


def _one_year_after(ctx: FormContext, day: date) -> date:
    """The first day a distribution received can be rolled over again (a distribution received on February 29
    gives February 28: a day early rather than late)."""
    return add_months(day, ctx.params.statutory.one_rollover_period_months.required())


def apply_one_rollover(ctx: FormContext, account: Account, entries: list[Entry]) -> list[Entry]:
    """The entries with a rollover barred by the one-per-12-months limit turned into a distribution kept."""
    # A repayment under relief (Notice 2020-51 Q&A-9) does not count toward the limit.
    rolled = [e for e in entries if _counts(e.to, e.within_60_days, e.late_rollover_waiver, account) and not e.relief]
    if not rolled:
        return entries
    form = ctx.form
    person = ctx.case.person(ctx.owner)
    who = person.name if person and person.name else f"the {ctx.owner}"
    given = person.facts.last_ira_rollover_date if person else None
    held = ctx.ledger.last_ira_rollover_date if ctx.ledger else None
    last = given if given is not None else held
    amount = total(e.amount for e in rolled)
    sequence = _rollover_forms(ctx)
    received = form.box_13 or form.distribution_date
    # Walk the year's rollovers in order: a rollover starts a period only when it was allowed.
    previous: date | None = last if isinstance(last, date) else None
    for other in sequence:
        day = other.box_13 or other.distribution_date
        barred = previous is not None and day is not None and day < _one_year_after(ctx, previous)
        if other.id == form.id:
            break
        if not barred and day is not None:
            previous = day
    else:  # pragma: no cover - the form itself is in the sequence
        barred = False
    first_of_year = sequence and sequence[0].id == form.id
    if last is None and first_of_year:
        ctx.find(LAST_DATE_NEEDED, (
            f"{money_text(amount)} of this IRA distribution was rolled over to an IRA within 60 days. Only one such "
            f"rollover is allowed in 12 months, across all of {who}'s IRAs: if {who} received another IRA "
            "distribution that was rolled over in the 12 months before this one, this one is taxable (up to "
            f"{money_text(amount)}) and its deposit an excess contribution. The lines treat it as a rollover; give "
            f"{ctx.owner}.ira.last_ira_rollover_date (or none)."),
            box=f"{ctx.owner}.ira.last_ira_rollover_date", fact=f"{ctx.owner}.ira.last_ira_rollover_date",
            at_stake=amount)
    if received is None and (previous is not None or len(sequence) > 1):
        ctx.find(DATE_NEEDED, (
            f"This IRA distribution was rolled over within 60 days ({money_text(amount)}), and the date it was paid "
            "(box 13, or distribution_date) is not given: whether it falls within 12 months of another IRA-to-IRA "
            f"rollover cannot be told, and up to {money_text(amount)} may be taxable. The lines treat it as a "
            "rollover."), box="box_13")
        return entries
    if not barred:
        return entries
    kind = "roth_ira" if account == "roth_ira" else "traditional_ira"
    ends = _one_year_after(ctx, previous)
    ctx.find(SECOND_ROLLOVER, (
        f"{money_text(amount)} of this IRA distribution, received on {received.isoformat()}, was rolled over to an "
        f"IRA within 60 days, but {who} had received an IRA distribution rolled over on {previous.isoformat()}: "
        f"only one IRA-to-IRA rollover is allowed in 12 months, across all IRAs (IRC 408(d)(3)(B); Announcement "
        f"2014-15), so no other could be rolled over before {ends.isoformat()}. megaroth treats it as a "
        "distribution kept: taxable (and subject to the 10% additional tax before 59½ unless an exception "
        "applies). In the receiving IRA it is a regular contribution, an excess as far as it is over the year's "
        f"limit. {removal_advice(ctx.params, kind, amount)} The receiving IRA should show it on its Form 5498 as "
        f"a contribution ({ineligible_box_text(kind, False)}). Had the money been moved trustee-to-trustee, or "
        "converted, the limit would not apply."), box="disposition")
    out = [e for e in entries if e not in rolled]
    for e in rolled:
        out.append(replace(e, to=Destination.kept, within_60_days=False, late_rollover_waiver=False,
                           ineligible_to=e.to, second_rollover=True))
    return out
