"""Compare a tax software's return with megaroth's lines, and say why they differ.

A difference is explained by *reproducing* it: each known mistake (taxing box 1, taxing the
earnings of a split rollover that went to a traditional IRA, reporting a plan rollover as an
IRA conversion, trusting a wrong box 2a, entering a form twice or not at all…) is turned into
the figures the software would show if it made that mistake, form by form. A mistake that
reproduces every figure the software gave is the most likely cause; one that reproduces only
some lines is a possible cause of those; a difference nothing reproduces gets the usual causes
for its direction. Each person's Form 8606 is compared line by line with the software's Form 8606
for that person (rules/software_8606 says whose each is), and its mistakes — the nondeductible
contribution, last year's basis or the December 31 value left out, a conversion entered as a
rollover — are reproduced the same way (rules/mistakes_8606).

Software files whole dollars, so megaroth's lines are compared rounded as the form is filed (half
up), unless cents are asked for; amounts are then compared within a tolerance (software that
rounds each form before adding them) that comes from forms/compare.toml.

Rules never read files: the tolerance and the year's parameters are passed in.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from megaroth.model.case import Case
from megaroth.model.compare import ComparedItem, Comparison, Diagnosis
from megaroth.model.form1099r import Destination
from megaroth.model.results import Analysis
from megaroth.model.software import FORM_8606_LINES, LINE_ITEMS, SoftwareFigures, form_8606_item
from megaroth.money import CENT, ZERO, money_text, percent_text, total
from megaroth.params import GuideCatalog, YearParameters
from megaroth.rules.entry_guides import build_guides
from megaroth.rules.mistakes import (
    Context,
    Expected,
    Hypothesis,
    aggregate,
    expected_lines,
    form_hypotheses,
    specificity,
)
from megaroth.rules.mistakes_8606 import form_8606_hypotheses, marker_on_conversion, product_of
from megaroth.rules.registry import define
from megaroth.rules.software_8606 import assign

LINES = define(
    "compare.lines",
    "Each amount is compared with megaroth's figure rounded to whole dollars (half up), as the return is filed; "
    "a difference within the tolerance is rounding, not a mistake.",
    ["i1040.rounding"],
)
MARKER_MISSING = define(
    "compare.marker_missing",
    "A rollover is marked on the return: the word \"Rollover\" next to the taxable line through 2024, box 1 "
    "of line 5c (4c for IRAs) from 2025.",
    ["i1040.rollovers.word", "i1040.line-5c", "i1040.ira.exception-1.word", "i1040.line-4c"],
)
MARKER_EXTRA = define(
    "compare.marker_extra",
    "The rollover marker is only for distributions rolled over.",
    ["i1040.rollovers.word", "i1040.line-5c"],
)
F8606_PLAN = define(
    "compare.form_8606_for_plan",
    "Form 8606 Part II is for conversions from traditional, SEP and SIMPLE IRAs only; a plan rollover to a "
    "Roth IRA or an in-plan Roth rollover is not on it.",
    ["i8606.part-ii-ira-only", "i5329.roth-rollover", "i1040.rollovers"],
)
F8606_LINES = define(
    "compare.form_8606_lines",
    "Where Form 8606 Part II applies, line 16 is the amount converted, line 17 its basis and line 18 the "
    "taxable amount.",
    ["i1040.ira.exception-2", "i8606.part-ii-ira-only"],
)
ROTH_CONTRIBUTION = define(
    "compare.rollover_as_contribution",
    "A rollover from an employer plan to a Roth IRA is a qualified rollover contribution, not a Roth IRA "
    "contribution: no contribution limit applies and it cannot be an excess contribution taxed at 6%.",
    ["irc-408A.c6-rollover-not-counted", "irc-4973.a-excess", "i5329.part-iv-roth-excess"],
)
FORMS_HELD = define(
    "compare.forms_held",
    "A scanned Form 1099-R whose box 1 or box 7 awaits a person is left out of megaroth's lines: a difference within "
    "its box 1 may be the software having the form, not a mistake of the software's.",
    ["i1099r.box-1", "i1099r.box-7"],
)

FACTS_MISSING = define(
    "compare.facts_missing",
    "megaroth's own lines lack a fact the tax depends on (the nondeductible contribution, last year's basis, the "
    "December 31 value…): a difference within the amount at stake may be the software using what megaroth was "
    "not told, not a mistake of the software's.",
    ["i8606.line-1", "i8606.line-2", "i8606.line-6"],
)
SHORTCUT = define(
    "compare.additional_tax_on_rollover",
    "The 10% additional tax reaches only the taxable part kept; the Schedule 2 shortcut (10% of the taxable "
    "line) overcharges when part of a code 1 distribution was rolled into a Roth.",
    ["i1040.sch2-line-8", "irc-408A.d3-rollover-income", "i5329.rollover-not-subject"],
)
ADDITIONAL_MISSING = define(
    "compare.additional_tax_missing",
    "The taxable part of an early distribution kept owes the 10% additional tax unless an exception applies.",
    ["irc-72.t1-includible", "i1040.sch2-line-8"],
)
UNEXPLAINED = define(
    "compare.unexplained",
    "A difference no known mistake reproduces: the usual causes for its direction.",
    ["i1040.rollovers", "f1040.lines"],
)


# ------------------------------------------------------------------ matching
def _given(ctx: Context) -> dict[str, Decimal]:
    return {role: ctx.filed(f.amount) for role in LINE_ITEMS if (f := ctx.figures.get(role)) is not None
            and f.amount is not None}


def _fits_role(ctx: Context, h: Hypothesis, expected: dict[str, Expected], role: str, value: Decimal) -> bool:
    if role in h.free:
        return True
    predicted = expected[role].amount + h.deltas.get(role, ZERO)
    if ctx.close(value, predicted):
        return True
    return any(ctx.close(value, alt + h.deltas.get(role, ZERO)) for alt in expected[role].also)


def _changes(h: Hypothesis, role: str) -> bool:
    return role in h.free or bool(h.deltas.get(role))


def _combine(a: Hypothesis, b: Hypothesis) -> Hypothesis:
    deltas = dict(a.deltas)
    for role, value in b.deltas.items():
        deltas[role] = deltas.get(role, ZERO) + value
    return Hypothesis(rule=a.rule, forms=a.forms + b.forms, deltas=deltas, title=a.title, explanation=a.explanation,
                      fix=a.fix, free=a.free | b.free)


def _explain_lines(ctx: Context, expected: dict[str, Expected], differing: list[str],
                   hypotheses: list[Hypothesis], given: dict[str, Decimal]) -> list[tuple[Hypothesis, str, list[str]]]:
    """(hypothesis, fit, roles it explains) for the differing lines (Form 1040 and Form 8606)."""
    if not differing:
        return []

    def full(h: Hypothesis) -> bool:
        return all(_fits_role(ctx, h, expected, r, v) for r, v in given.items()) and \
            any(_changes(h, r) for r in differing)

    singles = sorted((h for h in hypotheses if full(h)), key=lambda h: specificity(h, ctx))
    # A mistake that also moves a line the software did not give is less likely than one that
    # reproduces the same figures without guessing at lines nobody showed.
    # (A Form 8606 the software did not show is not a guess: the mistake is often that it filed none.)
    def unchecked(h: Hypothesis) -> bool:
        return any(value and role not in given and role in LINE_ITEMS for role, value in h.deltas.items())

    if any(not unchecked(h) for h in singles):
        singles = [h for h in singles if not unchecked(h)]
    explained = {r for h in singles for r in differing if _changes(h, r)}
    result = [(h, "all", [r for r in differing if _changes(h, r)]) for h in singles]
    if explained != set(differing):
        # Two independent mistakes (a form left out and another taxed in full).
        for a, b in combinations(hypotheses, 2):
            if a.forms == b.forms and a.rule is b.rule:
                continue
            pair = _combine(a, b)
            if full(pair) and all(any(_changes(x, r) for r in differing) for x in (a, b)):
                for h in (a, b):
                    roles = [r for r in differing if _changes(h, r)]
                    if not any(existing is h for existing, _, _ in result):
                        result.append((h, "all", roles))
                    explained |= set(roles)
    for role in differing:
        if role in explained:
            continue
        for h in hypotheses:
            if h.deltas.get(role) and _fits_role(ctx, h, expected, role, given[role]):
                result.append((h, "some", [role]))
    return result


def _generic(ctx: Context, role: str, difference: Decimal, line: str | None = None) -> Diagnosis:
    line = line or ctx.line(role)
    higher = difference > ZERO
    if role == "withholding":
        text = ("The software's line is lower than box 4 of the forms: a 1099-R or its box 4 was not entered." if not
                higher else "The software's line is higher: it also holds withholding from other Forms 1099.")
    elif "form_8606_line_" in role:
        text = ("The software's Form 8606 line differs from megaroth's: compare its answers about this year's "
                "nondeductible contribution (line 1), the basis from last year's Form 8606 (line 2), the December "
                "31 value of the traditional, SEP and SIMPLE IRAs (line 6) and the amount converted (line 8) with "
                "the worksheet's Form 8606.")
    elif role.startswith("ira"):
        text = ("The software's IRA line is higher than the IRA forms in this case: an IRA distribution not in this "
                "case (a backdoor Roth IRA conversion, say), or a plan distribution entered as an IRA one. Add the "
                "missing 1099-R to the case to check it." if higher else
                "The software's IRA line is lower: an IRA 1099-R missing in the software, or its taxable part "
                "treated as basis.")
    elif role.endswith("gross"):
        text = ("The software's line is higher: a 1099-R not in this case (another pension or plan distribution), "
                "or a form entered twice." if higher else
                "The software's line is lower: a 1099-R left out, or entered on another line.")
    else:
        text = ("The software's taxable amount is higher: the after-tax basis (box 5) not entered, the earnings of a "
                "rollover to a traditional IRA taxed, or another taxable 1099-R not in this case." if higher else
                "The software's taxable amount is lower: the earnings converted to Roth treated as a tax-free "
                "rollover, or a 1099-R left out.")
    if "form_8606_line_" in role:
        return Diagnosis(
            key=f"form_8606_lines:{role}", rule=F8606_LINES.id, title=f"{line} differs by {ctx.money(abs(difference))}",
            explanation=text + " No single known mistake reproduces the software's figures.",
            fix="Review the IRA contribution, IRA basis and IRA conversion answers in the software against the "
                "worksheet's Form 8606, line by line.",
            fit="possible", items=[role], amount=abs(difference), cites=list(F8606_LINES.cites),
        )
    if role.startswith("ira"):
        fix = ("Review each IRA 1099-R entry (converted to a Roth IRA, rolled over or kept) and the IRA contribution "
               "and basis answers (Form 8606) against the worksheet.")
    else:
        fix = ("Review each 1099-R entry in the software against the worksheet's entry for it (boxes 1, 2a, 4, 5, 7 "
               "and where the money went).")
    return Diagnosis(
        key=f"unexplained:{role}", rule=UNEXPLAINED.id, title=f"Line {line} differs by {ctx.money(abs(difference))}",
        explanation=text + " No single known mistake reproduces the software's figures; compare its 1099-R entries "
                           "with the worksheet's, form by form.",
        fix=fix,
        fit="possible", items=[role], amount=abs(difference), cites=list(UNEXPLAINED.cites),
    )


def _diagnosis(h: Hypothesis, fit: str, items: list[str]) -> Diagnosis:
    return Diagnosis(key=h.key, rule=h.rule.id, title=h.title, explanation=h.explanation, fix=h.fix, fit=fit,
                     items=items, form_ids=list(h.forms), amount=h.amount,
                     cites=list(dict.fromkeys(list(h.rule.cites) + list(h.cites))))


def _text(value: Decimal | None) -> str:
    """A software figure as shown beside megaroth's: "10,200", "1,234.56", or "not given"."""
    return "not given" if value is None else f"{value:,.2f}".removesuffix(".00")


