"""Box 7's distribution code read from its glyphs alone, six ways, taken only when the readings agree.

The code is one or two characters in a box that also holds the box's caption and rules. Read
as part of the page (sparse text, ~28-pixel letters) or from a crop padded around the box, the
engine misses a lone letter on a blurred, faxed or photographed page, or reads it at 20-65%
("Pp" for a "P", "u" for a "7"). Here the code's glyphs are found first (connected strokes of
a letter's height, `glyph_box`: the caption above, the rules and a fax's specks are not), cut
out tight, enlarged so that a letter is `HEIGHT` pixels high, and read as a line with only the
year's code characters allowed, six ways (`VARIANTS`): as they are, sharpened (an unsharp mask:
a blur's soft edges), despeckled (a median filter: a fax's specks), each gray and in black and
white. A code is taken only when two readings read it CONFIDENTly and no reading reads anything
else at `DOUBT` or more (`agreed`); any disagreement is asked, never settled by a majority.

Measured on the benchmark's 220 Form 1099-R pages (two seeds, every way): 208 codes read so, none
wrong; at 30 pixels the same crops read a "1" as "4" at 92-96% (at 40, never).

An amount or a TIN the page read but no second reading confirmed is read the same way (its digits
allowed; glyphs of any width kept, a blur merges digits, and a third of a letter's height below
them, an amount's commas), and scan_1099r takes it only where it is the page's digits: on the
blurred and faxed pages of both seeds 165 TINs were read so, none wrong, and every box 1 and 2a
but one, none wrong (with the width limit of codes, a blurred "63,636.23" was read "23").
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Real

HEIGHT = 40
"""Pixels a code's letters are enlarged (or reduced) to before they are read."""
VARIANTS = (("plain", False), ("plain", True), ("sharp", False), ("sharp", True), ("despeckled", False),
            ("despeckled", True))
"""(treatment, black and white) of the six readings."""
CONFIDENT = 85
"""The engine's confidence two readings must reach (as the page's values: scan_1099r.CONFIDENT)."""
DOUBT = 50
"""A reading of anything else at this confidence or more refuses the code."""
MARGIN = 30
"""White pixels around the enlarged glyphs."""


def glyph_box(gray, letter: Real, widest: Real | None = 3) -> tuple[int, int, int, int] | None:
    """The pixels (x0, y0, x1, y1) the code's glyphs fill in the box's crop (its rules whitened), or
    None when no glyph of a letter's height is there: strokes 0.6-1.5 `letter` pixels high and at
    most `widest` letters wide (two letters a blur has merged; None: any width, an amount's digits a
    blur has merged, which must not be left out), not touching the crop's edges (the caption above,
    cut by the crop; a neighbour's rule); specks are not glyphs (scan_glyph.glyphs)."""
    from megaroth.importers import scan_confirm, scan_glyph

    found = [g for g in scan_glyph.glyphs(scan_confirm.binarized(gray))
             if letter * Fraction(6, 10) <= g[3] - g[1] <= letter * Fraction(3, 2)
             and (widest is None or g[2] - g[0] <= letter * widest)]
    if not found:
        return None
    return min(g[0] for g in found), min(g[1] for g in found), max(g[2] for g in found), max(g[3] for g in found)


def crops(tight, tall: int | None = None) -> list:
    """The glyphs' crop made ready for the engine the six ways of VARIANTS (`tall`: the glyphs'
    height in the crop, when it is not the crop's)."""
    from PIL import Image, ImageFilter

    from megaroth.importers import scan_confirm

    factor = Fraction(HEIGHT, max(1, tall or tight.height))
    out = []
    for treatment, binary in VARIANTS:
        crop = {"plain": tight, "sharp": tight.filter(ImageFilter.UnsharpMask(2, 150, 3)),
                "despeckled": tight.filter(ImageFilter.MedianFilter(3))}[treatment]
        crop = crop.resize((max(1, round(crop.width * factor)), max(1, round(crop.height * factor))), Image.LANCZOS)
        if binary:
            crop = scan_confirm.binarized(crop)
        framed = Image.new("L", (crop.width + 2 * MARGIN, crop.height + 2 * MARGIN), 255)
        framed.paste(crop, (MARGIN, MARGIN))
        out.append(framed)
    return out


