"""The request for corrected forms (`megaroth letter`): for each form the checks found wrong,
what it says, what it should say and why, with the instructions cited; and what to do if its
issuer will not correct it. An output type; TINs are already masked (or revealed on request)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from megaroth.model.output import OUT, Output

from megaroth.model.results import EntryPart

_OUT = ConfigDict(**OUT, populate_by_name=True)

LETTER_SCHEMA = "megaroth/letter"
LETTER_VERSION = 1


class PrintedBox(Output):
    model_config = _OUT

    box: str
    label: str
    value: str


class BoxFix(Output):
    """One box as printed and as it should be."""

    model_config = _OUT

    box: str
    label: str
    printed: str
    should_be: str


class Problem(Output):
    model_config = _OUT

    code: str
    box: str
    message: str
    """What is wrong, as the issuer reads it (the finding's title)."""
    detail: str
    """The finding as megaroth reported it to the user, with the amounts."""
    ask: str
    cites: list[str]


class CorrectionRequest(Output):
    """One form to be corrected, addressed to whoever issued it."""

    model_config = _OUT

    to: Literal["payer", "trustee"]
    issuer: str | None = None
    issuer_tin: str = ""
    form: Literal["1099-R", "5498"]
    form_id: str
    tax_year: int
    account_number: str | None = None
    recipient: str | None = None
    recipient_tin: str = ""
    printed: list[PrintedBox]
    problems: list[Problem]
    fixes: list[BoxFix] = Field(default_factory=list)
    """The boxes megaroth's figures say should change (empty when they depend on the issuer's records)."""
    split: list[EntryPart] = Field(default_factory=list)
    """The separate forms requested instead of this one (one per destination), when asked."""
    statement: str
    """The explanation to attach to the return if the form is not corrected in time."""


class LetterDocument(Output):
    model_config = _OUT

    schema_: Literal["megaroth/letter"] = Field(default=LETTER_SCHEMA, alias="schema")
    schema_version: Literal[1] = LETTER_VERSION
    tax_year: int
    taxpayer_name: str | None = None
    requests: list[CorrectionRequest]
    if_not_corrected: list[str]
    """What to do when the issuer does not correct the form (Form 4852, or an explanation statement)."""
    cites: list[str]
