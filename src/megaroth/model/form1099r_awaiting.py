"""A Form 1099-R read from a scan or photo whose box 1 or box 7 a person must still read off the paper.

Every Form 1099-R has a gross distribution (box 1) and a distribution code (box 7): the model of a form
on the return requires both. A scan that cannot confirm one of them used to refuse the whole form ("type
it into a case file"), which left a person holding a photo with nothing to answer. Such a form is kept
instead, in the case's `forms_1099r_awaiting`, with the box left blank and listed in its provenance's
`awaiting_confirmation` (what was read and why it was not taken). It is never on the return: the report
leaves it out and says so as an error (the result is incomplete), and the interview asks the box like
any other box a scan left unconfirmed. Once both boxes are answered the form moves to `forms_1099r`.

A blank box here is never a value: a guessed code or amount would be a silently wrong return.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from megaroth.model.codes import DistributionCodes
from megaroth.model.form1099r import Form1099R
from megaroth.money import OptionalMoney

REQUIRED_BOXES = ("box_1", "box_7")
"""The boxes every Form 1099-R shows (Instructions for Forms 1099-R and 5498, "Box 1. Gross Distribution",
"Box 7. Distribution Code(s)"): a form lacking one of them cannot be on the return."""


class AwaitingForm1099R(Form1099R):
    """A scanned Form 1099-R whose box 1 or box 7 awaits a person: left out of the return until confirmed."""

    box_1: OptionalMoney = Field(default=None, description="Gross distribution; blank while a person must "
                                 "read it off the paper form (then listed in provenance.awaiting_confirmation).")
    box_7: DistributionCodes | None = Field(default=None, description="Distribution code(s); blank while a "
                                            "person must read them off the paper form.")

    @model_validator(mode="after")
    def _awaits_what_it_lacks(self) -> "AwaitingForm1099R":
        awaiting = (self.provenance.awaiting_confirmation if self.provenance is not None else None) or {}
        lacking = [box for box in REQUIRED_BOXES if getattr(self, box) is None]
        unsaid = [box for box in lacking if box not in awaiting]
        if unsaid:
            raise ValueError(f"{', '.join(unsaid)} is blank but not awaiting confirmation: a Form 1099-R always "
                             "shows boxes 1 and 7 (type the box, or list it in provenance.awaiting_confirmation)")
        return self

    @property
    def awaited(self) -> list[str]:
        """The required boxes still blank (what keeps the form off the return)."""
        return [box for box in REQUIRED_BOXES if getattr(self, box) is None]

    def on_the_return(self) -> Form1099R:
        """The form once both boxes are typed (a person editing the case file need not move it by hand)."""
        return Form1099R.model_validate(self.model_dump(exclude_none=True))


def awaits_required(values: dict, awaiting: dict) -> bool:
    """Whether a form as read (model field → value) lacks box 1 or box 7 because a person must read it."""
    return any(values.get(box) in (None, "") and box in awaiting for box in REQUIRED_BOXES)
