"""Rollovers of property (in kind), on variations of fixtures/cases/f5498_in_kind_rollover.json:
shares worth $50,000 when distributed (1099-R box 1) and $51,200 when the IRA received them
(Form 5498 box 2, i1099r: property at its value when received)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from megaroth import api
from megaroth.questions import apply_answers, questions

FIXTURE = json.loads((Path(__file__).parents[2] / "fixtures" / "cases" / "f5498_in_kind_rollover.json").read_text())


def _run(tmp_path, change):
    case = copy.deepcopy(FIXTURE)
    change(case)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    return case, api.analyze(api.load_case(path))


def test_not_said_in_kind_is_a_difference_and_the_question_is_asked(tmp_path):
    case, analysis = _run(tmp_path, lambda c: c["forms_1099r"][0]["disposition"][0].pop("rolled_as"))
    assert [m.status for m in analysis.rollover_matches] == ["different"]
    asked = [q for q in questions(case) if q.kind == "in_kind"]
    assert [q.id for q in asked] == ["acme-shares:in_kind"]
    answered = apply_answers(case, {"acme-shares:in_kind": "same_property"})
    assert answered["forms_1099r"][0]["disposition"][0]["rolled_as"] == "same_property"


def test_no_question_where_the_5498_agrees(tmp_path):
    def change(case):
        case["forms_1099r"][0]["disposition"][0].pop("rolled_as")
        case["forms_5498"][0]["box_2"] = "50000.00"
    case, analysis = _run(tmp_path, change)
    assert [m.status for m in analysis.rollover_matches] == ["matched"]
    assert not [q for q in questions(case) if q.kind == "in_kind"]


def test_value_received_matches_to_the_cent(tmp_path):
    _, analysis = _run(tmp_path, lambda c: c["forms_1099r"][0]["disposition"][0].update(value_received="51200.00"))
    match = analysis.rollover_matches[0]
    assert match.status == "matched"
    assert match.deposits[0].amount == Decimal("51200.00")
    assert match.deposits[0].value_when_distributed == Decimal("50000.00")
    # The lines are in box 1 terms whatever the value received: 5a 50,000, 5b 0.
    lines = {line.key: line.amount for line in analysis.lines}
    assert lines["5a"] == Decimal("50000.00") and lines["5b"] == Decimal("0.00")


def test_ira_property_sold_and_cash_rolled_is_not_a_rollover(tmp_path):
    # IRC 408(d)(3)(A) as Pub 590-A reads it: an IRA rollover must be of the same property; the
    # sale-proceeds rule (402(c)(6)) is for plans. $20,000 of shares from an IRA, sold, cash deposited.
    def change(case):
        case["forms_1099r"] = [{
            "id": "ira-shares", "box_1": "20000.00", "box_2a": "20000.00", "box_7": "7",
            "box_7_ira_sep_simple": True, "distribution_date": "2025-03-03",
            "disposition": [{"to": "traditional_ira", "amount": "20000.00", "within_60_days": True,
                             "date": "2025-03-20", "rolled_as": "sale_proceeds"}]}]
        case["forms_5498"] = []
        case["taxpayer"]["ira"] = {"basis": "0", "nondeductible_contributions": "0"}
    _, analysis = _run(tmp_path, change)
    lines = {line.key: line.amount for line in analysis.lines}
    assert lines["4b"] == Decimal("20000.00")
    assert "disposition.ira_property_sold" in {f.code for f in analysis.findings}


def test_plan_property_sold_and_proceeds_rolled_is_a_rollover(tmp_path):
    # IRC 402(c)(6): the proceeds of plan property may be rolled over; 5498 shows the proceeds.
    def change(case):
        part = case["forms_1099r"][0]
        part["box_7"] = "7"
        part["box_2a"] = "50000.00"
        part["disposition"][0].update(rolled_as="sale_proceeds", value_received="51200.00", within_60_days=True)
    _, analysis = _run(tmp_path, change)
    lines = {line.key: line.amount for line in analysis.lines}
    assert lines["5b"] == Decimal("0.00")
    assert [m.status for m in analysis.rollover_matches] == ["matched"]
    assert "disposition.plan_property_sold" in {f.code for f in analysis.findings}
