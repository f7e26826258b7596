"""Form W-2 as far as megaroth needs it: the employer, box 1 wages and the box 12 deferrals.

A 1099-R shows what left a plan, never what went in: an excess deferral (IRC 402(g)) and the
room left for after-tax money depend on the deferrals each employer reports in box 12 (General
Instructions for Forms W-2 and W-3): D 401(k), E 403(b), F SARSEP, G 457(b), H 501(c)(18)(D),
S SIMPLE, AA/BB/EE the designated Roth kinds of D/E/G. Pretax deferrals are left out of box 1;
designated Roth contributions are in it. This module only validates shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from megaroth.model.form1099r import Provenance
from megaroth.money import Money, OptionalMoney
from megaroth.tin import Tin

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

BOX_12_CODES = frozenset({"A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T",
                          "V", "W", "Y", "Z", "AA", "BB", "DD", "EE", "FF", "GG", "HH", "II"})
"""Every code box 12 takes (a W-2 is read whole; megaroth uses the deferral codes)."""

PRETAX_DEFERRAL_CODES = frozenset({"D", "E", "F", "G", "H", "S"})
"""Elective deferrals left out of box 1 wages."""
ROTH_DEFERRAL_CODES = frozenset({"AA", "BB", "EE"})
"""Designated Roth contributions: elective deferrals already in box 1 wages."""
PLAN_KIND = {"D": "401k", "AA": "401k", "E": "403b", "BB": "403b", "G": "457b", "EE": "457b",
             "F": "other", "H": "other", "S": "other"}
"""The kind of plan each deferral code reports (yearend.Plan.kind)."""


class Box12(BaseModel):
    """One entry of box 12 (12a-12d): a code and its amount."""

    model_config = _FROZEN

    code: str = Field(description="The box 12 code: D, E, F, G, H, S, AA, BB, EE are deferrals; others are read and "
                                  "kept but not used.")
    amount: Money

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> str:
        code = str(value or "").strip().upper()
        if code not in BOX_12_CODES:
            raise ValueError(f"{value!r} is not a box 12 code (A-HH)")
        return code


class FormW2(BaseModel):
    """One Form W-2 (per employer): what the deferral limits need."""

    model_config = _FROZEN

    id: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$",
                    description="Your name for this W-2, unique in the case (e.g. \"acme-w2\").")
    owner: Literal["taxpayer", "spouse"] | None = Field(
        default=None, description="Whose W-2 on a joint return (left out: the taxpayer's on a return with one person; "
                                  "on a joint return found from the employee's SSN or name).")
    employer_name: str | None = Field(default=None, max_length=64, description="Box c. Names the employer whose "
                                                                                "plans share one 415(c) limit.")
    employer_ein: Tin | None = Field(default=None, description="Box b, the employer identification number.")
    employee_name: str | None = None
    employee_tin: Tin | None = Field(default=None, description="Box a, the employee's SSN.")
    box_1: Money = Field(description="Wages, tips, other compensation (pretax deferrals left out, Roth ones in).")
    box_12: list[Box12] = Field(default_factory=list, max_length=12,
                                description="Box 12 entries (12a-12d, more on a second W-2 of the same employer).")
    box_13_retirement_plan: bool = False
    corrected: bool = False
    provenance: Provenance | None = Field(default=None, description="Set when imported.")

    def amount(self, codes: frozenset[str] | set[str]) -> Decimal:
        return sum((e.amount for e in self.box_12 if e.code in codes), Decimal("0.00"))

    @property
    def pretax_deferrals(self) -> Decimal:
        return self.amount(PRETAX_DEFERRAL_CODES)

    @property
    def roth_deferrals(self) -> Decimal:
        return self.amount(ROTH_DEFERRAL_CODES)

    @property
    def employer(self) -> str:
        """The employer as the room check groups plans (name, else EIN, else the W-2's id)."""
        return self.employer_name or (str(self.employer_ein) if self.employer_ein else self.id)
