"""A custodian's flat Form 5498 statement read by its captions (fixtures/pdf/custodian_5498.pdf,
synthetic: no real 5498 statement is available), matched to the 1099-R it proves.

Worked case: the tax-rules.md split ($10,000 after-tax to a Roth IRA, $200 earnings to a
traditional IRA, fixtures/cases/split_rollover_one_form.json); the Roth IRA's 5498 shows $10,000
in box 2 and $7,000 in box 10, the traditional IRA's $200 in box 2: both matched."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from megaroth import api
from megaroth.importers import Document, identify
from megaroth.importers.text_5498 import is_5498_page, records_5498

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_the_boxes_are_read_by_their_captions():
    doc = Document(name="custodian_5498.pdf", data=(FIXTURES / "pdf/custodian_5498.pdf").read_bytes())
    roth, traditional = identify(doc).extract(doc).records
    assert (roth.form, roth.tax_year, roth.values["box_2"], roth.values["box_10"], roth.values["box_7_roth_ira"]) == (
        "5498", 2025, "$10,000.00", "$7,000.00", True)
    assert traditional.values["box_2"] == "$200.00" and traditional.values["box_7_ira"] is True
    assert roth.fields["box_5"].startswith("text")


def test_a_statement_and_the_case_together_match_each_rollover():
    loaded = api.load_single([str(FIXTURES / "cases/split_rollover_one_form.json"),
                              str(FIXTURES / "pdf/custodian_5498.pdf")], taxpayer_id="C-1")
    assert [f.box_2 for f in loaded.case.forms_5498] == [Decimal("10000.00"), Decimal("200.00")]
    analysis = api.analyze(loaded)
    assert [(m.kind, m.status) for m in analysis.rollover_matches] == [("roth_ira", "matched"),
                                                                       ("traditional_ira", "matched")]


def test_an_amount_that_is_not_one_rejects_the_record_naming_the_box():
    text = ("2025 Form 5498 IRA Contribution Information\n"
            "Box 2  Rollover contributions ........ $1O,000.00\n"
            "Box 5  Fair market value of account .. $10,412.33\n")
    (record,) = records_5498(1, text)
    assert record.errors and record.errors[0].startswith("box_2:")


def test_other_forms_are_not_taken_for_a_5498():
    assert not is_5498_page("Form 1099-R  Gross distribution $10,200.00  Form 5498 information follows")
    assert not is_5498_page("Form 5498-SA HSA, Archer MSA contributions")
    assert is_5498_page("2025 Form 5498 IRA Contribution Information")


def test_a_statement_with_its_captions_but_no_box_read_is_refused():
    text = ("2025 Form 5498 IRA Contribution Information\n"
            "Account number: R-5521\n"
            "Box 2  Rollover contributions ........\n"
            "Box 5  Fair market value of account ..\n")
    (record,) = records_5498(1, text)
    assert record.errors == ["no box of the Form 5498 could be read on page 1: its captions are printed but no "
                             "amount, year or code is next to them; megaroth does not import a Form 5498 with no box "
                             "read"]
    assert record.values["account_number"] == "R-5521"
