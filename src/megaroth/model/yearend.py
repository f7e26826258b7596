"""Year-end facts: the plans' contributions (for the after-tax room) and the dated after-tax
contributions and conversions (for conversion timing). Part of the case file (`yearend`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from megaroth.dates import FormDate
from megaroth.money import Money, OptionalMoney

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class MatchFormula(BaseModel):
    """An employer match figured on pay: `rate` of deferrals, up to `up_to_percent_of_pay` of pay."""

    model_config = _FROZEN

    rate: Decimal = Field(ge=0, le=10, description="Match per dollar deferred, e.g. 0.5 for 50%.")
    up_to_percent_of_pay: Decimal = Field(ge=0, le=100, description="Deferrals matched, as % of pay, e.g. 6.")


class Plan(BaseModel):
    """One employer plan's figures for the year."""

    model_config = _FROZEN

    id: str = Field(min_length=1, max_length=80)
    owner: Literal["taxpayer", "spouse"] = Field(
        default="taxpayer", description="Whose plan it is: 402(g) and 415(c) are each person's own.")
    employer: str = Field(min_length=1, max_length=80,
                          description="Plans of the same employer (or controlled group) share one 415(c) limit.")
    kind: Literal["401k", "403b", "457b", "other"] = "401k"
    compensation: Money = Field(description="Compensation from this employer for the year, as IRC 415(c)(3) counts "
                                            "it (including elective deferrals).")
    pretax_deferrals: Money = Decimal("0.00")
    roth_deferrals: Money = Decimal("0.00")
    catch_up: OptionalMoney = Field(default=None, description="Deferrals the plan treated as catch-up "
                                                              "(megaroth figures it when omitted).")
    employer_match: OptionalMoney = Field(default=None, description="Match credited (or give match_formula).")
    match_formula: MatchFormula | None = None
    nonelective: Money = Decimal("0.00")
    profit_sharing: Money = Decimal("0.00")
    forfeitures: Money = Decimal("0.00")
    after_tax_contributions: OptionalMoney = Field(
        default=None, description="After-tax (non-Roth) contributions made, when not listed by date.")
    after_tax_cap_percent: Decimal | None = Field(default=None, ge=0, le=100,
                                                  description="The plan's cap on after-tax contributions, % of pay.")
    after_tax_cap_amount: OptionalMoney = None
    allows_after_tax: bool = True
    prior_year_fica_wages: OptionalMoney = Field(
        default=None, description="Last year's FICA wages from this employer (W-2 box 3), for the Roth catch-up rule.")

    @model_validator(mode="after")
    def _one_match(self) -> "Plan":
        if self.employer_match is not None and self.match_formula is not None:
            raise ValueError("give employer_match or match_formula, not both")
        return self


class Contribution(BaseModel):
    """An after-tax (non-Roth) contribution to a plan."""

    model_config = _FROZEN

    date: FormDate
    amount: Money
    plan: str | None = None


class Conversion(BaseModel):
    """An in-plan Roth rollover or a rollover to a Roth IRA of the after-tax money."""

    model_config = _FROZEN

    date: FormDate
    amount: Money = Field(description="Amount converted (basis and earnings).")
    basis: OptionalMoney = Field(default=None, description="After-tax basis in it, when known (box 5 of its share).")
    form_id: str | None = Field(default=None, description="The 1099-R of the case that reports it.")
    plan: str | None = None


class YearEnd(BaseModel):
    """What the year-end worksheet needs beyond the 1099-Rs."""

    model_config = _FROZEN

    plans: list[Plan] = Field(default_factory=list)
    after_tax_contributions: list[Contribution] = Field(default_factory=list)
    conversions: list[Conversion] = Field(default_factory=list)
    marginal_tax_rate: Decimal | None = Field(default=None, ge=0, le=1,
                                              description="Your marginal federal rate, e.g. 0.24, for the estimate.")
    year_end_unconverted_value: OptionalMoney = Field(
        default=None, description="Value of the after-tax money still unconverted on December 31 (statement).")

    @field_validator("plans")
    @classmethod
    def _unique_plans(cls, plans: list[Plan]) -> list[Plan]:
        ids = [p.id for p in plans]
        if len(ids) != len(set(ids)):
            raise ValueError("plan ids must be unique")
        return plans
