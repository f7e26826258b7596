"""A custodian's own Form 1099-R statement scanned or photographed (not the IRS layout): its boxes
read by OCR under their printed captions, each value confirmed or left awaiting a person.

The pages are fixtures/pdf/custodian_statement.pdf page 1 (make_pdfs.py: two forms of the
"Hooli 401(k) Plan" to ALEX SAMPLE, the second corrected) and a one-form statement of our own,
made into images by tests/importers/statement_images.py. The expected values are the ones
make_pdfs.py wrote into the statement (`STATEMENT`), never what megaroth read."""

from __future__ import annotations

import json
from pathlib import Path
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from tests.helpers import require_scan

require_scan()

from megaroth import api  # noqa: E402
from megaroth.cli import app  # noqa: E402
from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from tests.importers.statement_images import BOX_5_FORM_1, FIXTURES, STATEMENT, render, statement_pdf  # noqa: E402


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """The statement at 200 dpi gray (PNG) and 150 dpi JPEG, written once for the module."""
    folder = tmp_path_factory.mktemp("statements")
    files = {"png200": folder / "statement.png", "jpeg150": folder / "statement.jpg"}
    files["png200"].write_bytes(render(dpi=200))
    files["jpeg150"].write_bytes(render(dpi=150, jpeg=85))
    return files


def _wrong(records) -> list:
    """Values accepted other than the ones written into the statement (a box asked is not wrong)."""
    bad = []
    for record in records:
        for box, want in STATEMENT[record.locator].items():
            if box in record.awaiting or box not in record.values:
                continue
            got = record.values[box]
            if isinstance(want, str) and box.startswith("box_") and box != "box_7":
                got, want = _money(got), _money(want)
            if got != want:
                bad.append((record.locator, box, got, want))
    return bad


def test_a_scanned_statement_is_read_through_load_sources(scans):
    cases, tally = api.load_sources([str(scans["png200"])])
    assert not tally.rejected
    [(_, loaded)] = cases
    forms = {f.provenance.locator: f for f in loaded.case.forms_1099r}
    assert set(forms) == {"page 1, form 1", "page 1, form 2"}
    first, second = forms["page 1, form 1"], forms["page 1, form 2"]
    # Form 1 (account 9876-001): 10,200.00 gross, 200.00 taxable, 10,000.00 employee contributions, code G,
    # total distribution checked (the statement's ✔, which the engine reads "v").
    assert (first.box_1, first.box_2a, first.box_4, first.box_5) == (
        Decimal("10200.00"), Decimal("200.00"), Decimal("0.00"), Decimal("10000.00"))
    assert first.box_7 == "G" and first.box_2b_total_distribution and not first.box_7_ira_sep_simple
    assert first.account_number == "9876-001" and first.recipient_name == "ALEX SAMPLE"
    assert loaded.case.tax_year == 2025
    # Form 2 (account 9876-002, corrected): 6,000.00 gross and taxable, 1,200.00 withheld, code 07.
    assert (second.box_1, second.box_2a, second.box_4) == (Decimal("6000.00"), Decimal("6000.00"), Decimal("1200.00"))
    assert second.corrected and second.account_number == "9876-002"
    # Where each value came from: the page, the caption it was read under, the engine's confidence.
    provenance = first.provenance
    assert provenance.importer == "scan" and not provenance.awaiting_confirmation
    assert "page 1: read by OCR under the caption 'Gross distribution'" in provenance.fields["box_1"]
    assert provenance.scanned["box_1"].read == "10,200.00" and provenance.scanned["box_1"].accepted
    assert provenance.scanned["box_1"].confidence >= Decimal("0.85")


def test_one_report_from_the_scan_shows_the_statements_lines(scans):
    result = CliRunner().invoke(app, ["report", str(scans["png200"]), "--no-input", "--format", "json"])
    report = json.loads(result.stdout)
    # The two forms: 10,200 + 6,000 gross on line 5a; 200 + 6,000 taxable on 5b; 1,200 withheld on 25b —
    # the same lines as the statement's text PDF gives.
    assert report["lines"]["5a"] == "16200.00" and report["lines"]["5b"] == "6200.00"
    assert report["lines"]["25b"] == "1200.00"
    text = CliRunner().invoke(app, ["report", str(FIXTURES / "custodian_statement.pdf"), "--no-input", "--format", "json"])
    assert json.loads(text.stdout)["lines"] == report["lines"]


def test_a_150_dpi_jpeg_is_read_right_or_asked_never_wrong(scans):
    extraction = extract(Document("statement.jpg", scans["jpeg150"].read_bytes()))
    records = {r.locator: r for r in extraction.records}
    assert set(records) == {"page 1, form 1", "page 1, form 2"}
    assert not _wrong(records.values())
    # Both gross distributions are read at 150 dpi JPEG (measured: neither is left to a person).
    assert records["page 1, form 1"].values["box_1"] == "10,200.00"
    assert records["page 1, form 2"].values["box_1"] == "6,000.00"
    for record in records.values():
        for box, entry in record.scan.items():
            assert entry["accepted"] == (box not in record.awaiting)
            if box in ("box_1", "box_7") and box in record.awaiting:
                assert box not in record.values and not record.errors  # asked, the form off the return until then
    assert any("page 1 is a scanned statement" in n and "read by OCR under their captions" in n
               for n in extraction.notes)


