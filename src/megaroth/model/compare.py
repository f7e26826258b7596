"""What `compare` produces: megaroth's figures beside the software's, and why they differ."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from megaroth.model.output import OUT, Output

from megaroth.money import OptionalMoney

_OUT = OUT

Status = Literal["agree", "differs", "note", "not_given", "not_read"]
"""agree: within the tolerance; differs: the software is wrong unless the case is incomplete;
note: different, but not wrong in itself (another 1099's withholding on line 25b, a marker the
PDF reader could not see); not_given / not_read: nothing to compare."""


class ComparedItem(Output):
    """One figure side by side."""

    model_config = _OUT

    item: str
    line: str
    """Where it is on the return: "5b", "5c box 1", "Form 8606 line 18", "Schedule 2 line 8"."""
    label: str
    kind: Literal["money", "flag"]
    expected: OptionalMoney = None
    expected_flag: bool | None = None
    expected_text: str
    software: OptionalMoney = None
    software_flag: bool | None = None
    software_text: str
    difference: Decimal | None = None
    """Software minus expected."""
    status: Status
    where: str | None = None
    """Where the software's figure was read."""
    note: str | None = None
    diagnoses: list[str] = Field(default_factory=list)
    """Keys of the diagnoses that explain this item."""
    cites: list[str] = Field(default_factory=list)


class Diagnosis(Output):
    """The most likely cause of a difference, in plain words, with its rule and the fix."""

    model_config = _OUT

    key: str
    rule: str
    title: str
    explanation: str
    fix: str
    """What to change in the software's interview."""
    fit: Literal["all", "some", "possible"]
    """all: reproduces every figure the software gave; some: reproduces the figures in `items`;
    possible: a usual cause of a difference in that direction, not reproduced."""
    items: list[str]
    form_ids: list[str] = Field(default_factory=list)
    amount: OptionalMoney = None
    """The size of the mistake on the line it affects most."""
    cites: list[str]


class Comparison(Output):
    model_config = _OUT

    tax_year: int
    software: str | None = None
    file: str | None = None
    whole_dollars: bool = True
    """megaroth's lines compared rounded to whole dollars, as filed (False: in dollars and cents)."""
    agree: bool
    complete: bool
    """False when megaroth could not compute every form or lacks a fact the tax depends on: its own figures
    miss something."""
    items: list[ComparedItem]
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def item(self, key: str) -> ComparedItem | None:
        for entry in self.items:
            if entry.item == key:
                return entry
        return None
