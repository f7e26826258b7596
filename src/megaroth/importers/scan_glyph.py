"""A "Z" told from a "2" by its shape, where the engine cannot: in the sans-serif type issuers print
account numbers in, Tesseract reads one for the other and is sure of either ("Z52-447077" read
"252-447077" at 87%, "2Z52-447077", "Z241-275141"), so an account number with either was always
asked.

The value's crop is made black and white and cut into its glyphs (connected strokes). A "Z" has
a straight bar along its whole top and is wider than a "2", whose top is an arc: on the
benchmark's pages (benchmarks/bench_scan_accuracy.py, 200 and 300 dpi, JPEG, 1-bit, fax, blur,
turned, photographed) the widest of a glyph's top rows covered 87-94% of a "Z"'s width and 68-85%
of a "2"'s, and a "Z" was 0.77-0.84 as wide as tall, a "2" 0.66-0.72. A glyph is called one or
the other only when both measures say so (`Z_TOP`, `Z_WIDE`; `TWO_TOP`, `TWO_WIDE`); anything
between is left undecided and the value asked. Nothing else is decided here: the other characters
are the engine's, confirmed by readings of the crop with the "Z"s and "2"s whitened
(scan_1099r), so that their confidence is not the doubtful letter's.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Real

HEIGHT = 40
"""Pixels a value's glyphs are enlarged to before they are cut apart and measured."""
Z_TOP, TWO_TOP = Fraction(87, 100), Fraction(86, 100)
"""Share of the glyph's width its widest top row (of the top 15%) covers: a "Z" at least Z_TOP, a
"2" at most TWO_TOP."""
Z_WIDE, TWO_WIDE = Fraction(75, 100), Fraction(73, 100)
"""Width over height: a "Z" at least Z_WIDE, a "2" at most TWO_WIDE."""
THIN = 12
"""A glyph at a value's end narrower than its height over THIN is a box's rule (see `glyphs`)."""
SPECK = 20
"""Pixels (at HEIGHT) under which a stroke is a speck, not a glyph."""


