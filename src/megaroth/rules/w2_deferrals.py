"""Form W-2 deferrals: the 402(g) limit across employers, and the plans the room check cannot
otherwise see.

A 1099-R never shows what went into a plan. Box 12 of each W-2 does (General Instructions for
Forms W-2 and W-3): pretax D, E, F, G, H, S and designated Roth AA, BB, EE. Used twice:
- in the return (`excess_deferral_findings`): deferrals across a person's employers above the
  year's 402(g) limit (plus the catch-up allowed at the person's age; 457(b) plans have their own
  limit) are an excess deferral. Its pretax part is income of the deferral year — Form 1040
  line 1h (i1040 "Excess salary deferrals"), since box 1 leaves it out; the Roth part is in box 1
  already. Returned with its earnings by April 15 of the next year it is not taxed again, the
  earnings being income of the year distributed; not returned, it is taxed again when it comes
  out (Pub 525). Which part is excess (pretax or Roth) is the plan's correction, so where a
  person has both the line 1h amount is a range and the finding says so.
- in the room check (`plans_with_w2`): each W-2's deferrals join the plan of that employer and
  kind given in `yearend.plans`, or stand as a plan of their own (no after-tax room known), with
  415(c) compensation from box 1 plus the pretax deferrals it leaves out (Treas. Reg.
  1.415(c)-2(d)(4)) when no compensation is given.

The pretax excess goes on line 1h of the deferral year (`line_1h_excess`) when it is one amount
and no code 8 corrective 1099-R of the same person and year is there (a same-year correction's
1099-R already puts the returned excess on line 1h; counting both would tax it twice). Where the
excess may be pretax or Roth (the plan's correction decides), the amount is a range: it is
reported, not added, and the finding says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections import OrderedDict
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.owners import owner_of
from megaroth.model.results import Finding, FormResult, Severity, Step
from megaroth.model.w2 import PLAN_KIND, PRETAX_DEFERRAL_CODES, ROTH_DEFERRAL_CODES, FormW2
from megaroth.model.yearend import Plan
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.rules.registry import define

W2_CITES = ["iw2.box-12-codes", "irc-402.g-limit"]
W2_PLAN = define(
    "w2.deferrals",
    "Box 12 of each W-2 reports the elective deferrals per employer and kind of plan; they count toward 402(g) "
    "across employers and toward each employer's 415(c) limit, with compensation from box 1 plus the pretax "
    "deferrals box 1 leaves out when none is given.",
    W2_CITES + ["irc-415.c3-w2-compensation"],
)
EXCESS = check(
    "w2.excess_deferral", Severity.error,
    "The W-2s show elective deferrals above the year's 402(g) limit (with the catch-up the age allows): an excess "
    "deferral, income of the deferral year (Form 1040 line 1h) whether or not it is returned.",
    W2_CITES + ["irc-402.g2-excess", "i1040.line-1h-excess-deferrals", "p525.excess-deferrals",
                "irc-414.v-catch-up"],
)
AGE_NEEDED = check(
    "w2.birth_date_needed", Severity.warning,
    "W-2 deferrals above the 402(g) limit, and the owner's birth date is not given: whether a catch-up covers them "
    "depends on the age.",
    ["irc-414.v-catch-up", "irc-414.v2-catch-up-age", "irc-402.g-limit"],
)
OWNER_UNKNOWN = check(
    "w2.owner_unknown", Severity.warning,
    "Whose a W-2 is could not be told on a joint return: its deferrals are not counted toward anyone's limit.",
    ["iw2.box-12-codes", "irc-402.g-limit"],
)
PLAN_DIFFERS = check(
    "w2.plan_deferrals_differ", Severity.warning,
    "A plan's deferrals in yearend.plans differ from what that employer's W-2 box 12 reports; the W-2 is used.",
    W2_CITES,
)
CORRECTIVE_YEAR = check(
    "w2.corrective_year", Severity.info,
    "How the case's corrective 1099-Rs (codes 8 and P) relate to the W-2s' excess deferral and the deferral year's "
    "line 1h.",
    ["i1099r.code-p-year", "i1040.line-1h-excess-deferrals", "p525.excess-deferrals"],
)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def _mine(case: Case, role: str) -> list[FormW2]:
    return [w for w in case.forms_w2 if owner_of(w, case)[0] == role]


def catch_up_limit(age: int | None, params: YearParameters) -> Decimal:
    """The catch-up allowed at an age attained by year end (IRC 414(v)): 50+, and 60-63 where the year has it."""
    statutory, limits = params.statutory, params.limits
    if age is None or age < statutory.catch_up_age.required():
        return ZERO
    super_limit = limits.catch_up_60_63.value
    if super_limit is not None and statutory.super_catch_up_first_age.required() <= age <= \
            statutory.super_catch_up_last_age.required():
        return super_limit
    return limits.catch_up_50.required()


def excess_deferral_findings(case: Case, params: YearParameters, results: list[FormResult]) -> list[Finding]:
    """The excess deferral each person's W-2s show, what to do about it, and where it goes."""
    findings: list[Finding] = []
    year = params.tax_year
    limit = params.limits.elective_deferral_402g.required()
    for w2 in case.forms_w2:
        role, how = owner_of(w2, case)
        if role is None:
            findings.append(OWNER_UNKNOWN.finding(
                f"W-2 {w2.id!r} ({w2.employer}): whose it is cannot be told ({how}); its deferrals are not counted. "
                "Give its owner.", box="owner", at_stake=w2.pretax_deferrals + w2.roth_deferrals))
    added = _added(case, params, results)
    for role, person in case.people:
        w2s = _mine(case, role)
        counted = PRETAX_DEFERRAL_CODES - {"G"} | ROTH_DEFERRAL_CODES - {"EE"}  # 457(b) has its own limit
        found = _excess(case, params, role, person)
        pretax, roth, deferred, catch_up, excess = (found.pretax, found.roth, found.deferred, found.catch_up,
                                                    found.excess)
        if deferred <= limit:
            continue
        who = person.name or f"the {role}"
        employers = ", ".join(sorted({w.employer for w in w2s if w.amount(counted)}))
        birth = person.birth_date
        if birth is None:
            at_stake = min(deferred - limit, params.limits.catch_up_50.required())
            findings.append(AGE_NEEDED.finding(
                f"{who}'s W-2s ({employers}) show {money_text(deferred)} of deferrals, above the {year} limit of "
                f"{money_text(limit)}; from age 50 a catch-up of up to {money_text(at_stake)} is allowed above it. "
                f"Give {role}.birth_date; megaroth counts no catch-up.",
                box=f"{role}.birth_date", fact=f"{role}.birth_date", at_stake=at_stake))
        if not excess:
            continue
        low, high = found.range_1h
        line = params.f1040.corrective.line
        on_line = (f"{money_text(high)} goes on line {line} of the {year} return"
                   + (" (megaroth's line includes it)" if (role, high) in added else "") if low == high else
                   f"add between {money_text(low)} and {money_text(high)} to line {line} of the {year} return: the "
                   f"pretax part of the excess (the plan's correction says whether it returns pretax or Roth "
                   f"deferrals; the Roth part, up to {money_text(min(excess, roth))}, is already in W-2 box 1)")
        if not high:
            on_line = f"nothing goes on line {line}: the excess is designated Roth money, already in W-2 box 1"
        findings.append(EXCESS.finding(
            f"{who}'s W-2s ({employers}) show {money_text(deferred)} of elective deferrals ({money_text(pretax)} pretax, "
            f"{money_text(roth)} Roth) against the {year} 402(g) limit of {money_text(limit)}"
            + (f" plus {money_text(catch_up)} catch-up" if catch_up else "")
            + f": {money_text(excess)} of excess deferral. It is income for {year} whether or not it is returned: "
            f"{on_line} (Form 1040 instructions, line 1h). Ask one plan to return the excess with its earnings by April "
            f"15, {year + 1} (a corrective distribution; its 1099-R will show code P for the excess, code 8 for the "
            f"earnings, which are income of {year + 1}). Not returned by then, it is taxed again in the year it is "
            "distributed (Pub 525).",
            box="forms_w2", at_stake=high))
        findings += _corrective_links(role, year, results, excess, line)
    return findings


