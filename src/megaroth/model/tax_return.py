"""The return: its filing status, the people on it, and the IRA facts each person's Form 8606 needs.

A case is one Form 1040. On a joint return two people own forms: each Form 1099-R has an
owner, and each person files their own Form 8606 and Form 5329, keeps their own basis and
5-year clocks and has their own contribution limits. The Form 1040 lines add both up.

This module only validates shape; the rules decide what the facts mean.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from megaroth.dates import FormDate
from megaroth.money import Money, OptionalMoney
from megaroth.tin import Tin, looks_like_tin

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

Role = Literal["taxpayer", "spouse"]
ROLES: tuple[Role, ...] = ("taxpayer", "spouse")


class FilingStatus(str, Enum):
    single = "single"
    married_filing_jointly = "married_filing_jointly"
    married_filing_separately = "married_filing_separately"
    head_of_household = "head_of_household"
    qualifying_surviving_spouse = "qualifying_surviving_spouse"

    @property
    def joint(self) -> bool:
        """Whether a spouse's income is on this return (only a joint return carries it)."""
        return self is FilingStatus.married_filing_jointly


FILING_STATUS_TITLES = {
    FilingStatus.single: "Single",
    FilingStatus.married_filing_jointly: "Married filing jointly",
    FilingStatus.married_filing_separately: "Married filing separately",
    FilingStatus.head_of_household: "Head of household",
    FilingStatus.qualifying_surviving_spouse: "Qualifying surviving spouse",
}


class RothLayer(BaseModel):
    """What is left in the Roth IRAs of one year's conversions and plan rollovers (Form 8606
    line 24 basis), split into the part that was taxed when it went in and the part that was not.
    The taxable part of a layer younger than 5 years carries the 10% recapture."""

    model_config = _FROZEN

    year: int = Field(ge=1998, le=2100)
    taxable: Money = Field(description="Taxed when converted or rolled in (Form 8606 line 18, or the line 5b part).")
    nontaxable: Money = Field(description="Not taxed when it went in (Form 8606 line 17, or the plan's after-tax "
                                          "basis rolled in).")


class Recharacterization(BaseModel):
    """A contribution moved from one kind of IRA to the other (a fact the 1099-R does not tell)."""

    model_config = _FROZEN

    contributed_to: Literal["traditional_ira", "roth_ira"] = Field(
        description="The kind of IRA the contribution was first made to (a backdoor's: roth_ira, moved to a "
                    "traditional IRA).")
    contribution_date: FormDate | None = Field(
        default=None, description="The day the contribution was made (for the statement; left out, it asks you to "
                                  "write it in).")
    contribution_amount: Money = Field(
        description="The contribution recharacterized, without its earnings: what counts as a contribution to the "
                    "second IRA (Form 8606 line 1 when it is a nondeductible traditional IRA contribution).")
    recharacterized_on: FormDate | None = Field(
        default=None, description="The day of the trustee-to-trustee transfer (for the statement).")
    amount_moved: Money = Field(description="The amount transferred, with its earnings (or less its loss): box 1 of "
                                            "the code N or R Form 1099-R.")
    for_year: int = Field(ge=1998, le=2100, description="The tax year the contribution was for.")


