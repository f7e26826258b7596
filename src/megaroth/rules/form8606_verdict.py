"""Form 8606: where it does NOT apply (the mega backdoor flows), and where it does.

- An in-plan Roth rollover never touches Form 8606: no IRA is involved.
- A rollover from a plan to a Roth IRA is not a conversion: Part II covers conversions from
  traditional, SEP and SIMPLE IRAs only; the rollover is reported on lines 5a/5b.
- A designated Roth rollover to a Roth IRA (code H) is not a Roth IRA distribution (Part III
  excludes rollovers); it adds Roth IRA contribution basis for later years.
- After-tax money rolled into a traditional IRA is IRA basis: no Form 8606 for the rollover
  itself, but it is carried to line 2 of the next Form 8606 filed.
- An IRA converted to a Roth IRA: Part II applies.
"""

from __future__ import annotations

from megaroth.model.case import Case
from megaroth.model.form1099r import Destination
from decimal import Decimal

from megaroth.model.results import CarriedIraBasis, Form8606Verdict, FormResult, PersonResult
from megaroth.money import ZERO, money_text, total
from megaroth.rules.registry import define

VERDICT = define(
    "form_8606.verdict",
    "Form 8606 covers traditional IRA basis (Part I), conversions from traditional, SEP and SIMPLE IRAs "
    "(Part II) and Roth IRA distributions (Part III); plan rollovers to Roth accounts are reported on "
    "lines 5a/5b only, and after-tax money rolled into a traditional IRA is basis carried to the next "
    "Form 8606.",
    ["i8606.part-ii-ira-only", "i8606.rollover-basis", "i8606.part-iii-rollover-excluded", "i1040.ira.exception-2"],
)


def _reason(result: FormResult) -> str | None:
    name = f"Form {result.form_id!r}"
    destinations = {p.destination for p in result.parts}
    if result.account == "plan":
        reasons = []
        if Destination.designated_roth_same_plan in destinations:
            reasons.append("the in-plan Roth rollover stays inside the plan: no IRA is involved, so Form 8606 "
                           "does not apply")
        if Destination.roth_ira in destinations:
            reasons.append("a rollover from a 401(k)/403(b)/457(b) plan to a Roth IRA is not an IRA conversion: it "
                           "is reported on lines 5a/5b, not on Form 8606 Part II")
        if Destination.traditional_ira in destinations:
            basis = total(p.basis for p in result.parts if p.destination is Destination.traditional_ira)
            if result.basis is None:
                reasons.append("the after-tax part that went into the traditional IRA is unknown (box 2a not "
                               "determined, box 5 blank): any after-tax money in it is IRA basis for the next "
                               "Form 8606 you file; ask the plan for the amount")
            elif basis:
                reasons.append(f"{money_text(basis)} of after-tax money went into a traditional IRA: it becomes "
                               "basis there, carried to line 2 of the next Form 8606 you file (none is filed for "
                               "the rollover itself)")
            else:
                reasons.append("only pretax money went into the traditional IRA: nothing to track on Form 8606")
        if result.treatment == "direct_rollover_destination_unknown":
            reasons.append("the destination is not given: if box 5 money went into a traditional IRA it is IRA "
                           "basis; otherwise Form 8606 does not apply")
        if not reasons:
            reasons.append("a plan distribution is reported on lines 5a/5b; Form 8606 does not apply")
        return f"{name}: " + "; ".join(reasons) + "."
    if result.account == "designated_roth":
        if Destination.roth_ira in destinations:
            return (f"{name}: a rollover of designated Roth money to a Roth IRA is neither a conversion nor a Roth "
                    "IRA distribution (Part III excludes rollovers): no Form 8606 now; its designated Roth basis "
                    f"({money_text(result.roth_ira_basis_line_22)}) counts as Roth IRA contribution basis, "
                    "line 22, when you later take a Roth IRA distribution.")
        return f"{name}: a designated Roth account distribution is reported on lines 5a/5b; Form 8606 does not apply."
    owner = f" ({result.owner}'s)" if result.owner == "spouse" else ""
    if result.account == "roth_ira":
        if result.status != "computed":
            return f"{name}{owner}: a Roth IRA distribution whose taxable part (Form 8606 Part III) could not be figured."
        if "Q" in result.box_7:
            return f"{name}{owner}: a qualified Roth IRA distribution (code Q): not taxable, no Form 8606."
        return (f"{name}{owner}: a Roth IRA distribution: Form 8606 Part III figures its taxable part, unless it is "
                "qualified or rolled over.")
    if result.status != "computed":
        return f"{name}{owner}: an IRA distribution whose taxable part (Form 8606) could not be figured."
    if result.treatment == "ira_recharacterization_prior":
        return (f"{name}{owner}: a recharacterization of an earlier year's contribution (code R): not on this year's "
                "Form 8606; the contribution is on that year's (line 1 when it became a nondeductible traditional "
                "IRA contribution), with the statement.")
    if result.treatment == "ira_recharacterization":
        return f"{name}{owner}: a recharacterized contribution: not on Form 8606; a statement explains it."
    if result.ira_conversion_taxable is not None:
        return f"{name}{owner}: converted from a traditional IRA to a Roth IRA: Form 8606 Part II applies."
    if Destination.kept in destinations:
        return (f"{name}{owner}: a traditional IRA distribution: taxable but for its share of basis, figured on Form "
                "8606 Part I when its owner has basis.")
    return f"{name}{owner}: an IRA rollover with no conversion; Form 8606 is not needed for it."


