"""Where the IRS's fillable PDFs keep the lines and boxes megaroth reads: the field maps.

The maps are data derived from the IRS's own blank PDFs by `scripts/derive_pdf_maps.py` (the
XFA tooltips, confirmed by the widgets' places next to the printed line numbers); each names
the PDF and its sha256. For each line or box a map gives the field's full name, its page and
rectangle, the label printed next to it and where, a checkbox's on-state, and the ink the blank
form itself draws inside it; and a few anchor words per page, to recognise the page when it is
flattened or printed. `form_map("f1040", 2025)` is the 2025 Form 1040's; None when megaroth has
no PDF of that form and year.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from megaroth.catalog import forms_root, read_toml
from megaroth.errors import CatalogError

FORMS = ("f1040", "f1040s2", "f8606", "f5329")


@dataclass(frozen=True)
class Spot:
    """One field of a form, where the blank form has it."""

    role: str
    name: str
    kind: str
    """"text" or "check"."""
    page: int
    """Page of the form (1-based; a cover sheet does not count)."""
    rect: tuple
    label: str
    """The word printed next to the field: its line or box number, or a caption word."""
    label_side: str
    """"left", "right" or "above" the field."""
    label_at: tuple
    on: str | None = None
    ink: tuple = ()
    """What the blank form draws inside the field (rules, the checkbox's square)."""


@dataclass(frozen=True)
class Anchor:
    page: int
    text: str
    at: tuple


@dataclass(frozen=True)
class FormMap:
    form: str
    tax_year: int
    pdf: str
    sha256: str
    spots: dict[str, Spot]
    anchors: tuple[Anchor, ...]
    printed: tuple[tuple, ...] = ()
    """Every word the blank page prints, (text, x, y), where the map has them (the 1099-R)."""

    def on_page(self, page: int) -> list[Spot]:
        return [s for s in self.spots.values() if s.page == page]

    @property
    def source(self) -> str:
        return f"forms/{self.pdf} (sha256 {self.sha256[:12]}…)"


def _form_map(meta: dict, layout: dict, where: str) -> FormMap:
    try:
        spots = {role: Spot(role=role, name=s["name"], kind=s["kind"], page=int(s["page"]), rect=tuple(s["rect"]),
                            label=s["label"], label_side=s["label_side"], label_at=tuple(s["label_at"]),
                            on=s.get("on"), ink=tuple(tuple(box) for box in s.get("ink", ())))
                 for role, s in layout["fields"].items()}
        anchors = tuple(Anchor(page=int(a["page"]), text=a["text"], at=tuple(a["at"]))
                        for a in layout.get("anchors", ()))
        printed = tuple((str(text), x, y) for text, x, y in layout.get("printed", ()))
        return FormMap(form=meta["form"], tax_year=int(meta["tax_year"]), pdf=meta["pdf"], sha256=meta["sha256"],
                       spots=spots, anchors=anchors, printed=printed)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{where}: {exc!r}") from None


@cache
def form_map(form: str, year: int) -> FormMap | None:
    """The map of a form (f1040, f1040s2, f8606, f5329) of a tax year, or None when there is none."""
    if form not in FORMS:
        raise CatalogError(f"no such form {form!r}")
    name = f"{form}_pdf_fields.toml"
    if not forms_root().joinpath(str(year), name).is_file():
        return None
    data = read_toml(str(year), name)
    return _form_map(data.get("meta", {}), data, f"forms/{year}/{name}")


@cache
def f1099r_layouts() -> tuple[FormMap, ...]:
    """The page layouts of the IRS fillable Form 1099-R revisions megaroth has (their live copy)."""
    layouts = []
    for entry in sorted(forms_root().joinpath("pdf_fields").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            if "layout" in data:
                layouts.append(_form_map(data["meta"], data["layout"], f"forms/pdf_fields/{entry.name}"))
    return tuple(layouts)
