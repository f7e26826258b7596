"""A Form 5498 page turned on the glass by more than its printed lines can tell: its angle measured
from the grid's ruled lines, the page turned straight and read again.

The engine's lines of words measure a page's skew (`scan_geometry.skew`), but on a page turned 3-5°
the engine breaks every printed line into pieces, no line is long enough to measure, and the
captions, read at a slant, fall into each other's rows: the page was not recognised as a form at
all. The Form 5498's grid is ruled: its angle is measured from its rules
(`scan_geometry.rules_angle`, the projection profile). Every page is levelled so before its first
reading (`scan_geometry.levelled`, from `scan_image.read_pages`); this is for a page that still
lies turned by 0.3° or more after it.

Geometry is in degrees and pixels (Fractions, as the other scan geometry: never money).
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Real

LEAST = Fraction(3, 10)
"""Degrees under which a page is left as it lies (read straight enough)."""


def straightened(page, seconds: Real, source):
    """The page turned straight by its rules and read again (a ScanPage), or None when it lies
    straight enough or its rules give no angle."""
    from megaroth.importers.scan_geometry import level, rules_angle
    from megaroth.importers.scan_image import ScanPage, ocr

    degrees = rules_angle(page.image)
    if degrees is None or abs(degrees) < LEAST:
        return None
    image = level(page.image, degrees)
    words, elapsed = ocr(image, seconds, source)
    return ScanPage(number=page.number, dpi=page.dpi, words=words, image=image,
                    engine_seconds=page.engine_seconds + elapsed, levelled=page.levelled + degrees)