_percent = percent_text


def _cents(difference: Decimal) -> Decimal:
    """A difference as written: with cents ("7000.00"), whichever way the amounts were compared."""
    return difference.quantize(CENT)


# ------------------------------------------------------------------ the comparison
class Builder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.items: list[ComparedItem] = []
        self.diagnoses: dict[str, Diagnosis] = {}
        self.notes: list[str] = []
        self.f8606, notes = assign(ctx.figures, ctx.case)
        self.notes += notes
        self.joint = len(ctx.analysis.people) > 1
        # Each computed Form 8606's lines, as filed: compared and explained with the Form 1040 lines.
        self.expected_8606: dict[str, Expected] = {}
        for person in ctx.analysis.people:
            if person.form_8606.status != "computed":
                continue
            for number in FORM_8606_LINES:
                amount = person.form_8606.amount(number)
                filed = ctx.filed(amount if amount is not None else ZERO)
                self.expected_8606[form_8606_item(number, person.role)] = Expected(
                    filed, [], ctx.text(filed) if amount is not None else "blank")
        self.statuses: dict[str, str] = {}
        self.keys: dict[str, list[str]] = {}

    def add_diagnosis(self, diagnosis: Diagnosis) -> str:
        existing = self.diagnoses.get(diagnosis.key)
        if existing is not None:
            items = list(dict.fromkeys(existing.items + diagnosis.items))
            fit = min((existing.fit, diagnosis.fit), key=("all", "some", "possible").index)
            diagnosis = existing.model_copy(update={"items": items, "fit": fit})
        self.diagnoses[diagnosis.key] = diagnosis
        return diagnosis.key

    def f8606_line(self, number: str, role: str) -> str:
        """"Form 8606 line 17"; on a joint return "Form 8606 (Sam Example) line 17"."""
        if not self.joint:
            return f"Form 8606 line {number}"
        person = next((p for p in self.ctx.analysis.people if p.role == role), None)
        return f"Form 8606 ({(person.name if person else None) or role}) line {number}"

    # -------------------------------------------------------------- lines
    def lines(self) -> None:
        ctx = self.ctx
        expected = {**expected_lines(ctx), **self.expected_8606}
        given = _given(ctx)
        given.update({item: ctx.filed(f.amount) for item, f in self.f8606.items()
                      if item in self.expected_8606 and f.amount is not None})
        differing, statuses = [], self.statuses
        for role in [*LINE_ITEMS, *self.expected_8606]:
            value = given.get(role)
            if value is None:
                continue
            exp = expected[role]
            agree = ctx.close(value, exp.amount) or any(ctx.close(value, alt) for alt in exp.also)
            if agree:
                statuses[role] = "agree"
            elif role == "withholding" and value > exp.amount:
                statuses[role] = "note"
            else:
                statuses[role] = "differs"
                differing.append(role)
        hypotheses = []
        forms = {f.id: f for f in ctx.case.forms_1099r}
        for result in ctx.results:
            if result.status == "computed" and result.form_id in forms:
                hypotheses += form_hypotheses(ctx, result, forms[result.form_id])
        hypotheses += aggregate(hypotheses, ctx)
        hypotheses += form_8606_hypotheses(ctx, expected)
        explained = self.keys
        for h, fit, roles in _explain_lines(ctx, expected, differing, hypotheses, given):
            key = self.add_diagnosis(_diagnosis(h, fit, roles))
            for role in roles:
                explained.setdefault(role, []).append(key)
        for role in differing:
            if role not in explained:
                number = role.rsplit("_", 1)[1]
                line = self.f8606_line(number, "spouse" if role.startswith("spouse_") else "taxpayer") \
                    if "form_8606_line_" in role else None
                explained[role] = [self.add_diagnosis(_generic(ctx, role, given[role] - expected[role].amount, line))]
        for role in LINE_ITEMS:
            figure = ctx.figures.get(role)
            line = getattr(ctx.params.f1040.lines, role)
            exp = expected[role]
            value = given.get(role)
            status = statuses.get(role, "not_given")
            note = None
            if status == "note":
                note = (f"Higher than box 4 of the forms in this case: line {line.line} also holds tax withheld on "
                        "other Forms 1099 (1099-INT, 1099-DIV…)" + (" and Forms W-2" if "W-2" in line.label else "")
                        + ", so this is not wrong in itself.")
            elif status == "agree" and value is not None and exp.also and not ctx.close(value, exp.amount):
                note = (f"Fully taxable: the instructions leave line {ctx.line(role)} blank, but entering the amount "
                        "there too changes nothing.")
            self.items.append(ComparedItem(
                item=role, line=line.line, label=line.label, kind="money",
                expected=exp.amount, expected_text=exp.text,
                software=figure.amount if figure else None, software_text=_text(figure.amount if figure else None),
                difference=None if value is None else _cents(value - exp.amount),
                status=status, where=figure.where if figure else None, note=note,
                diagnoses=explained.get(role, []), cites=list(LINES.cites),
            ))

    # -------------------------------------------------------------- rollover markers
    def markers(self) -> None:
        ctx = self.ctx
        results = {r.form_id: r for r in ctx.results}
        for item, marker in (("pension_rollover", ctx.params.f1040.markers.pension_rollover),
                             ("ira_rollover", ctx.params.f1040.markers.ira_rollover)):
            notation = next((n for n in ctx.analysis.notations if n.line == marker.line), None)
            expected = notation is not None
            policy_only = expected and all(results[f].marker_policy for f in notation.forms if f in results)
            figure = ctx.figures.get(item)
            where = f"{marker.line} box {marker.box}" if marker.kind == "checkbox" else f"next to {marker.line}"
            label = marker.instruction()
            software = figure.flag if figure else None
            keys, note = [], None
            if software is None:
                status = "not_given"
            elif software == expected:
                status = "agree"
            else:
                status = "note" if (figure.uncertain or policy_only) else "differs"
                if expected:
                    forms = ", ".join(ctx.name(f) for f in notation.forms)
                    forms = forms[:1].upper() + forms[1:]
                    diagnosis = Diagnosis(
                        key=f"marker_missing:{item}", rule=MARKER_MISSING.id,
                        title=f"No rollover marker on line {marker.line}",
                        explanation=(f"{forms} rolled money over, so the return must show it: {label}"
                                     + (" megaroth marks an in-plan Roth rollover by default; the instructions do "
                                        "not say so expressly (case option irr_rollover_marker)." if policy_only else "")
                                     + (" megaroth could not see the marker in the PDF; if it is there, ignore this."
                                        if figure.uncertain else "")
                                     + " Without it the IRS may take the untaxed part as taxable and send a notice."),
                        fix=("In the 1099-R entry answer that the money was rolled over (to a Roth IRA, or converted "
                             "in the plan) rather than kept; the software then marks the line."),
                        fit="all", items=[item], form_ids=list(notation.forms), cites=list(marker.cite),
                    )
                elif item == "ira_rollover" and (on_conversion := marker_on_conversion(ctx, marker, figure)):
                    diagnosis = on_conversion
                else:
                    diagnosis = Diagnosis(
                        key=f"marker_extra:{item}", rule=MARKER_EXTRA.id,
                        title=f"A rollover marker on line {marker.line} with nothing rolled over",
                        explanation=("The software marks a rollover, but none of the forms on this line was rolled "
                                     "over" + (" (megaroth could not read the marker with certainty)"
                                               if figure.uncertain else "") + "."),
                        fix="Check the rollover answers of each 1099-R entry: money kept is not a rollover.",
                        fit="all", items=[item], cites=list(marker.cite),
                    )
                keys.append(self.add_diagnosis(diagnosis))
                if figure.uncertain:
                    note = "Read from the PDF without certainty."
            self.items.append(ComparedItem(
                item=item, line=where, label=label, kind="flag", expected_flag=expected,
                expected_text="marked" if expected else "not marked",
                software_flag=software, software_text="not given" if software is None else (
                    "marked" if software else "not marked"),
                status=status, where=figure.where if figure else None, note=note, diagnoses=keys,
                cites=list(marker.cite),
            ))

    # -------------------------------------------------------------- Form 8606, each person's
    def form_8606(self) -> None:
        ctx = self.ctx
        labels = {"16": "Net amount converted", "17": "Basis in the amount converted",
                  "18": "Taxable amount of the conversion"}
        for person in ctx.analysis.people:
            role, f8606 = person.role, person.form_8606
            plan_results = [r for r in ctx.results if r.owner == role and r.account != "ira" and r.status == "computed"]
            candidates = set()
            for r in plan_results:
                candidates |= {r.gross, r.basis or ZERO, r.taxable or ZERO}
                candidates |= {p.amount for p in r.parts if p.destination.is_roth}
            candidates.add(total(r.gross for r in plan_results))
            candidates = {ctx.filed(c) for c in candidates} - {ZERO}
            # Part II is always shown for the taxpayer (and a spouse who files one); other lines when given.
            numbers = [n for n in FORM_8606_LINES if form_8606_item(n, role) in self.f8606
                       or (n in labels and (role == "taxpayer" or f8606.status != "not_needed"))]
            for number in numbers:
                item = form_8606_item(number, role)
                figure = self.f8606.get(item)
                value = ctx.filed(figure.amount) if figure is not None and figure.amount is not None else None
                keys, note = list(self.keys.get(item, [])), None
                if item in self.expected_8606:
                    exp = self.expected_8606[item]
                    expected, expected_text = exp.amount, exp.text
                    status = self.statuses.get(item, "not_given")
                elif f8606.status == "not_computed":
                    expected, expected_text = None, "not figured by megaroth (see the worksheet)"
                    status = "not_given" if value is None else "note"
                    if value is not None:
                        note = "megaroth could not figure this Form 8606: " + f8606.summary
                else:
                    expected, expected_text = ZERO, "not filed (no conversion of a traditional IRA)"
                    if value is None:
                        status = "not_given"
                    elif ctx.close(value, expected):
                        status = "agree"
                    elif any(ctx.close(value, c) for c in candidates):
                        status = "differs"
                        keys.append(self.add_diagnosis(Diagnosis(
                            key="form_8606_for_plan", rule=F8606_PLAN.id,
                            title="Form 8606 Part II filed for a plan rollover",
                            explanation=("The software's Form 8606 Part II reports amounts of the plan forms "
                                         f"({', '.join(ctx.name(r.form_id) for r in plan_results)}). Part II is only "
                                         "for conversions of traditional, SEP and SIMPLE IRAs; a rollover from a "
                                         "401(k), 403(b) or 457(b) plan to a Roth IRA, and an in-plan Roth rollover, "
                                         "are reported on the pension lines only. Filing it can tax the rollover "
                                         "again through your IRAs' basis and balances."),
                            fix=("Answer in the 1099-R entry that the money came from an employer plan (IRA/SEP/SIMPLE "
                                 "box unchecked) and was rolled over; do not enter it in the software's IRA conversion "
                                 "questions. Form 8606 Part II should disappear unless you also converted a "
                                 "traditional IRA."),
                            fit="all", items=[item], form_ids=[r.form_id for r in plan_results],
                            amount=value, cites=list(F8606_PLAN.cites),
                        )))
                    else:
                        status = "note"
                        note = ("Form 8606 shows amounts that are not in this case (a backdoor Roth IRA conversion or "
                                "a nondeductible contribution, say): add that IRA's 1099-R and the IRA facts to the "
                                "case to check it. Plan rollovers never go on Form 8606.")
                self.items.append(ComparedItem(
                    item=item, line=self.f8606_line(number, role),
                    label=labels.get(number) or ctx.params.f8606.label(number), kind="money",
                    expected=expected, expected_text=expected_text,
                    software=figure.amount if figure is not None else None,
                    software_text=_text(figure.amount if figure is not None else None),
                    difference=None if value is None or expected is None else _cents(value - expected),
                    status=status, where=figure.where if figure else None, note=note, diagnoses=keys,
                    cites=list(F8606_PLAN.cites) if number in labels else ctx.params.f8606.cites(number),
                ))

    # -------------------------------------------------------------- Roth IRA contributions and the 6%
    def _roth_ira_rollovers(self) -> list[Decimal]:
        amounts = []
        for r in self.ctx.results:
            if r.account == "ira" or r.status != "computed":
                continue
            parts = [p.amount for p in r.parts if p.destination is Destination.roth_ira]
            amounts += parts
            if len(parts) > 1:
                amounts.append(total(parts))
        if len(amounts) > 1:
            amounts.append(total(amounts))
        return list(dict.fromkeys(a for a in amounts if a))

    def _excess_taxes(self, contributions: list[Decimal]) -> dict[Decimal, tuple[Decimal, Decimal]]:
        """6% taxes the software could have charged on a rollover taken as a contribution:
        tax → (amount taken as a contribution, the excess taxed)."""
        limits = self.ctx.params.limits
        rate = self.ctx.params.statutory.excess_contribution_tax_rate.required()
        limit = limits.ira_contribution.required()
        catch_up = limits.ira_catch_up.required()
        taxes = {}
        for amount in contributions:
            for allowed in (ZERO, limit, limit + catch_up):
                if amount > allowed:
                    excess = amount - allowed
                    taxes[(excess * rate).quantize(CENT, rounding=ROUND_HALF_UP)] = (amount, excess)
        return taxes

    def roth_contributions(self) -> Decimal | None:
        ctx = self.ctx
        figure = ctx.figures.get("roth_ira_contributions")
        rollovers = self._roth_ira_rollovers()
        value = ctx.filed(figure.amount) if figure and figure.amount is not None else None
        keys, note = [], None
        matched = None
        limits = ctx.params.limits
        most = limits.ira_contribution.required() + limits.ira_catch_up.required()
        if value is None:
            status = "not_given"
        elif ctx.close(value, ZERO):
            status = "agree"
        elif not rollovers:
            status, note = "note", "No rollover into a Roth IRA in this case; megaroth does not see regular contributions."
        elif any(ctx.close(value, a) for a in rollovers) or value > most:
            status = "differs"
            matched = value
            keys.append(self.add_diagnosis(self._contribution_diagnosis(value, ["roth_ira_contributions"])))
        else:
            status = "note"
            note = ("megaroth does not see your regular Roth IRA contributions; if this amount is only those, it is "
                    "fine. It must not include the rollover from the plan.")
        self.items.append(ComparedItem(
            item="roth_ira_contributions", line="IRA contributions",
            label="Roth IRA contributions the software recorded", kind="money",
            expected=ZERO if rollovers else None,
            expected_text="none of the rollovers" if rollovers else "not in this case",
            software=figure.amount if figure else None, software_text=_text(figure.amount if figure else None),
            difference=None if value is None or not rollovers else _cents(value), status=status,
            where=figure.where if figure else None, note=note, diagnoses=keys, cites=list(ROTH_CONTRIBUTION.cites),
        ))
        return matched

    def _contribution_diagnosis(self, amount: Decimal, items: list[str]) -> Diagnosis:
        rolled = money_text(total(self._roth_ira_rollovers()[-1:]))
        return Diagnosis(
            key="rollover_as_contribution", rule=ROTH_CONTRIBUTION.id,
            title="The rollover to the Roth IRA was entered as a Roth IRA contribution",
            explanation=(f"The software counts {money_text(amount)} of Roth IRA contributions, which matches the plan "
                         f"money rolled into the Roth IRA ({rolled}) or goes beyond any yearly limit. A rollover from "
                         "an employer plan is not a contribution: it has no limit and is never an excess contribution, "
                         "so no 6% tax is due on it (Form 5329 Part IV), this year or later years."),
            fix=("Remove the amount from the software's IRA contribution questions (\"Did you contribute to a Roth "
                 "IRA?\"); report the rollover only through the plan's 1099-R entry, answering that it was rolled "
                 "over to a Roth IRA."),
            fit="all", items=items, amount=amount, cites=list(ROTH_CONTRIBUTION.cites),
        )

    def additional_tax(self, contribution: Decimal | None) -> None:
        ctx = self.ctx
        flag = ctx.analysis.form_5329
        line = ctx.params.f1040.schedule_2.additional_tax
        figure = ctx.figures.get("schedule_2_additional_tax")
        value = ctx.filed(figure.amount) if figure and figure.amount is not None else None
        # Schedule 2 line 8 takes the 10% and the 6% on excess contributions together (Form 5329 lines 4,
        # 17 and 25); the causes below look at what is left of a difference beyond both. A year whose Schedule 2
        # gives the 6% a line of its own (the 2026 draft: line 18) compares this line with the 10% alone.
        separate = ctx.params.f1040.schedule_2.excess_tax is not None
        expected = ctx.filed(flag.additional_tax + (ZERO if separate else flag.excess_tax))
        keys, note = [], None
        if value is None:
            status = "not_given"
        elif ctx.close(value, expected):
            status = "agree"
        elif value > expected:
            extra = value - expected
            rate = ctx.params.statutory.additional_tax_rate.required()
            converted = total(r.converted_taxable_code_1 for r in ctx.results if r.status == "computed")
            software_taxable = total(f.amount for i in ("pension_taxable", "ira_taxable")
                                     if (f := ctx.figures.get(i)) is not None)
            shortcut = {(converted * rate).quantize(CENT, rounding=ROUND_HALF_UP)}
            if software_taxable:
                shortcut.add((software_taxable * rate).quantize(CENT, rounding=ROUND_HALF_UP) - expected)
            excess = self._excess_taxes([contribution] if contribution else self._roth_ira_rollovers())
            if converted and any(ctx.close(extra, s) for s in shortcut if s > ZERO):
                status = "differs"
                keys.append(self.add_diagnosis(Diagnosis(
                    key="additional_tax_on_rollover", rule=SHORTCUT.id,
                    title="10% additional tax charged on money rolled into a Roth",
                    explanation=(f"Schedule 2 line {line.line} is {money_text(extra)} higher than megaroth's "
                                 f"{money_text(expected)}: {_percent(rate)} of the {money_text(converted)} of a code 1 "
                                 "distribution "
                                 "that went into a Roth account. The 10% reaches only the taxable part you kept; the "
                                 "shortcut of 10% of the taxable line is only for distributions not rolled over."),
                    fix=("File Form 5329 instead of the shortcut: in the software's early-distribution questions, "
                         "say that the amount was rolled over (converted) to a Roth account, so no 10% is due on it."),
                    fit="all", items=["schedule_2_additional_tax"], amount=extra, cites=list(SHORTCUT.cites),
                )))
            elif any(ctx.close(extra, tax) for tax in excess):
                status = "differs"
                amount, over = next(a for tax, a in excess.items() if ctx.close(extra, tax))
                keys.append(self.add_diagnosis(self._contribution_diagnosis(amount, ["schedule_2_additional_tax"])))
                excess_rate = ctx.params.statutory.excess_contribution_tax_rate.required()
                note = (f"{money_text(extra)} is the {_percent(excess_rate)} excess-contribution tax on "
                        f"{money_text(over)}: the "
                        f"{money_text(amount)} taken as a contribution"
                        + (f" minus the {money_text(amount - over)} yearly limit." if over != amount else "."))
            else:
                status = "note"
                note = (f"Higher than the 10% megaroth figures: line {line.line} also carries other additional taxes "
                        "(HSA, education accounts, excess contributions) that are not in this case.")
        else:
            status = "note" if flag.status == "review" else "differs"
            keys.append(self.add_diagnosis(Diagnosis(
                key="additional_tax_missing", rule=ADDITIONAL_MISSING.id,
                title="The 10% additional tax on the early distribution is missing",
                explanation=(f"megaroth figures {money_text(expected)} of 10% additional tax on the taxable part kept "
                             f"of a code 1 distribution; the software's Schedule 2 line {line.line} has "
                             f"{money_text(value)}. That is right only if an exception applies (separation from "
                             "service in or after the year you turned 55, disability, and the others listed for Form "
                             "5329 line 2)."),
                fix="If no exception applies, answer the software's early-distribution questions without one.",
                fit="possible", items=["schedule_2_additional_tax"], amount=expected - value,
                cites=list(ADDITIONAL_MISSING.cites),
            )))
        self.items.append(ComparedItem(
            item="schedule_2_additional_tax", line=f"Schedule 2 line {line.line}", label=line.label, kind="money",
            expected=expected, expected_text=ctx.text(expected) + (
                " (from these forms)" if expected else ""),
            software=figure.amount if figure else None, software_text=_text(figure.amount if figure else None),
            difference=None if value is None else _cents(value - expected), status=status,
            where=figure.where if figure else None, note=note, diagnoses=keys, cites=list(line.cite),
        ))


