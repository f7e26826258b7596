"""The questions about each Form 1099-R that the form cannot answer: whose it is on a joint return,
where the money went and how much to each destination, whether a rollover was an indirect
(60-day) one and on what date; and, on a Form 1099-R or 5498 read from a scan, what the paper form
shows in each box the scan left awaiting confirmation (`confirm`). The questions about a person (Form 8606's facts, a birth date)
are in `facts`; `megaroth.questions` puts both together for every front end.

Answers are strings (a choice's value, an amount, a date), except an allocation, which is a
mapping of destination → amount (or a single destination: all of box 1 went there). Nothing
here reads a file or computes a tax figure; the case is validated by the model when it is
loaded again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from megaroth.model.form1099r import DESTINATION_TITLES, Destination
from megaroth.money import MoneyError, money_text, parse_money
from megaroth.questions import boxes as box_catalogue, confirm

OWNER = "owner"
ALLOCATION = "allocation"
SIXTY_DAY = "sixty_day"
ROLLOVER_DATE = "rollover_date"
IN_KIND = "in_kind"

CONFIRM = "confirm"
"""A box read from a scan (a Form 1099-R's or a Form 5498's) that the form's checks or the engine's
confidence left to a person (`confirm`)."""

DIRECT_CODES = frozenset({"G", "H"})
"""Codes that report a direct rollover: no 60-day question."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question about one form."""

    id: str
    """Unique in the case: "<form id>:<kind>"."""
    form_id: str
    kind: str
    """owner, allocation, sixty_day, rollover_date or in_kind."""
    prompt: str
    choices: tuple[Choice, ...] = ()
    """The allowed answers (for an allocation: the destinations, each given an amount)."""
    total: str | None = None
    """For an allocation: the amount to share out (box 1)."""
    current: Any = None
    """The answer the case already holds, if any (to pre-fill a form)."""
    form_label: str = ""
    role: str = ""
    """For a fact about a person: taxpayer or spouse."""
    fact: str = ""
    """For a fact about a person: its name (`facts.Fact.name`)."""
    fact_title: str = ""
    """For a fact: what it is, in a few words."""
    where: str = ""
    """Where to find the figure."""
    why: str = ""
    """What the answer changes."""
    value_kind: str = ""
    """For a fact: money, year, date or layers; for a box to confirm, its kind (`boxes`)."""
    box_name: str = ""
    """For a box to confirm: the box as printed on the form ("box 2a", "the account number box")."""
    at_stake: str | None = None
    """For a fact: the most the Form 1040 lines can change by once it is known, as an amount."""
    option: str = ""
    """For a fact: its name as an option (--fact NAME=VALUE) and a CSV column."""

    def allowed(self) -> list[str]:
        return [c.value for c in self.choices]


class AnswerError(ValueError):
    """An answer that is not one of the allowed ones; says which question."""

    def __init__(self, question_id: str, message: str):
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.message = message


YES_NO = (Choice("no", "No: a direct rollover (plan to plan or to the IRA)"),
          Choice("yes", "Yes: paid to me, and I deposited it myself (60-day rollover)"))
DESTINATIONS = tuple(Choice(d.value, DESTINATION_TITLES[d]) for d in Destination)


def _codes(form: Mapping[str, Any]) -> set[str]:
    return {c for c in str(form.get("box_7") or "").upper() if c.isalnum()}


def _label(form: Mapping[str, Any]) -> str:
    payer = form.get("payer_name") or "payer not named"
    # A scanned form awaiting box 1 or 7 is named by what a person can find on the paper instead.
    gross = f"box 1 {_money(form['box_1'])}" if form.get("box_1") not in (None, "") else "box 1 not yet read"
    code = f"code {form['box_7']}" if form.get("box_7") not in (None, "") else "box 7 not yet read"
    account = f", account {form['account_number']}" if form.get("account_number") and (
        form.get("box_1") in (None, "") or form.get("box_7") in (None, "")) else ""
    return f"{form.get('id')} ({payer}{account}, {gross}, {code})"


def _money(text: Any) -> str:
    """An amount of the case file as people read it ($10,200.00); as given when it is not one."""
    try:
        return money_text(Decimal(str(text)))
    except (ArithmeticError, ValueError):
        return str(text)