@dataclass(frozen=True)
class Excess:
    """One person's deferrals against 402(g): what the W-2s show and the excess (IRC 402(g)(1))."""

    pretax: Decimal
    roth: Decimal
    catch_up: Decimal
    excess: Decimal

    @property
    def deferred(self) -> Decimal:
        return self.pretax + self.roth

    @property
    def range_1h(self) -> tuple[Decimal, Decimal]:
        """The pretax part of the excess, low and high: which part is returned is the plan's correction."""
        return max(ZERO, self.excess - self.roth), min(self.excess, self.pretax)


def _excess(case: Case, params: YearParameters, role: str, person) -> Excess:
    w2s = _mine(case, role)
    pretax = total(w.amount(PRETAX_DEFERRAL_CODES - {"G"}) for w in w2s)  # 457(b) has its own limit
    roth = total(w.amount(ROTH_DEFERRAL_CODES - {"EE"}) for w in w2s)
    birth = person.birth_date
    catch_up = catch_up_limit(None if birth is None else params.tax_year - birth.year, params)
    limit = params.limits.elective_deferral_402g.required()
    return Excess(pretax, roth, catch_up, max(ZERO, pretax + roth - limit - catch_up))


def _added(case: Case, params: YearParameters, results: list[FormResult]) -> list[tuple[str, Decimal]]:
    """(role, amount) of each person's pretax excess deferral that line 1h takes: one amount, not a
    range, and no same-year code 8 corrective 1099-R of theirs that may already return it."""
    out = []
    for role, person in case.people:
        low, high = _excess(case, params, role, person).range_1h
        same_year = any(r.owner == role and r.treatment == "corrective_distribution" and r.account == "plan"
                        and "8" in r.box_7 for r in results)
        if high and low == high and not same_year:
            out.append((role, high))
    return out