def compare(analysis: Analysis, case: Case, figures: SoftwareFigures, params: YearParameters,
            tolerance: Decimal, *, cents: bool = False, guides: GuideCatalog | None = None) -> Comparison:
    """megaroth's figures beside the software's, each difference with its likely cause.

    Args:
        cents: compare in dollars and cents (by default megaroth's lines are rounded to whole
            dollars, half up, as the return is filed).
        guides: the entry guides' catalog: a cause's fix then names the product's own screen when
            the figures say which product made them.
    """
    product = product_of(figures.software) if guides is not None else None
    entry_guides = build_guides(analysis, case, params, guides, [product]) if product else None
    ctx = Context(analysis=analysis, case=case, params=params, figures=figures, tolerance=tolerance,
                  forms={f.id: f for f in case.forms_1099r}, results=analysis.forms, cents=cents,
                  guides=entry_guides)
    builder = Builder(ctx)
    builder.lines()
    builder.markers()
    builder.form_8606()
    contribution = builder.roth_contributions()
    builder.additional_tax(contribution)
    notes = list(figures.notes) + builder.notes
    facts = _facts_missing(analysis, builder.items)
    missing = [r for r in analysis.forms if r.status != "computed"]
    if missing:
        notes.append("megaroth could not compute " + ", ".join(ctx.name(r.form_id) for r in missing)
                     + ": its figures leave that out, so the lines it goes on may differ for that reason alone.")
    if not any(item.status != "not_given" for item in builder.items):
        notes.append("No software figures to compare.")
    order = {key: index for index, key in enumerate(builder.diagnoses)}
    diagnoses = sorted(builder.diagnoses.values(), key=lambda d: (("all", "some", "possible").index(d.fit),
                                                                    order[d.key]))
    # First: until megaroth has the facts (and every form), its own lines are what is in doubt.
    for first in (facts, _forms_held(case, builder.items)):
        if first is None:
            continue
        diagnoses.insert(0, first)
        for item in builder.items:
            if item.item in first.items:
                item.diagnoses.insert(0, first.key)
    return Comparison(
        tax_year=analysis.tax_year, software=figures.software, file=figures.file, whole_dollars=not cents,
        agree=not any(item.status == "differs" for item in builder.items),
        complete=analysis.complete, items=builder.items, diagnoses=diagnoses, notes=notes,
    )


