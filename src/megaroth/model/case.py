"""The case file: the contract users and other tools write to.

A case is one return (Form 1040) for one tax year: the people on it, the 1099-Rs they
received, and the facts a 1099-R cannot carry. Schema 1 files (one person) are read as schema 2. Its JSON Schema is printed by `megaroth schema`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from megaroth.model.form1099r import Form1099R
from megaroth.model.form1099r_awaiting import AwaitingForm1099R
from megaroth.model.form5498 import Form5498
from megaroth.model.w2 import FormW2
from megaroth.model.yearend import YearEnd
from megaroth.model.tax_return import FilingStatus, Person, Role, upgrade_v1

_FROZEN = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

SCHEMA_VERSION = 2


class Options(BaseModel):
    """Choices the IRS instructions leave open; megaroth's defaults are documented."""

    model_config = _FROZEN

    form_8606_ratio_places: int = Field(
        default=5, ge=3, le=10,
        description="Decimal places of the Form 8606 line 10 ratio. The form asks for at least 3; megaroth uses 5 "
        "by default (as IRS Free File Fillable Forms shows it), because 3 can round a backdoor Roth's few dollars "
        "of earnings to a ratio of 1.000 and leave them untaxed. The IRS examples use 3.",
    )

    irr_rollover_marker: bool = Field(
        default=True,
        description="Mark an in-plan Roth rollover as a rollover (\"Rollover\" next to line 5b "
        "through TY2024; line 5c box 1 from TY2025). The instructions do not say whether an IRR, "
        "which stays in the same plan, takes the marker; megaroth marks it because box 7 code G "
        "reports it as a direct rollover.",
    )


class Case(BaseModel):
    """One return, one tax year: the people on it and every Form 1099-R they received."""

    model_config = _FROZEN

    schema_version: Literal[2] = SCHEMA_VERSION
    tax_year: int = Field(ge=1900, le=2100)
    filing_status: FilingStatus | None = Field(
        default=None, description="Left out: single (or the status does not matter) when there is no spouse. "
                                  "A spouse's forms are on the return only when filing jointly.")
    taxpayer: Person = Field(default_factory=Person)
    spouse: Person | None = Field(default=None, description="The spouse, on a joint return (or named on a separate one).")
    options: Options = Field(default_factory=Options)
    forms_1099r: list[Form1099R] = Field(default_factory=list)
    forms_1099r_awaiting: list[AwaitingForm1099R] = Field(
        default_factory=list, description="Forms 1099-R read from a scan or photo whose box 1 or box 7 a person must "
        "still read off the paper form: left out of the return (the result is incomplete) until both are typed, "
        "then moved to forms_1099r.")
    forms_5498: list[Form5498] = Field(default_factory=list, description="The receiving IRAs' Forms 5498: the "
                                                                          "proof each rollover and conversion landed.")
    forms_w2: list[FormW2] = Field(default_factory=list, description="The Forms W-2 (box 1 and the box 12 deferrals "
                                                                     "per employer): for the 402(g) limit across "
                                                                     "employers and the after-tax room.")
    yearend: YearEnd | None = Field(default=None, description="Plans, after-tax contributions and conversions "
                                                              "for the year-end worksheet.")

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data):
        # Schema 1 files keep working: their one person is the taxpayer, and the case's
        # traditional_ira_basis is the taxpayer's Form 8606 line 2.
        return upgrade_v1(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _people(self) -> "Case":
        if self.spouse is not None and self.filing_status is None:
            raise ValueError("give filing_status when the case has a spouse (married_filing_jointly for one return "
                             "with both people's forms)")
        problem = list_fact_years(self.tax_year, self.taxpayer, self.spouse)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def form_count(self) -> int:
        """Every form the case holds, on the return or kept off it for a person (records in = forms + rejected)."""
        return len(self.forms_1099r) + len(self.forms_1099r_awaiting) + len(self.forms_5498) + len(self.forms_w2)

    @property
    def joint(self) -> bool:
        return self.spouse is not None and self.filing_status is not None and self.filing_status.joint

    def person(self, role: Role) -> Person | None:
        return self.taxpayer if role == "taxpayer" else self.spouse

    @property
    def people(self) -> list[tuple[Role, Person]]:
        """The people whose forms are on this return: the spouse only on a joint return."""
        return [("taxpayer", self.taxpayer)] + ([("spouse", self.spouse)] if self.joint else [])


def list_fact_years(tax_year: int, taxpayer: Person | None, spouse: Person | None) -> str | None:
    """Why a person's list facts name a year they cannot, whichever channel wrote them (a case file, a CSV cell,
    --fact): earlier years' Roth conversion layers must be before the tax year (this year's come from its forms),
    recharacterized contributions for the tax year or before."""
    for role, person in (("taxpayer", taxpayer), ("spouse", spouse)):
        ira = person.ira if person is not None else None
        if ira is None:
            continue
        for layer in ira.roth_conversions or []:
            if layer.year >= tax_year:
                return (f"{role}.ira.roth_conversions: {layer.year} is not a year before {tax_year} (this year's "
                        "conversions come from its forms)")
        for moved in ira.recharacterizations or []:
            if moved.for_year > tax_year:
                return f"{role}.ira.recharacterizations: a contribution for {moved.for_year} is after the tax year {tax_year}"
    return None
