"""The interview: the questions a 1099-R cannot answer, and their answers written into a case."""

import json
from pathlib import Path

import pytest

from megaroth import api, questions as interview

CASES = Path(__file__).parent.parent / "fixtures" / "cases"


def _case(name: str) -> dict:
    return json.loads((CASES / name).read_text())


def _lines(case: dict) -> dict:
    analysis = api.analyze_with_ledger(api.case_from_dict(case))
    return {line.key: line.amount for line in analysis.lines}


def test_destination_question_changes_the_lines():
    case = _case("g_without_disposition.json")
    asked = interview.open_questions(case)
    assert [q.id for q in asked] == ["acme-unknown:allocation"]
    assert "roth_ira" in asked[0].allowed() and asked[0].total == "10200.00"
    answered = interview.apply_answers(case, {"acme-unknown:allocation": "traditional_ira"})
    assert answered["forms_1099r"][0]["disposition"] == [{"to": "traditional_ira", "amount": "10200.00"}]
    assert case["forms_1099r"][0].get("disposition") is None  # the input is not changed
    assert str(_lines(answered)["5b"]) == "0.00"


def test_split_must_add_up_to_box_1():
    case = _case("g_without_disposition.json")
    with pytest.raises(interview.AnswerError, match="add up"):
        interview.apply_answers(case, {"acme-unknown:allocation": {"roth_ira": "100"}})
    with pytest.raises(interview.AnswerError, match="not a destination"):
        interview.apply_answers(case, {"acme-unknown:allocation": "mattress"})
    split = interview.apply_answers(case, {"acme-unknown:allocation": {"roth_ira": "10,000", "traditional_ira": "$200"}})
    assert [d["amount"] for d in split["forms_1099r"][0]["disposition"]] == ["10000.00", "200.00"]


def test_sixty_day_and_date_follow_the_destination():
    case = _case("sixty_day_after_tax_to_roth.json")
    kinds = [q.kind for q in interview.questions(case)]
    assert kinds == ["allocation", "sixty_day", "rollover_date"]
    answered = interview.apply_answers(case, {"hooli-after-tax:rollover_date": "2025-03-01"})
    assert answered["forms_1099r"][0]["disposition"][0]["date"] == "2025-03-01"
    with pytest.raises(interview.AnswerError, match="not a date"):
        interview.apply_answers(case, {"hooli-after-tax:rollover_date": "March"})
    direct = interview.apply_answers(case, {"hooli-after-tax:sixty_day": "no"})
    assert [q.kind for q in interview.questions(direct)] == ["allocation", "sixty_day"]


def test_owner_asked_on_a_joint_return_only():
    case = _case("joint_backdoor_both_mega_one.json")
    owners = [q for q in interview.questions(case) if q.kind == interview.OWNER]
    assert all(q.allowed() == ["taxpayer", "spouse"] for q in owners)
    assert not [q for q in interview.questions(_case("g_without_disposition.json")) if q.kind == interview.OWNER]
