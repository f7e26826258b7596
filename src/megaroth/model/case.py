"""The case file: the contract users and other tools write to.

A case is one taxpayer's return for one tax year: the 1099-Rs received, and the facts a
1099-R cannot carry. Its JSON Schema is printed by `megaroth schema`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from megaroth.dates import FormDate
from megaroth.model.form1099r import Form1099R
from megaroth.model.yearend import YearEnd
from megaroth.money import OptionalMoney
from megaroth.tin import Tin, looks_like_tin

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

SCHEMA_VERSION = 1


class Taxpayer(BaseModel):
    model_config = _FROZEN

    id: str | None = Field(default=None, max_length=80,
                           description="Your id for this taxpayer in the ledger (a client number); never a TIN.")
    name: str | None = None
    birth_date: FormDate | None = Field(
        default=None, description="Used to check codes 1 and 7 against age 59½."
    )
    tin: Tin | None = None

    @field_validator("id")
    @classmethod
    def _id_is_not_a_tin(cls, value: str | None) -> str | None:
        # The id is stored in plain text in the ledger and shown in file names: never a TIN.
        if value is not None and looks_like_tin(value):
            raise ValueError("looks like a TIN; use a client number as the id and give the TIN as taxpayer.tin")
        if value is not None and not value.strip():
            raise ValueError("is blank")
        return value.strip() if value is not None else None


class Options(BaseModel):
    """Choices the IRS instructions leave open; megaroth's defaults are documented."""

    model_config = _FROZEN

    irr_rollover_marker: bool = Field(
        default=True,
        description="Mark an in-plan Roth rollover as a rollover (\"Rollover\" next to line 5b "
        "through TY2024; line 5c box 1 from TY2025). The instructions do not say whether an IRR, "
        "which stays in the same plan, takes the marker; megaroth marks it because box 7 code G "
        "reports it as a direct rollover.",
    )


class Case(BaseModel):
    """One taxpayer, one tax year, every Form 1099-R received."""

    model_config = _FROZEN

    schema_version: Literal[1] = SCHEMA_VERSION
    tax_year: int = Field(ge=1900, le=2100)
    taxpayer: Taxpayer = Field(default_factory=Taxpayer)
    options: Options = Field(default_factory=Options)
    traditional_ira_basis: OptionalMoney = Field(
        default=None,
        description="Total basis in traditional IRAs at the end of the prior year (prior Form "
        "8606, line 14). Enter 0 if you never made nondeductible contributions and never rolled "
        "after-tax money into a traditional IRA. Needed only for IRA forms (box 7 IRA/SEP/SIMPLE).",
    )
    forms_1099r: list[Form1099R] = Field(default_factory=list)
    yearend: YearEnd | None = Field(default=None, description="Plans, after-tax contributions and conversions "
                                                              "for the year-end worksheet.")
