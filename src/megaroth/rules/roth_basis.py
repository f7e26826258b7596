"""Roth IRA basis and Form 8606 Part III: what a nonqualified Roth IRA distribution takes out, in
the order the law sets, and what is taxable or owes the 10% recapture.

All of a person's Roth IRAs are one (Treas. Reg. 1.408A-6 Q&A-9). A distribution comes out
(IRC 408A(d)(4)(B); Pub 590-B "Ordering Rules for Distributions"):
1. of regular contributions (and designated Roth basis rolled in: Form 8606 line 22);
2. then of conversions and plan rollovers, oldest year first, each year's taxable part first,
   then its nontaxable part (line 24);
3. then of earnings, which are taxable (line 25c).
The taxable part of a layer younger than 5 years that a distribution takes owes the 10%
additional tax before 59½ (the recapture, Form 5329 line 1; i5329 "Recapture amount").

Every layer is used once: what a year's distributions took is subtracted for the next year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.results import Finding, Form8606Line, FormResult, RothLayerState, RothState, Severity
from megaroth.model.tax_return import LedgerFacts, Person, Role, RothLayer
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.form8606 import LineWriter, spread
from megaroth.rules.registry import define
from megaroth.rules.roth_ira import roth_amount_kept

PART_III = define(
    "form_8606.part_iii",
    "Form 8606 Part III: a nonqualified Roth IRA distribution comes first out of regular contributions (line "
    "22), then out of conversions and plan rollovers (line 24), oldest first and taxable part first; only the "
    "rest is taxable (line 25c).",
    ["i8606.line-19", "i8606.line-22", "i8606.line-24", "f8606.line-25", "irc-408A.d4-ordering", "p590b.ordering"],
)
QUALIFIED = define(
    "roth_ira.qualified",
    "A Roth IRA distribution is qualified (not taxable, no Part III) with code Q, or with code T once 5 years "
    "have passed since the first year of a Roth IRA contribution or conversion.",
    ["i8606.qualified-distribution", "i1040.ira.exception-2"],
)
RECAPTURE = define(
    "form_5329.roth_recapture",
    "The taxable part of a conversion or plan rollover taken out of a Roth IRA within 5 years of it, before 59½, "
    "owes the 10% additional tax (Form 5329 line 1), as do the taxable earnings of an early distribution.",
    ["i5329.roth-recapture", "reg-1.408A-6.q5", "i8606.line-23"],
)

ROTH_BASIS_MISSING = check(
    "form_8606.roth_basis_missing", Severity.error,
    "A nonqualified Roth IRA distribution, but the Roth IRA basis (contributions and conversions of earlier "
    "years) is neither in the case nor in the ledger.",
    ["i8606.line-22", "i8606.line-24"],
)
FIRST_ROTH_YEAR_MISSING = check(
    "form_8606.first_roth_year_missing", Severity.error,
    "A code T Roth IRA distribution would be taxable unless it is qualified, and the first year of a Roth IRA "
    "contribution is not known.",
    ["i8606.qualified-distribution"],
)


@dataclass
class Part3:
    status: str = "not_needed"
    summary: str = ""
    lines: list[Form8606Line] = field(default_factory=list)
    taxable: Decimal = ZERO
    recapture: Decimal = ZERO
    """Taxable parts of layers younger than 5 years taken out (Form 5329 line 1, with line 25c)."""
    state: RothState | None = None
    first_roth_year: int | None = None
    nonqualified: dict[str, Decimal] = field(default_factory=dict)
    """Each form's nonqualified amount (its line 19 share)."""


def this_year_layer(year: int, line_17: Decimal, line_18: Decimal, plan_results: list[FormResult]) -> RothLayer:
    """The layer this year's conversions and plan rollovers to Roth IRAs add: taxable part and not."""
    rolled_taxable = total(p.taxable for r in plan_results for p in r.parts if p.destination.value == "roth_ira")
    rolled_basis = total(p.basis for r in plan_results for p in r.parts if p.destination.value == "roth_ira")
    return RothLayer(year=year, taxable=line_18 + rolled_taxable, nontaxable=line_17 + rolled_basis)


