"""Build the worksheet's template context from an analysis. No arithmetic here.

Every amount shown is an amount the analysis computed; every number of the worksheet is
followed by the sources of the rule that produced it, numbered in order of first use and
listed at the end. Templates only lay this context out.
"""

from __future__ import annotations

from typing import Any

from megaroth import __version__
from megaroth.catalog import box_label, boxes
from megaroth.model.case import Case
from megaroth.model.tax_return import FILING_STATUS_TITLES
from megaroth.model.form1099r import DESTINATION_TITLES, Form1099R
from megaroth.model.results import Analysis, FormResult
from megaroth.money import money_text
from megaroth.params import load_year
from megaroth.render.common import Bibliography, findings_context, tin_text
from megaroth.rules.registry import RULES


def scan_origin(form, field: str) -> str:
    """How a box of a form read from a scan came to hold its value, said beside it: read by OCR (with the engine's
    confidence) and taken, or typed by a person from the paper form; "" for a form not scanned (issue 21: the
    worksheet says which numbers came from a scan)."""
    scanned = form.provenance.scanned if form.provenance is not None else None
    if not scanned:
        return ""
    entry = scanned.get(field)
    if entry is not None and entry.confirmed:
        return " (typed from the paper form)"
    if entry is not None and entry.accepted:
        return f" (read from the scan, {entry.confidence:.0%})"
    return ""


def printed_boxes(form: Form1099R, layout: str, reveal_tins: bool) -> list[dict[str, str]]:
    """The form's non-blank boxes, labelled in the numbering of its year's layout; on a scanned form each says
    whether it was read by OCR or typed by a person."""
    rows = []
    if form.provenance is not None:
        where = ", ".join(x for x in (form.provenance.file, form.provenance.locator) if x)
        rows.append({"box": "Read from", "value": f"{where} ({form.provenance.importer})"})
    identity = [
        ("Payer", form.payer_name, "payer_block"), ("Payer's address", form.payer_address, ""),
        ("Payer's TIN", tin_text(form.payer_tin, reveal_tins), "payer_tin"),
        ("Recipient", form.recipient_name, "recipient_name"), ("Recipient's address", form.recipient_address, ""),
        ("Recipient's TIN", tin_text(form.recipient_tin, reveal_tins), "recipient_tin"),
        ("Account number", form.account_number, "account_number"),
    ]
    for label, value, field in identity:
        if value:
            rows.append({"box": label, "value": str(value) + scan_origin(form, field)})
    if form.corrected:
        rows.append({"box": "CORRECTED", "value": "checked"})
    if form.void:
        rows.append({"box": "VOID", "value": "checked"})
    for name, info in boxes().items():
        field_name = {"box_12": "box_12_fatca"}.get(name, name)
        if name in ("box_14", "box_15", "box_16", "box_17", "box_18", "box_19"):
            continue
        value = getattr(form, field_name, None)
        if value is None or value is False or value == "":
            continue
        if info.kind == "money":
            text = money_text(value)
        elif info.kind == "flag":
            text = "checked"
        elif info.kind == "percent":
            text = f"{value}%"
        else:
            text = str(value)
        rows.append({"box": box_label(name, layout), "value": text + scan_origin(form, field_name)})
    for index, row in enumerate(form.state, start=1):
        for name in ("box_14", "box_15", "box_16"):
            value = getattr(row, name)
            if value is not None:
                text = money_text(value) if name != "box_15" else value
                rows.append({"box": f"{box_label(name, layout)}, row {index}", "value": text})
    for index, row in enumerate(form.local, start=1):
        for name in ("box_17", "box_18", "box_19"):
            value = getattr(row, name)
            if value is not None:
                text = money_text(value) if name != "box_18" else value
                rows.append({"box": f"{box_label(name, layout)}, row {index}", "value": text})
    return rows


