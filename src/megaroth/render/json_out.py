"""The stable JSON document of `megaroth report --format json`.

Amounts are strings with two decimals ("10200.00"); a line with no entry is null. Keys are
domain names. TINs are masked unless `reveal_tins`. `schema_version` changes only when a
key changes meaning or disappears.
"""

from __future__ import annotations

import json
from typing import Any

from megaroth import __version__
from megaroth.catalog import resolve_citation
from megaroth.model.case import Case
from megaroth.model.results import Analysis
from megaroth.rules.registry import RULES

JSON_SCHEMA_VERSION = 1


def _dump(model, reveal_tins: bool) -> Any:
    return model.model_dump(mode="json", context={"reveal_tins": reveal_tins})


def _citations(analysis: Analysis) -> dict[str, dict[str, str]]:
    ids: list[str] = []

    def add(cites):
        for cite in cites:
            if cite not in ids:
                ids.append(cite)

    for entry in analysis.lines:
        add(entry.cites)
    for notation in analysis.notations:
        add(notation.cites)
    add(analysis.form_8606.cites)
    add(analysis.form_5329.cites)
    for finding in analysis.findings:
        add(finding.cites)
    for form in analysis.forms:
        for step in form.steps:
            add(RULES[step.rule].cites)
    for person in analysis.people:
        for line in person.form_8606.lines:
            add(line.cites)
        add(person.form_5329.cites)
    result = {}
    for cite in ids:
        citation = resolve_citation(cite, analysis.tax_year)
        result[cite] = {"text": citation.text, "url": citation.url, "confidence": citation.confidence}
    return result


def _form(result, form, reveal_tins: bool) -> dict[str, Any]:
    data = _dump(result, reveal_tins)
    destinations = sorted({p.destination.value for p in result.parts})
    data["earnings"] = data.pop("pretax")
    data["destination"] = destinations[0] if len(destinations) == 1 else ("multiple" if destinations else None)
    data["destinations"] = destinations
    for step in data["steps"]:
        step["cites"] = list(RULES[step["rule"]].cites)
    if form is not None:
        data["payer_tin"] = _dump(form, reveal_tins)["payer_tin"]
        data["recipient_tin"] = _dump(form, reveal_tins)["recipient_tin"]
    return data


def _scans(case: Case) -> list[dict[str, Any]]:
    """Each form read from a scan or photo: every box's reading, its confidence, whether megaroth took it and
    whether a person confirmed it, and the boxes still awaiting confirmation — for a preparer's automation to
    route to review (issue 21)."""
    out = []
    lists = (("1099-R", case.forms_1099r, True), ("1099-R", case.forms_1099r_awaiting, False),
             ("5498", case.forms_5498, True))
    for kind, forms, on_return in lists:
        for form in forms:
            provenance = form.provenance
            if provenance is None or not (provenance.scanned or provenance.awaiting_confirmation):
                continue
            out.append({"form_id": form.id, "form": kind, "file": provenance.file, "locator": provenance.locator,
                        # False: a 1099-R whose box 1 or 7 awaits a person, left out of the return until typed.
                        "on_the_return": on_return,
                        "boxes": {box: value.model_dump(mode="json") for box, value in (provenance.scanned or {}).items()},
                        "awaiting_confirmation": dict(provenance.awaiting_confirmation or {})})
    return out


def _finding(finding, reveal_tins: bool) -> dict[str, Any]:
    """A finding; `fact` only on the ones that are missing facts, `at_stake` on those and on any other that
    says how much of the lines depends on it (a form refused for a box megaroth does not compute)."""
    data = _dump(finding, reveal_tins)
    if data.get("fact") is None:
        data.pop("fact", None)
    if data.get("at_stake") is None:
        data.pop("at_stake", None)
    return data


def _missing(missing) -> dict[str, Any]:
    """A missing fact with the name it is given by (`--fact NAME=VALUE`, a CSV column)."""
    from megaroth.questions.facts import from_path, option_name

    found = from_path(missing.fact)
    return {"fact": missing.fact, "name": option_name(*found) if found else None, "code": missing.code,
            "at_stake": None if missing.at_stake is None else f"{missing.at_stake:.2f}", "message": missing.message}


def analysis_document(analysis: Analysis, case: Case, *, reveal_tins: bool = False) -> dict[str, Any]:
    forms_by_id = {f.id: f for f in case.forms_1099r}
    taxpayer = _dump(case.taxpayer, reveal_tins)
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "megaroth_version": __version__,
        "tax_year": analysis.tax_year,
        "taxpayer": {"name": taxpayer["name"], "tin": taxpayer["tin"]},
        "filing_status": analysis.filing_status,
        **({"spouse": {"name": spouse["name"], "tin": spouse["tin"]}} if (spouse := _dump(case.spouse, reveal_tins)
                                                                         if case.spouse else None) else {}),
        "complete": analysis.complete,
        "lines": {e.key: (None if e.amount is None else f"{e.amount:.2f}") for e in analysis.lines},
        "lines_whole_dollars": {e.key: e.whole_dollars for e in analysis.lines},
        "line_details": [_dump(e, reveal_tins) for e in analysis.lines],
        "notations": [_dump(n, reveal_tins) for n in analysis.notations],
        "statements": [_dump(s, reveal_tins) for s in analysis.statements],
        "form_8606": _dump(analysis.form_8606, reveal_tins),
        "form_5329": _dump(analysis.form_5329, reveal_tins),
        "people": [_dump(p, reveal_tins) for p in analysis.people],
        "clocks": [_dump(c, reveal_tins) for c in analysis.clocks],
        "roth_ira_basis": {
            "line_22": f"{analysis.roth_ira_basis_line_22:.2f}",
            "line_24": f"{analysis.roth_ira_basis_line_24:.2f}",
        },
        "forms": [_form(r, forms_by_id.get(r.form_id), reveal_tins) for r in analysis.forms],
        "missing_facts": [_missing(m) for m in analysis.missing_facts],
        "scans": _scans(case),
        "findings": [_finding(f, reveal_tins) for f in analysis.findings],
        "rollover_matches": [_dump(m, reveal_tins) for m in analysis.rollover_matches],
        "errors": [_dump(e, reveal_tins) for e in analysis.errors],
        "policies": [_dump(p, reveal_tins) for p in analysis.policies],
        "citations": _citations(analysis),
    }


def render_json(analysis: Analysis, case: Case, *, reveal_tins: bool = False, comparison=None, guides=None) -> str:
    document = analysis_document(analysis, case, reveal_tins=reveal_tins)
    if guides is not None:
        document["entry_guides"] = guides.model_dump(mode="json", by_alias=True)
    if comparison is not None:
        document["comparison"] = comparison.model_dump(mode="json")
        document["citations"].update(citations(comparison_cites(comparison), analysis.tax_year))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def comparison_cites(comparison) -> list[str]:
    ids: list[str] = []
    for entry in list(comparison.items) + list(comparison.diagnoses):
        ids += [c for c in entry.cites if c not in ids]
    return ids


def citations(ids: list[str], tax_year: int) -> dict[str, dict[str, str]]:
    result = {}
    for cite in ids:
        citation = resolve_citation(cite, tax_year)
        result[cite] = {"text": citation.text, "url": citation.url, "confidence": citation.confidence}
    return result
