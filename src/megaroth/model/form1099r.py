"""Form 1099-R as printed, plus the facts a 1099-R cannot carry (where the money went).

Field names follow the TY2020-2025 layout (box_1 … box_19). Forms of earlier years are
entered with the same names: their state and local boxes 12-17 go in `state` and `local`. The
2026 form's 7a, 7b, 8a and 8b are `box_7`, `box_7_ira_sep_simple`, `box_8` and `box_8_percent`;
its new boxes are `box_7c` and `box_7d` (forms/f1099r_boxes.toml).
Blank boxes stay blank (None); a blank box 2a is never read as 0, nor as box 1.

This module only validates shape and values; it decides nothing about tax treatment.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from megaroth.dates import FormDate
from megaroth.model.codes import DistributionCodes, split_codes
from megaroth.money import Money, OptionalMoney
from megaroth.tin import Tin

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


def _parse_percent(value: object) -> Decimal | None:
    """Read a percentage box (8, 9a) as a number from 0 to 100; blank stays blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a percentage")
    if isinstance(value, Decimal):
        percent = value
    elif isinstance(value, (int, float)):
        percent = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().rstrip("%").strip()
        if not text:
            return None
        try:
            percent = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a percentage") from None
    if not percent.is_finite() or percent < 0 or percent > 100:
        raise ValueError(f"{value!r} is not a percentage between 0 and 100")
    return percent


Percent = Annotated[
    Decimal | None,
    BeforeValidator(_parse_percent),
    PlainSerializer(lambda v: None if v is None else str(v), when_used="json"),
]


class Destination(str, Enum):
    """Where (part of) a distribution went: the fact the payer's form cannot show."""

    designated_roth_same_plan = "designated_roth_same_plan"
    """In-plan Roth rollover (IRR) to the designated Roth account of the same plan."""
    roth_ira = "roth_ira"
    traditional_ira = "traditional_ira"
    employer_plan = "employer_plan"
    """The pretax/after-tax account of another employer plan (401(k), 403(b), gov. 457(b))."""
    designated_roth_other_plan = "designated_roth_other_plan"
    kept = "kept"
    """Paid to the taxpayer and not rolled over."""

    @property
    def is_roth(self) -> bool:
        return self in ROTH_DESTINATIONS

    @property
    def is_rollover(self) -> bool:
        return self is not Destination.kept


ROTH_DESTINATIONS = frozenset(
    {
        Destination.designated_roth_same_plan,
        Destination.roth_ira,
        Destination.designated_roth_other_plan,
    }
)
NON_ROTH_DESTINATIONS = frozenset({Destination.traditional_ira, Destination.employer_plan})

DESTINATION_TITLES = {
    Destination.designated_roth_same_plan: "designated Roth account of the same plan (in-plan Roth rollover)",
    Destination.roth_ira: "Roth IRA",
    Destination.traditional_ira: "traditional IRA",
    Destination.employer_plan: "another employer plan (pretax/after-tax account)",
    Destination.designated_roth_other_plan: "designated Roth account of another plan",
    Destination.kept: "kept (paid to you, not rolled over)",
}

# The same destinations as they read inside a sentence ("$200.00 to a traditional IRA").
DESTINATION_IN_TEXT = {
    Destination.designated_roth_same_plan: "the plan's designated Roth account",
    Destination.roth_ira: "a Roth IRA",
    Destination.traditional_ira: "a traditional IRA",
    Destination.employer_plan: "another employer plan",
    Destination.designated_roth_other_plan: "another plan's designated Roth account",
    Destination.kept: "you (kept, not rolled over)",
}