def _form_context(result: FormResult, form: Form1099R | None, layout: str, bib: Bibliography,
                  reveal_tins: bool) -> dict[str, Any]:
    steps = []
    for step in result.steps:
        rule = RULES[step.rule]
        steps.append({
            "name": step.name, "description": step.description,
            "result": money_text(step.result) if step.result is not None else "",
            "rule": rule.id, "rule_title": rule.title, "refs": bib.refs(rule.cites),
        })
    parts = [{
        "destination": DESTINATION_TITLES[p.destination], "amount": money_text(p.amount),
        "how": "60-day rollover" if p.within_60_days else ("kept" if not p.destination.is_rollover else "direct rollover"),
        "basis": money_text(p.basis), "pretax": money_text(p.pretax), "taxable": money_text(p.taxable),
    } for p in result.parts]
    split = [{
        "destination": DESTINATION_TITLES[s.destination], "box_1": money_text(s.box_1),
        "box_2a": money_text(s.box_2a), "box_4": money_text(s.box_4), "box_5": money_text(s.box_5), "box_7": s.box_7,
    } for s in result.entry_split]
    return {
        "id": result.form_id,
        "payer": result.payer_name or "",
        "box_7": result.box_7,
        "account": {"plan": "plan (non-Roth account)", "designated_roth": "designated Roth account",
                    "ira": "traditional, SEP or SIMPLE IRA", "roth_ira": "Roth IRA"}[result.account]
        + (f" · Owner: {result.owner}" if result.owner == "spouse" else ""),
        "treatment": result.treatment_title,
        "computed": result.status == "computed",
        "unsupported_reason": result.unsupported_reason or "",
        "boxes": printed_boxes(form, layout, reveal_tins) if form else [],
        "gross": money_text(result.gross),
        "basis": money_text(result.basis, blank="unknown"),
        "earnings": money_text(result.pretax, blank="unknown"),
        "taxable": money_text(result.taxable, blank="not computed"),
        "summary_line": _summary_line(result),
        "parts": parts,
        "split": split,
        "steps": steps,
        "marker_policy": result.marker_policy or "",
    }


def _summary_line(result: FormResult) -> str:
    """One sentence: what the distribution was made of, in the words a preparer would use."""
    taxable = f"taxable {money_text(result.taxable, blank='not computed')}."
    gross = f"Gross {money_text(result.gross)}"
    if result.basis is not None and result.pretax is not None:
        return (f"{gross} = after-tax basis {money_text(result.basis)} + pretax money (earnings) "
                f"{money_text(result.pretax)}; {taxable}")
    if result.account == "roth_ira":
        # A Roth IRA's basis is the owner's, not the form's: Form 8606 Part III orders it.
        return f"{gross}; any taxable part is figured on Form 8606 Part III from your Roth IRA basis; {taxable}"
    if result.basis is not None:
        return f"{gross} = after-tax basis {money_text(result.basis)} + the rest; {taxable}"
    return (f"{gross}; the after-tax part is not known (box 5 blank and box 2a not determined, or not "
            f"reported); {taxable}")


F8606_STATUS = {"computed": "computed line by line", "not_needed": "not needed", "not_computed": "NOT computed"}
LINE_ROLE_TITLES = {"ira_gross": "4a", "ira_taxable": "4b", "pension_gross": "pensions", "pension_taxable": "pensions, taxable",
                    "withholding": "withholding"}


MATCH_STATUS = {"matched": "Matched", "next_year": "On next year's Form 5498", "missing": "MISSING",
                "different": "DIFFERENT", "not_given": "No Form 5498 given", "no_1099r": "No 1099-R behind it",
                "box_differs": "Right total, other box", "in_kind": "In kind: value when received",
                "ineligible": "Shown, but part NOT ELIGIBLE (excess)"}