def _forms_held(case: Case, items: list) -> Diagnosis | None:
    """The cause to name first when a scanned 1099-R is off megaroth's lines until a person types its box 1 or 7
    (model.form1099r_awaiting): a differing figure within the held forms' box 1 may be the software having it."""
    held = case.forms_1099r_awaiting
    if not held:
        return None
    known = [f.box_1 for f in held if f.box_1 is not None]
    stake = total(known) if len(known) == len(held) else None  # a box 1 not yet read bounds nothing
    differing = [i.item for i in items if i.status == "differs"
                 and (i.difference is None or stake is None or abs(i.difference) <= stake)]
    if not differing:
        return None
    named = "; ".join(f"form {f.id!r}" + (f" ({f.payer_name})" if f.payer_name else "")
                      + f": {' and '.join(b.replace('_', ' ') for b in f.awaited)} not yet typed" for f in held)
    return Diagnosis(
        key="megaroth_forms_held", rule=FORMS_HELD.id,
        title="megaroth left out a scanned 1099-R until its box 1 or 7 is read off the paper",
        explanation=(f"megaroth's lines leave out {named}"
                     + (f", {money_text(stake)} of box 1" if stake is not None else "")
                     + ": the software, given that form, has it in its lines."),
        fix=("Nothing yet: answer megaroth's question about the box (what the paper form shows there: `megaroth "
             "report` asks) and compare again; only a difference that remains is the software's."),
        fit="possible", items=differing, amount=stake, cites=list(FORMS_HELD.cites))


