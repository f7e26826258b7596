"""PDFs that mix text pages and scanned pages, and scanned Forms 5498 on the IRS layout.

A mixed PDF: page 1 the real IRS 2025 Form 1099-R filled and printed flat (the "mega" case of
tests/realforms/scan_images.py: box 1 23,500.00, code G), page 2 the "plan" case filled, printed
and made a 200 dpi scan (box 1 61,950.44, box 4 11,744.04, code 7). Each page is read the way it
needs, in one import, under its own page number. Expected values are those filled in."""

from __future__ import annotations

import io
from decimal import Decimal
import json
import os

import pytest
from typer.testing import CliRunner

from tests.helpers import require_scan  # noqa: E402

require_scan()

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


# Scanned Forms 5498: the synthetic IRS-layout pages of fixtures/pdf/make_5498_pdfs.py, rendered to
# images. Expected values are those the generator wrote (ROLLOVER: box 2 10,000.00, box 5 10,412.33,
# box 10 7,000.00, Roth IRA, 2025; the "bad code" page: box 5 203.10, box 14a 1,500.00, IRA).
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "pdf")


def _scan_5498(name: str, dpi: int = 200, jpeg: int | None = None, stain=None) -> bytes:
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    image = pdfium.PdfDocument(os.path.join(FIXTURES, name))[0].render(scale=dpi / 72, grayscale=True).to_pil()
    image = image.convert("L")
    if stain:
        scale = dpi / 72
        ImageDraw.Draw(image).rectangle([v * scale for v in stain], fill=100)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG" if jpeg else "PNG", quality=jpeg or 95, dpi=(dpi, dpi))
    return buffer.getvalue()


def _read(name: str, data: bytes):
    from megaroth.importers.scan_1099r import extract

    return extract(Document(name, data))


WRITTEN = {"box_2": "10,000.00", "box_5": "10,412.33", "box_10": "7,000.00", "participant_tin": "XXX-XX-6789",
           "box_7_roth_ira": True, "tax_year": 2025}


def test_a_scanned_irs_5498_is_read_by_its_captions():
    extraction = _read("rollover.png", _scan_5498("irs_5498_flat.pdf", dpi=200))
    assert not extraction.errors
    [record] = extraction.records
    assert record.form == "5498" and record.tax_year == 2025 and not record.errors
    # The generator prints the trustee caption's "…state or" over box 1's number ("drIRA" to the
    # engine): the number and "IRA" are split off the word, box 1's caption is found, and its box,
    # blank as written, is read blank (no ink under it).
    assert not record.awaiting and "box_1" not in record.values
    assert {b: record.values.get(b) for b in ("box_2", "box_5", "box_10")} == {
        "box_2": "10,000.00", "box_5": "10,412.33", "box_10": "7,000.00"}
    assert record.values.get("box_7_roth_ira") is True and "box_7_ira" not in record.values
    assert record.values["participant_tin"] == "XXX-XX-6789" and record.values["account_number"] == "R-5521"
    assert record.scan["box_2"]["accepted"] and record.scan["box_2"]["confidence"] >= Decimal("0.85")
    assert any("scan of the IRS Form 5498" in n for n in extraction.notes)


def test_a_poorer_5498_scan_accepts_no_wrong_value():
    # 150 dpi JPEG: the 6-point labels of box 7 (and the year in large type) may be beyond what the
    # engine reads confidently there. Whatever is taken is what was written;
    # the rest is asked naming the box, and a year not read refuses the form saying so.
    [record] = _read("poor.jpg", _scan_5498("irs_5498_flat.pdf", dpi=150, jpeg=80)).records
    taken = {box: value for box, value in record.values.items() if box in WRITTEN}
    assert taken and all(WRITTEN[box] == value for box, value in taken.items()), taken
    assert not {"box_7_ira", "box_7_sep", "box_7_simple"} & set(record.values)
    assert record.tax_year == 2025 or any('tax year printed beside "Form 5498"' in e for e in record.errors)
    for box in set(WRITTEN) - set(taken) - {"tax_year"}:
        assert box.removesuffix("_roth_ira") in record.awaiting, box


def test_the_other_5498_scan_reads_its_own_kind_and_boxes():
    [record] = _read("bad_code.png", _scan_5498("irs_5498_bad_code.pdf")).records
    assert record.values.get("box_5") == "203.10" and record.values.get("box_14a") == "1,500.00"
    assert record.values.get("box_7_ira") is True and "box_7_roth_ira" not in record.values


