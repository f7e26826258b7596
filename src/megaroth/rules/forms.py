"""One Form 1099-R → its treatment, its share of the Form 1040 lines, and the trace.

The line 5b rule (i1040 "Rollovers" under lines 5a and 5b): box 1, less the after-tax
contributions (box 5), less the amount rolled over. The same paragraph and the 1099-R
recipient instructions for box 2a say a rollover to a Roth IRA or to the designated Roth
account of the same plan is not tax free: only pretax money rolled to a NON-Roth destination
comes off. So, for the plan's non-Roth account:

    taxable = box 1 − after-tax basis − pretax money rolled to a traditional IRA or plan

which is box 2a for a correctly reported IRR or Roth IRA rollover (the earnings), and 0 for a
correctly reported split rollover under Notice 2014-54.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.form1099r import (
    DESTINATION_TITLES,
    NON_ROTH_DESTINATIONS,
    ROTH_DESTINATIONS,
    Destination,
    Form1099R,
)
from megaroth.model.results import Clock, EntryPart, Finding, FormResult, Part, Severity, Step
from megaroth.money import ZERO, money_text, total
from megaroth.params import YearParameters
from megaroth.provenance import Source
from megaroth.rules.accounts import Account, account_of, unsupported_code_reason
from megaroth.rules.allocation import AllocationError, allocate
from megaroth.rules.disposition import Entry, goes_to_non_roth, goes_to_roth, resolve
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
BASIS_BOX_5 = define(
    "basis.box_5",
    "The after-tax basis recovered is box 5.",
    ["i1099r.box-5", "i1040.rollovers"],
)
BASIS_FACT = define(
    "basis.plan_records",
    "The after-tax basis recovered, from the plan's records, when box 5 is blank or wrong (the "
    "instructions subtract the contributions \"usually shown in box 5\").",
    ["i1040.rollovers", "i1099r.box-5"],
)
BASIS_IMPLIED = define(
    "basis.implied_by_box_2a",
    "With box 5 blank and box 2a determined, the payer's taxable amount is accepted and the rest of "
    "box 1 is basis.",
    ["i1040.pensions.partially-taxable", "i1099r.box-2a"],
)
BASIS_NONE = define(
    "basis.none_reported",
    "A direct rollover to a non-Roth account with box 5 blank reports no after-tax money.",
    ["i1099r.box-5", "i1099r.box-2a-zero"],
)
PRETAX = define(
    "split.pretax",
    "Everything in the distribution that is not after-tax basis is pretax money, including the earnings "
    "on after-tax contributions.",
    ["irs-after-tax.earnings-pretax", "irc-72.e8-separate-contract"],
)
TAXABLE_PLAN = define(
    "taxable.plan",
    "Taxable amount = box 1 − after-tax basis − pretax money rolled over to a non-Roth destination; "
    "pretax money rolled into a Roth IRA or the plan's designated Roth account stays taxable.",
    ["i1040.rollovers", "i1040.rollovers.roth", "f1099r.box-2a.roth", "irc-408A.d3-rollover-income",
     "irc-402A.c4-irr", "irs-irr.taxable-amount"],
)
TAXABLE_REPORTED = define(
    "taxable.as_reported",
    "Where the destination of a direct rollover is not given, the taxable amount is box 2a as the "
    "payer, who made the rollover, reported it.",
    ["f1099r.box-2a.roth", "i1099r.direct-rollovers", "i1040.pensions.partially-taxable"],
)
TAXABLE_NON_ROTH_ONLY = define(
    "taxable.non_roth_rollover",
    "A distribution rolled over entirely to non-Roth destinations is not taxable, whatever its basis.",
    ["i1040.rollovers", "i1099r.box-2a-zero"],
)
DRAC_TAXABLE = define(
    "taxable.designated_roth",
    "A designated Roth distribution is taxable only in its earnings (box 2a) when not qualified; "
    "rolled over to a Roth IRA or another designated Roth account, nothing is taxable, and a partial "
    "rollover takes the taxable part first.",
    ["i1099r.drac-to-roth-ira", "i1099r.drac-to-drac", "irc-402A.c3-drac-rollovers", "irc-402.c2-ordering"],
)
IRA_TAXABLE = define(
    "taxable.ira",
    "An IRA distribution rolled over to a traditional IRA or a plan is not taxable (Exception 1); converted "
    "or kept with no basis in any traditional IRA, it is taxable in full.",
    ["i1040.ira.exception-1", "i1040.ira.exception-2", "i1040.ira.fully-taxable"],
)
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
ROTH_IRA_BASIS = define(
    "basis.roth_ira",
    "Money rolled into a Roth IRA is basis there: plan rollovers and conversions on Form 8606 line 24, "
    "designated Roth basis (box 5) on line 22.",
    ["f8606.line-24", "f8606.line-22", "reg-1.408A-10.q3"],
)
IRA_BASIS = define(
    "basis.traditional_ira",
    "After-tax money rolled into a traditional IRA becomes basis in your traditional IRAs, carried on "
    "line 2 of the next Form 8606 you file.",
    ["i8606.rollover-basis"],
)
ADDITIONAL_TAX_BASE = define(
    "penalty.base",
    "The 10% additional tax reaches only the taxable part kept (not rolled over) of a code 1 "
    "distribution; never basis, never amounts rolled over or converted.",
    ["irc-72.t1-includible", "i5329.rollover-not-subject", "i5329.roth-rollover", "irc-408A.d3-rollover-income"],
)

# ---------------------------------------------------------------------------------- findings
BOX_2A_UNEXPECTED = check(
    "form.box_2a_unexpected", Severity.warning,
    "Box 2a differs from what the boxes and the disposition imply; the 1099-R is probably wrong.",
    ["f1099r.box-2a.roth", "i1099r.box-2a-zero", "i1040.rollovers"],
)
ROTH_ZERO = check(
    "form.roth_rollover_reported_untaxed", Severity.warning,
    "A code G rollover into a Roth with box 2a = 0 although pretax money (earnings) went in.",
    ["f1099r.box-2a.roth", "i1099r.roth-ira-rollover", "i1099r.irr"],
)
NON_ROTH_TAXED = check(
    "form.non_roth_rollover_reported_taxable", Severity.warning,
    "A direct rollover to a traditional IRA or plan with box 2a > 0: box 2a should be 0.",
    ["i1099r.box-2a-zero"],
)
SPLIT_REPORTED_TAXABLE = check(
    "form.split_rollover_taxable", Severity.warning,
    "One code G form for a split rollover reports a taxable amount that Notice 2014-54's allocation "
    "does not produce.",
    ["notice-2014-54.pretax-first", "notice-2014-54.allocation-election"],
)
TWO_DESTINATIONS = check(
    "form.one_form_two_destinations", Severity.warning,
    "One code G form covers a Roth and a non-Roth destination: tax software that takes it as one "
    "rollover double counts or misses the taxable part; enter it split.",
    ["notice-2014-54.single-distribution", "i1040.rollovers"],
)
H_TAXABLE = check(
    "form.code_h_taxable", Severity.warning,
    "Code H with box 2a > 0: a direct rollover from a designated Roth account to a Roth IRA reports 0 in box 2a.",
    ["i1099r.drac-to-roth-ira", "i1099r.box-2a-zero"],
)
DRAC_INCONSISTENT = check(
    "form.designated_roth_inconsistent", Severity.warning,
    "A designated Roth distribution with box 5 more than box 1 and box 2a > 0: the boxes contradict each other.",
    ["i1099r.box-5", "i1099r.box-2a"],
)
BASIS_DIFFERS = check(
    "basis.differs_from_box_5", Severity.warning,
    "The after-tax basis given in the case differs from box 5.",
    ["i1040.rollovers", "i1099r.box-5"],
)
BASIS_IMPLIED_NOTE = check(
    "basis.implied", Severity.info,
    "Box 5 is blank; the basis is taken as box 1 − box 2a.",
    ["i1040.pensions.partially-taxable"],
)
BASIS_UNKNOWN = check(
    "basis.unknown", Severity.warning,
    "The after-tax basis is unknown; what depends on it (traditional IRA basis) cannot be tracked.",
    ["i8606.rollover-basis", "i1099r.box-2b-tnd"],
)
ROTH_EMPLOYER = check(
    "form.possible_roth_employer_contribution", Severity.info,
    "A code G form with box 2a = box 1 and no basis may report Roth employer contributions (SECURE 2.0 "
    "section 604), which are not rollovers.",
    ["i1099r.roth-employer-contributions"],
)
IRA_OUTSIDE_PLAN_RULES = check(
    "ira.outside_plan_rules", Severity.info,
    "An IRA distribution: reported on lines 4a/4b; the plan rules (after-tax basis in box 5, Notice 2014-54) "
    "do not apply to it.",
    ["i1099r.box-7.ira-checkbox", "i1040.ira.exception-1", "i1040.ira.exception-2"],
)
IRA_NEEDS_8606 = check(
    "ira.form_8606_needed", Severity.warning,
    "An IRA conversion or distribution with basis in traditional IRAs: Form 8606 figures the taxable part.",
    ["i1040.ira.exception-2"],
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

    def find(self, definition, message: str, box: str | None = None, severity: Severity | None = None) -> None:
        self.findings.append(definition.finding(
            message, form_id=self.form.id, box=box, source=self.source, severity=severity))


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
    "not_computed": "Not computed",
}


def _treatment(account: Account, entries: list[Entry], form: Form1099R) -> str:
    dests = {e.to for e in entries if not e.withheld}
    sixty = any(e.within_60_days for e in entries)
    if account == "designated_roth":
        if dests == {Destination.roth_ira} and "H" in form.codes:
            return "drac_rollover_roth_ira"
        if dests == {Destination.designated_roth_other_plan}:
            return "drac_rollover_drac"
        return "drac_distribution"
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


def _not_computed(ctx: FormContext, account: Account, reason: str, *, void: bool = False) -> FormResult:
    form = ctx.form
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account=account,
        treatment="not_computed", treatment_title=TREATMENT_TITLES["not_computed"], status="unsupported",
        unsupported_reason=reason, gross=form.box_1, withholding=ZERO if void else form.box_4 or ZERO,
        # No steps: a form left off the lines must not show amounts "going on" a line.
    )


def treat_form(ctx: FormContext) -> FormResult:
    """Classify one form and compute what it puts on the return."""
    form = ctx.form
    account = account_of(form)
    if form.void:
        return _not_computed(ctx, account, "The form is marked VOID; remove it from the case.", void=True)
    reason = unsupported_code_reason(form, account)
    if reason:
        return _not_computed(ctx, account, reason)
    if form.box_6:
        return _not_computed(ctx, account, (
            f"Box 6 shows {money_text(form.box_6)} of net unrealized appreciation in employer securities; "
            "megaroth does not compute NUA."))
    resolved = resolve(form, account, ctx.params, ctx.source, ctx.findings)
    if resolved.problem:
        return _not_computed(ctx, account, f"Not computed: {resolved.problem}.")
    if account == "plan":
        if resolved.entries is None:
            return _plan_unknown_destination(ctx)
        return _plan(ctx, resolved.entries)
    if resolved.entries is None:  # defaults always resolve for these accounts
        return _not_computed(ctx, account, "Not computed: the destination is unknown.")
    if account == "designated_roth":
        return _designated_roth(ctx, resolved.entries)
    return _ira(ctx, resolved.entries)


# ---------------------------------------------------------------------------------- helpers
def _gross_step(ctx: FormContext, rule) -> None:
    line = ctx.params.f1040.lines.pension_gross if rule is GROSS_PENSION else ctx.params.f1040.lines.ira_gross
    ctx.steps.append(rule.step(
        "gross", f"Box 1, gross distribution, goes on line {line.line}: {money_text(ctx.form.box_1)}.",
        result=ctx.form.box_1, inputs={"box_1": ctx.form.box_1}))


def _marker(ctx: FormContext, entries: list[Entry]) -> tuple[bool, str | None]:
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


def _marker_step(ctx: FormContext, marked: bool, ira: bool) -> None:
    """The rollover marker step, then the withholding step: the last steps of every path."""
    _withholding_step(ctx, ira)
    if not marked:
        return
    markers = ctx.params.f1040.markers
    marker = markers.ira_rollover if ira else markers.pension_rollover
    rule = MARKERS[("ira" if ira else "pension", marker.kind)]
    ctx.steps.append(rule.step("rollover_marker", f"Rollover: {marker.instruction()}"))


def _withholding_step(ctx: FormContext, ira: bool) -> None:
    withheld = ctx.form.box_4
    if withheld:
        line = ctx.params.f1040.lines.withholding.line
        ctx.steps.append(WITHHOLDING.step(
            "withholding", f"Box 4, federal income tax withheld, goes on line {line}: {money_text(withheld)}.",
            result=withheld, inputs={"box_4": withheld}))


def _clock(ctx: FormContext, kind: str, amount: Decimal, description: str, cites: list[str]) -> Clock:
    # The period begins January 1 of the year of the rollover and runs for whole years.
    year = ctx.params.tax_year
    years = ctx.params.statutory.recapture_period_years.required()
    starts = date(year, 1, 1)
    ends = date(year + years, 1, 1) - timedelta(days=1)
    return Clock(
        kind=kind, form_id=ctx.form.id, amount=amount, starts=starts.isoformat(), ends=ends.isoformat(),
        description=description, cites=cites,
    )


def _entry_split(form: Form1099R, parts: list[Part]) -> list[EntryPart]:
    """One 1099-R covering several destinations, split for entry: one part per destination,
    boxes 1, 4 and 5 summing to the form's and box 2a to the taxable amount."""
    groups: dict[Destination, list[Part]] = {}
    for part in parts:
        groups.setdefault(part.destination, []).append(part)
    withheld = form.box_4 or ZERO
    holder = Destination.kept if Destination.kept in groups else next(iter(groups))
    split = []
    for destination, members in groups.items():
        split.append(EntryPart(
            destination=destination,
            box_1=total(p.amount for p in members),
            box_2a=total(p.taxable for p in members),
            box_4=withheld if destination is holder else ZERO,
            box_5=total(p.basis for p in members),
            box_7=form.box_7,
        ))
    return split


