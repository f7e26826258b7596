"""The questions megaroth asks, defined once for every front end: the terminal interview, `--ask`,
the web page, the `--fact` option and the preparer's CSV columns.

Two kinds:
- about a form (`forms`): whose it is on a joint return, where its money went, a 60-day
  rollover and its date; and what the paper form shows in each box a scan of a Form 1099-R or
  5498 left awaiting confirmation (`confirm`, asked by the kind `boxes` gives each box);
- about a person (`facts`): Form 8606's facts, a birth date… — asked only when the rules report
  them missing for the case at hand (`Analysis.missing_facts`: the tax depends on them and
  nobody gave them), so nobody is asked what does not change their result.

`questions(case, missing)` lists them in the order to ask; `apply_answers(case, answers)` writes
answers into a copy of the case-file dict. "I don't know" is an answer (`facts.is_unknown`): it
writes nothing, and the result stays incomplete, with the amount at stake said.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from megaroth.questions import facts as _facts
from megaroth.questions.facts import FACTS, Fact, FactValueError, is_unknown, option_name
from megaroth.questions.forms import (
    ALLOCATION,
    CONFIRM,
    OWNER,
    ROLLOVER_DATE,
    SIXTY_DAY,
    AnswerError,
    Choice,
    Question,
    apply_form_answers,
    form_questions,
)

FACT = "fact"
"""The kind of a question about a person."""


def fact_question(role: str, fact: Fact, tax_year: int, *, at_stake: Any = None, current: Any = None,
                  person_name: str | None = None) -> Question:
    """The question for one person's fact."""
    label = person_name or ("You" if role == "taxpayer" else "Your spouse")
    return Question(
        id=_facts.path(role, fact), form_id="", kind=FACT, fact_title=fact.title, prompt=_facts.wording(role, fact.prompt, tax_year),
        current=current, form_label=label, role=role, fact=fact.name,
        where=_facts.wording(role, fact.where, tax_year), why=_facts.wording(role, fact.why, tax_year), value_kind=fact.kind,
        at_stake=None if at_stake is None else str(at_stake), option=option_name(role, fact))


def fact_questions(case: Mapping[str, Any], missing: Iterable[Any]) -> list[Question]:
    """The questions for the facts the analysis reports missing (`MissingFact`s, or their paths),
    in the definition's order: the contribution before the basis, the basis before the value."""
    wanted: dict[str, Any] = {}
    for item in missing:
        fact_path = item if isinstance(item, str) else item.fact
        wanted[fact_path] = None if isinstance(item, str) else item.at_stake
    year = int(case.get("tax_year") or 0)
    asked = []
    for role in _facts.ROLES:
        person = case.get(role) if isinstance(case.get(role), Mapping) else {}
        for fact in FACTS:
            key = _facts.path(role, fact)
            if key in wanted:
                asked.append(fact_question(role, fact, year, at_stake=wanted[key],
                                           current=_facts.current(dict(case), role, fact),
                                           person_name=(person or {}).get("name")))
    return asked


def page_questions(case: Mapping[str, Any], missing: Iterable[Any] = ()) -> list[Question]:
    """What a page of all the answers shows: every form question, the missing facts, and the facts
    already given (so that an answer can be changed without losing the rest)."""
    wanted = list(missing)
    given = [_facts.path(role, fact) for role in _facts.ROLES for fact in FACTS
             if isinstance(case.get(role), Mapping) and _facts.current(dict(case), role, fact) not in (None, [])]
    known = {item if isinstance(item, str) else item.fact for item in wanted}
    return form_questions(case) + fact_questions(case, wanted + [g for g in given if g not in known])


def questions(case: Mapping[str, Any], missing: Iterable[Any] = ()) -> list[Question]:
    """Every question for a case-file dict: its forms', then the missing facts'."""
    return form_questions(case) + fact_questions(case, missing)


def open_questions(case: Mapping[str, Any], missing: Iterable[Any] = ()) -> list[Question]:
    """The questions the case holds no answer to yet."""
    return [q for q in questions(case, missing) if q.current is None]


def apply_answers(case: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the case with the answers written in: the forms' answers into their forms, a
    fact's (keyed by its path, "taxpayer.ira.basis") into its person. Blank and "I don't know"
    answers write nothing; unknown question ids are ignored.

    Raises:
        AnswerError: for an answer that is not allowed (names the question).
    """
    result = apply_form_answers(case, answers)
    year = int(result.get("tax_year") or 0)
    for key, answer in answers.items():
        found = _facts.from_path(str(key))
        if found is None or answer is None or (isinstance(answer, str) and not answer.strip()) or is_unknown(answer):
            continue
        role, fact = found
        try:
            value = _facts.read_value(fact, answer, year)
        except FactValueError as exc:
            raise AnswerError(str(key), str(exc)) from None
        _facts.write(result, role, fact, copy.deepcopy(value))
    return result


__all__ = ["Question", "Choice", "AnswerError", "Fact", "FACTS", "questions", "open_questions", "fact_question",
           "fact_questions", "apply_answers", "is_unknown", "option_name", "OWNER", "ALLOCATION", "SIXTY_DAY",
           "ROLLOVER_DATE", "FACT", "page_questions", "CONFIRM"]
