"""What analysis produces: findings, traced steps, per-form results and the 1040 entries.

These are output types. Every amount that reaches a worksheet is carried by a `Step` with
the rule that produced it, so the worksheet can show where each number came from.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import Field

from megaroth.model.output import OUT, Output

from megaroth.model.form1099r import Destination
from megaroth.money import Money, OptionalMoney

_OUT = OUT


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


class Finding(Output):
    """Something the user should look at, located and justified."""

    model_config = _OUT

    severity: Severity
    code: str
    message: str
    form_id: str | None = None
    box: str | None = None
    file: str | None = None
    cites: list[str] = Field(default_factory=list)
    fact: str | None = None
    """Set when the finding is a fact the case does not give and the tax depends on: its place in the
    case file ("taxpayer.ira.basis"). The result is then incomplete; the interview asks it."""
    at_stake: OptionalMoney = None
    """With `fact`: the most the Form 1040 lines can change by once the fact is known."""


class MissingFact(Output):
    """A fact the tax depends on that the case does not give (nor the ledger, nor a Form 5498): the
    result is computed without it, marked incomplete, and the interview asks it."""

    model_config = _OUT

    fact: str
    """Its place in the case file: "taxpayer.ira.basis", "spouse.birth_date"."""
    code: str
    """The finding that says it."""
    message: str
    at_stake: OptionalMoney = None
    """The most the Form 1040 lines can change by once it is known (None: not a single amount)."""


class Step(Output):
    """One traced computation: a rule applied to named inputs."""

    model_config = _OUT

    rule: str
    name: str
    """The derived value, in tax words: basis, earnings, taxable, line_5b…"""
    description: str
    inputs: dict[str, Money] = Field(default_factory=dict)
    """Box or value references (box_1, basis…) with the amounts used."""
    result: OptionalMoney = None


class Part(Output):
    """The share of one form's distribution that went to one destination."""

    model_config = _OUT

    destination: Destination
    amount: Money
    within_60_days: bool = False
    basis: Money
    pretax: Money
    """Pretax money (earnings on after-tax contributions, deferrals, employer money)."""
    taxable: Money
    """What this part adds to the taxable line."""
    subject_to_additional_tax: Money = Decimal("0.00")


class EntryPart(Output):
    """One 1099-R split for entry in tax software: one destination each, summing to the form."""

    model_config = _OUT

    destination: Destination
    box_1: Money
    box_2a: Money
    box_4: Money
    box_5: Money
    box_7: str


class Clock(Output):
    """A 5-year period started this year."""

    model_config = _OUT

    kind: Literal["irr_recapture", "roth_ira_recapture", "roth_ira_first_contribution"]
    form_id: str
    amount: Money
    """The taxable amount that is subject to the 10% recapture within the period."""
    starts: str
    ends: str
    description: str
    cites: list[str]


class Citation(Output):
    """A resolved citation as printed on the worksheet."""

    model_config = _OUT

    id: str
    text: str
    url: str
    confidence: str
    quote: str | None = None
    summary: str | None = None
    edition_note: str | None = None
    """Set when the wording was read in another edition than the one cited."""