IRA_DESTINATIONS = tuple(c for c in DESTINATIONS if c.value in (
    Destination.roth_ira.value, Destination.traditional_ira.value, Destination.employer_plan.value,
    Destination.kept.value))
"""An IRA's money can go to a Roth IRA (a conversion), another traditional IRA, a plan that takes
rollovers, or be kept; a plan's designated Roth account is not an IRA's destination."""


def _destinations(form: Mapping[str, Any]) -> tuple[Choice, ...]:
    return IRA_DESTINATIONS if form.get("box_7_ira_sep_simple") else DESTINATIONS


def _joint(case: Mapping[str, Any]) -> bool:
    return bool(case.get("spouse")) and str(case.get("filing_status") or "").endswith("jointly")


def _rolled(form: Mapping[str, Any]) -> bool:
    return any(d.get("to") != Destination.kept.value for d in form.get("disposition") or [])


IN_KIND_CHOICES = (
    Choice("cash", "Cash: the money paid out was deposited"),
    Choice("same_property", "In kind: the same shares or other property were moved into the IRA"),
    Choice("sale_proceeds", "Property was sold and the cash from the sale deposited"))
IRA_KINDS = (Destination.traditional_ira.value, Destination.roth_ira.value)


def _amount_or_none(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (ArithmeticError, ValueError):
        return None


def _5498_differs(case: Mapping[str, Any], disposition: list[Mapping[str, Any]]) -> bool:
    """Whether the case's Forms 5498 show none of the amounts this form's IRA rollovers add up to: the only
    case where whether a rollover was in kind matters (a 5498 shows property at its value when received)."""
    forms = [f for f in case.get("forms_5498") or [] if not f.get("void")]
    rolled = [_amount_or_none(d.get("amount")) for d in disposition if d.get("to") in IRA_KINDS]
    if not forms or not rolled or None in rolled:
        return False
    shown = [_amount_or_none(f.get(box)) for f in forms for box in ("box_2", "box_3", "box_13a") if f.get(box)]
    shown = [a for a in shown if a is not None]
    candidates = set(shown) | {sum(shown, Decimal("0"))}
    return not any(abs(a - b) < 1 for a in candidates for b in set(rolled) | {sum(rolled, Decimal("0"))})


def form_questions(case: Mapping[str, Any]) -> list[Question]:
    """What is still to be asked about each form of a case (a case-file dict), in order."""
    asked: list[Question] = []
    # A scanned form whose box 1 or 7 a person must read first: it is off the return until they are typed.
    for form in case.get("forms_1099r_awaiting") or []:
        asked += _confirm_questions(case, "forms_1099r_awaiting", form, _label(form))
    for form in case.get("forms_1099r") or []:
        fid = str(form.get("id"))
        label = _label(form)
        # first what the paper form shows where a scan was unsure: the other answers build on the boxes
        asked += _confirm_questions(case, "forms_1099r", form, label)
        if _joint(case) and form.get("owner") is None:
            asked.append(Question(f"{fid}:{OWNER}", fid, OWNER, "Whose form is this on your joint return?",
                                  (Choice("taxpayer", "Mine (the taxpayer's)"), Choice("spouse", "My spouse's")),
                                  form_label=label))
        disposition = form.get("disposition") or []
        current = {d["to"]: str(d["amount"]) for d in disposition if "to" in d and "amount" in d} or None
        asked.append(Question(f"{fid}:{ALLOCATION}", fid, ALLOCATION,
                              "Where did the money go, and how much to each place? (the amounts add up to box 1)",
                              _destinations(form), total=str(form.get("box_1")), current=current,
                              form_label=label))
        if disposition and _rolled(form) and not (_codes(form) & DIRECT_CODES):
            sixty = any(d.get("within_60_days") for d in disposition)
            asked.append(Question(f"{fid}:{SIXTY_DAY}", fid, SIXTY_DAY,
                                  "Was the money paid to you, and did you deposit it yourself within 60 days?",
                                  YES_NO, current="yes" if sixty else None, form_label=label))
            if sixty:
                date = next((d.get("date") for d in disposition if d.get("date")), None)
                asked.append(Question(f"{fid}:{ROLLOVER_DATE}", fid, ROLLOVER_DATE,
                                      "On what date did you deposit it (YYYY-MM-DD)?", current=date, form_label=label))
        rolled_as = next((d.get("rolled_as") for d in disposition if d.get("rolled_as")), None)
        if rolled_as or _5498_differs(case, disposition):
            asked.append(Question(f"{fid}:{IN_KIND}", fid, IN_KIND,
                                  "The IRA's Form 5498 shows a different amount. Was the rollover made in cash, or in "
                                  "kind (shares or other property), or with the cash from selling the property?",
                                  IN_KIND_CHOICES, current=rolled_as, form_label=label))
    for form in case.get("forms_5498") or []:
        asked += _confirm_questions(case, "forms_5498", form, _label_5498(form))
    return asked


def _label_5498(form: Mapping[str, Any]) -> str:
    trustee = form.get("trustee_name") or "trustee not named"
    account = f", account {form['account_number']}" if form.get("account_number") else ""
    return f"5498 {form.get('id')} ({trustee}{account})"


def _confirm_questions(case: Mapping[str, Any], form_list: str, form: Mapping[str, Any],
                       label: str) -> list[Question]:
    """One question for each box a scan left awaiting confirmation: what the paper form shows there
    (a box not in the form's catalogue, a state row, is typed into the case file as the report says)."""
    fid = str(form.get("id"))
    provenance = form.get("provenance") or {}
    asked = []
    required = box_catalogue.REQUIRED.get(form_list, ())
    awaiting = provenance.get("awaiting_confirmation") or {}
    # The boxes every form shows first (box 1, box 7): until they are typed the form is off the return.
    for key, why in sorted(awaiting.items(), key=lambda item: item[0] not in required):
        box = box_catalogue.box_of(form_list, key)
        if box is None:
            continue
        codes = confirm.allowed_codes(form_list, key, confirm.year_of(case, form))
        asked.append(Question(f"{fid}:{CONFIRM}:{key}", fid, CONFIRM, confirm.prompt(box, why, codes, key in required),
                              tuple(Choice(v, t) for v, t in confirm.choices(box)), form_label=label,
                              value_kind=box.kind, fact=key, box_name=box.name))
    return asked


def _confirm_answers(case: dict[str, Any], answers: Mapping[str, Any]) -> None:
    """Each answered box written into its form (Form 1099-R or 5498), checked by the form's model,
    marked confirmed and no longer awaited.

    Raises:
        AnswerError: an answer the box cannot hold (names the question).
    """
    for form_list, form in confirm.form_lists(case):
        label = _label_5498(form) if form_list == "forms_5498" else _label(form)
        for question in _confirm_questions(case, form_list, form, label):
            answer = answers.get(question.id)
            if answer is None or not str(answer).strip():
                continue
            box = box_catalogue.box_of(form_list, question.fact)
            codes = confirm.allowed_codes(form_list, box.key, confirm.year_of(case, form))
            try:
                written = confirm.values(box, str(answer).strip(), codes)
            except confirm.Refused as exc:
                raise AnswerError(question.id, str(exc)) from None
            if box.key in box_catalogue.REQUIRED.get(form_list, ()) and any(v is None for v in written.values()):
                raise AnswerError(question.id, f"every Form 1099-R shows {box.name}: type what the paper form shows "
                                               "there (the form stays off the return until you do)")
            for field, value in written.items():
                if value is None:
                    form.pop(field, None)
                else:
                    form[field] = value
            said = confirm.check_with_model(form_list, form, box)
            if said:
                raise AnswerError(question.id, f"{str(answer).strip()!r} cannot be {box.name}: {said}")
            confirm.mark_confirmed(form, box, written)
    _to_the_return(case)


def _to_the_return(case: dict[str, Any]) -> None:
    """Each form kept aside for its box 1 or 7 (model.form1099r_awaiting) that now has both, moved to the return's
    forms: from here it is asked and computed like any other (its other boxes still awaiting stay listed)."""
    held = case.get("forms_1099r_awaiting") or []
    ready = [f for f in held if f.get("box_1") not in (None, "") and f.get("box_7") not in (None, "")]
    if not ready:
        return
    case["forms_1099r_awaiting"] = [f for f in held if f not in ready]
    if not case["forms_1099r_awaiting"]:
        del case["forms_1099r_awaiting"]
    case["forms_1099r"] = [*(case.get("forms_1099r") or []), *ready]


def _amount(question_id: str, text: str) -> Decimal:
    """An answered amount, read as every amount is (money.parse_money: commas, $, bounds, cents)."""
    try:
        value = parse_money(str(text))
    except MoneyError as exc:
        raise AnswerError(question_id, str(exc)) from None
    if value is None:
        raise AnswerError(question_id, f"{text!r} is not an amount")
    return value


def _allocation(question: Question, answer: Any) -> list[dict[str, str]]:
    if isinstance(answer, str):
        answer = {answer: question.total}
    parts = []
    for dest, text in dict(answer).items():
        if dest not in question.allowed():
            raise AnswerError(question.id, f"{dest!r} is not a destination ({', '.join(question.allowed())})")
        if text is None or not str(text).strip():
            continue
        amount = _amount(question.id, str(text))
        if amount:
            parts.append({"to": dest, "amount": str(amount)})
    if not parts:
        raise AnswerError(question.id, "give an amount for at least one destination")
    total = sum((Decimal(p["amount"]) for p in parts), Decimal("0"))
    if question.total is not None and total != Decimal(question.total):
        raise AnswerError(question.id, f"the amounts add up to ${total}, box 1 is ${question.total}")
    return parts


def apply_form_answers(case: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the case with the answers about its forms written into them.

    Args:
        answers: question id → answer; unknown ids and blank answers are ignored.

    Raises:
        AnswerError: for an answer that is not allowed (names the question).
    """
    result = copy.deepcopy(dict(case))
    # first what the paper forms show (a form whose box 1 or 7 is typed joins the return's forms), then kind by
    # kind, asking again each time: the 60-day questions refer to the destinations the allocation sets, the date
    # to the 60-day answer
    _confirm_answers(result, answers)
    forms = {str(f.get("id")): f for f in result.get("forms_1099r") or []}
    for kind in (OWNER, ALLOCATION, SIXTY_DAY, ROLLOVER_DATE, IN_KIND):
        for question in [q for q in form_questions(result) if q.kind == kind]:
            _apply(question, answers.get(question.id), forms[question.form_id])
    return result


def _apply(question: Question, answer: Any, form: dict[str, Any]) -> None:
    """Write one answer into its form (blank: nothing)."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return
    if question.kind == OWNER:
        if answer not in question.allowed():
            raise AnswerError(question.id, f"answer {' or '.join(question.allowed())}")
        form["owner"] = answer
    elif question.kind == ALLOCATION:
        old = {d.get("to"): d for d in form.get("disposition") or []}
        form["disposition"] = [{**{k: v for k, v in old.get(p["to"], {}).items() if k not in ("to", "amount")},
                                **p} for p in _allocation(question, answer)]
    elif question.kind == SIXTY_DAY:
        if answer not in question.allowed():
            raise AnswerError(question.id, "answer yes or no")
        for part in form.get("disposition") or []:
            if part.get("to") != Destination.kept.value:
                part["within_60_days"] = answer == "yes"
                if answer == "no":
                    part.pop("date", None)
    elif question.kind == IN_KIND:
        if answer not in question.allowed():
            raise AnswerError(question.id, f"answer {', '.join(question.allowed())}")
        for part in form.get("disposition") or []:
            if part.get("to") in IRA_KINDS:
                part["rolled_as"] = answer
    elif question.kind == ROLLOVER_DATE:
        text = str(answer).strip()
        if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
            raise AnswerError(question.id, f"{text!r} is not a date (YYYY-MM-DD)")
        for part in form.get("disposition") or []:
            if part.get("within_60_days"):
                part["date"] = text


__all__ = ["Question", "Choice", "AnswerError", "form_questions", "apply_form_answers", "CONFIRM",
           "OWNER", "ALLOCATION", "SIXTY_DAY", "ROLLOVER_DATE", "IN_KIND", "DESTINATIONS"]
