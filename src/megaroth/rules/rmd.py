"""Years with a required minimum distribution: the first dollars out are the RMD, and an RMD
cannot be rolled over or converted.

In a year for which a minimum distribution is required, amounts distributed are treated as the
RMD until it is satisfied (Treas. Reg. 1.402(c)-2 Q&A-7 for plans, 1.408-8 Q&A-4 for IRAs), and
an RMD is not an eligible rollover distribution (IRC 402(c)(4); i1099r "Direct Rollovers").
So a rollover or conversion in such a year is eligible only above the RMD that the money kept
has not already covered. What was rolled over beyond that is a distribution kept (taxable like
any other) and, in the receiving IRA, a regular contribution: an excess contribution unless it
is taken back out in time.

When RMDs begin follows the birth date (70½, 72, 73, then 75), with 2009 and 2020 waived, as
data in `forms/rmd.toml`. Roth IRAs never have lifetime RMDs, designated Roth accounts not from
2024; a plan participant who still works for the employer (and owns no 5% of it) has none from
that plan yet, which is a fact the user gives.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.form1099r import Destination
from megaroth.model.results import Severity
from megaroth.money import CENT, ZERO, money_text, total
from megaroth.params import rmd_rules
from megaroth.rules.accounts import Account
from megaroth.rules.context import FormContext
from megaroth.rules.disposition import Entry
from megaroth.rules.excess_advice import excess_part_title, ineligible_box_text, removal_advice
from megaroth.rules.registry import define

RMD_CITES = ["reg-1.402(c)-2.q7", "reg-1.408-8.q4", "i1099r.rmd-not-eligible", "irc-401a9.beginning-age"]

FIRST_DOLLARS = define(
    "rmd.first_dollars",
    "In a year with a required minimum distribution, the first dollars distributed are the RMD, which cannot "
    "be rolled over or converted: only what is above the RMD not yet satisfied is an eligible rollover "
    "distribution.",
    RMD_CITES,
)
NO_RMD_THIS_YEAR = define(
    "rmd.not_required",
    "No minimum distribution is required: the year was waived, or the participant still works for the "
    "employer whose plan pays (plans only, not for 5% owners).",
    ["rmd.waivers", "irc-401a9.beginning-age"],
)
RMD_FROM_BALANCE = define(
    "rmd.uniform_table",
    "The RMD is the account's value on December 31 of the prior year divided by the Uniform Lifetime Table's "
    "distribution period for the age reached in the year.",
    ["reg-1.401(a)(9)-9.uniform-table"],
)

AMOUNT_NEEDED = check(
    "rmd.amount_needed", Severity.warning,
    "A rollover or conversion in a year with a required minimum distribution, whose RMD the case does not give.",
    RMD_CITES,
)
BIRTH_DATE_NEEDED = check(
    "rmd.birth_date_needed", Severity.warning,
    "A normal distribution (code 7: the owner is 59½ or older) rolled over or converted, and the owner's birth "
    "date is not given: whether part of it was a required minimum distribution, which cannot be rolled over, "
    "depends on the age.",
    RMD_CITES,
)
RMD_ROLLED = check(
    "rmd.rolled_over", Severity.error,
    "Part of a rollover or conversion was the year's required minimum distribution: it is taxable as a "
    "distribution kept, and in the receiving IRA an excess contribution until it is removed with its earnings "
    "by the due date of the return (extensions included), or the 6% excise tax is due each year it stays.",
    RMD_CITES + ["i1099r.rmd-rolled-corrections", "reg-1.408A-4.q6-rmd-conversion", "irc-4973.a-excess",
                 "irc-408.d4-excess-removed", "reg-1.408-11.nia", "p590a.excess-contributions",
                 "i5329.part-iii-excess", "i5329.part-iv-roth-excess"],
)


def apply_rmd(ctx: FormContext, account: Account, entries: list[Entry]) -> tuple[list[Entry], str | None]:
    """The entries with the year's RMD taken out of the rollover, and a reason the form cannot be
    computed (or None)."""
    form, year = ctx.form, ctx.params.tax_year
    rolled = [e for e in entries if e.to.is_rollover]
    if not rolled or account == "roth_ira" or "N" in form.codes:
        return entries, None
    rules = rmd_rules()
    if account == "designated_roth" and year >= rules.designated_roth_exempt_from:
        return entries, None
    person = ctx.case.person(ctx.owner)
    birth = person.birth_date if person else None
    if birth is None:
        if "7" in form.codes:
            # Code 7 says the owner is 59½ or older: an RMD may be inside the rollover, and nothing
            # on the form tells; codes 1, 2, G… leave the RMD to the payer or cannot reach RMD age.
            at_stake = total(e.amount for e in rolled)
            ctx.find(BIRTH_DATE_NEEDED, (
                f"Code 7: {money_text(at_stake)} of this normal distribution was rolled over or converted, and the "
                f"{ctx.owner}'s birth date is not given. From the year of the first required minimum distribution "
                "on, the RMD cannot be rolled over or converted: it would be taxable, up to the whole "
                f"{money_text(at_stake)}. The lines count no RMD; give {ctx.owner}.birth_date."),
                box=f"{ctx.owner}.birth_date", fact=f"{ctx.owner}.birth_date", at_stake=at_stake)
        return entries, None
    first_age = rules.first_age(birth)
    age_text = f"{int(first_age)}½" if first_age % 1 else f"{int(first_age)}"
    first_year = date_reaching_age(birth, first_age).year
    if year < first_year:
        return entries, None
    who = (person.name if person and person.name else f"the {ctx.owner}")
    if year in rules.waived_years:
        ctx.steps.append(NO_RMD_THIS_YEAR.step(
            "rmd", f"{year}: no minimum distribution was required (waived), so the whole distribution could be "
            "rolled over."))
        return entries, None
    if account in ("plan", "designated_roth") and form.still_working:
        ctx.steps.append(NO_RMD_THIS_YEAR.step(
            "rmd", f"{who} still works for the employer (and owns no 5% of it): no RMD from this plan yet, so the "
            "whole distribution could be rolled over."))
        return entries, None
    rmd = form.rmd_amount
    if rmd is None and form.rmd_prior_year_balance is not None:
        age = year - birth.year
        divisor = rules.divisor(year, age)
        if divisor is not None:
            rmd = (form.rmd_prior_year_balance / divisor).quantize(CENT, rounding=ROUND_HALF_UP)
            ctx.steps.append(RMD_FROM_BALANCE.step(
                "rmd", f"RMD for {year}: {money_text(form.rmd_prior_year_balance)} (December 31, {year - 1}) ÷ "
                f"{divisor} (age {age}) = {money_text(rmd)}.", result=rmd,
                inputs={"rmd_prior_year_balance": form.rmd_prior_year_balance}))
    first = (f" {year} is the first RMD year: the RMD may wait until April 1, {year + 1}, but money paid out in "
             f"{year} still counts toward it first." if year == first_year else "")
    if rmd is None:
        ctx.find(AMOUNT_NEEDED, (
            f"{who} reached {age_text} in {first_year}: {year} is a year with a required minimum distribution, and "
            f"the first dollars out of this account are the RMD, which cannot be rolled over or converted.{first} "
            "Give rmd_amount (the RMD still to be taken when this distribution was paid; 0 if it was already "
            "satisfied, for IRAs also by a distribution from another IRA) or rmd_prior_year_balance. The lines "
            "below treat the whole rollover as eligible."), box="rmd_amount")
        return entries, None
    kept = total(e.amount for e in entries if e.to is Destination.kept)
    ineligible = max(ZERO, min(rmd, form.box_1) - kept)
    ctx.steps.append(FIRST_DOLLARS.step(
        "rmd", f"{year} is an RMD year for {who} (RMDs from {first_year}). RMD {money_text(rmd)}; money kept "
        f"{money_text(kept)} covers {money_text(min(kept, rmd))}; not eligible for rollover: "
        f"{money_text(ineligible)}.", result=ineligible, inputs={"rmd_amount": rmd}))
    if not ineligible:
        return entries, None
    if len(rolled) > 1 or rolled[0].pretax_amount is not None:
        return entries, (f"{money_text(ineligible)} of the year's required minimum distribution went into a rollover "
                         "to several destinations (or with a pretax_amount), and which one received it cannot be "
                         "told; split the disposition so that one rollover carries it")
    entry = rolled[0]
    into_ira = entry.to in (Destination.roth_ira, Destination.traditional_ira)
    receiving = "Roth IRA" if entry.to is Destination.roth_ira else (
        "traditional IRA" if entry.to is Destination.traditional_ira else "receiving plan")
    conversion = account == "ira" and entry.to is Destination.roth_ira
    what = "converted" if conversion else "rolled over"
    if into_ira:
        kind = "roth_ira" if entry.to is Destination.roth_ira else "traditional_ira"
        nature = (f"It is not a conversion but a distribution followed by a regular Roth IRA contribution "
                  "(Treas. Reg. 1.408A-4 Q&A-6)" if conversion else
                  f"In the {receiving} it is not a rollover but a regular contribution")
        fix = (f"{nature}: an excess contribution as far as it is over the year's limit (Form 5329 "
               f"{excess_part_title(kind)}). {removal_advice(ctx.params, kind, ineligible)}")
        box_fix = (f"the {receiving} its Form 5498 ({ineligible_box_text(kind, conversion)})")
    else:
        fix = (f"The {receiving} should return it as an amount it could not accept (it is taxable to {who} as a "
               "distribution kept).")
        box_fix = "the receiving plan its records"
    ctx.find(RMD_ROLLED, (
        f"{money_text(ineligible)} of this {money_text(form.box_1)} distribution was {who}'s required minimum "
        f"distribution for {year} and could not be {what} (IRC 402(c)(4)(B), 408(d)(3)(E)).{first} megaroth "
        f"treats it as a distribution kept (taxable as such). {fix} The plan or IRA that paid should correct its "
        f"1099-R (the RMD reported as paid to you), and {box_fix}."),
        box="rmd_amount")
    reduced = [replace(entry, amount=entry.amount - ineligible)] if entry.amount > ineligible else []
    others = [e for e in entries if e is not entry]
    return others + reduced + [Entry(to=Destination.kept, amount=ineligible, rmd=True,
                                     ineligible_to=entry.to if into_ira else None)], None
