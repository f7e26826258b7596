"""Render a comparison with tax software: alone (`megaroth compare`) or as a worksheet section.

Display strings only; no arithmetic beyond formatting the amounts the comparison holds.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from megaroth import __version__
from megaroth.model.case import Case
from megaroth.model.compare import Comparison
from megaroth.model.results import Analysis

STATUS_TEXT = {"agree": "agrees", "differs": "DIFFERS", "note": "note", "not_given": "not given",
               "not_read": "not read"}
FIT_TEXT = {
    "all": "reproduces every figure the software gave",
    "some": "reproduces this line only",
    "possible": "a usual cause; not reproduced",
}
ITEM_NAMES = {"roth_ira_contributions": "Roth IRA contributions"}


def _signed(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    if abs(amount) < Decimal("0.005"):
        return "0"
    sign = "+" if amount > 0 else "−"
    text = f"{abs(amount):,.2f}".removesuffix(".00")
    return f"{sign}{text}"


def comparison_context(comparison: Comparison, bib) -> dict[str, Any]:
    """The comparison as display strings; citations numbered in the worksheet's bibliography."""
    numbers = {d.key: index for index, d in enumerate(comparison.diagnoses, start=1)}
    lines = {i.item: (i.line if i.kind == "flag" or " " in i.line else f"line {i.line}") for i in comparison.items}
    items = []
    for item in comparison.items:
        if item.status == "not_given":
            continue
        items.append({
            "line": item.line, "label": item.label, "expected": item.expected_text,
            "software": item.software_text, "difference": _signed(item.difference) if item.kind == "money" else "",
            "status": item.status, "status_text": STATUS_TEXT[item.status], "where": item.where or "",
            "note": item.note or "", "diagnoses": ", ".join(f"#{numbers[k]}" for k in item.diagnoses if k in numbers),
            "refs": bib.refs(item.cites),
        })
    diagnoses = [{
        "number": numbers[d.key], "title": d.title, "explanation": d.explanation, "fix": d.fix,
        "fit": d.fit, "fit_text": FIT_TEXT[d.fit], "rule": d.rule,
        "lines": ", ".join(lines.get(i, i) for i in d.items), "refs": bib.refs(d.cites),
    } for d in comparison.diagnoses]
    not_given = [i.line for i in comparison.items if i.status == "not_given"]
    return {
        "software": comparison.software or "the tax software",
        "file": comparison.file or "",
        "agree": comparison.agree,
        "whole_dollars": comparison.whole_dollars,
        "complete": comparison.complete,
        "items": items,
        "diagnoses": diagnoses,
        "not_given": ", ".join(not_given),
        "notes": comparison.notes,
        "differs": sum(1 for i in comparison.items if i.status == "differs"),
        "compared": sum(1 for i in comparison.items if i.status != "not_given"),
    }


def compare_context(comparison: Comparison, analysis: Analysis, case: Case, *,
                    reveal_tins: bool = False) -> dict[str, Any]:
    """The comparison alone as display strings (Markdown, HTML and PDF)."""
    from megaroth.params import load_year
    from megaroth.render.common import Bibliography, findings_context, tin_text

    bib = Bibliography(tax_year=comparison.tax_year)
    params = load_year(comparison.tax_year)
    context = {
        "version": __version__,
        "tax_year": comparison.tax_year,
        "form_title": params.f1040.meta.form,
        "taxpayer_name": case.taxpayer.name or "",
        "taxpayer_tin": tin_text(case.taxpayer.tin, reveal_tins),
        "comparison": comparison_context(comparison, bib),
        # The same errors and warnings `report` shows: a comparison that agrees can still rest on a
        # 1099-R whose destination or taxable amount is not known.
        "findings": findings_context(analysis, bib, params.f1040.meta.f1099r_layout, notes=False),
    }
    context["bibliography"] = bib.entries()
    return context


def render_compare(comparison: Comparison, analysis: Analysis, case: Case, fmt: str = "md", *,
                   reveal_tins: bool = False) -> str:
    """The comparison alone: Markdown, HTML or JSON."""
    if fmt == "json":
        return json.dumps(comparison_document(comparison, analysis), indent=2, ensure_ascii=False) + "\n"
    from megaroth.render.env import render_template

    return render_template(f"compare.{fmt}.j2", compare_context(comparison, analysis, case, reveal_tins=reveal_tins))


def comparison_document(comparison: Comparison, analysis: Analysis) -> dict[str, Any]:
    from megaroth.render.json_out import JSON_SCHEMA_VERSION, citations, comparison_cites

    document = comparison.model_dump(mode="json")
    findings = [f.model_dump(mode="json") for f in analysis.findings if f.severity.value != "info"]
    return {"schema_version": JSON_SCHEMA_VERSION, "megaroth_version": __version__, **document,
            "findings": findings,
            "citations": citations(comparison_cites(comparison) + [c for f in analysis.findings for c in f.cites],
                                   comparison.tax_year)}