class Disposition(BaseModel):
    """One destination of (part of) the money a 1099-R reports."""

    model_config = _FROZEN

    to: Destination
    amount: Money
    within_60_days: bool = Field(
        default=False,
        description="An indirect rollover: the money was paid to the taxpayer, who deposited it "
        "within 60 days. False means a direct rollover (or, for `kept`, nothing to say).",
    )
    date: FormDate | None = Field(default=None, description="Date the rollover was made.")
    pretax_amount: OptionalMoney = Field(
        default=None,
        description="The pretax (taxable-if-kept) part of this amount when the plan allocated it "
        "differently from Notice 2014-54's default (pretax first to non-Roth direct rollovers).",
    )
    account: str | None = Field(
        default=None, max_length=80,
        description="The receiving account's number, to match the rollover to that account's Form 5498.")
    late_rollover_waiver: bool = Field(
        default=False,
        description="A rollover made after 60 days that qualifies by self-certification "
        "(Rev. Proc. 2020-46) or an IRS waiver.",
    )
    rolled_as: Literal["cash", "same_property", "sale_proceeds"] | None = Field(
        default=None,
        description="What was deposited, for a rollover of a distribution that included property (shares and the "
        "like): `same_property` (in kind: the very property distributed, as IRC 408(d)(3)(A) and 402(c) require), "
        "`sale_proceeds` (the property was sold and the cash rolled over: allowed only for property distributed by an "
        "employer plan, IRC 402(c)(6); from an IRA it is not a rollover), or `cash` (cash distributed, cash "
        "deposited). Left out: not said (megaroth asks only where a Form 5498 differs).",
    )
    value_received: OptionalMoney = Field(
        default=None,
        description="For a rollover in kind or of sale proceeds: what the receiving account got — the property's "
        "value on the day it was received, or the proceeds — which its Form 5498 box 2 shows. `amount` stays in "
        "box 1 terms (the value when distributed).",
    )


class StateRow(BaseModel):
    """One row of boxes 14-16 (12-14 before TY2020)."""

    model_config = _FROZEN

    box_14: OptionalMoney = None
    box_15: str | None = Field(default=None, description="State/Payer's state no., e.g. \"CA/123-4567\".")
    box_16: OptionalMoney = None


class LocalRow(BaseModel):
    """One row of boxes 17-19 (15-17 before TY2020)."""

    model_config = _FROZEN

    box_17: OptionalMoney = None
    box_18: str | None = None
    box_19: OptionalMoney = None


class ScannedValue(BaseModel):
    """One box of a form read from a scan or photo by OCR."""

    model_config = _FROZEN

    read: str = Field(description="What the OCR engine read in the box.")
    confidence: Decimal = Field(ge=0, le=1, decimal_places=2, description="The engine's confidence in its least "
                                "certain word, 0-1 (a reading's certainty, not money).")
    accepted: bool = Field(description="Whether megaroth took the value: confident, and passing the form's checks.")
    confirmed: bool = Field(default=False, description="Whether a person confirmed the box: set it true after typing "
                            "the value read on the paper form into the box, and remove the box from "
                            "awaiting_confirmation.")


class Provenance(BaseModel):
    """Where an imported form was read: file, page or row, importer, and each box's origin."""

    model_config = _FROZEN

    file: str
    locator: str | None = Field(default=None, description="\"page 2\", \"row 14\", \"form 2 of 3\".")
    importer: str
    fields: dict[str, str] = Field(default_factory=dict, description="Box → where its value was read.")
    scanned: dict[str, ScannedValue] | None = Field(
        default=None, description="A form read from a scan: box → what the OCR read, its confidence, whether it was "
        "accepted and whether a person confirmed it.")
    awaiting_confirmation: dict[str, str] | None = Field(
        default=None, description="A form read from a scan: box → why it was left blank (uncertain, or failing the "
        "form's checks); each is an error until a person types the box and removes it from here.")


