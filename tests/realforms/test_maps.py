"""The vendored IRS PDFs are the files catalogued (sha256), and the field maps in forms/ are
what scripts/derive_pdf_maps.py derives from them: the maps are data from the forms themselves,
not typed by hand."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys

import pytest
from pypdf import PdfReader

from megaroth.catalog import available_years
from megaroth.pdf_maps import f1099r_layouts, form_map
from tests.realforms.irs_fill import FORMS, ROOT, catalogue

logging.getLogger("pypdf").setLevel(logging.ERROR)
SHARED_FIELD_LIST = ROOT.parent / "shared" / "irs-forms" / "f1099r_2025_field_map.txt"


def _script():
    spec = importlib.util.spec_from_file_location("derive_pdf_maps", ROOT / "scripts" / "derive_pdf_maps.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["derive_pdf_maps"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("key", sorted(catalogue()), ids=lambda k: f"{k[0]}-{k[1]}")
def test_each_vendored_pdf_is_the_catalogued_file(key):
    pdf = catalogue()[key]
    assert hashlib.sha256((FORMS / pdf["path"]).read_bytes()).hexdigest() == pdf["sha256"]
    assert pdf["source"].strip()


def test_the_maps_are_the_scripts_output():
    assert _script().main(["--check"]) == 0


def test_every_year_with_a_1040_pdf_has_its_maps():
    pdfs = {(form, year) for form, year in catalogue()}
    for year in available_years():
        assert (form_map("f1040", year) is not None) == (("f1040", year) in pdfs)
        assert (form_map("f1040s2", year) is not None) == (("f1040s2", year) in pdfs)
        assert (form_map("f8606", year) is not None) == (("f8606", year) in pdfs)
        assert (form_map("f5329", year) is not None) == (("f5329", year) in pdfs)


@pytest.mark.parametrize("form, year", sorted(k for k in catalogue() if k[0] != "f1099r"))
def test_each_mapped_name_is_a_field_of_its_pdf_at_its_place(form, year):
    mapped = form_map(form, year)
    assert mapped.sha256 == catalogue()[(form, year)]["sha256"]
    reader = PdfReader(FORMS / mapped.pdf)
    fields = reader.get_fields()
    for spot in mapped.spots.values():
        assert spot.name in fields, spot.name
        assert spot.label_side in ("left", "right", "above")


@pytest.mark.parametrize("year, line_4a, line_5b, line_25b", [
    (2020, "f1_33[0]", "f1_36[0]", "f2_12[0]"), (2021, "f1_33[0]", "f1_36[0]", "f2_12[0]"),
    (2022, "f1_42[0]", "f1_45[0]", "f2_12[0]"), (2023, "f1_45[0]", "f1_48[0]", "f2_12[0]"),
    (2024, "f1_46[0]", "f1_49[0]", "f2_12[0]"), (2025, "f1_62[0]", "f1_66[0]", "f2_18[0]"),
])
def test_known_names_by_year(year, line_4a, line_5b, line_25b):
    """Read off each year's XFA tooltips by hand: f1_42 is line 2b in 2023 (the old map's 4a)."""
    spots = form_map("f1040", year).spots
    assert spots["ira_gross"].name.endswith(line_4a)
    assert spots["pension_taxable"].name.endswith(line_5b)
    assert spots["withholding"].name.endswith(line_25b)


def test_2019_pension_lines_and_2025_checkboxes():
    spots_2019 = form_map("f1040", 2019).spots
    assert (spots_2019["pension_gross"].label, spots_2019["pension_taxable"].label) == ("4c", "4d")
    assert spots_2019["withholding"].label == "17"
    spots_2025 = form_map("f1040", 2025).spots
    assert spots_2025["pension_rollover"].name.endswith("c1_38[0]") and spots_2025["pension_rollover"].on == "/1"
    assert spots_2025["ira_rollover"].name.endswith("c1_35[0]")
    assert form_map("f1040s2", 2020).spots["additional_tax"].label == "6"
    assert form_map("f1040s2", 2025).spots["additional_tax"].label == "8"
    assert form_map("f8606", 2023).spots["line_18"].page == 2
    assert form_map("f8606", 2025).spots["line_18"].page == 2 and form_map("f8606", 2025).spots["line_15a"].page == 2


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_the_form_8606_map_is_every_amount_line(year):
    """Read off the 2021-2023 Form 8606 XFA tooltips by hand: page 1's f1_9 to f1_26 are lines 1 to
    15c (f1_18 line 10's digit before the decimal point, f1_19 the digits after), page 2's f2_1 to
    f2_12 lines 16 to 25c; the header (f1_1-f1_8) and the paid preparer (f2_13-f2_18, c2_1) are not
    mapped."""
    part_i = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10_decimals", "11", "12", "13", "14", "15a",
              "15b", "15c"]
    parts_ii_iii = ["16", "17", "18", "19", "20", "21", "22", "23", "24", "25a", "25b", "25c"]
    expected = {f"line_{n}": f"Page1[0].f1_{i}[0]" for i, n in enumerate(part_i, start=9)}
    expected |= {f"line_{n}": f"Page2[0].f2_{i}[0]" for i, n in enumerate(parts_ii_iii, start=1)}
    spots = form_map("f8606", year).spots
    assert {role: spot.name.removeprefix("topmostSubform[0].") for role, spot in spots.items()} == expected
    assert list(spots) == list(expected)  # in the form's order
    assert all(spot.kind == "text" and spot.label_side == "left" for spot in spots.values())
    assert all(spot.label == role.removeprefix("line_").removesuffix("_decimals") for role, spot in spots.items())
    assert {spot.page for role, spot in spots.items() if role in [f"line_{n}" for n in parts_ii_iii]} == {2}


def test_the_2025_form_8606_map_is_every_amount_line():
    """Read off the 2025 Form 8606 XFA tooltips by hand: the same lines as 2021-2023, but the fields
    are renamed with two digits and lines 15a-15c moved to page 2: page 1's f1_09 to f1_23 are lines 1
    to 14 (f1_18 line 10's digit before the decimal point, f1_19 the digits after), page 2's f2_01 to
    f2_15 lines 15a to 25c; the header and the paid preparer are not mapped."""
    page_1 = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10_decimals", "11", "12", "13", "14"]
    page_2 = ["15a", "15b", "15c", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25a", "25b", "25c"]
    expected = {f"line_{n}": f"Page1[0].f1_{i:02d}[0]" for i, n in enumerate(page_1, start=9)}
    expected |= {f"line_{n}": f"Page2[0].f2_{i:02d}[0]" for i, n in enumerate(page_2, start=1)}
    spots = form_map("f8606", 2025).spots
    assert {role: spot.name.removeprefix("topmostSubform[0].") for role, spot in spots.items()} == expected
    assert list(spots) == list(expected)  # in the form's order
    assert list(spots) == list(form_map("f8606", 2023).spots)  # the 2023 lines, none added or missing
    assert all(spot.kind == "text" and spot.label_side == "left" for spot in spots.values())
    assert all(spot.label == role.removeprefix("line_").removesuffix("_decimals") for role, spot in spots.items())
    assert {spot.page for role, spot in spots.items() if role in [f"line_{n}" for n in page_2]} == {2}
    assert {spot.page for role, spot in spots.items() if role in [f"line_{n}" for n in page_1]} == {1}


def test_the_1099r_map_names_every_field_of_every_copy():
    (layout,) = f1099r_layouts()
    assert layout.tax_year == 2025 and len(layout.spots) == 39 and layout.printed
    from megaroth.importers.pdf_widgets import widgets

    live = {w.name for w in widgets(PdfReader(FORMS / "2025" / "f1099r.pdf"))}
    assert {spot.name for spot in layout.spots.values()} == live
    if SHARED_FIELD_LIST.exists():  # the field list shipped beside the PDF, all five copies
        from megaroth.importers.pdf_fillable import field_maps

        names = {line.split("|")[0].strip() for line in SHARED_FIELD_LIST.read_text().splitlines()
                 if line.startswith("topmostSubform")}
        (revision,) = [m for m in field_maps() if m.revision == "2025"]
        assert set(revision.fields) == names


def test_the_script_refuses_a_pdf_that_is_not_the_catalogued_one():
    script = _script()
    pdf = dict(catalogue()[("f1040s2", 2025)], sha256="0" * 64)
    with pytest.raises(script.DerivationError, match="sha256"):
        script.derive(pdf)


def test_the_script_stops_when_tooltip_and_page_disagree():
    """A line whose printed number is not beside the field the tooltip names is not mapped."""
    script = _script()
    blank = script.open_blank(FORMS / "2025" / "f1040.pdf")
    widget = next(w for w in blank.widgets if w.name.endswith("f1_65[0]"))  # line 5a
    with pytest.raises(script.DerivationError, match="label '5b' was not found"):
        script.entry(blank, widget, "5b", "left")


def test_the_2025_form_5329_map_is_part_i():
    """Read off the 2025 Form 5329's XFA tooltips by hand: f1_9 is line 1, f1_10 line 2's exception
    number box (left of line 2's amount, f1_11), f1_12 line 3 and f1_13 line 4; Parts III and IV, lines
    9-25, are f1_18 to f1_34 in order ("9. Enter your excess contributions from line 16 …" … "25. Additional
    tax. Enter 6% …"); no header field."""
    spots = form_map("f5329", 2025).spots
    assert {role: spot.name.removeprefix("topmostSubform[0].Page1[0].") for role, spot in spots.items()} == {
        "line_1": "f1_9[0]", "line_2": "f1_11[0]", "line_2_exception": "f1_10[0]", "line_3": "f1_12[0]",
        "line_4": "f1_13[0]", **{f"line_{n}": f"f1_{n + 9}[0]" for n in range(9, 26)}}
    assert all(spot.page == 1 and spot.kind == "text" for spot in spots.values())
    assert spots["line_2_exception"].label_side == "right" and spots["line_2_exception"].label == "2"
    assert spots["line_2_exception"].rect[2] < spots["line_2"].rect[0]
    text = PdfReader(FORMS / "2025" / "f5329.pdf").pages[0].extract_text()
    assert "Form 5329" in text and "2025" in text and "OMB No. 1545-0074" in text
