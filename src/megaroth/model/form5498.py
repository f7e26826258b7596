"""Form 5498, IRA Contribution Information, as printed: what the receiving IRA custodian tells
the IRS it received — the proof that a rollover or conversion landed.

Box names follow the 2019-2026 forms (the same box set each year; the codes of boxes 13c, 14b
and 15b are data in `forms/<year>/f5498.toml`). Blank boxes stay blank. This module only
validates shape; it decides nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from megaroth.dates import FormDate
from megaroth.model.form1099r import Provenance
from megaroth.money import OptionalMoney
from megaroth.tin import Tin

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class Form5498(BaseModel):
    """One Form 5498 as printed."""

    model_config = _FROZEN

    id: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")
    tax_year: int | None = Field(default=None, ge=2000, le=2100,
                                 description="The year printed on the form (left out: the case's tax year). A "
                                             "rollover deposited in January is on the next year's Form 5498.")
    owner: Literal["taxpayer", "spouse"] | None = Field(
        default=None, description="Whose IRA (left out: found from the participant's TIN or name, as for 1099-Rs).")
    trustee_name: str | None = None
    trustee_tin: Tin | None = None
    participant_name: str | None = None
    participant_tin: Tin | None = None
    account_number: str | None = None
    corrected: bool = False
    void: bool = False

    box_1: OptionalMoney = Field(default=None, description="IRA contributions (other than amounts in boxes 2-4, 8-10, "
                                                            "13a and 14a).")
    box_2: OptionalMoney = Field(default=None, description="Rollover contributions received in the year (plan "
                                                            "rollovers to a Roth IRA are here too).")
    box_3: OptionalMoney = Field(default=None, description="Roth IRA conversion amount (from traditional IRAs).")
    box_4: OptionalMoney = Field(default=None, description="Recharacterized contributions.")
    box_5: OptionalMoney = Field(default=None, description="Fair market value of the account on December 31.")
    box_6: OptionalMoney = Field(default=None, description="Life insurance cost included in box 1.")
    box_7_ira: bool = False
    box_7_sep: bool = False
    box_7_simple: bool = False
    box_7_roth_ira: bool = False
    box_8: OptionalMoney = Field(default=None, description="SEP contributions.")
    box_9: OptionalMoney = Field(default=None, description="SIMPLE contributions.")
    box_10: OptionalMoney = Field(default=None, description="Roth IRA contributions.")
    box_11: bool = Field(default=False, description="Checked: a required minimum distribution is due for next year.")
    box_12a: FormDate | None = Field(default=None, description="RMD date.")
    box_12b: OptionalMoney = Field(default=None, description="RMD amount.")
    box_13a: OptionalMoney = Field(default=None, description="Postponed or late contribution (a late rollover when "
                                                              "box 13b is blank).")
    box_13b: int | None = Field(default=None, ge=1990, le=2100, description="Year of a postponed contribution.")
    box_13c: str | None = Field(default=None, max_length=20, description="Code (FD, PO, SC, EO13239…).")
    box_14a: OptionalMoney = Field(default=None, description="Repayments.")
    box_14b: str | None = Field(default=None, max_length=4, description="Code (QR, DD, BA, EP, DA, TI).")
    box_15a: OptionalMoney = Field(default=None, description="FMV of certain specified assets.")
    box_15b: str | None = Field(default=None, max_length=4, description="Code(s), at most two (A-H).")
    provenance: Provenance | None = Field(default=None, description="Set when imported.")

    @property
    def roth(self) -> bool:
        """A Roth IRA (box 7 "Roth IRA" checked; a Roth SEP or SIMPLE checks two boxes)."""
        return self.box_7_roth_ira

    @property
    def kind(self) -> Literal["traditional_ira", "roth_ira"]:
        """The receiving account's kind; with no box 7 checkbox, a Roth amount (box 3 or 10) says Roth."""
        checked = self.box_7_ira or self.box_7_sep or self.box_7_simple or self.box_7_roth_ira
        if self.box_7_roth_ira or (not checked and (self.box_3 or self.box_10)):
            return "roth_ira"
        return "traditional_ira"

    @property
    def late_rollover(self):
        """Box 13a is a late rollover (more than 60 days, self-certified or a loan offset) when 13b is blank."""
        return self.box_13a if self.box_13a and self.box_13b is None else None


MASKED_TAIL_DIGITS = 4
"""The fewest trailing characters a masked account number (XXXX1234) must show to be matched."""


def _account_key(text: str | None) -> str | None:
    key = re.sub(r"[^0-9A-Za-z*]", "", text or "").upper()
    return key or None


def same_account(a: str | None, b: str | None) -> bool:
    """Whether two account numbers as printed name the same account (a statement may mask all but
    the last digits: XXXX1234 matches 98761234)."""
    a, b = _account_key(a), _account_key(b)
    if not a or not b:
        return False
    if a == b:
        return True
    masked = a.startswith(("X", "*")) or b.startswith(("X", "*"))
    tail_a, tail_b = a.lstrip("X*"), b.lstrip("X*")
    short, long_ = sorted((tail_a, tail_b), key=len)
    return masked and len(short) >= MASKED_TAIL_DIGITS and long_.endswith(short)