def test_a_blank_5498_scan_is_refused():
    [record] = _read("blank.png", _scan_5498("irs_5498_blank.pdf")).records
    assert any("no box of the Form 5498" in e for e in record.errors)


def test_a_stained_5498_amount_is_asked_naming_the_box_never_taken():
    # A stain over box 5's amount (the cell 216-336 pt across, 618-648 pt up a 792 pt page).
    extraction = _read("stained.png", _scan_5498("irs_5498_flat.pdf", stain=(280, 792 - 632, 334, 792 - 620)))
    [record] = extraction.records
    assert "box_5" not in record.values
    assert "box_5" in record.awaiting and "confirm or correct" in record.awaiting["box_5"]
    assert record.values.get("box_2") == "10,000.00"


def test_a_5498_scan_through_import_lists_what_awaits_a_person(tmp_path):
    path = tmp_path / "stained.png"
    path.write_bytes(_scan_5498("irs_5498_flat.pdf", stain=(280, 792 - 632, 334, 792 - 620)))
    case = tmp_path / "case.json"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(case)])
    assert result.exit_code == 0, result.output
    [form] = json.loads(case.read_text())["forms_5498"]
    assert form["box_2"] == "10000.00" and "box_5" not in form
    assert "box_5" in form["provenance"]["awaiting_confirmation"]
    assert form["provenance"]["scanned"]["box_2"]["accepted"] is True
    # The report says it: an error naming the box, the return waiting for a person.
    report = CliRunner().invoke(app, ["report", str(case), "--no-input"])
    assert report.exit_code != 0
    assert "scan.awaiting_confirmation" in report.output and "box 5 reads 'marks no text was read from'" in report.output


def test_a_folder_of_scans_is_read_by_the_workers_with_the_same_outputs_for_any_jobs(tmp_path):
    # Two scans (the "mega" 1099-R, the rollover 5498): from two scanned files on, their OCR runs in
    # the batch's worker processes; the worksheets and summaries are the same byte for byte.
    from megaroth.batch import read_scans_ahead
    from megaroth.intake import read_documents

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.png").write_bytes(render("mega"))
    (folder / "b.png").write_bytes(_scan_5498("irs_5498_flat.pdf"))
    paths = sorted(str(p) for p in folder.iterdir())
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = CliRunner().invoke(app, ["report", *paths, "--out-dir", str(out), "--jobs", jobs, "--no-input"])
        assert result.exit_code in (0, 1, 3, 4), result.output
        outputs[jobs] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert outputs["1"] == outputs["2"]
    summary = json.loads(outputs["2"]["summary.json"])
    assert summary["totals"]["records_in"] == 2 and summary["totals"]["records_reported"] == 2
    assert "jane_q_sample_tin-1234-2025.md" in outputs["2"]
    # The reading handed on by a worker is the one this process would make.
    docs = list(read_scans_ahead(read_documents(paths), 2))
    assert all(hasattr(d, "read_ahead") for d in docs)
    importer, extraction = docs[0].read_ahead()
    assert importer.name == "scan" and extraction.records[0].values["box_1"] == "23,500.00"


def test_a_cover_letter_before_a_scanned_5498_is_skipped_and_the_scan_read(tmp_path):
    # A custodian's mailing: a text cover letter (no form on it), then the rollover 5498 scanned.
    import sys

    from pypdf import PdfReader, PdfWriter

    sys.path.insert(0, FIXTURES)
    from make_pdfs import Page, write_pdf

    cover = Page()
    cover.text(72, 720, "EXAMPLE BROKERAGE TRUST CO", 12)
    cover.text(72, 690, "Your tax documents are enclosed. Keep them with your records.", 10)
    writer = PdfWriter()
    for data in (write_pdf(tmp_path / "cover.pdf", [cover]), as_pdf([_scan_5498("irs_5498_flat.pdf")])):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = Document("mailing.pdf", buffer.getvalue())
    importer = identify(doc)
    assert importer.name == "scan"
    extraction = importer.extract(doc)
    [record] = extraction.records
    assert record.locator == "page 2" and record.form == "5498" and record.values["box_2"] == "10,000.00"
    assert any("page 1 is text without a Form 1099-R or 5498" in n for n in extraction.notes)
