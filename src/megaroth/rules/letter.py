"""The request for corrected forms: every finding that means a form as issued is wrong
(`forms/corrections.toml`), gathered per form and addressed to its issuer — the plan or IRA
that paid (Form 1099-R) or the IRA that received the money (Form 5498).

An issuer that finds an error on a filed form "must correct it as soon as possible" (i1099r,
Corrected Form 1099-R). When the corrected form does not come, the documented path is Form
4852 after the end of February (the IRS contacts the payer); reporting the right amounts with
an explanation statement is common practice, and the letter says which is which.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.catalog import box_label
from megaroth.checks.registry import CHECKS
from megaroth.model.case import Case
from megaroth.model.form1099r import Form1099R
from megaroth.model.form5498 import Form5498
from megaroth.model.letter import BoxFix, CorrectionRequest, LetterDocument, PrintedBox, Problem
from megaroth.model.results import Analysis, FormResult
from megaroth.money import money_text
from megaroth.params import correction_asks, load_year

SPLIT_CODES = {"form.one_form_two_destinations", "disposition.cash_on_direct_rollover_form", "rmd.rolled_over"}
LETTER_CITES = ["i1099r.corrected-1099r", "f4852.use"]
F5498_LABELS = {"box_1": "box 1 (IRA contributions)", "box_2": "box 2 (Rollover contributions)",
                "box_3": "box 3 (Roth IRA conversion amount)", "box_5": "box 5 (FMV of account)",
                "box_10": "box 10 (Roth IRA contributions)", "box_13a": "box 13a (Postponed/late contrib.)"}


def _tin(tin, reveal: bool) -> str:
    if tin is None:
        return ""
    return tin.reveal() if reveal else tin.masked()


def _money(value: Decimal | None) -> str:
    return money_text(value, blank="blank")


def _printed_1099r(form: Form1099R, layout: str) -> list[PrintedBox]:
    rows = [("box_1", _money(form.box_1)), ("box_2a", _money(form.box_2a))]
    if form.box_2b_taxable_not_determined:
        rows.append(("box_2b_taxable_not_determined", "checked"))
    if form.box_2b_total_distribution:
        rows.append(("box_2b_total_distribution", "checked"))
    rows += [("box_4", _money(form.box_4)), ("box_5", _money(form.box_5)), ("box_7", form.box_7)]
    if form.box_7_ira_sep_simple:
        rows.append(("box_7_ira_sep_simple", "checked"))
    if form.box_10 is not None:
        rows.append(("box_10", _money(form.box_10)))
    return [PrintedBox(box=name, label=box_label(name, layout), value=value) for name, value in rows]


def _fixes_1099r(form: Form1099R, result: FormResult | None, codes: set[str], layout: str) -> list[BoxFix]:
    """The boxes megaroth's own figures correct: box 2a (and box 5) of a plan distribution computed
    from known basis and destinations. Where megaroth reported the form's own box 2a (the boxes
    disagree and the plan's records decide) it proposes no figure."""
    if (result is None or result.status != "computed" or result.account not in ("plan", "designated_roth")
            or not result.destination_known or "form.box_2a_differs_reported" in codes or result.entry_split):
        return []
    fixes = []
    if result.taxable is not None and (form.box_2a != result.taxable or form.taxable_not_determined):
        fixes.append(BoxFix(box="box_2a", label=box_label("box_2a", layout), printed=_money(form.box_2a),
                            should_be=money_text(result.taxable)))
    if result.basis is not None and form.box_5 != result.basis and result.account == "plan":
        fixes.append(BoxFix(box="box_5", label=box_label("box_5", layout), printed=_money(form.box_5),
                            should_be=money_text(result.basis)))
    if form.taxable_not_determined and fixes:
        fixes.append(BoxFix(box="box_2b_taxable_not_determined", label=box_label("box_2b_taxable_not_determined",
                            layout), printed="checked", should_be="not checked"))
    return fixes


def _statement_1099r(form: Form1099R, result: FormResult | None, fixes: list[BoxFix], problems: list[Problem],
                     tax_year: int) -> str:
    who = form.payer_name or "the payer"
    said = "; ".join(f"{f.label} {f.printed}, which should be {f.should_be}" for f in fixes)
    text = (f"Explanation of Form 1099-R {form.id!r} from {who}"
            + (f" (account {form.account_number})" if form.account_number else "") + f" for {tax_year}: ")
    text += (f"the form shows {said}. " if said else
             "the form is wrong as follows: " + " ".join(p.message for p in problems) + " ")
    if result is not None and result.status == "computed" and result.taxable is not None:
        text += (f"This return reports the distribution of {money_text(result.gross)} with a taxable amount of "
                 f"{money_text(result.taxable)}, figured from the after-tax basis and where the money went, as the "
                 "attached worksheet shows. ")
    return text + "A corrected form was requested from the payer on [date]."


