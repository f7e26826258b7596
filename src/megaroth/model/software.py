"""What a user's tax software put on the return: the figures `megaroth compare` checks.

Figures are keyed by item, not by line number, because the line numbers move between tax
years (pensions are 4c/4d in 2019, 5a/5b from 2020). Each figure says where it was read
(an option, a file row, a PDF field or the PDF's text) so a difference can be traced back.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from megaroth.money import OptionalMoney

_OUT = ConfigDict(frozen=True, extra="forbid")

LINE_ITEMS = ("ira_gross", "ira_taxable", "pension_gross", "pension_taxable", "withholding")
"""Form 1040 lines, by role (the year's layout names their numbers)."""
FLAG_ITEMS = ("pension_rollover", "ira_rollover")
"""The rollover marker: the word "Rollover" through 2024, box 1 of line 5c/4c from 2025."""
FORM_8606_ITEMS = ("form_8606_line_16", "form_8606_line_17", "form_8606_line_18")
"""Form 8606 Part II: net amount converted, basis in it, taxable amount."""
OTHER_ITEMS = ("roth_ira_contributions", "schedule_2_additional_tax")
ITEMS = LINE_ITEMS + FLAG_ITEMS + FORM_8606_ITEMS + OTHER_ITEMS


class Figure(BaseModel):
    """One figure of the software's return."""

    model_config = _OUT

    item: str
    amount: OptionalMoney = None
    flag: bool | None = None
    where: str
    """How the user finds it: "--line-5b", "figures.csv row 3", "return.pdf page 1, field …"."""
    uncertain: bool = False
    """Read without confidence (a marker not found in a PDF's text): a difference is only a note."""


class SoftwareFigures(BaseModel):
    """The software's figures for one return."""

    model_config = _OUT

    software: str | None = None
    """The product, when given ("TurboTax Deluxe 2025")."""
    tax_year: int | None = None
    file: str | None = None
    figures: dict[str, Figure] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    """What reading could not do (a Form 8606 page not found, a checkbox not readable)."""
    unreadable: dict[str, str] = Field(default_factory=dict)
    """Items a PDF shows but that could not be read with certainty → the message saying which
    line and which option gives it; never a guessed figure."""

    def get(self, item: str) -> Figure | None:
        return self.figures.get(item)

    def updated(self, other: "SoftwareFigures") -> "SoftwareFigures":
        """These figures with `other`'s on top (options override a file)."""
        return SoftwareFigures(
            software=other.software or self.software,
            tax_year=other.tax_year or self.tax_year,
            file=", ".join(x for x in (self.file, other.file) if x) or None,
            figures={**self.figures, **other.figures},
            notes=self.notes + other.notes,
            unreadable={k: v for k, v in {**self.unreadable, **other.unreadable}.items() if k not in other.figures},
        )
