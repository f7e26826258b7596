"""One person's Form 8606, line by line: Part I (basis and the pro-rata rule), Part II
(conversions) and, through `roth_basis`, Part III (Roth IRA distributions).

Form 8606 is per person (i8606 "More than one Form 8606 required"): on a joint return each
spouse's IRAs are their own, with their own basis, December 31 value and ratio. The amounts are
exact to the cent; each line also shows whole dollars, as a filled-in form would.

What a person's IRA forms put on Form 1040 line 4b comes from here: the nontaxable share of the
line 10 ratio is spread over the forms converted or kept (`apply_form_8606`).

Not computed (refused with a finding): qualified disaster distributions and their repayments
(lines 15b and 25b, the 2024-2025 repayment worksheets), divorce transfers of basis, inherited
IRAs, and returned contributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from megaroth.checks.registry import check
from megaroth.model.case import Options
from megaroth.model.form1099r import Destination
from megaroth.model.results import Clock, Finding, Form8606, Form8606Line, FormResult, Severity
from megaroth.model.tax_return import LedgerFacts, Person, Role
from megaroth.money import CENT, ZERO, money_text, total, whole_dollars
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.ira import ira_amounts
from megaroth.rules.form8606_whole import whole_dollar_lines
from megaroth.rules.ira_facts import FactOrigin, use
from megaroth.rules.registry import define

PART_I = define(
    "form_8606.part_i",
    "Form 8606 Part I: nondeductible contributions add to basis in traditional IRAs; a distribution or "
    "conversion takes out basis pro rata, in the ratio of the basis (line 5) to the year-end value plus the "
    "year's distributions and conversions (line 9), rounded to at least 3 places; line 14 carries to next year.",
    ["i8606.line-2", "i8606.line-6", "f8606.line-10", "f8606.lines-11-13", "f8606.line-14"],
)
PART_II = define(
    "form_8606.part_ii",
    "Form 8606 Part II: a conversion from a traditional, SEP or SIMPLE IRA to a Roth IRA is taxable but for its "
    "share of basis (line 17).",
    ["f8606.part-ii", "i8606.line-17"],
)
WORKSHEET_1_1 = define(
    "form_8606.worksheet_1_1",
    "With a distribution or conversion in the year and traditional IRA contributions for the year that are "
    "partly deductible, the nontaxable part is figured with Pub 590-B Worksheet 1-1 (all the year's "
    "contributions count in the ratio); Form 8606 lines 13 and 17 take its result, lines 6 to 12 stay blank.",
    ["p590b.worksheet-1-1"],
)
NO_BASIS = define(
    "form_8606.no_basis",
    "With no basis in traditional IRAs (no nondeductible contributions, no after-tax money rolled in), a "
    "distribution is taxable in full and needs no Form 8606; a conversion is Part II with a basis of 0.",
    ["i8606.no-basis-tip", "f8606.part-ii", "i8606.line-17"],
)
SHARE = define(
    "form_8606.share",
    "Each IRA form converted or kept takes its share of the nontaxable amount of Form 8606 (line 11 for "
    "conversions, line 12 for distributions), in proportion to its amount; the rest goes on line 4b.",
    ["f8606.lines-11-13", "f8606.line-15", "f8606.part-ii"],
)

BASIS_NOT_GIVEN = check(
    "ira.basis_not_given", Severity.warning,
    "A traditional IRA distribution or conversion whose owner's basis from earlier years (Form 8606 line 2) is "
    "neither in the case nor in the ledger: the result is incomplete until it is given (0 if none).",
    ["i8606.no-basis-tip", "i8606.line-2"],
)
CONTRIBUTIONS_NOT_GIVEN = check(
    "ira.nondeductible_not_given", Severity.warning,
    "A traditional IRA distribution or conversion, and the year's nondeductible contributions (Form 8606 line 1, "
    "the backdoor Roth's contribution) are not given: the result is incomplete until they are (0 if none).",
    ["i8606.line-1", "i8606.line-2"],
)
NEXT_YEAR_NOT_GIVEN = check(
    "ira.line_4_not_given", Severity.warning,
    "Nondeductible contributions for the year and a distribution or conversion, but not how much of them was "
    "made from January 1 of the next year to the due date (Form 8606 line 4): it changes the ratio of line 10.",
    ["i8606.line-4"],
)
DEDUCTIBLE_NOT_GIVEN = check(
    "ira.deductible_not_given", Severity.warning,
    "Basis in traditional IRAs and a distribution or conversion, but not whether any traditional IRA "
    "contribution for the year is deducted: a deducted one is figured with Pub 590-B Worksheet 1-1.",
    ["p590b.worksheet-1-1", "i8606.line-1"],
)
YEAR_END_VALUE_MISSING = check(
    "form_8606.year_end_value_missing", Severity.error,
    "Basis in traditional IRAs and a distribution or conversion, but no December 31 value: Form 8606 line 6 "
    "is needed for the pro-rata rule.",
    ["i8606.line-6"],
)
BASIS_CONTRADICTS_LEDGER = check(
    "form_8606.basis_contradicts_ledger", Severity.error,
    "The case gives a basis in traditional IRAs that differs from the one the ledger carries from earlier years.",
    ["i8606.line-2"],
)
PRO_RATA_TRAP = check(
    "form_8606.pro_rata", Severity.warning,
    "A backdoor Roth conversion with pretax money in traditional, SEP or SIMPLE IRAs on December 31: part of "
    "the conversion is taxable under the pro-rata rule.",
    ["i8606.line-6", "f8606.line-10", "irc-408.d3H-plan-rollover"],
)
CAPPED = define(
    "form_8606.within_basis",
    "The nontaxable part of the year's conversions and distributions is their share of the basis: with the line "
    "10 ratio rounded up, megaroth keeps it within the basis of line 5, so no earnings become nontaxable.",
    ["f8606.line-10", "f8606.lines-11-13", "f8606.line-14"],
)
NEGATIVE_BASIS = check(
    "form_8606.basis_below_zero", Severity.warning,
    "The rounded line 10 ratio makes line 13 exceed line 3: line 14 is set to 0.",
    ["f8606.line-10", "f8606.line-14"],
)


@dataclass
class Part12:
    """Parts I and II of one person's Form 8606."""

    lines: list[Form8606Line] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    status: str = "not_needed"
    summary: str = ""
    ratio: Decimal | None = None
    """The nontaxable fraction of every dollar converted or kept (line 10, or Worksheet 1-1 line 7)."""
    nontaxable_converted: Decimal = ZERO
    nontaxable_kept: Decimal = ZERO
    line_17: Decimal = ZERO
    line_18: Decimal = ZERO
    basis_next_year: Decimal | None = None
    basis_given: Decimal | None = None
    worksheet_1_1: bool = False