CARRY = define(
    "form_8606.basis_carried",
    "Basis in traditional IRAs carried to next year is line 14 of this year's Form 8606 (after a conversion "
    "caught by the pro-rata rule, the basis the conversion did not use); with no Form 8606 this year, the basis "
    "carried in plus after-tax money rolled from a plan into a traditional IRA. It is line 2 of the next Form "
    "8606.",
    ["f8606.line-14", "i8606.line-2", "i8606.rollover-basis"],
)


def basis_next_year(person: PersonResult, results: list[FormResult], before: Decimal | None = None) -> Decimal | None:
    """The person's traditional IRA basis at year end, next year's Form 8606 line 2, or None when
    nothing says they have any. `before`: what the ledger carried in, counted when the analysis
    started from no known basis (its line 2 then took none)."""
    line_14 = person.form_8606.traditional_basis_next_year
    earlier = before if person.traditional_basis_given is None else None
    if line_14 is not None:
        return line_14 + (earlier or ZERO)
    added = total(r.ira_basis_added for r in results if r.owner == person.role and r.status == "computed")
    if added or earlier is not None:
        return (earlier or ZERO) + added
    return None


def carried_basis(results: list[FormResult], people: list[PersonResult], tax_year: int) -> list[CarriedIraBasis]:
    """Each person's basis carried to next year's Form 8606 line 2, named for what it is."""
    out = []
    for person in people:
        amount = basis_next_year(person, results)
        if amount is None:
            continue
        who = person.name or person.role.capitalize()
        line_14 = person.form_8606.status == "computed" and person.form_8606.line("14") is not None
        out.append(CarriedIraBasis(
            role=person.role, name=person.name, amount=amount,
            source="form_8606_line_14" if line_14 else "after_tax_rolled_in",
            description=(f"{who}: line 14 of the {tax_year} Form 8606 ({money_text(amount)}), line 2 of the next "
                         "Form 8606" if line_14 else
                         f"{who}: basis in traditional IRAs at the end of {tax_year} ({money_text(amount)}: the basis "
                         "carried in plus after-tax money rolled from a plan into a traditional IRA; no Form 8606 "
                         "this year), line 2 of the next Form 8606")))
    return out


