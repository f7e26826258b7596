"""The 6% excise tax on excess IRA contributions: Form 5329 Part III (traditional IRAs, lines
9-17) and Part IV (Roth IRAs, lines 18-25), per person.

An excess is what was contributed for the year beyond the limit: for traditional IRAs, beyond
the § 219 amount (the year's dollar limit, with the catch-up from 50, capped by compensation;
IRC 4973(b)); for Roth IRAs, beyond the § 408A(c)(2) limit reduced by the traditional IRA
contributions of the year (IRC 4973(f)). Valid rollovers and conversions are not contributions;
an amount deposited as one that could not be (an RMD, a second IRA-to-IRA rollover within 12
months) is a regular contribution (Pub 590-A "Excess Contributions": an improper rollover
contribution; Treas. Reg. 1.408A-4 Q&A-6 for an RMD converted). The part removed with its earnings
by the due date including extensions is not counted (IRC 408(d)(4); i5329 line 15/23).

Last year's excess (last Form 5329 line 16/24, kept in the ledger) is reduced by the year's
unused limit, by traditional IRA distributions included in income and by prior excess withdrawn
(lines 10-12), or by Roth IRA distributions (line 20). The 6% is on the smaller of the total
excess or the IRAs' value on December 31 (lines 17 and 25, Form 5329 2025).

Not computed: the Roth IRA income limit (modified AGI phase-out), the spousal IRA limit on a
joint return where one spouse's compensation is under the limit, SEP/SIMPLE employer contributions.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.form1099r import Destination
from megaroth.model.results import ExcessPart, Finding, FormResult, Severity
from megaroth.model.tax_return import LedgerFacts, Person, Role
from megaroth.money import CENT, ZERO, money_text, percent_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.excess_advice import due_date_text
from megaroth.rules.registry import define

CITES = ["irc-4973.a-excess", "irc-4973.b-excess-traditional", "i5329.excess-lines", "p590a.excess-contributions",
         "irc-408.d4-excess-removed"]
PART_III = define(
    "form_5329.part_iii",
    "Form 5329 Part III: the 6% excise tax on excess contributions to traditional IRAs (including improper "
    "rollover contributions), on the smaller of the total excess or the IRAs' value at year end.",
    CITES + ["f5329.part-iii-lines", "i5329.part-iii-excess"],
)
PART_IV = define(
    "form_5329.part_iv",
    "Form 5329 Part IV: the 6% excise tax on excess contributions to Roth IRAs (including an RMD converted, "
    "which is a regular contribution), on the smaller of the total excess or the Roth IRAs' value at year end.",
    CITES + ["f5329.part-iv-lines", "i5329.part-iv-roth-excess", "reg-1.408A-4.q6-rmd-conversion"],
)
EXCESS_TAX = check(
    "excess.six_percent", Severity.warning,
    "An excess IRA contribution stays in the IRA: the 6% excise tax is due on Form 5329 Part III or IV (and "
    "Schedule 2: line 8 through 2025) for the year, and for each later year until it is removed.",
    CITES + ["f5329.part-iii-lines", "f5329.part-iv-lines"],
)
EXCESS_REMOVED = check(
    "excess.removed", Severity.info,
    "An excess IRA contribution removed with its earnings by the due date: no 6%, the earnings are income.",
    ["irc-408.d4-excess-removed", "reg-1.408-11.nia", "i5329.excess-lines"],
)
FACT_NEEDED = check(
    "excess.fact_needed", Severity.warning,
    "A fact the 6% excise tax on an excess IRA contribution depends on is not given.",
    CITES,
)


def _tax(amount: Decimal, params: YearParameters) -> Decimal:
    rate = params.statutory.excess_contribution_tax_rate.required()
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _limit(person: Person, params: YearParameters) -> tuple[Decimal, str | None]:
    """The year's dollar limit for the person (with the catch-up from 50), and a note when the birth date is
    not given (the catch-up is then left out: the limit may be higher)."""
    base = params.limits.ira_contribution.required()
    catch_up = params.limits.ira_catch_up.required()
    if person.birth_date is None:
        return base, (f"The birth date is not given: the limit is taken as {money_text(base)}, without the "
                      f"{money_text(catch_up)} catch-up of those 50 or older at year end.")
    fifty = date_reaching_age(person.birth_date, Decimal(params.statutory.catch_up_age.required()))
    return (base + catch_up if fifty < date(params.tax_year + 1, 1, 1) else base), None


def excess_parts(role: Role, person: Person, results: list[FormResult], ledger: LedgerFacts | None,
                 params: YearParameters, findings: list[Finding], source: Source) -> list[ExcessPart]:
    """The person's Form 5329 Parts III and IV, when there is an excess this year or from before."""
    facts = person.facts
    who = person.name or role
    computed = [r for r in results if r.status == "computed"]
    deposits = [d for r in computed for d in r.excess_deposits]
    improper = {kind: total(d.amount for d in deposits if d.kind == kind) for kind in ("traditional_ira", "roth_ira")}
    prior = {
        "traditional_ira": facts.prior_year_excess if facts.prior_year_excess is not None else (
            ledger.prior_excess_traditional if ledger and ledger.prior_excess_traditional is not None else ZERO),
        "roth_ira": facts.roth_prior_year_excess if facts.roth_prior_year_excess is not None else (
            ledger.prior_excess_roth if ledger and ledger.prior_excess_roth is not None else ZERO),
    }
    regular_traditional = (facts.nondeductible_contributions or ZERO) + (facts.deductible_contributions or ZERO)
    regular_roth = facts.roth_contributions or ZERO
    dollar_limit, limit_note = _limit(person, params)
    if not any(improper.values()) and not any(prior.values()) and regular_traditional + regular_roth <= dollar_limit:
        return []
    rate_text = percent_text(params.statutory.excess_contribution_tax_rate.required())

    def ask(fact: str, message: str, at_stake: Decimal) -> None:
        findings.append(FACT_NEEDED.finding(f"{who}: {message}", box=f"{role}.{fact}", source=source,
                                            fact=f"{role}.{fact}", at_stake=at_stake))

    # The limit: the dollar limit capped by compensation. Unknown compensation matters only where an amount
    # could be absorbed by unused room (an improper rollover, a prior excess): then none is assumed, and asked.
    notes_common = [limit_note] if limit_note else []
    traditional = regular_traditional + improper["traditional_ira"]
    roth = regular_roth + improper["roth_ira"]
    if facts.compensation is not None:
        limit = min(dollar_limit, facts.compensation)
    elif any(improper.values()) or any(prior.values()):
        limit = ZERO
        absorbable = min(dollar_limit, traditional + roth + prior["traditional_ira"] + prior["roth_ira"])
        ask("ira.compensation", (
            f"an amount counted as an IRA contribution ({money_text(traditional + roth)} for {params.tax_year}"
            + (f", {money_text(prior['traditional_ira'] + prior['roth_ira'])} of excess from before" if any(
                prior.values()) else "") +
            f") is an excess only beyond the year's limit, {money_text(dollar_limit)} capped by taxable compensation, "
            "which is not given. The lines count no compensation (all of it excess); give "
            f"{role}.ira.compensation."), _tax(absorbable, params))
        notes_common.append("Compensation is not given: no contribution limit is counted (all of it is excess) until "
                            "it is.")
    else:
        limit = dollar_limit
    excess_traditional = max(ZERO, traditional - limit)
    roth_limit = max(ZERO, limit - traditional)
    excess_roth = max(ZERO, roth - roth_limit)
    unused = max(ZERO, limit - traditional - roth)
    parts = []
    for kind in ("traditional_ira", "roth_ira"):
        year_excess = excess_traditional if kind == "traditional_ira" else excess_roth
        if not year_excess and not prior[kind]:
            continue
        notes = list(notes_common)
        removed_given = facts.excess_removed if kind == "traditional_ira" else facts.roth_excess_removed
        removed_fact = "ira.excess_removed" if kind == "traditional_ira" else "ira.roth_excess_removed"
        if year_excess and removed_given is None:
            ask(removed_fact, (
                f"{money_text(year_excess)} of excess contributions to {_title(kind)}s for {params.tax_year}: was any of "
                f"it withdrawn with its earnings by {due_date_text(params)} (the due date with extensions)? What is "
                f"removed in time owes no {rate_text}. The lines count none removed; give {role}.{removed_fact}."),
                _tax(year_excess, params))
        removed = min(year_excess, removed_given or ZERO)
        if removed:
            findings.append(EXCESS_REMOVED.finding(
                f"{who}: {money_text(removed)} of the {params.tax_year} excess contributions to {_title(kind)}s was "
                f"removed with its earnings by the due date: no {rate_text} on it; the earnings are income of the "
                "year the contribution was made for, and owe the 10% additional tax before 59½ unless an exception "
                "applies.", source=source))
        if kind == "traditional_ira":
            lines = _part_iii(role, facts, computed, prior[kind], unused, year_excess - removed, params, ask, notes)
            line_total, line_tax = "16", "17"
        else:
            lines = _part_iv(role, facts, computed, prior[kind], max(ZERO, roth_limit - roth), year_excess - removed,
                             params, ask, notes)
            line_total, line_tax = "24", "25"
            if roth and roth_limit and facts.compensation is not None:
                notes.append("The Roth IRA limit is taken without its income phase-out (megaroth does not compute "
                             "modified AGI): above it, the limit is lower and the excess larger.")
        tax = lines[line_tax]
        part = ExcessPart(
            part="III" if kind == "traditional_ira" else "IV", kind=kind, lines=lines, tax=tax,
            carried=lines[line_total] if tax > 0 else ZERO,
            remove_by=params.dates.extended_due_date.required().isoformat() if year_excess - removed > 0 else None,
            notes=notes, cites=list((PART_III if kind == "traditional_ira" else PART_IV).cites))
        parts.append(part)
        if tax > 0:
            later = (f" Remove {money_text(year_excess - removed)} of it with its earnings by "
                     f"{due_date_text(params)} and the {params.tax_year} tax on it goes away (IRC 408(d)(4));"
                     if year_excess - removed > 0 else "")
            findings.append(EXCESS_TAX.finding(
                f"{who}: Form 5329 Part {part.part}: {money_text(lines[line_total])} of excess contributions to "
                f"{_title(kind)}s at the end of {params.tax_year} (line {line_total}); the {rate_text} excise tax is "
                f"{money_text(tax)} (line {line_tax}, on Schedule 2 line {params.f1040.schedule_2.excess_line().line})."
                f"{later} an excess left in the IRA owes "
                f"the {rate_text} again each year until it is withdrawn or absorbed by a later year's unused limit.",
                source=source))
    return parts


