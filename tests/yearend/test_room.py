"""Contribution room, worked examples: the seeds of tax-rules.md and cases worked from the
statute (IRC 402(g), 414(v), 415(c), 401(a)(17), 457)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from megaroth.model.yearend import Plan
from megaroth.params import load_year
from megaroth.rules.room import room


def plan(**fields) -> Plan:
    fields.setdefault("id", "p")
    fields.setdefault("employer", "E")
    return Plan.model_validate(fields)


def rooms(result):
    return {p.plan_id: p.room for p in result.plans}


def codes(result):
    return {f.code for f in result.findings}


@pytest.mark.parametrize("year, deferrals, employer, expected", [
    (2025, "23500", "6000", "40500.00"),    # seed: age 28, salary 200,000, 3% employer
    (2025, "23500", "10000", "36500.00"),   # seed
    (2026, "24500", "10000", "37500.00"),   # seed
    (2024, "23000", "10000", "36000.00"),   # 69,000 − 33,000
    (2019, "19000", "5000", "32000.00"),    # 56,000 − 24,000
])
def test_seed_examples(year, deferrals, employer, expected):
    result = room([plan(compensation="200000", pretax_deferrals=deferrals, nonelective=employer)],
                  date(year - 28, 6, 1), load_year(year))
    assert rooms(result) == {"p": D(expected)}


def test_plan_cap_of_ten_percent_of_salary():
    result = room([plan(compensation="200000", pretax_deferrals="23500", employer_match="6000",
                        after_tax_cap_percent="10")], date(1997, 1, 1), load_year(2025))
    assert rooms(result) == {"p": D("20000.00")}


def test_compensation_below_the_dollar_limit():
    # 415(c): the lesser of 70,000 and 100% of pay (40,000): 40,000 − 10,000 − 2,000 = 28,000.
    result = room([plan(compensation="40000", pretax_deferrals="10000", employer_match="2000")], None, load_year(2025))
    assert rooms(result) == {"p": D("28000.00")}


def test_catch_up_is_outside_415c_and_never_after_tax_room():
    # Age 55 in 2025: 31,000 deferred = 23,500 + 7,500 catch-up; 70,000 − 23,500 − 5,000 = 41,500.
    result = room([plan(compensation="300000", pretax_deferrals="31000", nonelective="5000")],
                  date(1970, 3, 1), load_year(2025))
    assert result.catch_up_used == D("7500.00") and result.excess_deferrals == 0
    assert rooms(result) == {"p": D("41500.00")}


def test_ages_60_to_63_have_the_higher_catch_up_from_2025():
    result = room([plan(compensation="300000", pretax_deferrals="34750")], date(1963, 7, 1), load_year(2025))
    assert result.catch_up_limit == D("11250.00") and result.catch_up_used == D("11250.00")
    assert rooms(result) == {"p": D("46500.00")}
    older = room([plan(compensation="300000", pretax_deferrals="34750")], date(1960, 7, 1), load_year(2025))
    assert older.catch_up_limit == D("7500.00") and older.excess_deferrals == D("3750.00")
    assert "room.excess_deferrals" in codes(older)


def test_402g_is_per_person_415c_is_per_employer():
    # Two unrelated employers: 402(g) caps deferrals across both; each employer has its own 415(c).
    result = room([
        plan(id="a", employer="Alpha", compensation="150000", pretax_deferrals="15000", employer_match="5000"),
        plan(id="b", employer="Beta", compensation="60000", pretax_deferrals="8500", nonelective="3000"),
    ], date(1990, 1, 1), load_year(2025))
    assert result.total_deferrals == D("23500.00") and result.excess_deferrals == 0
    assert rooms(result) == {"a": D("50000.00"), "b": D("48500.00")}


def test_plans_of_one_employer_share_its_room():
    result = room([
        plan(id="k", employer="Acme", compensation="200000", pretax_deferrals="23500", employer_match="6000"),
        plan(id="ps", employer="Acme", compensation="200000", profit_sharing="10000", allows_after_tax=False),
    ], None, load_year(2025))
    assert rooms(result) == {"k": D("30500.00"), "ps": D("0.00")}


def test_457b_has_no_after_tax_room_and_its_own_deferral_limit():
    result = room([
        plan(id="k", employer="City", compensation="120000", kind="401k", pretax_deferrals="23500"),
        plan(id="g", employer="City", compensation="120000", kind="457b", pretax_deferrals="23500"),
    ], None, load_year(2025))
    assert result.total_deferrals == D("23500.00") and result.excess_deferrals == 0
    assert rooms(result) == {"k": D("46500.00"), "g": D("0.00")}


def test_match_figured_on_pay_stops_at_the_401a17_limit():
    # 50% of deferrals up to 6% of pay; pay 500,000 counts as 350,000 (2025): match 10,500.
    result = room([plan(compensation="500000", pretax_deferrals="23500",
                        match_formula={"rate": "0.5", "up_to_percent_of_pay": "6"})], None, load_year(2025))
    (only,) = result.plans
    assert only.match == D("10500.00") and only.room == D("36000.00")


def test_excess_annual_additions_and_plan_cap_findings():
    result = room([plan(compensation="200000", pretax_deferrals="23500", nonelective="6000",
                        after_tax_contributions="45000", after_tax_cap_amount="42000")], None, load_year(2025))
    (employer,) = result.employers
    assert employer.excess == D("4500.00")
    assert {"room.excess_annual_additions", "room.after_tax_over_plan_cap"} <= codes(result)


def test_roth_catch_up_rule_is_noted_for_high_earners():
    result = room([plan(compensation="300000", pretax_deferrals="32500", prior_year_fica_wages="160000")],
                  date(1970, 1, 1), load_year(2026))
    (note,) = [f for f in result.findings if f.code == "room.roth_catch_up"]
    assert "150,000.00" in note.message and "good-faith" in note.message


MONEY = st.decimals(min_value=0, max_value=D("120000"), places=2, allow_nan=False, allow_infinity=False)


@given(pay=MONEY, deferrals=MONEY, employer=MONEY, extra=MONEY, born=st.integers(1950, 2005))
def test_room_is_never_negative_and_monotone_in_employer_money(pay, deferrals, employer, extra, born):
    params = load_year(2025)
    first = room([plan(compensation=pay, pretax_deferrals=deferrals, nonelective=employer)], date(born, 6, 1), params)
    more = room([plan(compensation=pay, pretax_deferrals=deferrals, nonelective=employer + extra)],
                date(born, 6, 1), params)
    assert first.plans[0].room >= 0 and more.plans[0].room >= 0
    assert more.plans[0].room <= first.plans[0].room


@given(pay=st.decimals(min_value=D("80000"), max_value=D("500000"), places=2), born=st.integers(1950, 1975))
def test_room_never_includes_catch_ups(pay, born):
    """Deferring the catch-up on top of the limit leaves the after-tax room unchanged."""
    params = load_year(2025)
    at_limit = room([plan(compensation=pay, pretax_deferrals="23500")], date(born, 6, 1), params)
    limit = at_limit.catch_up_limit
    with_catch_up = room([plan(compensation=pay, pretax_deferrals=D("23500") + limit)], date(born, 6, 1), params)
    assert with_catch_up.plans[0].room == at_limit.plans[0].room
    assert with_catch_up.excess_deferrals == 0


def test_each_spouse_has_their_own_402g_and_415c():
    # Issue 10: on a joint return the limits are per person; a spouse's plan is figured with the
    # spouse's own age and deferrals (2025: 415(c) 70,000, 402(g) 23,500; Notice 2024-80).
    from megaroth import api

    case = {"tax_year": 2025, "filing_status": "married_filing_jointly",
            "taxpayer": {"name": "Pat", "birth_date": "1985-04-02"},
            "spouse": {"name": "Sam", "birth_date": "1970-01-01"},
            "yearend": {"plans": [
                {"id": "pat-401k", "employer": "Acme", "compensation": "200000", "pretax_deferrals": "23500",
                 "nonelective": "6000"},
                {"id": "sam-401k", "owner": "spouse", "employer": "Initech", "compensation": "150000",
                 "pretax_deferrals": "31000", "nonelective": "5000"}]}}
    report = api.yearend(api.case_from_dict(case), use_ledger=False)
    assert [p.plan_id for p in report.room.plans] == ["pat-401k"] and report.room.plans[0].room == D("40500.00")
    # Sam, 55: 23,500 of the 31,000 counts toward 415(c), 7,500 is catch-up outside it: 70,000 − 23,500 − 5,000.
    (sam,) = report.spouse_room.plans
    assert sam.catch_up == D("7500.00") and sam.room == D("41500.00") and report.spouse_room.excess_deferrals == 0
    from megaroth.render import render_yearend

    assert "After-tax contribution room — Sam" in render_yearend(report, "md")


def test_the_457b_limit_counts_employer_contributions():
    # IRC 457(b)(2), Treas. Reg. 1.457-2(b)(1): 20,000 deferred + 5,000 nonelective = 25,000 > 23,500 (2025).
    result = api_room([{"id": "gov-457", "employer": "City", "kind": "457b", "compensation": "100000",
                        "pretax_deferrals": "20000", "nonelective": "5000"}])
    (finding,) = [f for f in result.findings if f.code == "room.457b_excess"]
    assert "$25,000.00 deferred" in finding.message and "by $1,500.00" in finding.message


def api_room(plans):
    from megaroth import api

    return api.room_from_plans(plans, 2025, None)
