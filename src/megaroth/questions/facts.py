"""The facts about a person that no Form 1099-R carries, defined once: what each is called, how it
is asked, where to find the figure, and how an answer is read.

When a fact is asked is not decided here: the rules report a fact as missing (`Finding.fact`,
`Analysis.missing_facts`) exactly when the tax depends on it and nobody gave it, and the
interview asks those. So the same definition serves the terminal, the web page, the `--fact`
option and the preparer's CSV columns (`ira_basis`, `spouse_ira_basis`…: `option_name`).

A fact's `name` is its place under the person in the case file ("ira.basis" is
`taxpayer.ira.basis` or `spouse.ira.basis`); the answer is written there as the case file
holds it, and the case model validates it again when it is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from megaroth.money import MoneyError, parse_money

UNKNOWN_WORDS = frozenset({"?", "unknown", "dont know", "don't know", "do not know", "idk", "i don't know",
                           "i dont know", "not sure"})
"""Answers that mean "I don't know": nothing is written, and the result stays incomplete."""


@dataclass(frozen=True)
class Fact:
    name: str
    """Its place under the person in the case file: "ira.basis", "birth_date"."""
    title: str
    """What it is, in a few words (a list of what is missing)."""
    kind: str
    """How an answer is read: money, year, date, date_or_none (a date, or "none"), layers (a list of Roth
    conversion layers) or recharacterizations (a list of contributions moved to the other kind of IRA)."""
    prompt: str
    """The question, with {you} / {your} (you, your spouse), {year}, {prev}, {next}."""
    where: str
    """Where to find the figure."""
    why: str
    """What it changes, in a sentence."""
    line: str = ""
    """The form line it is, for people who have the form at hand ("Form 8606 line 2")."""


FACTS: tuple[Fact, ...] = (
    Fact("birth_date", "Date of birth", "date",
         "What is {your} date of birth (YYYY-MM-DD)?",
         "Your ID. Only the date is used: for age 59½ and the age of required minimum distributions.",
         "A required minimum distribution cannot be rolled over or converted; whether one was due depends on age."),
    Fact("ira.nondeductible_contributions", "Nondeductible traditional IRA contributions for the year", "money",
         "How much did {you} put into traditional IRAs for {year} without deducting it (a nondeductible "
         "contribution)? A backdoor Roth contribution is one. 0 if none.",
         "Your transfer records, or box 1 of the {year} Form 5498 from the IRA's custodian (it comes by the end of "
         "May {next}). Count what was contributed for {year} up to April 15, {next}.",
         "It is basis: the part of a conversion or distribution it covers is not taxed again.",
         "Form 8606 line 1"),
    Fact("ira.basis", "Basis in traditional IRAs at the end of last year", "money",
         "What was {your} basis in traditional IRAs at the end of {prev}? 0 if {you} never made a nondeductible "
         "contribution or rolled after-tax money into an IRA.",
         "Line 14 of the last Form 8606 filed (for {prev} or an earlier year).",
         "Basis from earlier years is not taxed when it is converted or taken out.",
         "Form 8606 line 2"),
    Fact("ira.contributions_made_next_year", "Nondeductible contributions made from January 1 to the due date", "money",
         "Of the nondeductible contributions for {year}, how much was put in from January 1 to April 15, {next}? "
         "0 if all of it went in during {year}.",
         "The dates on your IRA contribution records or the custodian's confirmations.",
         "Contributions made after the year ends are left out of this year's ratio of basis.",
         "Form 8606 line 4"),
    Fact("ira.deductible_contributions", "Deducted traditional IRA contributions for the year", "money",
         "How much of {your} traditional IRA contributions for {year} will be deducted? 0 if none (usual when a "
         "workplace plan covers {you} and income is high).",
         "Your tax software's IRA deduction (Schedule 1, line 20).",
         "A deducted contribution in a year with a conversion changes the nontaxable part (Pub 590-B "
         "Worksheet 1-1)."),
    Fact("ira.year_end_value", "December 31 value of all traditional, SEP and SIMPLE IRAs", "money",
         "What were all of {your} traditional, SEP and SIMPLE IRAs worth on December 31, {year}? Not Roth IRAs, not "
         "401(k)s. Money taken out after November 1 and rolled into a traditional IRA in {next} within 60 days is "
         "added from its 1099-R's rollover date; if that 1099-R is not among these forms, add it here. 0 if they "
         "were empty.",
         "Box 5 of each {year} Form 5498, or the December {year} statements of every such IRA.",
         "Pretax money left in any traditional IRA at year end makes part of a conversion taxable (the pro-rata "
         "rule).",
         "Form 8606 line 6"),
    Fact("ira.outstanding_rollovers", "Outstanding rollovers at year end", "money",
         "How much did {you} take out of traditional IRAs after November 1, {year}, and roll into a traditional "
         "IRA in {next} within 60 days? 0 if none. (Left out, megaroth takes it from the rollover dates of the "
         "1099-Rs given.)",
         "The IRA statements of November and December {year} and January {next}.",
         "It counts as if it were still in the IRA on December 31.",
         "Form 8606 line 6"),
    Fact("ira.roth_contributions", "Regular Roth IRA contributions for the year", "money",
         "How much did {you} contribute to Roth IRAs for {year} (regular contributions, not conversions)? 0 if none.",
         "Box 10 of the {year} Form 5498 of each Roth IRA.",
         "Roth IRA contributions come out first and untaxed.",
         "Form 8606 line 22"),
    Fact("ira.roth_contribution_basis", "Roth IRA contribution basis from earlier years", "money",
         "How much did {you} contribute to Roth IRAs in regular contributions before {year}, less what earlier "
         "Roth IRA withdrawals took out of them? 0 if none.",
         "Box 10 of each year's Form 5498 for the Roth IRAs, less earlier Forms 8606 Part III withdrawals.",
         "Contributions come out of a Roth IRA first and untaxed.",
         "Form 8606 line 22"),
    Fact("ira.roth_conversions", "Earlier years' conversions and plan rollovers in Roth IRAs", "layers",
         "Conversions and plan rollovers into {your} Roth IRAs in years before {year}, still in them: for each "
         "year, the taxable part and the nontaxable part, as YEAR=TAXABLE+NONTAXABLE (e.g. 2023=200+10000), "
         "separated by commas; none if there were none.",
         "Each year's Form 8606 lines 18 (taxable) and 17 (nontaxable), or a plan rollover's 1099-R box 2a and "
         "box 5.",
         "Conversions come out after contributions and untaxed; within 5 years their taxable part owes the 10% "
         "additional tax before 59½.",
         "Form 8606 line 24"),
    Fact("ira.first_roth_year", "First year of a Roth IRA", "year",
         "For what year did {you} first contribute to, or convert to, a Roth IRA?",
         "The first Form 5498 of a Roth IRA (the year the contribution was for).",
         "A Roth IRA withdrawal is tax-free only 5 years after that year's January 1 (and after 59½)."),
    Fact("ira.recharacterizations", "Contributions recharacterized (moved to the other kind of IRA)",
         "recharacterizations",
         "For each IRA contribution {you} had moved to the other kind of IRA (a Form 1099-R with code N or R): "
         "where it was first made (roth or traditional), the year it was for, the contribution without its "
         "earnings and the amount moved with them, as KIND YEAR CONTRIBUTION MOVED (e.g. roth {prev} 7000 7150), "
         "separated by commas; none if there were none.",
         "Your contribution confirmation, and the recharacterization confirmation or the code N/R Form 1099-R (box "
         "1 is the amount moved); the second IRA's Form 5498 box 4.",
         "A Roth IRA contribution moved to a traditional IRA counts as a traditional IRA contribution of its year "
         "(Form 8606 line 1 when not deducted): basis that a later conversion does not pay tax on again.",
         "Form 8606 line 1 (of the contribution's year)"),
    Fact("ira.first_time_homebuyer_expenses", "First-time homebuyer expenses", "money",
         "How much of {your} Roth IRA withdrawal paid qualified first-time homebuyer expenses? 0 if none.",
         "The purchase records ({homebuyer_limit} lifetime limit).",
         "Up to {homebuyer_limit} of such a withdrawal is not taxed.",
         "Form 8606 line 20"),
    Fact("ira.last_ira_rollover_date", "Last IRA-to-IRA 60-day rollover before this year", "date_or_none",
         "On what date (YYYY-MM-DD) did {you} receive the last IRA distribution before {year} that {you} rolled "
         "over to an IRA within 60 days? Not a transfer between custodians, not a conversion, not a rollover from "
         "or to a 401(k). none if there was none in {prev}.",
         "The IRA statements of {prev}: a withdrawal redeposited within 60 days, or the {prev} Form 1099-R of that "
         "withdrawal (box 13, date of payment).",
         "Only one IRA-to-IRA rollover is allowed in 12 months: a second one is taxable, and its deposit an excess "
         "contribution (IRC 408(d)(3)(B))."),
    Fact("ira.compensation", "Taxable compensation for the year", "money",
         "What was {your} taxable compensation for {year} (wages, salary, self-employment income)? 0 if none.",
         "Form W-2 box 1, or net earnings from self-employment (Pub 590-A, What Is Compensation?).",
         "An amount that could not be rolled over is a regular IRA contribution: within the year's limit (capped "
         "by compensation) it is not an excess, beyond it the 6% excise tax applies.",
         "Form 5329 lines 10 and 19"),
    Fact("ira.excess_removed", "Traditional IRA excess removed by the due date", "money",
         "Of {your} excess contribution to traditional IRAs for {year}, how much was (or will be) withdrawn with "
         "its earnings by the due date of the {year} return including extensions? 0 if none.",
         "The IRA's confirmation of a \"removal of excess contribution\" (its {next} Form 1099-R, code 8 or P).",
         "An excess removed with its earnings by the due date owes no 6% (IRC 408(d)(4)).",
         "Form 5329 line 15"),
    Fact("ira.roth_excess_removed", "Roth IRA excess removed by the due date", "money",
         "Of {your} excess contribution to Roth IRAs for {year}, how much was (or will be) withdrawn with its "
         "earnings by the due date of the {year} return including extensions? 0 if none.",
         "The Roth IRA's confirmation of a \"removal of excess contribution\" (its Form 1099-R, code J with 8 or P).",
         "An excess removed with its earnings by the due date owes no 6% (IRC 408(d)(4)).",
         "Form 5329 line 23"),
    Fact("ira.roth_year_end_value", "December 31 value of all Roth IRAs", "money",
         "What were all of {your} Roth IRAs worth on December 31, {year} (add contributions for {year} made in "
         "{next})? 0 if empty.",
         "Box 5 of each Roth IRA's {year} Form 5498, or the December {year} statements.",
         "The 6% on an excess contribution is on the smaller of the excess or this value.",
         "Form 5329 line 25"),
    Fact("ira.prior_excess_withdrawn", "Last year's traditional IRA excess withdrawn this year", "money",
         "Of last year's excess contribution to traditional IRAs, how much did {you} withdraw in {year} without "
         "including it in income? 0 if none.",
         "The {year} Form 1099-R of the withdrawal and your records of the excess.",
         "What was withdrawn no longer owes the 6%.",
         "Form 5329 line 12"),
)

BY_NAME = {fact.name: fact for fact in FACTS}
ROLES = ("taxpayer", "spouse")


def option_name(role: str, fact: Fact) -> str:
    """The fact's name for an option and a CSV column: `ira_basis`, `spouse_ira_basis`."""
    base = fact.name.replace(".", "_")
    return base if role == "taxpayer" else f"spouse_{base}"