class LineWriter:
    """Writes a person's Form 8606 lines with the year's wording and their authority."""

    def __init__(self, params: YearParameters) -> None:
        self.form = params.f8606
        self.lines: list[Form8606Line] = []

    def add(self, number: str, amount: Decimal | None, description: str, *, text: str | None = None,
            cites: tuple[str, ...] = ()) -> Decimal | None:
        self.lines.append(Form8606Line(
            line=number, label=self.form.label(number), amount=amount, text=text,
            whole_dollars=None if amount is None else f"{whole_dollars(amount):.0f}", description=description,
            cites=self.form.cites(number) + [c for c in cites if c not in self.form.cites(number)]))
        return amount


def ratio_text(ratio: Decimal, places: int) -> str:
    """Line 10 as the form writes it: ".999", "1.000"."""
    text = f"{ratio:.{places}f}"
    return text[1:] if text.startswith("0.") else text


def pro_rata(numerator: Decimal, denominator: Decimal, places: int) -> Decimal:
    """Line 10: the ratio rounded half up to `places` decimals, 1 at most (f8606 line 10)."""
    quantum = Decimal(1).scaleb(-places)
    return min(Decimal(1).quantize(quantum), (numerator / denominator).quantize(quantum, rounding=ROUND_HALF_UP))


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def part_i_and_ii(role: Role, person: Person, ira_results: list[FormResult], basis_added: Decimal,
                  ledger: LedgerFacts | None, params: YearParameters, findings: list[Finding],
                  source: Source, options: Options, origin: Mapping[str, FactOrigin] | None = None) -> Part12:
    """Parts I and II for one person from their traditional IRA forms and IRA facts.

    Args:
        basis_added: after-tax plan money this person rolled into a traditional IRA this year
            (line 2 includes it: i8606 "Line 2").
        origin: where facts the case left out came from (a Form 5498 box), by fact name.
    """
    facts = person.facts
    who = person.name or ("the spouse" if role == "spouse" else "the taxpayer")
    field_prefix = f"{role}.ira"
    converted = total(ira_amounts(r)[0] for r in ira_results)
    kept = total(ira_amounts(r)[1] for r in ira_results)
    result = Part12()
    w = LineWriter(params)
    line_1 = facts.nondeductible_contributions or ZERO
    activity_amount = converted + kept
    ledger_basis = ledger.traditional_basis if ledger else None
    if facts.basis is not None and ledger_basis is not None and facts.basis != ledger_basis:
        findings.append(BASIS_CONTRADICTS_LEDGER.finding(
            f"{who}: the case gives a traditional IRA basis of {money_text(facts.basis)} ({field_prefix}.basis), the "
            f"ledger carries {money_text(ledger_basis)} from earlier years. Correct the case, or the ledger (add the "
            "earlier years' cases again), so that they agree; Form 8606 is not computed until they do.",
            box=f"{field_prefix}.basis", source=source))
        result.status, result.summary = "not_computed", "The case and the ledger disagree on the basis (line 2)."
        return result
    prior = facts.basis if facts.basis is not None else ledger_basis
    result.basis_given = prior
    activity = converted + kept > ZERO
    if activity and facts.nondeductible_contributions is None:
        # The backdoor Roth's own fact: without it a backdoor conversion comes out fully taxable.
        limit = params.limits.ira_contribution.required()
        shaped = min(limit, activity_amount)
        findings.append(CONTRIBUTIONS_NOT_GIVEN.finding(
            f"{who} converted or took out {money_text(activity_amount)} from traditional IRAs, and the case does not "
            f"say how much was contributed to traditional IRAs for {params.tax_year} without a deduction (Form 8606 "
            f"line 1; a backdoor Roth contribution is nondeductible). The lines count it as 0: if {money_text(shaped)} "
            f"of this was a nondeductible contribution for {params.tax_year}, line 4b is {money_text(shaped)} too "
            f"high. Give {field_prefix}.nondeductible_contributions (0 if none).",
            box=f"{field_prefix}.nondeductible_contributions", source=source,
            fact=f"{field_prefix}.nondeductible_contributions", at_stake=shaped))
    if prior is None and activity:
        findings.append(BASIS_NOT_GIVEN.finding(
            f"{who}: the case does not give the basis in traditional IRAs at the end of {params.tax_year - 1} "
            f"({field_prefix}.basis: line 14 of the last Form 8606 filed) and the ledger holds none. The lines count "
            f"it as 0: with basis from earlier years, line 4b is up to {money_text(activity_amount)} too high. Give "
            "it (0 if you never made a nondeductible contribution or rolled after-tax money into an IRA).",
            box=f"{field_prefix}.basis", source=source, fact=f"{field_prefix}.basis", at_stake=activity_amount))
    line_2 = (prior or ZERO) + basis_added
    line_3 = line_1 + line_2
    if not activity:
        result.basis_next_year = line_3 if (prior is not None or basis_added or line_1) else None
        if line_1:
            result.parts = ["Part I"]
            result.status = "computed"
            w.add("1", line_1, f"Nondeductible contributions for {params.tax_year} ({field_prefix}."
                  "nondeductible_contributions).")
            w.add("2", line_2, _line_2_text(prior, basis_added))
            w.add("3", line_3, "Line 1 + line 2.")
            w.add("3-box", None, "No distribution from traditional, SEP or SIMPLE IRAs and no conversion this "
                  "year: line 3 goes to line 14; the rest of Part I is not completed.", text="No")
            w.add("14", line_3, "Line 3: basis carried to next year's line 2.")
            result.summary = (f"Form 8606 Part I: {money_text(line_1)} of nondeductible contributions; basis at year "
                              f"end {money_text(line_3)}.")
        result.lines = w.lines
        return result
    if line_3 == ZERO:
        return _no_basis(result, w, converted, kept, params)
    facts_value = facts.year_end_value
    if facts_value is None:
        findings.append(YEAR_END_VALUE_MISSING.finding(
            f"{who} has {money_text(line_3)} of basis in traditional IRAs and converted or took out "
            f"{money_text(converted + kept)} this year: the taxable part depends on the value of all their "
            f"traditional, SEP and SIMPLE IRAs on December 31 (Form 8606 line 6). Give {field_prefix}.year_end_value "
            "(Form 5498 box 5, or the year-end statements; 0 if they are empty).",
            box=f"{field_prefix}.year_end_value", source=source, fact=f"{field_prefix}.year_end_value",
            at_stake=converted + kept))
        result.status = "not_computed"
        result.parts = ["Part I"] + (["Part II"] if converted else [])
        result.summary = "Not computed: the December 31 value of the traditional IRAs (line 6) is needed."
        result.basis_given = prior
        return result
    result.parts = ["Part I"] + (["Part II"] if converted else [])
    result.status = "computed"
    # The form asks for at least 3 places; more keep a backdoor conversion's few dollars of
    # earnings from rounding into a ratio of 1.000 (the case option chooses).
    places = max(options.form_8606_ratio_places, params.statutory.form_8606_ratio_places.required())
    # Outstanding rollovers (i8606 line 6): as given, else those the case's own IRA forms show deposited next year.
    derived = total(r.outstanding_rollover for r in ira_results)
    outstanding = facts.outstanding_rollovers if facts.outstanding_rollovers is not None else derived
    outstanding_origin = (f"{field_prefix}.outstanding_rollovers" if facts.outstanding_rollovers is not None else
                          "rolled into a traditional IRA in " + str(params.tax_year + 1) + ", from the forms: "
                          + ", ".join(f"{r.form_id} {money_text(r.outstanding_rollover)}" for r in ira_results
                                      if r.outstanding_rollover))
    line_6 = facts_value + outstanding
    value_origin = use(origin, "year_end_value", findings) or f"{field_prefix}.year_end_value"
    w.add("1", line_1, f"Nondeductible contributions for {params.tax_year} ({field_prefix}.nondeductible_contributions).")
    w.add("2", line_2, _line_2_text(prior, basis_added))
    w.add("3", line_3, "Line 1 + line 2.")
    w.add("3-box", None, "A distribution or conversion this year: Part I continues.", text="Yes")
    if line_1 and facts.contributions_made_next_year is None:
        findings.append(NEXT_YEAR_NOT_GIVEN.finding(
            f"{who}: of the {money_text(line_1)} of nondeductible contributions for {params.tax_year}, the case does "
            f"not say how much was made from January 1, {params.tax_year + 1}, to the due date (Form 8606 line 4). "
            f"The lines count it as 0; if some was, less of the basis is spread over this year's "
            f"{money_text(converted + kept)} and line 4b is up to {money_text(min(line_1, converted + kept))} too "
            f"low. Give {field_prefix}.contributions_made_next_year (0 if all was made in {params.tax_year}).",
            box=f"{field_prefix}.contributions_made_next_year", source=source,
            fact=f"{field_prefix}.contributions_made_next_year", at_stake=min(line_1, converted + kept)))
    if facts.deductible_contributions is None:
        findings.append(DEDUCTIBLE_NOT_GIVEN.finding(
            f"{who}: with basis in traditional IRAs and {money_text(converted + kept)} converted or taken out, a "
            f"traditional IRA contribution for {params.tax_year} that is deducted changes the nontaxable part (Pub "
            f"590-B Worksheet 1-1). The case does not say; the lines count it as 0. Give "
            f"{field_prefix}.deductible_contributions (0 if none is deducted).",
            box=f"{field_prefix}.deductible_contributions", source=source,
            fact=f"{field_prefix}.deductible_contributions"))
    line_4 = min(facts.contributions_made_next_year or ZERO, line_1)
    w.add("4", line_4, f"The part of line 1 made from January 1, {params.tax_year + 1}, to the due date.")
    line_5 = line_3 - line_4
    w.add("5", line_5, "Line 3 − line 4.")
    if facts.deductible_contributions:
        # Pub 590-B Worksheet 1-1: all the year's contributions, deductible or not, are in the ratio.
        result.worksheet_1_1 = True
        basis_for_ratio = line_2 + line_1 + facts.deductible_contributions - line_4
        ratio = pro_rata(basis_for_ratio, line_6 + converted + kept, places)
        nontaxable_converted, nontaxable_kept = cents(converted * ratio), cents(kept * ratio)
        line_13 = nontaxable_converted + nontaxable_kept
        contributions = line_1 + facts.deductible_contributions - line_4
        w.add("13", line_13, f"From Pub 590-B Worksheet 1-1: ({money_text(line_2)} basis + "
              f"{money_text(contributions)} contributions for the year) ÷ ({money_text(line_6)} year-end value + "
              f"{money_text(converted + kept)} distributed or converted) = {ratio_text(ratio, places)}, × "
              f"{money_text(converted + kept)} = {money_text(line_13)}. Lines 6 to 12 are left blank.",
              cites=WORKSHEET_1_1.cites)
    else:
        w.add("6", line_6, f"December 31 value of all traditional, SEP and SIMPLE IRAs ({money_text(facts_value)}, "
              f"{value_origin})" + (f" + {money_text(outstanding)} outstanding rollovers ({outstanding_origin})"
                                    if outstanding else "") + ".")
        w.add("7", kept or None, "Distributions kept (not rolled over, not converted), from the IRA forms: "
              + _forms_text(ira_results, Destination.kept) + ".")
        w.add("8", converted or None, "Converted to Roth IRAs, from the IRA forms: "
              + _forms_text(ira_results, Destination.roth_ira) + ".")
        line_9 = line_6 + kept + converted
        w.add("9", line_9, "Line 6 + line 7 + line 8.")
        ratio = pro_rata(line_5, line_9, places)
        w.add("10", None, f"Line 5 ÷ line 9 = {money_text(line_5)} ÷ {money_text(line_9)}, rounded to {places} "
              "places (1.000 at most).", text=ratio_text(ratio, places))
        nontaxable_converted, nontaxable_kept, capped = _within_basis(cents(converted * ratio), cents(kept * ratio),
                                                                      line_5)
        why = (f" The rounded ratio would make more nontaxable than the basis of line 5 ({money_text(line_5)}); "
               "megaroth keeps the nontaxable part within it, and the rest is taxable." if capped else "")
        w.add("11", nontaxable_converted if converted else None, "Line 8 × line 10: nontaxable part converted." + why,
              cites=CAPPED.cites if capped else ())
        w.add("12", nontaxable_kept if kept else None, "Line 7 × line 10: nontaxable part kept." + (
            why if capped and not converted else ""), cites=CAPPED.cites if capped and not converted else ())
        line_13 = nontaxable_converted + nontaxable_kept
        w.add("13", line_13, "Line 11 + line 12.")
    line_14 = line_3 - line_13
    if line_14 < ZERO:
        findings.append(NEGATIVE_BASIS.finding(
            f"{who}: the rounded ratio makes the nontaxable amount ({money_text(line_13)}) exceed the basis "
            f"({money_text(line_3)}); line 14 is set to 0.", source=source))
        line_14 = ZERO
    w.add("14", line_14, "Line 3 − line 13: basis carried to next year's line 2.")
    if kept:
        w.add("15a", kept - nontaxable_kept, "Line 7 − line 12.")
        w.add("15b", ZERO, "No qualified disaster distributions (megaroth does not compute them).")
        w.add("15c", kept - nontaxable_kept, "Taxable part of the distributions kept: on Form 1040 line 4b.")
    if converted:
        w.add("16", converted, "Line 8.")
        w.add("17", nontaxable_converted, "Line 11" + (" (Worksheet 1-1)." if result.worksheet_1_1 else "."))
        w.add("18", converted - nontaxable_converted, "Line 16 − line 17: taxable, on Form 1040 line 4b.")
    result.lines = w.lines
    result.ratio = ratio
    result.nontaxable_converted, result.nontaxable_kept = nontaxable_converted, nontaxable_kept
    result.line_17, result.line_18 = nontaxable_converted, converted - nontaxable_converted
    result.basis_next_year = line_14
    result.summary = (f"Form 8606 {', '.join(result.parts)}: ratio {ratio_text(ratio, places)}; taxable "
                      f"{money_text(converted + kept - line_13)} of {money_text(converted + kept)} converted or kept; "
                      f"basis at year end {money_text(line_14)}.")
    if converted and line_1 and line_6 > ZERO and ratio < Decimal(1):
        # The backdoor Roth trap: the December 31 balance of pretax IRA money dilutes the basis.
        would_be = converted - min(converted, line_5)
        findings.append(PRO_RATA_TRAP.finding(
            f"{who} converted {money_text(converted)} after a {money_text(line_1)} nondeductible contribution, but "
            f"their traditional, SEP and SIMPLE IRAs held {money_text(line_6)} on December 31: the pro-rata rule "
            f"(line 10 = {ratio_text(ratio, places)}) makes {money_text(result.line_18)} of the conversion taxable, "
            f"instead of {money_text(would_be)} with no pretax IRA money at year end. Rolling the pretax IRA money "
            "into an employer plan that accepts it before December 31 keeps it off line 6 (a rollover to a plan "
            "carries only pretax money, IRC 408(d)(3)(A)(ii) and (H)).", source=source))
    return result


