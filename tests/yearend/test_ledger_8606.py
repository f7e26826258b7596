"""Form 8606 across years through the ledger (issue 10): the basis one year leaves is the next
year's, for each spouse, without the case repeating it."""

from __future__ import annotations

from decimal import Decimal as D

from megaroth import api


def test_roth_basis_and_layers_carry_from_year_to_year(tmp_path):
    # The ordering scenario (f8606_roth_ordering_mega_backdoor) built year by year: 2023 a plan rollover
    # of 30,200 to a Roth IRA (30,000 after-tax, 200 taxable), the opening Roth basis given once; 2024 a
    # 7,000 regular contribution; 2025 a 10,000 code J distribution, with nothing but the ledger.
    db = tmp_path / "ledger.sqlite3"
    person = {"id": "C-7", "birth_date": "1980-05-01"}
    api.ledger_add(api.case_from_dict({
        "tax_year": 2023, "taxpayer": {**person, "ira": {"roth_contribution_basis": "0.00", "roth_conversions": []}},
        "forms_1099r": [{"id": "rollover", "box_1": "30200.00", "box_2a": "200.00", "box_5": "30000.00",
                         "box_7": "G", "disposition": [{"to": "roth_ira", "amount": "30200.00"}]}]}), db)
    api.ledger_add(api.case_from_dict({"tax_year": 2024, "taxpayer": {**person, "ira": {"roth_contributions": "7000.00"}},
                                       "forms_1099r": []}), db)
    loaded = api.case_from_dict({"tax_year": 2025, "taxpayer": person, "forms_1099r": [
        {"id": "withdrawal", "box_1": "10000.00", "box_2b_taxable_not_determined": True, "box_7": "J",
         "disposition": [{"to": "kept", "amount": "10000.00"}]}]})
    analysis = api.analyze_with_ledger(loaded, db)
    (me,) = analysis.people
    f8606 = me.form_8606
    assert (f8606.amount("22"), f8606.amount("24"), f8606.amount("25c")) == (D("7000.00"), D("30200.00"), D("0.00"))
    assert me.form_5329.additional_tax == D("20.00")  # the 2023 layer's 200 taxed part, recaptured
    api.ledger_add(loaded, db)
    with api.open_ledger(db) as ledger:
        carried = ledger.carried("C-7", 2026).facts()
    assert carried.roth_contribution_basis == D("0.00")
    assert [(x.year, x.taxable, x.nontaxable) for x in carried.roth_layers] == [(2023, D("0.00"), D("27200.00"))]


def test_a_backdoor_left_unconverted_is_next_years_basis(tmp_path):
    # 2024: 7,000 nondeductible, not converted (line 14 = 7,000). 2025: converted at 7,050 with no
    # basis in the case: line 2 comes from the ledger, and only the 50 of earnings is taxable.
    db = tmp_path / "ledger.sqlite3"
    api.ledger_add(api.case_from_dict({"tax_year": 2024, "taxpayer": {
        "id": "C-8", "ira": {"nondeductible_contributions": "7000.00", "basis": "0.00"}}, "forms_1099r": []}), db)
    analysis = api.analyze_with_ledger(api.case_from_dict({"tax_year": 2025, "taxpayer": {
        "id": "C-8", "ira": {"year_end_value": "0.00"}}, "forms_1099r": [{
            "id": "conversion", "box_1": "7050.00", "box_2a": "7050.00", "box_2b_taxable_not_determined": True,
            "box_7": "2", "box_7_ira_sep_simple": True, "disposition": [{"to": "roth_ira", "amount": "7050.00"}]}]}),
        db)
    f8606 = analysis.people[0].form_8606
    assert f8606.amount("2") == D("7000.00") and f8606.amount("18") == D("50.00")
    assert {e.key: e.amount for e in analysis.lines}["4b"] == D("50.00")
