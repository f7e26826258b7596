"""Custodians' own Form 1099-R statements (fixtures/pdf/make_pdfs.py) made into images the ways
paper arrives — rendered at a scanner's resolution, gray, saved as JPEG, turned a little on the
glass, an amount smudged — as tests/realforms/scan_images.py does for the IRS form. The expected
values are the ones make_pdfs.py wrote into the statement, never what megaroth read."""

from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdf"

STATEMENT = {
    # fixtures/pdf/custodian_statement.pdf page 1 (make_pdfs.py `main`, "3. Custodian statement"):
    # form 1 is make_pdfs.IRR with total distribution checked (account 9876-001), form 2 the
    # corrected one (account 9876-002).
    "page 1, form 1": {"box_1": "10,200.00", "box_2a": "200.00", "box_4": "0.00", "box_5": "10,000.00", "box_7": "G",
                       "box_2b_total_distribution": True, "account_number": "9876-001"},
    "page 1, form 2": {"box_1": "6,000.00", "box_2a": "6,000.00", "box_4": "1,200.00", "box_7": "07",
                       "account_number": "9876-002"},
}
BOX_5_FORM_1 = (400, 590, 444, 599)
"""Where make_pdfs.statement_block prints form 1's box 5 amount ($10,000.00): x0, y0, x1, y1 in points (y up)."""


def _make_pdfs():
    sys.path.insert(0, str(FIXTURES))
    import make_pdfs

    return make_pdfs


def statement_pdf(tmp: Path, year: str = "2025", title_year: bool = True) -> bytes:
    """One statement page of our own: make_pdfs.IRR's boxes under `year` (none printed when "")."""
    make_pdfs = _make_pdfs()
    page = make_pdfs.Page()
    page.text(40, 760, "EXAMPLE RETIREMENT SERVICES", 10)
    if title_year:
        page.text(360, 760, f"{year} TAX REPORTING STATEMENT", 10)
    form = dict(make_pdfs.IRR, payer=["Example 401(k) Plan", "1 Example Loop"], account="5555-010", year=year)
    make_pdfs.statement_block(page, form, 720)
    return make_pdfs.write_pdf(tmp / "statement.pdf", [page])


def render(pdf: bytes | Path | None = None, dpi: int = 200, *, jpeg: int | None = None, angle: float = 0.0,
           smudge: tuple[float, float, float, float] | None = None, page: int = 0) -> bytes:
    """A page of a statement PDF (default: page 1 of fixtures/pdf/custodian_statement.pdf) as an image file's bytes."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFilter

    source = pdf if pdf is not None else FIXTURES / "custodian_statement.pdf"
    document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    sheet = document[page]
    height = sheet.get_size()[1]
    image = sheet.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    if smudge:
        # A thumb's smear across the amount: its strokes blurred into a gray stain.
        k = dpi / 72
        box = (int(smudge[0] * k), int((height - smudge[3] - 2) * k), int(smudge[2] * k), int((height - smudge[1] + 2) * k))
        stain = image.crop(box).filter(ImageFilter.GaussianBlur(k * 1.2))
        image.paste(stain.point(lambda v: int(v * 0.75)), box[:2])
        ImageDraw.Draw(image).line((box[0], box[3] - 2, box[2], box[1] + 2), fill=90, width=int(k * 1.5))
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    from tests.realforms.scan_images import encode

    return encode(image, dpi, jpeg)
