"""A scanned account number's "Z" told from a "2" by its shape (scan_glyph), where Tesseract reads
one for the other and is sure of either (issue 21's accuracy work: every "Z…" account number of
benchmarks/bench_scan_accuracy.py was asked).

The glyphs are Helvetica, as the IRS form's fields print them, drawn by fpdf2 and rendered at
200 dpi as a scan would be (no engine run: the shapes alone); then one benchmark case read whole.
"""

from __future__ import annotations

import pytest

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.importers import scan_glyph  # noqa: E402


@pytest.fixture(scope="module")
def z41():
    """"Z41-275141" (the benchmark's account number r17) in 9-point Helvetica at 200 dpi, enlarged
    and made black and white as scan_glyph measures it."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(140, 30))
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.text(20, 18, "Z41-275141")
    page = pdfium.PdfDocument(bytes(pdf.output()))[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    # The text's box with a margin, its digits ~18 px high at 200 dpi (as a page reading's word box).
    return scan_glyph.crop_of(page, (50, 20, 340, 60), 18)


def test_each_glyph_is_cut_apart_and_the_z_and_the_2_told_by_shape(z41):
    found = scan_glyph.glyphs(z41)
    assert len(found) == len("Z41-275141")
    assert scan_glyph.z_or_2(found[0], z41.width) == "Z"
    assert scan_glyph.z_or_2(found[4], z41.width) == "2"


def test_readings_that_differ_only_by_z_and_2_are_settled_by_the_glyphs(z41):
    # The page's and the crops' readings of the benchmark's 300 dpi page: "Z" doubled, read "2", read "Z".
    readings = ["Z241-275141", "241-275141", "241-275141", "Z41-275141"]
    value, doubtful, found = scan_glyph.settle(z41, readings)
    assert (value, doubtful, len(found)) == ("Z41-275141", [0, 4], 10)


def test_readings_that_differ_in_another_character_are_not_settled(z41):
    assert scan_glyph.settle(z41, ["Z41-275141", "Z41-275741"]) is None  # a "1" or a "7": not a shape question
    assert scan_glyph.settle(z41, ["Z41-275141"]) is None  # one reading is not two
    assert scan_glyph.settle(z41, ["Z41-275141", "Z41-27514"]) is None  # another length, not a doubled "Z"


def test_a_z_account_number_on_a_200_dpi_scan_is_taken_as_filled():
    """The benchmark's form r17 (code 7, account "Z41-275141") at 200 dpi: asked before (the page read
    "Z" but its crops "2"); the account number is now taken as filled, the form entirely read."""
    from megaroth.importers.base import Document
    from megaroth.importers.scan_1099r import extract
    from tests.realforms.scan_images import render

    values = {"payer_block": "EMPOWER TRUST CO\n8515 E ORCHARD RD GREENWOOD VILLAGE CO 80111",
              "payer_tin": "52-3816705", "recipient_tin": "400-00-1868", "recipient_name": "WEI CHEN",
              "box_1": "3,500.00", "box_2a": "2,870.15", "box_3": "120.00", "box_4": "700.00", "box_7": "7",
              "account_number": "Z41-275141"}
    [record] = extract(Document("z41.png", render(values, dpi=200))).records
    assert record.values.get("account_number") == "Z41-275141", record.awaiting
    assert record.values["box_1"] == "3,500.00" and record.values["box_7"] == "7"


def test_box_7_read_with_only_the_code_alphabet_is_taken_only_when_three_readings_agree():
    """Box 7's third look (scan_1099r._code_by_alphabet): three readings with the engine allowed only
    the year's code characters. The benchmark's lone "P" (form r09, 200 dpi) was read "Pp" by the
    page; allowed only codes, one of the three read it "J" at 0%: then nothing is taken."""
    from megaroth.importers import scan_1099r
    from megaroth.params import load_year

    codes = load_year(2025).codes
    agreed = scan_1099r._alphabet_agreed
    assert agreed([("P", 91), ("P", 88), ("P", 60)], codes) == ("P", 88)
    assert agreed([("P", 91), ("P", 88), ("J", 0)], codes) is None  # one reads another code, however unsure
    assert agreed([("P", 91), ("P", 70), ("P", 60)], codes) is None  # one CONFIDENT is not two
    assert agreed([("P", 91), None, ("P", 90)], codes) is None  # one reads nothing
    assert agreed([("PP", 91), ("PP", 90), ("PP", 90)], codes) is None  # not a pair of the table


def test_a_box_rule_inside_the_crop_at_the_value_s_end_is_not_a_glyph(z41):
    """A photographed page's slant keeps the box's rule off the crop's edge: a stroke a pixel wide and
    a letter high before "401K-79030" (seed 11's r21) counted an eleventh glyph, and the account number
    was asked. An "I" or a "1" is several pixels wide at the measured height: still a glyph."""
    from PIL import ImageDraw

    ruled = z41.copy()
    draw = ImageDraw.Draw(ruled)
    first = scan_glyph.glyphs(z41)[0]
    draw.line((first[0] - 6, first[1], first[0] - 6, first[3] - 1), fill=0)  # the rule: 1 px wide
    assert len(scan_glyph.glyphs(ruled)) == len("Z41-275141")
    draw.rectangle((first[0] - 10, first[1], first[0] - 6, first[3] - 1), fill=0)  # an "I": 5 px wide
    assert len(scan_glyph.glyphs(ruled)) == len("IZ41-275141")
