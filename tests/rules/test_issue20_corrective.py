"""Issue 20 (returned IRA contributions, recharacterizations, the smaller items): values from the rules
cited in each test, through the functions and, in tests/cli, through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from tests.conftest import analyze_dict

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def codes(analysis) -> list[str]:
    return [f.code for f in analysis.findings]


def findings(analysis, code: str):
    return [f for f in analysis.findings if f.code == code]


# ------------------------------------------------------------------ returned IRA contribution (408(d)(4))
def _returned(year: int, box_7: str, birth: str | None, paid: str | None = None) -> dict:
    taxpayer = {"name": "Pat Example"} | ({"birth_date": birth} if birth else {})
    form = {"id": "excess", "payer_name": "Brokerage Co", "box_1": "6200.00", "box_2a": "200.00", "box_7": box_7,
            "box_7_ira_sep_simple": True} | ({"distribution_date": paid} if paid else {})
    return {"tax_year": year, "taxpayer": taxpayer, "forms_1099r": [form]}


def test_earnings_before_december_29_2022_owe_the_10_percent_whatever_the_code():
    # IRS, Changes to the 2022 instructions for Form 5329: under 59½ at the distribution, the earnings of an
    # excess contribution withdrawn are subject to the 10%; $200 of earnings -> $20.
    _, analysis = analyze_dict(_returned(2022, "8", "1985-04-02", "2022-06-15"))
    assert analysis.form_5329.additional_tax == D("20.00")
    assert analysis.form_5329.schedule_2_line_8_shortcut is False  # no code 1 on the form: Form 5329 line 1
    (missing,) = findings(analysis, "corrective.ira_code_1_missing")
    assert "should have added code 1" in missing.message


def test_the_day_59_and_a_half_is_reached_decides_not_the_year_end():
    # Born 1962-12-10: 59½ on 2022-06-10. Paid on 2022-06-09 -> early; on 2022-06-10 -> not.
    _, before = analyze_dict(_returned(2022, "81", "1962-12-10", "2022-06-09"))
    _, after = analyze_dict(_returned(2022, "81", "1962-12-10", "2022-06-10"))
    assert before.form_5329.additional_tax == D("20.00")
    assert after.form_5329.status == "not_needed"
    assert findings(after, "corrective.ira_code_1_not_owed")
    # Without the date, the year of 59½ cannot tell: the tax is counted and the date asked.
    _, unknown = analyze_dict(_returned(2022, "81", "1962-12-10"))
    assert unknown.form_5329.additional_tax == D("20.00")
    assert findings(unknown, "corrective.ira_age_date")


def test_from_december_29_2022_no_10_percent_even_with_code_1():
    # SECURE 2.0 § 333; i5329 (2023) Reminders.
    _, analysis = analyze_dict(_returned(2025, "81", "1985-04-02"))
    assert analysis.form_5329.status == "not_needed"
    assert findings(analysis, "corrective.ira_code_1_not_owed")
    assert "corrective.ira_birth_date_needed" not in codes(analysis)


def test_missing_birth_date_is_a_missing_fact_with_the_10_percent_at_stake():
    _, analysis = analyze_dict(_returned(2021, "8", None))
    (fact,) = [m for m in analysis.missing_facts if m.fact == "taxpayer.birth_date"]
    assert fact.at_stake == D("20.00")
    assert analysis.complete is False
    # After the SECURE 2.0 date the age does not matter: nothing is asked.
    _, later = analyze_dict(_returned(2024, "8", None))
    assert not later.missing_facts


def test_code_p_puts_the_10_percent_on_the_earlier_years_form_5329():
    # A 2021 code P form: a 2020 contribution returned in 2021; the earnings and their 10% belong to 2020.
    _, analysis = analyze_dict(_returned(2021, "P1", "1985-04-02"))
    assert analysis.form_5329.status == "not_needed"
    (prior,) = findings(analysis, "corrective.prior_year")
    assert "$20.00" in prior.message and "Form 5329 line 1" in prior.message


# ------------------------------------------------------------------ the smaller items
def test_two_spouses_identical_conversions_are_not_duplicates():
    case = json.loads((FIXTURES / "joint_backdoor_both_mega_one.json").read_text())
    same = {"payer_name": "Example Brokerage IRA", "box_1": "7000.00", "box_2a": "7000.00",
            "box_2b_taxable_not_determined": True, "box_7": "2", "box_7_ira_sep_simple": True,
            "disposition": [{"to": "roth_ira", "amount": "7000.00"}]}
    case["forms_1099r"] = [{"id": "pat", "owner": "taxpayer", **same}, {"id": "sam", "owner": "spouse", **same}]
    _, analysis = analyze_dict(case)
    assert "batch.possible_duplicate" not in codes(analysis)
    # The same form twice for one spouse still is.
    case["forms_1099r"][1]["owner"] = "taxpayer"
    _, twice = analyze_dict(case)
    assert findings(twice, "batch.possible_duplicate")


def test_rollover_into_an_employer_plan_says_no_5498_will_come():
    _, analysis = analyze_dict({"tax_year": 2025, "taxpayer": {"birth_date": "1980-01-01"}, "forms_1099r": [{
        "id": "to-plan", "payer_name": "Old 401(k)", "box_1": "5000.00", "box_2a": "0.00", "box_7": "G",
        "disposition": [{"to": "employer_plan", "amount": "5000.00"}]}]})
    (note,) = findings(analysis, "disposition.plan_rollover_no_5498")
    assert "no Form 5498 will come" in note.message and "confirmation" in note.message
    # A rollover into an IRA is proved by the IRA's 5498: no such note.
    _, ira = analyze_dict({"tax_year": 2025, "taxpayer": {"birth_date": "1980-01-01"}, "forms_1099r": [{
        "id": "to-ira", "payer_name": "Old 401(k)", "box_1": "5000.00", "box_2a": "0.00", "box_7": "G",
        "disposition": [{"to": "traditional_ira", "amount": "5000.00"}]}]})
    assert not findings(ira, "disposition.plan_rollover_no_5498")


def test_recapture_summary_says_whether_the_10_percent_arises():
    case = json.loads((FIXTURES / "f8606_roth_recapture_i5329.json").read_text())
    _, young = analyze_dict(case)
    assert "Here it does: Form 5329 line 1" in young.people[0].form_8606.summary
    case["taxpayer"]["birth_date"] = "1950-01-15"  # 71 in 2021: no 10%
    _, old = analyze_dict(case)
    summary = old.people[0].form_8606.summary
    assert "no tax arises" in summary and "recaptured (Form 5329)" not in summary
    assert old.form_5329.status == "not_needed"
