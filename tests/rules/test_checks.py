"""Checks on the forms as printed: box arithmetic, codes, batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import analyze_dict, case_dict


def finding(analysis, code):
    return [f for f in analysis.findings if f.code == code]


@pytest.mark.parametrize("form, code", [
    (dict(box_1="100.00", box_2a="150.00", box_7="7"), "box.2a_exceeds_1"),
    (dict(box_1="100.00", box_4="150.00", box_2a="100.00", box_7="7"), "box.4_exceeds_1"),
    (dict(box_1="100.00", box_2a="50.00", box_3="60.00", box_5="50.00", box_7="7"), "box.3_exceeds_2a"),
    (dict(box_1="100.00", box_2a="40.00", box_5="50.00", box_7="7"), "box.sum_mismatch"),
    (dict(box_1="100.00", box_2a="100.00", box_2b_taxable_not_determined=True, box_7="7"), "box.2b_tnd_with_2a"),
    (dict(box_1="100.00", box_7="7", box_5="100.00"), "box.2a_blank"),
    (dict(box_1="100.00", box_2a="100.00", box_10="10.00", box_7="7"), "box.10_without_code_b"),
    (dict(box_1="100.00", box_2a="100.00", box_7="7G"), "code.invalid_combination"),
    (dict(box_1="100.00", box_2a="100.00", box_7="H1"), "code.invalid_combination"),
    (dict(box_1="100.00", box_2a="100.00", box_7="7Y"), "code.order"),
    (dict(box_1="100.00", box_2a="0.00", box_7="B", box_7_ira_sep_simple=True), "code.ira_box_with_plan_code"),
    (dict(box_1="100.00", box_2a="100.00", box_7="7", corrected=True), "form.corrected"),
])
def test_form_checks(form, code):
    _, analysis = analyze_dict(case_dict(**form))
    assert finding(analysis, code), [f.code for f in analysis.findings]


def test_code_y_does_not_exist_before_2025():
    _, analysis = analyze_dict(case_dict(year=2024, box_1="100.00", box_2a="100.00", box_7="Y7",
                                         box_7_ira_sep_simple=True))
    assert finding(analysis, "code.unknown_for_year")


def test_invalid_pairs_are_warnings_for_years_without_their_own_table():
    _, analysis = analyze_dict(case_dict(year=2021, box_1="100.00", box_2a="100.00", box_7="7G"))
    (pair,) = finding(analysis, "code.invalid_combination")
    assert pair.severity.value == "warning" and "2024" in pair.message


def test_age_against_codes():
    old = {"tax_year": 2025, "taxpayer": {"birth_date": "1960-01-01"},
           "forms_1099r": [{"id": "a", "box_1": "100.00", "box_2a": "100.00", "box_7": "1"}]}
    young = {"tax_year": 2025, "taxpayer": {"birth_date": "1990-01-01"},
             "forms_1099r": [{"id": "a", "box_1": "100.00", "box_2a": "100.00", "box_7": "7"}]}
    assert finding(analyze_dict(old)[1], "code.age_mismatch")
    assert finding(analyze_dict(young)[1], "code.age_mismatch")
    # Reaching 59½ during the year: only the distribution date can tell, so no finding without it.
    mid = {"tax_year": 2025, "taxpayer": {"birth_date": "1966-01-01"},
           "forms_1099r": [{"id": "a", "box_1": "100.00", "box_2a": "100.00", "box_7": "7"}]}
    assert not finding(analyze_dict(mid)[1], "code.age_mismatch")


def test_duplicates_and_corrected_forms():
    form = {"payer_name": "Acme Plan", "box_1": "100.00", "box_2a": "100.00", "box_7": "7"}
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [
        {"id": "a", **form}, {"id": "b", **form}, {"id": "c", **form, "corrected": True, "box_2a": "90.00",
                                                   "box_5": "10.00"}]})
    assert finding(analysis, "batch.possible_duplicate")
    assert len(finding(analysis, "batch.corrected_and_original")) == 2


def test_box_sum_is_not_flagged_when_the_pretax_part_went_to_a_non_roth_account():
    # Issue 11: a combined code G form (after-tax 10,000 to a Roth IRA, earnings 200 to a traditional IRA)
    # rightly shows box 2a 0: box 2a + box 5 < box 1 by design.
    from tests.conftest import analyze_dict

    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [{
        "id": "split", "box_1": "10200.00", "box_2a": "0.00", "box_5": "10000.00", "box_7": "G",
        "disposition": [{"to": "roth_ira", "amount": "10000.00"}, {"to": "traditional_ira", "amount": "200.00"}]}]})
    assert "box.sum_mismatch" not in {f.code for f in analysis.findings}
    _, analysis = analyze_dict({"tax_year": 2025, "forms_1099r": [{
        "id": "irr", "box_1": "10200.00", "box_2a": "100.00", "box_5": "10000.00", "box_7": "G",
        "disposition": [{"to": "designated_roth_same_plan", "amount": "10200.00"}]}]})
    assert "box.sum_mismatch" in {f.code for f in analysis.findings}


def test_a_form_5498_box_is_named_by_the_5498s_caption_not_the_1099rs(tmp_path):
    """Box 7 of Form 5498 is the kind of IRA (f5498_layout.toml captions), not a 1099-R's distribution code."""
    import json

    from typer.testing import CliRunner

    from megaroth.cli import app

    case = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "cases"
                       / "f5498_conversion_in_rollover_box.json").read_text())
    for form in case["forms_5498"]:
        for key in [k for k in form if k.startswith("box_7_")]:
            form[key] = False
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    worksheet = CliRunner().invoke(app, ["report", str(path)]).stdout
    assert "`f5498.kind_not_checked` — form `roth-5498`, box 7 (IRA, SEP, SIMPLE or Roth IRA checkbox)" in worksheet
    assert "Distribution code(s)): Form 5498" not in worksheet
