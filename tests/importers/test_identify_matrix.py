"""Every sample input is claimed by exactly the importer meant for it; bad inputs are refused
with a message naming the file and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from megaroth.errors import InputError
from megaroth.importers import Document, claimants, identify

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

EXPECTED = {
    "pdf/irs_look_flat.pdf": "pdf-text",
    "pdf/three_up_copies.pdf": "pdf-text",
    "pdf/custodian_statement.pdf": "pdf-text",
    "pdf/custodian_5498.pdf": "pdf-text",
    "pdf/custodian_table_2019.pdf": "pdf-text",
    "pdf/irs_fillable_code_g.pdf": "pdf-fillable",
    "pdf/backdoor_plan_1099r.pdf": "pdf-fillable",
    "pdf/backdoor_ira_1099r.pdf": "pdf-fillable",
    "pdf/backdoor_spouse_ira_1099r.pdf": "pdf-fillable",
    "pdf/fdx_embedded.pdf": "pdf-fdx",
    "pdf/irs_5498_flat.pdf": "pdf-text",
    "pdf/irs_5498_blank.pdf": "pdf-text",
    "pdf/irs_5498_bad_code.pdf": "pdf-text",
    "pdf/irs_5498_fdx.pdf": "pdf-fdx",
    "pdf/statement_one_recipient.pdf": "pdf-text",
    "pdf/statement_account_blank.pdf": "pdf-text",
    "csv/preparer_batch.csv": "csv",
    "csv/forms_with_5498.csv": "csv",
    "csv/backdoor_clients.csv": "csv",
    "fdx/tax1099r_v5.json": "fdx-json",
    "fdx/tax1099r_v6.json": "fdx-json",
    "fdx/tax5498_with_1099r_v5.json": "fdx-json",
    "cases/irr_after_tax_only.json": "case-json",
}

REFUSED = {
    "pdf/damaged_truncated.pdf": "damaged or truncated",
    "pdf/encrypted.pdf": "encrypted with a password",
    "pdf/not_a_1099r.pdf": "without 1099-R form fields",
    **{f"pdf/f1040/{p.name}": "is a Form 1040"
       for p in (FIXTURES / "pdf" / "f1040").glob("*.pdf")},
}


def document(relative: str) -> Document:
    path = FIXTURES / relative
    return Document(name=str(path), data=path.read_bytes())


@pytest.mark.parametrize("relative, importer", EXPECTED.items())
def test_claimed_by_exactly_one_importer(relative, importer):
    doc = document(relative)
    assert [i.name for i in claimants(doc)] == [importer]


@pytest.mark.parametrize("relative, words", REFUSED.items())
def test_refused_with_the_reason(relative, words):
    with pytest.raises(InputError, match=words) as info:
        identify(document(relative))
    assert info.value.source.file.endswith(relative)


def test_every_fixture_is_in_the_matrix():
    # Case files and tax software figures (`compare`) are not 1099-R sources.
    files = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.suffix in (".pdf", ".csv", ".json")
             and "cases" not in p.parts and "software" not in p.parts}
    assert files <= set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("data, words", [
    (b"hello world", "not a PDF, JSON or CSV"),
    (b'{"hello": 1}', "neither a megaroth case file nor FDX"),
    (b'{"broken": ', "not valid JSON"),
    (b"name,amount\nx,1\n", "without columns for box 1 and box 7"),
    (b"%PDF-1.7\n garbage", "damaged or truncated"),
])
def test_unknown_inputs(data, words):
    with pytest.raises(InputError, match=words):
        identify(Document(name="input", data=data))


def test_format_hint_overrides_sniffing():
    doc = Document(name="x", data=(FIXTURES / "csv/preparer_batch.csv").read_bytes(), format_hint="json")
    with pytest.raises(InputError, match="not valid JSON"):
        identify(doc)


def _fillable_printed_for(year: int, tmp_path):
    """The fillable fixture, printed for another year (the generator's own helpers)."""
    from tests.helpers import fixture_kit

    make_pdfs = fixture_kit()
    page = make_pdfs.Page()
    page.text(54, 760, f"Form 1099-R ({year})  Copy B  For Recipient", 10)
    base = "topmostSubform[0].CopyB[0]."
    names = ["f2_08[0]", "f2_09[0]", "Box7_ReadOrder[0].f2_14[0]", "Box5_ReadOrder[0].f2_12[0]", "f2_11[0]",
             "f2_13[0]", "f2_15[0]", "f2_16[0]", "f2_18[0]", "f2_20[0]", "f2_26[0]"]
    values = {"f2_08[0]": "10200.00", "f2_09[0]": "200.00", "Box7_ReadOrder[0].f2_14[0]": "G",
              "Box5_ReadOrder[0].f2_12[0]": "10000.00"}
    fields = [(0, base + name, (150, 700 - 20 * i, 300, 712 - 20 * i), values.get(name, ""))
              for i, name in enumerate(names)]
    path = tmp_path / f"fillable_{year}.pdf"
    make_pdfs.write_pdf(path, [page], fields=fields)
    from megaroth.importers.pdf_fillable import FillablePdfImporter

    doc = Document(name=str(path), data=path.read_bytes())
    assert [i.name for i in claimants(doc)] == ["pdf-fillable"]
    (record,) = FillablePdfImporter().extract(doc).records
    return record


def test_a_fillable_form_printed_for_another_year_takes_that_year_with_a_warning(tmp_path):
    record = _fillable_printed_for(2023, tmp_path)
    assert record.tax_year == 2023 and not record.errors
    assert "printed for 2023" in record.warnings[0]


def test_a_fillable_form_before_the_2020_renumbering_is_refused(tmp_path):
    record = _fillable_printed_for(2019, tmp_path)
    assert record.tax_year == 2019
    assert "before the box renumbering" in record.errors[0]