def glyphs(image) -> list[tuple[int, int, int, int, frozenset[int]]]:
    """The glyphs of a black-and-white crop (0 ink, 255 paper), left to right: each its box (x0,
    y0, x1, y1) and its pixels (y·width + x). Strokes touching the crop's edge (a box's rule, a
    neighbour cut by the margin) and specks are not glyphs; a stroke shorter than 60% of the
    glyphs' median height is kept only when it is wide (a hyphen)."""
    width, height = image.size
    data = image.tobytes()
    seen = bytearray(width * height)
    found = []
    for start in range(width * height):
        if data[start] or seen[start]:
            continue
        stack, pixels = [start], []
        seen[start] = 1
        while stack:
            at = stack.pop()
            pixels.append(at)
            x, y = at % width, at // width
            for ny in (y - 1, y, y + 1):
                if not 0 <= ny < height:
                    continue
                for nx in (x - 1, x, x + 1):
                    if 0 <= nx < width:
                        k = ny * width + nx
                        if not data[k] and not seen[k]:
                            seen[k] = 1
                            stack.append(k)
        xs = [p % width for p in pixels]
        ys = [p // width for p in pixels]
        box = (min(xs), min(ys), max(xs) + 1, max(ys) + 1)
        if box[0] > 0 and box[1] > 0 and box[2] < width and box[3] < height and len(pixels) >= SPECK:
            found.append((*box, frozenset(pixels)))
    if not found:
        return []
    tall = sorted(g[3] - g[1] for g in found)[len(found) // 2]
    found = sorted((g for g in found if (g[3] - g[1]) * 10 >= tall * 6 or (g[2] - g[0]) * 10 >= tall * 3),
                   key=lambda g: g[0])
    # A box's rule inside the crop (a photographed page's slant keeps it off the crop's edge) is a stroke
    # a pixel or two wide at the value's end: no character of the font is so thin ("I", "l", "|" are
    # a sixth to an eighth of their height wide; measured at 150-300 dpi).
    return [g for i, g in enumerate(found) if not (i in (0, len(found) - 1) and (g[2] - g[0]) * THIN < g[3] - g[1])]


def z_or_2(glyph, width: int) -> str | None:
    """ "Z" or "2" when both the glyph's top bar and its width say so; None otherwise."""
    x0, y0, x1, y1, pixels = glyph
    wide, tall = x1 - x0, y1 - y0
    if wide <= 0 or tall < 10:
        return None
    rows = max(1, round(tall * Fraction(15, 100)))
    top = Fraction(max(sum(1 for x in range(x0, x1) if y * width + x in pixels) for y in range(y0, y0 + rows)), wide)
    shape = Fraction(wide, tall)
    if top >= Z_TOP and shape >= Z_WIDE:
        return "Z"
    if top <= TWO_TOP and shape <= TWO_WIDE:
        return "2"
    return None


def crop_of(image, box: tuple[int, int, int, int], text_height: Real):
    """The value's crop (rules whitened), enlarged to HEIGHT-pixel glyphs, in black and white."""
    from megaroth.importers import scan_confirm

    crop = scan_confirm.scaled(scan_confirm.unruled(image.crop(box)), Fraction(text_height), HEIGHT)
    return scan_confirm.binarized(crop)


def key(text: str) -> str:
    """A reading with its spaces dropped and every "Z" as "2" (what the engine cannot tell apart)."""
    return "".join(text.split()).upper().replace("Z", "2")


def collapsed(text: str) -> set[str]:
    """The keys of a reading with one doubled "22" read as one glyph ("2Z52-…" for one "Z")."""
    k = key(text)
    return {k[:i] + k[i + 1:] for i in range(len(k) - 1) if k[i:i + 2] == "22"}


def settle(crop, readings: list[str], any_value: bool = False) -> tuple[str, list[int], list] | None:
    """The value the readings agree on with each "Z" or "2" decided by its glyph's shape, the
    indexes of those glyphs and the glyphs (one a character); None when the glyphs are not one a character of the value, the
    readings of its length disagree beyond "Z"/"2", fewer than two read it, or a glyph's shape is
    undecided. A reading of another length counts only as the same with a "Z"/"2" doubled ("Z292-…"
    for "Z92-…"); any other reading refuses. `any_value`: also a value with no "Z" or "2" (its
    characters then confirmed one by one, scan_chars), else None for it."""
    found = glyphs(crop)
    texts = ["".join(r.split()) for r in readings if r and r.strip()]
    for _ in range(2):  # glyphs that touch ("Z7" by their top bars, "Z2" by their feet) cut apart
        if any(len(t) == len(found) for t in texts) or not found:
            break
        found = split_widest(found, crop.width)
    fitting = [t for t in texts if len(t) == len(found)]
    keys = {key(t) for t in fitting}
    if len(keys) != 1:
        return None
    (common,) = keys
    doubled = [t for t in texts if len(t) != len(found) and common in collapsed(t)]
    if len(fitting) + len(doubled) < 2 or len(fitting) + len(doubled) < len(texts):
        return None
    if "2" not in common and not any_value:
        return None
    value, doubtful = [], []
    for index, (char, glyph) in enumerate(zip(common, found)):
        if char == "2":
            decided = z_or_2(glyph, crop.width)
            if decided is None:
                return None
            value.append(decided)
            doubtful.append(index)
        else:
            value.append(fitting[0][index])
    return "".join(value), doubtful, found


WIDE = Fraction(11, 10)
"""Width over height beyond which a glyph is two that touch (a single "Z" is 0.84 at most)."""


def split_widest(found: list, width: int) -> list:
    """The glyphs with the widest, when wider than WIDE, cut in two at its column of least ink in
    its middle half (where two touching glyphs share only a bar's thickness); unchanged otherwise."""
    widest = max(range(len(found)), key=lambda i: found[i][2] - found[i][0])
    x0, y0, x1, y1, pixels = found[widest]
    if (x1 - x0) <= (y1 - y0) * WIDE:
        return found
    ink = [0] * (x1 - x0)
    for p in pixels:
        ink[p % width - x0] += 1
    low, high = x0 + (x1 - x0) // 4, x0 + 3 * (x1 - x0) // 4
    cut = min(range(low, high), key=lambda x: (ink[x - x0], abs(2 * x - x0 - x1)))
    parts = []
    for keep in (lambda x: x < cut, lambda x: x > cut):
        mine = frozenset(p for p in pixels if keep(p % width))
        xs, ys = [p % width for p in mine], [p // width for p in mine]
        if not mine:
            return found
        parts.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1, mine))
    return found[:widest] + parts + found[widest + 1:]


def whitened(crop, glyph_list, indexes: list[int]):
    """The crop with the glyphs at `indexes` whitened, a pixel around (a gray crop's soft edges):
    the rest read again without them."""
    data = bytearray(crop.tobytes())
    width, height = crop.size
    for index in indexes:
        for pixel in glyph_list[index][4]:
            x, y = pixel % width, pixel // width
            for ny in range(max(0, y - 1), min(height, y + 2)):
                for nx in range(max(0, x - 1), min(width, x + 2)):
                    data[ny * width + nx] = 255
    from PIL import Image

    return Image.frombytes("L", crop.size, bytes(data))