def part_iii(role: Role, person: Person, roth_results: list[FormResult], new_layer: RothLayer,
             new_contribution_basis: Decimal, ledger: LedgerFacts | None, params: YearParameters,
             findings: list[Finding], source: Source) -> Part3:
    """Part III for one person: their Roth IRA forms, their Roth basis, this year's additions.

    Args:
        new_layer: this year's conversions (Form 8606 lines 17 and 18) and plan rollovers.
        new_contribution_basis: regular contributions for the year and designated Roth basis
            rolled in this year (line 22 grows by them).
    """
    facts = person.facts
    year = params.tax_year
    who = person.name or ("the spouse" if role == "spouse" else "the taxpayer")
    prefix = f"{role}.ira"
    result = Part3()
    first = facts.first_roth_year if facts.first_roth_year is not None else (ledger.first_roth_year if ledger else None)
    if first is None and (new_layer.taxable or new_layer.nontaxable or new_contribution_basis):
        first = year
    result.first_roth_year = first
    prior_contributions = facts.roth_contribution_basis if facts.roth_contribution_basis is not None else (
        ledger.roth_contribution_basis if ledger else None)
    prior_layers = facts.roth_conversions if facts.roth_conversions is not None else (
        ledger.roth_layers if ledger else None)
    known = prior_contributions is not None and prior_layers is not None
    layers = [RothLayerState(year=layer.year, taxable=layer.taxable, nontaxable=layer.nontaxable)
              for layer in sorted(prior_layers or [], key=lambda layer: layer.year)]
    if new_layer.taxable or new_layer.nontaxable:
        layers.append(RothLayerState(year=year, taxable=new_layer.taxable, nontaxable=new_layer.nontaxable))
    line_22 = (prior_contributions or ZERO) + new_contribution_basis
    period = params.statutory.qualified_distribution_period_years.required()
    nonqualified: list[tuple[FormResult, Decimal]] = []
    t_unknown = False
    for form in roth_results:
        if form.status != "computed":
            continue
        code, kept = roth_amount_kept(form)
        if not kept:
            continue
        if code == "Q" or (code == "T" and first is not None and first <= year - period):
            continue  # qualified: not taxable, not on Part III
        t_unknown = t_unknown or (code == "T" and first is None)
        nonqualified.append((form, kept))
    line_19 = total(kept for _, kept in nonqualified)
    result.nonqualified = {form.form_id: kept for form, kept in nonqualified}
    added = (RothLayerState(year=year, taxable=new_layer.taxable, nontaxable=new_layer.nontaxable)
             if new_layer.taxable or new_layer.nontaxable else None)
    if not line_19:
        result.state = RothState(contribution_basis=line_22, layers=layers, known=known, added_layer=added)
        return result
    if not known:
        missing = [name for name, value in (("roth_contribution_basis", prior_contributions),
                                            ("roth_conversions", prior_layers)) if value is None]
        for name in missing:  # one finding a fact, so that each is asked on its own
            findings.append(ROTH_BASIS_MISSING.finding(
                f"{who} took {money_text(line_19)} out of Roth IRAs that is not a qualified distribution: what is "
                "taxable depends on the regular contributions and the conversions and plan rollovers made in earlier "
                f"years, which the case does not give and the ledger does not hold. Give {prefix}.{name} "
                f"({'0' if name == 'roth_contribution_basis' else '[]'} if there were none).", box=f"{prefix}.{name}",
                source=source, fact=f"{prefix}.{name}", at_stake=line_19))
        result.status, result.summary = "not_computed", "Part III not computed: the Roth IRA basis is not known."
        return result
    w = LineWriter(params)
    w.add("19", line_19, "Nonqualified Roth IRA distributions kept: " + ", ".join(
        f"{f.form_id} (code {f.box_7}) {money_text(kept)}" for f, kept in nonqualified) + ".", cites=QUALIFIED.cites)
    limit = params.statutory.first_time_homebuyer_limit.required()
    line_20 = min(facts.first_time_homebuyer_expenses or ZERO, limit, line_19)
    w.add("20", line_20, "Qualified first-time homebuyer expenses given" + (f" (at most {money_text(limit)})"
                                                                          if line_20 else ": none") + ".")
    line_21 = max(ZERO, line_19 - line_20)
    w.add("21", line_21, "Line 19 − line 20.")
    w.add("22", line_22, f"Regular contribution basis from earlier years {money_text(prior_contributions or ZERO)} + "
          f"this year's regular contributions and designated Roth basis rolled in {money_text(new_contribution_basis)}.")
    state_contributions, state_layers, used_contribution, used_layers = _allocate(line_19, line_22, layers)
    line_24 = total(layer.taxable + layer.nontaxable for layer in layers)
    if line_21:
        line_23 = max(ZERO, line_21 - line_22)
        w.add("23", line_23, "Line 21 − line 22.")
        if line_23:
            w.add("24", line_24, "Basis in conversions and plan rollovers, by year: " + (", ".join(
                f"{layer.year} {money_text(layer.taxable + layer.nontaxable)}" for layer in layers) or "none") + ".")
            line_25a = max(ZERO, line_23 - line_24)
            w.add("25a", line_25a, "Line 23 − line 24.")
            w.add("25b", ZERO, "No qualified disaster distributions (megaroth does not compute them).")
            w.add("25c", line_25a, "Taxable part of the Roth IRA distributions: on Form 1040 line 4b.")
            result.taxable = line_25a
    recent = year - params.statutory.recapture_period_years.required()
    result.recapture = total(used.taxable for used in used_layers if used.year > recent)
    if t_unknown and result.taxable:
        findings.append(FIRST_ROTH_YEAR_MISSING.finding(
            f"{who}'s code T Roth IRA distribution is taxable ({money_text(result.taxable)}) unless it is a qualified "
            f"distribution, which depends on the first year of a Roth IRA contribution: give {prefix}.first_roth_year.",
            box=f"{prefix}.first_roth_year", source=source, fact=f"{prefix}.first_roth_year",
            at_stake=result.taxable))
        result.status, result.summary = "not_computed", "Part III not computed: the first Roth IRA year is needed."
        return result
    result.status = "computed"
    result.lines = w.lines
    result.state = RothState(contribution_basis=state_contributions, layers=state_layers,
                             used_contribution=used_contribution, used_layers=used_layers, known=True,
                             added_layer=added)
    result.summary = (f"Form 8606 Part III: {money_text(line_19)} of nonqualified Roth IRA distributions; taxable "
                      f"{money_text(result.taxable)}" + (
                          f"; {money_text(result.recapture)} of it came from conversions or plan rollovers taxed in "
                          "the last 5 years (a recapture amount: not taxed again, but subject to the 10% additional "
                          "tax, Form 5329 line 1, before 59½ unless an exception applies)" if result.recapture
                          else "") + ".")
    return result