REPEAT = 3
"""Times a lone code's glyphs are drawn in a row for `readings(repeat=True)`."""


def repeated(framed, times: int = REPEAT):
    """A framed crop (crops) with its glyphs drawn `times` in a row, half a letter apart: the engine,
    which reads a line by its context, read a clean lone "P" as nothing, "J" or "DB" and the same
    "P" drawn three times "PPP" at 94-96% (benchmarks/bench_scan_accuracy.py, seeds 2025 and 7)."""
    from PIL import Image

    inner = framed.crop((MARGIN, 0, framed.width - MARGIN, framed.height))
    gap = HEIGHT // 2
    out = Image.new("L", (2 * MARGIN + times * inner.width + (times - 1) * gap, framed.height), 255)
    for n in range(times):
        out.paste(inner, (MARGIN + n * (inner.width + gap), 0))
    return out


def once(text: str, times: int = REPEAT) -> str | None:
    """The text of one copy when a reading of `times` copies reads each alike ("PPP" -> "P"); None
    otherwise (a copy read otherwise: a reading of something else)."""
    text = "".join(text.split())
    if not text or len(text) % times:
        return None
    one = text[:len(text) // times]
    return one if one * times == text else None


def readings(image, box: tuple[int, int, int, int], letter: Real, allowed: str,
             below: Real = 0, repeat: bool = False) -> list[tuple[str, Real] | None]:
    """The six readings of the code in `box` (the page's pixels of box 7; `letter`: a letter's
    height there), None each where the engine reads nothing; [] when no glyph is found. `below`:
    a share of a letter's height kept under the glyphs, and glyphs of any width kept (an amount:
    its commas hang below its digits, a blur merges them). `repeat`: the glyphs read drawn REPEAT
    times in a row (`repeated`), a reading counting as the code only when every copy reads alike
    (else as its whole text, another reading)."""
    from megaroth.importers import scan_confirm
    from megaroth.importers.scan_image import ocr_many

    gray = scan_confirm.unruled(image.crop(tuple(int(v) for v in box)))
    glyphs = glyph_box(gray, letter, None if below else 3)
    if glyphs is None:
        return []
    if below:
        glyphs = (glyphs[0], glyphs[1], glyphs[2], min(gray.height, glyphs[3] + round(letter * below)))
    framed = [repeated(crop) if repeat else crop
              for crop in crops(gray.crop(glyphs), glyphs[3] - glyphs[1] - round(letter * below) if below else None)]
    try:
        # The six crops in one run of the engine (each read as alone: scan_image.ocr_many).
        read = ocr_many(framed, 10 + 2 * len(framed), None, psm=7, allowed=allowed)
    except Exception:  # readings that fail are fewer: never a reason to take the code
        return [None] * len(framed)
    out: list[tuple[str, Real] | None] = []
    for words in read:
        words = [w for w in words if w.text.strip()]
        if not words:
            out.append(None)
            continue
        text = "".join(w.text for w in words)
        out.append(((once(text) or text) if repeat else text, min(w.confidence for w in words)))
    return out


def agreed(votes: list[tuple[str, Real] | None]) -> tuple[str, Real] | None:
    """The code two readings read at CONFIDENT or more and none reads otherwise at DOUBT or more,
    with the least of those confidences; None otherwise."""
    sure = [v for v in votes if v is not None and v[1] >= CONFIDENT]
    if len(sure) < 2 or len({v[0] for v in sure}) != 1:
        return None
    value = sure[0][0]
    if any(v is not None and v[1] >= DOUBT and v[0] != value for v in votes):
        return None
    return value, min(v[1] for v in sure)
