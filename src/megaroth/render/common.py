"""What every rendered document shares: the numbered bibliography, TINs as shown, findings rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from megaroth.catalog import CONFIDENCE_WORDS, box_label, box_label_5498, resolve_citation
from megaroth.model.results import SEVERITY_ORDER, Analysis


@dataclass
class Bibliography:
    """Citation ids numbered in order of first use."""

    tax_year: int
    order: list[str] = field(default_factory=list)
    _numbers: dict[str, int] = field(init=False, repr=False)
    """Each id's number (a worksheet asks for its thirty-odd sources a hundred times)."""

    def __post_init__(self) -> None:
        self._numbers = {cite_id: number for number, cite_id in enumerate(self.order, start=1)}

    def refs(self, cite_ids) -> list[int]:
        numbers = []
        for cite_id in cite_ids:
            number = self._numbers.get(cite_id)
            if number is None:
                self.order.append(cite_id)
                number = self._numbers[cite_id] = len(self.order)
            if number not in numbers:
                numbers.append(number)
        return numbers

    def entries(self) -> list[dict[str, Any]]:
        result = []
        for number, cite_id in enumerate(self.order, start=1):
            citation = resolve_citation(cite_id, self.tax_year)
            result.append({
                "number": number, "id": cite_id, "text": citation.text, "url": citation.url,
                "quote": citation.quote, "summary": citation.summary,
                "confidence": citation.confidence,
                "confidence_words": CONFIDENCE_WORDS[citation.confidence]
                + (f"; {citation.edition_note}" if citation.edition_note else ""),
            })
        return result


def tin_text(tin, reveal: bool) -> str:
    if tin is None:
        return ""
    return tin.reveal() if reveal else tin.masked()


def findings_context(analysis: Analysis, bib: Bibliography, layout, *, notes: bool = True) -> list[dict[str, Any]]:
    """The findings as display rows, errors first; without the notes (info) when `notes` is False."""
    # The 1099-Rs: those on the return, and those a scan left off it until a person reads box 1 or 7.
    forms_1099r = {r.form_id for r in analysis.forms} | {f.form_id for f in analysis.findings
                                                        if f.code == "scan.form_awaiting_box"}

    def label(f) -> str:
        # A box of a form that is not one of the 1099-Rs is a Form 5498's when its finding is about a 5498
        # (its checks, a scanned box to confirm): named by the 5498's own captions, not the 1099-R's.
        if not f.box:
            return ""
        if f.form_id and f.form_id not in forms_1099r and (f.code.startswith("f5498.") or f.code.startswith("scan.")):
            return box_label_5498(f.box)
        return box_label(f.box, layout)

    return [{
        "severity": f.severity.value, "code": f.code, "message": f.message, "form": f.form_id or "",
        "box": label(f), "refs": bib.refs(f.cites),
    } for f in sorted(analysis.findings, key=lambda f: SEVERITY_ORDER[f.severity])
        if notes or f.severity.value != "info"]