def _title(kind: str) -> str:
    return "traditional IRA" if kind == "traditional_ira" else "Roth IRA"


def _part_iii(role, facts, computed, prior, unused, year_excess, params, ask, notes) -> dict[str, Decimal]:
    """Lines 9-17 (Form 5329 2025)."""
    lines: dict[str, Decimal] = {"9": prior}
    if prior:
        withdrawn = facts.prior_excess_withdrawn
        if withdrawn is None:
            ask("ira.prior_excess_withdrawn", (
                f"{money_text(prior)} of traditional IRA excess is carried from before (line 9): how much of it was "
                f"withdrawn in {params.tax_year} and not included in income (line 12)? The lines count none; give "
                f"{role}.ira.prior_excess_withdrawn."), _tax(prior, params))
        lines["10"] = unused
        lines["11"] = total(r.taxable or ZERO for r in computed if r.account == "ira")
        lines["12"] = withdrawn or ZERO
        lines["13"] = lines["10"] + lines["11"] + lines["12"]
        lines["14"] = max(ZERO, prior - lines["13"])
    else:
        lines["14"] = ZERO
    lines["15"] = year_excess
    lines["16"] = lines["14"] + lines["15"]
    value = facts.year_end_value
    if value is not None:
        value += facts.contributions_made_next_year or ZERO
    lines["17"] = _six_percent(role, lines["16"], value, "ira.year_end_value", "traditional IRAs", params, ask, notes)
    return lines


