"""The comparison's rules on worked cases: rounding, what is right in more than one way, what
is only a note, and mistakes that combine."""

from __future__ import annotations

import json
from decimal import Decimal

from megaroth import api
from tests.conftest import load_fixture_case


def compare(loaded, **options):
    figures = api.load_software(None, {f"--{k.replace('_', '-')}": v for k, v in options.items()},
                                loaded.case.tax_year)
    return api.compare(loaded, figures)


def case(data: dict):
    return api.case_from_dict(json.loads(json.dumps(data)))


IRR = {"id": "irr", "payer_name": "Acme 401(k) Plan", "box_1": "10200.00", "box_2a": "200.00", "box_5": "10000.00",
       "box_7": "G", "disposition": [{"to": "designated_roth_same_plan", "amount": "10200.00"}]}


def test_whole_dollars_and_cents_agree_within_the_rounding_tolerance():
    """megaroth's 200.49 is filed as 200 (i1040 rounding, half up): the difference with the software's
    202 is 2 whole dollars; asked for cents, it is 1.51."""
    loaded = case({"tax_year": 2025, "forms_1099r": [dict(
        IRR, box_1="10200.49", box_2a="200.49",
        disposition=[{"to": "designated_roth_same_plan", "amount": "10200.49"}])]})
    _, comparison = compare(loaded, line_5a="10200", line_5b="200")
    assert comparison.agree and comparison.whole_dollars
    assert comparison.item("pension_taxable").difference == Decimal("0")
    _, comparison = compare(loaded, line_5a="10200", line_5b="202")
    assert comparison.item("pension_taxable").status == "differs"
    assert comparison.item("pension_taxable").difference == Decimal("2")
    assert comparison.item("pension_taxable").expected_text == "200"
    figures = api.load_software(None, {"--line-5a": "10200", "--line-5b": "202"}, 2025)
    _, comparison = api.compare(loaded, figures, cents=True)
    assert comparison.item("pension_taxable").difference == Decimal("1.51") and not comparison.whole_dollars
    assert comparison.item("pension_taxable").expected_text == "200.49"


def test_fully_taxable_may_be_entered_on_the_gross_line_too():
    loaded = load_fixture_case("late_sixty_day_rollover")  # late: fully taxable, 5a left blank
    for gross in ("0", "50000"):
        _, comparison = compare(loaded, line_5a=gross, line_5b="50000", line_25b="10000")
        assert comparison.agree, gross
    _, comparison = compare(loaded, line_5a="50000", line_5b="50000")
    assert "changes nothing" in comparison.item("pension_gross").note


def test_withholding_higher_than_box_4_is_a_note_lower_is_a_difference():
    loaded = load_fixture_case("sixty_day_rollover_withholding")
    analysis, comparison = compare(loaded, line_25b="2500")
    assert comparison.item("withholding").status == "note" and comparison.agree
    assert api.compare_exit_code(analysis, comparison) == 0
    _, comparison = compare(loaded, line_5a="10000", line_5b="2000", line_25b="0")
    assert comparison.item("withholding").status == "differs"
    assert comparison.diagnoses[0].rule == "compare.withholding_missing"


def test_an_irr_marker_left_off_is_a_note_because_the_instructions_are_silent():
    loaded = case({"tax_year": 2024, "forms_1099r": [IRR]})
    _, comparison = compare(loaded, line_5a="10200", line_5b="200", rollover=False)
    item = comparison.item("pension_rollover")
    assert item.status == "note" and comparison.agree
    assert "irr_rollover_marker" in comparison.diagnoses[0].explanation
    # With the option off, megaroth expects no marker; the software marking it is a difference.
    loaded = load_fixture_case("irr_without_marker_option")
    _, comparison = compare(loaded, line_5a="10200", line_5b="200", rollover=True)
    assert comparison.item("pension_rollover").status == "differs"
    assert comparison.diagnoses[0].rule == "compare.marker_extra"


def test_a_conversion_on_form_8606_that_is_not_in_the_case_is_a_note():
    loaded = load_fixture_case("roth_ira_direct_rollover_2024")
    _, comparison = compare(loaded, line_5a="10200", line_5b="200", line_4a="7000", line_4b="7000",
                            form_8606_line_16="7000", form_8606_line_18="7000")
    assert comparison.item("form_8606_line_16").status == "note"
    assert "backdoor" in comparison.item("form_8606_line_16").note
    # 4a/4b higher than the case's IRA forms: a difference, with the usual causes, not a guess.
    assert comparison.item("ira_gross").status == "differs"
    assert comparison.diagnoses[0].rule == "compare.unexplained" and comparison.diagnoses[0].fit == "possible"
    assert "backdoor" in comparison.diagnoses[0].explanation


def test_form_8606_lines_compared_where_it_applies():
    loaded = load_fixture_case("ira_conversion_no_basis")
    _, comparison = compare(loaded, line_4a="20000", line_4b="20000", form_8606_line_16="20000",
                            form_8606_line_17="0", form_8606_line_18="20000")
    assert comparison.agree
    _, comparison = compare(loaded, form_8606_line_18="19000")
    assert comparison.item("form_8606_line_18").status == "differs"


def test_regular_roth_contributions_are_not_judged():
    loaded = load_fixture_case("roth_ira_direct_rollover_2024")
    _, comparison = compare(loaded, roth_ira_contributions="7000")
    assert comparison.item("roth_ira_contributions").status == "note" and comparison.agree