class FormResult(Output):
    """How one Form 1099-R was read and what it puts on the return."""

    model_config = _OUT

    form_id: str
    payer_name: str | None = None
    box_7: str
    owner: Literal["taxpayer", "spouse"] = "taxpayer"
    account: Literal["plan", "designated_roth", "ira", "roth_ira"]
    treatment: str
    treatment_title: str
    status: Literal["computed", "unsupported"] = "computed"
    unsupported_reason: str | None = None
    gross: Money
    basis: OptionalMoney = None
    pretax: OptionalMoney = None
    taxable: OptionalMoney = None
    withholding: Money = Decimal("0.00")
    gross_line: str | None = None
    """Role of the line box 1 goes to: pension_gross or ira_gross."""
    destination_known: bool = True
    """False when the case does not say where a rollover went (a 1099-R imported without its
    disposition): what depends on it (Form 8606, basis, 5-year clocks) is not known."""
    rollover_marker: bool = False
    marker_policy: str | None = None
    fully_taxable: bool = False
    parts: list[Part] = Field(default_factory=list)
    entry_split: list[EntryPart] = Field(default_factory=list)
    ira_basis_added: Money = Decimal("0.00")
    outstanding_rollover: Money = Decimal("0.00")
    """A traditional IRA's money rolled into another traditional, SEP or SIMPLE IRA in the next year within the 60
    days: out of every IRA on December 31, so Form 8606 line 6 adds it back (i8606, line 6, outstanding rollovers)."""
    roth_ira_basis_line_22: Money = Decimal("0.00")
    roth_ira_basis_line_24: Money = Decimal("0.00")
    ira_conversion_taxable: OptionalMoney = None
    additional_tax_base: Money = Decimal("0.00")
    converted_taxable_code_1: Money = Decimal("0.00")
    box_10_amount: Money = Decimal("0.00")
    clocks: list[Clock] = Field(default_factory=list)
    statements: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)
    excess_deposits: list["ExcessDeposit"] = Field(default_factory=list)
    """Amounts of this form deposited in an IRA that were not eligible for rollover (an RMD, a second
    IRA-to-IRA rollover within 12 months): taxed as kept, and a contribution to the receiving IRA."""


class LineSource(Output):
    """One form's share of a line."""

    model_config = _OUT

    form_id: str
    amount: Money


class LineEntry(Output):
    """One Form 1040 line: its total and the forms it came from."""

    model_config = _OUT

    key: str
    """The line number in the tax year's Form 1040 ("5a", "4d", "25b")."""
    role: str
    label: str
    amount: OptionalMoney
    whole_dollars: str | None = None
    sources: list[LineSource] = Field(default_factory=list)
    """The forms' shares that add up to the line."""
    note: str | None = None
    cites: list[str] = Field(default_factory=list)


class Notation(Output):
    """A marker on the return: a written word (through TY2024) or a checkbox (TY2025+)."""

    model_config = _OUT

    kind: Literal["write_in", "checkbox"]
    line: str
    box: str | None = None
    text: str
    forms: list[str]
    instruction: str
    cites: list[str]


class Statement(Output):
    model_config = _OUT

    line: str
    text: str
    forms: list[str]
    cites: list[str]


class CarriedIraBasis(Output):
    """One person's basis in traditional IRAs at year end: line 2 of their next Form 8606."""

    model_config = _OUT

    role: Literal["taxpayer", "spouse"]
    name: str | None = None
    amount: Money
    source: Literal["form_8606_line_14", "after_tax_rolled_in"]
    """Line 14 of this year's Form 8606, or (no Form 8606 this year) the basis the person had plus
    after-tax money rolled from a plan into a traditional IRA."""
    description: str


class Form8606Verdict(Output):
    model_config = _OUT

    status: Literal["does_not_apply", "carry_basis", "applies", "depends"]
    summary: str
    parts: list[str] = Field(default_factory=list)
    ira_basis_to_carry: Money = Decimal("0.00")
    """Basis in traditional IRAs carried to next year's Form 8606 line 2: each person's line 14 of
    this year's Form 8606 (or, with none, their basis plus after-tax money rolled in), added up;
    `ira_basis_by_person` has each person's (each spouse files their own Form 8606)."""
    ira_basis_by_person: list[CarriedIraBasis] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    lines: dict[str, Money] = Field(default_factory=dict)
    cites: list[str] = Field(default_factory=list)


class Form8606Line(Output):
    """One line of a person's Form 8606: its amount (or the line 10 ratio), how it was figured,
    and the authority."""

    model_config = _OUT

    line: str
    label: str
    amount: Decimal | None = None
    """Dollars and cents; None when the line is left blank."""
    text: str | None = None
    """The line as written when it is not an amount: the line 10 ratio (".999"), a Yes/No answer."""
    whole_dollars: str | None = None
    description: str
    cites: list[str] = Field(default_factory=list)