class IraFacts(BaseModel):
    """One person's IRA facts that no Form 1099-R carries: what Form 8606 needs beside the forms.

    Blank is not zero: a value left out is taken from the ledger, or reported as missing where it
    matters.
    """

    model_config = _FROZEN

    nondeductible_contributions: OptionalMoney = Field(
        default=None, description="Form 8606 line 1: nondeductible contributions to traditional IRAs FOR the tax "
                                  "year, including those made from January 1 to the due date of the next year.")
    contributions_made_next_year: OptionalMoney = Field(
        default=None, description="Form 8606 line 4: the part of line 1 made from January 1 of the next year to the "
                                  "due date. Needed when line 1 is more than 0 and there is a distribution or "
                                  "conversion in the year.")
    deductible_contributions: OptionalMoney = Field(
        default=None, description="Traditional IRA contributions for the year that you deduct (Schedule 1). With a "
                                  "distribution or conversion in the year, the nontaxable part is figured with Pub "
                                  "590-B Worksheet 1-1.")
    basis: OptionalMoney = Field(
        default=None, description="Form 8606 line 2: your basis in traditional IRAs at the end of last year (last "
                                  "Form 8606, line 14). Left out: the ledger's, else none.")
    year_end_value: OptionalMoney = Field(
        default=None, description="Form 8606 line 6: the value of all your traditional, SEP and SIMPLE IRAs on "
                                  "December 31 (Form 5498 box 5, or the year-end statement). Needed when you have basis.")
    outstanding_rollovers: OptionalMoney = Field(
        default=None, description="Form 8606 line 6: IRA money received in the year after November 1 and rolled into "
                                  "another traditional IRA next year, within the 60 days. Left out: the rollovers the "
                                  "case's IRA forms show dated next year (their 1099-Rs' disposition); given, it "
                                  "replaces them (include those too).")
    roth_contributions: OptionalMoney = Field(
        default=None, description="Regular Roth IRA contributions FOR the tax year (including those made by the "
                                  "due date next year): Form 8606 line 22 basis.")
    roth_contribution_basis: OptionalMoney = Field(
        default=None, description="Basis in regular Roth IRA contributions from earlier years, less what earlier "
                                  "Roth distributions took (the line 22 worksheet). Left out: the ledger's.")
    roth_conversions: list[RothLayer] | None = Field(
        default=None, description="What is left of earlier years' conversions and plan rollovers to Roth IRAs (line "
                                  "24 basis), by year. Left out: the ledger's.")
    first_roth_year: int | None = Field(
        default=None, ge=1998, le=2100, description="The first year for which you contributed to (or converted to) "
                                                    "a Roth IRA: it starts the 5-year period of qualified "
                                                    "distributions.")
    first_time_homebuyer_expenses: OptionalMoney = Field(
        default=None, description="Form 8606 line 20: qualified first-time homebuyer expenses paid from a Roth IRA "
                                  "distribution ($10,000 lifetime).")
    recharacterizations: list[Recharacterization] | None = Field(
        default=None, description="Contributions moved to the other kind of IRA (a code N or R Form 1099-R): each "
                                  "is treated as made to the second IRA and explained in a statement on the return "
                                  "of the year it was for.")
    compensation: OptionalMoney = Field(
        default=None, description="Taxable compensation for the year (wages, self-employment income; Pub 590-A): "
                                  "with the year's dollar limit it caps IRA contributions (IRC 219(b)(1)). Asked "
                                  "only when an amount deposited in an IRA was not eligible for rollover.")
    excess_removed: OptionalMoney = Field(
        default=None, description="Of this year's excess contributions to traditional IRAs, the amount withdrawn "
                                  "with its earnings by the due date of the return including extensions (IRC "
                                  "408(d)(4)): not on Form 5329 line 15, no 6%.")
    roth_excess_removed: OptionalMoney = Field(
        default=None, description="Of this year's excess contributions to Roth IRAs, the amount withdrawn with its "
                                  "earnings by the due date of the return including extensions: not on Form 5329 "
                                  "line 23, no 6%.")
    roth_year_end_value: OptionalMoney = Field(
        default=None, description="Value of all your Roth IRAs on December 31 (Form 5498 box 5), including "
                                  "contributions for the year made by the due date: the 6% is on the smaller of "
                                  "the excess or this value (Form 5329 line 25).")
    prior_year_excess: OptionalMoney = Field(
        default=None, description="Form 5329 line 9: excess contributions to traditional IRAs from line 16 of last "
                                  "year's Form 5329 (when its line 17 was more than 0). Left out: the ledger's, "
                                  "else none.")
    roth_prior_year_excess: OptionalMoney = Field(
        default=None, description="Form 5329 line 18: excess contributions to Roth IRAs from line 24 of last year's "
                                  "Form 5329 (when its line 25 was more than 0). Left out: the ledger's, else none.")
    prior_excess_withdrawn: OptionalMoney = Field(
        default=None, description="Form 5329 line 12: the part of last year's traditional IRA excess withdrawn "
                                  "this year and not included in income. Asked when there is a prior-year excess.")
    last_ira_rollover_date: FormDate | Literal["none"] | None = Field(
        default=None, description="The date you received the last IRA distribution before this year that you "
                                  "rolled over to an IRA within 60 days (not a transfer or conversion), or \"none\": "
                                  "one IRA-to-IRA rollover per 12 months (IRC 408(d)(3)(B)). Left out: the "
                                  "ledger's. Asked only when this year has such a rollover.")