def _within_basis(converted: Decimal, kept: Decimal, basis: Decimal) -> tuple[Decimal, Decimal, bool]:
    """The nontaxable parts, no more together than the basis they come from: a ratio rounded up
    (".99929" for 7,000 ÷ 7,005) would otherwise make a few cents of earnings nontaxable."""
    if converted + kept <= basis:
        return converted, kept, False
    shares = spread(basis, [converted, kept])
    return shares[0], shares[1], True


def _no_basis(result: Part12, w: LineWriter, converted: Decimal, kept: Decimal, params: YearParameters) -> Part12:
    result.ratio = ZERO
    result.basis_next_year = ZERO
    result.line_18 = converted
    if converted:
        result.parts = ["Part II"]
        result.status = "computed"
        w.add("16", converted, "Net amount converted (Part I not completed: no basis in traditional IRAs).",
              cites=NO_BASIS.cites)
        w.add("17", ZERO, "Basis in the amount converted: line 2 plus contributions before the conversion, 0.",
              cites=NO_BASIS.cites)
        w.add("18", converted, "Line 16 − line 17: taxable, on Form 1040 line 4b.")
        result.summary = f"Form 8606 Part II: {money_text(converted)} converted, all of it taxable (no basis)."
    else:
        result.summary = ("No Form 8606: with no basis in traditional IRAs the distribution is taxable in full "
                          f"({money_text(kept)}).")
    result.lines = w.lines
    return result