def test_the_6_percent_on_the_whole_rollover_is_recognized_too():
    loaded = load_fixture_case("roth_ira_direct_rollover_2024")
    _, comparison = compare(loaded, schedule_2_additional_tax="612")  # 6% of 10,200, no limit subtracted
    assert comparison.diagnoses[0].rule == "compare.rollover_as_contribution"


def test_other_additional_taxes_on_schedule_2_are_a_note():
    loaded = load_fixture_case("irr_after_tax_only")
    _, comparison = compare(loaded, schedule_2_additional_tax="55")
    assert comparison.item("schedule_2_additional_tax").status == "note" and comparison.agree


def test_the_10_percent_left_out():
    loaded = load_fixture_case("cash_out_after_tax")
    analysis, comparison = compare(loaded, line_5a="10200", line_5b="200", schedule_2_additional_tax="0")
    assert comparison.item("schedule_2_additional_tax").status == "differs"
    assert comparison.diagnoses[0].rule == "compare.additional_tax_missing"
    assert comparison.diagnoses[0].amount == Decimal("20.00")
    assert api.compare_exit_code(analysis, comparison) == 4


def test_the_same_mistake_on_every_form():
    loaded = case({"tax_year": 2025, "forms_1099r": [
        IRR, dict(IRR, id="irr2", box_1="5100.00", box_2a="100.00", box_5="5000.00",
                  disposition=[{"to": "designated_roth_same_plan", "amount": "5100.00"}])]})
    _, comparison = compare(loaded, line_5a="15300", line_5b="15300")
    first = comparison.diagnoses[0]
    assert first.rule == "compare.taxed_gross" and first.form_ids == ["irr", "irr2"] and first.fit == "all"
    assert first.amount == Decimal("15000.00")


def test_two_independent_mistakes_are_both_found():
    """One form left out, the other taxed in full: no single mistake gives these figures."""
    loaded = case({"tax_year": 2025, "forms_1099r": [
        IRR, dict(IRR, id="irr2", box_1="5100.00", box_2a="100.00", box_5="5000.00",
                  disposition=[{"to": "designated_roth_same_plan", "amount": "5100.00"}])]})
    _, comparison = compare(loaded, line_5a="10200", line_5b="10200")
    rules = {(d.rule, tuple(d.form_ids)) for d in comparison.diagnoses if d.fit == "all"}
    assert ("compare.form_missing", ("irr2",)) in rules
    assert ("compare.taxed_gross", ("irr",)) in rules


def test_a_difference_nothing_reproduces_gets_the_usual_causes():
    loaded = load_fixture_case("irr_after_tax_only")
    _, comparison = compare(loaded, line_5a="10200", line_5b="3333")
    assert [d.rule for d in comparison.diagnoses] == ["compare.unexplained"]
    assert comparison.item("pension_taxable").diagnoses == ["unexplained:pension_taxable"]


def test_an_incomplete_case_says_so_and_exits_3():
    loaded = load_fixture_case("tnd_undeterminable")
    analysis, comparison = compare(loaded, line_5a="0", line_5b="0")
    assert not comparison.complete
    assert any("could not compute" in note for note in comparison.notes)
    assert api.compare_exit_code(analysis, comparison) == 3


def test_nothing_given_is_not_agreement_by_accident():
    loaded = load_fixture_case("irr_after_tax_only")
    _, comparison = api.compare(loaded, api.load_software(None, {}, 2025))
    assert all(item.status == "not_given" for item in comparison.items)
    assert "No software figures to compare." in comparison.notes


def test_box_5_left_out_on_a_three_way_split():
    """The IRS's three-destination example: 80,000 pretax to a traditional IRA, 10,000 of basis to a
    Roth IRA, 10,000 of basis in cash. Software that ignores box 5 taxes the 20,000 of basis."""
    loaded = load_fixture_case("irs_three_destinations")
    _, comparison = compare(loaded, line_5a="100000", line_5b="20000")
    found = {(d.rule, tuple(d.form_ids)) for d in comparison.diagnoses if d.fit == "all"}
    assert ("compare.basis_ignored", ("initech-direct",)) in found
    assert ("compare.taxed_gross", ("initech-cash",)) in found


def test_designated_roth_rollover_earnings_taxed():
    loaded = load_fixture_case("drac_to_roth_ira_code_h")  # 15,000, box 5 12,000, code H to a Roth IRA
    _, comparison = compare(loaded, line_5a="15000", line_5b="3000")
    assert comparison.diagnoses[0].rule == "compare.designated_roth_earnings_taxed"
    assert comparison.diagnoses[0].amount == Decimal("3000.00")


def test_a_60_day_rollover_not_reported_ranks_before_box_2a_on_a_right_form():
    loaded = load_fixture_case("sixty_day_rollover_withholding")  # 10,000 cash, 8,000 rolled in 60 days
    _, comparison = compare(loaded, line_5a="10000", line_5b="10000", line_25b="2000")
    rules = [d.rule for d in comparison.diagnoses]
    assert rules[0] == "compare.rolled_pretax_taxed"
    assert rules.index("compare.box_2a_as_printed") > rules.index("compare.taxed_gross")
    assert "within 60 days" in comparison.diagnoses[0].fix
