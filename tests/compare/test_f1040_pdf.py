"""Reading the Form 1040 PDF a tax software produced, on a program's own layout: one generated
fixture per supported tax year, fillable and flat, read by the printed line numbers (a field
with an IRS name that is not where the IRS form has it is not trusted by its name). The real
IRS forms, filled three ways, are tested in tests/realforms/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from megaroth.catalog import available_years
from megaroth.errors import InputError
from megaroth.importers.base import Document
from megaroth.importers.f1040_pdf import is_f1040, read_f1040_pdf
from megaroth.params import load_year

PDFS = Path(__file__).resolve().parents[2] / "fixtures" / "pdf"
F1040 = PDFS / "f1040"

# fixture → (year, {item: amount or flag}, how the pension lines were read)
EXPECTED = {
    "f1040_2019_fillable.pdf": (2019, {"pension_gross": "10200.00", "pension_taxable": "200.00",
                                       "withholding": "1500.00", "ira_gross": "0.00", "pension_rollover": True},
                                "right of '4c'"),
    "f1040_2020_fillable.pdf": (2020, {"pension_gross": "10200.00", "pension_taxable": "200.00", "withholding": "0.00",
                                       "pension_rollover": False}, "right of '5a'"),
    "f1040_2021_fillable.pdf": (2021, {"pension_gross": "10200.00", "pension_taxable": "10200.00",
                                       "pension_rollover": True}, "right of '5a'"),
    "f1040_2022_fillable.pdf": (2022, {"ira_gross": "10200.00", "ira_taxable": "200.00", "pension_gross": "0.00",
                                       "ira_rollover": True}, "right of '5a'"),
    "f1040_2023_fillable.pdf": (2023, {"pension_gross": "20400.00", "pension_taxable": "200.00"}, "right of '5a'"),
    "f1040_2024_fillable.pdf": (2024, {"pension_gross": "10200.00", "pension_taxable": "200.00", "withholding": "0.00",
                                       "pension_rollover": True}, "right of '5a'"),
    "f1040_2024_return_flat.pdf": (2024, {"pension_gross": "10200.00", "pension_taxable": "200.00",
                                          "form_8606_line_16": "10200.00", "form_8606_line_17": "10000.00",
                                          "form_8606_line_18": "200.00", "schedule_2_additional_tax": "0.00",
                                          "pension_rollover": True}, "text right of '5a'"),
    "f1040_2025_fillable.pdf": (2025, {"pension_gross": "10200.00", "pension_taxable": "10200.00",
                                       "pension_rollover": True, "ira_rollover": False}, "right of '5a'"),
    "f1040_2025_flat.pdf": (2025, {"pension_gross": "10200.00", "pension_taxable": "200.00", "withholding": "0.00",
                                   "pension_rollover": True, "schedule_2_additional_tax": "0.00"}, "text right of"),
    "f1040_2026_flat.pdf": (2026, {"pension_gross": "10200.00", "pension_taxable": "200.00",
                                   "pension_rollover": False}, "text right of"),
}


def read(path: Path, default_year=None):
    return read_f1040_pdf(Document(name=path.name, data=path.read_bytes()), load_year, default_year)


def test_one_fixture_per_supported_year():
    years = {year for year, _, _ in EXPECTED.values()}
    assert years == set(available_years())
    assert set(EXPECTED) == {p.name for p in F1040.glob("*.pdf")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_to_its_figures(name):
    year, want, how = EXPECTED[name]
    figures = read(F1040 / name)
    assert figures.tax_year == year
    for item, value in want.items():
        figure = figures.get(item)
        assert figure is not None, item
        if isinstance(value, bool):
            assert figure.flag is value, item
        else:
            assert figure.amount == Decimal(value), item
    assert how in figures.get("pension_gross").where
    assert name in figures.get("pension_gross").where


def test_a_marker_not_seen_is_read_with_doubt():
    figures = read(F1040 / "f1040_2026_flat.pdf")
    marker = figures.get("pension_rollover")
    assert marker.flag is False and marker.uncertain
    assert "no check mark found" in marker.where
    # A checkbox field that is there and unchecked is read with certainty.
    figures = read(F1040 / "f1040_2025_fillable.pdf")
    assert figures.get("ira_rollover").flag is False and not figures.get("ira_rollover").uncertain


def test_missing_pages_are_noted_not_invented():
    figures = read(F1040 / "f1040_2020_fillable.pdf")
    assert figures.get("form_8606_line_16") is None
    assert "No Form 8606 page in the PDF." in figures.notes


@pytest.mark.parametrize("name, message", [
    ("not_a_1099r.pdf", "no Form 1040 page found"),
    ("irs_look_flat.pdf", "no Form 1040 page found"),
    ("encrypted.pdf", "encrypted"),
    ("damaged_truncated.pdf", "damaged or truncated"),
])
def test_pdfs_that_are_not_a_readable_1040(name, message):
    with pytest.raises(InputError, match=message):
        read(PDFS / name)


def test_is_f1040_tells_a_return_from_a_1099r():
    assert is_f1040(Document(name="x", data=(F1040 / "f1040_2025_flat.pdf").read_bytes()))
    assert not is_f1040(Document(name="x", data=(PDFS / "irs_look_flat.pdf").read_bytes()))


def test_a_field_named_as_on_the_irs_form_but_elsewhere_is_not_read_by_its_name():
    """The 2023 fixture's fields carry the IRS 2023 names at the fixture's own places: the names
    are not trusted, the lines are read by the line numbers printed beside them."""
    figures = read(F1040 / "f1040_2023_fillable.pdf")
    assert figures.get("pension_gross").amount == Decimal("20400.00")
    assert "field map" not in figures.get("pension_gross").where
    assert any("is not where the 2023 form has it" in note for note in figures.notes)


def _writer():
    from tests.helpers import fixture_kit

    return fixture_kit()


def test_a_row_printed_as_one_run_of_text(tmp_path):
    """Software that prints a whole row in one text run: the amounts still follow their numbers."""
    kit = _writer()
    page = kit.Page()
    page.text(36, 760, "Form 1040 U.S. Individual Income Tax Return 2024", 10)
    page.text(36, 500, "4a IRA distributions . . . . 4a b Taxable amount . . . . 4b", 8)
    page.text(36, 484, "5a Pensions and annuities . . . . 5a 10,200. b Taxable amount . . . . ROLLOVER 5b 200.", 8)
    page.text(36, 400, "25b Form(s) 1099 . . . . . 25b 1,234.56", 8)
    path = tmp_path / "one_run.pdf"
    kit.write_pdf(path, [page])
    figures = read(path)
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert figures.get("pension_taxable").amount == Decimal("200.00")
    assert figures.get("withholding").amount == Decimal("1234.56")
    assert figures.get("ira_gross").amount == Decimal("0.00") and figures.get("ira_taxable").amount == Decimal("0.00")
    assert figures.get("pension_rollover").flag is True


def test_a_year_not_printed_takes_the_case_year(tmp_path):
    kit = _writer()
    page = kit.Page()
    page.text(36, 760, "U.S. Individual Income Tax Return", 10)
    page.text(36, 484, "5a Pensions and annuities . . 5a 10,200 b Taxable amount . . 5b 200", 8)
    path = tmp_path / "no_year.pdf"
    kit.write_pdf(path, [page])
    with pytest.raises(InputError, match="does not print the tax year"):
        read(path)
    figures = read(path, default_year=2025)
    assert figures.tax_year == 2025 and "read as a 2025 return" in figures.notes[0]
