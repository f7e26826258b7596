"""After-tax contribution room for the year: the space the mega backdoor Roth can fill.

For each employer (plans of one employer share a limit):
    415(c) limit   = lesser of the year's dollar limit and 100% of compensation from it
    used           = elective deferrals (without catch-ups) + employer contributions
    after-tax room = 415(c) limit − used, then no more than each plan's own cap
Elective deferrals are limited per person across plans by 402(g); catch-ups (age 50+, and
60–63 from 2025) sit outside both limits and can only be deferrals, never after-tax money. A
governmental 457(b) plan has its own deferral limit and no after-tax room. A match figured on
pay uses pay up to the 401(a)(17) limit. Figures come from the year's parameters.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from megaroth.checks.registry import check
from megaroth.model.results import (
    EmployerRoom,
    Finding,
    PlanRoom,
    RoomResult,
    Severity,
    Step,
)
from megaroth.model.yearend import Plan
from megaroth.money import CENT, PERCENT, ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.rules.registry import define

AGE = define("room.age", "Age attained by the end of the year decides catch-up eligibility.",
             ["irc-414.v2-catch-up-age"])
LIMIT_402G = define("room.402g", "Elective deferrals (pretax and Roth) are limited per person across all "
                    "401(k) and 403(b) plans; catch-ups are allowed above the limit.",
                    ["irc-402.g-limit", "irc-414.v-catch-up"])
CATCH_UP = define("room.catch_up", "Catch-up contributions are deferrals above the 402(g) limit, up to the "
                  "catch-up limit; they are not counted toward 415(c).",
                  ["irc-414.v-catch-up", "irc-414.v2-catch-up-age"])
LIMIT_415C = define("room.415c", "Annual additions per employer are limited to the lesser of the dollar limit and "
                    "100% of compensation from that employer.",
                    ["irc-415.c-limit", "irc-415.c3-compensation"])
MATCH = define("room.match", "A match figured on pay counts pay only up to the 401(a)(17) limit.",
               ["irc-401.a17-compensation"])
ROOM = define("room.after_tax", "After-tax room = 415(c) limit − deferrals (without catch-ups) − employer "
              "contributions, no more than the plan's own cap; a 457(b) plan has none.",
              ["irc-415.c-limit", "plan-terms.after-tax-cap", "irc-457.e15-separate-limit"])

EXCESS_DEFERRALS = check(
    "room.excess_deferrals", Severity.error,
    "Elective deferrals over the 402(g) limit (with any catch-up allowed): excess deferrals.",
    ["irc-402.g-limit", "irc-402.g2-excess"],
)
EXCESS_ADDITIONS = check(
    "room.excess_annual_additions", Severity.error,
    "Contributions over the 415(c) limit for an employer: excess annual additions.",
    ["irc-415.c-limit", "rev-proc-2021-30.excess-annual-additions"],
)
OVER_PLAN_CAP = check(
    "room.after_tax_over_plan_cap", Severity.warning,
    "After-tax contributions over the plan's own cap.",
    ["plan-terms.after-tax-cap"],
)
ROTH_CATCH_UP = check(
    "room.roth_catch_up", Severity.info,
    "Catch-ups of participants whose prior-year FICA wages from the employer exceeded the threshold must be Roth.",
    ["notice-2023-62.roth-catch-up", "irc-414.v-catch-up"],
)
SHARED_ROOM = check(
    "room.shared_by_plans", Severity.info,
    "Several plans of one employer share its 415(c) room.",
    ["irc-415.c-limit"],
)
ACP = check(
    "room.acp_testing", Severity.info,
    "After-tax contributions are subject to the ACP test; a plan may refund some for highly compensated employees.",
    ["irc-401.m-acp", "irc-414.q-hce"],
)

DEFERRAL_KINDS = ("401k", "403b", "other")


EXCESS_457 = check(
    "room.457b_excess", Severity.error,
    "More deferred under a 457(b) plan, employer contributions included, than its own limit.",
    ["irc-457.b2-all-deferrals", "irc-457.e15-separate-limit"],
)


def _age(birth_date: date | None, year: int) -> int | None:
    return None if birth_date is None else year - birth_date.year


def _match(plan: Plan, params: YearParameters, steps: list[Step]) -> Decimal:
    if plan.employer_match is not None:
        return plan.employer_match
    if plan.match_formula is None:
        return ZERO
    pay_cap = params.limits.compensation_401a17.required()
    pay = min(plan.compensation, pay_cap)
    deferrals = plan.pretax_deferrals + plan.roth_deferrals
    formula = plan.match_formula
    matched = min(deferrals, pay * formula.up_to_percent_of_pay / PERCENT)
    match = (matched * formula.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    steps.append(MATCH.step(
        "match", f"{plan.id}: match {formula.rate} × min(deferrals {money_text(deferrals)}, "
        f"{formula.up_to_percent_of_pay}% × pay {money_text(pay)} (pay capped at {money_text(pay_cap)})) = "
        f"{money_text(match)}.", result=match, inputs={"compensation_401a17": pay_cap}))
    return match


def room(plans: list[Plan], birth_date: date | None, params: YearParameters,
         after_tax_made: dict[str, Decimal] | None = None) -> RoomResult:
    """The after-tax room of each plan for the year, with the steps and any excess."""
    steps: list[Step] = []
    findings: list[Finding] = []
    limits = params.limits
    year = params.tax_year
    age = _age(birth_date, year)
    catch_up_limit = ZERO
    if age is not None:
        steps.append(AGE.step("age", f"Age attained by December 31, {year}: {age}."))
        if age >= params.statutory.catch_up_age.required():
            catch_up_limit = limits.catch_up_50.required()
            super_catch_up = limits.catch_up_60_63.value
            first = params.statutory.super_catch_up_first_age.required()
            last = params.statutory.super_catch_up_last_age.required()
            if super_catch_up is not None and first <= age <= last:
                catch_up_limit = super_catch_up
    after_tax_made = after_tax_made or {}

    deferral_plans = [p for p in plans if p.kind in DEFERRAL_KINDS]
    total_deferrals = total(p.pretax_deferrals + p.roth_deferrals for p in deferral_plans)
    limit_402g = limits.elective_deferral_402g.required()
    over = max(ZERO, total_deferrals - limit_402g)
    declared = [p.catch_up for p in deferral_plans if p.catch_up is not None]
    catch_up_used = min(total(declared) if declared else over, catch_up_limit)
    excess_deferrals = max(ZERO, total_deferrals - limit_402g - catch_up_limit)
    steps.append(LIMIT_402G.step(
        "deferrals", f"Deferrals across 401(k)/403(b) plans: {money_text(total_deferrals)}; limit "
        f"{money_text(limit_402g)} plus catch-up up to {money_text(catch_up_limit)}.",
        result=total_deferrals, inputs={"elective_deferral_402g": limit_402g, "catch_up_limit": catch_up_limit}))
    if catch_up_used:
        steps.append(CATCH_UP.step("catch_up", f"Catch-up contributions: {money_text(catch_up_used)} (outside "
                                   "415(c)).", result=catch_up_used))
    if excess_deferrals:
        findings.append(EXCESS_DEFERRALS.finding(
            f"Deferrals of {money_text(total_deferrals)} exceed the {year} limit of {money_text(limit_402g)}"
            + (f" plus {money_text(catch_up_limit)} catch-up" if catch_up_limit else "")
            + f" by {money_text(excess_deferrals)}: an excess deferral. Ask a plan for a corrective distribution "
            "of it with its earnings by April 15 (code 8 or P on the 1099-R), or it is taxed twice. Its pretax part "
            f"is income for {year} either way (line {params.f1040.corrective.line} of the {year} return); the "
            "earnings are taxable when distributed."))
    for plan in plans:
        if plan.kind != "457b":
            continue
        # IRC 457(b)(2), Treas. Reg. 1.457-2(b)(1): the 457(b) limit counts every amount deferred under
        # the plan, by salary reduction or by nonelective employer contribution.
        employer = (plan.employer_match or ZERO) + plan.nonelective + plan.profit_sharing + plan.forfeitures
        deferred = plan.pretax_deferrals + plan.roth_deferrals + employer
        if deferred > limit_402g + catch_up_limit:
            findings.append(EXCESS_457.finding(
                f"{plan.id}: {money_text(deferred)} deferred under the 457(b) plan"
                + (f" ({money_text(plan.pretax_deferrals + plan.roth_deferrals)} by you and {money_text(employer)} "
                   "by the employer, which counts too)" if employer else "")
                + f" exceeds its own limit of {money_text(limit_402g)}"
                + (f" plus {money_text(catch_up_limit)} catch-up" if catch_up_limit else "")
                + f" by {money_text(deferred - limit_402g - catch_up_limit)}: ask the plan to distribute the excess "
                "(Treas. Reg. 1.457-4(e))."))

    # Catch-ups reduce what counts toward 415(c), plan by plan (declared, or in the order given).
    allocation: dict[str, Decimal] = {}
    remaining = catch_up_used
    for plan in deferral_plans:
        deferred = plan.pretax_deferrals + plan.roth_deferrals
        share = min(plan.catch_up if plan.catch_up is not None else remaining, deferred, remaining)
        allocation[plan.id] = share
        remaining -= share

    employers: "OrderedDict[str, list[Plan]]" = OrderedDict()
    for plan in plans:
        employers.setdefault(plan.employer, []).append(plan)
    limit_415c = limits.annual_additions_415c.required()
    employer_rooms: list[EmployerRoom] = []
    plan_rooms: list[PlanRoom] = []
    for employer, members in employers.items():
        qualified = [p for p in members if p.kind != "457b"]
        compensation = max((p.compensation for p in qualified), default=ZERO)
        if len({p.compensation for p in qualified}) > 1:
            steps.append(LIMIT_415C.step(
                "compensation", f"{employer}: the plans give different compensation; the highest, "
                f"{money_text(compensation)}, is used."))
        limit = min(limit_415c, compensation)
        used = ZERO
        details = []
        for plan in qualified:
            match = _match(plan, params, steps)
            employer_money = match + plan.nonelective + plan.profit_sharing + plan.forfeitures
            deferred = plan.pretax_deferrals + plan.roth_deferrals - allocation.get(plan.id, ZERO)
            used += deferred + employer_money
            details.append((plan, match, employer_money, deferred))
        employer_room = max(ZERO, limit - used)
        made = total(after_tax_made.get(p.id, p.after_tax_contributions or ZERO) for p in qualified)
        steps.append(LIMIT_415C.step(
            "room", f"{employer}: 415(c) limit = lesser of {money_text(limit_415c)} and compensation "
            f"{money_text(compensation)} = {money_text(limit)}; deferrals (without catch-ups) and employer "
            f"contributions use {money_text(used)}; room left {money_text(employer_room)}.",
            result=employer_room, inputs={"annual_additions_415c": limit_415c, "compensation": compensation}))
        excess = max(ZERO, used + made - limit)
        if excess:
            findings.append(EXCESS_ADDITIONS.finding(
                f"{employer}: contributions of {money_text(used + made)} exceed the 415(c) limit of "
                f"{money_text(limit)} by {money_text(excess)}: excess annual additions. The plan corrects them "
                "(usually by returning after-tax contributions with their earnings) under EPCRS."))
        employer_rooms.append(EmployerRoom(
            employer=employer, compensation=compensation, limit_415c=limit, used=used, room=employer_room,
            after_tax_made=made, excess=excess))
        with_after_tax = [p for p in qualified if p.allows_after_tax]
        if len(with_after_tax) > 1:
            findings.append(SHARED_ROOM.finding(
                f"{employer}: {len(with_after_tax)} plans take after-tax money; together they share "
                f"{money_text(employer_room)} of room."))
        for plan, match, employer_money, deferred in details:
            cap = None
            pay_cap = min(plan.compensation, limits.compensation_401a17.required())
            if plan.after_tax_cap_percent is not None:
                cap = (pay_cap * plan.after_tax_cap_percent / PERCENT).quantize(CENT, rounding=ROUND_HALF_UP)
            if plan.after_tax_cap_amount is not None:
                cap = plan.after_tax_cap_amount if cap is None else min(cap, plan.after_tax_cap_amount)
            plan_room = ZERO if not plan.allows_after_tax else (employer_room if cap is None else min(employer_room, cap))
            plan_made = after_tax_made.get(plan.id, plan.after_tax_contributions or ZERO)
            steps.append(ROOM.step(
                "after_tax_room", f"{plan.id}: after-tax room {money_text(plan_room)}"
                + (f" (the plan caps after-tax money at {money_text(cap)})" if cap is not None else "")
                + ("" if plan.allows_after_tax else " (the plan takes no after-tax money)") + ".",
                result=plan_room))
            if cap is not None and plan_made > cap:
                findings.append(OVER_PLAN_CAP.finding(
                    f"{plan.id}: after-tax contributions of {money_text(plan_made)} exceed the plan's cap of "
                    f"{money_text(cap)}."))
            plan_rooms.append(PlanRoom(
                plan_id=plan.id, employer=employer, kind=plan.kind,
                deferrals=plan.pretax_deferrals + plan.roth_deferrals, catch_up=allocation.get(plan.id, ZERO),
                deferrals_counted=deferred, employer_contributions=employer_money, match=match, cap=cap,
                room=plan_room, after_tax_made=plan_made, left=max(ZERO, plan_room - plan_made)))
            if plan_made:
                findings.append(ACP.finding(
                    f"{plan.id}: after-tax contributions are tested for nondiscrimination (ACP); if you are a highly "
                    "compensated employee the plan may return some of them."))
        for plan in members:
            if plan.kind == "457b":
                steps.append(ROOM.step("after_tax_room", f"{plan.id}: a 457(b) plan takes no after-tax money; its "
                                       "deferrals have their own limit.", result=ZERO))
                plan_rooms.append(PlanRoom(
                    plan_id=plan.id, employer=employer, kind=plan.kind,
                    deferrals=plan.pretax_deferrals + plan.roth_deferrals, catch_up=ZERO, deferrals_counted=ZERO,
                    employer_contributions=ZERO, match=ZERO, cap=ZERO, room=ZERO, after_tax_made=ZERO, left=ZERO))
    rule = limits.roth_catch_up_wage_threshold
    if rule.value is not None and catch_up_used:
        for plan in deferral_plans:
            wages = plan.prior_year_fica_wages
            if wages is not None and wages > rule.value:
                findings.append(ROTH_CATCH_UP.finding(
                    f"{plan.id}: prior-year FICA wages of {money_text(wages)} exceed {money_text(rule.value)}: catch-ups "
                    f"must be designated Roth contributions ({rule.note or 'in force'}). It does not affect after-tax "
                    "money."))
    return RoomResult(
        tax_year=year, age=age, deferral_limit=limit_402g, catch_up_limit=catch_up_limit,
        total_deferrals=total_deferrals, catch_up_used=catch_up_used, excess_deferrals=excess_deferrals,
        employers=employer_rooms, plans=plan_rooms, steps=steps, findings=findings)
