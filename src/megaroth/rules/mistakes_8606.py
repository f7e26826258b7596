"""Known mistakes of tax software with the backdoor Roth IRA and the pro-rata rule (Form 8606).

The taxable part of a traditional IRA converted to a Roth IRA is not on its Form 1099-R: the
custodian prints box 2a as the whole amount with "taxable amount not determined" checked, and
the owner's Form 8606 takes out the basis. So a 4b too high is never the 1099-R's fault, and
never a box 5 left out: it is a Form 8606 fact the software was not given. Each mistake here is
reproduced by figuring the person's Form 8606 again with one fact as the software had it (no
line 1, no line 2 basis, no December 31 value) and taking the lines that change; a conversion
entered as a rollover drops its taxable part from line 4b.

The fix says what to enter, with the product's own screen where megaroth's entry guide has one
(forms/entry_guides.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from megaroth.model.form1099r import Destination
from megaroth.model.results import Form8606, PersonResult
from megaroth.model.software import FORM_8606_LINES, form_8606_item
from megaroth.model.tax_return import IraFacts
from megaroth.money import ZERO, total
from megaroth.provenance import Source
from megaroth.rules.context import CORRECTIVE
from megaroth.rules.form8606 import Part12, part_i_and_ii
from megaroth.rules.ira import ira_amounts
from megaroth.rules.registry import define

LINE_1 = define(
    "compare.form_8606_line_1_missing",
    "A nondeductible contribution to a traditional IRA goes on Form 8606 line 1: it is basis, and a backdoor "
    "conversion is taxable only for what exceeds its share of the basis (line 17).",
    ["i8606.line-1", "f8606.lines-11-13", "i8606.line-17", "i1040.ira.exception-2"],
)
LINE_2 = define(
    "compare.form_8606_line_2_missing",
    "Basis in traditional IRAs from earlier years (line 14 of the last Form 8606 filed) goes on line 2; left "
    "out, the conversion or distribution is taxed again on money already taxed.",
    ["i8606.line-2", "f8606.line-14", "i1040.ira.exception-2"],
)
LINE_6 = define(
    "compare.form_8606_line_6_missing",
    "Line 6 is the December 31 value of all the owner's traditional, SEP and SIMPLE IRAs: pretax money left in "
    "any of them makes part of a backdoor conversion taxable (the pro-rata rule, line 10).",
    ["i8606.line-6", "f8606.line-10", "f8606.lines-11-13"],
)
CONVERSION_AS_ROLLOVER = define(
    "compare.conversion_as_rollover",
    "A traditional IRA converted to a Roth IRA is not a rollover (Exception 1 covers rollovers to another "
    "traditional IRA or a plan): it is taxable but for its basis, figured on Form 8606 Part II.",
    ["i1040.ira.exception-1", "i1040.ira.exception-2", "f8606.part-ii", "irc-408A.d3-rollover-income"],
)
MARKER_ON_CONVERSION = define(
    "compare.rollover_box_on_conversion",
    "The IRA rollover marker (line 4c box 1 from 2025, the word \"Rollover\" by line 4b before) is for rollovers "
    "under Exception 1; a conversion to a Roth IRA is reported under Exception 2 without it.",
    ["i1040.line-4c", "i1040.ira.exception-1", "i1040.ira.exception-2"],
)

PRODUCTS = {
    "turbotax": ("turbotax", "intuit"),
    "hrblock": ("h&r block", "h & r block", "hrblock", "h&rblock"),
    "freetaxusa": ("freetaxusa", "free tax usa"),
    "drake": ("drake",),
    "ultratax": ("ultratax",),
}
"""How a product names itself (the figures' `software`, a PDF's Creator) → its entry guide."""


def product_of(software: str | None) -> str | None:
    """The entry guide for the software that made the figures, when it says which it is."""
    text = (software or "").lower()
    return next((key for key, names in PRODUCTS.items() if any(n in text for n in names)), None)


@dataclass
class Refigured:
    """A person's Form 8606 Parts I-II figured again with some facts changed."""

    lines: dict[str, Decimal]
    taxable: Decimal
    """What the person's IRA forms put on line 4b."""