class Form8606(Output):
    """One person's Form 8606, computed line by line (or why it is not filed, or not computed)."""

    model_config = _OUT

    role: Literal["taxpayer", "spouse"]
    name: str | None = None
    status: Literal["not_needed", "computed", "not_computed"]
    summary: str
    parts: list[str] = Field(default_factory=list)
    lines: list[Form8606Line] = Field(default_factory=list)
    worksheet_1_1: bool = False
    """The nontaxable part was figured with Pub 590-B Worksheet 1-1 (lines 6-12 left blank)."""
    traditional_basis_next_year: Decimal | None = None
    """Line 14 (or the basis carried when Part I is not needed): next year's line 2."""
    statements: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)
    """Codes of the findings about this form (the findings themselves are the analysis's)."""
    cites: list[str] = Field(default_factory=list)

    def line(self, number: str) -> Form8606Line | None:
        for entry in self.lines:
            if entry.line == number:
                return entry
        return None

    def amount(self, number: str) -> Decimal | None:
        entry = self.line(number)
        return entry.amount if entry else None


class RothLayerState(Output):
    """What is left of one year's conversions and plan rollovers in the Roth IRAs."""

    model_config = _OUT

    year: int
    taxable: Money
    nontaxable: Money


class RothState(Output):
    """A person's Roth IRA basis after the year (what next year's Form 8606 Part III starts from)."""

    model_config = _OUT

    contribution_basis: Money
    """Line 22 basis left: regular contributions and designated Roth basis rolled in."""
    layers: list[RothLayerState] = Field(default_factory=list)
    """Line 24 basis left, by the year it went in."""
    used_contribution: Money = Decimal("0.00")
    used_layers: list[RothLayerState] = Field(default_factory=list)
    """What this year's distributions took from each layer."""
    known: bool = True
    """False when the opening basis was not known (no Roth distribution needed it)."""
    added_layer: RothLayerState | None = None
    """This year's conversions and plan rollovers to Roth IRAs, taxable part and not."""


class ExcessDeposit(Output):
    """An amount deposited in an IRA as a rollover or conversion that was not eligible: in the
    receiving IRA it is a regular contribution (excess beyond the year's limit)."""

    model_config = _OUT

    form_id: str
    kind: Literal["traditional_ira", "roth_ira"]
    amount: Money
    reason: Literal["rmd", "second_rollover"]
    box: Literal["1", "10"]
    """The box of the receiving IRA's Form 5498 where it belongs: 1 (IRA contributions) or 10 (Roth IRA
    contributions), not 2 (rollover) or 3 (conversion)."""


class ExcessPart(Output):
    """One person's Form 5329 Part III (traditional IRAs) or Part IV (Roth IRAs)."""

    model_config = _OUT

    part: Literal["III", "IV"]
    kind: Literal["traditional_ira", "roth_ira"]
    lines: dict[str, Money] = Field(default_factory=dict)
    """Line number → amount, as the year's Form 5329 numbers them ("9" … "17", "18" … "25")."""
    tax: Money = Decimal("0.00")
    """The 6% (line 17 or 25)."""
    carried: Money = Decimal("0.00")
    """What next year's line 9 (18) starts from: this line 16 (24) when the 6% is more than 0."""
    remove_by: str | None = None
    """The last day to remove this year's excess with its earnings and owe no 6% (the due date with extensions)."""
    notes: list[str] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)


class PersonResult(Output):
    """One person's part of the return: their forms, their Form 8606 and Form 5329, their clocks."""

    model_config = _OUT

    role: Literal["taxpayer", "spouse"]
    name: str | None = None
    forms: list[str] = Field(default_factory=list)
    form_8606: Form8606
    form_5329: "Form5329Flag"
    clocks: list[Clock] = Field(default_factory=list)
    roth: RothState | None = None
    traditional_basis_given: Decimal | None = None
    """The line 2 basis this person's Form 8606 started from (given, or the ledger's)."""
    totals: dict[str, Money] = Field(default_factory=dict)
    """This person's share of the Form 1040 lines, by role (ira_gross, pension_taxable…)."""
    excess_contributions: list[ExcessPart] = Field(default_factory=list)
    """Form 5329 Parts III and IV, when the person has an excess IRA contribution this year or from before."""