F5498_BOXES = [
    ("box_1", "1 IRA contributions"), ("box_2", "2 Rollover contributions"), ("box_3", "3 Roth IRA conversion amount"),
    ("box_4", "4 Recharacterized contributions"), ("box_5", "5 FMV of account"), ("box_8", "8 SEP contributions"),
    ("box_9", "9 SIMPLE contributions"), ("box_10", "10 Roth IRA contributions"), ("box_12b", "12b RMD amount"),
    ("box_13a", "13a Postponed/late contrib."), ("box_14a", "14a Repayments"), ("box_15a", "15a FMV of certain specified assets"),
]


def _matches_context(analysis: Analysis, bib: Bibliography) -> list[dict[str, Any]]:
    def amounts(by_box: dict) -> str:
        return ", ".join(f"box {box} {money_text(amount)}" for box, amount in by_box.items()) or "—"
    return [{
        "owner": m.owner, "kind": {"traditional_ira": "Traditional IRA", "roth_ira": "Roth IRA"}[m.kind],
        "account": m.account or "", "year": m.year,
        "from": ", ".join(f"{d.form_id} {money_text(d.amount)} ({d.how.replace('_', ' ')}"
                          + (f", {d.date}" if d.date else "") + ")" for d in m.deposits) or "—",
        "expected": amounts(m.expected), "forms": ", ".join(m.forms_5498) or "—", "shown": amounts(m.shown),
        "status": MATCH_STATUS[m.status], "ok": m.status == "matched", "explanation": m.explanation,
        "refs": bib.refs(m.cites),
    } for m in analysis.rollover_matches]


def _forms_5498_context(case: Case, reveal_tins: bool) -> list[dict[str, Any]]:
    out = []
    for form in case.forms_5498:
        rows = []
        if form.provenance is not None:
            where = ", ".join(x for x in (form.provenance.file, form.provenance.locator) if x)
            rows.append({"box": "Read from", "value": f"{where} ({form.provenance.importer})"})
        for label, value, field in (("Tax year", form.tax_year, ""), ("Trustee", form.trustee_name, "trustee_block"),
                                    ("Trustee's TIN", tin_text(form.trustee_tin, reveal_tins), "trustee_tin"),
                                    ("Participant", form.participant_name, "participant_name"),
                                    ("Participant's TIN", tin_text(form.participant_tin, reveal_tins), "participant_tin"),
                                    ("Account number", form.account_number, "account_number")):
            if value:
                rows.append({"box": label, "value": str(value) + scan_origin(form, field)})
        kinds = [name for flag, name in ((form.box_7_ira, "IRA"), (form.box_7_sep, "SEP"), (form.box_7_simple, "SIMPLE"),
                                         (form.box_7_roth_ira, "Roth IRA")) if flag]
        for name, label in F5498_BOXES:
            value = getattr(form, name)
            if value is not None:
                rows.append({"box": label, "value": money_text(value) + scan_origin(form, name)})
            if name == "box_5" and kinds:
                rows.append({"box": "7 Kind of IRA", "value": ", ".join(kinds) + scan_origin(form, "box_7")})
        for name, label in (("box_11", "11 RMD next year"), ("box_12a", "12a RMD date"), ("box_13b", "13b Year"),
                            ("box_13c", "13c Code"), ("box_14b", "14b Code"), ("box_15b", "15b Code(s)")):
            value = getattr(form, name)
            if value:
                rows.append({"box": label, "value": ("checked" if value is True else str(value)) + scan_origin(form, name)})
        out.append({"id": form.id, "trustee": form.trustee_name or "", "boxes": rows})
    return out