def _ira_results(ctx, role: str):
    return [r for r in ctx.results if r.owner == role and r.account == "ira" and r.status == "computed"
            and r.treatment != CORRECTIVE]


def _facts(person: PersonResult, f8606: Form8606, **changes) -> IraFacts:
    """The facts the person's Form 8606 was figured from, read back from its lines (they may come
    from the ledger or a Form 5498), with `changes` applied."""
    basis = person.traditional_basis_given or ZERO
    facts = IraFacts(
        nondeductible_contributions=f8606.amount("1") or ZERO, basis=basis,
        year_end_value=f8606.amount("6") or ZERO, contributions_made_next_year=f8606.amount("4") or ZERO)
    return facts.model_copy(update=changes)


def refigure(ctx, person: PersonResult, facts: IraFacts) -> Refigured | None:
    from megaroth.model.tax_return import Person

    results = _ira_results(ctx, person.role)
    added = total(r.ira_basis_added for r in ctx.results if r.owner == person.role
                  and r.account in ("plan", "designated_roth") and r.status == "computed")
    part: Part12 = part_i_and_ii(person.role, Person(name=person.name, ira=facts), results, added, None, ctx.params,
                                 [], Source(), ctx.case.options)
    if part.status == "not_computed":
        return None
    lines = {line.line: line.amount for line in part.lines if line.amount is not None}
    converted = total(ira_amounts(r)[0] for r in results)
    kept = total(ira_amounts(r)[1] for r in results)
    return Refigured(lines=lines, taxable=converted + kept - part.nontaxable_converted - part.nontaxable_kept)


@dataclass
class Variant:
    """One mistake as the figures it gives: deltas on the Form 1040 lines and the person's Form 8606."""

    rule: object
    role: str
    deltas: dict[str, Decimal]
    lines: dict[str, Decimal]
    """The Form 8606 the software would show."""
    taxable: Decimal


def variants(ctx, person: PersonResult) -> list[Variant]:
    """The Form 8606 mistakes that can apply to one person's return, each with what it changes."""
    f8606 = person.form_8606
    if f8606.status != "computed" or f8606.worksheet_1_1 or f8606.amount("3") is None:
        return []
    base = refigure(ctx, person, _facts(person, f8606))
    if base is None:
        return []
    found = []
    for rule, amount, change in (
            (LINE_1, f8606.amount("1"), {"nondeductible_contributions": ZERO}),
            (LINE_2, person.traditional_basis_given, {"basis": ZERO}),
            (LINE_6, f8606.amount("6"), {"year_end_value": ZERO})):
        if not amount:
            continue
        other = refigure(ctx, person, _facts(person, f8606, **change))
        if other is None:
            continue
        deltas = {"ira_taxable": other.taxable - base.taxable}
        for number in FORM_8606_LINES:
            change_in_line = other.lines.get(number, ZERO) - base.lines.get(number, ZERO)
            if change_in_line:
                deltas[form_8606_item(number, person.role)] = change_in_line
        if any(deltas.values()):
            found.append(Variant(rule=rule, role=person.role, deltas=deltas, lines=other.lines, taxable=other.taxable))
    return found


def converted_forms(ctx, role: str):
    """The person's IRA forms converted to a Roth IRA, with their taxable part."""
    return [r for r in _ira_results(ctx, role) if any(p.destination is Destination.roth_ira for p in r.parts)]


def guide_steps(ctx, role: str, situation: str, form_id: str | None = None, contains: str | None = None) -> str:
    """The product's steps for an entry (its screen and answers), as one sentence; empty when the
    software is not known or its guide has none."""
    guides = ctx.guides
    if guides is None or not guides.guides:
        return ""
    guide = guides.guides[0]
    texts = []
    for entry in guide.entries:
        if entry.owner != role or entry.situation != situation or (form_id and entry.form_id != form_id):
            continue
        texts += [s.text for s in entry.steps if not s.text.startswith("megaroth's sources give no steps")
                  and (contains is None or contains in s.text.lower())]
    if not texts:
        return ""
    return f" In {guide.title} (megaroth's entry guide): " + " ".join(texts)


def any_guide_hint(ctx) -> str:
    """Where the steps are when the software did not say which product it is."""
    if ctx.guides is not None:
        return ""
    return (" `megaroth report CASE --guide turbotax` (or hrblock, freetaxusa, drake, ultratax) gives the product's "
            "screens.")


