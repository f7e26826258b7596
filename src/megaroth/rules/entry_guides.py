"""What to type into a tax product for the result megaroth computed (forms/entry_guides.toml).

Tax software keys one destination per 1099-R (the research behind forms/entry_guides.toml found
no product that takes a form rolled to a Roth and a non-Roth account at once), so a form that
went to both is entered as the parts megaroth split it into (FormResult.entry_split), each part
its own 1099-R entry; every other form is entered as printed. Each entry is classed by where its
money went (a *situation*: in-plan Roth rollover, plan to Roth IRA, plan to a non-Roth account,
60-day rollover, IRA conversion, kept), and the product's steps for that situation are filled in
with the entry's boxes and amounts. A person's nondeductible IRA contribution (Form 8606 line 1)
is an entry of its own: the first half of a backdoor Roth. The guide ends with what the product's
return must show afterwards — megaroth's own lines — which is the real check: interviews change
between editions, the lines do not.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.model.case import Case
from megaroth.model.entry_guide import EntryGuides, GuideEntry, GuideSource, GuideStep, SoftwareGuide
from megaroth.model.form1099r import DESTINATION_IN_TEXT, DESTINATION_TITLES, Destination, Form1099R
from megaroth.model.results import Analysis, EntryPart, FormResult
from megaroth.money import money_text
from megaroth.params import GuideCatalog, YearParameters

ZERO = Decimal("0.00")
SOFTWARE_ORDER = ("turbotax", "hrblock", "freetaxusa", "drake", "ultratax")

NON_ROTH = {Destination.traditional_ira, Destination.employer_plan}
ROTH = {Destination.roth_ira, Destination.designated_roth_other_plan}


def situation(account: str, destinations: set[Destination], within_60_days: bool, computed: bool) -> str:
    """The kind of entry a form (or one part of it) is, for choosing the product's steps."""
    if not computed or account == "roth_ira" or not destinations:
        return "other"
    if within_60_days:
        return "sixty_day"
    if account == "ira":
        if destinations == {Destination.kept}:
            return "kept"
        return "ira_to_roth" if Destination.roth_ira in destinations else "other"
    if destinations == {Destination.designated_roth_same_plan}:
        return "irr"
    if destinations <= ROTH:
        return "plan_to_roth_ira"
    if destinations <= NON_ROTH:
        return "plan_to_non_roth"
    if destinations == {Destination.kept}:
        return "kept"
    return "other"


def _money(value: Decimal | None) -> str:
    return money_text(value) if value is not None else "blank"


def _line_numbers(result: FormResult, params: YearParameters) -> tuple[str, str]:
    lines = params.f1040.lines
    if result.gross_line == "ira_gross":
        return lines.ira_gross.line, lines.ira_taxable.line
    return lines.pension_gross.line, lines.pension_taxable.line


def _marker(analysis: Analysis, form_id: str) -> str:
    texts = [n.instruction for n in analysis.notations if form_id in n.forms]
    return "; ".join(texts) if texts else "no rollover mark"


def _whose(result: FormResult, analysis: Analysis) -> str:
    """On a joint return, whose form it is (the products ask it first: "Who's this 1099-R for?")."""
    if len(analysis.people) < 2:
        return ""
    person = next((p for p in analysis.people if p.role == result.owner), None)
    name = person.name if person is not None and person.name else result.owner
    return f" — {name}'s"


def _form_entries(result: FormResult, form: Form1099R | None, analysis: Analysis,
                  params: YearParameters) -> list[tuple[GuideEntry, dict[str, str]]]:
    gross_line, taxable_line = _line_numbers(result, params)
    whose = _whose(result, analysis)
    common = {"payer": result.payer_name or "the payer", "form": result.form_id, "gross_line": gross_line,
              "taxable_line": taxable_line, "marker": _marker(analysis, result.form_id)}
    computed = result.status == "computed"
    if len(result.entry_split) > 1:
        parts = result.entry_split
        entries = [(GuideEntry(form_id=result.form_id, owner=result.owner, parts=len(parts), situation="split",
                               title=f"Form {result.form_id} ({common['payer']}){whose}: one form, {len(parts)} "
                                     "destinations"),
                    {**common, "parts": str(len(parts))})]
        for index, part in enumerate(parts, start=1):
            entries.append(_part_entry(result, part, index, len(parts), common, whose))
        return entries
    destinations = {p.destination for p in result.parts}
    within = any(p.within_60_days for p in result.parts)
    kind = situation(result.account, destinations, within, computed)
    if kind == "sixty_day" and destinations & (ROTH | {Destination.designated_roth_same_plan}):
        # Money rolled into a Roth within 60 days stays taxable: no product's exclusion applies, and
        # megaroth's sources give no interview for it.
        kind = "other"
    # What a product subtracts from the taxable amount: the rollover into non-Roth accounts.
    rolled = sum((p.amount for p in result.parts if p.destination in NON_ROTH), ZERO)
    to_roth = sum((p.amount for p in result.parts if p.destination is Destination.roth_ira), ZERO)
    code = result.box_7 + (", IRA/SEP/SIMPLE checked" if form is not None and form.box_7_ira_sep_simple else "")
    boxes = _boxes(form.box_1 if form else result.gross, form.box_2a if form else None,
                   form.box_4 if form else None, form.box_5 if form else None, code)
    where = ", ".join(f"{money_text(p.amount)} to {DESTINATION_IN_TEXT[p.destination]}" for p in result.parts) \
        or "not given"
    values = {**common, **boxes, "destination": where, "rolled": money_text(rolled),
              "taxable": _money(result.taxable), "line_taxable": _money(result.taxable),
              "gross": money_text(result.gross), "amount": money_text(to_roth if kind == "ira_to_roth" else rolled)}
    printed = (form.box_2a if form is not None and form.box_2a is not None else result.gross)
    values["_when"] = "all_taxable_rolled" if rolled >= printed else "part_taxable_rolled"
    return [(GuideEntry(form_id=result.form_id, owner=result.owner, situation=kind,
                        title=f"Form {result.form_id} ({common['payer']}){whose}: {where}", boxes=boxes), values)]


