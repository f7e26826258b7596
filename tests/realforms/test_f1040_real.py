"""A real IRS Form 1040 of each year 2019-2025, with its Schedule 2 and (2021-2023, 2025) Form 8606,
filled the ways tax software does — fillable, flattened, printed — and read back figure by
figure. Every line gets a different amount, so a line read from its neighbour's field fails."""

from __future__ import annotations

from decimal import Decimal

import pytest

from megaroth import api
from megaroth.errors import InputError
from megaroth.importers.base import Document
from megaroth.importers.f1040_pdf import read_f1040_pdf
from megaroth.params import load_year
from tests.realforms.irs_fill import WAYS, catalogue, fill, merge

YEARS = range(2019, 2026)
LINES = {"ira_gross": "3,000.00", "ira_taxable": "300.00", "pension_gross": "10,200.00", "pension_taxable": "200.00",
         "withholding": "1,234.56"}
F8606 = {"line_16": "5,000.00", "line_17": "4,000.00", "line_18": "1,000.00"}
SCHEDULE_2 = "25.00"


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "").split()[-1])


def return_pdf(year: int, way: str, *, scale=None, lines=None) -> bytes:
    """A whole return: Form 1040, Schedule 2, and Form 8606 when megaroth has that year's."""
    values = dict(lines or LINES)
    if year >= 2025:
        values.update(pension_rollover=True, ira_rollover=False)
    else:  # the write-in marker, printed in the taxable amount's box as software does
        values["pension_taxable"] = "ROLLOVER " + values["pension_taxable"]
    parts = [fill("f1040", year, values, way, scale=scale),
             fill("f1040s2", year, {"additional_tax": SCHEDULE_2}, way, scale=scale)]
    if ("f8606", year) in catalogue():
        parts.append(fill("f8606", year, F8606, way, scale=scale))
    return merge(parts)


def read(data: bytes, name: str = "return.pdf", default_year=None):
    return read_f1040_pdf(Document(name=name, data=data), load_year, default_year)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("year", YEARS)
def test_a_real_return_reads_line_by_line(year, way):
    figures = read(return_pdf(year, way))
    assert figures.tax_year == year and not figures.unreadable, figures.unreadable
    for item, text in LINES.items():
        assert figures.get(item).amount == amount(text), (item, figures.get(item).where)
    assert figures.get("pension_rollover").flag is True and not figures.get("pension_rollover").uncertain
    ira = figures.get("ira_rollover")
    assert ira.flag is False
    # A live checkbox (2025) is read as unchecked; a flattened or printed empty box is not.
    assert ira.uncertain is not (year >= 2025 and way == "fillable")
    assert figures.get("schedule_2_additional_tax").amount == Decimal(SCHEDULE_2)
    if ("f8606", year) in catalogue():
        for number in ("16", "17", "18"):
            assert figures.get(f"form_8606_line_{number}").amount == amount(F8606[f"line_{number}"])
    else:
        assert figures.get("form_8606_line_16") is None and "No Form 8606 page in the PDF." in figures.notes


@pytest.mark.parametrize("way, how", [("fillable", "field map"), ("flattened", "box"), ("printed", "box")])
def test_each_way_says_how_it_read(way, how):
    figures = read(return_pdf(2023, way))
    assert how in figures.get("pension_gross").where
    assert "return.pdf page 1" in figures.get("pension_gross").where


@pytest.mark.parametrize("way", ["flattened", "printed"])
@pytest.mark.parametrize("year", [2019, 2025])
def test_a_copy_printed_smaller_and_moved_reads_the_same(year, way):
    """"Print to PDF" with margins: the page shrunk to 94 % and moved (XObject matrices and
    the CTM compose); the lines are read at their boxes' new places."""
    figures = read(return_pdf(year, way, scale=(0.94, 18, 22)))
    for item, text in LINES.items():
        assert figures.get(item).amount == amount(text), item
    assert "box" in figures.get("pension_taxable").where
    assert figures.get("pension_rollover").flag is True


