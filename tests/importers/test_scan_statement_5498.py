"""A custodian's own Form 5498 statement scanned or photographed (fixtures/pdf/custodian_5498.pdf, synthetic:
Brokerage Co's two pages for Pat Example — the Roth IRA R-5521: box 1 $0.00, box 2 $10,000.00, box 3 $0.00, box 5
$10,412.33, box 10 $7,000.00, Roth IRA; the traditional IRA T-7730: box 1 $0.00, box 2 $200.00, box 5 $203.10,
IRA — the tax-rules.md split rollover, tests/importers/test_text_5498.py). Expected values are those the PDF
prints, never what megaroth read: each box read right or asked, never wrong; a smudged box 2 is asked, not taken
for blank (the rollover match keys on it); the scans and the 1099-R case together match both rollovers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth import api  # noqa: E402
from megaroth.cli import app  # noqa: E402
from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from tests.importers.statement_images import render  # noqa: E402
from tests.realforms.scan_images import as_pdf  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PDF = FIXTURES / "pdf" / "custodian_5498.pdf"
PRINTED = [
    {"box_1": "0.00", "box_2": "10000.00", "box_3": "0.00", "box_5": "10412.33", "box_10": "7000.00",
     "box_7_roth_ira": True, "account_number": "R-5521", "participant_tin": "XXX-XX-6789",
     "participant_name": "PAT EXAMPLE"},
    {"box_1": "0.00", "box_2": "200.00", "box_5": "203.10", "box_7_ira": True, "account_number": "T-7730",
     "participant_tin": "XXX-XX-6789", "participant_name": "PAT EXAMPLE"},
]
BOX_2 = [(400, 687, 436, 695), (400, 687, 429, 695)]
"""Where each page prints box 2's amount: x0, y0, x1, y1 in points (y up)."""


def _wrong(record, printed: dict) -> list:
    """Boxes held with a value other than the one printed (a box asked is not wrong; a box held that the page
    does not print is)."""
    bad = []
    for box, value in record.values.items():
        if box == "tax_year":
            continue
        want = printed.get(box)
        got = value.replace(",", "") if isinstance(value, str) and box.startswith("box_") else value
        if got != want:
            bad.append((box, got, want))
    return bad


@pytest.mark.parametrize("page", [0, 1])
def test_a_clean_scan_of_each_page_is_read_entirely(page):
    [record] = extract(Document("statement.png", render(PDF, dpi=200, page=page))).records
    assert record.form == "5498" and record.tax_year == 2025 and not record.errors and not record.awaiting
    assert _wrong(record, PRINTED[page]) == []
    assert {b for b in PRINTED[page] if b.startswith("box_")} <= set(record.values)
    assert all(entry["accepted"] and entry["confidence"] >= Decimal("0.85") for entry in record.scan.values())


@pytest.mark.parametrize("how", [{"dpi": 150, "jpeg": 60}, {"dpi": 300, "angle": 1.5}, {"dpi": 200, "jpeg": 80,
                                                                                        "angle": -1.0}])
def test_ordinary_scans_are_read_right_or_asked_never_wrong(how):
    for page in (0, 1):
        extraction = extract(Document("statement.jpg", render(PDF, page=page, **how)))
        assert extraction.records, [e.message for e in extraction.errors]
        [record] = extraction.records
        assert _wrong(record, PRINTED[page]) == [], how


def test_a_smudged_box_2_is_asked_not_read_as_blank(tmp_path):
    [record] = extract(Document("smudged.png", render(PDF, dpi=200, smudge=BOX_2[0]))).records
    assert "box_2" not in record.values and "box_2" in record.awaiting
    assert record.awaiting["box_2"].startswith("box 2 reads")
    assert _wrong(record, PRINTED[0]) == []


def test_the_scanned_statement_and_the_case_match_both_rollovers(tmp_path):
    """Pat Example's split (fixtures/cases/split_rollover_one_form.json): $10,000 to the Roth IRA, $200 to the
    traditional IRA; the two scanned pages (one PDF of page images) prove both, as the text PDF does."""
    scan = tmp_path / "5498-scan.pdf"
    scan.write_bytes(as_pdf([render(PDF, dpi=200, page=0), render(PDF, dpi=200, page=1)]))
    loaded = api.load_single([str(FIXTURES / "cases" / "split_rollover_one_form.json"), str(scan)],
                             taxpayer_id="C-1")
    assert [f.box_2 for f in loaded.case.forms_5498] == [Decimal("10000.00"), Decimal("200.00")]
    analysis = api.analyze(loaded)
    assert [(m.kind, m.status) for m in analysis.rollover_matches] == [("roth_ira", "matched"),
                                                                       ("traditional_ira", "matched")]
    report = CliRunner().invoke(app, ["import", str(scan), "-o", str(tmp_path / "case.json")])
    assert report.exit_code == 0, report.output
    roth, trad = json.loads((tmp_path / "case.json").read_text())["forms_5498"]
    assert roth["provenance"]["importer"] == "scan" and roth["provenance"]["locator"] == "page 1"
    assert roth["provenance"]["scanned"]["box_2"]["accepted"] is True and trad["box_2"] == "200.00"
    assert "page 1: read by OCR under the caption 'Rollover contributions'" in roth["provenance"]["fields"]["box_2"]


@pytest.mark.parametrize("how", [{"turn": 90}, {"light": "gradient"},
                                 {"corners": ((0.04, 0.03), (0.02, 0.05), (0.05, 0.02), (0.03, 0.04)),
                                  "light": "shadow", "blur": 0.6}])
def test_a_photo_of_the_statement_is_read_right_or_asked_never_wrong(how):
    from tests.realforms.photo_images import photograph

    extraction = extract(Document("photo.jpg", photograph({}, pdf=PDF.read_bytes(), **how)))
    assert extraction.records, [e.message for e in extraction.errors]
    [record] = extraction.records
    assert record.form == "5498" and _wrong(record, PRINTED[0]) == []


def test_a_statement_whose_year_is_not_read_is_refused_naming_it():
    """The page with its title's "2025" (330-352 pt across, 760-767 pt up) whited out: "Form 5498" without a year
    is refused for it — a Form 5498 is read for its year only, never taken for the case's."""
    import io

    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(render(PDF, dpi=200)))
    k = 200 / 72
    ImageDraw.Draw(image).rectangle((328 * k, (792 - 769) * k, 354 * k, (792 - 758) * k), fill=255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(200, 200))
    [record] = extract(Document("untitled.png", buffer.getvalue())).records
    assert record.form == "5498" and any("no tax year is read on page 1" in e for e in record.errors)
