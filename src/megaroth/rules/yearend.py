"""The year-end picture: contribution room, conversion timing, this year's 1099-Rs, and the
basis carried in from earlier years and out to the next one. Pure: the caller passes what the
ledger remembered."""

from __future__ import annotations

from decimal import Decimal

from megaroth.model.case import Case
from megaroth.model.results import Analysis, CarriedBasis, Finding, YearEndReport
from megaroth.money import ZERO, total
from megaroth.params import YearParameters
from megaroth.rules.corrective import link_to_room
from megaroth.rules.form8606_verdict import basis_next_year
from megaroth.rules.room import room
from megaroth.rules.timing import timing
from megaroth.rules.w2_deferrals import plans_with_w2


def after_tax_by_plan(case: Case) -> dict[str, Decimal]:
    """After-tax contributions made in the year, per plan, from the dated list when it has plans."""
    yearend = case.yearend
    made: dict[str, Decimal] = {}
    for contribution in yearend.after_tax_contributions if yearend else []:
        if contribution.plan:
            made[contribution.plan] = made.get(contribution.plan, ZERO) + contribution.amount
    if yearend and len(yearend.plans) == 1 and not made and yearend.after_tax_contributions:
        made[yearend.plans[0].id] = total(c.amount for c in yearend.after_tax_contributions)
    return made


def yearend_report(case: Case, params: YearParameters, analysis: Analysis | None,
                   carried: CarriedBasis | None) -> YearEndReport:
    findings: list[Finding] = []
    yearend = case.yearend
    room_result = timing_result = None
    spouse_room = None
    plans = list(yearend.plans) if yearend else []
    if plans or case.forms_w2:
        # 402(g) is per person and 415(c) per person and employer: each spouse's plans are figured alone,
        # with the deferrals their W-2s report (rules/w2_deferrals.py).
        made = after_tax_by_plan(case)
        w2_excess = analysis is not None and any(f.code == "w2.excess_deferral" for f in analysis.findings)
        for role in ("taxpayer", "spouse"):
            mine, w2_steps, w2_findings = plans_with_w2([p for p in plans if p.owner == role], case, role)
            if not mine:
                continue
            person = case.person(role)
            result = room(mine, person.birth_date if person else None, params, made)
            result = result.model_copy(update={"steps": w2_steps + list(result.steps),
                                               "findings": w2_findings + list(result.findings)})
            # The return's own finding (w2.excess_deferral) already says what to do about an excess the W-2s show.
            findings += [f for f in result.findings if not (w2_excess and f.code == "room.excess_deferrals")]
            if role == "taxpayer":
                room_result = result
            else:
                spouse_room = result
    if yearend and (yearend.after_tax_contributions or yearend.conversions or (carried and carried.plan_after_tax_basis)):
        timing_result = timing(yearend, case.tax_year, case.forms_1099r,
                               opening_basis=carried.plan_after_tax_basis if carried else ZERO)
        findings += timing_result.findings
    if analysis is not None:
        findings += analysis.findings
        if room_result is not None or spouse_room is not None:
            findings += link_to_room(analysis.forms, room_result, "taxpayer", case.tax_year)
            if spouse_room is not None:
                findings += link_to_room(analysis.forms, spouse_room, "spouse", case.tax_year)
    # What goes into next year: what the ledger carried in plus what this year added (the
    # ledger keeps them by year; next year's Form 8606 lines 2, 22 and 24 take the totals).
    before = carried or CarriedBasis(years=[], traditional_ira_basis=ZERO, roth_ira_contribution_basis=ZERO,
                                     roth_ira_conversion_basis={}, plan_after_tax_basis=ZERO, open_clocks=[])
    # Traditional IRA basis is each person's line 14 of this year's Form 8606 (what the ledger
    # keeps): after a conversion caught by the pro-rata rule, the basis it did not use.
    people = {p.role: p for p in analysis.people} if analysis else {}
    traditional = before.traditional_ira_basis
    if "taxpayer" in people:
        traditional = basis_next_year(people["taxpayer"], analysis.forms, before.traditional_ira_basis)
        traditional = before.traditional_ira_basis if traditional is None else traditional
    spouse = basis_next_year(people["spouse"], analysis.forms) if "spouse" in people else None
    forward = {
        "traditional_ira_basis": traditional,
        **({"spouse_traditional_ira_basis": spouse} if spouse is not None else {}),
        "roth_ira_contribution_basis": before.roth_ira_contribution_basis + (analysis.roth_ira_basis_line_22
                                                                             if analysis else ZERO),
        "roth_ira_conversion_basis": total(before.roth_ira_conversion_basis.values()) + (
            analysis.roth_ira_basis_line_24 if analysis else ZERO),
    }
    if timing_result is not None:
        forward["plan_after_tax_basis"] = timing_result.unconverted_basis
    elif analysis is None and not yearend:
        # Nothing recorded for this year yet: the plan still holds what the ledger carried in.
        forward["plan_after_tax_basis"] = before.plan_after_tax_basis
    return YearEndReport(tax_year=case.tax_year, taxpayer_name=case.taxpayer.name, taxpayer_id=case.taxpayer.id,
                         spouse_name=case.spouse.name if case.spouse else None,
                         carried=carried, room=room_result, spouse_room=spouse_room, timing=timing_result,
                         analysis=analysis,
                         carry_forward=forward, findings=findings)