class Form5329Flag(Output):
    model_config = _OUT

    status: Literal["not_needed", "additional_tax", "review"]
    summary: str
    amount_subject: Money = Decimal("0.00")
    additional_tax: Money = Decimal("0.00")
    """The 10% on early distributions (Part I line 4)."""
    excess_tax: Money = Decimal("0.00")
    """The 6% on excess IRA contributions (Part III line 17 + Part IV line 25)."""
    schedule_2_line_8: Money = Decimal("0.00")
    """What Form 5329 puts on Schedule 2: the 10% and the 6% together (both on line 8 through 2025; the 2026 draft
    has line 5 for the 10% and line 18 for the 6%: `additional_tax` and `excess_tax` tell them apart)."""
    schedule_2_line_8_shortcut: bool = False
    reasons: list[str] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)


class Policy(Output):
    """A documented default megaroth applied where the instructions are silent."""

    model_config = _OUT

    option: str
    value: bool
    explanation: str
    forms: list[str]


class Deposit(Output):
    """Money a 1099-R says went into an IRA or a Roth IRA: what the receiving IRA's Form 5498
    should show."""

    model_config = _OUT

    form_id: str
    amount: Money
    how: Literal["direct_rollover", "60_day_rollover", "late_rollover", "conversion"]
    box: Literal["2", "3", "13a"]
    """The Form 5498 box the receiving custodian reports it in."""
    date: str | None = None
    year_assumed: bool = False
    """True when no date was given and the deposit year is taken to be the tax year."""
    in_kind: bool = False
    """Property rolled over in kind (or the proceeds of plan property sold): the Form 5498 shows its value when
    received, which may differ from box 1 (its value when distributed)."""
    value_when_distributed: Money | None = None
    """For such a deposit whose value when received is given (`amount`): the box 1 amount it stands for."""


class RolloverMatch(Output):
    """One receiving IRA (or several, when the case cannot tell them apart) in one year: the
    deposits the 1099-Rs imply against what its Forms 5498 show."""

    model_config = _OUT

    owner: Literal["taxpayer", "spouse"]
    kind: Literal["traditional_ira", "roth_ira"]
    year: int
    """The year of the Form 5498 that reports the deposits (the year they were received)."""
    account: str | None = None
    deposits: list[Deposit] = Field(default_factory=list)
    forms_5498: list[str] = Field(default_factory=list)
    expected: dict[str, Money] = Field(default_factory=dict)
    """By box ("2", "3", "13a"): what the deposits add up to."""
    shown: dict[str, Money] = Field(default_factory=dict)
    """By box: what the Forms 5498 show (empty when none was given)."""
    status: Literal["matched", "next_year", "missing", "different", "not_given", "no_1099r", "box_differs",
                    "in_kind", "ineligible"]
    """"ineligible": the Form 5498 shows the deposits, but part of them was not eligible for rollover."""
    ineligible: Money = Decimal("0.00")
    """The part of the deposits that was not eligible for rollover or conversion (an RMD, a second IRA-to-IRA
    rollover within 12 months): an excess contribution in this IRA until removed."""
    difference: Decimal | None = None
    """Shown − expected, over the boxes compared (rollovers and conversions together)."""
    explanation: str
    cites: list[str] = Field(default_factory=list)


class InputErrorRecord(Output):
    model_config = _OUT

    message: str
    file: str | None = None
    record: str | None = None
    field: str | None = None


