"""Relief that changes how a rollover is taxed, from the year's data (forms/<year>/relief.toml).

Computed: Notice 2020-51. With 2020 RMDs waived (CARES Act § 2203), a 2020 distribution that
would have been a required minimum distribution could be rolled over until August 31, 2020 —
past the 60 days — and that rollover does not count toward the one-rollover-per-12-months rule.
It reaches those who would have had a 2020 RMD under the pre-SECURE Act age (70½: born before
July 1, 1950), and only the amount that would have been the RMD (the rest of a distribution
keeps the 60-day rule). The RMD is the case's `rmd_amount`, or the prior December 31 balance over
the Uniform Lifetime Table divisor; when neither is given the relief is not applied, and the
finding says how much is at stake.

Not computed, said plainly when a case shows the signs (`signs` in the year's data):
coronavirus-related distributions (2020, Form 8915-E) and qualified disaster distributions
(Forms 8915-D/E/F). The signs a case can show: money kept from a code 1 or 2 (early)
distribution (`early_kept`, 2020 only: every 2020 early distribution could have been a
coronavirus-related one), and a repayment made more than 60 days after the distribution that
no waiver or other relief covers (`late_repayment`: a repayment within 3 years is how these
distributions are rolled back). Nothing in a 1099-R says a distribution was one of them (the
payer may use code 2 or 1 for either), so megaroth never assumes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from megaroth.checks.registry import check
from megaroth.model.form1099r import Destination
from megaroth.model.results import Severity
from megaroth.money import CENT, ZERO, money_text, total
from megaroth.params import RmdRepayment, rmd_rules
from megaroth.rules.registry import define

if TYPE_CHECKING:
    from megaroth.rules.context import FormContext
    from megaroth.rules.disposition import Entry

RMD_REPAID = define(
    "relief.rmd_repayment",
    "Notice 2020-51: a 2020 distribution that would have been a required minimum distribution could be rolled "
    "over until August 31, 2020, past 60 days, without counting toward the one-rollover-per-12-months rule.",
    ["notice-2020-51.rmd-rollover", "notice-2020-51.one-rollover", "rmd.waivers"],
)
RMD_REPAID_FOUND = check(
    "relief.notice_2020_51", Severity.info,
    "A rollover made more than 60 days after a 2020 distribution that would have been an RMD, by August 31, "
    "2020: a rollover under Notice 2020-51.",
    ["notice-2020-51.rmd-rollover", "notice-2020-51.one-rollover"],
)
RMD_REPAID_UNKNOWN = check(
    "relief.notice_2020_51_unknown", Severity.warning,
    "A late 2020 rollover that Notice 2020-51 may cover, whose owner's age or 2020 RMD the case does not give.",
    ["notice-2020-51.rmd-rollover", "notice-2020-51.one-rollover"],
)
NOT_COMPUTED = check(
    "relief.not_computed", Severity.warning,
    "The case shows signs of relief megaroth does not compute (coronavirus-related or qualified disaster "
    "distributions, Forms 8915-D/E/F): the lines treat the distribution as an ordinary one.",
    ["cares-act.section-2202", "i8915e.crd", "i8915f.qdd"],
)

NOTICE_2020_51 = "notice-2020-51"


@dataclass(frozen=True)
class RepaymentRelief:
    """Notice 2020-51 for one form: until when, and how much of a late rollover it covers."""

    spec: RmdRepayment
    rmd: Decimal | None
    """What would have been the 2020 RMD (None: the case does not give it)."""
    how: str
    """How the RMD was found, for the message."""
    missing: str | None = None
    """The fact the case lacks to tell whether it applies (a birth date), if any."""

    def covers(self, distributed: date, deposited: date) -> bool:
        """Whether the dates are inside the relief (the amount aside)."""
        spec = self.spec
        return spec.distributed_from <= distributed <= spec.distributed_through and deposited <= spec.repay_by


def rmd_repayment_relief(ctx: "FormContext", account: str) -> RepaymentRelief | None:
    """The Notice 2020-51 relief this form could have, or None where it cannot apply."""
    spec = ctx.params.relief.rmd_repayment
    form = ctx.form
    if spec is None or account not in spec.accounts or form.distribution_date is None:
        return None
    person = ctx.case.person(ctx.owner)
    birth = person.birth_date if person else None
    if birth is None:
        return RepaymentRelief(spec, None, "", missing=f"{ctx.owner}.birth_date")
    if birth >= spec.born_before:
        return None
    if form.rmd_amount is not None:
        return RepaymentRelief(spec, form.rmd_amount, f"rmd_amount {money_text(form.rmd_amount)}")
    if form.rmd_prior_year_balance is not None:
        year = spec.distributed_from.year
        divisor = rmd_rules().divisor(year, year - birth.year)
        if divisor is not None:
            rmd = (form.rmd_prior_year_balance / divisor).quantize(CENT, rounding=ROUND_HALF_UP)
            return RepaymentRelief(spec, rmd, f"{money_text(form.rmd_prior_year_balance)} on December 31, "
                                              f"{year - 1} ÷ {divisor} = {money_text(rmd)}")
    return RepaymentRelief(spec, None, "")


def judge_late(relief: RepaymentRelief | None, distributed: date, deposited: date, amount: Decimal,
               label: str) -> tuple[Decimal, tuple | None]:
    """How much of a late rollover the relief makes a rollover, and the finding to report:
    (covered, (definition, message, extra)) — extra carries `fact`/`at_stake` for a finding that
    leaves the tax open."""
    if relief is None or not relief.covers(distributed, deposited):
        return ZERO, None
    spec = relief.spec
    when = (f"distributed {distributed.isoformat()}, rolled over {deposited.isoformat()} (by "
            f"{spec.repay_by.isoformat()})")
    if relief.missing:
        return ZERO, (RMD_REPAID_UNKNOWN, (
            f"{label}: {when}. If this was a distribution that would have been a 2020 required minimum distribution "
            f"(the owner born before {spec.born_before.isoformat()}), Notice 2020-51 makes it a rollover despite the "
            f"60 days: up to {money_text(amount)} would not be taxable. Give {relief.missing}; the lines treat it as "
            "not rolled over."), {"fact": relief.missing, "at_stake": amount, "box": relief.missing})
    if relief.rmd is None:
        return ZERO, (RMD_REPAID_UNKNOWN, (
            f"{label}: {when}. Notice 2020-51 makes a late rollover of what would have been the 2020 required minimum "
            "distribution a rollover, but the case gives neither rmd_amount (what the 2020 RMD would have been) nor "
            f"rmd_prior_year_balance (the December 31, 2019 value): up to {money_text(amount)} would not be taxable. "
            "The lines treat it as not rolled over."), {"at_stake": amount, "box": "rmd_amount"})
    covered = min(amount, relief.rmd)
    rest = amount - covered
    once = ("It does not count toward the one-rollover-per-12-months rule." if not spec.counts_toward_one_rollover
            else "")
    return covered, (RMD_REPAID_FOUND, (
        f"{label}: {when}, more than 60 days later, but {money_text(covered)} of it would have been the 2020 required "
        f"minimum distribution ({relief.how}): under Notice 2020-51 it is a rollover, not taxable. {once}"
        + (f" The other {money_text(rest)} is above that RMD and keeps the 60-day rule." if rest else "")
        + " The receiving IRA reports it as a rollover contribution (Form 5498 box 2)."), {})


def relief_signs(ctx: "FormContext", account: str, entries: list["Entry"]) -> None:
    """Say which relief the lines do not compute when the form shows its signs."""
    for entry in entries:
        if entry.relief == NOTICE_2020_51:
            ctx.steps.append(RMD_REPAID.step(
                "relief", f"{money_text(entry.amount)} rolled over after 60 days is a rollover under Notice 2020-51 "
                "(a 2020 distribution that would have been an RMD, rolled over by August 31, 2020).",
                result=entry.amount))
    specs = ctx.params.relief.not_computed
    if not specs or account == "roth_ira":
        return
    codes = set(ctx.form.codes)
    late = total(e.amount for e in entries if e.late)
    kept = total(e.amount for e in entries if e.to is Destination.kept and not e.late)
    signs = {"late_repayment": late, "early_kept": kept if codes & {"1", "2"} else ZERO}
    found = [(spec, amount) for spec in specs.values() for sign, amount in signs.items()
             if sign in spec.signs and amount]
    if not found:
        return
    year = ctx.params.tax_year
    names = "; ".join(sorted({f"{spec.title.rstrip('.')} ({spec.form})" for spec, _ in found}))
    at_stake = max(amount for _, amount in found)
    why = []
    if late:
        why.append(f"{money_text(late)} was repaid more than 60 days after the distribution, which no waiver covers")
    if signs["early_kept"]:
        why.append(f"{money_text(kept)} of an early distribution (code {ctx.form.box_7}) was kept")
    ctx.find(NOT_COMPUTED, (
        f"{'; '.join(why).capitalize()}. If the distribution qualified for relief megaroth does not compute — {names} — "
        f"its tax differs: no 10% additional tax, the income spread over 3 years from {year}, and repayments within "
        f"3 years treated as rollovers, all on that form. The lines here treat it as an ordinary distribution (up to "
        f"{money_text(at_stake)} at stake); if it qualifies, complete that form and enter its results instead."),
        box="disposition", at_stake=at_stake)