def _people_context(analysis: Analysis, case: Case, bib: Bibliography, reveal_tins: bool) -> list[dict[str, Any]]:
    """Each person's Form 8606 (line by line), Form 5329 and share of the lines."""
    params = load_year(analysis.tax_year)
    people = []
    for person in analysis.people:
        f8606 = person.form_8606
        label = person.name or ("Spouse" if person.role == "spouse" else "Taxpayer")
        lines = [{
            "line": l.line.replace("-box", " (box)"), "label": l.label, "amount": money_text(l.amount) if l.amount is not None
            else (l.text or ""), "whole_dollars": f"{int(l.whole_dollars):,}" if l.whole_dollars is not None else "",
            "description": l.description, "refs": bib.refs(l.cites)} for l in f8606.lines]
        shares = {params.f1040.lines.model_dump()[role]["line"]: money_text(amount)
                  for role, amount in person.totals.items() if amount}
        people.append({
            "role": person.role, "label": label, "status": F8606_STATUS[f8606.status], "summary": f8606.summary,
            "parts": ", ".join(f8606.parts), "lines": lines, "worksheet_1_1": f8606.worksheet_1_1,
            "basis_next": money_text(f8606.traditional_basis_next_year) if f8606.traditional_basis_next_year is not None
            else "", "form_5329": person.form_5329.summary, "form_5329_refs": bib.refs(person.form_5329.cites),
            "shares": ", ".join(f"line {k} {v}" for k, v in shares.items()),
            "forms": ", ".join(person.forms),
            "excess": [{
                "part": part.part, "title": "traditional IRAs" if part.kind == "traditional_ira" else "Roth IRAs",
                "lines": [{"line": n, "amount": money_text(v)} for n, v in part.lines.items()],
                "tax": money_text(part.tax), "carried": money_text(part.carried) if part.carried else "",
                "remove_by": part.remove_by or "", "notes": part.notes, "refs": bib.refs(part.cites),
                "schedule_2_line": params.f1040.schedule_2.excess_line().line,
            } for part in person.excess_contributions],
        })
    return people


