"""Photos and scans of a form made readable before the form is read: the page found against the
table and its perspective undone, uneven light (a shadow, a lamp) evened out, a page turned a few
degrees on the glass turned level by its ruled lines, and a page turned sideways or upside down
turned upright.

Each step measures first and changes nothing it is not sure of: a clean scan has no background
around the paper and even light, so it goes to the engine as it was (the measuring costs a few
hundredths of a second); a page whose edges are not a confident quadrilateral is left as it lies
(its captions may still be found); a page is levelled only when its rules are sharpest at an
angle past STRAIGHT_TENTHS; a page is stood up only when Tesseract's orientation detection (page
segmentation mode 0, Debian's `osd.traineddata`) says which way is up, asked before the reading
when the page's lines run down it, after it when the reading finds too few confident words.
Nothing here reads a value: a page made worse is still read by the captions and the form's checks, which leave in doubt what they cannot confirm.

No float: Pillow takes the perspective coefficients, solved exactly with Fractions.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import deque
from fractions import Fraction
from numbers import Real

PROBE_WIDE = 240
"""The page is measured on a copy this many pixels across: enough to place its corners within
~1% of its size (refined on the full image), cheap enough for a flood fill in Python."""
MIN_CONTRAST = 60
"""Gray levels between the paper and the table around it, under which no edge is trusted."""
PAPER_SHARE = (Fraction(1, 5), Fraction(97, 100))
"""The paper's share of the photo: less is not a page held to the camera; more leaves no table to
see its edges against (a scan), and the page is left as it is."""
MIN_FILL = Fraction(92, 100)
"""The paper must fill its quadrilateral this much: a blob that is not a four-cornered sheet
(a hand over it, a torn corner) is not straightened by a guess."""
LETTER = Fraction(22, 17)
"""An 8.5 x 11 inch page: its height over its width."""
ASPECT_SNAP = Fraction(12, 100)
"""A sheet whose measured proportions are within 12% of a letter page is taken as one: the
perspective itself shortens one side, and the form's fit allows one scale only."""
UNEVEN = 40
"""Gray levels between the brightest and the darkest paper (the page blurred, its ink removed)
past which the light is uneven and the page is evened out before it is read."""
MIN_LIT = 110
"""The brightest paper must be at least this light: a page dark all over stays too dark (refused)."""
FEW_WORDS = 25
"""Fewer confident words (85 of 100, three letters or more) than this on a page: it may lie
sideways or upside down, and its orientation is asked of the engine. A 1099-R upright at
100-300 dpi gives over a hundred; turned, under ten."""
OSD_CONFIDENT = Fraction(2)
"""Tesseract's orientation confidence above which its answer is followed (it gives 11-14 on a
turned IRS form at 200 dpi, under 1 where the page holds too little text)."""


def prepared(image, dpi: Real) -> tuple[object, Real, list[str]]:
    """The page with its perspective undone and its light evened, when it needs it; and what was done."""
    done = []
    quad = page_quad(image)
    if quad is not None:
        image, dpi = unwarp(image, quad, dpi)
        done.append("perspective undone")
    background = paper_light(image)
    if background is not None:
        image = even_light(image, background)
        done.append("uneven light evened")
    return image, dpi, done


# --- perspective -------------------------------------------------------------------------------


