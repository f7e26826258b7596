"""The entry guides as display strings: each step with its pages ([g1], [g2]… listed after the
guide, apart from the IRS sources) and a word on how it is known. No arithmetic here."""

from __future__ import annotations

from typing import Any

from megaroth import __version__
from megaroth.model.entry_guide import EntryGuides

BASIS_MARKS = {"vendor": "vendor's help page", "second_hand": "second-hand", "inferred": "megaroth's reading",
               "megaroth": ""}
BOX_TITLES = (("box_1", "Box 1"), ("box_2a", "Box 2a"), ("box_4", "Box 4"), ("box_5", "Box 5"), ("box_7", "Box 7"))


def guide_context(guides: EntryGuides) -> dict[str, Any]:
    numbers = {source.id: index for index, source in enumerate(guides.sources, start=1)}

    def step(s) -> dict[str, Any]:
        return {"text": s.text, "mark": BASIS_MARKS[s.basis], "basis": s.basis,
                "refs": [f"g{numbers[x]}" for x in s.sources]}

    products = []
    for guide in guides.guides:
        entries = [{"title": e.title, "situation": e.situation,
                    "boxes": [{"box": title, "value": e.boxes[key]} for key, title in BOX_TITLES if key in e.boxes],
                    "steps": [step(s) for s in e.steps]} for e in guide.entries]
        products.append({"software": guide.software, "title": guide.title, "audience": guide.audience,
                         "where": step(guide.where), "entries": entries,
                         "check": [step(s) for s in guide.check]})
    sources = [{"ref": f"g{numbers[s.id]}", "title": s.title, "publisher": s.publisher, "url": s.url or "",
                "kind": "vendor's help page" if s.vendor else "second-hand: a forum answer or a blog"}
               for s in guides.sources]
    return {"version": __version__, "tax_year": guides.tax_year, "complete": guides.complete,
            "note": guides.note, "products": products,
            "guide_sources": sources}