# ---------------------------------------------------------------------------------- plan account
def _plan_basis(ctx: FormContext, entries: list[Entry]) -> Decimal | None | str:
    """The after-tax basis recovered: a Decimal, None when unknown but irrelevant to the lines,
    or a string saying why megaroth cannot go on."""
    form = ctx.form
    gross = form.box_1
    if form.after_tax_basis is not None:
        if form.box_5 is not None and form.box_5 != form.after_tax_basis:
            ctx.find(BASIS_DIFFERS, (
                f"The case gives an after-tax basis of {money_text(form.after_tax_basis)} but box 5 shows "
                f"{money_text(form.box_5)}; megaroth uses the case's figure. If box 5 is wrong, ask the plan "
                "for a corrected 1099-R: the IRS sees box 5."), box="after_tax_basis")
        ctx.steps.append(BASIS_FACT.step(
            "basis", f"After-tax basis recovered, from the plan's records: {money_text(form.after_tax_basis)}.",
            result=form.after_tax_basis, inputs={"after_tax_basis": form.after_tax_basis}))
        return form.after_tax_basis
    if form.box_5 is not None:
        ctx.steps.append(BASIS_BOX_5.step(
            "basis", f"Box 5, after-tax contributions recovered: {money_text(form.box_5)}.",
            result=form.box_5, inputs={"box_5": form.box_5}))
        return form.box_5
    roth_or_kept = any(e.to is Destination.kept or e.to in ROTH_DESTINATIONS for e in entries)
    non_roth = goes_to_non_roth(entries)
    direct_form = "G" in form.codes
    if not form.taxable_not_determined and form.box_2a is not None:
        if not direct_form or not non_roth:
            if form.box_2a == ZERO and gross:
                # Box 2a = 0 with box 5 blank on money kept or put into a Roth: either all of it is
                # after-tax (box 5 missing) or it is pretax and taxable (box 2a wrong). Never guess.
                if goes_to_roth(entries):
                    ctx.find(ROTH_ZERO, (
                        "Box 2a is 0 and box 5 is blank, yet the money went into a Roth account: if it was pretax "
                        "money (or earnings) it is taxable and box 2a is wrong; if it was after-tax money, box 5 "
                        "should show it. Give after_tax_basis from the plan's records."), box="box_2a")
                return ("box 2a is 0 and box 5 is blank, so the form does not say whether the money is after-tax "
                        "(not taxable) or pretax (taxable); give after_tax_basis from the plan's records")
            basis = gross - min(form.box_2a, gross)
            if basis:
                ctx.find(BASIS_IMPLIED_NOTE, (
                    f"Box 5 is blank; megaroth takes box 1 − box 2a = {money_text(basis)} as the after-tax basis "
                    "recovered. If the plan's records say otherwise, give after_tax_basis."), box="box_5")
            ctx.steps.append(BASIS_IMPLIED.step(
                "basis", f"Box 1 − box 2a = {money_text(gross)} − {money_text(form.box_2a)} = {money_text(basis)}.",
                result=basis, inputs={"box_1": gross, "box_2a": form.box_2a}))
            return basis
        if not roth_or_kept:
            ctx.steps.append(BASIS_NONE.step(
                "basis", "Box 5 is blank on a direct rollover to a non-Roth account: no after-tax money reported.",
                result=ZERO))
            return ZERO
        return ("box 5 is blank on a code G form that went to both Roth and non-Roth destinations, so the "
                "after-tax part cannot be told; give after_tax_basis from the plan's records")
    if not roth_or_kept:
        ctx.find(BASIS_UNKNOWN, (
            "The taxable amount was not determined and box 5 is blank. Everything went to non-Roth "
            "destinations, so nothing is taxable now; but if after-tax money went into a traditional IRA it "
            "is IRA basis: ask the plan for the after-tax amount and give it as after_tax_basis."),
            box="box_5")
        return None
    annuity = "" if direct_form else (
        " (if these are annuity payments, the taxable part comes from the General Rule or the Simplified Method, "
        "which megaroth does not compute)")
    return ("box 2a was not determined (box 2b checked or box 2a blank) and neither box 5 nor after_tax_basis "
            "gives the after-tax basis; megaroth will not guess it: give after_tax_basis from the plan's records"
            + annuity)