def _part_iv(role, facts, computed, prior, unused_roth, year_excess, params, ask, notes) -> dict[str, Decimal]:
    """Lines 18-25 (Form 5329 2025)."""
    lines: dict[str, Decimal] = {"18": prior}
    if prior:
        lines["19"] = unused_roth
        lines["20"] = total(p.amount for r in computed if r.account == "roth_ira" for p in r.parts
                            if p.destination is Destination.kept)
        lines["21"] = lines["19"] + lines["20"]
        lines["22"] = max(ZERO, prior - lines["21"])
    else:
        lines["22"] = ZERO
    lines["23"] = year_excess
    lines["24"] = lines["22"] + lines["23"]
    lines["25"] = _six_percent(role, lines["24"], facts.roth_year_end_value, "ira.roth_year_end_value", "Roth IRAs",
                               params, ask, notes)
    return lines


def _six_percent(role, excess, value, fact, title, params, ask, notes) -> Decimal:
    """6% of the smaller of the excess or the IRAs' value on December 31 (with contributions for the year made
    next year); a value not given is asked, the excess taken meanwhile."""
    if not excess:
        return ZERO
    if value is None:
        ask(fact, (f"the {percent_text(params.statutory.excess_contribution_tax_rate.required())} is on the smaller "
                   f"of the {money_text(excess)} excess or the value of all {title} on December 31, {params.tax_year}, "
                   f"which is not given. The lines take the excess; give {role}.{fact}."), _tax(excess, params))
        notes.append(f"The value of the {title} at year end is not given: the tax is on the whole excess.")
        return _tax(excess, params)
    return _tax(min(excess, value), params)