def _line_2_text(prior: Decimal | None, added: Decimal) -> str:
    text = ("Basis from earlier years (last Form 8606 line 14): " + (money_text(prior) if prior is not None else
                                                                     "none known, taken as 0"))
    if added:
        text += (f"; plus {money_text(added)} of after-tax money rolled from a plan into a traditional IRA this year "
                 "(not reported on line 2 before)")
    return text + "."


def _forms_text(results: list[FormResult], destination: Destination) -> str:
    parts = [f"{r.form_id} {money_text(total(p.amount for p in r.parts if p.destination is destination))}"
             for r in results if any(p.destination is destination for p in r.parts)]
    return ", ".join(parts) or "none"


def spread(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`amount` in cents split in proportion to `weights`, the shares adding up exactly."""
    whole = total(weights)
    if not whole or not amount:
        return [ZERO for _ in weights]
    shares = [cents(amount * w / whole) for w in weights]
    residue = amount - total(shares)
    if residue:
        largest = max(range(len(weights)), key=lambda i: weights[i])
        shares[largest] += residue
    return shares


def apply_form_8606(results: list[FormResult], part: Part12, params: YearParameters,
                    clock_for) -> list[FormResult]:
    """The person's IRA forms with their share of Form 8606's nontaxable amounts: taxable parts,
    the conversion's taxable amount and its 5-year clock."""
    conversions = [ira_amounts(r)[0] for r in results]
    keeps = [ira_amounts(r)[1] for r in results]
    nontaxable_conv = spread(part.nontaxable_converted, conversions)
    nontaxable_kept = spread(part.nontaxable_kept, keeps)
    updated = []
    for result, conv, keep, nt_conv, nt_keep in zip(results, conversions, keeps, nontaxable_conv, nontaxable_kept):
        if not conv and not keep:
            updated.append(result)
            continue
        code_1 = "1" in result.box_7
        parts = []
        for p in result.parts:
            if p.destination is Destination.roth_ira:
                basis = cents(nt_conv * p.amount / conv)
            elif p.destination is Destination.kept:
                basis = cents(nt_keep * p.amount / keep)
            else:
                parts.append(p)
                continue
            taxable = p.amount - basis
            parts.append(p.model_copy(update={
                "basis": basis, "pretax": taxable, "taxable": taxable,
                "subject_to_additional_tax": taxable if code_1 and p.destination is Destination.kept else ZERO}))
        # The parts' cents may differ from the form's share by rounding: the form's share wins.
        taxable = conv - nt_conv + keep - nt_keep
        conversion_taxable = conv - nt_conv
        steps = list(result.steps) + [SHARE.step(
            "taxable", f"Share of Form 8606: converted {money_text(conv)} (nontaxable {money_text(nt_conv)}), kept "
            f"{money_text(keep)} (nontaxable {money_text(nt_keep)}): taxable {money_text(taxable)}.",
            result=taxable)]
        clocks: list[Clock] = [c for c in result.clocks if c.kind != "roth_ira_recapture"]
        if conversion_taxable:
            clocks.append(clock_for(result, conversion_taxable))
        additional = (keep - nt_keep) if code_1 else ZERO
        updated.append(result.model_copy(update={
            "parts": parts, "taxable": taxable, "basis": nt_conv + nt_keep, "pretax": taxable,
            "ira_conversion_taxable": conversion_taxable if conv else None,
            "fully_taxable": taxable == result.gross and not result.rollover_marker and not conv
            and not part.ratio,
            "additional_tax_base": additional, "clocks": clocks, "steps": steps}))
    return updated


def form_8606_result(role: Role, person: Person, part: Part12, roth, statements: list[str],
                     params: YearParameters) -> Form8606:
    """The person's Form 8606 from Parts I-II and Part III (`roth`, a `roth_basis.Part3` or None)."""
    lines = list(part.lines)
    parts = list(part.parts)
    status = part.status
    summaries = [part.summary] if part.summary else []
    if roth is not None and roth.lines:
        lines += roth.lines
        parts.append("Part III")
        if status != "not_computed":
            status = roth.status if roth.status == "not_computed" else "computed"
        summaries.append(roth.summary)
    elif roth is not None and roth.status == "not_computed":
        status = "not_computed"
        summaries.append(roth.summary)
    if not summaries:
        summaries = ["No Form 8606: no nondeductible contribution, no distribution or conversion from traditional "
                     "IRAs with basis, no conversion, no nonqualified Roth IRA distribution."]
    return Form8606(
        role=role, name=person.name, status=status if parts or status == "not_computed" else "not_needed",
        # Whole dollars as the form is filed: its own arithmetic on the rounded lines (i8606 rounding).
        summary=" ".join(summaries), parts=parts, lines=whole_dollar_lines(lines), worksheet_1_1=part.worksheet_1_1,
        traditional_basis_next_year=part.basis_next_year, statements=statements,
        cites=sorted({c for line in lines for c in line.cites}),
    )