def _plan(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    _gross_step(ctx, GROSS_PENSION)
    basis = _plan_basis(ctx, entries)
    if isinstance(basis, str):
        return _not_computed(ctx, "plan", f"Taxable amount undeterminable: {basis}.")
    basis_known = basis is not None
    if basis is None:
        basis = ZERO
        ctx.steps.append(TAXABLE_NON_ROTH_ONLY.step(
            "taxable", "Everything was rolled over to non-Roth destinations: nothing is taxable.", result=ZERO))
    basis = min(basis, gross)
    pretax = gross - basis
    if basis_known:
        ctx.steps.append(PRETAX.step(
            "pretax", f"Pretax money (earnings and other pretax amounts) = box 1 − basis = "
            f"{money_text(gross)} − {money_text(basis)} = {money_text(pretax)}.",
            result=pretax, inputs={"box_1": gross, "basis": basis}))
    try:
        allocated = allocate(pretax, entries, ctx.steps)
    except AllocationError as exc:
        ctx.find(PRETAX_ALLOCATION, f"The pretax allocation cannot be honoured: {exc}.", box="disposition")
        return _not_computed(ctx, "plan", f"Not computed: {exc}.")
    code_1 = "1" in form.codes
    parts: list[Part] = []
    clocks: list[Clock] = []
    for item in allocated:
        destination = item.entry.to
        taxable = ZERO if destination in NON_ROTH_DESTINATIONS else item.pretax
        subject = item.pretax if destination is Destination.kept and code_1 else ZERO
        parts.append(Part(destination=destination, amount=item.entry.amount,
                          within_60_days=item.entry.within_60_days, basis=item.basis, pretax=item.pretax,
                          taxable=taxable, subject_to_additional_tax=subject))
        if destination is Destination.designated_roth_same_plan and item.pretax:
            clocks.append(_clock(ctx, "irr_recapture", item.pretax,
                                 "In-plan Roth rollover: its taxable amount taken out of the designated Roth "
                                 "account before the period ends (and before 59½) owes the 10% additional tax.",
                                 list(CLOCK_IRR.cites)))
        if destination is Destination.roth_ira and item.pretax:
            clocks.append(_clock(ctx, "roth_ira_recapture", item.pretax,
                                 "Rollover to a Roth IRA: its taxable part withdrawn before the period ends (and "
                                 "before 59½) owes the 10% additional tax.", list(CLOCK_ROTH_IRA.cites)))
    taxable = total(p.taxable for p in parts)
    non_roth_pretax = total(p.pretax for p in parts if p.destination in NON_ROTH_DESTINATIONS)
    if basis_known:
        ctx.steps.append(TAXABLE_PLAN.step(
            "taxable", f"Taxable = box 1 − basis − pretax rolled to non-Roth = {money_text(gross)} − "
            f"{money_text(basis)} − {money_text(non_roth_pretax)} = {money_text(taxable)}.",
            result=taxable, inputs={"box_1": gross, "basis": basis, "pretax_rolled_non_roth": non_roth_pretax}))
    _compare_box_2a(ctx, parts, pretax, basis_known)
    if form.box_5 is None and form.after_tax_basis is None and "G" in form.codes and goes_to_roth(entries) \
            and form.box_2a == gross and gross:
        ctx.find(ROTH_EMPLOYER, (
            "Box 2a equals box 1 with no basis on a code G form: if this reports designated Roth employer "
            "contributions (SECURE 2.0 section 604) rather than a rollover, nothing was rolled over; set "
            "rollover_marker to false on this form."), box="box_7")
    additional = total(p.subject_to_additional_tax for p in parts)
    if additional:
        ctx.steps.append(ADDITIONAL_TAX_BASE.step(
            "additional_tax_base", f"Code 1 and {money_text(additional)} of taxable money kept: subject to the "
            "10% additional tax unless an exception applies.", result=additional))
    ira_basis = total(p.basis for p in parts if p.destination is Destination.traditional_ira)
    if ira_basis and basis_known:
        ctx.steps.append(IRA_BASIS.step(
            "ira_basis", f"{money_text(ira_basis)} of after-tax money went into a traditional IRA: it is basis "
            "there.", result=ira_basis))
    line_24 = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    if line_24:
        ctx.steps.append(ROTH_IRA_BASIS.step(
            "roth_ira_basis_line_24", f"{money_text(line_24)} rolled from the plan into a Roth IRA: basis in "
            "rollovers from qualified plans (Form 8606 line 24 in a later year's Part III).", result=line_24))
    marked, policy = _marker(ctx, entries)
    _marker_step(ctx, marked, ira=False)
    destinations = {p.destination for p in parts}
    split: list[EntryPart] = []
    if "G" in form.codes and len(destinations) > 1:
        split = _entry_split(form, parts)
        if destinations & ROTH_DESTINATIONS and destinations & NON_ROTH_DESTINATIONS:
            ctx.find(TWO_DESTINATIONS, (
                "This one code G form covers " + " and ".join(sorted(DESTINATION_TITLES[d] for d in destinations))
                + ". "
                "In tax software, enter it as the split shown in the worksheet (one form per destination, "
                "boxes summing to this form) so each part gets its own treatment."), box="disposition")
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="plan",
        treatment=(t := _treatment("plan", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=basis if basis_known else None, pretax=pretax if basis_known else None,
        taxable=taxable, withholding=form.box_4 or ZERO, gross_line="pension_gross",
        rollover_marker=marked, marker_policy=policy,
        fully_taxable=taxable == gross and not marked,
        parts=parts, entry_split=split,
        ira_basis_added=ira_basis if basis_known else ZERO,
        roth_ira_basis_line_24=line_24,
        additional_tax_base=additional,
        converted_taxable_code_1=total(p.taxable for p in parts if p.destination in ROTH_DESTINATIONS)
        if code_1 else ZERO,
        clocks=clocks, steps=ctx.steps,
    )


PRETAX_ALLOCATION = check(
    "disposition.pretax_allocation_impossible", Severity.error,
    "The pretax_amount values given cannot be honoured.",
    ["notice-2014-54.allocation-election"],
)


def _compare_box_2a(ctx: FormContext, parts: list[Part], pretax: Decimal, basis_known: bool) -> None:
    """What the payer should have put in box 2a, against what it did (the wrong-form patterns)."""
    form = ctx.form
    if not basis_known or form.taxable_not_determined or form.box_2a is None:
        return
    direct = "G" in form.codes
    # The payer knows only its own side: a direct rollover's destination, or that it paid you.
    expected = total(p.pretax for p in parts if p.destination not in NON_ROTH_DESTINATIONS or p.within_60_days) \
        if direct else pretax
    if form.box_2a == expected:
        return
    destinations = {p.destination for p in parts}
    roth = bool(destinations & ROTH_DESTINATIONS)
    non_roth = bool(destinations & NON_ROTH_DESTINATIONS)
    ours = total(p.taxable for p in parts)
    if direct and roth and not non_roth and form.box_2a == ZERO:
        what = "earnings" if form.box_5 else "pretax money"
        ctx.find(ROTH_ZERO, (
            f"Box 2a is 0, but {money_text(expected)} of {what} (box 1 − box 5) went into a Roth account, "
            f"and that is taxable. megaroth puts {money_text(ours)} on the taxable line. Ask the plan for a "
            "corrected 1099-R; until then, keep a note of why your return differs from box 2a."), box="box_2a")
    elif direct and non_roth and not roth and form.box_2a > ZERO:
        ctx.find(NON_ROTH_TAXED, (
            f"Box 2a shows {money_text(form.box_2a)} on a direct rollover to a non-Roth account, which is not "
            "taxable (box 2a should be 0). megaroth puts 0 on the taxable line for it; ask the plan for a "
            "corrected 1099-R."), box="box_2a")
    elif direct and roth and non_roth:
        ctx.find(SPLIT_REPORTED_TAXABLE, (
            f"Box 2a shows {money_text(form.box_2a)}, but with pretax money sent first to the non-Roth "
            f"destination (Notice 2014-54) the taxable amount is {money_text(expected)}. If you told the plan "
            "to allocate the pretax money differently, give pretax_amount on each disposition; otherwise ask "
            "for a corrected 1099-R."), box="box_2a")
    else:
        ctx.find(BOX_2A_UNEXPECTED, (
            f"Box 2a shows {money_text(form.box_2a)}, but box 1 − box 5 = {money_text(expected)}"
            + (" for the part not rolled to a non-Roth account" if direct else "")
            + f". megaroth uses {money_text(ours)} on the taxable line (box 1 less basis less pretax money "
            "rolled to non-Roth destinations); check boxes 2a and 5 with the plan."), box="box_2a")


def _plan_unknown_destination(ctx: FormContext) -> FormResult:
    form = ctx.form
    _gross_step(ctx, GROSS_PENSION)
    if form.taxable_not_determined:
        return _not_computed(ctx, "plan", (
            "Code G without a disposition, and box 2a not determined: megaroth cannot tell what is taxable. "
            "Add the disposition (and after_tax_basis if box 5 is blank).")).model_copy(
            update={"destination_known": False})
    taxable = form.box_2a
    ctx.steps.append(TAXABLE_REPORTED.step(
        "taxable", f"Box 2a as reported by the payer: {money_text(taxable)}.", result=taxable,
        inputs={"box_2a": taxable}))
    marked = form.rollover_marker if form.rollover_marker is not None else True
    _marker_step(ctx, marked, ira=False)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="plan",
        treatment="direct_rollover_destination_unknown",
        treatment_title=TREATMENT_TITLES["direct_rollover_destination_unknown"],
        gross=form.box_1, basis=form.box_5, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="pension_gross", rollover_marker=marked, destination_known=False,
        marker_policy="set on the form (rollover_marker)" if form.rollover_marker is not None else None,
        steps=ctx.steps,
    )


# ---------------------------------------------------------------------------------- designated Roth
def _designated_roth(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    _gross_step(ctx, GROSS_PENSION)
    all_rolled = all(e.to in ROTH_DESTINATIONS for e in entries)
    if form.box_5 is not None and form.box_5 > gross and (form.box_2a or ZERO) > ZERO:
        ctx.find(DRAC_INCONSISTENT, (
            f"Box 5 ({money_text(form.box_5)}) is more than box 1 ({money_text(gross)}), yet box 2a shows "
            f"{money_text(form.box_2a)} taxable: a distribution smaller than its basis has no taxable earnings. "
            "Ask the plan for a corrected 1099-R."), box="box_5")
    if "H" in form.codes and (form.box_2a or ZERO) > ZERO:
        ctx.find(H_TAXABLE, (
            f"Code H reports a direct rollover of designated Roth money to a Roth IRA, which is not taxable, "
            f"but box 2a shows {money_text(form.box_2a)}. megaroth puts 0 on the taxable line; ask the plan for "
            "a corrected 1099-R."), box="box_2a")
    if all_rolled:
        earnings = ZERO if form.taxable_not_determined else min(form.box_2a, gross)
    elif not form.taxable_not_determined:
        earnings = min(form.box_2a, gross)
    elif form.after_tax_basis is not None:
        earnings = gross - min(form.after_tax_basis, gross)
        ctx.find(BASIS_IMPLIED_NOTE, (
            "Box 2a was not determined; megaroth takes box 1 less the designated Roth basis you gave as the "
            "taxable earnings, which assumes the distribution is not qualified (a qualified distribution is "
            "not taxable at all)."), box="box_2a")
    else:
        return _not_computed(ctx, "designated_roth", (
            "A designated Roth distribution paid to you with box 2a not determined: whether it is taxable depends "
            "on whether it is a qualified distribution, which megaroth cannot tell. Give after_tax_basis (your "
            "designated Roth contributions in it) if it is not qualified."))
    basis = form.box_5 if form.box_5 is not None else gross - earnings
    try:
        allocated = allocate(earnings, entries, ctx.steps)
    except AllocationError as exc:
        return _not_computed(ctx, "designated_roth", f"Not computed: {exc}.")
    parts = []
    code_1 = "1" in form.codes
    for item in allocated:
        kept = item.entry.to is Destination.kept
        parts.append(Part(destination=item.entry.to, amount=item.entry.amount,
                          within_60_days=item.entry.within_60_days, basis=item.basis, pretax=item.pretax,
                          taxable=item.pretax if kept else ZERO,
                          subject_to_additional_tax=item.pretax if kept and code_1 else ZERO))
    taxable = total(p.taxable for p in parts)
    ctx.steps.append(DRAC_TAXABLE.step(
        "taxable", f"Earnings {money_text(earnings)}; rolled over to Roth accounts "
        f"{money_text(total(p.amount for p in parts if p.destination in ROTH_DESTINATIONS))}; taxable "
        f"{money_text(taxable)}.", result=taxable, inputs={"box_1": gross, "box_2a": form.box_2a}))
    box_10 = form.box_10 or ZERO
    line_22 = total(
        min(p.basis, basis) for p in parts if p.destination is Destination.roth_ira)
    if line_22:
        ctx.steps.append(ROTH_IRA_BASIS.step(
            "roth_ira_basis_line_22", f"{money_text(line_22)} of designated Roth basis rolled into a Roth IRA: "
            "treated as regular Roth IRA contributions (Form 8606 line 22 in a later year). If the designated "
            "Roth distribution was qualified, the whole amount rolled over counts.", result=line_22))
    additional = total(p.subject_to_additional_tax for p in parts) + box_10
    if additional:
        ctx.steps.append(ADDITIONAL_TAX_BASE.step(
            "additional_tax_base", f"Subject to the 10% additional tax unless an exception applies: "
            f"{money_text(additional)} (taxable part kept under code 1, plus box 10, the amount allocable to "
            "an in-plan Roth rollover within its 5 years).", result=additional))
    marked, policy = _marker(ctx, entries)
    _marker_step(ctx, marked, ira=False)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="designated_roth",
        treatment=(t := _treatment("designated_roth", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=basis, pretax=earnings, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="pension_gross", rollover_marker=marked, marker_policy=policy,
        fully_taxable=taxable == gross and not marked, parts=parts,
        roth_ira_basis_line_22=line_22, additional_tax_base=additional, box_10_amount=box_10,
        steps=ctx.steps,
    )


# ---------------------------------------------------------------------------------- IRA
def _ira(ctx: FormContext, entries: list[Entry]) -> FormResult:
    form = ctx.form
    gross = form.box_1
    lines = ctx.params.f1040.lines
    ctx.find(IRA_OUTSIDE_PLAN_RULES, (
        f"This form reports an IRA distribution (box 7 {'IRA/SEP/SIMPLE box checked' if form.box_7_ira_sep_simple else 'Roth IRA code'}): "
        f"it goes on lines {lines.ira_gross.line}/{lines.ira_taxable.line}, not with the plan's after-tax money; "
        "megaroth computes IRA rollovers, and conversions or distributions only with no basis in traditional IRAs."),
        box="box_7")
    _gross_step(ctx, GROSS_IRA)
    taxed = [e for e in entries if e.to is Destination.kept or e.to is Destination.roth_ira]
    if taxed:
        prior = ctx.case.traditional_ira_basis
        if prior is None or prior > ZERO or ctx.ira_basis_added_in_case > ZERO:
            why = ("the case does not give your traditional IRA basis (traditional_ira_basis)" if prior is None
                   else "you have basis in traditional IRAs")
            ctx.find(IRA_NEEDS_8606, (
                "Part of this IRA distribution was converted or kept, and " + why + ": Form 8606 figures the "
                "taxable part pro rata across all your traditional IRAs. Enter traditional_ira_basis: 0 if you "
                "never made nondeductible contributions or rolled after-tax money into a traditional IRA."),
                box="box_2a")
            return _not_computed(ctx, "ira", (
                "The taxable part of an IRA conversion or distribution with (possible) basis in traditional IRAs "
                "comes from Form 8606, which megaroth does not compute."))
    parts = []
    code_1 = "1" in form.codes
    clocks = []
    statements = []
    tax_year = ctx.params.tax_year
    for entry in entries:
        taxable = entry.amount if entry in taxed else ZERO
        parts.append(Part(destination=entry.to, amount=entry.amount, within_60_days=entry.within_60_days,
                          basis=ZERO, pretax=entry.amount, taxable=taxable,
                          subject_to_additional_tax=taxable if entry.to is Destination.kept and code_1 else ZERO))
        if entry.to is Destination.roth_ira:
            clocks.append(_clock(ctx, "roth_ira_recapture", entry.amount,
                                 "Conversion to a Roth IRA: the converted amount withdrawn before the period ends "
                                 "(and before 59½) owes the 10% additional tax.", list(CLOCK_ROTH_IRA.cites)))
        if entry.to is Destination.employer_plan or (entry.date and entry.date.year > tax_year and entry.to.is_rollover):
            when = f" on {entry.date.isoformat()}" if entry.date else ""
            into = "into a qualified employer plan" if entry.to is Destination.employer_plan else (
                f"into a {entry.to.value.replace('_', ' ')}")
            statements.append(
                f"{money_text(entry.amount)} of the {money_text(gross)} IRA distribution from "
                f"{form.payer_name or 'the payer'} (Form 1099-R {form.id!r}) was rolled over {into}{when}.")
    taxable = total(p.taxable for p in parts)
    ctx.steps.append(IRA_TAXABLE.step(
        "taxable", f"Rolled over (not taxable): {money_text(gross - taxable)}; converted or kept (taxable, no "
        f"IRA basis): {money_text(taxable)}.", result=taxable, inputs={"box_1": gross}))
    conversion = total(p.amount for p in parts if p.destination is Destination.roth_ira)
    additional = total(p.subject_to_additional_tax for p in parts)
    marked = any(p.destination in NON_ROTH_DESTINATIONS for p in parts)
    if form.rollover_marker is not None and marked:
        marked = form.rollover_marker
    _marker_step(ctx, marked, ira=True)
    return FormResult(
        form_id=form.id, payer_name=form.payer_name, box_7=form.box_7, account="ira",
        treatment=(t := _treatment("ira", entries, form)), treatment_title=TREATMENT_TITLES[t],
        gross=gross, basis=ZERO, pretax=gross, taxable=taxable, withholding=form.box_4 or ZERO,
        gross_line="ira_gross", rollover_marker=marked,
        # Exception 2: a conversion puts box 1 on line 4a even when all of it is taxable.
        fully_taxable=taxable == gross and not marked and not conversion, parts=parts,
        roth_ira_basis_line_24=conversion,
        ira_conversion_taxable=conversion if conversion else None,
        additional_tax_base=additional, clocks=clocks, statements=statements, steps=ctx.steps,
    )
