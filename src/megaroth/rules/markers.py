"""The rollover marker on Form 1040 (the word "Rollover" through TY2024, the line 5c/4c checkbox
from TY2025) and the 5-year clocks a taxable amount rolled into a Roth account starts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from megaroth.model.form1099r import (
    Destination,
)
from megaroth.model.results import Clock
from megaroth.params import YearParameters
from megaroth.rules.context import FormContext, withholding_step
from megaroth.rules.disposition import Entry
from megaroth.rules.registry import define

MARKERS = {
    ("pension", "write_in"): define(
        "marker.pension_word",
        "A rollover from a plan to another plan or to an IRA is marked by writing \"Rollover\" next to the "
        "taxable amount line (through tax year 2024).",
        ["i1040.rollovers.word", "i1040.rollovers.roth"],
    ),
    ("pension", "checkbox"): define(
        "marker.pension_checkbox",
        "A rollover from a plan to another plan or to an IRA is marked by checking box 1 of line 5c "
        "(from tax year 2025).",
        ["i1040.line-5c"],
    ),
    ("ira", "write_in"): define(
        "marker.ira_word",
        "An IRA rolled over to another IRA or a plan is marked by writing \"Rollover\" next to line 4b "
        "(through tax year 2024).",
        ["i1040.ira.exception-1.word", "i1040.ira.exception-1"],
    ),
    ("ira", "checkbox"): define(
        "marker.ira_checkbox",
        "An IRA rolled over to another IRA or a plan is marked by checking box 1 of line 4c (from tax year 2025).",
        ["i1040.line-4c", "i1040.ira.exception-1"],
    ),
}


MARKER_IRR = define(
    "marker.irr_policy",
    "The instructions do not say whether an in-plan Roth rollover, which stays in the same plan, takes "
    "the rollover marker; megaroth's documented default marks it (code G reports a direct rollover), "
    "and the case option irr_rollover_marker changes it.",
    ["i1040.rollovers.roth", "i1099r.irr", "irc-402A.c4-irr"],
)


CLOCK_IRR = define(
    "clock.irr",
    "The taxable amount of each in-plan Roth rollover starts its own 5-year period, from January 1 of "
    "the rollover year, for the 10% recapture on early distributions of it.",
    ["notice-2010-84.recapture", "i1099r.box-10"],
)


CLOCK_ROTH_IRA = define(
    "clock.roth_ira",
    "Each taxable rollover or conversion into a Roth IRA starts its own 5-year period, from January 1 of "
    "its year, for the 10% recapture on the part included in income.",
    ["reg-1.408A-6.q5", "p17.roth-5-year"],
)


def rollover_marker(ctx: FormContext, entries: list[Entry]) -> tuple[bool, str | None]:
    """Whether this form takes the rollover marker, and the policy applied if any."""
    rolled = [e for e in entries if e.to.is_rollover]
    if not rolled:
        return False, None
    if ctx.form.rollover_marker is not None:
        return ctx.form.rollover_marker, "set on the form (rollover_marker)"
    if all(e.to is Destination.designated_roth_same_plan for e in rolled):
        value = ctx.case.options.irr_rollover_marker
        ctx.steps.append(MARKER_IRR.step(
            "rollover_marker",
            "In-plan Roth rollover: " + ("marked as a rollover (megaroth's default)." if value
                                         else "not marked (option irr_rollover_marker is false).")))
        return value, "irr_rollover_marker"
    return True, None


def marker_step(ctx: FormContext, marked: bool, ira: bool) -> None:
    """The rollover marker step, then the withholding step: the last steps of every path."""
    withholding_step(ctx, ira)
    if not marked:
        return
    markers = ctx.params.f1040.markers
    marker = markers.ira_rollover if ira else markers.pension_rollover
    rule = MARKERS[("ira" if ira else "pension", marker.kind)]
    ctx.steps.append(rule.step("rollover_marker", f"Rollover: {marker.instruction()}"))


def clock(ctx: FormContext, kind: str, amount: Decimal, description: str, cites: list[str]) -> Clock:
    return clock_for_form(ctx.params, ctx.form.id, amount, description, cites, kind=kind)


def clock_for_form(params: YearParameters, form_id: str, amount: Decimal, description: str, cites: list[str],
                   *, kind: str = "roth_ira_recapture") -> Clock:
    # The period begins January 1 of the year of the rollover and runs for whole years.
    year = params.tax_year
    years = params.statutory.recapture_period_years.required()
    starts = date(year, 1, 1)
    ends = date(year + years, 1, 1) - timedelta(days=1)
    return Clock(
        kind=kind, form_id=form_id, amount=amount, starts=starts.isoformat(), ends=ends.isoformat(),
        description=description, cites=cites,
    )