class Analysis(Output):
    """The result for one case: everything the worksheet and the JSON show."""

    model_config = _OUT

    tax_year: int
    taxpayer_name: str | None = None
    complete: bool
    """False when a form was rejected or is out of scope, or a fact the tax depends on is missing:
    the lines miss something."""
    lines: list[LineEntry]
    notations: list[Notation] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    filing_status: str | None = None
    form_8606: Form8606Verdict
    form_5329: Form5329Flag
    people: list[PersonResult] = Field(default_factory=list)
    clocks: list[Clock] = Field(default_factory=list)
    roth_ira_basis_line_22: Money = Decimal("0.00")
    roth_ira_basis_line_24: Money = Decimal("0.00")
    forms: list[FormResult]
    findings: list[Finding] = Field(default_factory=list)
    errors: list[InputErrorRecord] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    rollover_matches: list[RolloverMatch] = Field(default_factory=list)
    """Each IRA deposit the 1099-Rs imply, matched to the receiving IRA's Form 5498."""
    missing_facts: list[MissingFact] = Field(default_factory=list)
    """Facts the tax depends on that the case does not give: the result is incomplete until they are."""
    form_layout_note: str | None = None

    def line(self, key: str) -> LineEntry | None:
        for entry in self.lines:
            if entry.key == key:
                return entry
        return None


class PlanRoom(Output):
    """One plan's after-tax room for the year."""

    model_config = _OUT

    plan_id: str
    employer: str
    kind: str
    deferrals: Money
    catch_up: Money
    deferrals_counted: Money
    """Deferrals counted toward 415(c): without catch-ups."""
    employer_contributions: Money
    match: Money
    cap: OptionalMoney = None
    room: Money
    after_tax_made: Money
    left: Money
    """Room not yet used by after-tax contributions."""


class EmployerRoom(Output):
    model_config = _OUT

    employer: str
    compensation: Money
    limit_415c: Money
    used: Money
    """Deferrals without catch-ups plus employer contributions."""
    room: Money
    after_tax_made: Money
    excess: Money


class RoomResult(Output):
    model_config = _OUT

    tax_year: int
    age: int | None
    deferral_limit: Money
    catch_up_limit: Money
    total_deferrals: Money
    catch_up_used: Money
    excess_deferrals: Money
    employers: list[EmployerRoom]
    plans: list[PlanRoom]
    steps: list[Step]
    findings: list[Finding]


class ConversionTiming(Output):
    model_config = _OUT

    date: str
    amount: Money
    basis: Money
    earnings: Decimal
    """Pretax earnings converted (negative for a loss)."""
    days_waited: int
    """Days the converted contributions waited, weighted by amount."""
    form_id: str | None = None
    plan: str | None = None


class TimelinePoint(Output):
    model_config = _OUT

    date: str
    unconverted: Money
    event: str
    amount: Money


class TimingResult(Output):
    model_config = _OUT

    tax_year: int
    opening_basis: Money
    contributed: Money
    conversions: list[ConversionTiming]
    converted_basis: Money
    unconverted_basis: Money
    unconverted_earnings: Decimal | None = None
    taxable_earnings: Decimal
    marginal_tax_rate: Decimal | None = None
    estimated_tax: OptionalMoney = None
    saved_by_converting_at_once: OptionalMoney = None
    average_days_unconverted: int
    timeline: list[TimelinePoint]
    steps: list[Step]
    findings: list[Finding]


class CarriedBasis(Output):
    """What the ledger remembered from earlier years."""

    model_config = _OUT

    years: list[int]
    traditional_ira_basis: Money
    roth_ira_contribution_basis: Money
    roth_ira_conversion_basis: dict[int, Money]
    plan_after_tax_basis: Money
    open_clocks: list[dict]


class YearEndReport(Output):
    model_config = _OUT

    tax_year: int
    taxpayer_name: str | None = None
    taxpayer_id: str | None = None
    spouse_name: str | None = None
    carried: CarriedBasis | None = None
    room: RoomResult | None = None
    """The taxpayer's contribution room."""
    spouse_room: RoomResult | None = None
    """The spouse's, on a joint return (their own 402(g) and 415(c) limits)."""
    timing: TimingResult | None = None
    analysis: Analysis | None = None
    carry_forward: dict[str, Money]
    """What goes into next year: basis by kind (carried in plus added this year) and the after-tax
    basis left in the plan on December 31, when known."""
    findings: list[Finding]
