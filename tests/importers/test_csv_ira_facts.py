"""The preparer CSV's columns for each person's Form 8606 facts, and the header frictions of issue 19:
`Code` for box 7, `DEST=AMOUNT` in the destination column, unknown and misspelt headers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from megaroth import api
from megaroth.errors import InputError
from megaroth.importers import identify
from megaroth.importers.base import Document
from megaroth.importers.csv_batch import CsvBatchImporter, column_spec, normalize
from megaroth.model.tax_return import IraFacts

LISTS = {"roth_conversions", "recharacterizations"}
"""IraFacts fields that are lists: a case file gives them, a CSV cell cannot."""


def extract(text: str):
    doc = Document(name="batch.csv", data=text.encode())
    importer = CsvBatchImporter()
    assert importer.identify(doc)
    return importer.extract(doc)


def load(tmp_path, text: str):
    path = tmp_path / "batch.csv"
    path.write_text(text)
    return api.load_sources([str(path)])


def test_every_scalar_ira_fact_has_a_column_for_each_person():
    aliases, kinds, _ = column_spec()
    for name in set(IraFacts.model_fields) - LISTS:
        for column in (f"ira_{name}", f"spouse_ira_{name}"):
            assert aliases[normalize(column)] == column
            assert kinds[column] == {"first_roth_year": "year", "last_ira_rollover_date": "date"}.get(name, "money")


@pytest.mark.parametrize("header, field", [
    ("Nondeductible contributions", "ira_nondeductible_contributions"),
    ("Form 8606 line 1", "ira_nondeductible_contributions"),
    ("IRA basis", "ira_basis"),
    ("Prior year basis", "ira_basis"),
    ("Dec 31 IRA value", "ira_year_end_value"),
    ("Year-end IRA value", "ira_year_end_value"),
    ("Spouse IRA basis", "spouse_ira_basis"),
    ("Spouse Dec 31 IRA value", "spouse_ira_year_end_value"),
    ("spouse_ira_first_roth_year", "spouse_ira_first_roth_year"),
    ("Code", "box_7"),
    ("Distribution code", "box_7"),
    ("Box 7 code", "box_7"),
])
def test_natural_spellings(header, field):
    assert column_spec()[0][normalize(header)] == field


def test_facts_are_read_as_the_case_file_reads_them_and_blank_is_not_given(tmp_path):
    cases, tally = load(tmp_path,
        "Client,Tax Year,Filing status,Spouse name,Box 1,Code,IRA/SEP/SIMPLE,To,ira_nondeductible_contributions,"
        "ira_basis,ira_year_end_value,ira_first_roth_year,spouse_ira_basis,spouse_ira_roth_contribution_basis\n"
        'A,2025,MFJ,Sam,7010,2,X,roth_ira,"$7,000.00",,0,2019,1234.5,\n')
    assert not tally.rejected
    (_, loaded), = cases
    taxpayer, spouse = loaded.case.taxpayer.ira, loaded.case.spouse.ira
    assert taxpayer.nondeductible_contributions == Decimal("7000.00")
    assert taxpayer.basis is None  # blank: not given (the ledger's, or reported missing), never 0
    assert taxpayer.year_end_value == Decimal("0.00") and taxpayer.first_roth_year == 2019
    assert taxpayer.contributions_made_next_year is None  # blank: not given, asked when it matters
    assert spouse.basis == Decimal("1234.50") and spouse.roth_contribution_basis is None
    assert loaded.case.spouse.name == "Sam"


def test_without_fact_columns_a_person_has_no_ira_facts(tmp_path):
    (_, loaded), = load(tmp_path, "Client,Tax Year,Box 1,Code\nA,2025,100,7\n")[0]
    assert loaded.case.taxpayer.ira is None


def test_a_fact_given_on_one_row_of_several_is_the_persons(tmp_path):
    cases, tally = load(tmp_path, "Client,Tax Year,Box 1,Code,IRA basis\nA,2025,100,7,\nA,2025,200,7,500\n")
    assert not tally.rejected
    (_, loaded), = cases
    assert loaded.case.taxpayer.ira.basis == Decimal("500.00") and len(loaded.case.forms_1099r) == 2


def test_a_bad_fact_rejects_its_row_naming_the_column():
    (record,) = extract("Client,Box 1,Code,IRA basis,First Roth year\nA,100,7,seven,1990\n").records
    assert record.errors == [
        "ira_basis: 'seven' in column 'IRA basis': 'seven' is not an amount (digits, a point and thousands "
        "commas only)",
        "ira_first_roth_year: '1990' in column 'First Roth year': Input should be greater than or equal to 1998"]


def test_rows_that_disagree_reject_every_row_of_that_person_only():
    extraction = extract("Client,Tax Year,Box 1,Code,Spouse Dec 31 IRA value\n"
                         "A,2025,100,7,93000\nB,2025,100,7,1\nA,2025,100,7,\nA,2025,100,7,\"93,000.01\"\n")
    a1, b, a2, a3 = extraction.records
    assert not b.errors
    message = ("spouse_ira_year_end_value: column 'Spouse Dec 31 IRA value' gives this person different values "
               "(93,000.00 on row 2, 93,000.01 on row 5); it is one fact per person, not per form: give the same "
               "value on each row, or on one row only")
    assert a1.errors == a2.errors == a3.errors == [message]


def test_the_streamed_groups_check_agreement_too():
    doc = Document(name="x.csv", data=b"Client,Tax Year,Box 1,Code,IRA basis\nA,2025,1,7,1\nB,2025,2,7,3\nA,2025,3,7,2\n")
    groups = dict(CsvBatchImporter().iter_groups(doc))
    assert [r.errors[0].split(":")[0] for r in groups["id:A"]] == ["ira_basis", "ira_basis"]
    assert not groups["id:B"][0].errors


@pytest.mark.parametrize("cell, expected", [
    ("roth_ira=10000", [("roth_ira", "10000")]),
    ("roth_ira 10000", [("roth_ira", "10000")]),
    ("roth_ira=10000, traditional_ira=200", [("roth_ira", "10000"), ("traditional_ira", "200")]),
    ("roth_ira 10,000; traditional_ira 200", [("roth_ira", "10,000"), ("traditional_ira", "200")]),
    ("Roth IRA = $10,000.00, Traditional IRA = 200", [("roth_ira", "10,000.00"), ("traditional_ira", "200")]),
    ("roth_ira", [("roth_ira", "10200")]),
])
@pytest.mark.parametrize("column", ["To", "Disposition"])
def test_destination_cells_take_what_the_to_option_takes(column, cell, expected):
    (record,) = extract(f'Box 1,Box 7,{column}\n10200,G,"{cell}"\n').records
    assert not record.errors
    assert [(e["to"], e["amount"]) for e in record.values["disposition"]] == expected


def test_a_destination_that_is_none_is_named():
    (record,) = extract("Box 1,Box 7,To\n10200,G,roth_irb=10000\n").records
    assert record.errors[0].startswith("disposition: 'roth_irb' is not a destination (use roth_ira")


def test_unknown_columns_are_a_note_naming_them():
    extraction = extract("Box 1,Code,Internal memo,Preparer initials\n100,7,x,y\n")
    assert extraction.notes == ["batch.csv: columns not used: Internal memo, Preparer initials"]


@pytest.mark.parametrize("header, known", [
    ("Nondeductable contributions", "nondeductible contributions"),
    ("Spouse IRA bassis", "spouse IRA basis"),
    ("Year-end IRA valeu", "year-end IRA value"),
])
def test_a_misspelt_known_column_refuses_the_file(header, known):
    doc = Document(name="batch.csv", data=f"Box 1,Code,{header}\n100,7,1\n".encode())
    with pytest.raises(InputError, match=f"column '{header}' looks like a misspelling of '{known}'"):
        CsvBatchImporter().extract(doc)


@pytest.mark.parametrize("header, words", [
    ("Client,Box 1,Dist", "a CSV without a column for box 7: name it 'Box 7', 'Distribution code' or 'Code'"),
    ("Client,Amount,Code", "a CSV without a column for box 1: name it 'Box 1' or 'Gross distribution'"),
    ("name,amount", "a CSV without columns for box 1 and box 7"),
])
def test_an_unusable_header_names_the_missing_box_not_a_source_file(header, words):
    with pytest.raises(InputError) as info:
        identify(Document(name="batch.csv", data=f"{header}\nA,1,2\n".encode()))
    assert words in info.value.message and "toml" not in info.value.message
    assert "the header row has" in info.value.message


def test_a_persons_birth_date_or_filing_status_that_disagrees_across_rows_rejects_the_person():
    # The first row's value winning silently would put a wrong age (59½, the RMD age) or a wrong
    # filing status on the return; names differing only in case or spaces are the same name.
    extraction = extract("Client,Tax Year,Client Name,Date of Birth,Filing status,Box 1,Code\n"
                         "A,2025,Pat Example,1985-04-02,Single,100,7\n"
                         "A,2025,PAT  EXAMPLE,1965-04-02,Single,100,7\n"
                         "B,2025,Sam,1970-01-01,Single,100,7\nB,2025,sam,1970-01-01,MFJ,100,7\n")
    a1, a2, b1, b2 = extraction.records
    assert a1.errors == a2.errors and a1.errors[0].startswith("birth_date: column 'Date of Birth' gives this person "
                                                              "different values")
    assert "row 2" in a1.errors[0] and "row 3" in a1.errors[0]
    assert b1.errors == b2.errors and b1.errors[0].startswith("filing_status:")
    assert len(a1.errors) == 1  # the names agree