def line_1h_excess(case: Case, params: YearParameters, results: list[FormResult]) -> list[tuple[str, Decimal]]:
    """What the W-2s' excess deferrals add to line 1h, as (label, amount) per person (IRC 402(g)(1); i1040
    line 1h "Excess salary deferrals")."""
    names = dict(case.people)
    return [(f"W-2 excess deferral ({names[role].name or role})", amount)
            for role, amount in _added(case, params, results)]


def _corrective_links(role: str, year: int, results: list[FormResult], excess: Decimal, line: str) -> list[Finding]:
    """A code 8 plan form of the same year may already return the W-2s' excess; a code P form returns an earlier
    year's, whose line 1h is on that year's return."""
    out = []
    for result in results:
        if result.owner != role or result.treatment != "corrective_distribution" or result.account != "plan":
            continue
        codes = set(result.box_7.replace(" ", ""))
        if "P" in codes:
            out.append(CORRECTIVE_YEAR.finding(
                f"Form {result.form_id!r} (code {result.box_7}) returns an excess of an earlier year: its "
                f"{money_text(result.pretax or ZERO)} belongs on line {line} of that year's return (amend it with Form "
                f"1040-X if it is filed), not on {year}'s; the {year} W-2s' own excess of {money_text(excess)} is "
                "separate.", form_id=result.form_id))
        elif "8" in codes:
            out.append(CORRECTIVE_YEAR.finding(
                f"Form {result.form_id!r} (code {result.box_7}) is a {year} corrective distribution, already on line "
                f"{line} ({money_text(result.taxable or ZERO)}). If it returns this {year} excess, do not add the "
                "returned deferral to line 1h a second time: add only the part of the excess it does not return.",
                form_id=result.form_id))
    return out


def plans_with_w2(plans: list[Plan], case: Case, role: str) -> tuple[list[Plan], list[Step], list[Finding]]:
    """The person's plans for the room check with the W-2s' deferrals: joined to the plan of the same employer and
    kind, or as plans of their own."""
    steps: list[Step] = []
    findings: list[Finding] = []
    groups: "OrderedDict[tuple[str, str], dict]" = OrderedDict()
    for w2 in _mine(case, role):
        for entry in w2.box_12:
            kind = PLAN_KIND.get(entry.code)
            if kind is None:
                continue
            group = groups.setdefault((_key(w2.employer), kind), {
                "employer": w2.employer, "kind": kind, "pretax": ZERO, "roth": ZERO, "w2s": set(), "pay": ZERO})
            if entry.code in ROTH_DEFERRAL_CODES:
                group["roth"] += entry.amount
            else:
                group["pretax"] += entry.amount
            group["w2s"].add(w2.id)
    pay: dict[str, Decimal] = {}
    for w2 in _mine(case, role):
        pay[_key(w2.employer)] = pay.get(_key(w2.employer), ZERO) + w2.box_1 + w2.pretax_deferrals
    merged: list[Plan] = []
    used: set[tuple[str, str]] = set()
    for plan in plans:
        key = (_key(plan.employer), plan.kind)
        group = groups.get(key)
        if group is None or key in used:
            merged.append(plan)
            continue
        used.add(key)
        given = (plan.pretax_deferrals, plan.roth_deferrals)
        shown = (group["pretax"], group["roth"])
        if given != shown:
            if any(given):
                findings.append(PLAN_DIFFERS.finding(
                    f"{plan.id}: yearend.plans gives {money_text(given[0])} pretax and {money_text(given[1])} Roth "
                    f"deferrals; {group['employer']}'s W-2 box 12 shows {money_text(shown[0])} and "
                    f"{money_text(shown[1])}. megaroth uses the W-2 (what the IRS sees); correct whichever is wrong."))
            steps.append(W2_PLAN.step("w2", f"{plan.id}: deferrals from W-2 box 12: {money_text(shown[0])} pretax, "
                                            f"{money_text(shown[1])} Roth.", result=shown[0] + shown[1]))
            plan = plan.model_copy(update={"pretax_deferrals": shown[0], "roth_deferrals": shown[1]})
        merged.append(plan)
    for key, group in groups.items():
        if key in used:
            continue
        compensation = pay.get(key[0], ZERO)
        plan_id = f"W-2 {group['employer']} ({group['kind']})"
        steps.append(W2_PLAN.step("w2", (
            f"{plan_id}: deferrals from W-2 {', '.join(sorted(group['w2s']))} box 12: {money_text(group['pretax'])} "
            f"pretax, {money_text(group['roth'])} Roth; compensation {money_text(compensation)} (box 1 plus the pretax "
            "deferrals it leaves out). Employer contributions and after-tax money are not on a W-2: add the plan to "
            "yearend.plans to figure its after-tax room."), result=group["pretax"] + group["roth"],
            inputs={"compensation": compensation}))
        merged.append(Plan(id=plan_id, owner=role, employer=group["employer"], kind=group["kind"],
                           compensation=compensation, pretax_deferrals=group["pretax"], roth_deferrals=group["roth"],
                           allows_after_tax=False))
    return merged, steps, findings
