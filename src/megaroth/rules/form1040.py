"""Form results → the Form 1040 lines of the tax year, markers and statements.

Amounts are summed in cents; the whole-dollar view rounds each line total half up
(i1040 "Rounding Off to Whole Dollars": round the total, not the addends) — but for the taxable
amounts Form 8606 figures (lines 15c, 18 and 25c go on line 4b, i8606), which enter line 4b as
the filed Form 8606 has them in whole dollars (`form8606_whole`), so the two forms agree.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.model.case import Case, Options
from megaroth.model.results import (
    FormResult,
    LineEntry,
    LineSource,
    Notation,
    Policy,
    Statement,
)
from megaroth.money import ZERO, total, whole_dollars
from megaroth.params import Marker, YearParameters

LINE_CITES = {
    "pension_gross": ["i1040.rollovers", "i1040.pensions.fully-taxable", "i1040.ira.more-than-one"],
    "pension_taxable": ["i1040.rollovers", "i1040.rollovers.roth", "f1099r.box-2a.roth"],
    "ira_gross": ["i1040.ira.exception-1", "i1040.ira.fully-taxable", "i1040.ira.more-than-one"],
    "ira_taxable": ["i1040.ira.exception-1", "i1040.ira.exception-2"],
    "withholding": ["i1040.line-25b"],
}


def _entry(role: str, params: YearParameters, amount: Decimal | None, sources: list[tuple[str, Decimal]],
           note: str | None = None) -> LineEntry:
    line = getattr(params.f1040.lines, role)
    return LineEntry(
        key=line.line, role=role, label=line.label, amount=amount,
        whole_dollars=None if amount is None else f"{whole_dollars(amount):.0f}",
        sources=[LineSource(form_id=form_id, amount=value) for form_id, value in sources],
        note=note, cites=LINE_CITES[role],
    )


def _pair(results: list[FormResult], gross_role: str, taxable_role: str, params: YearParameters) -> list[LineEntry]:
    group = [r for r in results if r.gross_line == gross_role]
    if not group:
        return [_entry(gross_role, params, None, []), _entry(taxable_role, params, None, [])]
    taxable_line = getattr(params.f1040.lines, taxable_role).line
    gross_line = getattr(params.f1040.lines, gross_role).line
    gross_sources = [(r.form_id, r.gross) for r in group]
    taxable_sources = [(r.form_id, r.taxable or ZERO) for r in group]
    if all(r.fully_taxable for r in group):
        gross, gross_sources = None, []
        note = (f"Fully taxable and not rolled over: the amount goes on line {taxable_line} only; "
                f"make no entry on line {gross_line}.")
    else:
        gross, note = total(r.gross for r in group), None
    taxable = total(amount for _, amount in taxable_sources)
    taxable_note = None
    if taxable == ZERO:
        taxable_note = f"Enter -0- on line {taxable_line}."
    return [
        _entry(gross_role, params, gross, gross_sources, note),
        _entry(taxable_role, params, taxable, taxable_sources, taxable_note),
    ]


# The Form 8606 lines whose amounts are taxable IRA money on Form 1040 line 4b (i8606 lines 15c,
# 18 and 25c: "include this amount on Form 1040 line 4b").
F8606_TAXABLE = ("15c", "18", "25c")


def _with_form_8606(entry: LineEntry, people) -> LineEntry:
    """Line 4b's whole dollars with each filed Form 8606's taxable lines as that form has them in
    whole dollars (its own arithmetic on its rounded lines), the rest of the line rounded as a
    total: Form 1040 then shows what the attached Form 8606 shows."""
    if entry.amount is None:
        return entry
    exact = whole = ZERO
    for person in people:
        if person.form_8606.status != "computed":
            continue
        for line in person.form_8606.lines:
            if line.line in F8606_TAXABLE and line.amount is not None and line.whole_dollars is not None:
                exact += line.amount
                whole += Decimal(line.whole_dollars)
    if not exact and not whole:
        return entry
    return entry.model_copy(update={"whole_dollars": f"{whole_dollars(entry.amount - exact) + whole:.0f}"})


def build_lines(results: list[FormResult], params: YearParameters, people=(),
                extra_1h: list[tuple[str, Decimal]] = ()) -> list[LineEntry]:
    """The year's Form 1040 lines; `people` (PersonResult) gives the Form 8606 lines behind line 4b;
    `extra_1h` what the W-2s' excess deferrals add to line 1h, by label."""
    computed = [r for r in results if r.status == "computed"]
    lines = _pair(computed, "ira_gross", "ira_taxable", params)
    lines[1] = _with_form_8606(lines[1], people)
    lines += _pair(computed, "pension_gross", "pension_taxable", params)
    # Box 4 is tax already paid whatever the form's taxable amount: a form megaroth could not
    # compute still puts its withholding on the line (i1040 line 25b), or the return under-claims it.
    lines += _corrective(computed, params, list(extra_1h))
    withheld = [(r.form_id, r.withholding) for r in results if r.withholding]
    amount = total(a for _, a in withheld) if withheld else None
    lines.append(_entry("withholding", params, amount, withheld))
    return lines


