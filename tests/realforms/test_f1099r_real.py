"""The IRS's own 2025 Form 1099-R (Copy 1), filled fillable, flattened and printed, reads box
for box through the importers; a program that renamed its fields is read by the boxes'
places; what cannot be read with certainty rejects the form."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader, PdfWriter

from megaroth.importers import identify
from megaroth.importers.base import Document, validate_record
from tests.realforms.irs_fill import WAYS, fill, merge

BOXES = {
    "payer_block": "Acme 401(k) Plan\n1 Main St, Springfield IL 62701", "payer_tin": "00-0000001",
    "recipient_tin": "400-00-1234", "recipient_name": "Pat Example", "recipient_street": "2 Oak Ave",
    "recipient_city": "Springfield IL 62702", "account_number": "ACCT-77",
    "box_1": "10,200.00", "box_2a": "200.00", "box_2b_total_distribution": True, "box_3": "0.00", "box_4": "40.00",
    "box_5": "10,000.00", "box_6": "0.00", "box_7": "G", "box_8": "0.00", "box_9b": "10,000.00", "box_10": "0.00",
    "box_11": "2019", "box_13": "2025-03-15",
    "state.0.box_14": "12.00", "state.0.box_15": "IL/33-396366", "state.0.box_16": "10,200.00",
    "state.1.box_14": "3.00", "state.1.box_15": "WI/456", "state.1.box_16": "1,000.00",
    "local.0.box_17": "1.00", "local.0.box_18": "Springfield", "local.0.box_19": "10,200.00",
}
EXPECTED = {
    "payer_name": "Acme 401(k) Plan", "payer_address": "1 Main St, Springfield IL 62701", "payer_tin": "00-0000001",
    "recipient_name": "Pat Example", "recipient_address": "2 Oak Ave\nSpringfield IL 62702",
    "recipient_tin": "400-00-1234", "account_number": "ACCT-77", "corrected": False, "void": False,
    "box_1": Decimal("10200.00"), "box_2a": Decimal("200.00"), "box_2b_taxable_not_determined": False,
    "box_2b_total_distribution": True, "box_3": Decimal("0.00"), "box_4": Decimal("40.00"),
    "box_5": Decimal("10000.00"), "box_6": Decimal("0.00"), "box_7": "G", "box_7_ira_sep_simple": False,
    "box_8": Decimal("0.00"), "box_9b": Decimal("10000.00"), "box_10": Decimal("0.00"), "box_11": 2019,
    "box_12_fatca": False,
}


def read(data: bytes, name: str = "1099r.pdf"):
    doc = Document(name=name, data=data)
    importer = identify(doc)
    extraction = importer.extract(doc)
    return importer, extraction


def forms(data: bytes):
    importer, extraction = read(data)
    out = []
    for record in extraction.records:
        result = validate_record(record, "1099r.pdf", importer.name, "f")
        assert not isinstance(result, list), (record.errors, result)
        out.append(result)
    return importer, out, extraction


def assert_box_for_box(form) -> None:
    for field, value in EXPECTED.items():
        got = getattr(form, field)
        if field.endswith("_tin"):
            got = got.reveal() if hasattr(got, "reveal") else str(got)
        assert got == value, field
    assert str(form.box_13) == "2025-03-15"
    assert [(s.box_14, s.box_15, s.box_16) for s in form.state] == [
        (Decimal("12.00"), "IL/33-396366", Decimal("10200.00")), (Decimal("3.00"), "WI/456", Decimal("1000.00"))]
    assert [(s.box_17, s.box_18, s.box_19) for s in form.local] == [
        (Decimal("1.00"), "Springfield", Decimal("10200.00"))]


@pytest.mark.parametrize("way", WAYS)
def test_the_irs_1099r_reads_box_for_box(way):
    importer, (form,), extraction = forms(fill("f1099r", 2025, BOXES, way))
    assert importer.name == ("pdf-fillable" if way == "fillable" else "pdf-text")
    assert_box_for_box(form)
    if way != "fillable":
        assert form.provenance.fields["box_1"] == "text at the box_1's place on the IRS 2025 form (page 1)"
        assert any("read at their places on forms/2025/f1099r.pdf" in note for note in extraction.notes)


@pytest.mark.parametrize("way", ["flattened", "printed"])
def test_printed_smaller_and_moved(way):
    _, (form,), _ = forms(fill("f1099r", 2025, BOXES, way, scale=(0.95, 15, 20)))
    assert_box_for_box(form)


def test_renamed_fields_are_read_at_their_places():
    renamed = {name: f"Form_{n:02d}" for n, name in enumerate(PdfReader(io.BytesIO(
        fill("f1099r", 2025, {}, "fillable"))).get_fields())}
    importer, (form,), _ = forms(fill("f1099r", 2025, BOXES, "fillable", renamed=renamed))
    assert importer.name == "pdf-text"
    assert_box_for_box(form)
    assert form.provenance.fields["box_1"].startswith("field Form_")


def test_two_forms_in_one_pdf_each_read():
    second = dict(BOXES, box_1="500.00", box_2a="500.00", box_7="7", box_2b_total_distribution=False,
                  box_7_ira_sep_simple=True)
    importer, read_forms, _ = forms(merge([fill("f1099r", 2025, BOXES, "printed"),
                                           fill("f1099r", 2025, second, "printed")]))
    assert [(f.box_1, f.box_7, f.box_7_ira_sep_simple, f.box_2b_total_distribution) for f in read_forms] == [
        (Decimal("10200.00"), "G", False, True), (Decimal("500.00"), "7", True, False)]


def test_a_flattened_form_with_no_box_checked_is_not_read_as_unchecked():
    """The IRS form draws nothing for an unchecked box: on a flattened copy where no box shows a
    mark, megaroth cannot tell unchecked from not drawn, and says so."""
    _, extraction = read(fill("f1099r", 2025, dict(BOXES, box_2b_total_distribution=False), "flattened"))
    (record,) = extraction.records
    assert any("7 IRA/SEP/SIMPLE" in e and "cannot tell unchecked from not drawn" in e for e in record.errors)
    # Printed as text, an empty box is unchecked (a mark would be text too).
    _, (form,), _ = forms(fill("f1099r", 2025, dict(BOXES, box_2b_total_distribution=False), "printed"))
    assert form.box_7_ira_sep_simple is False and form.box_2b_total_distribution is False


def test_a_box_drawn_as_outlines_rejects_the_form():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fill("f1099r", 2025, BOXES, "flattened"))))
    xobjects = writer.pages[0]["/Resources"]["/XObject"]
    (name,) = [n for n in xobjects if n.endswith("f2_09_0_")]  # box 2a
    xobjects[name].get_object().set_data(b"0 g 40 2 m 44 9 l 48 2 l 52 9 l f")
    buffer = io.BytesIO()
    writer.write(buffer)
    _, extraction = read(buffer.getvalue())
    (record,) = extraction.records
    assert any(e.startswith("box_2a: something that is not text is drawn in the box") for e in record.errors)
