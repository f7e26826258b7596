"""Rules, case by case: each test is a small worked example with the expected amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import analyze_dict, case_dict

D = Decimal


def lines(analysis):
    return {e.key: e.amount for e in analysis.lines if e.amount is not None}


def codes(analysis):
    return {f.code for f in analysis.findings}


def only_form(analysis):
    (result,) = analysis.forms
    return result


# ------------------------------------------------------------------ allocation
def test_pretax_beyond_direct_rollovers_stays_with_the_cash():
    # 80,000 pretax of a 100,000 distribution; only 50,000 rolled directly to a traditional IRA:
    # the other 30,000 pretax is in the 50,000 paid out (Notice 2014-54).
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [
        {"id": "direct", "box_1": "50000.00", "box_2a": "0.00", "box_7": "G",
         "disposition": [{"to": "traditional_ira", "amount": "50000.00"}]},
        {"id": "cash", "box_1": "50000.00", "box_2a": "30000.00", "box_5": "20000.00", "box_4": "6000.00",
         "box_7": "7"}]})
    assert lines(analysis) == {"5a": D("100000.00"), "5b": D("30000.00"), "25b": D("6000.00")}


def test_explicit_pretax_allocation_is_honoured():
    # The plan put the 200 of earnings in the Roth IRA part, as the recipient chose.
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "traditional_ira", "amount": "200.00", "pretax_amount": "0.00"},
                     {"to": "roth_ira", "amount": "10000.00"}]))
    assert lines(analysis)["5b"] == D("200.00")
    assert only_form(analysis).ira_basis_added == D("200.00")
    assert "form.split_rollover_taxable" not in codes(analysis)


def test_default_allocation_flags_a_split_form_reporting_tax():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "traditional_ira", "amount": "200.00"}, {"to": "roth_ira", "amount": "10000.00"}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert "form.split_rollover_taxable" in codes(analysis)


def test_explicit_pretax_larger_than_the_pretax_money_is_not_computed():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "traditional_ira", "amount": "200.00", "pretax_amount": "150.00"},
                     {"to": "roth_ira", "amount": "10000.00", "pretax_amount": "150.00"}]))
    assert only_form(analysis).status == "unsupported"
    assert "disposition.pretax_allocation_impossible" in codes(analysis)


def test_sixty_day_non_roth_takes_pretax_before_sixty_day_roth():
    # Paid out: 1,000 pretax + 9,000 after-tax. 1,000 rolled to a traditional IRA and 9,000 to a
    # Roth IRA, both within 60 days: the traditional IRA part is the pretax money (402(c)(2)).
    _, analysis = analyze_dict(case_dict(
        box_1="10000.00", box_2a="1000.00", box_5="9000.00", box_4="200.00", box_7="7",
        disposition=[{"to": "roth_ira", "amount": "9000.00", "within_60_days": True},
                     {"to": "traditional_ira", "amount": "1000.00", "within_60_days": True}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert lines(analysis)["25b"] == D("200.00")


# ------------------------------------------------------------------ lines
def test_fully_taxable_pension_goes_on_5b_only():
    _, analysis = analyze_dict(case_dict(box_1="5000.00", box_2a="5000.00", box_7="7"))
    assert lines(analysis) == {"5b": D("5000.00")}
    assert "make no entry on line 5a" in analysis.line("5a").note


def test_a_fully_taxable_form_beside_a_partly_taxable_one_fills_5a_with_both():
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [
        {"id": "cash", "box_1": "5000.00", "box_2a": "5000.00", "box_7": "7"},
        {"id": "irr", "box_1": "10200.00", "box_2a": "200.00", "box_5": "10000.00", "box_7": "G",
         "disposition": [{"to": "designated_roth_same_plan", "amount": "10200.00"}]}]})
    assert lines(analysis) == {"5a": D("15200.00"), "5b": D("5200.00")}


def test_forms_order_does_not_matter_and_sums_are_exact_in_cents():
    forms = [
        {"id": f"irr-{n}", "box_1": "1000.10", "box_2a": "0.15", "box_5": "999.95", "box_7": "G",
         "disposition": [{"to": "designated_roth_same_plan", "amount": "1000.10"}]} for n in range(3)]
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": forms})
    assert lines(analysis) == {"5a": D("3000.30"), "5b": D("0.45")}
    assert analysis.line("5b").whole_dollars == "0"


def test_whole_dollars_round_the_total_not_the_addends():
    forms = [{"id": f"f{n}", "box_1": "100.00", "box_2a": "0.50", "box_5": "99.50", "box_7": "G",
              "disposition": [{"to": "roth_ira", "amount": "100.00"}]} for n in range(3)]
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": forms})
    assert analysis.line("5b").amount == D("1.50")
    assert analysis.line("5b").whole_dollars == "2"  # rounding each 0.50 first would give 3


# ------------------------------------------------------------------ markers
def test_marker_can_be_overridden_per_form_for_roth_employer_contributions():
    _, analysis = analyze_dict(case_dict(
        box_1="3000.00", box_2a="3000.00", box_7="G", rollover_marker=False,
        disposition=[{"to": "designated_roth_same_plan", "amount": "3000.00"}]))
    assert analysis.notations == []
    assert lines(analysis) == {"5b": D("3000.00")}  # fully taxable, not a rollover: 5b only
    assert "form.possible_roth_employer_contribution" in codes(analysis)


def test_cash_distribution_takes_no_marker():
    _, analysis = analyze_dict(case_dict(box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="7"))
    assert analysis.notations == []


# ------------------------------------------------------------------ dispositions
def test_disposition_that_does_not_add_up_is_an_error_and_not_computed():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "roth_ira", "amount": "10000.00"}]))
    assert "disposition.amounts_do_not_add_up" in codes(analysis)
    assert only_form(analysis).status == "unsupported"
    assert not analysis.complete


def test_after_tax_money_cannot_go_to_another_plans_roth_account():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "designated_roth_other_plan", "amount": "10200.00"}]))
    assert "disposition.destination_not_allowed" in codes(analysis)
    assert only_form(analysis).status == "unsupported"


def test_designated_roth_money_cannot_go_to_a_traditional_ira():
    _, analysis = analyze_dict(case_dict(
        box_1="5000.00", box_2a="0.00", box_5="5000.00", box_7="H",
        disposition=[{"to": "traditional_ira", "amount": "5000.00"}]))
    assert "disposition.destination_not_allowed" in codes(analysis)


def test_cash_on_a_direct_rollover_form_is_flagged():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "roth_ira", "amount": "10000.00"}, {"to": "kept", "amount": "200.00"}]))
    assert "disposition.cash_on_direct_rollover_form" in codes(analysis)


def test_rollover_of_cash_said_to_be_direct_is_treated_as_60_day():
    _, analysis = analyze_dict(case_dict(
        box_1="10000.00", box_2a="10000.00", box_7="7",
        disposition=[{"to": "traditional_ira", "amount": "10000.00"}]))
    assert "disposition.direct_rollover_on_cash_form" in codes(analysis)
    assert only_form(analysis).parts[0].within_60_days
    assert lines(analysis)["5b"] == D("0.00")


def test_deemed_loans_cannot_be_rolled_over():
    _, analysis = analyze_dict(case_dict(
        box_1="4000.00", box_2a="4000.00", box_7="L1",
        disposition=[{"to": "traditional_ira", "amount": "4000.00", "within_60_days": True}]))
    assert "disposition.not_eligible_for_rollover" in codes(analysis)
    assert only_form(analysis).status == "unsupported"


def test_late_rollover_with_waiver_counts():
    _, analysis = analyze_dict(case_dict(
        box_1="10000.00", box_2a="10000.00", box_7="7", distribution_date="2025-01-02",
        disposition=[{"to": "traditional_ira", "amount": "10000.00", "within_60_days": True,
                      "date": "2025-04-30", "late_rollover_waiver": True}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert "disposition.rollover_after_60_days" not in codes(analysis)
    # Issue 20: self-certification is not a waiver (Rev. Proc. 2020-46): the IRS may still examine it,
    # so the finding warns and lists the records to keep.
    (late,) = [f for f in analysis.findings if f.code == "disposition.late_rollover_self_certified"]
    assert late.severity.value == "warning"
    assert "not a waiver" in late.message and "may still examine" in late.message
    assert "letter" in late.message and "reason" in late.message and "30 days" in late.message


# ------------------------------------------------------------------ not determined / basis
def test_taxable_not_determined_with_box_5_given():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2b_taxable_not_determined=True, box_5="10000.00", box_7="G",
        disposition=[{"to": "designated_roth_same_plan", "amount": "10200.00"}]))
    assert lines(analysis)["5b"] == D("200.00")


def test_basis_implied_by_box_2a_when_box_5_is_blank():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="200.00", box_7="G", disposition=[{"to": "roth_ira", "amount": "10200.00"}]))
    assert lines(analysis)["5b"] == D("200.00")
    assert "basis.implied" in codes(analysis)


def test_blank_box_5_on_a_split_form_needs_the_basis():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="0.00", box_7="G",
        disposition=[{"to": "traditional_ira", "amount": "200.00"}, {"to": "roth_ira", "amount": "10000.00"}]))
    assert only_form(analysis).status == "unsupported"
    assert "after_tax_basis" in only_form(analysis).unsupported_reason


def test_plan_records_override_box_5_with_a_warning():
    _, analysis = analyze_dict(case_dict(
        box_1="10200.00", box_2a="0.00", box_5="10200.00", box_7="G", after_tax_basis="10000.00",
        disposition=[{"to": "roth_ira", "amount": "10200.00"}]))
    assert lines(analysis)["5b"] == D("200.00")
    assert {"basis.differs_from_box_5", "form.roth_rollover_reported_untaxed"} <= codes(analysis)


def test_roth_rollover_with_2a_zero_and_no_box_5_is_not_guessed():
    # All after-tax (box 5 missing) or all pretax (box 2a wrong)? The form cannot say: ask.
    _, analysis = analyze_dict(case_dict(
        box_1="8000.00", box_2a="0.00", box_7="G", disposition=[{"to": "roth_ira", "amount": "8000.00"}]))
    assert only_form(analysis).status == "unsupported"
    assert "form.roth_rollover_reported_untaxed" in codes(analysis)
    _, resolved = analyze_dict(case_dict(
        box_1="8000.00", box_2a="0.00", box_7="G", after_tax_basis="0.00",
        disposition=[{"to": "roth_ira", "amount": "8000.00"}]))
    assert lines(resolved)["5b"] == D("8000.00")


def test_non_roth_rollover_reported_taxable_is_flagged():
    _, analysis = analyze_dict(case_dict(
        box_1="8000.00", box_2a="8000.00", box_7="G", disposition=[{"to": "traditional_ira", "amount": "8000.00"}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert "form.non_roth_rollover_reported_taxable" in codes(analysis)


def test_box_5_above_box_1_is_capped_and_flagged():
    _, analysis = analyze_dict(case_dict(
        box_1="9500.00", box_2a="0.00", box_5="10000.00", box_7="G",
        disposition=[{"to": "designated_roth_same_plan", "amount": "9500.00"}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert "box.5_exceeds_1" in codes(analysis)


# ------------------------------------------------------------------ knockouts
@pytest.mark.parametrize("form, words", [
    (dict(box_1="5000.00", box_2a="4000.00", box_6="1000.00", box_7="7"), "net unrealized appreciation"),
    (dict(box_1="5000.00", box_2a="5000.00", box_7="3"), "code 3"),
    (dict(box_1="5000.00", box_2a="5000.00", box_7="8K"), "not a corrective distribution megaroth computes"),
    (dict(box_1="5000.00", box_2a="5000.00", box_7="8", disposition=[{"to": "traditional_ira", "amount": "5000.00",
                                                                     "within_60_days": True}]), "cannot be rolled over"),
    (dict(box_1="5000.00", box_2a="5000.00", box_7="7", void=True), "VOID"),
])
def test_out_of_scope_forms_are_knocked_out_with_a_reason(form, words):
    _, analysis = analyze_dict(case_dict(**form))
    result = only_form(analysis)
    assert result.status == "unsupported" and words in result.unsupported_reason
    assert not analysis.complete and lines(analysis) == {}


# ------------------------------------------------------------------ designated Roth, IRA
def test_designated_roth_partial_60_day_rollover_takes_earnings_first():
    _, analysis = analyze_dict(case_dict(
        box_1="5000.00", box_2a="1000.00", box_5="4000.00", box_7="B7",
        disposition=[{"to": "roth_ira", "amount": "3000.00", "within_60_days": True},
                     {"to": "kept", "amount": "2000.00"}]))
    assert lines(analysis)["5b"] == D("0.00")
    assert only_form(analysis).roth_ira_basis_line_22 == D("2000.00")


def test_designated_roth_not_determined_without_basis_is_knocked_out():
    _, analysis = analyze_dict(case_dict(box_1="5000.00", box_2b_taxable_not_determined=True, box_7="B7"))
    assert only_form(analysis).status == "unsupported"


def test_code_h_with_taxable_amount_reports_zero():
    _, analysis = analyze_dict(case_dict(box_1="5000.00", box_2a="800.00", box_5="4200.00", box_7="H"))
    assert lines(analysis)["5b"] == D("0.00")
    assert "form.code_h_taxable" in codes(analysis)


def test_ira_conversion_without_known_basis_is_computed_with_none_and_a_warning():
    # Issue 10: a basis nobody gave (case or ledger) is taken as none, as most people have none, and said.
    _, analysis = analyze_dict(case_dict(
        box_1="7000.00", box_2a="7000.00", box_2b_taxable_not_determined=True, box_7="2", box_7_ira_sep_simple=True,
        disposition=[{"to": "roth_ira", "amount": "7000.00"}]))
    assert only_form(analysis).status == "computed" and only_form(analysis).taxable == D("7000.00")
    assert analysis.form_8606.status == "applies" and analysis.form_8606.lines == {
        "16": D("7000.00"), "17": D("0.00"), "18": D("7000.00")}
    assert "ira.basis_not_given" in codes(analysis)


def test_after_tax_money_in_a_traditional_ira_needs_the_year_end_value_for_a_conversion_the_same_year():
    _, analysis = analyze_dict({"tax_year": 2025, "traditional_ira_basis": "0.00", "forms_1099r": [
        {"id": "conversion", "box_1": "7000.00", "box_2a": "7000.00", "box_7": "2", "box_7_ira_sep_simple": True,
         "disposition": [{"to": "roth_ira", "amount": "7000.00"}]},
        {"id": "plan", "box_1": "10200.00", "box_2a": "0.00", "box_5": "10000.00", "box_7": "G",
         "disposition": [{"to": "traditional_ira", "amount": "10200.00"}]}]})
    by_id = {r.form_id: r for r in analysis.forms}
    assert by_id["conversion"].status == "unsupported"
    assert by_id["plan"].ira_basis_added == D("10000.00")
    assert analysis.form_8606.status == "applies" and "Part I" in analysis.form_8606.parts
    assert "form_8606.year_end_value_missing" in codes(analysis)


def test_ira_distribution_kept_with_no_basis_is_fully_taxable():
    _, analysis = analyze_dict({"tax_year": 2024, "traditional_ira_basis": "0", "forms_1099r": [
        {"id": "ira", "box_1": "3000.00", "box_2a": "3000.00", "box_2b_taxable_not_determined": True,
         "box_7": "1", "box_7_ira_sep_simple": True, "box_4": "300.00",
         "disposition": [{"to": "kept", "amount": "3000.00"}]}]})
    assert lines(analysis) == {"4b": D("3000.00"), "25b": D("300.00")}
    assert analysis.form_5329.additional_tax == D("300.00")


def test_ira_rollover_made_the_next_year_needs_a_statement():
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [
        {"id": "ira", "box_1": "3000.00", "box_2a": "3000.00", "box_7": "7", "box_7_ira_sep_simple": True,
         "distribution_date": "2025-12-20",
         "disposition": [{"to": "traditional_ira", "amount": "3000.00", "within_60_days": True,
                          "date": "2026-01-10"}]}]})
    assert lines(analysis) == {"4a": D("3000.00"), "4b": D("0.00")}
    assert len(analysis.statements) == 1 and "2026-01-10" in analysis.statements[0].text
