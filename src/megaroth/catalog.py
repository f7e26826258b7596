"""The shipped form knowledge in `forms/`: citations, 1099-R boxes, and the tax years.

Everything here is data read from TOML inside the package (`megaroth.forms`), so adding a
tax year is adding a directory. Loading is cached; a malformed catalogue raises
`CatalogError` (a bug in megaroth, not bad user input).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from megaroth.cache import cached_parse
from megaroth.errors import CatalogError
from megaroth.model.results import Citation


def forms_root():
    """The `forms/` directory, installed or editable."""
    return resources.files("megaroth.forms")


def read_toml(*parts: str) -> dict[str, Any]:
    path = forms_root().joinpath(*parts)
    try:
        return cached_parse(path, tomllib.loads)
    except FileNotFoundError:
        raise CatalogError(f"forms/{'/'.join(parts)} is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"forms/{'/'.join(parts)}: {exc}") from None


@cache
def available_years() -> tuple[int, ...]:
    """Tax years with a parameter directory, oldest first."""
    years = []
    for entry in forms_root().iterdir():
        if entry.is_dir() and entry.name.isdigit() and len(entry.name) == 4:
            years.append(int(entry.name))
    return tuple(sorted(years))


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    url: str
    yearly: bool


@dataclass(frozen=True)
class CitationEntry:
    id: str
    doc: str
    where: str
    quote: str | None
    summary: str | None
    confidence: str
    read_in: tuple[int, ...]


CONFIDENCE_WORDS = {
    "P": "read in the primary text",
    "Q": "primary text as quoted by a third party",
    "S": "secondary summary; verify against the primary text",
    "D": "derived by megaroth from the rules cited beside it",
}


@cache
def bibliography() -> tuple[dict[str, Document], dict[str, CitationEntry]]:
    data = read_toml("citations.toml")
    docs = {
        key: Document(id=key, title=value["title"], url=value["url"], yearly=bool(value.get("yearly", False)))
        for key, value in data.get("docs", {}).items()
    }
    cites = {}
    for key, value in data.get("cite", {}).items():
        if value.get("doc") not in docs:
            raise CatalogError(f"citation {key!r} names unknown document {value.get('doc')!r}")
        if not value.get("quote") and not value.get("summary"):
            raise CatalogError(f"citation {key!r} has neither quote nor summary")
        if value.get("confidence") not in CONFIDENCE_WORDS:
            raise CatalogError(f"citation {key!r} has no valid confidence mark")
        cites[key] = CitationEntry(
            id=key,
            doc=value["doc"],
            where=value["where"],
            quote=value.get("quote"),
            summary=value.get("summary"),
            confidence=value["confidence"],
            read_in=tuple(value.get("read_in", ())),
        )
    return docs, cites


@cache
def citation_ids() -> frozenset[str]:
    return frozenset(bibliography()[1])


@cache
def resolve_citation(cite_id: str, tax_year: int) -> Citation:
    """The citation as printed for a tax year: yearly documents resolve to that edition (resolved
    once per id and year: a batch prints the same few dozen on every worksheet)."""
    docs, cites = bibliography()
    try:
        entry = cites[cite_id]
    except KeyError:
        raise CatalogError(f"unknown citation id {cite_id!r}") from None
    doc = docs[entry.doc]
    title = f"{doc.title} ({tax_year})" if doc.yearly else doc.title
    url = doc.url.format(year=tax_year) if doc.yearly else doc.url
    edition_note = None
    if doc.yearly and entry.read_in and tax_year not in entry.read_in:
        editions = " and ".join(str(y) for y in entry.read_in)
        edition_note = f"wording read in the {editions} edition"
    return Citation(
        id=cite_id,
        text=f"{title}, {entry.where}",
        url=url,
        confidence=entry.confidence,
        quote=entry.quote,
        summary=entry.summary,
        edition_note=edition_note,
    )


@dataclass(frozen=True)
class BoxInfo:
    field: str
    number: str
    caption: str
    kind: str
    layouts: tuple[str, ...] | None = None
    """The layouts that print the box (None: every layout)."""

    def printed_on(self, layout: str) -> bool:
        return self.layouts is None or layout in self.layouts


@dataclass(frozen=True)
class BoxLayout:
    name: str
    title: str
    verified: bool
    source: str | None


@cache
def boxes() -> dict[str, BoxInfo]:
    data = read_toml("f1099r_boxes.toml")
    return {
        name: BoxInfo(field=name, number=value["number"], caption=value["caption"], kind=value["kind"],
                      layouts=tuple(value["layouts"]) if "layouts" in value else None)
        for name, value in data["boxes"].items()
    }


@cache
def box_layout(name: str) -> BoxLayout:
    """A Form 1099-R layout (a range of revisions) and whether megaroth read it from the IRS's form."""
    value = read_toml("f1099r_boxes.toml")["layouts"][name]
    return BoxLayout(name=name, title=value["title"], verified=bool(value.get("verified", False)),
                     source=value.get("source"))


@cache
def box_layouts() -> dict[str, dict[str, str]]:
    data = read_toml("f1099r_boxes.toml")
    return {name: dict(value.get("renumber", {})) for name, value in data["layouts"].items()}


@cache
def _boxes_5498() -> dict[str, tuple[str, str]]:
    data = read_toml("f5498_layout.toml")["boxes"]
    return {name: (spec["number"], spec["caption"]) for name, spec in data.items() if "caption" in spec}


def box_label_5498(field: str) -> str:
    """"box 2 (Rollover contributions)": a Form 5498 box as the form prints it (its four box 7 checkboxes are box 7)."""
    base = "box_7" if field.startswith("box_7_") else field
    if base not in _boxes_5498():
        return field
    number, caption = _boxes_5498()[base]
    return f"box {number} ({caption})"


def box_label(field: str, layout: str = "ty2020") -> str:
    """"box 2a (Taxable amount)" in the numbering of the form's layout."""
    base = field.split(".")[0].split("[")[0]
    info = boxes().get(base)
    if info is None:
        return field
    number = box_layouts().get(layout, {}).get(base, info.number)
    return f"box {number} ({info.caption})"
