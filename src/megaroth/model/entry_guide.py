"""Entry guides (`megaroth guide`, `report --guide`): what to type into a tax product for the result
megaroth computed. An output type: every step says which pages it comes from and how it is known."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from megaroth.model.output import OUT, Output
from pydantic import ConfigDict

_OUT = ConfigDict(**OUT)

GUIDE_SCHEMA = "megaroth/entry-guide"
GUIDE_VERSION = 1

BASIS_TITLES = {
    "vendor": "from the vendor's help page",
    "second_hand": "second-hand (a forum answer or a blog, not the vendor)",
    "inferred": "megaroth's reading of the cited pages (they do not say it in so many words)",
    "megaroth": "megaroth's result, to check against",
}


class GuideStep(Output):
    model_config = _OUT

    text: str
    basis: Literal["vendor", "second_hand", "inferred", "megaroth"]
    sources: list[str] = Field(default_factory=list)
    """Ids of the pages in EntryGuides.sources."""


class GuideEntry(Output):
    """One thing to key: a 1099-R (or one part of a split one), or a person's IRA contribution."""

    model_config = _OUT

    form_id: str | None = None
    owner: Literal["taxpayer", "spouse"] = "taxpayer"
    part: int | None = None
    parts: int | None = None
    situation: str
    title: str
    boxes: dict[str, str] = Field(default_factory=dict)
    steps: list[GuideStep] = Field(default_factory=list)


class SoftwareGuide(Output):
    model_config = _OUT

    software: str
    title: str
    audience: str
    where: GuideStep
    entries: list[GuideEntry]
    check: list[GuideStep]
    """What the product's return must show afterwards (megaroth's own lines)."""


class GuideSource(Output):
    model_config = _OUT

    id: str
    title: str
    url: str | None = None
    publisher: str
    vendor: bool


class EntryGuides(Output):
    model_config = ConfigDict(**OUT, populate_by_name=True)

    schema_: Literal["megaroth/entry-guide"] = Field(default=GUIDE_SCHEMA, alias="schema")
    schema_version: Literal[1] = GUIDE_VERSION
    tax_year: int
    complete: bool = True
    """False when a 1099-R could not be read or computed: the guide leaves it out and is not final."""
    note: str
    guides: list[SoftwareGuide]
    sources: list[GuideSource]
