"""The preparer CSV: header spellings, cells, dispositions, bad rows, streaming groups."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from megaroth import api
from megaroth.importers.base import Document
from megaroth.importers.csv_batch import CsvBatchImporter


def rows(text: str):
    doc = Document(name="batch.csv", data=text.encode())
    importer = CsvBatchImporter()
    assert importer.identify(doc)
    return importer.extract(doc)


@pytest.mark.parametrize("header", [
    "box_1,box_2a,box_7",
    "Box 1,Box 2a,Box 7",
    "Gross distribution,Taxable amount,Distribution code(s)",
    "Box 1 Amount,Box 2a Amount,Box 7 Code(s)",
    "gross_distribution,taxable_amount,distributions_code",
    "Tax1099R.grossDistribution,Tax1099R.taxableAmount,Tax1099R.distributionCodes",
])
def test_header_spellings(header):
    extraction = rows(f"{header}\n\"$1,234.50\",200.00,07\n")
    (record,) = extraction.records
    assert record.values == {"box_1": "$1,234.50", "box_2a": "200.00", "box_7": "07"}
    assert record.locator == "row 2"


def test_two_code_columns_and_flags():
    extraction = rows("box_1,cboDistCode1,cboDistCode2,IRA/SEP/SIMPLE,Total distribution\n100,4,G,no,X\n")
    (record,) = extraction.records
    assert record.values["box_7"] == "4G"
    assert record.values["box_2b_total_distribution"] is True
    assert "box_7_ira_sep_simple" not in record.values or record.values["box_7_ira_sep_simple"] is False


def test_semicolon_and_tab_delimiters():
    assert rows("Box 1;Box 7\n100,00;7\n").records[0].values["box_1"] == "100,00"
    assert rows("Box 1\tBox 7\n100.00\t7\n").records[0].values["box_7"] == "7"


def test_dispositions():
    extraction = rows("Box 1,Box 7,Disposition,60-day rollover,Rollover date\n"
                      "10200,G,roth_ira 10000; Traditional IRA 200,,\n"
                      "5000,7,traditional IRA,yes,2025-07-01\n"
                      "5000,7,somewhere 100,,\n"
                      "5000,7,roth_ira; kept,,\n")
    first, second, third, fourth = extraction.records
    assert first.values["disposition"] == [{"to": "roth_ira", "amount": "10000"},
                                           {"to": "traditional_ira", "amount": "200"}]
    assert second.values["disposition"] == [{"to": "traditional_ira", "amount": "5000", "within_60_days": True,
                                             "date": "2025-07-01"}]
    assert "not a destination" in third.errors[0]
    assert "give an amount for each destination" in fourth.errors[0]


def test_bad_rows_are_rejected_with_row_and_field_and_others_go_on():
    cases, tally = api.load_sources([str(Path(__file__).resolve().parents[2] / "fixtures/csv/preparer_batch.csv")])
    assert tally.records_in == 8
    rejected = {(e.source.record, e.source.field) for _, loaded in cases for e in loaded.errors} | {
        (e.source.record, e.source.field) for e in tally.rejected}
    assert ("row 7", "box_7_ira_sep_simple") in rejected
    assert any(record == "row 8" for record, _ in rejected)
    reported = sum(len(loaded.case.forms_1099r) for _, loaded in cases)
    assert reported == 6 and reported + 2 == tally.records_in


def test_groups_stream_taxpayers_even_when_their_rows_are_apart():
    text = "Client,Box 1,Box 7,Tax Year\nA,1,7,2025\nB,2,7,2025\nA,3,7,2025\nC,4,7,2025\n"
    doc = Document(name="x.csv", data=text.encode())
    groups = list(CsvBatchImporter().iter_groups(doc))
    assert [(key, [r.values["box_1"] for r in records]) for key, records in groups] == [
        ("id:B", ["2"]), ("id:A", ["1", "3"]), ("id:C", ["4"])]


def test_short_rows_are_fine_long_rows_are_not():
    extraction = rows("Box 1,Box 7,Box 5\n100,7\n\"1,000.00\",7,1,000.00\n")
    short, long = extraction.records
    assert short.values == {"box_1": "100", "box_7": "7"} and not short.errors
    assert "unquoted comma" in long.errors[0]


def test_a_csv_round_trips_into_correct_lines(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Client,Tax Year,Box 1,Box 2a,Box 5,Box 7,To\nP,2025,\"10,200.00\",200.00,\"10,000.00\",G,IRR\n")
    loaded = api.load_single([str(path)])
    analysis = api.analyze(loaded)
    assert analysis.line("5a").amount == Decimal("10200.00") and analysis.line("5b").amount == Decimal("200.00")


def test_a_household_row_set_becomes_a_joint_return_with_owners(tmp_path):
    # Issue 10: one client id for the household, an Owner column for each form's owner.
    source = tmp_path / "household.csv"
    source.write_text(
        "Household,Tax Year,Filing status,Client Name,Spouse name,Spouse DOB,Owner,Box 1,Box 2a,Box 7,IRA/SEP/SIMPLE,To\n"
        "H-1,2025,MFJ,Pat Example,Sam Example,1987-09-12,T,7003.00,7003.00,2,X,roth_ira\n"
        "H-1,2025,MFJ,Pat Example,Sam Example,1987-09-12,spouse,7010.00,7010.00,2,X,roth_ira\n"
        "H-2,2025,,Lee,,,nobody,100.00,100.00,7,,\n")
    cases, _ = api.load_sources([str(source)])
    by_key = dict(cases)
    loaded = by_key["id:H-1"]
    case = loaded.case
    assert case.filing_status.value == "married_filing_jointly" and case.spouse.name == "Sam Example"
    assert [f.owner for f in case.forms_1099r] == ["taxpayer", "spouse"]
    analysis = api.analyze(loaded)
    assert [p.role for p in analysis.people] == ["taxpayer", "spouse"]
    (error,) = by_key["id:H-2"].errors
    assert error.source.record == "row 4" and error.source.field == "owner" and "spouse" in error.message


def test_a_csv_mixing_1099r_and_5498_rows_matches_each_rollover():
    """fixtures/csv/forms_with_5498.csv: Ravi Patel's $40,310.22 after-tax rollover to a Roth IRA is
    on its Form 5498 (box 2, account XXXX4410 matched by its last digits); Mia Chen's Roth IRA
    reported a plan rollover in box 3; Ola Berg has a 5498 rollover without a 1099-R, and a row
    whose box 7 and box 1 are not a Form 5498's, rejected naming its columns."""
    cases, tally = api.load_sources([str(Path(__file__).resolve().parents[2] / "fixtures/csv/forms_with_5498.csv")])
    assert tally.records_in == 6
    by_id = {loaded.case.taxpayer.id: loaded for _, loaded in cases}
    ravi = by_id["C-3001"]
    (f5498,) = ravi.case.forms_5498
    assert (f5498.box_2, f5498.box_5, f5498.box_10, f5498.kind) == (
        Decimal("40310.22"), Decimal("41002.90"), Decimal("7000.00"), "roth_ira")
    assert ravi.case.forms_1099r[0].disposition[0].account == "XXXX4410"
    (match,) = api.analyze(ravi).rollover_matches
    assert (match.status, match.expected) == ("matched", {"2": Decimal("40310.22")})
    (mia,) = api.analyze(by_id["C-3002"]).rollover_matches
    assert mia.status == "box_differs"
    ola = by_id["C-3003"]
    assert [f.id for f in ola.case.forms_5498] == ["ola-trad"]
    messages = sorted((e.source.record, e.source.field, e.message) for e in ola.errors)
    assert messages == [
        ("row 7", "box_1", "column 'Box 1' is a Form 1099-R box; a Form 5498 row leaves it blank"),
        ("row 7", "box_7", "'Pension' in column 'Kind of IRA' is not a kind of IRA (IRA, SEP, SIMPLE or Roth IRA)"),
    ]
    (no_1099r,) = api.analyze(ola).rollover_matches
    assert no_1099r.status == "no_1099r"


def test_a_batch_of_1099r_and_5498_rows_accounts_for_every_row(tmp_path):
    """Records in = reported + rejected with Form 5498 rows counted too: 6 rows, one rejected."""
    summary = api.batch_report([str(Path(__file__).resolve().parents[2] / "fixtures/csv/forms_with_5498.csv")],
                               tmp_path / "out", fmt="md")
    assert (summary.records_in, summary.records_reported, summary.records_rejected, summary.taxpayers) == (6, 5, 1, 3)
    text = (tmp_path / "out" / "C-3001-2025.md").read_text()
    assert "| taxpayer | Roth IRA XXXX4410 | 2025 |" in text and "| Matched" in text
