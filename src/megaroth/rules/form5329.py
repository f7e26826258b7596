"""The 10% additional tax on early distributions (IRC 72(t)): Form 5329 or the shortcut.

The tax reaches only amounts includible in income and kept: never basis, never amounts
rolled over, and not the taxable amount of a conversion or rollover to a Roth (IRC
408A(d)(3)). The Schedule 2 line 8 shortcut (10% of the taxable amount, no Form 5329) is
only for code 1 distributions that were not rolled over; when part of a code 1 distribution
went to a Roth, 10% of line 5b would overcharge, so Form 5329 is the way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from megaroth.model.results import ExcessPart, Form5329Flag, FormResult, PersonResult
from megaroth.money import CENT, money_text, percent_text, total
from megaroth.params import YearParameters
from megaroth.rules.registry import define

FLAG = define(
    "form_5329.additional_tax",
    "10% additional tax on the taxable part of an early (code 1) distribution kept, and on box 10 amounts "
    "allocable to an in-plan Roth rollover within 5 years; not on basis, rollovers or conversions.",
    ["irc-72.t1-includible", "i5329.rollover-not-subject", "i5329.roth-rollover", "i1040.sch2-line-8",
     "f1099r.box-10"],
)


def form_5329_flag(results: list[FormResult], params: YearParameters) -> Form5329Flag:
    computed = [r for r in results if r.status == "computed"]
    subject = total(r.additional_tax_base for r in computed)
    converted = total(r.converted_taxable_code_1 for r in computed)
    box_10 = total(r.box_10_amount for r in computed)
    cites = list(FLAG.cites)
    rate = params.statutory.additional_tax_rate.required()
    schedule_2 = params.f1040.schedule_2
    reasons = []
    for r in computed:
        if r.additional_tax_base:
            reasons.append(f"Form {r.form_id!r}: {money_text(r.additional_tax_base)} subject to the 10% "
                           "additional tax unless an exception applies.")
        if r.converted_taxable_code_1:
            reasons.append(f"Form {r.form_id!r}: code 1, but {money_text(r.converted_taxable_code_1)} of its "
                           "taxable amount went into a Roth account: no 10% on that part.")
    unknown = [r for r in results if r.status != "computed" and {"1", "B"} & set(r.box_7)]
    for r in unknown:
        reasons.append(f"Form {r.form_id!r} (code {r.box_7}) was not computed: any 10% additional tax on it "
                       "is not included here.")
    if not subject and not converted:
        if unknown:
            return Form5329Flag(
                status="review",
                summary="Not determined: a form that may owe the 10% additional tax was not computed.",
                reasons=reasons, cites=cites,
            )
        return Form5329Flag(
            status="not_needed",
            summary="No 10% additional tax on early distributions arises from these forms.",
            reasons=reasons, cites=cites,
        )
    if not subject:
        return Form5329Flag(
            status="review",
            summary="No 10% additional tax is due: the taxable amount of the code 1 distribution went into a Roth "
                    f"account. Do not use the Schedule 2 line {schedule_2.additional_tax.line} shortcut (10% of the "
                    "taxable line); if your "
                    "software charges the 10%, file Form 5329 to show no tax is due on the amount rolled over.",
            reasons=reasons, cites=cites,
        )
    tax = (subject * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    # The shortcut is for code 1 only: a Roth IRA's code J earnings or recapture need Form 5329.
    only_code_1 = all("1" in r.box_7 for r in computed if r.additional_tax_base)
    shortcut = not converted and not box_10 and only_code_1
    return Form5329Flag(
        status="additional_tax",
        summary=f"{money_text(subject)} is subject to the 10% additional tax ({money_text(tax)}) unless an exception "
                "applies. " + ("With code 1 correctly shown and nothing rolled over or converted, you may skip Form "
                               f"5329 and enter the tax on Schedule 2 line {schedule_2.additional_tax.line}." if shortcut
                               else f"Use Form 5329 (not the Schedule 2 line {schedule_2.additional_tax.line} shortcut), "
                               "so that amounts rolled over, "
                               "converted or reported in box 10 are handled right."),
        amount_subject=subject, additional_tax=tax, schedule_2_line_8_shortcut=shortcut,
        reasons=reasons, cites=cites,
    )




def with_excess_tax(flag: Form5329Flag, parts: list[ExcessPart], params: YearParameters) -> Form5329Flag:
    """The person's Form 5329 with Parts III and IV's 6% added: Schedule 2 line 8 takes the 10% and the 6%
    together through 2025 (Form 5329 lines 4, 17 and 25 "Include this amount on Schedule 2 (Form 1040), line 8");
    the 2026 draft gives the 6% a line of its own (params `schedule_2.excess_tax`)."""
    excess_tax = total(p.tax for p in parts)
    update: dict = {"excess_tax": excess_tax, "schedule_2_line_8": flag.additional_tax + excess_tax}
    if excess_tax:
        reasons = [f"Form 5329 Part {p.part}: {percent_text(params.statutory.excess_contribution_tax_rate.required())} "
                   f"excise tax {money_text(p.tax)} on excess contributions to "
                   f"{'traditional IRAs' if p.kind == 'traditional_ira' else 'Roth IRAs'}." for p in parts if p.tax]
        update.update({
            "summary": f"{flag.summary} Excess IRA contributions owe {money_text(excess_tax)} of excise tax (Form 5329 "
                       f"Parts III/IV): {params.f1040.schedule_2.amounts_text(flag.additional_tax, excess_tax)}, and "
                       "Form 5329 must be filed.",
            "reasons": list(flag.reasons) + reasons, "schedule_2_line_8_shortcut": False,
            "cites": sorted(set(flag.cites) | {c for p in parts for c in p.cites}),
        })
    return flag.model_copy(update=update)


def combine_5329(people: list[PersonResult], params: YearParameters) -> Form5329Flag:
    """The return's 10% additional tax: each person's own Form 5329 (i5329 "Joint returns": a separate
    form for each spouse, the taxes added on Schedule 2)."""
    if len(people) == 1:
        return people[0].form_5329
    flags = [(p, p.form_5329) for p in people]
    statuses = [f.status for _, f in flags]
    status = "additional_tax" if "additional_tax" in statuses else "review" if "review" in statuses else "not_needed"
    reasons = [f"{p.name or p.role.capitalize()}: {f.summary}" for p, f in flags if f.status != "not_needed"]
    reasons += [r for _, f in flags for r in f.reasons]
    subject = total(f.amount_subject for _, f in flags)
    tax = total(f.additional_tax for _, f in flags)
    excess_tax = total(f.excess_tax for _, f in flags)
    summary = ("Each spouse figures their own 10% additional tax (a Form 5329 each, when needed); together "
               f"{money_text(tax)} on {money_text(subject)}." if status != "not_needed" else
               "No 10% additional tax on early distributions arises from either spouse's forms.")
    if excess_tax:
        summary += (f" Excess IRA contributions owe {money_text(excess_tax)} of excise tax (Form 5329 Parts III/IV); "
                    f"{params.f1040.schedule_2.amounts_text(tax, excess_tax)}.")
    return Form5329Flag(
        status=status, summary=summary, amount_subject=subject, additional_tax=tax, excess_tax=excess_tax,
        schedule_2_line_8=tax + excess_tax,
        schedule_2_line_8_shortcut=not excess_tax and all(f.schedule_2_line_8_shortcut for _, f in flags if f.status == "additional_tax"),
        reasons=reasons, cites=sorted({c for _, f in flags for c in f.cites} | {"i5329.joint-returns"}),
    )