def _boxes(box_1, box_2a, box_4, box_5, box_7) -> dict[str, str]:
    return {"box_1": _money(box_1), "box_2a": _money(box_2a), "box_4": _money(box_4), "box_5": _money(box_5),
            "box_7": box_7 or "blank"}


def _part_entry(result: FormResult, part: EntryPart, index: int, count: int,
                common: dict, whose: str) -> tuple[GuideEntry, dict[str, str]]:
    match = next((p for p in result.parts if p.destination is part.destination), None)
    within = bool(match and match.within_60_days)
    kind = situation(result.account, {part.destination}, within, True)
    boxes = _boxes(part.box_1, part.box_2a, part.box_4, part.box_5, part.box_7)
    taxable = match.taxable if match is not None else ZERO
    values = {**common, **boxes, "destination": DESTINATION_TITLES[part.destination],
              "rolled": money_text(part.box_1), "taxable": money_text(taxable), "line_taxable": money_text(taxable),
              "gross": money_text(part.box_1), "amount": money_text(part.box_1), "parts": str(count)}
    return (GuideEntry(form_id=result.form_id, owner=result.owner, part=index, parts=count, situation=kind,
                       title=f"Form {result.form_id}{whose}, part {index} of {count}: {money_text(part.box_1)} to "
                             f"{DESTINATION_IN_TEXT[part.destination]}", boxes=boxes), values)


def _contribution_entries(analysis: Analysis) -> list[tuple[GuideEntry, dict[str, str]]]:
    entries = []
    for person in analysis.people:
        lines = {line.line: line.amount for line in person.form_8606.lines}
        contributed = lines.get("1")
        if not contributed:
            continue
        name = person.name or ("Spouse" if person.role == "spouse" else "Taxpayer")
        values = {"amount": money_text(contributed), "basis": money_text(lines.get("2") or ZERO),
                  "_when": "prior_basis" if lines.get("2") else ""}
        entries.append((GuideEntry(owner=person.role, situation="nondeductible_contribution",
                                   title=f"{name}: nondeductible traditional IRA contribution {values['amount']} "
                                         "(Form 8606 line 1)"), values))
    return entries


def _check_steps(analysis: Analysis) -> list[GuideStep]:
    """What the product's Form 1040 must show afterwards."""
    lines = [f"line {e.key} {money_text(e.amount)}" for e in analysis.lines if e.amount is not None]
    steps = [GuideStep(text="On the return the product prepared: " + (", ".join(lines) or "no retirement lines")
                       + ".", basis="megaroth")]
    steps += [GuideStep(text=n.instruction, basis="megaroth") for n in analysis.notations]
    steps.append(GuideStep(text=f"Form 8606: {analysis.form_8606.summary}", basis="megaroth"))
    steps.append(GuideStep(text="If a line differs, run megaroth compare with the product's Form 1040 PDF: it says "
                                "which answer to change.", basis="megaroth"))
    return steps


def build_guides(analysis: Analysis, case: Case, params: YearParameters, catalog: GuideCatalog,
                 software: list[str] | None = None) -> EntryGuides:
    """The entry guide of each product asked for (all five by default), for this analysis."""
    forms = {f.id: f for f in case.forms_1099r}
    entries: list[tuple[GuideEntry, dict[str, str]]] = []
    for result in analysis.forms:
        entries += _form_entries(result, forms.get(result.form_id), analysis, params)
    entries += _contribution_entries(analysis)
    names = software or [name for name in SOFTWARE_ORDER if name in catalog.software]
    used: list[str] = []
    guides = []
    for name in names:
        spec = catalog.software[name]
        filled = []
        for entry, values in entries:
            steps = [GuideStep(text=step.text.format_map(_Blank(values)), basis=step.basis,
                               sources=list(step.sources))
                     for step in spec.steps
                     if entry.situation in step.for_ and step.when in (None, values.get("_when"))]
            if not steps and entry.situation != "split":
                steps = [GuideStep(text="megaroth's sources give no steps for this entry in " + spec.title
                                   + ": enter the form as printed and check the lines below.", basis="megaroth")]
            for step in steps:
                used += [s for s in step.sources if s not in used]
            filled.append(entry.model_copy(update={"steps": steps}))
        used += [s for s in spec.where_sources if s not in used]
        guides.append(SoftwareGuide(software=name, title=spec.title, audience=spec.audience,
                                    where=GuideStep(text=spec.where, basis=spec.where_basis,
                                                    sources=list(spec.where_sources)),
                                    entries=filled, check=_check_steps(analysis)))
    sources = [GuideSource(id=s, **catalog.sources[s].model_dump()) for s in used]
    return EntryGuides(tax_year=analysis.tax_year, complete=analysis.complete, note=catalog.note, guides=guides,
                       sources=sources)


class _Blank(dict):
    """format_map values: a placeholder the entry has no value for reads as "(not given)" (never a KeyError)."""

    def __missing__(self, key: str) -> str:
        return "(not given)"
