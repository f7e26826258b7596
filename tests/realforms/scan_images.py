"""The real IRS 2025 Form 1099-R filled with known values and made into images the ways paper
arrives: rendered at a scanner's resolution, gray or 1-bit, saved as JPEG, turned slightly on
the glass, blurred, speckled. The expected values are the ones filled in, never what megaroth read."""

from __future__ import annotations

import io
import random

from tests.realforms.irs_fill import fill
from tests.realforms.memo import remembered

FORMS = {
    # A mega backdoor Roth: after-tax money from a 401(k) to a Roth IRA (box 5 is the after-tax basis).
    "mega": {"payer_block": "FIDELITY MANAGEMENT TRUST CO\n245 SUMMER ST BOSTON MA 02210", "payer_tin": "04-3523567",
             "recipient_tin": "XXX-XX-1234", "recipient_name": "JANE Q SAMPLE", "account_number": "Z12-345678",
             "box_1": "23,500.00", "box_2a": "0.00", "box_5": "4,112.57", "box_7": "G"},
    # A backdoor Roth conversion from a traditional IRA (box 7 IRA/SEP/SIMPLE checked).
    "ira": {"payer_block": "VANGUARD FIDUCIARY TRUST CO\nPO BOX 2600 VALLEY FORGE PA 19482", "payer_tin": "23-2186884",
            "recipient_tin": "XXX-XX-9876", "recipient_name": "ROBERT T EXAMPLE", "account_number": "8836-40917",
            "box_1": "7,000.38", "box_2a": "7,000.38", "box_4": "0.00", "box_7": "2", "box_7_ira_sep_simple": True,
            "box_2b_taxable_not_determined": True},
    # An in-plan distribution with withholding and basis.
    "plan": {"payer_block": "EMPOWER TRUST CO\n8515 E ORCHARD RD GREENWOOD VILLAGE CO 80111", "payer_tin": "84-1238765",
             "recipient_tin": "XXX-XX-4455", "recipient_name": "MARIA L TESTCASE", "account_number": "401K-66120",
             "box_1": "61,950.44", "box_2a": "58,720.19", "box_4": "11,744.04", "box_5": "3,230.25", "box_7": "7"},
}
MONEY = ("box_1", "box_2a", "box_4", "box_5")


def expected(name: str) -> dict[str, str]:
    """The amounts and code filled in, as megaroth's model holds them (no commas)."""
    values = FORMS[name]
    out = {box: values[box].replace(",", "") for box in MONEY if box in values}
    out["box_7"] = values["box_7"]
    out["box_7_ira_sep_simple"] = bool(values.get("box_7_ira_sep_simple"))
    return out


@remembered
def render(name: str | dict, dpi: int = 200, *, mode: str = "L", angle: float = 0.0, jpeg: int | None = None,
           noise: float = 0.0, blur: float = 0.0, seed: int = 7, turn: int = 0, pdf: bytes | None = None) -> bytes:
    """The filled form as an image file's bytes (PNG, or JPEG at quality `jpeg`).

    name: one of FORMS, or a dict of role → value to fill the IRS 1099-R with; `pdf`: a PDF's
    bytes to render instead (a Form 5498 page). turn: degrees counter-clockwise the page lies
    turned on the glass (90, 180, 270)."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    if pdf is None:
        pdf = fill("f1099r", 2025, FORMS[name] if isinstance(name, str) else name, "printed")
    if angle:
        image = turned(pdf, dpi, angle)
    else:
        image = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    # The form is the page's top half (Copy 1 as the IRS PDF prints it); a scanner keeps the page.
    if turn:
        image = image.rotate(turn, expand=True)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = random.Random(seed)
        pixels = image.load()
        for _ in range(int(image.width * image.height * noise)):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
    if mode == "1":
        image = image.point(lambda v: 255 if v > 160 else 0).convert("1")
    return encode(image, dpi, jpeg)


def turned(pdf: bytes, dpi: int, angle: float):
    """The PDF's first page as a scanner samples it lying turned `angle` degrees counter-clockwise
    on the glass (Pillow's sense): pdfium draws the page's vectors through the turned matrix straight
    into the scan's pixels, on a canvas grown to hold its corners.

    Why not the upright image turned by Pillow: that samples the page twice, and megaroth, turning
    it back by the angle it measures (within 1/40°), undid the first turn almost exactly, pixel
    for pixel: a blur no scanner makes, which decided the reading of a few account numbers either
    way by chance (read once at 1/40° off, they were read right)."""
    import math

    import pypdfium2 as pdfium
    from pypdfium2 import raw

    page = pdfium.PdfDocument(pdf)[0]
    width, height = page.get_size()
    scale = dpi / 72
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    wide = math.ceil((abs(width * cos) + abs(height * sin)) * scale)
    high = math.ceil((abs(width * sin) + abs(height * cos)) * scale)
    bitmap = pdfium.PdfBitmap.new_native(wide, high, raw.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, wide, high)
    # The matrix maps the page as pdfium lays it out (points, y down) onto the bitmap: scaled,
    # turned about the page's centre, the centre put at the canvas's.
    a, b, c, d = scale * cos, -scale * sin, scale * sin, scale * cos
    e = wide / 2 - (a * width / 2 + c * height / 2)
    f = high / 2 - (b * width / 2 + d * height / 2)
    raw.FPDF_RenderPageBitmapWithMatrix(bitmap.raw, page.raw, raw.FS_MATRIX(a, b, c, d, e, f),
                                        raw.FS_RECTF(0, 0, wide, high), raw.FPDF_ANNOT)
    return bitmap.to_pil().convert("L")


def encode(image, dpi: int, jpeg: int | None = None) -> bytes:
    """An image file's bytes as a scanner saves the page: JPEG at that quality, else PNG, with its dpi."""
    buffer = io.BytesIO()
    if jpeg:
        image.save(buffer, format="JPEG", quality=jpeg, dpi=(dpi, dpi))
    else:
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def as_pdf(images: list[bytes]) -> bytes:
    """Page images saved as one PDF (a scanner's "scan to PDF")."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(data)).convert("L") for data in images]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PDF", save_all=True, append_images=frames[1:], resolution=200)
    return buffer.getvalue()


def as_tiff(images: list[bytes]) -> bytes:
    from PIL import Image

    frames = [Image.open(io.BytesIO(data)).convert("L") for data in images]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    return buffer.getvalue()