def path(role: str, fact: Fact) -> str:
    """Its place in the case file: "taxpayer.ira.basis"."""
    return f"{role}.{fact.name}"


def from_path(text: str) -> tuple[str, Fact] | None:
    """(role, fact) for a case-file path, or None when it is not a person's fact."""
    role, _, name = text.partition(".")
    if role in ROLES and name in BY_NAME:
        return role, BY_NAME[name]
    return None


def from_option(text: str) -> tuple[str, Fact] | None:
    """(role, fact) for a name as options and CSV columns spell it (`ira_basis`, `spouse_ira_basis`),
    or as the case file does (`ira.basis`, `spouse.ira.basis`, `taxpayer.ira.basis`)."""
    key = text.strip().lower().replace("-", "_")
    found = from_path(key)
    if found:
        return found
    role = "taxpayer"
    for prefix, who in (("taxpayer.", "taxpayer"), ("taxpayer_", "taxpayer"), ("spouse.", "spouse"),
                        ("spouse_", "spouse")):
        if key.startswith(prefix):
            role, key = who, key[len(prefix):]
            break
    for fact in FACTS:
        if key in (fact.name, fact.name.replace(".", "_")):
            return role, fact
    return None


def wording(role: str, text: str, tax_year: int) -> str:
    """A fact's text for this person and year."""
    you, your = ("you", "your") if role == "taxpayer" else ("your spouse", "your spouse's")
    figures = {}
    if "{homebuyer_limit}" in text:
        # A figure of the law is read from the year's data (forms/statutory.toml), never typed into a question.
        from megaroth.money import money_text
        from megaroth.params import load_year

        figures["homebuyer_limit"] = money_text(load_year(tax_year).statutory.first_time_homebuyer_limit.required())
    return text.format(you=you, your=your, year=tax_year, prev=tax_year - 1, next=tax_year + 1, **figures)