def test_empty_lines_are_blank_not_unreadable():
    lines = dict(LINES, ira_gross="", ira_taxable="")
    for way in WAYS:
        figures = read(return_pdf(2024, way, lines=lines))
        assert figures.get("ira_gross").amount == 0 and figures.get("ira_taxable").amount == 0, way
        assert not figures.unreadable


def _renamed(year: int, swap: dict[str, str]) -> dict[str, str]:
    """Every field of the form renamed to "Return_<leaf>", and some leaves swapped."""
    from pypdf import PdfReader

    from tests.realforms.irs_fill import blank

    names = {}
    for name in PdfReader(blank("f1040", year)).get_fields():
        leaf = name.rsplit(".", 1)[-1]
        names[name] = "Return_" + swap.get(leaf, leaf)
    return names


def test_renamed_fields_are_read_by_their_place_never_by_a_name_suffix():
    """A program renamed every field and gave line 4a's field the leaf of line 2b's and back
    (f1_42 is line 2b in 2023, 4a in 2022): a suffix match would read 2b's 999 as line 4a."""
    renamed = _renamed(2023, {"f1_42[0]": "f1_45[0]", "f1_45[0]": "f1_42[0]"})
    data = fill("f1040", 2023, dict(LINES), "fillable", renamed=renamed)
    from pypdf import PdfReader, PdfWriter
    import io

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.update_page_form_field_values(None, {"Return_f1_45[0]": "999.00"}, auto_regenerate=True)  # line 2b
    buffer = io.BytesIO()
    writer.write(buffer)
    figures = read(buffer.getvalue())
    assert figures.get("ira_gross").amount == Decimal("3000.00")
    assert "Return_f1_42[0] at line 4a's place" in figures.get("ira_gross").where
    for item, text in LINES.items():
        assert figures.get(item).amount == amount(text), item
    assert not figures.unreadable


def _draw_instead_of_text(data: bytes, leaf: str) -> bytes:
    """Replace the flattened appearance of one field with a drawing (a value in outlines)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for name in xobjects:
            if leaf.replace("[", "_").replace("]", "_") in name:
                xobjects[name].get_object().set_data(b"0 g 40 2 m 44 9 l 48 2 l 52 9 l f")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_line_drawn_as_outlines_is_unreadable_and_asked_for(tmp_path):
    data = _draw_instead_of_text(return_pdf(2024, "flattened"), "f1_49[0]")  # line 5b
    figures = read(data)
    assert "pension_taxable" not in figures.figures
    message = figures.unreadable["pension_taxable"]
    assert "Form 1040 line 5b could not be read with certainty" in message and "--line-5b" in message
    path = tmp_path / "return.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"line 5b .*--line-5b"):
        api.load_software(str(path), None, 2024)
    given = api.load_software(str(path), {"--line-5b": "200"}, 2024)
    assert given.get("pension_taxable").amount == Decimal("200.00") and not given.unreadable


def test_a_return_without_its_page_2_asks_for_line_25b():
    from pypdf import PdfReader, PdfWriter
    import io

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fill("f1040", 2025, dict(LINES), "printed"))))
    writer.remove_page(1)
    buffer = io.BytesIO()
    writer.write(buffer)
    figures = read(buffer.getvalue())
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert "--line-25b" in figures.unreadable["withholding"]


def test_the_blank_forms_are_recognised_and_read_blank():
    from tests.realforms.irs_fill import blank

    for year in YEARS:
        figures = read(blank("f1040", year).read_bytes())
        assert figures.tax_year == year and not figures.unreadable, year
        assert all(figures.get(item).amount == 0 for item in LINES), year


@pytest.mark.parametrize("way", WAYS)
def test_a_real_return_is_not_taken_for_a_1099r(way):
    from megaroth.importers import identify

    with pytest.raises(InputError, match="is a Form 1040"):
        identify(Document(name="return.pdf", data=return_pdf(2024, way)))
