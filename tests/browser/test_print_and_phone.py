"""The worksheet's HTML in a real Chromium: printed (the print stylesheet) and on a phone-wide window.

Worked cases: fixtures/cases/irr_after_tax_only.json (one in-plan Roth rollover, $10,200 with $200
taxable) must print on a few pages — four at most, with its 25 sources — and
fixtures/cases/split_rollover_one_form.json must fit a 390-pixel-wide screen without the page itself
scrolling sideways (its wide tables scroll inside themselves; its findings read as cards).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from pypdf import PdfReader

from megaroth import api
from megaroth.render import render

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def _page(tmp_path: Path, name: str) -> str:
    loaded = api.load_case(CASES / f"{name}.json")
    path = tmp_path / f"{name}.html"
    path.write_text(render(api.analyze(loaded), loaded.case, "html"), encoding="utf-8")
    return path.as_uri()


def test_a_one_form_worksheet_prints_on_a_few_pages(chromium, tmp_path):
    from selenium.webdriver.common.print_page_options import PrintOptions

    chromium.get(_page(tmp_path, "irr_after_tax_only"))
    options = PrintOptions()
    options.page_width, options.page_height = 21.59, 27.94  # US Letter, in centimetres
    pdf = PdfReader(io.BytesIO(base64.b64decode(chromium.print_page(options))))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "$10,200.00" in text and "Sources" in text
    assert len(pdf.pages) <= 4, len(pdf.pages)


def test_the_worksheet_fits_a_phone(chromium, tmp_path):
    chromium.set_window_size(390, 900)
    try:
        chromium.get(_page(tmp_path, "split_rollover_one_form"))
        width = chromium.execute_script("return document.documentElement.clientWidth")
        scroll = chromium.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width + 1, (scroll, width)  # the page never scrolls sideways
        card = chromium.execute_script(
            "return getComputedStyle(document.querySelector('table.stack td')).display")
        assert card == "block"  # findings as cards
    finally:
        chromium.set_window_size(1200, 900)