def is_unknown(answer: Any) -> bool:
    return isinstance(answer, str) and answer.strip().lower().replace("’", "'") in UNKNOWN_WORDS


class FactValueError(ValueError):
    """An answer that is not a value of the fact's kind; the message says what is expected."""


_LAYER = re.compile(r"^\s*(\d{4})\s*=\s*([^+]+?)\s*\+\s*(.+?)\s*$")


def read_value(fact: Fact, text: Any, tax_year: int) -> Any:
    """An answer as the case file holds it (money as a string, a year as a number, a date as
    YYYY-MM-DD, layers as a list of {year, taxable, nontaxable}).

    Raises:
        FactValueError: for an answer that is not one.
    """
    if fact.kind in ("layers", "recharacterizations") and isinstance(text, list):
        return text
    value = str(text).strip()
    if fact.kind == "recharacterizations":
        return _recharacterizations(value, tax_year)
    if fact.kind == "money":
        try:
            amount = parse_money(value)
        except MoneyError as exc:
            raise FactValueError(str(exc)) from None
        if amount is None:
            raise FactValueError(f"{value!r} is not an amount")
        if amount < 0:
            raise FactValueError(f"{value!r} is less than 0")
        return str(amount)
    if fact.kind == "year":
        if not value.isdigit() or not 1998 <= int(value) <= tax_year:
            raise FactValueError(f"{value!r} is not a year from 1998 to {tax_year}")
        return int(value)
    if fact.kind == "date_or_none" and value.lower() in ("none", "no", "never", "0"):
        return "none"
    if fact.kind == "date_or_none":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FactValueError(f"{value!r} is not a date (YYYY-MM-DD) or none") from None
        if not 1998 <= day.year <= tax_year - 1:
            raise FactValueError(f"{value!r} is not a date before {tax_year} (or none)")
        return day.isoformat()
    if fact.kind == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FactValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if not 1900 <= day.year <= tax_year:
            raise FactValueError(f"{value!r} is not a date of birth before {tax_year + 1}")
        return day.isoformat()
    if value.lower() in ("none", "0", "no", ""):
        return []
    layers = []
    for item in value.split(","):
        match = _LAYER.match(item)
        if not match:
            raise FactValueError(f"{item.strip()!r} is not YEAR=TAXABLE+NONTAXABLE (e.g. 2023=200+10000)")
        year = int(match.group(1))
        if not 1998 <= year < tax_year:
            raise FactValueError(f"{year} is not a year before {tax_year}")
        try:
            taxable, nontaxable = parse_money(match.group(2)), parse_money(match.group(3))
        except MoneyError as exc:
            raise FactValueError(str(exc)) from None
        if taxable is None or nontaxable is None or taxable < 0 or nontaxable < 0:
            raise FactValueError(f"{item.strip()!r}: give two amounts of 0 or more")
        layers.append({"year": year, "taxable": str(taxable), "nontaxable": str(nontaxable)})
    return layers