def _probe(image):
    step = max(1, image.width // PROBE_WIDE)
    return image.reduce(step) if step > 1 else image.copy(), step


def _otsu(histogram: list[int]) -> tuple[int, int, int]:
    """The threshold splitting the gray levels into two classes best (Otsu), and the two means."""
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    best = (0, 0, 0)
    best_score = -1
    below = below_sum = 0
    for level in range(256):
        below += histogram[level]
        below_sum += level * histogram[level]
        above = total - below
        if below == 0 or above == 0:
            continue
        mean_low = Fraction(below_sum, below)
        mean_high = Fraction(weighted - below_sum, above)
        score = below * above * (mean_high - mean_low) ** 2
        if score > best_score:
            best_score, best = score, (level, round(mean_low), round(mean_high))
    return best


def page_quad(image) -> list[tuple[Fraction, Fraction]] | None:
    """The paper's four corners (top-left, top-right, bottom-right, bottom-left) in image pixels,
    when the photo shows a sheet against a darker table confidently; else None."""
    small, step = _probe(image)
    level, low, high = _otsu(small.histogram())
    if high - low < MIN_CONTRAST:
        return None
    width, height = small.size
    pixels = small.load()
    # The table is what the photo's frame shows: a frame as light as paper is a scan, left as it is.
    border = sorted([pixels[x, 0] for x in range(width)] + [pixels[x, height - 1] for x in range(width)]
                    + [pixels[0, y] for y in range(height)] + [pixels[width - 1, y] for y in range(height)])
    if border[len(border) // 2] > level:
        return None
    paper = bytearray(width * height)
    for y in range(height):
        row = y * width
        for x in range(width):
            if pixels[x, y] > level:
                paper[row + x] = 1
    blob = _largest_blob(paper, width, height)
    if blob is None:
        return None
    blob = _grown(blob, pixels, width, height, border[len(border) // 2] + MIN_CONTRAST // 2)
    share = Fraction(len(blob), width * height)
    if not PAPER_SHARE[0] <= share <= PAPER_SHARE[1]:
        return None
    # The corners are the blob's extremes along the diagonals.
    tl = min(blob, key=lambda p: p[0] + p[1])
    br = max(blob, key=lambda p: p[0] + p[1])
    tr = max(blob, key=lambda p: p[0] - p[1])
    bl = min(blob, key=lambda p: p[0] - p[1])
    quad = [tl, tr, br, bl]
    area = _area(quad)
    if area <= 0 or Fraction(len(blob)) / area < MIN_FILL or len(blob) > area * Fraction(105, 100) + 4 * (width + height):
        return None
    if not _convex(quad):
        return None
    corners = [(Fraction(x * step) + Fraction(step, 2), Fraction(y * step) + Fraction(step, 2)) for x, y in quad]
    return corners


def _largest_blob(mask: bytearray, width: int, height: int) -> list[tuple[int, int]] | None:
    seen = bytearray(width * height)
    best: list[tuple[int, int]] = []
    for start in range(width * height):
        if not mask[start] or seen[start]:
            continue
        seen[start] = 1
        queue = deque([start])
        blob = []
        while queue:
            at = queue.popleft()
            x, y = at % width, at // width
            blob.append((x, y))
            for near, ok in ((at - 1, x > 0), (at + 1, x < width - 1), (at - width, y > 0), (at + width, y < height - 1)):
                if ok and mask[near] and not seen[near]:
                    seen[near] = 1
                    queue.append(near)
        if len(blob) > len(best):
            best = blob
    return best or None


STEP = 24
"""Gray levels between neighbouring pixels of the shrunk photo within which the paper goes on: a
shadow darkens the sheet gradually (under 15 a pixel), its edge against the table is a jump."""


def _grown(blob, pixels, width: int, height: int, floor: int) -> list[tuple[int, int]]:
    """The bright part of the sheet grown into its shadowed part: neighbours that change gradually."""
    inside = bytearray(width * height)
    for x, y in blob:
        inside[y * width + x] = 1
    queue = deque(blob)
    grown = list(blob)
    while queue:
        x, y = queue.popleft()
        here = pixels[x, y]
        for nx, ny in ((x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)):
            if 0 <= nx < width and 0 <= ny < height and not inside[ny * width + nx] \
                    and pixels[nx, ny] > floor and abs(pixels[nx, ny] - here) < STEP:
                inside[ny * width + nx] = 1
                grown.append((nx, ny))
                queue.append((nx, ny))
    return grown


def _area(quad) -> Fraction:
    total = 0
    for (x1, y1), (x2, y2) in zip(quad, quad[1:] + quad[:1]):
        total += x1 * y2 - x2 * y1
    return Fraction(abs(total), 2)


def _convex(quad) -> bool:
    signs = set()
    for i in range(4):
        (x1, y1), (x2, y2), (x3, y3) = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        cross = (x2 - x1) * (y3 - y2) - (y2 - y1) * (x3 - x2)
        if cross == 0:
            return False
        signs.add(cross > 0)
    return len(signs) == 1


def _length(a, b) -> Fraction:
    from math import isqrt

    square = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
    return Fraction(isqrt(int(square * 10000)), 100)


def unwarp(image, quad, dpi: Real) -> tuple[object, Real]:
    """The sheet inside `quad` warped onto an upright rectangle of its measured size (a letter
    page's proportions when it is near them), and the resolution that gives."""
    from PIL import Image

    from megaroth.importers.scan_image import READ_DPI

    tl, tr, br, bl = quad
    # The side nearer the camera is foreshortened least: its length is the sheet's.
    wide = max(_length(tl, tr), _length(bl, br))
    high = max(_length(tl, bl), _length(tr, br))
    if wide <= 0 or high <= 0:
        return image, dpi
    # A letter page is warped onto a letter page at the resolution the engine reads best (the photo
    # was shrunk on the guess that its width is the page's, which a table around it belies).
    if abs(high / wide / LETTER - 1) <= ASPECT_SNAP:
        wide, high, dpi = READ_DPI * 17 / 2, READ_DPI * 11, READ_DPI
    elif abs(wide / high / LETTER - 1) <= ASPECT_SNAP:  # a letter page lying sideways
        wide, high, dpi = READ_DPI * 11, READ_DPI * 17 / 2, READ_DPI
    size = (round(wide), round(high))
    target = [(0, 0), (size[0], 0), (size[0], size[1]), (0, size[1])]
    coefficients = perspective(target, quad)
    if coefficients is None:
        return image, dpi
    return image.transform(size, Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=255), dpi


def perspective(target, source) -> list[Fraction] | None:
    """Pillow's PERSPECTIVE coefficients (a..h): each output point (x, y) of `target` is taken from
    ((a·x + b·y + c) / (g·x + h·y + 1), (d·x + e·y + f) / (g·x + h·y + 1)) = its `source` point.
    Four point pairs give eight linear equations, solved exactly; None when they are degenerate."""
    rows = []
    for (x, y), (u, v) in zip(target, source):
        x, y, u, v = Fraction(x), Fraction(y), Fraction(u), Fraction(v)
        rows.append([x, y, Fraction(1), Fraction(0), Fraction(0), Fraction(0), -u * x, -u * y, u])
        rows.append([Fraction(0), Fraction(0), Fraction(0), x, y, Fraction(1), -v * x, -v * y, v])
    return _solve(rows)


def _solve(rows: list[list[Fraction]]) -> list[Fraction] | None:
    """Gauss-Jordan elimination on an augmented n x (n+1) system of Fractions."""
    n = len(rows)
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [value / lead for value in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [row[n] for row in rows]


# --- light -------------------------------------------------------------------------------------


def paper_light(image):
    """The paper's light (the page shrunk, its ink taken out by a max filter, blurred), when it is
    uneven enough to hide values; None for a page evenly lit."""
    from PIL import ImageFilter

    small, _ = _probe(image)
    background = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.BoxBlur(4))
    histogram = background.histogram()
    total = sum(histogram)
    low = _percentile(histogram, total * 5 // 100)
    high = _percentile(histogram, total * 95 // 100)
    if high - low < UNEVEN or high < MIN_LIT:
        return None
    return background


def _percentile(histogram: list[int], rank: int) -> int:
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if seen > rank:
            return level
    return 255


def even_light(image, background):
    """Each pixel divided by the paper's light there: paper white everywhere, ink kept dark."""
    from PIL import Image, ImageMath

    light = background.resize(image.size, Image.BILINEAR)
    evened = ImageMath.lambda_eval(lambda a: a["page"] * 255 / (a["light"] + 1), page=image, light=light)
    return evened.convert("L")


# --- skew --------------------------------------------------------------------------------------

STRAIGHT_TENTHS = 4
"""Tenths of a degree a page may be turned and still be read as it lies: 0.4° across a form moves
a row's end by 4 points, within its box."""
MAX_DEGREES = 8
"""The widest turn searched (a page turned more is not lying on the glass as a scan)."""
COARSE, FINE, FINEST = Fraction(1, 2), Fraction(1, 10), Fraction(1, 40)
"""Degrees between the angles tried: across the range, then around the best, twice. A page left
turned 0.05° still moves a checkbox's rule a pixel and a half into the box across a 200 dpi page."""
SMALL = 600
"""Pixels across the copy the angle is measured on (rules stay a pixel or two thick)."""
BLURRED = 2
"""Degrees at which no rule of a page lying level falls into one row any more: its rows as it lies
must be well sharper than there for the page to be taken as level without the search."""


def _small_ink(image):
    """The page SMALL pixels across, its ink white on black (a rotation then fills with paper, 0)."""
    from PIL import Image

    factor = Fraction(SMALL, image.width)
    small = image.resize((SMALL, max(1, round(image.height * factor))), Image.BILINEAR)
    return small.point(lambda v: 255 if v < 160 else 0)


def rules_angle(image) -> Real | None:
    """Degrees to turn the page (Pillow's rotate, counter-clockwise) to make its ruled and printed
    lines level, or None when no angle stands out (a page without rules or lines).

    Turned by the right angle, a form's horizontal rules and its rows of text each fall into one
    row of pixels, which makes the rows' ink the most uneven (the projection profile); the angle
    is searched on a small copy of the gray page, coarse then fine (0.1 s).

    Why before the engine reads the page: the page's skew was measured from the engine's reading
    (the captions' fit, its lines of words), and a page found turned was turned and read again,
    a second whole-page reading (0.9 s of a 2.6 s page). Measured from the pixels, a page turned
    on the glass is read once, level; the fit and the words still measure what is left."""
    from PIL import Image

    ink = _small_ink(image)

    def score(degrees: Real) -> int:
        turned = ink.rotate(degrees, resample=Image.BILINEAR)
        rows = turned.resize((1, turned.height), Image.BOX).tobytes()
        return sum(v * v for v in rows)

    # Most pages lie level: their rows are sharpest as they lie, sharper than a tenth of a degree
    # either way and well above a page turned 2° (where no rule falls into one row). The search
    # across the range is then spared (0.1 s a page); a page it would have found turned is still
    # found by the fit of its captions, which turns it and reads it again.
    as_it_lies = score(0)
    if as_it_lies > max(score(FINE), score(-FINE)) and as_it_lies * 2 > 3 * max(score(BLURRED), score(-BLURRED)):
        return None
    steps = int(MAX_DEGREES / COARSE)
    coarse = max((score(k * COARSE), k * COARSE) for k in range(-steps, steps + 1))
    fine = max((score(coarse[1] + k * FINE), coarse[1] + k * FINE) for k in range(-5, 6))
    best = max((score(fine[1] + k * FINEST), fine[1] + k * FINEST) for k in range(-3, 4))
    if best[0] <= as_it_lies * Fraction(51, 50):  # nothing better than as it lies
        return None
    return best[1]


def levelled(image) -> tuple[object, Real]:
    """The page turned level by its rules when it lies turned more than STRAIGHT_TENTHS, and the
    degrees it was turned (0 when left as it lies)."""
    degrees = rules_angle(image)
    if degrees is None or abs(degrees) * 10 <= STRAIGHT_TENTHS:
        return image, 0
    return level(image, degrees), degrees


def level(image, degrees: Real):
    """The page turned `degrees` counter-clockwise, grown to keep its corners, on white paper."""
    from PIL import Image

    return image.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor=255)


SKEW_LINES = 5
"""Printed lines whose slopes must agree for the page's skew to be measured from them."""
SKEW_AGREE = Fraction(3, 10)
"""Degrees within which the lines' slopes agree with their median."""


def skew(words) -> Real | None:
    """Degrees the page's printed lines fall to the right (positive: clockwise, as it lies), measured
    from the engine's lines of two or more words: the slope of their words' bottoms, words with a
    descender left out. None when too few lines agree (a page of scattered words).

    For a form the fit of its known captions cannot turn (the Form 5498 is read by its captions'
    rows, which a page turned 2° across its width breaks)."""
    import math

    lines: dict[tuple, list] = {}
    for w in words:
        if w.confidence >= 60 and len(w.text) >= 2 and not any(c in "gjpqy(),;" for c in w.text):
            lines.setdefault(w.line, []).append(w)
    slopes = []
    for row in lines.values():
        if len(row) < 2:
            continue
        row.sort(key=lambda w: w.left)
        first, last = row[0], row[-1]
        span = last.left + last.width // 2 - first.left - first.width // 2
        if span < 12 * max(w.height for w in row):
            continue
        fall = (last.top + last.height) - (first.top + first.height)
        slopes.append(Fraction(math.degrees(math.atan2(fall, span))).limit_denominator(1000))
    if len(slopes) < SKEW_LINES:
        return None
    slopes.sort()
    middle = slopes[len(slopes) // 2]
    agreeing = [s for s in slopes if abs(s - middle) <= SKEW_AGREE]
    if len(agreeing) * 2 < len(slopes) or len(agreeing) < SKEW_LINES:
        return None
    return sum(agreeing) / len(agreeing)


# --- orientation -------------------------------------------------------------------------------


def confident_words(words) -> int:
    return sum(1 for w in words if w.confidence >= 85 and len(w.text) >= 3 and w.text.isalpha())


def orientation(image, seconds: Real) -> int | None:
    """Degrees to turn the page clockwise to stand it up (90, 180, 270) as Tesseract's orientation
    detection says with confidence; 0 when upright; None when it cannot tell or fails."""
    import io

    from megaroth.importers.scan_image import ENGINE

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        # Orientation detection is the engine's option only (its -c setting does not load the osd model).
        done = subprocess.run([ENGINE, "stdin", "stdout", "--psm", "0", "-c", "user_defined_dpi=200"], input=buffer.getvalue(),
                              capture_output=True, timeout=seconds, env=env, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    text = done.stdout.decode("utf-8", "replace")
    turn = re.search(r"Rotate:\s*(\d+)", text)
    sure = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if done.returncode != 0 or not turn or not sure or Fraction(sure.group(1)) < OSD_CONFIDENT:
        return None
    degrees = int(turn.group(1)) % 360
    return degrees if degrees in (0, 90, 180, 270) else None


def upright(image, degrees: int):
    """The image turned `degrees` clockwise, exactly (no resampling)."""
    from PIL import Image

    turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    return image.transpose(turn[degrees]) if degrees in turn else image


SIDEWAYS = Fraction(1)
"""A page whose rows of pixels are less uneven than its columns (this share of them) lies
sideways: its printed lines run down the page. Rows over columns, measured: the IRS 1099-R at
150-300 dpi, gray or 1-bit, upright 7.1 (the form cut out of its page 1.8-2.3; the IRS fillable
page of copies 1.6), turned 90° or 270° 0.16 (cut out, 0.37-0.59); Form 5498 6.6 and 0.18;
statements and Form 1040 pages 5.7-16. A page taken for sideways wrongly costs one orientation
detection, which says it is upright."""


def _unevenness(profile: bytes) -> Fraction:
    """The variance of a profile's ink (one value per row or column, 0-255)."""
    mean = Fraction(sum(profile), len(profile))
    return sum((v - mean) ** 2 for v in profile) / len(profile)


def lies_sideways(image) -> bool:
    """True when the page's lines run down it rather than across: its rows of pixels are far less
    uneven than its columns (the projection profiles of the printed lines and rules)."""
    from PIL import Image

    ink = _small_ink(image)
    rows = _unevenness(ink.resize((1, ink.height), Image.BOX).tobytes())
    columns = _unevenness(ink.resize((ink.width, 1), Image.BOX).tobytes())
    return columns > 0 and rows < columns * SIDEWAYS


def stood_up(image, seconds: Real):
    """A page lying sideways stood up before it is read, as the engine's orientation detection says
    (90° or 270°); otherwise the page as it is. Returns (image, engine seconds spent).

    Why before the first reading: a sideways page was read once lying (a second of the engine's
    time for a few words), then asked its orientation and read again. The pixels tell that a page
    lies sideways, not which way up; the detection (a third of the reading's time) tells that. A
    page upside down looks as an upright one does here: `read_upright` still finds it after reading."""
    import time

    if seconds <= 0 or not lies_sideways(image):
        return image, 0
    started = time.perf_counter()
    degrees = orientation(image, seconds)
    spent = time.perf_counter() - started
    if degrees in (90, 270):
        return upright(image, degrees), spent
    return image, spent


def read_upright(image, words, elapsed: Real, seconds: Real, source, ocr):
    """The page's words read upright: when the first reading finds too few confident words, the
    engine's orientation detection is asked and a turned page is read again, standing up.
    Returns (image, words, engine seconds, degrees turned)."""
    if confident_words(words) >= FEW_WORDS or seconds <= 0:
        return image, words, elapsed, 0
    import time

    started = time.perf_counter()
    degrees = orientation(image, seconds)
    spent = time.perf_counter() - started
    if not degrees or seconds - spent <= 0:
        return image, words, elapsed + spent, 0
    turned = upright(image, degrees)
    again, more = ocr(turned, seconds - spent, source)
    if confident_words(again) <= confident_words(words):
        return image, words, elapsed + spent + more, 0
    return turned, again, elapsed + spent + more, degrees