NO_IRA_FACTS = IraFacts()
"""A person's IRA facts when the case gives none: every value blank, no layers, no recharacterizations."""


class Person(BaseModel):
    """Someone on the return: the taxpayer or, on a joint return, the spouse."""

    model_config = _FROZEN

    id: str | None = Field(default=None, max_length=80,
                           description="Your id for this person in the ledger (a client number); never a TIN.")
    name: str | None = None
    birth_date: FormDate | None = Field(
        default=None, description="Used for age 59½ (the 10% additional tax, codes 1 and 7), catch-ups and RMDs."
    )
    tin: Tin | None = None
    ira: IraFacts | None = Field(default=None, description="IRA facts for Form 8606 (contributions, basis, "
                                                           "year-end value, Roth basis).")

    @field_validator("id")
    @classmethod
    def _id_is_not_a_tin(cls, value: str | None) -> str | None:
        # The id is stored in plain text in the ledger and shown in file names: never a TIN.
        if value is not None and looks_like_tin(value):
            raise ValueError("looks like a TIN; use a client number as the id and give the TIN as tin")
        if value is not None and not value.strip():
            raise ValueError("is blank")
        return value.strip() if value is not None else None

    @property
    def facts(self) -> IraFacts:
        # One shared empty IraFacts (frozen, and nothing changes its lists in place) rather than a
        # new one validated each time a rule asks a person without IRA facts: five a taxpayer.
        return self.ira or NO_IRA_FACTS


Taxpayer = Person
"""The name case files of schema 1 used for the only person."""


def upgrade_v1(data: dict) -> dict:
    """A schema 1 case (one person, `traditional_ira_basis` on the case) as schema 2: the basis
    becomes the taxpayer's Form 8606 line 2. Nothing else changes meaning."""
    data = dict(data)
    taxpayer_given = data.get("taxpayer")
    ira_given = taxpayer_given.get("ira") if isinstance(taxpayer_given, dict) else None
    # A taxpayer or ira that is not an object is left as given: validation names the field.
    movable = (taxpayer_given is None or isinstance(taxpayer_given, dict)) and (
        ira_given is None or isinstance(ira_given, dict))
    if "traditional_ira_basis" in data and movable:
        basis = data.pop("traditional_ira_basis")
        taxpayer = dict(taxpayer_given or {})
        ira = dict(ira_given or {})
        if basis is not None and ira.get("basis") is None:
            ira["basis"] = basis
        if ira:
            taxpayer["ira"] = ira
        data["taxpayer"] = taxpayer
    if data.get("schema_version") == 1:
        data["schema_version"] = 2
    return data


class LedgerFacts(BaseModel):
    """What the ledger holds for one person from before the tax year (None where it holds nothing):
    the rules take it as given, as they take the case's facts."""

    model_config = _FROZEN

    traditional_basis: OptionalMoney = None
    """Basis in traditional IRAs at the end of last year (last Form 8606 line 14)."""
    roth_contribution_basis: OptionalMoney = None
    roth_layers: list[RothLayer] | None = None
    first_roth_year: int | None = None
    prior_excess_traditional: OptionalMoney = None
    """Last year's Form 5329 line 16 (when its line 17 was more than 0): this year's line 9."""
    prior_excess_roth: OptionalMoney = None
    """Last year's Form 5329 line 24 (when its line 25 was more than 0): this year's line 18."""
    last_ira_rollover_date: FormDate | Literal["none"] | None = None
    """When last year's last allowed IRA distribution rolled over to an IRA within 60 days was received
    ("none": last year had none)."""
