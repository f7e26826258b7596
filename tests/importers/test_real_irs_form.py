"""The IRS's own 2025 fillable Form 1099-R (../shared/irs-forms), when it is there: the field map
names real fields, and a filled copy reads back. Skipped on machines without ../shared."""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from pathlib import Path

import pytest

from megaroth.importers.base import Document, validate_record
from megaroth.importers.pdf_fillable import FillablePdfImporter, field_maps

IRS_PDF = Path(__file__).resolve().parents[3] / "shared" / "irs-forms" / "f1099r-2025-copy1.pdf"
FIELD_LIST = IRS_PDF.parent / "f1099r_2025_field_map.txt"
pytestmark = pytest.mark.skipif(not IRS_PDF.exists(), reason="../shared/irs-forms is not on this machine")


def test_every_mapped_name_is_a_field_of_the_irs_form():
    names = {line.split("|")[0].strip() for line in FIELD_LIST.read_text().splitlines()
             if line.startswith("topmostSubform")}
    (revision_2025,) = [m for m in field_maps() if m.revision == "2025"]
    assert set(revision_2025.fields) == names
    from pypdf import PdfReader

    live = set(PdfReader(IRS_PDF).get_fields())
    copy1 = {name for name in revision_2025.fields if ".Copy1[0]." in name}
    assert copy1 <= live


def test_a_filled_irs_form_reads_back():
    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(IRS_PDF))
    copy = "topmostSubform[0].Copy1[0]."
    writer.update_page_form_field_values(writer.pages[0], {
        copy + "f2_08[0]": "10,200.00", copy + "f2_09[0]": "200.00", copy + "Box5_ReadOrder[0].f2_12[0]": "10000.00",
        copy + "Box7_ReadOrder[0].f2_14[0]": "G", copy + "LeftCol_ReadOrder[0].f2_01[0]": "Acme 401(k) Plan\n1 Main St",
        copy + "LeftCol_ReadOrder[0].f2_03[0]": "400-00-1234", copy + "c2_3[0]": "/1",
        copy + "Box15_ReadOrder[0].f2_24[0]": "IL/33-396366", copy + "c2_1[1]": "/2",
    }, auto_regenerate=False)
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = Document(name="irs.pdf", data=buffer.getvalue())
    importer = FillablePdfImporter()
    assert importer.identify(doc)
    (record,) = importer.extract(doc).records
    form = validate_record(record, "irs.pdf", importer.name, "irs")
    assert (form.box_1, form.box_2a, form.box_5, form.box_7) == (
        Decimal("10200.00"), Decimal("200.00"), Decimal("10000.00"), "G")
    assert form.box_2b_total_distribution and form.corrected and not form.box_2b_taxable_not_determined
    assert form.payer_name == "Acme 401(k) Plan" and form.payer_address == "1 Main St"
    assert form.state[0].box_15 == "IL/33-396366" and record.tax_year == 2025
