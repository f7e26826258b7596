"""Second readings of a scanned form's values: each value's own crop read again by the engine,
apart from the page, so that a value is taken only when two readings agree.

The page is read once as sparse text (Tesseract's page segmentation mode 11), which finds words
anywhere but reads a lone character worst: on the benchmark's pages (benchmarks/
bench_scan_accuracy.py) it read a clean "1" in box 7 as "4" at 96% confidence, and a "Z" of an
account number as "2" at 90%. Read again alone, enlarged, as a line of text, the same pixels gave
"1" at 97%. So a value the page read confidently is confirmed by a second reading, and the
readings must agree character for character; a value they disagree on is asked.

The second readings of one page are made in one run of the engine (`read_crops`): the crops,
enlarged to the engine's best size, are stacked on one white image with wide gaps, and the
words read in each crop's band are that crop's. One run costs ~0.2 s where one a crop cost
~0.15 s each (the engine loads its model for every run).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from numbers import Real

RULES = "|[]{}\\"
"""What the engine makes of a box's printed rule at a crop's edge."""
GAP = 48
"""White pixels between two stacked crops (and around them): lines this far apart are never one line."""
TARGET_HEIGHT = 32
"""Pixels a value's digits are enlarged to (Tesseract reads 10-point digits best near 30 px)."""


def scaled(crop, text_height: Real, target: int = TARGET_HEIGHT):
    """The crop enlarged (never shrunk) so that its text is about `target` pixels high."""
    from PIL import Image

    if text_height <= 0:
        return crop
    factor = Fraction(target) / Fraction(text_height)
    if factor <= 1:
        return crop
    return crop.resize((max(1, round(crop.width * factor)), max(1, round(crop.height * factor))), Image.LANCZOS)


RULED = Fraction(8, 10)
"""A column (row) of a crop dark for this share of its height (width) is a box's printed rule."""


EDGE_GRAY = 224
"""A pixel of a crop's first or last row this dark is ink (a rule's edge, cut by the crop)."""


def unruled(crop):
    """The crop with the box's printed rules whitened: columns and rows dark nearly end to end. A
    value's strokes span its text's height, less than a crop padded above and below; a rule cut by
    the crop read as "|", "I" or "[" beside a value ("IG" for a "G").

    Pixels are counted by Pillow and `bytes.count` (a row of 255s where the test holds), not one by
    one in Python: every second reading of a value crops and unrules, 2-30 ms a crop that way."""
    from PIL import Image, ImageChops

    width, height = crop.size
    if not width or not height:
        return crop
    level = 128
    white = b"\xff"

    def marked(image, test) -> bytes:
        return image.point(lambda v: 255 if test(v) else 0).tobytes()

    def ruled(rows: bytes, length: int, count: int) -> list[int]:
        return [n for n in range(count) if rows[n * length:(n + 1) * length].count(255) >= length * RULED]

    data = bytearray(crop.tobytes())
    columns = marked(crop.transpose(Image.Transpose.TRANSPOSE), lambda v: v < level)
    for x in ruled(columns, height, width):
        data[x::width] = white * height
    for y in ruled(marked(_image(crop, bytes(data)), lambda v: v < level), width, height):
        data[y * width:(y + 1) * width] = white * width
    # A rule of a page turned level (scan_geometry.level) or scanned between two rows of pixels lies
    # across two rows, each gray, neither dark: the two rows together hold a dark row's ink (their
    # ink, 255 less each gray, adds to more than 255 less `level`). A pair next to one whitened is
    # not one (its other row alone would be a dark row, and there is none left).
    if height > 1:
        ink = ImageChops.invert(_image(crop, bytes(data)))
        pairs = marked(ImageChops.add(ink.crop((0, 0, width, height - 1)), ink.crop((0, 1, width, height))),
                       lambda v: v > 255 - level)
        inked = set(ruled(pairs, width, height - 1))
        previous = False
        for y in range(height - 1):
            previous = y in inked and not previous
            if previous:
                data[y * width:(y + 2) * width] = white * (2 * width)
    # At the crop's edge the rule's other row may be outside it: there a gray row is the rule's cut
    # part (the crop is padded around the value, whose strokes do not reach its edge).
    edges = marked(_image(crop, bytes(data)), lambda v: v < EDGE_GRAY)
    for y in {0, height - 1}:
        if edges[y * width:(y + 1) * width].count(255) >= width * RULED:
            data[y * width:(y + 1) * width] = white * width
    return _image(crop, bytes(data))


def _image(like, data: bytes):
    from PIL import Image

    return Image.frombytes("L", like.size, data)


def binarized(crop):
    """The crop in black and white at the threshold between its ink and its paper (Otsu): a
    reading of other pixels than the gray one (JPEG's ringing and a fax's gray speckle go)."""
    from megaroth.importers.scan_geometry import _otsu

    level, _, _ = _otsu(crop.histogram())
    return crop.point(lambda v: 255 if v > level else 0)


def stacked(crops: list):
    """The crops stacked on one white sheet, GAP apart (read in one run of the engine), and each
    crop's band of the sheet (top, bottom): a word whose middle is in a band is that crop's."""
    from PIL import Image

    width = max(c.width for c in crops) + 2 * GAP
    height = sum(c.height for c in crops) + GAP * (len(crops) + 1)
    sheet = Image.new("L", (width, height), 255)
    bands = []
    top = GAP
    for crop in crops:
        sheet.paste(crop, (GAP, top))
        bands.append((top - GAP // 2, top + crop.height + GAP // 2))
        top += crop.height + GAP
    return sheet, bands


def read_crops(crops: list, seconds: Real = 20, psm: int = 11, noise: str | None = None) -> list[tuple[str, Decimal] | None]:
    """Each crop's text and the engine's least confidence in it, read in one run of the engine;
    None for a crop where nothing is read (or when the engine fails: a second opinion that fails
    leaves the first one asked, as it was). Sparse text (psm 11), as the page: as a block (psm 6)
    the engine gave a clean "3,210.88" 38% and a lone "1" read "F". `noise`: the characters a word
    made only of is left out of the text and of its confidence (default: a rule, a dot, a comma, a
    quote; the Form 5498's reader adds a fax's specks and dashes: a "_" read at 20% beside a clean
    "39,997.64" read at 96% made it count 20%)."""
    from megaroth.importers.scan_image import ocr

    if not crops:
        return []
    sheet, bands = stacked(crops)
    try:
        words, _ = ocr(sheet, seconds, None, psm=psm)
    except Exception:
        return [None] * len(crops)
    out: list[tuple[str, Decimal] | None] = []
    for low, high in bands:
        inside = [w for w in words if low <= w.top + w.height / 2 < high
                  and w.text.strip(RULES + ".,'" if noise is None else noise) not in ("", "$")]
        inside.sort(key=lambda w: (w.top // 8, w.left))
        # The box's rules, cut by the crop's margin, read as "|" or "[" at a value's ends: not its characters.
        out.append((" ".join(w.text.strip(RULES) for w in inside), min(w.confidence for w in inside))
                   if inside else None)
    return out


SPECKS = RULES + ".,:;()'`‘’"
"""What a speck or a rule beside a value is read as, at its ends: not its characters."""


def clean(text: str) -> str:
    """A reading without the specks and rules at its ends (a value never begins or ends with them:
    an amount ends with its cents, a TIN and an account number with a letter or a digit)."""
    return text.strip(SPECKS + " ")


def same(a: str, b: str) -> bool:
    """The same characters, whatever the spacing and the "$" (never the same digits in another order)."""
    return re.sub(r"[\s$]", "", a) == re.sub(r"[\s$]", "", b)
