"""Corrective distributions: excess deferrals, excess contributions (ADP) and excess aggregate
contributions (ACP, which is how a failed test returns after-tax money), excess annual additions
corrected under EPCRS, and excess IRA contributions returned before the due date.

Each is reported on its own 1099-R (i1099r "Corrective Distributions"): code 8 when taxable in
the year of the form, P when taxable in an earlier year, E for EPCRS corrections, with B for
designated Roth money. Box 2a is the taxable amount: returned after-tax and designated Roth
contributions are basis (box 5) and only their earnings are taxable. None of them can be rolled
over, and a plan's corrections never owe the 10% additional tax (i1099r, notes to codes 8, P and
E).

An IRA contribution returned with its earnings by the due date (IRC 408(d)(4), Pub 590-A
"Contributions returned before due date of return") is not taxed; its earnings are income of the
year the contribution was made. Their 10% additional tax turns on the date and the owner's age,
not on the code the payer printed: paid before December 29, 2022 to an owner under 59½, the
earnings owe it unless an exception applies (IRS "Changes to the 2022 instructions for Form
5329"), code 1 or not; paid from that date, they never do (SECURE 2.0 § 333; i5329 2023
"Reminders"; i1099r 2024 "What's New").

Where they go: a plan's code 8/P amounts are wages-like income (Form 1040 line 1h from 2022, line
1 before), not pensions (i1040 "Lines 5a and 5b": "report them on line 1h"); an IRA's stay on
lines 4a/4b; code E (EPCRS) is not in the line 1h list and stays on lines 5a/5b.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.results import Finding, FormResult, Severity
from megaroth.money import CENT, ZERO, money_text, total
from megaroth.rules.accounts import Account
from megaroth.rules.context import (
    CORRECTIVE,
    GROSS_IRA,
    GROSS_PENSION,
    TREATMENT_TITLES,
    FormContext,
    gross_step,
    not_computed,
    withholding_step,
)
from megaroth.rules.registry import define

CORRECTIVE_CODES = frozenset("8PE")
# What Table 1 lets codes 8 and P stand with (2024-2025: 8 with 1, 2, 4, B, J, K; P with 1, 2, 4, B, J);
# K (IRA assets without a market value) is outside what megaroth computes.
COMPANIONS = frozenset("124BJ")

CORRECTIVE_TAXABLE = define(
    "corrective.taxable",
    "A corrective distribution is taxable as box 2a shows: returned after-tax and designated Roth "
    "contributions (box 5) are basis, their earnings taxable; code 8 in the year of the form, code P in an "
    "earlier year.",
    ["i1099r.corrective-distributions", "i1099r.acp-after-tax", "i1099r.code-p-year",
     "irc-401m.acp-after-tax-returned"],
)
CORRECTIVE_LINE = define(
    "corrective.line",
    "A plan's corrective distribution (code 8 or P) of excess deferrals or contributions is reported with "
    "wages (line 1h from 2022; line 1 before), not on lines 5a/5b; an IRA's stays on lines 4a/4b; an EPCRS "
    "correction (code E) on lines 5a/5b.",
    ["i1040.line-1h", "i1040.line-1-corrective", "i1099r.epcrs-415"],
)
CORRECTIVE_NO_10 = define(
    "corrective.no_additional_tax",
    "Corrective distributions are not subject to the 10% additional tax (IRA earnings only from "
    "December 29, 2022).",
    ["i1099r.corrective-no-10", "i1099r.epcrs-415", "secure-2.section-333", "i5329.corrective-ira-2023"],
)
IRA_EARNINGS_10 = define(
    "corrective.ira_earnings_additional_tax",
    "The earnings of an IRA contribution returned under IRC 408(d)(4) before December 29, 2022 owe the 10% "
    "additional tax when the owner was under 59½ at the distribution, unless an exception applies, whatever "
    "the code the payer printed (Form 5329 line 1 of the year the earnings are reported); from that date they "
    "do not.",
    ["i5329.2022-excess-earnings-10", "irc-72.t1-includible", "irc-72.t2-age", "secure-2.section-333",
     "i5329.corrective-ira-2023"],
)

ROLLED = check(
    "corrective.rolled_over", Severity.error,
    "A corrective distribution cannot be rolled over.",
    ["i1099r.corrective-not-rollover", "i1099r.epcrs-415"],
)
PRIOR_YEAR = check(
    "corrective.prior_year", Severity.warning,
    "A code P corrective distribution is taxable in an earlier year: it belongs on that year's return.",
    ["i1099r.code-p-year", "i1099r.corrective-distributions"],
)
TAXABLE_IMPLIED = check(
    "corrective.taxable_implied", Severity.warning,
    "A corrective distribution with box 2a blank: the taxable amount is taken as box 1 − box 5.",
    ["i1099r.acp-after-tax", "i1099r.corrective-distributions"],
)
IRA_EARNINGS_2022 = check(
    "corrective.ira_2022_date", Severity.warning,
    "A 2022 IRA corrective distribution to an owner under 59½: its earnings owe the 10% additional tax only if "
    "it was paid before December 29, 2022.",
    ["secure-2.section-333", "i5329.2022-excess-earnings-10"],
)
IRA_CODE_1_MISSING = check(
    "corrective.ira_code_1_missing", Severity.warning,
    "An IRA contribution returned before December 29, 2022 to an owner under 59½ without code 1: the payer "
    "should have added code 1 (8 and P stand with 1); the 10% additional tax is owed on the earnings all the same.",
    ["i1099r.code-8-with-1", "i5329.2022-excess-earnings-10"],
)
IRA_CODE_1_NOT_OWED = check(
    "corrective.ira_code_1_not_owed", Severity.info,
    "Code 1 on a returned IRA contribution whose earnings owe no 10% additional tax (paid from December 29, "
    "2022, or to an owner 59½ or older): Form 5329 line 2 takes them out of the tax.",
    ["secure-2.section-333", "i5329.corrective-ira-2023", "irc-72.t2-age"],
)
IRA_EARNINGS_DATE = check(
    "corrective.ira_age_date", Severity.warning,
    "An IRA contribution returned in the year its owner reached 59½, without a distribution date: the 10% "
    "additional tax on its earnings depends on the day.",
    ["i5329.2022-excess-earnings-10", "irc-72.t2-age"],
)
IRA_BIRTH_DATE = check(
    "corrective.ira_birth_date_needed", Severity.warning,
    "An IRA contribution returned before December 29, 2022 with taxable earnings, and the owner's birth date is "
    "not given: the 10% additional tax on the earnings depends on age 59½ at the distribution.",
    ["i5329.2022-excess-earnings-10", "irc-72.t2-age"],
)


NEW_BOX_2026 = check(
    "box.2026_not_computed", Severity.error,
    "Box 7c or 7d of the 2026 Form 1099-R is filled in: megaroth has not read the 2026 form and instructions that "
    "say how these amounts are taxed, so it does not compute the form.",
    ["f1099r-2026.new-boxes"],
)


def new_box_2026(ctx: FormContext, account: Account) -> FormResult | None:
    """A form showing box 7c or 7d (new in 2026) is refused naming the box, never computed without it.

    Box 7d reports earnings on excess contributions apart from box 1: read as an ordinary distribution, the form
    would leave those earnings off every line, or (added to box 1) tax them in a year the 2026 instructions may not
    say. Box 7c marks a kind of account whose own rules megaroth does not have. Either is an amount at stake that a
    person must settle from the 2026 instructions (`f1099r-2026.new-boxes`)."""
    form = ctx.form
    if form.box_7d:
        ctx.find(NEW_BOX_2026, (
            f"Box 7d shows {money_text(form.box_7d)} of earnings on excess contributions. On the 2026 form this amount "
            "can be reported apart from box 1; in which year and on which line it is taxed, and whether the 10% "
            "additional tax applies, is in the 2026 Instructions for Forms 1099-R and 5498, which megaroth has not "
            f"read. The lines leave this form out (box 1 {money_text(form.box_1)} and box 7d "
            f"{money_text(form.box_7d)} at stake): enter it in your software from the form, or ask the payer."),
            box="box_7d", at_stake=form.box_1 + form.box_7d)
        return not_computed(ctx, account, f"Not computed: box 7d ({money_text(form.box_7d)} of earnings on excess "
                                          "contributions, new on the 2026 form) is not computed by megaroth.")
    if form.box_7c:
        ctx.find(NEW_BOX_2026, (
            "Box 7c, a checkbox new on the 2026 form, is checked: it marks a distribution whose rules megaroth does "
            f"not have (the 2026 instructions describe it; megaroth has not read them). The lines leave this form out "
            f"({money_text(form.box_1)} at stake)."), box="box_7c", at_stake=form.box_1)
        return not_computed(ctx, account, "Not computed: box 7c (new on the 2026 form) is checked.")
    return None


def is_corrective(codes: tuple[str, ...]) -> bool:
    return bool(CORRECTIVE_CODES & set(codes))


def treat_corrective(ctx: FormContext, account: Account) -> FormResult:
    form, params = ctx.form, ctx.params
    codes = set(form.codes)
    other = sorted(codes - CORRECTIVE_CODES - COMPANIONS)
    if other or ("E" in codes and len(codes) > 1):
        return not_computed(ctx, account, f"Not computed: code {form.box_7} is not a corrective distribution megaroth "
                                          "computes (codes 8 or P with 1, 2, 4, B or J; code E alone).")
    if "E" in codes and account in ("ira", "roth_ira"):
        return not_computed(ctx, account, "Not computed: code E on an IRA form (SEP or SIMPLE contributions returned "
                                          "to the employer under EPCRS).")
    rolled = [d for d in form.disposition or [] if d.to.is_rollover]
    if rolled:
        ctx.find(ROLLED, (
            f"Code {form.box_7} reports a corrective distribution, which is not an eligible rollover distribution: "
            "it cannot be rolled over. Money put into an IRA is a regular contribution there (ask the IRA to return "
            "it as an excess contribution if it is over the limit)."), box="disposition")
        return not_computed(ctx, account, "Not computed: a corrective distribution cannot be rolled over.")
    taxable = _taxable(ctx)
    if taxable is None:
        return not_computed(ctx, account, (
            "Not computed: box 2a (the taxable amount) is blank or not determined on a corrective distribution, and "
            "box 5 does not say how much was returned contributions."))
    ira = account in ("ira", "roth_ira")
    prior = "P" in codes
    line = params.f1040.corrective
    additional = ZERO
    if prior:
        # The earnings of a returned IRA contribution are income of the year it was made, and so is their 10%.
        earlier = _ira_additional(ctx, taxable) if ira else ZERO
        rate = params.statutory.additional_tax_rate.required()
        ctx.find(PRIOR_YEAR, (
            f"Code P: the {money_text(taxable)} taxable amount belongs on the return of the year the excess was "
            f"made ({params.tax_year - 1}, unless the payer says an earlier one), "
            + ("lines 4a/4b" if ira else "line 1h from 2022, line 1 before")
            + (f", with the 10% additional tax on it ({money_text((earlier * rate).quantize(CENT, ROUND_HALF_UP))}) "
               "on that year's Form 5329 line 1" if earlier else "")
            + ": amend it with Form 1040-X if it is filed. Nothing from this form goes on this year's lines, except "
            "the tax withheld (box 4)."),
            box="box_7")
        ctx.steps.append(CORRECTIVE_TAXABLE.step(
            "taxable", f"Code P: {money_text(taxable)} taxable in an earlier year; nothing on this return.",
            result=ZERO, inputs={"box_2a": taxable}))
        gross_line = None
        on_this_return = ZERO
    elif ira:
        gross_step(ctx, GROSS_IRA)
        ctx.steps.append(CORRECTIVE_TAXABLE.step(
            "taxable", f"Code {form.box_7}: the earnings, {money_text(taxable)}, are taxable (line "
            f"{params.f1040.lines.ira_taxable.line}); the contribution returned is not.", result=taxable,
            inputs={"box_2a": taxable}))
        additional = _ira_additional(ctx, taxable)
        if additional:
            ctx.steps.append(IRA_EARNINGS_10.step(
                "additional_tax_base", f"The earnings, {money_text(additional)}, of an IRA contribution returned before "
                f"{params.statutory.ira_corrective_earnings_exempt_from.required().isoformat()} to an owner under 59½ "
                "owe the 10% additional tax unless an exception applies (Form 5329 line 1), whatever code the payer "
                "printed.", result=additional, inputs={"box_2a": taxable}))
        gross_line, on_this_return = "ira_gross", taxable
    elif "E" in codes:
        gross_step(ctx, GROSS_PENSION)
        ctx.steps.append(CORRECTIVE_TAXABLE.step(
            "taxable", f"Code E (EPCRS): {money_text(taxable)} taxable on line "
            f"{params.f1040.lines.pension_taxable.line}; returned after-tax or Roth contributions (box 5) are not.",
            result=taxable, inputs={"box_2a": taxable}))
        gross_line, on_this_return = "pension_gross", taxable
    else:
        ctx.steps.append(CORRECTIVE_LINE.step(
            "taxable", f"Code {form.box_7}: {money_text(taxable)} goes on line {line.line} ({line.label}), not on lines "
            f"{params.f1040.lines.pension_gross.line}/{params.f1040.lines.pension_taxable.line}; returned after-tax "
            "or designated Roth contributions (box 5) are not taxable.", result=taxable, inputs={"box_2a": taxable}))
        gross_line, on_this_return = "corrective", taxable
    if not additional and not (ira and prior):
        ctx.steps.append(CORRECTIVE_NO_10.step(
            "additional_tax_base", "A corrective distribution: no 10% additional tax, and no rollover." if not ira
            else "A returned IRA contribution: no 10% additional tax on its earnings (paid from December 29, 2022, "
                 "to an owner 59½ or older, or with an exception the payer shows), and no rollover.", result=ZERO))
    withholding_step(ctx, ira)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account=account, treatment=CORRECTIVE,
        treatment_title=TREATMENT_TITLES[CORRECTIVE], gross=form.box_1, basis=form.box_1 - taxable,
        pretax=taxable, taxable=on_this_return, withholding=form.box_4 or ZERO, gross_line=gross_line,
        fully_taxable=False, additional_tax_base=additional, steps=ctx.steps,
    )


def _taxable(ctx: FormContext):
    form = ctx.form
    if form.box_2a is not None and not form.taxable_not_determined:
        return min(form.box_2a, form.box_1)
    if form.box_5 is not None:
        taxable = form.box_1 - min(form.box_5, form.box_1)
        ctx.find(TAXABLE_IMPLIED, (
            f"Box 2a is blank: megaroth takes box 1 − box 5 = {money_text(taxable)} as the taxable earnings. Ask the "
            "plan to confirm."), box="box_2a")
        return taxable
    return None


def _ira_additional(ctx: FormContext, taxable) -> Decimal:
    """The earnings of a returned IRA contribution (IRC 408(d)(4)) subject to the 10% additional tax, on Form
    5329 line 1 of the year they are reported: paid before December 29, 2022 to an owner under 59½, unless the
    payer shows an exception (codes 2, 3, 4). The code 1 the payer should have added decides nothing."""
    form, params = ctx.form, ctx.params
    if not taxable:
        return ZERO
    codes = set(form.codes)
    exempt_from: date = params.statutory.ira_corrective_earnings_exempt_from.required()
    rate = params.statutory.additional_tax_rate.required()
    at_stake = (taxable * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    paid = form.distribution_date or form.box_13
    if params.tax_year > exempt_from.year or (paid is not None and paid >= exempt_from):
        if "1" in codes:
            ctx.find(IRA_CODE_1_NOT_OWED, (
                f"Code {form.box_7}: code 1 says \"early, no known exception\", but the earnings of an IRA "
                f"contribution returned from {exempt_from.isoformat()} on owe no 10% additional tax (SECURE 2.0 § 333). "
                "If your software charges it, file Form 5329 and take the earnings out on line 2."), box="box_7")
        return ZERO
    if codes & {"2", "3", "4"}:
        # The payer shows an exception (2), disability (3) or death (4): the 10% does not apply.
        return ZERO
    person = ctx.case.person(ctx.owner)
    who = (person.name if person else None) or ctx.owner
    birth = person.birth_date if person else None
    if birth is None:
        ctx.find(IRA_BIRTH_DATE, (
            f"Code {form.box_7}: the {money_text(taxable)} of earnings of a returned IRA contribution paid before "
            f"{exempt_from.isoformat()} owe the 10% additional tax ({money_text(at_stake)}) if {who} was under 59½ "
            f"when it was paid, whatever the code. The birth date is not given: megaroth counts the tax; give "
            f"{ctx.owner}.birth_date."), box=f"{ctx.owner}.birth_date", fact=f"{ctx.owner}.birth_date",
            at_stake=at_stake)
        early = True
    else:
        reached = date_reaching_age(birth, params.statutory.early_distribution_age.required())
        if paid is not None:
            early = paid < reached
        elif reached <= date(params.tax_year, 1, 1):
            early = False
        else:
            early = True
            if reached < date(params.tax_year + 1, 1, 1):
                ctx.find(IRA_EARNINGS_DATE, (
                    f"{who} reached 59½ on {reached.isoformat()}: the {money_text(taxable)} of earnings owe the 10% "
                    f"additional tax ({money_text(at_stake)}) only if the contribution was returned before that "
                    "day. Give distribution_date (box 13); megaroth counts the tax until then."),
                    box="distribution_date")
    if not early:
        if "1" in codes:
            ctx.find(IRA_CODE_1_NOT_OWED, (
                f"Code {form.box_7}: {who} was 59½ or older when it was paid, so its earnings owe no 10% additional "
                "tax although the payer printed code 1. File Form 5329 with the earnings on line 2 (exception 12, "
                "other) if your software charges it, and ask the payer to correct the code."), box="box_7")
        return ZERO
    if not codes & {"1", "J"}:
        ctx.find(IRA_CODE_1_MISSING, (
            f"Code {form.box_7}: the payer should have added code 1 (early distribution, no known exception; Table 1 "
            f"lets 8 and P stand with 1): the earnings, {money_text(taxable)}, of an IRA contribution returned before "
            f"{exempt_from.isoformat()} to an owner under 59½ owe the 10% additional tax ({money_text(at_stake)}) "
            "unless an exception applies, whatever the code. Form 5329 line 1 takes them (the Schedule 2 shortcut is "
            "only for a form showing code 1)."), box="box_7")
    if params.tax_year == exempt_from.year and paid is None:
        ctx.find(IRA_EARNINGS_2022, (
            f"Code {form.box_7}, paid in 2022: if it was paid before {exempt_from.isoformat()}, the "
            f"{money_text(taxable)} of earnings owes the 10% additional tax ({money_text(at_stake)}); from that date "
            "it does not. Give distribution_date (box 13); megaroth counts the tax until then."),
            box="distribution_date")
    return taxable


ROOM_LINK = check(
    "corrective.room", Severity.info,
    "How the year's corrective distributions relate to the excess the contribution-room check found.",
    ["i1099r.corrective-distributions", "irc-402.g2-excess", "rev-proc-2021-30.excess-annual-additions"],
)
ROOM_UNCORRECTED = check(
    "corrective.excess_left", Severity.warning,
    "The room check finds an excess that the corrective distributions of the case do not cover.",
    ["irc-402.g2-excess", "i1099r.corrective-distributions"],
)


def link_to_room(results: list[FormResult], room_result, owner: str, tax_year: int) -> list[Finding]:
    """Tie the owner's corrective distributions to the excess the room check found (RoomResult)."""
    mine = [r for r in results if r.treatment == CORRECTIVE and r.owner == owner]
    excess_deferrals = room_result.excess_deferrals if room_result else ZERO
    excess_additions = total(e.excess for e in room_result.employers) if room_result else ZERO
    findings = []
    if not mine:
        if excess_deferrals or excess_additions:
            findings.append(ROOM_UNCORRECTED.finding(
                f"The {tax_year} contributions have {money_text(excess_deferrals + excess_additions)} of excess "
                "(above) and the case has no corrective distribution: one made after the year is on the next "
                "year's 1099-R (code P for excess deferrals returned by April 15; code E for an EPCRS correction). "
                "Until it is corrected the excess deferral is taxed twice: in the year deferred and when "
                "distributed."))
        return findings
    returned = total(r.gross for r in mine)
    forms = ", ".join(f"{r.form_id!r} (code {r.box_7}, {money_text(r.gross)})" for r in mine)
    after_tax = total(r.basis or ZERO for r in mine if r.account == "plan")
    if excess_deferrals or excess_additions:
        findings.append(ROOM_LINK.finding(
            f"Corrective distribution(s) {forms} return {money_text(returned)} with earnings, against "
            f"{money_text(excess_deferrals)} of excess deferrals and {money_text(excess_additions)} of excess annual "
            f"additions in the {tax_year} room. A code 8 or E form of {tax_year} corrects {tax_year}'s excess only "
            "if the plan says so; a code P form corrects an earlier year's."))
    else:
        findings.append(ROOM_LINK.finding(
            f"Corrective distribution(s) {forms}: the {tax_year} room check finds no personal excess, so they come "
            "from a plan test (ADP for deferrals, ACP for after-tax and matching contributions) or correct an "
            "earlier year (code P)."
            + (f" {money_text(after_tax)} of after-tax contributions returned are no longer in the plan: they cannot "
               "be converted and are not plan basis at year end." if after_tax else "")))
    return findings
