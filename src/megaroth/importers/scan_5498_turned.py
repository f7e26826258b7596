"""A Form 5498 page turned on the glass by more than its printed lines can tell: its angle measured
from the grid's ruled lines, the page turned straight and read again.

The engine's lines of words measure a page's skew (`scan_geometry.skew`), but on a page turned 3-5°
the engine breaks every printed line into pieces, no line is long enough to measure, and the
captions, read at a slant, fall into each other's rows: the page was not recognised as a form at
all. The Form 5498's grid is ruled: turned by the right angle, its horizontal rules each fall
into one row of pixels, which makes the rows' ink the most uneven (the projection profile). The
angle is searched on a small copy of the page, coarse then fine.

Geometry is in degrees and pixels (Fractions, as the other scan geometry: never money).
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Real

MAX_DEGREES = 8
"""The widest turn searched (a page turned more is not lying on the glass as a scan)."""
COARSE, FINE = Fraction(1, 2), Fraction(1, 10)
"""Degrees between the angles tried: across the range, then around the best."""
SMALL = 600
"""Pixels across the copy the angle is measured on (rules stay a pixel or two thick)."""
LEAST = Fraction(3, 10)
"""Degrees under which a page is left as it lies (read straight enough)."""


def rules_angle(image) -> Real | None:
    """Degrees to turn the page (Pillow's rotate, counter-clockwise) to make its ruled lines level,
    or None when no angle stands out (a page without rules)."""
    from PIL import Image

    factor = SMALL / image.width
    small = image.resize((SMALL, max(1, round(image.height * factor))), Image.BILINEAR)
    ink = small.point(lambda v: 255 if v < 160 else 0)  # dark as bright: rotation fills with 0 (paper)

    def score(degrees: Real) -> int:
        turned = ink.rotate(degrees, resample=Image.BILINEAR)
        rows = turned.resize((1, turned.height), Image.BOX).tobytes()
        return sum(v * v for v in rows)

    steps = int(MAX_DEGREES / COARSE)
    coarse = max((score(k * COARSE), k * COARSE) for k in range(-steps, steps + 1))
    around = [coarse[1] + k * FINE for k in range(-5, 6)]
    best = max((score(a), a) for a in around)
    level = score(0)
    if best[0] <= level * Fraction(51, 50):  # nothing better than as it lies
        return None
    return best[1]


def straightened(page, seconds: Real, source):
    """The page turned straight by its rules and read again (a ScanPage), or None when it lies
    straight enough or its rules give no angle."""
    from PIL import Image

    from megaroth.importers.scan_image import ScanPage, ocr

    degrees = rules_angle(page.image)
    if degrees is None or abs(degrees) < LEAST:
        return None
    image = page.image.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor=255)
    words, elapsed = ocr(image, seconds, source)
    return ScanPage(number=page.number, dpi=page.dpi, words=words, image=image,
                    engine_seconds=page.engine_seconds + elapsed)
