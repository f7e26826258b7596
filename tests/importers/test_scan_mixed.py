"""PDFs that mix text pages and scanned pages, and scanned Forms 5498 on the IRS layout.

A mixed PDF: page 1 the real IRS 2025 Form 1099-R filled and printed flat (the "mega" case of
tests/realforms/scan_images.py: box 1 23,500.00, code G), page 2 the "plan" case filled, printed
and made a 200 dpi scan (box 1 61,950.44, box 4 11,744.04, code 7). Each page is read the way it
needs, in one import, under its own page number. Expected values are those filled in."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

if os.environ.get("MEGAROTH_REQUIRE_SCAN") == "1":
    import PIL  # noqa: F401
    import pypdfium2  # noqa: F401
    assert shutil.which("tesseract"), "MEGAROTH_REQUIRE_SCAN=1 but the OCR engine (tesseract) is not installed"
pytest.importorskip("PIL")
pytest.importorskip("pypdfium2")
if shutil.which("tesseract") is None:
    pytest.skip("the OCR engine (Debian tesseract-ocr, tesseract-ocr-eng) is not installed", allow_module_level=True)

from megaroth.cli import app  # noqa: E402
from megaroth.importers import identify  # noqa: E402
from megaroth.importers.base import Document  # noqa: E402
from tests.realforms.irs_fill import fill  # noqa: E402
from tests.realforms.scan_images import FORMS, as_pdf, expected, render  # noqa: E402


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (fill("f1099r", 2025, FORMS["mega"], "printed"), as_pdf([render("plan")])):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_of_a_text_page_and_a_scanned_page_reads_each_in_its_way(mixed_pdf):
    doc = Document("mixed.pdf", mixed_pdf)
    importer = identify(doc)
    assert importer.name == "pdf-text"
    extraction = importer.extract(doc)
    assert not extraction.errors
    text, scan = extraction.records
    assert (text.locator, scan.locator) == ("page 1", "page 2")
    assert text.scan is None  # read from the PDF's text, not by the OCR
    assert scan.scan is not None and scan.scan["box_1"]["accepted"]
    for record, form in ((text, "mega"), (scan, "plan")):
        for box, want in expected(form).items():
            if box in record.awaiting:
                continue
            got = record.values.get(box, False if isinstance(want, bool) else None)
            assert (got.replace(",", "") if isinstance(got, str) else got) == want, (form, box)
    assert not {"box_1", "box_2a", "box_4", "box_5", "box_7"} & set(scan.awaiting)
    assert any("page 2 is a scan of the IRS Form 1099-R" in n for n in extraction.notes)
    assert any("page 1 is the IRS Form 1099-R without live fields" in n for n in extraction.notes)


def test_a_mixed_pdf_through_import_keeps_both_forms_and_their_pages(mixed_pdf, tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(mixed_pdf)
    case = tmp_path / "case.json"
    # Two recipients' forms (the test cases name different people): one client's file by --taxpayer.
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(case), "--taxpayer", "C1"])
    assert result.exit_code == 0, result.output
    forms = json.loads(case.read_text())["forms_1099r"]
    by_page = {f["provenance"]["locator"]: f for f in forms}
    assert set(by_page) == {"page 1", "page 2"}
    assert by_page["page 1"]["box_1"] == "23500.00" and by_page["page 1"]["box_7"] == "G"
    assert by_page["page 2"]["box_1"] == "61950.44" and by_page["page 2"]["box_4"] == "11744.04"
    assert by_page["page 2"]["provenance"]["scanned"]["box_1"]["confidence"] is not None
    assert not by_page["page 1"]["provenance"].get("scanned")