# ------------------------------------------------------------------ the mistakes as hypotheses
def _name(person: PersonResult) -> str:
    return person.name or ("the spouse" if person.role == "spouse" else "the taxpayer")


def _line(ctx, number: str, role: str) -> str:
    if len(ctx.analysis.people) < 2:
        return f"Form 8606 line {number}"
    person = next(p for p in ctx.analysis.people if p.role == role)
    return f"{_name(person)}'s Form 8606 line {number}"


def _then(ctx, expected, role: str, deltas: dict[str, Decimal]) -> str:
    """What the return shows once the fact is entered: megaroth's line 4b and the Form 8606 lines the mistake moves."""
    shown = [f"line {ctx.line('ira_taxable')} {expected['ira_taxable'].text}"]
    for number in ("1", "2", "6", "17", "18"):
        item = form_8606_item(number, role)
        if deltas.get(item) and item in expected:
            shown.append(f"{_line(ctx, number, role)} {expected[item].text}")
    return "; ".join(shown)


def form_8606_hypotheses(ctx, expected) -> list:
    """Each Form 8606 mistake that can apply to this return, as a Hypothesis for `compare`."""
    from megaroth.rules.mistakes import Hypothesis

    found = []
    year = ctx.params.tax_year
    for person in ctx.analysis.people:
        name, role = _name(person), person.role
        f8606 = person.form_8606
        forms = tuple(r.form_id for r in _ira_results(ctx, role))
        for v in variants(ctx, person):
            more = v.deltas.get("ira_taxable", ZERO)
            moved = (f"{ctx.money(abs(more))} {'more' if more > 0 else 'less'} on line {ctx.line('ira_taxable')}"
                     if more else f"the same line {ctx.line('ira_taxable')}")
            then = _then(ctx, expected, role, v.deltas)
            if v.rule is LINE_1:
                amount = f8606.amount("1")
                title = f"Form 8606 line 1 left out: {name}'s {ctx.money(amount)} nondeductible contribution"
                explanation = (
                    f"The software's figures match {name}'s Form 8606 without line 1, the {ctx.money(amount)} "
                    f"nondeductible contribution to a traditional IRA for {year}: with no basis the conversion is "
                    f"taxed in full ({moved}). The contribution was not deducted, so it is basis, and only what the "
                    "conversion holds beyond it (the earnings) is taxable. The IRA's Form 1099-R is right as "
                    "printed: an IRA custodian reports the whole amount with \"taxable amount not determined\", "
                    "because the basis is on Form 8606, not on the form.")
                fix = (f"Enter {name}'s {ctx.money(amount)} nondeductible traditional IRA contribution for {year} in "
                       "the software's IRA contribution section (a traditional IRA contribution, not deducted): it "
                       "fills Form 8606 line 1." + guide_steps(ctx, role, "nondeductible_contribution")
                       + any_guide_hint(ctx) + f" The return should then show {then}.")
            elif v.rule is LINE_2:
                amount = person.traditional_basis_given
                title = f"Form 8606 line 2 left out: {name}'s {ctx.money(amount)} basis from earlier years"
                explanation = (
                    f"The software's figures match {name}'s Form 8606 without the {ctx.money(amount)} of basis in "
                    "traditional IRAs carried from earlier years (line 2: line 14 of the last Form 8606 filed), "
                    f"{moved}. That money was taxed when contributed; without line 2 it is taxed again.")
                fix = (f"Enter the basis from {name}'s last Form 8606, line 14 ({ctx.money(amount)}), where the "
                       "software asks for nondeductible contributions of earlier years (the prior-year basis)."
                       + guide_steps(ctx, role, "nondeductible_contribution", contains="basis")
                       + any_guide_hint(ctx) + f" The return should then show {then}.")
            elif v.rule is LINE_6:
                amount = f8606.amount("6")
                title = (f"Form 8606 line 6 left out: {name}'s traditional IRAs held {ctx.money(amount)} on "
                         "December 31 (the pro-rata rule)")
                explanation = (
                    f"The software's figures match {name}'s Form 8606 with nothing on line 6, {moved}. {name}'s "
                    f"traditional, SEP and SIMPLE IRAs (a rollover IRA included) held {ctx.money(amount)} on "
                    f"December 31, {year}: under the pro-rata rule the basis is spread over all of that money, so "
                    "only part of the conversion is nontaxable (line 10).")
                fix = (f"Enter the December 31, {year} value of all {name}'s traditional, SEP and SIMPLE IRAs "
                       f"({ctx.money(amount)}: Form 5498 box 5, or the year-end statements) where the software asks "
                       "for it in the IRA conversion or contribution questions."
                       + guide_steps(ctx, role, "nondeductible_contribution", contains="year-end")
                       + any_guide_hint(ctx) + f" The return should then show {then}. (Pretax IRA money rolled into "
                       "an employer plan that accepts it before December 31 keeps a later year's line 6 at 0.)")
            else:
                continue
            found.append(Hypothesis(rule=v.rule, forms=forms or (role,), deltas=v.deltas, title=title,
                                    explanation=explanation, fix=fix, amount=abs(more) or None))
        # A conversion entered as a rollover: its taxable part drops off line 4b (and Part II goes).
        for result in converted_forms(ctx, role):
            taxable = result.ira_conversion_taxable if result.ira_conversion_taxable is not None else result.taxable
            if not taxable:
                continue
            name_form = ctx.name(result.form_id)
            free = frozenset(form_8606_item(n, role) for n in ("13", "14", "16", "17", "18"))
            marked = (f := ctx.figures.get("ira_rollover")) is not None and f.flag
            found.append(Hypothesis(
                rule=CONVERSION_AS_ROLLOVER, forms=(result.form_id,), deltas={"ira_taxable": -taxable}, free=free,
                title=f"The conversion of {name_form} entered as a rollover",
                explanation=(f"The software's line {ctx.line('ira_taxable')} leaves out the {ctx.money(taxable)} "
                             f"taxable part of {name_form}, which {name} converted to a Roth IRA: it was taken as a "
                             "rollover to another IRA, which is not taxed (Exception 1)"
                             + (", and line 4c box 1 is ticked" if marked else "") + ". A conversion is taxable but "
                             "for its share of basis, figured on Form 8606 Part II (lines 16 to 18)."),
                fix=(f"In the 1099-R entry for {name_form}, answer that the money was converted to a Roth IRA, not "
                     "rolled over to another traditional IRA or plan." + guide_steps(ctx, role, "ira_to_roth",
                                                                                     result.form_id)
                     + any_guide_hint(ctx) + f" Line {ctx.line('ira_taxable')} should then include "
                     f"{ctx.money(taxable)}."),
                amount=taxable))
    return found