def _facts_missing(analysis: Analysis, items: list) -> Diagnosis | None:
    """The cause to name first when megaroth's lines lack facts: the differing figures within the
    amount at stake are attributed to them until they are given."""
    if not analysis.missing_facts:
        return None
    # The stakes overlap (basis and contribution cover the same dollars): the largest bounds them.
    stake = max((m.at_stake for m in analysis.missing_facts if m.at_stake is not None), default=ZERO)
    differing = [i.item for i in items if i.status == "differs"
                 and (i.difference is None or not stake or abs(i.difference) <= stake)]
    if not differing:
        return None
    listed = "; ".join(m.message.split(". ")[0] for m in analysis.missing_facts)
    return Diagnosis(
        key="megaroth_facts_missing", rule=FACTS_MISSING.id,
        title="megaroth was not given a fact the tax depends on",
        explanation=(f"megaroth's own lines are not final: {listed}. They count what is missing as 0, which can "
                     f"move the lines by up to {money_text(stake)}; the software may have been given it."),
        fix=("Nothing yet: first give megaroth the facts (answer its questions, or `--fact NAME=VALUE`: `megaroth facts` lists them) and "
             "compare again; only a difference that remains is the software's."),
        fit="possible", items=differing, amount=stake or None, cites=list(FACTS_MISSING.cites))
