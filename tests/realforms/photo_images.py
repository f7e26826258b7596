"""The real IRS 2025 Form 1099-R (filled as tests/realforms/scan_images.py fills it) made into the
photos people take: the page turned a quarter or half turn, held at an angle to the camera (its
corners moved 10-15% of its size), lying on a darker table, lit unevenly (a lamp's gradient, a
hand's shadow), slightly out of focus, saved as a phone's JPEG. Expected values are the ones
filled in, never what megaroth read."""

from __future__ import annotations

import io

from tests.realforms.memo import remembered
from tests.realforms.scan_images import render


def _coefficients(target, source):
    """Pillow PERSPECTIVE coefficients mapping output points `target` to input points `source`
    (the test's own solver, floats: tests may, the package may not)."""
    rows = []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    for col in range(8):
        pivot = max(range(col, 8), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [value / rows[col][col] for value in rows[col]]
        for r in range(8):
            if r != col:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[col])]
    return [row[8] for row in rows]


@remembered
def photograph(name: str | dict, *, dpi: int = 200, turn: int = 0, corners=None, table: int = 70,
               light: str | None = None, blur: float = 0.0, jpeg: int | None = 85, pdf: bytes | None = None) -> bytes:
    """The filled form as a phone photo's bytes.

    turn: degrees counter-clockwise the page lies turned (90, 180, 270).
    corners: how far each page corner (tl, tr, br, bl) is moved inward, as (dx, dy) shares of
        the page's width and height: the perspective of a camera held at an angle.
    table: the gray of the table around the sheet (a margin of 6% is added around it).
    light: "gradient" (a lamp on one side: paper from 255 down to ~130), "shadow" (a hand's
        soft shadow across the lower right), or None.
    name, pdf: the form filled, as `render` takes them.
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    page = Image.open(io.BytesIO(render(name, dpi=dpi, pdf=pdf))).convert("L")
    if corners is not None:
        width, height = page.size
        margin_x, margin_y = int(width * 0.06), int(height * 0.06)
        out_size = (width + 2 * margin_x, height + 2 * margin_y)
        base = [(0, 0), (width, 0), (width, height), (0, height)]
        signs = [(1, 1), (-1, 1), (-1, -1), (1, -1)]
        moved = [(margin_x + x + sx * dx * width, margin_y + y + sy * dy * height)
                 for (x, y), (sx, sy), (dx, dy) in zip(base, signs, corners)]
        # The photo's pixel at a moved corner shows the page's corner: output (photo) -> input (page).
        mask = Image.new("L", page.size, 255)
        coefficients = _coefficients(moved, base)
        photo = page.transform(out_size, Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=table)
        inside = mask.transform(out_size, Image.PERSPECTIVE, coefficients, Image.BILINEAR, fillcolor=0)
        photo = Image.composite(photo, Image.new("L", out_size, table), inside)
        page = photo
    if light:
        shade = Image.new("L", page.size, 255)
        draw = ImageDraw.Draw(shade)
        if light == "gradient":
            for x in range(page.width):
                draw.line([(x, 0), (x, page.height)], fill=int(255 - 125 * x / page.width))
        else:
            draw.ellipse((page.width * 0.45, page.height * 0.1, page.width * 1.4, page.height * 1.2), fill=120)
            shade = shade.filter(ImageFilter.GaussianBlur(page.width // 20))
        # Light multiplies the paper and the ink alike.
        page = ImageChops.multiply(page, shade)
    if turn:
        page = page.rotate(turn, expand=True)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    if jpeg:
        page.save(buffer, format="JPEG", quality=jpeg)
    else:
        page.save(buffer, format="PNG")
    return buffer.getvalue()