def build_context(analysis: Analysis, case: Case, *, reveal_tins: bool = False,
                  comparison=None) -> dict[str, Any]:
    """Everything the worksheet templates show, as display strings."""
    params = load_year(analysis.tax_year)
    layout = params.f1040.meta.f1099r_layout
    bib = Bibliography(tax_year=analysis.tax_year)
    forms_by_id = {f.id: f for f in case.forms_1099r}

    findings = findings_context(analysis, bib, layout)

    lines = []
    for entry in analysis.lines:
        lines.append({
            "key": entry.key, "label": entry.label,
            "amount": money_text(entry.amount, blank="(no entry)"),
            "whole_dollars": f"{int(entry.whole_dollars):,}" if entry.whole_dollars is not None else "",
            "sources": ", ".join(f"{s.form_id} {money_text(s.amount)}" for s in entry.sources),
            "note": entry.note or "", "blank": entry.amount is None,
            "refs": bib.refs(entry.cites) if entry.amount is not None or entry.sources else [],
        })
    notations = [{
        "instruction": n.instruction, "forms": ", ".join(n.forms), "refs": bib.refs(n.cites), "kind": n.kind,
        "line": n.line, "box": n.box or "", "text": n.text,
    } for n in analysis.notations]
    statements = [{"line": s.line, "text": s.text, "refs": bib.refs(s.cites)} for s in analysis.statements]
    verdict = analysis.form_8606
    form_8606 = {
        "status": {"does_not_apply": "Does not apply", "carry_basis": "Not filed now; carry basis forward",
                   "applies": "Applies", "depends": "Depends on where the money went"}[verdict.status],
        "summary": verdict.summary, "reasons": verdict.reasons, "parts": ", ".join(verdict.parts),
        "carry": money_text(verdict.ira_basis_to_carry) if verdict.ira_basis_to_carry else "",
        "lines": [{"line": k, "amount": money_text(v)} for k, v in verdict.lines.items()],
        "refs": bib.refs(verdict.cites),
    }
    flag = analysis.form_5329
    form_5329 = {
        "status": {"not_needed": "No additional tax", "additional_tax": "10% additional tax may apply",
                   "review": "No tax due, but review"}[flag.status],
        "summary": flag.summary, "reasons": flag.reasons,
        "amount_subject": money_text(flag.amount_subject), "additional_tax": money_text(flag.additional_tax),
        "refs": bib.refs(flag.cites),
    }
    clocks = [{
        "form": c.form_id, "kind": {"irr_recapture": "In-plan Roth rollover", "roth_ira_recapture": "Roth IRA",
                                    "roth_ira_first_contribution": "Roth IRA (first contribution)"}[c.kind],
        "amount": money_text(c.amount), "starts": c.starts, "ends": c.ends, "description": c.description,
        "refs": bib.refs(c.cites),
    } for c in analysis.clocks]
    clocks_unknown = ", ".join(r.form_id for r in analysis.forms if not r.destination_known)
    people = _people_context(analysis, case, bib, reveal_tins)
    forms = [_form_context(r, forms_by_id.get(r.form_id), layout, bib, reveal_tins) for r in analysis.forms]
    policies = [{"option": p.option, "value": "true" if p.value else "false", "explanation": p.explanation,
                 "forms": ", ".join(p.forms)} for p in analysis.policies]
    errors = [{"where": ": ".join(x for x in (e.file, e.record, e.field) if x), "message": e.message}
              for e in analysis.errors]
    taxpayer = case.taxpayer
    compared = None
    if comparison is not None:
        from megaroth.render.compare import comparison_context

        compared = comparison_context(comparison, bib)
    return {
        "version": __version__,
        "tax_year": analysis.tax_year,
        "form_title": params.f1040.meta.form,
        "layout_note": analysis.form_layout_note or "",
        "taxpayer_name": taxpayer.name or "",
        "taxpayer_tin": tin_text(taxpayer.tin, reveal_tins),
        "complete": analysis.complete,
        "forms_incomplete": bool(analysis.errors) or any(r.status != "computed" for r in analysis.forms)
        or any(p.form_8606.status == "not_computed" for p in analysis.people),
        "missing_facts": missing_facts_context(analysis),
        "counts": {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")},
        "errors": errors,
        "findings": findings,
        "lines": lines,
        "notations": notations,
        "statements": statements,
        "form_8606": form_8606,
        "form_5329": form_5329,
        "clocks": clocks,
        "clocks_unknown": clocks_unknown,
        "people": people,
        "joint": len(analysis.people) > 1,
        "filing_status": FILING_STATUS_TITLES.get(case.filing_status, "") if case.filing_status else "",
        "spouse_name": case.spouse.name or "" if case.spouse else "",
        "spouse_tin": tin_text(case.spouse.tin, reveal_tins) if case.spouse else "",
        "roth_basis": {
            "line_22": money_text(analysis.roth_ira_basis_line_22),
            "line_24": money_text(analysis.roth_ira_basis_line_24),
            "any": bool(analysis.roth_ira_basis_line_22 or analysis.roth_ira_basis_line_24),
            "refs": bib.refs(["f8606.line-22", "f8606.line-24"])
            if analysis.roth_ira_basis_line_22 or analysis.roth_ira_basis_line_24 else [],
        },
        "forms": forms,
        "matches": _matches_context(analysis, bib),
        "forms_5498": _forms_5498_context(case, reveal_tins),
        "policies": policies,
        "comparison": compared,
        "bibliography": bib.entries(),
    }


def missing_facts_context(analysis: Analysis) -> list[dict[str, str]]:
    """The facts the result is incomplete without: what each is, whose, what is at stake and the
    name to give it by (`--fact NAME=VALUE`, a CSV column), from the questions' one definition."""
    from megaroth.questions.facts import from_path, option_name

    rows = []
    for missing in analysis.missing_facts:
        found = from_path(missing.fact)
        role, fact = found if found else (missing.fact.split(".")[0], None)
        who = next((p.name for p in analysis.people if p.role == role and p.name), None) or (
            "the taxpayer" if role == "taxpayer" else "the spouse")
        rows.append({"title": fact.title if fact else missing.fact, "who": who,
                     "option": option_name(role, fact) if fact else missing.fact,
                     "at_stake": money_text(missing.at_stake) if missing.at_stake is not None else "",
                     "message": missing.message})
    return rows
