"""The return (issue 10): people and owners, Form 8606 refusing what it cannot know, Roth IRA
distributions, and the two rules for distributions computed before."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from megaroth import api
from megaroth.errors import InputError
from tests.conftest import analyze_dict

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def codes(analysis) -> set[str]:
    return {f.code for f in analysis.findings}


def lines(analysis) -> dict:
    return {e.key: e.amount for e in analysis.lines if e.amount is not None}


def ira(form_id="ira", amount="7000.00", to="roth_ira", code="7", **extra) -> dict:
    return {"id": form_id, "box_1": amount, "box_2a": amount, "box_2b_taxable_not_determined": True, "box_7": code,
            "box_7_ira_sep_simple": code not in "JQT", "disposition": [{"to": to, "amount": amount}], **extra}


def roth(form_id="roth", amount="5000.00", code="J") -> dict:
    return ira(form_id, amount, "kept", code)


def test_a_year_end_value_is_needed_when_there_is_basis_and_the_forms_are_left_out():
    _, analysis = analyze_dict({"tax_year": 2025, "taxpayer": {"ira": {"basis": "3000.00"}},
                                "forms_1099r": [ira()]})
    assert "form_8606.year_end_value_missing" in codes(analysis)
    finding = next(f for f in analysis.findings if f.code == "form_8606.year_end_value_missing")
    assert finding.box == "taxpayer.ira.year_end_value" and "Form 5498 box 5" in finding.message
    assert analysis.forms[0].status == "unsupported" and lines(analysis) == {}
    assert analysis.people[0].form_8606.status == "not_computed" and not analysis.complete
    assert api.exit_code(analysis) == 3


def test_a_plain_ira_distribution_with_no_known_basis_is_computed_with_a_warning_not_knocked_out():
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [ira(to="kept")]})
    assert analysis.forms[0].status == "computed" and lines(analysis) == {"4b": D("7000.00")}
    assert "ira.basis_not_given" in codes(analysis) and analysis.people[0].form_8606.status == "not_needed"


def test_the_ledgers_basis_is_used_and_a_contradicting_case_is_refused(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    first = {"tax_year": 2024, "taxpayer": {"id": "C-9", "ira": {"nondeductible_contributions": "7000.00",
                                                                  "basis": "0.00"}}, "forms_1099r": []}
    api.ledger_add(api.case_from_dict(first), db)  # 2024: a contribution not converted: basis 7,000
    second = {"tax_year": 2025, "taxpayer": {"id": "C-9", "ira": {"year_end_value": "0.00"}},
              "forms_1099r": [ira(amount="7100.00")]}
    analysis = api.analyze_with_ledger(api.case_from_dict(second), db)
    f8606 = analysis.people[0].form_8606
    assert f8606.amount("2") == D("7000.00") and f8606.amount("18") == D("100.00")
    assert "ira.basis_not_given" not in codes(analysis)
    contradicting = json.loads(json.dumps(second))
    contradicting["taxpayer"]["ira"]["basis"] = "5000.00"
    analysis = api.analyze_with_ledger(api.case_from_dict(contradicting), db)
    finding = next(f for f in analysis.findings if f.code == "form_8606.basis_contradicts_ledger")
    assert "$5,000.00" in finding.message and "$7,000.00" in finding.message
    assert analysis.forms[0].status == "unsupported"


def test_on_a_joint_return_a_form_with_no_owner_is_left_out_and_asked_for():
    _, analysis = analyze_dict({"tax_year": 2025, "filing_status": "married_filing_jointly",
                                "taxpayer": {"name": "Pat"}, "spouse": {"name": "Sam"},
                                "forms_1099r": [ira(to="kept", recipient_name="Someone Else")]})
    assert "form.owner_missing" in codes(analysis) and analysis.forms[0].status == "unsupported"
    assert lines(analysis) == {}


def test_a_spouses_form_on_a_return_that_is_not_joint_is_refused():
    case = {"tax_year": 2025, "filing_status": "married_filing_separately", "taxpayer": {"name": "Pat"},
            "spouse": {"name": "Sam", "tin": "400-00-2002"},
            "forms_1099r": [ira("explicit", to="kept", owner="spouse"),
                            ira("by-tin", to="kept", recipient_tin="400-00-2002")]}
    _, analysis = analyze_dict(case)
    assert [f.code for f in analysis.findings].count("form.spouse_not_on_return") == 2
    assert all(r.status == "unsupported" for r in analysis.forms) and lines(analysis) == {}


def test_a_spouse_needs_a_filing_status():
    with pytest.raises(InputError, match="filing_status"):
        api.case_from_dict({"tax_year": 2025, "spouse": {"name": "Sam"}})


def test_a_schema_1_case_still_reads_and_its_basis_is_the_taxpayers_line_2():
    loaded = api.case_from_dict({"schema_version": 1, "tax_year": 2025, "traditional_ira_basis": "1200.00"})
    assert loaded.case.schema_version == 2 and loaded.case.taxpayer.ira.basis == D("1200.00")


def test_a_roth_distribution_needs_the_roth_basis():
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [roth()]})
    finding = next(f for f in analysis.findings if f.code == "form_8606.roth_basis_missing")
    assert "taxpayer.ira.roth_contribution_basis" in finding.message and analysis.forms[0].status == "unsupported"


def test_qualified_roth_distributions_are_not_taxable():
    # Code Q: the custodian says qualified. Code T with a first Roth year 5 or more years back: qualified too
    # (i1040 lines 4a/4b, Exception 2): 4b 0 and no Part III, whatever the basis.
    for code, first in (("Q", None), ("T", 2020)):
        facts = {"first_roth_year": first} if first else {}
        _, analysis = analyze_dict({"tax_year": 2025, "taxpayer": {"ira": facts}, "forms_1099r": [roth(code=code)]})
        assert lines(analysis) == {"4a": D("5000.00"), "4b": D("0.00")}, code
        assert analysis.people[0].form_8606.status == "not_needed", code


def test_a_code_t_distribution_beyond_basis_needs_the_first_roth_year():
    _, analysis = analyze_dict({"tax_year": 2025, "taxpayer": {"ira": {
        "roth_contribution_basis": "1000.00", "roth_conversions": []}}, "forms_1099r": [roth(code="T")]})
    assert "form_8606.first_roth_year_missing" in codes(analysis)


def test_a_kept_distribution_whose_box_2a_disagrees_reports_box_2a():
    # i1040 "Partially taxable pensions": the taxable amount the 1099-R shows may be reported.
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [
        {"id": "cash", "box_1": "10000.00", "box_2a": "1200.00", "box_5": "9000.00", "box_7": "7"}]})
    assert lines(analysis)["5b"] == D("1200.00") and "form.box_2a_differs_reported" in codes(analysis)


def test_a_same_year_recharacterization_is_on_4a_not_4b_with_a_statement():
    _, analysis = analyze_dict({"tax_year": 2025, "taxpayer": {"ira": {"recharacterizations": [{
        "contributed_to": "roth_ira", "contribution_date": "2025-06-16", "contribution_amount": "4000.00",
        "recharacterized_on": "2025-12-29", "amount_moved": "4200.00", "for_year": 2025}]}},
        "forms_1099r": [{"id": "rechar", "box_1": "4200.00", "box_2a": "0.00", "box_7": "N"}]})
    # i8606 (2023), Recharacterizations, Roth to traditional: 4a includes the 4,200 moved; nothing taxable.
    assert lines(analysis) == {"4a": D("4200.00"), "4b": D("0.00")}
    texts = [s.text for s in analysis.statements]
    assert any("code N" in t for t in texts) and any("recharacterized on 2025-12-29" in t for t in texts)


def test_a_joint_return_is_stored_under_each_spouses_key(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    case = json.loads((FIXTURES / "cases" / "joint_backdoor_both_mega_one.json").read_text())
    api.ledger_add(api.case_from_dict(case), db)
    view = {(entry["taxpayer"], entry["tax_year"]): entry for entry in api.ledger_view(db)}
    assert set(view) == {("C-2001", 2025), ("C-2002", 2025)}
    assert len(view[("C-2001", 2025)]["forms"]) == 2 and len(view[("C-2002", 2025)]["forms"]) == 1
    without_id = json.loads(json.dumps(case))
    del without_id["spouse"]["id"], without_id["spouse"]["tin"]
    with pytest.raises(InputError, match="spouse"):
        api.ledger_add(api.case_from_dict(without_id), tmp_path / "other.sqlite3")