_KINDS = {"roth": "roth_ira", "roth_ira": "roth_ira", "traditional": "traditional_ira",
          "traditional_ira": "traditional_ira"}


def _recharacterizations(value: str, tax_year: int) -> list[dict[str, Any]]:
    """KIND YEAR CONTRIBUTION MOVED, comma-separated, as the case file's recharacterizations."""
    if value.lower() in ("none", "0", "no", ""):
        return []
    items = []
    for item in value.split(","):
        words = item.split()
        if len(words) != 4 or words[0].lower() not in _KINDS or not words[1].isdigit():
            raise FactValueError(f"{item.strip()!r} is not KIND YEAR CONTRIBUTION MOVED (e.g. roth 2024 7000 7150)")
        year = int(words[1])
        if not 1998 <= year <= tax_year:
            raise FactValueError(f"{year} is not a year from 1998 to {tax_year}")
        try:
            contribution, moved = parse_money(words[2]), parse_money(words[3])
        except MoneyError as exc:
            raise FactValueError(str(exc)) from None
        if contribution is None or moved is None or contribution < 0 or moved < 0:
            raise FactValueError(f"{item.strip()!r}: give two amounts of 0 or more")
        items.append({"contributed_to": _KINDS[words[0].lower()], "for_year": year,
                      "contribution_amount": str(contribution), "amount_moved": str(moved)})
    return items


def write(case: dict, role: str, fact: Fact, value: Any) -> None:
    """Write a read value into a case-file dict at the person's place for it."""
    person = case.get(role)
    if not isinstance(person, dict):
        person = case[role] = {}
    *parents, leaf = fact.name.split(".")
    for part in parents:
        child = person.get(part)
        if not isinstance(child, dict):
            child = person[part] = {}
        person = child
    person[leaf] = value


def current(case: dict, role: str, fact: Fact) -> Any:
    """The value the case-file dict holds for the fact, or None."""
    node: Any = case.get(role)
    for part in fact.name.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


__all__ = ["Fact", "FACTS", "BY_NAME", "FactValueError", "option_name", "path", "from_path", "from_option",
           "wording", "is_unknown", "read_value", "write", "current"]