def _request_1099r(form: Form1099R, result: FormResult | None, problems: list[Problem], codes: set[str],
                   analysis: Analysis, reveal: bool) -> CorrectionRequest:
    layout = load_year(analysis.tax_year).f1040.meta.f1099r_layout
    fixes = _fixes_1099r(form, result, codes, layout)
    split = list(result.entry_split) if result is not None and codes & SPLIT_CODES else []
    return CorrectionRequest(
        to="payer", issuer=form.payer_name, issuer_tin=_tin(form.payer_tin, reveal), form="1099-R", form_id=form.id,
        tax_year=analysis.tax_year, account_number=form.account_number, recipient=form.recipient_name,
        recipient_tin=_tin(form.recipient_tin, reveal), printed=_printed_1099r(form, layout), problems=problems,
        fixes=fixes, split=split, statement=_statement_1099r(form, result, fixes, problems, analysis.tax_year))


def _request_5498(form: Form5498, problems: list[Problem], analysis: Analysis, reveal: bool) -> CorrectionRequest:
    year = form.tax_year or analysis.tax_year
    printed = [PrintedBox(box=name, label=label, value=_money(getattr(form, name)))
               for name, label in F5498_LABELS.items() if getattr(form, name) is not None]
    printed.append(PrintedBox(box="box_7", label="box 7 (kind of IRA)", value="Roth IRA" if form.roth else "IRA"))
    fixes = []
    deposits = []
    for match in analysis.rollover_matches:
        if form.id not in match.forms_5498 or len(match.forms_5498) != 1:
            continue  # several forms pooled: which one should show what cannot be said
        deposits += match.deposits
        for box, field in (("2", "box_2"), ("3", "box_3"), ("13a", "box_13a")):
            want = match.expected.get(box)
            have = getattr(form, field)
            if (want or have) and (want or 0) != (have or 0):
                fixes.append(BoxFix(box=field, label=F5498_LABELS[field], printed=_money(have),
                                    should_be=money_text(want or Decimal("0.00"))))
    sent = "; ".join(f"{money_text(d.amount)} from Form 1099-R {d.form_id!r}" + (f" on {d.date}" if d.date else "")
                     for d in deposits)
    statement = (f"Form 5498 {form.id!r} from {form.trustee_name or 'the IRA trustee'}"
                 + (f" (account {form.account_number})" if form.account_number else "")
                 + f" for {year} does not show the rollover as received"
                 + (f": {sent} was deposited into it" if sent else "")
                 + ". The custodian's deposit confirmation is kept with this return; a corrected Form 5498 was "
                   "requested on [date].")
    return CorrectionRequest(
        to="trustee", issuer=form.trustee_name, issuer_tin=_tin(form.trustee_tin, reveal), form="5498",
        form_id=form.id, tax_year=year, account_number=form.account_number, recipient=form.participant_name,
        recipient_tin=_tin(form.participant_tin, reveal), printed=printed, problems=problems, fixes=fixes,
        statement=statement)


def correction_requests(analysis: Analysis, case: Case, *, reveal_tins: bool = False) -> LetterDocument:
    """Every request for a corrected form the analysis calls for, one per form."""
    asks = correction_asks()
    problems: dict[str, list[Problem]] = {}
    codes: dict[str, set[str]] = {}
    for finding in analysis.findings:
        ask = asks.get(finding.code)
        if ask is None or finding.form_id is None:
            continue
        items = problems.setdefault(finding.form_id, [])
        if any(p.code == finding.code and p.message == finding.message for p in items):
            continue
        items.append(Problem(code=finding.code, box=ask.box, message=ask.problem or CHECKS[finding.code].title,
                             detail=finding.message, ask=ask.ask,
                             cites=list(dict.fromkeys(ask.cite + finding.cites))))
        codes.setdefault(finding.form_id, set()).add(finding.code)
    results = {r.form_id: r for r in analysis.forms}
    requests = []
    for form in case.forms_1099r:
        if form.id in problems:
            requests.append(_request_1099r(form, results.get(form.id), problems[form.id], codes[form.id], analysis,
                                           reveal_tins))
    for form in case.forms_5498:
        if form.id in problems:
            requests.append(_request_5498(form, problems[form.id], analysis, reveal_tins))
    steps = [
        "Send the request in writing and keep a copy with its date; the issuer must correct a form filed with an "
        "error as soon as possible (i1099r, Corrected Form 1099-R).",
        "If the corrected Form 1099-R has not come by the end of February, call the IRS at 800-829-1040: it asks "
        "the payer for the form and sends you Form 4852, Substitute for Form W-2 or Form 1099-R.",
        "Form 4852 (the documented path): line 8 takes the amounts the corrected form should show (8a gross "
        "distribution, 8b taxable amount, 8i employee contributions, 8j distribution codes), line 9 how you "
        "determined them (this worksheet), line 10 your efforts to get the form. Attach it to the return.",
        "Common practice instead of Form 4852: report the amounts you know to be right and attach the explanation "
        "statement below. If a corrected form arrives later and differs from what you filed, amend with Form 1040-X.",
        "A Form 5498 is not filed with the return: keep its explanation and the deposit confirmation to answer a "
        "notice that asks about the rollover.",
    ]
    return LetterDocument(tax_year=analysis.tax_year, taxpayer_name=case.taxpayer.name, requests=requests,
                          if_not_corrected=steps, cites=LETTER_CITES)
