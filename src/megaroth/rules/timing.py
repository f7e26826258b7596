"""Conversion timing: what was converted when, the earnings each conversion carried, and what
waiting cost.

After-tax contributions are basis; what they earn before conversion is pretax money, taxable
when converted (the reason to convert quickly). Contributions are matched to conversions first
in, first out. A conversion's basis is taken from the case (its `basis`, or box 5 of its
1099-R when it is the form's only conversion); otherwise it converts the basis waiting, up to
its amount. The tax estimate is the taxable earnings times the marginal rate the user gives.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from megaroth.checks.registry import check
from megaroth.model.form1099r import Form1099R
from megaroth.model.results import (
    ConversionTiming,
    Finding,
    Severity,
    Step,
    TimelinePoint,
    TimingResult,
)
from megaroth.model.yearend import YearEnd
from megaroth.money import CENT, ZERO, money_text, total
from megaroth.rules.registry import define

FIFO = define("timing.fifo", "After-tax contributions are basis; earnings before conversion are pretax money and "
              "taxable when converted. Contributions are matched to conversions first in, first out.",
              ["irs-after-tax.earnings-pretax", "irs-irr.taxable-amount", "f1099r.box-2a.roth"])
ESTIMATE = define("timing.estimate", "Estimated tax on the converted earnings at the marginal rate you give; "
                  "converting each contribution at once leaves no pre-conversion earnings to tax.",
                  ["irs-irr.taxable-amount", "irc-408A.d3-rollover-income"])

FORM_MISMATCH = check(
    "timing.conversions_differ_from_form", Severity.warning,
    "The conversions listed for a 1099-R do not add up to its box 1, or their earnings differ from its taxable part.",
    ["i1099r.box-1", "f1099r.box-2a.roth"],
)
CONVERTED_MORE = check(
    "timing.basis_exceeds_contributions", Severity.warning,
    "A conversion's basis is more than the after-tax contributions waiting to be converted.",
    ["irs-after-tax.earnings-pretax"],
)
LOSS = check(
    "timing.conversion_at_a_loss", Severity.info,
    "A conversion worth less than its basis: no taxable earnings, and no deduction for the loss.",
    ["i1099r.box-5"],
)


def timing(yearend: YearEnd, tax_year: int, forms: list[Form1099R] | None = None,
           opening_basis: Decimal = ZERO, opening_date: date | None = None) -> TimingResult:
    """Match contributions to conversions and price the wait."""
    forms_by_id = {f.id: f for f in forms or []}
    steps: list[Step] = []
    findings: list[Finding] = []
    start = date(tax_year, 1, 1)
    end = date(tax_year + 1, 1, 1) - timedelta(days=1)
    waiting: list[list] = []  # [date, remaining amount]
    timeline = [TimelinePoint(date=start.isoformat(), unconverted=opening_basis, event="opening", amount=opening_basis)]
    if opening_basis:
        waiting.append([opening_date or start, opening_basis])
        steps.append(FIFO.step("opening_basis", f"After-tax basis not yet converted at the start of {tax_year}: "
                               f"{money_text(opening_basis)}.", result=opening_basis))
    per_form: dict[str, int] = {}
    for conversion in yearend.conversions:
        if conversion.form_id:
            per_form[conversion.form_id] = per_form.get(conversion.form_id, 0) + 1
    events = sorted(
        [(c.date, 0, "contribution", c) for c in yearend.after_tax_contributions]
        + [(c.date, 1, "conversion", c) for c in yearend.conversions],
        key=lambda e: (e[0], e[1]))
    results: list[ConversionTiming] = []
    dollar_days = ZERO
    for when, _, kind, item in events:
        if kind == "contribution":
            waiting.append([when, item.amount])
            timeline.append(TimelinePoint(date=when.isoformat(), unconverted=total(w[1] for w in waiting),
                                          event="contribution", amount=item.amount))
            continue
        pending = total(w[1] for w in waiting)
        form = forms_by_id.get(item.form_id or "")
        if item.basis is not None:
            basis = item.basis
        elif form is not None and per_form.get(form.id) == 1 and form.box_5 is not None:
            basis = form.box_5
        else:
            basis = min(pending, item.amount)
        if basis > pending:
            findings.append(CONVERTED_MORE.finding(
                f"The {when.isoformat()} conversion carries {money_text(basis)} of basis but only "
                f"{money_text(pending)} of after-tax contributions were waiting; list the earlier contributions "
                "(or the basis carried from last year)."))
        earnings = item.amount - basis
        if earnings < 0:
            findings.append(LOSS.finding(
                f"The {when.isoformat()} conversion of {money_text(item.amount)} is worth less than its basis "
                f"{money_text(basis)}."))
        weighted = ZERO
        to_take = min(basis, pending)
        taken = to_take
        while to_take > 0 and waiting:
            first = waiting[0]
            used = min(first[1], to_take)
            weighted += used * (when - first[0]).days
            first[1] -= used
            to_take -= used
            if first[1] == 0:
                waiting.pop(0)
        days = int((weighted / taken).to_integral_value(rounding=ROUND_HALF_UP)) if taken else 0
        dollar_days += weighted
        results.append(ConversionTiming(date=when.isoformat(), amount=item.amount, basis=basis, earnings=earnings,
                                        days_waited=days, form_id=item.form_id, plan=item.plan))
        timeline.append(TimelinePoint(date=when.isoformat(), unconverted=total(w[1] for w in waiting),
                                      event="conversion", amount=item.amount))
        steps.append(FIFO.step(
            "conversion", f"{when.isoformat()}: converted {money_text(item.amount)} = basis {money_text(basis)} + "
            f"earnings {money_text(earnings) if earnings >= 0 else '-' + money_text(-earnings)}; the contributions "
            f"converted had waited {days} days on average.", result=max(earnings, ZERO)))
    unconverted = total(w[1] for w in waiting)
    for w in waiting:
        dollar_days += w[1] * (end - w[0]).days
    contributed = total(c.amount for c in yearend.after_tax_contributions)
    basis_in = opening_basis + contributed
    average = int((dollar_days / basis_in).to_integral_value(rounding=ROUND_HALF_UP)) if basis_in else 0
    timeline.append(TimelinePoint(date=end.isoformat(), unconverted=unconverted, event="closing", amount=unconverted))
    taxable = total(max(r.earnings, ZERO) for r in results)
    unconverted_earnings = None
    if yearend.year_end_unconverted_value is not None:
        unconverted_earnings = yearend.year_end_unconverted_value - unconverted
    rate = yearend.marginal_tax_rate
    estimate = saved = None
    if rate is not None:
        estimate = (taxable * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        saved = estimate
        steps.append(ESTIMATE.step(
            "estimated_tax", f"Taxable earnings {money_text(taxable)} × marginal rate {rate} = {money_text(estimate)}; "
            "converting each contribution the day it was made would have left nothing to tax.", result=estimate))
    for form_id, count in per_form.items():
        form = forms_by_id.get(form_id)
        if form is None:
            continue
        listed = total(r.amount for r in results if r.form_id == form_id)
        earned = total(r.earnings for r in results if r.form_id == form_id)
        expected = form.box_1 - (form.box_5 or ZERO) if form.box_5 is not None else None
        if listed != form.box_1 or (expected is not None and earned != expected):
            findings.append(FORM_MISMATCH.finding(
                f"Form {form_id!r}: the conversions listed add up to {money_text(listed)} with earnings "
                f"{money_text(max(earned, ZERO))}, but the 1099-R shows box 1 {money_text(form.box_1)}"
                + (f" and box 1 − box 5 = {money_text(expected)}" if expected is not None else "") + ".",
                form_id=form_id))
    return TimingResult(
        tax_year=tax_year, opening_basis=opening_basis, contributed=contributed, conversions=results,
        converted_basis=total(r.basis for r in results), unconverted_basis=unconverted,
        unconverted_earnings=unconverted_earnings, taxable_earnings=taxable, marginal_tax_rate=rate,
        estimated_tax=estimate, saved_by_converting_at_once=saved, average_days_unconverted=average,
        timeline=timeline, steps=steps, findings=findings)