def test_a_smudged_amount_is_asked_not_taken(tmp_path):
    path = tmp_path / "smudged.png"
    path.write_bytes(render(dpi=200, smudge=BOX_5_FORM_1))  # a thumb's smear over form 1's box 5, $10,000.00
    extraction = extract(Document(path.name, path.read_bytes()))
    first = next(r for r in extraction.records if r.locator == "page 1, form 1")
    assert "box_5" not in first.values and "box_5" in first.awaiting
    assert first.scan["box_5"]["accepted"] is False
    assert first.awaiting["box_5"].startswith("box 5 reads ") and first.awaiting["box_5"].endswith("confirm or correct")
    assert not _wrong(extraction.records)
    case = tmp_path / "case.json"
    assert CliRunner().invoke(app, ["import", str(path), "-o", str(case)]).exit_code == 0
    report = CliRunner().invoke(app, ["report", str(case), "--no-input"])
    assert report.exit_code != 0 and "scan.awaiting_confirmation" in report.output and "box 5 reads" in report.output
    # Every JSON output carries what was read from the scan, for a preparer's automation to route to review.
    data = json.loads(CliRunner().invoke(app, ["report", str(case), "--no-input", "--format", "json"]).stdout)
    scan = next(s for s in data["scans"] if s["locator"] == "page 1, form 1")
    assert scan["form"] == "1099-R" and scan["boxes"]["box_5"]["accepted"] is False and "box_5" in scan["awaiting_confirmation"]
    assert scan["boxes"]["box_1"] == {"read": "10,200.00", "confidence": scan["boxes"]["box_1"]["confidence"],
                                      "accepted": True, "confirmed": False}


def test_a_statement_without_its_year_or_of_an_unknown_year_is_refused(tmp_path):
    missing = tmp_path / "no-year.png"
    missing.write_bytes(render(statement_pdf(tmp_path, year="", title_year=False)))
    later = tmp_path / "2031.png"
    later.write_bytes(render(statement_pdf(tmp_path, year="2031")))
    cases, tally = api.load_sources([str(missing), str(later)])
    assert not cases
    messages = [str(e) for e in tally.rejected]
    assert any("no-year.png" in m and "no tax year is read" in m for m in messages)
    assert any("2031.png" in m and "tax year 2031 is not supported" in m for m in messages)


def test_a_page_that_is_no_form_stays_refused(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for row, line in enumerate(("Dear client,", "Your tax documents for the year are enclosed.",
                                "Keep them with your records.")):
        draw.text((120, 120 + 60 * row), line, fill=0, font=font)
    path = tmp_path / "letter.png"
    image.save(path, dpi=(200, 200))
    extraction = extract(Document(path.name, path.read_bytes()))
    assert not extraction.records
    assert "not a known form" in str(extraction.errors[0])


def test_an_amount_under_its_caption_that_is_not_read_is_asked_not_blank(tmp_path):
    """A statement printing each value under its caption (two captions a row, not a table): box 5's
    $10,000.00 scratched out on the paper is asked, never imported as a blank box 5 (which would tax
    the after-tax basis); the other boxes are read as printed."""
    import io

    from PIL import Image, ImageDraw

    from tests.helpers import fixture_kit

    make_pdfs = fixture_kit()

    page = make_pdfs.Page()
    page.text(40, 760, "2025 Form 1099-R  Distributions From Pensions, Annuities, Retirement, etc.", 10)
    page.text(40, 740, "Payer: Example 401(k) Plan", 9)
    page.text(40, 726, "Recipient's name: Pat Example", 9)
    for y, left, right in ((700, "Gross distribution", "Taxable amount"), (686, "$10,200.00", "$200.00"),
                           (660, "Employee contributions", "Distribution code(s)"), (646, "$10,000.00", "G")):
        page.text(40, y, left, 9)
        page.text(300, y, right, 9)
    data = render(make_pdfs.write_pdf(tmp_path / "below.pdf", [page]), dpi=200)
    image = Image.open(io.BytesIO(data)).convert("L")
    k = 200 / 72
    draw = ImageDraw.Draw(image)
    for x in range(int(38 * k), int(100 * k), 3):  # pen strokes over box 5's amount
        draw.line((x, int((792 - 652.5) * k), x + 6, int((792 - 645) * k)), fill=60, width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(200, 200))
    (record,) = extract(Document("below.png", buffer.getvalue())).records
    assert record.values["box_1"] == "10,200.00" and record.values["box_2a"] == "200.00"
    assert record.values["box_7"] == "G"
    assert "box_5" not in record.values and "box_5" in record.awaiting


def test_the_summary_page_of_a_scanned_statement_is_skipped_with_a_note_alone_refused(tmp_path):
    """custodian_statement.pdf scanned whole (a two-page TIFF): page 2 is its summary ("Total gross
    distributions"), skipped with a note as the text PDF's is; the summary page scanned alone is refused
    with that reason, never an empty import."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(Path(__file__).resolve().parents[2] / "fixtures" / "pdf" / "custodian_statement.pdf"))
    frames = [pdf[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    whole, alone = io.BytesIO(), io.BytesIO()
    frames[0].save(whole, format="TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    frames[1].save(alone, format="PNG", dpi=(200, 200))
    extraction = extract(Document("statement.tiff", whole.getvalue()))
    assert not extraction.errors and len(extraction.records) == 2
    assert any("page 2" in n and "skipped" in n for n in extraction.notes)
    refused = extract(Document("summary.png", alone.getvalue()))
    assert not refused.records and refused.errors
    assert "not a form (a summary?)" in refused.errors[0].message or "no 1099-R" in refused.errors[0].message


def test_a_scanned_form_1040_page_is_named_as_a_return(tmp_path):
    """The IRS 2025 Form 1040's first page, scanned: recognised as a return and refused saying so."""
    data = render(Path(__file__).resolve().parents[2] / "forms" / "2025" / "f1040.pdf", dpi=150)
    extraction = extract(Document("return.png", data))
    assert not extraction.records
    (error,) = extraction.errors
    assert "it is a page of Form 1040 (a return)" in error.message and "megaroth compare" in error.message