class Form1099R(BaseModel):
    """One Form 1099-R as printed, with its disposition."""

    model_config = _FROZEN

    id: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$",
                    description="Your name for this form, unique in the case (e.g. \"acme-irr\").")
    payer_name: str | None = None
    payer_address: str | None = Field(default=None, description="The rest of the payer block: street, city, phone.")
    payer_tin: Tin | None = None
    recipient_name: str | None = None
    recipient_address: str | None = None
    recipient_tin: Tin | None = None
    account_number: str | None = None
    corrected: bool = False
    void: bool = False

    box_1: Money = Field(description="Gross distribution.")
    box_2a: OptionalMoney = Field(default=None, description="Taxable amount. Blank is not 0.")
    box_2b_taxable_not_determined: bool = False
    box_2b_total_distribution: bool = False
    box_3: OptionalMoney = Field(default=None, description="Capital gain (included in box 2a).")
    box_4: OptionalMoney = Field(default=None, description="Federal income tax withheld.")
    box_5: OptionalMoney = Field(
        default=None,
        description="Employee contributions/Designated Roth contributions or insurance premiums: "
        "the after-tax basis recovered.",
    )
    box_6: OptionalMoney = Field(default=None, description="Net unrealized appreciation in employer's securities.")
    box_7: DistributionCodes = Field(description="Distribution code(s): \"G\", \"4G\", \"07\", \"B G\" are accepted.")
    box_7_ira_sep_simple: bool = Field(default=False, description="IRA/SEP/SIMPLE (box 7b on the 2026 form).")
    box_7c: bool = Field(default=False, description="Box 7c, a checkbox first printed on the 2026 form (not on "
                         "earlier forms); megaroth does not compute a form with it checked.")
    box_7d: OptionalMoney = Field(default=None, description="Box 7d of the 2026 form: earnings on excess "
                                  "contributions, an amount that can be separate from box 1 (not on earlier forms).")
    box_8: OptionalMoney = Field(default=None, description="Other (box 8a on the 2026 form).")
    box_8_percent: Percent = Field(default=None, description="Box 8's percentage (box 8b on the 2026 form).")
    box_9a: Percent = None
    box_9b: OptionalMoney = None
    box_10: OptionalMoney = Field(default=None, description="Amount allocable to IRR within 5 years.")
    box_11: int | None = Field(default=None, ge=1974, le=2100, description="1st year of designated Roth contributions.")
    box_12_fatca: bool = False
    box_13: FormDate | None = Field(default=None, description="Date of payment.")
    state: list[StateRow] = Field(default_factory=list, max_length=2)
    local: list[LocalRow] = Field(default_factory=list, max_length=2)

    # Facts the 1099-R cannot carry.
    disposition: list[Disposition] | None = Field(
        default=None,
        description="Where the money went. Omit only where the codes make it certain (H, B+G); "
        "megaroth asks otherwise.",
    )
    distribution_date: FormDate | None = Field(
        default=None, description="Date the distribution was paid (for the 60-day window)."
    )
    after_tax_basis: OptionalMoney = Field(
        default=None,
        description="The after-tax basis recovered in this distribution, from the plan's records, "
        "when box 5 is blank or wrong.",
    )
    rollover_marker: bool | None = Field(
        default=None,
        description="Override the Rollover marker for this form (null: megaroth's rule).",
    )
    rmd_amount: OptionalMoney = Field(
        default=None, description="In a year with a required minimum distribution: this account's RMD for the "
                                  "year (the first dollars out are the RMD and cannot be rolled over).")
    rmd_prior_year_balance: OptionalMoney = Field(
        default=None, description="The account's value on December 31 of the prior year, to figure the RMD with "
                                  "the Uniform Lifetime Table when rmd_amount is not given.")
    still_working: bool = Field(
        default=False, description="A plan (not an IRA) whose participant still works for the employer and does "
                                   "not own 5% of it: no RMD from this plan yet.")
    owner: Literal["taxpayer", "spouse"] | None = Field(
        default=None, description="Whose form it is on a joint return (left out: the taxpayer's on a return with "
                                  "one person; on a joint return, found from the recipient TIN or name, else asked).")
    note: str | None = None
    provenance: Provenance | None = Field(default=None, description="Set by `megaroth import`.")

    @property
    def codes(self) -> tuple[str, ...]:
        return split_codes(self.box_7)

    @property
    def taxable_not_determined(self) -> bool:
        """Box 2a cannot be relied on: TND checked or 2a left blank."""
        return self.box_2b_taxable_not_determined or self.box_2a is None