def _allocate(amount: Decimal, contributions: Decimal, layers: list[RothLayerState]):
    """Take `amount` out in the statutory order: contributions, then each layer (oldest first,
    taxable part first). Returns what is left and what was taken."""
    used_contribution = min(amount, contributions)
    left = amount - used_contribution
    remaining, used = [], []
    for layer in layers:
        take_taxable = min(left, layer.taxable)
        left -= take_taxable
        take_nontaxable = min(left, layer.nontaxable)
        left -= take_nontaxable
        if take_taxable or take_nontaxable:
            used.append(RothLayerState(year=layer.year, taxable=take_taxable, nontaxable=take_nontaxable))
        rest = RothLayerState(year=layer.year, taxable=layer.taxable - take_taxable,
                              nontaxable=layer.nontaxable - take_nontaxable)
        if rest.taxable or rest.nontaxable:
            remaining.append(rest)
    return contributions - used_contribution, remaining, used_contribution, used


def apply_part_iii(results: list[FormResult], part: Part3, person_early) -> list[FormResult]:
    """The person's Roth IRA forms with their share of line 25c (taxable) and of the 10% base
    (line 25c and the recapture, for distributions with no known exception: code J before 59½).

    Args:
        person_early: function(result) -> bool, whether the 10% can apply to this form.
    """
    kept = [part.nonqualified.get(r.form_id, ZERO) for r in results]
    taxable = spread(part.taxable, kept)
    subject = spread(part.taxable + part.recapture, kept)
    updated = []
    for r, share, base, amount in zip(results, taxable, subject, kept):
        if not amount:
            updated.append(r)
            continue
        additional = base if person_early(r) else ZERO
        steps = list(r.steps) + [PART_III.step(
            "taxable", f"Share of Form 8606 Part III: taxable {money_text(share)}"
            + (f"; subject to the 10% additional tax {money_text(additional)} (earnings and recaptured conversions)"
               if additional else "") + ".", result=share)]
        parts = [p.model_copy(update={"taxable": share, "pretax": share}) if p.destination.value == "kept" else p
                 for p in r.parts]
        updated.append(r.model_copy(update={"taxable": share, "parts": parts, "additional_tax_base": additional,
                                            "fully_taxable": False, "steps": steps}))
    return updated
