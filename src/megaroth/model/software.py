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
FORM_8606_LINES = ("1", "2", "3", "6", "13", "14", "16", "17", "18")
"""The Form 8606 lines `compare` reads and checks: the backdoor Roth's nondeductible contribution (1),
the basis carried from last year (2), the December 31 value of the IRAs (6, the pro-rata trap), the
nontaxable part (13), the basis carried to next year (14) and Part II (16-18)."""
SPOUSE = "spouse_"
"""On a joint return each spouse files their own Form 8606: the spouse's lines are `spouse_form_8606_line_N`."""
OTHER_ITEMS = ("roth_ira_contributions", "schedule_2_additional_tax")
ITEMS = LINE_ITEMS + FLAG_ITEMS + FORM_8606_ITEMS + OTHER_ITEMS


def form_8606_item(number: str, role: str = "taxpayer") -> str:
    """The item of a person's Form 8606 line: `form_8606_line_1`, `spouse_form_8606_line_1`."""
    return (SPOUSE if role == "spouse" else "") + f"form_8606_line_{number}"


ALL_8606_ITEMS = tuple(form_8606_item(n, r) for r in ("taxpayer", "spouse") for n in FORM_8606_LINES)


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


class Form8606Figures(BaseModel):
    """One Form 8606 found in a software's PDF, before it is known whose it is: the name and SSN
    printed in its header (the comparison matches them with the case's people) and its lines, by
    item `form_8606_line_N`."""

    model_config = _OUT

    where: str
    """"return.pdf pages 3-4"."""
    name: str | None = None
    """The header's words (the name the form is for), as printed."""
    tin: str | None = None
    """The SSN in its header as printed, perhaps masked ("XXX-XX-2002")."""
    figures: dict[str, Figure] = Field(default_factory=dict)


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
    forms_8606: list[Form8606Figures] = Field(default_factory=list)
    """The Forms 8606 of a PDF, each with the name and SSN printed on it (whose it is is decided by
    the comparison, which knows the case's people)."""

    def get(self, item: str) -> Figure | None:
        """A figure; a Form 8606 line of a PDF holding one Form 8606 is that form's."""
        figure = self.figures.get(item)
        if figure is None and len(self.forms_8606) == 1:
            figure = self.forms_8606[0].figures.get(item)
        return figure

    def updated(self, other: "SoftwareFigures") -> "SoftwareFigures":
        """These figures with `other`'s on top (options override a file)."""
        return SoftwareFigures(
            software=other.software or self.software,
            tax_year=other.tax_year or self.tax_year,
            file=", ".join(x for x in (self.file, other.file) if x) or None,
            figures={**self.figures, **other.figures},
            notes=self.notes + other.notes,
            unreadable={k: v for k, v in {**self.unreadable, **other.unreadable}.items()
                        if k not in other.figures and SPOUSE + k not in other.figures},
            forms_8606=self.forms_8606 + other.forms_8606,
        )