def marker_on_conversion(ctx, marker, figure):
    """The IRA rollover marker set on a return whose IRA forms were converted, not rolled over:
    the diagnosis, or None when no IRA form was converted."""
    from megaroth.model.compare import Diagnosis

    converted = [r for person in ctx.analysis.people for r in converted_forms(ctx, person.role)]
    if not converted:
        return None
    names = ", ".join(ctx.name(r.form_id) for r in converted)
    where = f"box {marker.box} of line {marker.line}" if marker.kind == "checkbox" else f"\"Rollover\" by line {marker.line}"
    return Diagnosis(
        key="rollover_box_on_conversion", rule=MARKER_ON_CONVERSION.id,
        title=f"The rollover box ticked on a conversion ({where})",
        explanation=(f"The software marks an IRA rollover ({where}), but {names} was converted to a Roth IRA, not "
                     "rolled over: the marker is for rollovers to another traditional IRA or a plan (Exception 1), "
                     "and a conversion goes on lines 4a and 4b with Form 8606 Part II (Exception 2)"
                     + (" (megaroth could not read the marker with certainty)" if figure.uncertain else "") + "."),
        fix=("In the IRA 1099-R entry, answer that the money was converted to a Roth IRA rather than rolled over; "
             "the software then leaves the box empty." + "".join(guide_steps(ctx, r.owner, "ira_to_roth", r.form_id)
                                                                 for r in converted) + any_guide_hint(ctx)),
        fit="all", items=["ira_rollover"], form_ids=[r.form_id for r in converted],
        cites=list(MARKER_ON_CONVERSION.cites),
    )
