"""What every treatment of a Form 1099-R shares: the context it works in, the treatment names,
the form left out of the lines, and the steps every path takes (box 1 to its line, box 4 to the
withholding line). Rules never read files."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.form1099r import (
    NON_ROTH_DESTINATIONS,
    ROTH_DESTINATIONS,
    Destination,
    Form1099R,
)
from megaroth.model.results import Finding, FormResult, Severity, Step
from megaroth.model.tax_return import LedgerFacts
from megaroth.money import ZERO, money_text
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.accounts import Account
from megaroth.rules.disposition import Entry
from megaroth.rules.registry import define

# ---------------------------------------------------------------------------------- rules
GROSS_PENSION = define(
    "lines.pension_gross",
    "Box 1 of a plan distribution goes on the pensions and annuities line (5a; 4c in 2019), "
    "including direct rollovers and in-plan Roth rollovers.",
    ["i1040.rollovers", "i1040.rollovers.roth", "i1099r.box-1"],
)


GROSS_IRA = define(
    "lines.ira_gross",
    "Box 1 of an IRA distribution goes on the IRA distributions line (4a).",
    ["i1040.ira.exception-1", "i1040.ira.exception-2"],
)


WITHHOLDING = define(
    "lines.withholding",
    "Federal income tax withheld (box 4) goes on the line for withholding from Forms 1099 (25b; 17 in 2019).",
    ["i1040.line-25b"],
)


ADDITIONAL_TAX_BASE = define(
    "penalty.base",
    "The 10% additional tax reaches only the taxable part kept (not rolled over) of a code 1 "
    "distribution; never basis, never amounts rolled over or converted.",
    ["irc-72.t1-includible", "i5329.rollover-not-subject", "i5329.roth-rollover", "irc-408A.d3-rollover-income"],
)


ROTH_IRA_BASIS = define(
    "basis.roth_ira",
    "Money rolled into a Roth IRA is basis there: plan rollovers and conversions on Form 8606 line 24, "
    "designated Roth basis (box 5) on line 22.",
    ["f8606.line-24", "f8606.line-22", "reg-1.408A-10.q3"],
)


BASIS_IMPLIED_NOTE = check(
    "basis.implied", Severity.info,
    "Box 5 is blank; the basis is taken as box 1 − box 2a.",
    ["i1040.pensions.partially-taxable"],
)


@dataclass
class FormContext:
    form: Form1099R
    case: Case
    params: YearParameters
    source: Source
    findings: list[Finding]
    ira_basis_added_in_case: Decimal = ZERO
    steps: list[Step] = field(default_factory=list)
    owner: str = "taxpayer"
    """Whose form it is ("taxpayer" or "spouse"): whose age, basis and clocks apply."""
    ledger: LedgerFacts | None = None
    """What the ledger holds for the owner from earlier years (the last IRA-to-IRA rollover's date)."""

    def find(self, definition, message: str, box: str | None = None, severity: Severity | None = None,
             fact: str | None = None, at_stake=None) -> None:
        """Report a finding on this form; with `fact`, a fact the tax depends on that is missing."""
        self.findings.append(definition.finding(
            message, form_id=self.form.id, box=box, source=self.source, severity=severity, fact=fact,
            at_stake=at_stake))


TREATMENT_TITLES = {
    "in_plan_roth_rollover": "In-plan Roth rollover (IRR) to the plan's designated Roth account",
    "direct_rollover_roth_ira": "Direct rollover to a Roth IRA",
    "direct_rollover_non_roth": "Direct rollover to a traditional IRA or another plan",
    "split_rollover": "Split direct rollover (Notice 2014-54): one distribution to Roth and non-Roth destinations",
    "direct_rollover_destination_unknown": "Direct rollover (destination not given)",
    "sixty_day_rollover": "Distribution paid to you, rolled over (in part or whole) within 60 days",
    "cash_distribution": "Distribution paid to you and kept",
    "split_distribution": "Distribution to several destinations",
    "drac_rollover_roth_ira": "Direct rollover of designated Roth money to a Roth IRA (code H)",
    "drac_rollover_drac": "Direct rollover of designated Roth money to another plan's designated Roth account (B+G)",
    "drac_distribution": "Designated Roth account distribution",
    "ira_to_plan": "IRA money paid directly to an employer plan",
    "ira_rollover": "IRA distribution rolled over",
    "ira_conversion": "IRA converted to a Roth IRA",
    "ira_distribution": "IRA distribution",
    "ira_recharacterization": "Recharacterized IRA contribution (code N)",
    "ira_recharacterization_prior": "Recharacterized IRA contribution of an earlier year (code R): on that year's "
                                    "return, in its statement",
    "roth_ira_distribution": "Roth IRA distribution",
    "roth_ira_rollover": "Roth IRA distribution rolled over to a Roth IRA within 60 days",
    "corrective_distribution": "Corrective distribution (code 8, P or E): excess contributions or deferrals returned",
    "not_computed": "Not computed",
}
CORRECTIVE = "corrective_distribution"


def treatment_kind(account: Account, entries: list[Entry], form: Form1099R) -> str:
    dests = {e.to for e in entries if not e.withheld}
    sixty = any(e.within_60_days for e in entries)
    if account == "designated_roth":
        if dests == {Destination.roth_ira} and "H" in form.codes:
            return "drac_rollover_roth_ira"
        if dests == {Destination.designated_roth_other_plan}:
            return "drac_rollover_drac"
        return "drac_distribution"
    if account == "roth_ira":
        return "roth_ira_rollover" if dests == {Destination.roth_ira} else "roth_ira_distribution"
    if account == "ira":
        if Destination.roth_ira in dests:
            return "ira_conversion"
        if "G" in form.codes:
            return "ira_to_plan"
        if dests & NON_ROTH_DESTINATIONS:
            return "ira_rollover"
        return "ira_distribution"
    if sixty:
        return "sixty_day_rollover"
    if dests == {Destination.designated_roth_same_plan}:
        return "in_plan_roth_rollover"
    if dests == {Destination.roth_ira}:
        return "direct_rollover_roth_ira"
    if dests and dests <= NON_ROTH_DESTINATIONS:
        return "direct_rollover_non_roth"
    if dests == {Destination.kept}:
        return "cash_distribution"
    if Destination.kept not in dests and dests & ROTH_DESTINATIONS and dests & NON_ROTH_DESTINATIONS:
        return "split_rollover"
    return "split_distribution"


def not_computed(ctx: FormContext, account: Account, reason: str, *, void: bool = False) -> FormResult:
    form = ctx.form
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account=account,
        treatment="not_computed", treatment_title=TREATMENT_TITLES["not_computed"], status="unsupported",
        unsupported_reason=reason, gross=form.box_1, withholding=ZERO if void else form.box_4 or ZERO,
        # No steps: a form left off the lines must not show amounts "going on" a line.
    )


# ---------------------------------------------------------------------------------- helpers
def gross_step(ctx: FormContext, rule) -> None:
    line = ctx.params.f1040.lines.pension_gross if rule is GROSS_PENSION else ctx.params.f1040.lines.ira_gross
    ctx.steps.append(rule.step(
        "gross", f"Box 1, gross distribution, goes on line {line.line}: {money_text(ctx.form.box_1)}.",
        result=ctx.form.box_1, inputs={"box_1": ctx.form.box_1}))


def withholding_step(ctx: FormContext, ira: bool) -> None:
    withheld = ctx.form.box_4
    if withheld:
        line = ctx.params.f1040.lines.withholding.line
        ctx.steps.append(WITHHOLDING.step(
            "withholding", f"Box 4, federal income tax withheld, goes on line {line}: {money_text(withheld)}.",
            result=withheld, inputs={"box_4": withheld}))