def form_8606_verdict(results: list[FormResult], case: Case, people: list[PersonResult]) -> Form8606Verdict:
    """The return's Form 8606 verdict: which person files one (each their own), or why none applies.
    `ira_basis_to_carry` is what the people carry to next year's line 2 (their line 14), as the ledger keeps it."""
    reasons = [reason for result in results if (reason := _reason(result))]
    unknown = [r.form_id for r in results if not r.destination_known]
    added = total(r.ira_basis_added for r in results if r.status == "computed")
    by_person = carried_basis(results, people, case.tax_year)
    carried = total(c.amount for c in by_person)
    cites = list(VERDICT.cites)
    filing = [p for p in people if p.form_8606.status != "not_needed"]
    if filing:
        joint = len(people) > 1
        who = "; ".join(f"{p.name or p.role.capitalize()}: {', '.join(p.form_8606.parts) or 'not computed'}"
                        + (" (not computed)" if p.form_8606.status == "not_computed" else "") for p in filing)
        first = next((p for p in filing if p.form_8606.amount("16") is not None), filing[0])
        lines = {n: first.form_8606.amount(n) for n in ("16", "17", "18") if first.form_8606.amount(n) is not None}
        parts = sorted({part for p in filing for part in p.form_8606.parts})
        return Form8606Verdict(
            status="applies",
            summary=("Form 8606 applies" + (" (a separate form for each spouse who needs one)" if joint else "")
                     + f": {who}." + (" This comes from the IRA facts and forms, not from the plan rollovers."
                                      if any(r.account in ("plan", "designated_roth") for r in results) else "")),
            parts=parts, ira_basis_to_carry=carried, ira_basis_by_person=by_person,
            reasons=reasons + [f"{p.name or p.role.capitalize()}: {p.form_8606.summary}" for p in filing]
            + [f"Carried to next year: {c.description}." for c in by_person],
            lines=lines,
            cites=cites + [c for c in CARRY.cites if c not in cites] + (["i8606.joint-returns"] if joint else []),
        )
    if unknown:
        # Say only what is known: whether after-tax money became IRA basis depends on the answer.
        forms = ", ".join(repr(f) for f in unknown)
        return Form8606Verdict(
            status="depends",
            summary=f"Depends on where the money went: the case does not say where form(s) {forms} rolled it. If "
                    "it went to a Roth IRA or to the plan's designated Roth account, Form 8606 does not apply; if "
                    "after-tax money (box 5) went into a traditional IRA, it is basis for the next Form 8606 you "
                    "file. Give each form's disposition: where the money went, and how much to each place.",
            ira_basis_to_carry=carried, ira_basis_by_person=by_person, reasons=reasons, cites=cites,
        )
    if added:
        return Form8606Verdict(
            status="carry_basis",
            summary=f"No Form 8606 for these rollovers, but {money_text(added)} of after-tax money went into a "
                    "traditional IRA: add it to your traditional IRA basis (line 2 of the next Form 8606 you "
                    "file, e.g. for a later backdoor Roth conversion)"
                    + (f"; {money_text(carried)} in all." if carried != added else "."),
            ira_basis_to_carry=carried, ira_basis_by_person=by_person,
            reasons=reasons + [f"Carried to next year: {c.description}." for c in by_person],
            cites=cites + [c for c in CARRY.cites if c not in cites],
        )
    summary = "Form 8606 does not apply to these forms."
    into_roth = any(p.destination in (Destination.designated_roth_same_plan, Destination.roth_ira)
                    for r in results if r.account == "plan" for p in r.parts)
    if into_roth:
        summary += (" In-plan Roth rollovers and rollovers from a plan to a Roth IRA are reported on Form 1040 "
                    "lines 5a/5b only; filing Form 8606 Part II for them is a common and costly mistake.")
    return Form8606Verdict(status="does_not_apply", summary=summary, reasons=reasons, cites=cites,
                           ira_basis_to_carry=carried, ira_basis_by_person=by_person)
