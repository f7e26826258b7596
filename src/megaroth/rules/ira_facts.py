"""IRA facts a Form 5498 gives when the case does not: the December 31 value of the traditional
IRAs (Form 8606 line 6, from box 5) and the year's regular Roth IRA contributions (the line 22
basis, from box 10). Values the case gives win; a Form 5498 that contradicts them is reported.

Line 6 is the value of *all* the person's traditional, SEP and SIMPLE IRAs: taken from the
Forms 5498 given, it is only as complete as they are, which the finding says.
"""

from __future__ import annotations

from dataclasses import dataclass

from megaroth.checks.registry import check
from megaroth.model.form5498 import Form5498
from megaroth.model.results import Finding, Severity
from megaroth.model.tax_return import Person, Role
from megaroth.money import ZERO, money_text, total
from megaroth.provenance import Source

VALUE_FROM_5498 = check(
    "form_8606.year_end_value_from_5498", Severity.warning,
    "Form 8606 line 6 is taken from box 5 of the Forms 5498 given: it must include every traditional, SEP and "
    "SIMPLE IRA the person owns.",
    ["i8606.line-6", "i1099r.f5498-box-5"],
)
VALUE_BELOW_5498 = check(
    "form_8606.year_end_value_below_5498", Severity.warning,
    "The case's December 31 value of the traditional IRAs is less than the Forms 5498 show.",
    ["i8606.line-6", "i1099r.f5498-box-5"],
)
ROTH_CONTRIBUTIONS_FROM_5498 = check(
    "form_8606.roth_contributions_from_5498", Severity.info,
    "The year's regular Roth IRA contributions are taken from box 10 of the Forms 5498 given.",
    ["i8606.line-22", "i1099r.f5498-boxes"],
)
CONTRIBUTIONS_DIFFER = check(
    "form_8606.contributions_differ_from_5498", Severity.warning,
    "IRA contributions the case gives for the year differ from what the Forms 5498 show.",
    ["i8606.line-1", "i1099r.f5498-boxes"],
)
CONTRIBUTION_NOT_GIVEN = check(
    "form_8606.nondeductible_not_given", Severity.warning,
    "A Form 5498 shows traditional IRA contributions for the year, but the case does not say how much was "
    "nondeductible (Form 8606 line 1).",
    ["i8606.line-1", "i1099r.f5498-boxes"],
)


@dataclass(frozen=True)
class FactOrigin:
    """Where a fact the case left out came from, and what to tell the user if it is used."""

    text: str
    """For the line description: "box 5 of Form(s) 5498 'x'"."""
    finding: Finding | None = None


def use(origin: dict[str, FactOrigin] | None, fact: str, findings: list[Finding]) -> str | None:
    """The fact's origin text when it came from a Form 5498 (reporting that it was used), else None."""
    item = (origin or {}).get(fact)
    if item is None:
        return None
    if item.finding is not None and item.finding not in findings:
        findings.append(item.finding)
    return item.text


def _ids(forms: list[Form5498]) -> str:
    return ", ".join(repr(f.id) for f in forms)


def facts_from_5498(role: Role, person: Person, forms: list[Form5498], tax_year: int, findings: list[Finding],
                    source: Source) -> tuple[Person, dict[str, FactOrigin]]:
    """The person with the IRA facts the Forms 5498 of the tax year fill in, and where each came from
    (by fact name; Form 8606 reports the year-end value's origin where it uses it)."""
    mine = [f for f in forms if (f.tax_year or tax_year) == tax_year and not f.void]
    traditional = [f for f in mine if f.kind == "traditional_ira"]
    roth = [f for f in mine if f.kind == "roth_ira"]
    facts = person.facts
    update: dict = {}
    origin: dict[str, FactOrigin] = {}
    who = person.name or role
    prefix = f"{role}.ira"
    valued = [f for f in traditional if f.box_5 is not None]
    if valued:
        shown = total(f.box_5 for f in valued)
        if facts.year_end_value is None:
            update["year_end_value"] = shown
            origin["year_end_value"] = FactOrigin(f"box 5 of Form(s) 5498 {_ids(valued)}", VALUE_FROM_5498.finding(
                f"{who}: Form 8606 line 6 is {money_text(shown)}, the December 31 value in box 5 of Form(s) 5498 "
                f"{_ids(valued)}. It must be the value of every traditional, SEP and SIMPLE IRA {who} owns: if one "
                f"is missing, give {prefix}.year_end_value.", box=f"{prefix}.year_end_value", source=source))
        elif facts.year_end_value < shown:
            findings.append(VALUE_BELOW_5498.finding(
                f"{who}: the case gives {money_text(facts.year_end_value)} as the December 31 value of all traditional "
                f"IRAs ({prefix}.year_end_value), but box 5 of Form(s) 5498 {_ids(valued)} adds up to "
                f"{money_text(shown)}. Line 6 uses the case's value; check it.", box=f"{prefix}.year_end_value",
                source=source))
    contributed = [f for f in roth if f.box_10]
    if contributed:
        shown = total(f.box_10 for f in contributed)
        if facts.roth_contributions is None:
            update["roth_contributions"] = shown
            origin["roth_contributions"] = FactOrigin(f"box 10 of Form(s) 5498 {_ids(contributed)}")
            findings.append(ROTH_CONTRIBUTIONS_FROM_5498.finding(
                f"{who}: regular Roth IRA contributions for {tax_year} are {money_text(shown)}, from box 10 of "
                f"Form(s) 5498 {_ids(contributed)}.", box=f"{prefix}.roth_contributions", source=source))
        elif facts.roth_contributions != shown:
            findings.append(CONTRIBUTIONS_DIFFER.finding(
                f"{who}: the case gives {money_text(facts.roth_contributions)} of Roth IRA contributions for {tax_year}; "
                f"box 10 of Form(s) 5498 {_ids(contributed)} shows {money_text(shown)}. The case's value is used.",
                box=f"{prefix}.roth_contributions", source=source))
    paid_in = [f for f in traditional if f.box_1]
    if paid_in:
        shown = total(f.box_1 for f in paid_in)
        given = (facts.nondeductible_contributions or ZERO) + (facts.deductible_contributions or ZERO)
        if facts.nondeductible_contributions is None and facts.deductible_contributions is None:
            findings.append(CONTRIBUTION_NOT_GIVEN.finding(
                f"{who}: box 1 of Form(s) 5498 {_ids(paid_in)} shows {money_text(shown)} of traditional IRA "
                f"contributions for {tax_year}. The part not deducted goes on Form 8606 line 1 (a backdoor Roth "
                f"contribution is usually all nondeductible): give {prefix}.nondeductible_contributions.",
                box=f"{prefix}.nondeductible_contributions", source=source))
        elif given != shown:
            findings.append(CONTRIBUTIONS_DIFFER.finding(
                f"{who}: the case gives {money_text(given)} of traditional IRA contributions for {tax_year} "
                f"(nondeductible and deductible); box 1 of Form(s) 5498 {_ids(paid_in)} shows {money_text(shown)} "
                "(box 1 includes contributions made by the due date for the year, and excess contributions even "
                "if withdrawn).", box=f"{prefix}.nondeductible_contributions", source=source))
    if not update:
        return person, origin
    return person.model_copy(update={"ira": facts.model_copy(update=update)}), origin