def _corrective(results: list[FormResult], params: YearParameters,
                extra: list[tuple[str, Decimal]] = ()) -> list[LineEntry]:
    """A plan's corrective distributions (codes 8 and P) go with wages, not pensions, and so does an excess
    deferral the W-2s show (`extra`): shown only when there are some, since the line carries other income
    megaroth does not see."""
    group = [r for r in results if r.gross_line == "corrective"]
    if not group and not extra:
        return []
    line = params.f1040.corrective
    amount = total(r.taxable or ZERO for r in group) + total(a for _, a in extra)
    note = (f"Include {whole_dollars(amount):.0f} in line {line.line} with the other amounts that belong there."
            + (f" {line.note}" if line.note else ""))
    return [LineEntry(
        key=line.line, role="corrective", label=line.label, amount=amount,
        whole_dollars=f"{whole_dollars(amount):.0f}",
        sources=[LineSource(form_id=r.form_id, amount=r.taxable or ZERO) for r in group]
        + [LineSource(form_id=label, amount=a) for label, a in extra], note=note,
        cites=list(line.cite))]


def _notation(marker: Marker, forms: list[str]) -> Notation:
    return Notation(kind=marker.kind, line=marker.line, box=marker.box, text=marker.text, forms=forms,
                    instruction=marker.instruction(), cites=marker.cite)


def build_notations(results: list[FormResult], params: YearParameters) -> list[Notation]:
    notations = []
    ira = [r.form_id for r in results if r.status == "computed" and r.rollover_marker and r.gross_line == "ira_gross"]
    plan = [r.form_id for r in results if r.status == "computed" and r.rollover_marker
            and r.gross_line == "pension_gross"]
    if ira:
        notations.append(_notation(params.f1040.markers.ira_rollover, ira))
    if plan:
        notations.append(_notation(params.f1040.markers.pension_rollover, plan))
    return notations


def build_statements(results: list[FormResult], params: YearParameters, people=()) -> list[Statement]:
    lines = params.f1040.lines
    statements = []
    for result in results:
        for text in result.statements:
            cites = (["i8606.recharacterizations"] if result.treatment == "ira_recharacterization"
                     else ["i1040.ira.exception-1.statement"])
            statements.append(Statement(
                line=f"{lines.ira_gross.line}/{lines.ira_taxable.line}", text=text, forms=[result.form_id],
                cites=cites))
    for person in people:
        for text in person.form_8606.statements:
            statements.append(Statement(line="Form 8606", text=text, forms=[], cites=["i8606.recharacterizations"]))
    return statements


def build_policies(results: list[FormResult], case: Case) -> list[Policy]:
    forms = [r.form_id for r in results if r.marker_policy == "irr_rollover_marker"]
    if not forms:
        return []
    return [Policy(
        option="irr_rollover_marker",
        value=case.options.irr_rollover_marker,
        explanation=Options.model_fields["irr_rollover_marker"].description or "",
        forms=forms,
    )]
