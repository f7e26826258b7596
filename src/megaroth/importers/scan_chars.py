"""The engine's confidence in each character of a reading, not only in the word.

Tesseract's confidence in a word is not its least sure character's: an account number whose first
glyph is a "Z" the engine doubts ("Z" or "2") is given 40-75% for the whole word while each of its
other characters is read at 99% (benchmarks/bench_scan_accuracy.py, seed 2025). So the word's
confidence cannot confirm the characters beside a doubtful one; each character's can. The engine
gives them in its hOCR output with `hocr_char_boxes` (x_conf of each ocrx_cinfo).

`read_crops` reads crops stacked on one sheet in one run of the engine, as scan_confirm.read_crops
does, and gives each crop's characters with their confidences.
"""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

WORD = "<span class='ocrx_word'"
BOX = re.compile(r"title='bbox (\d+) (\d+) (\d+) (\d+)")
CHAR = re.compile(r"<span class='ocrx_cinfo' title='x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf ([\d.]+)'>(.*?)</span>", re.DOTALL)


def words_with_chars(image, seconds, psm: int = 11, allowed: str | None = None) -> list[tuple[tuple[int, int, int, int], list[tuple[str, Decimal]]]]:
    """The words the engine reads on the image: each its box (x0, y0, x1, y1) and its characters with
    the engine's confidence (0-100) in each."""
    from megaroth.importers.scan_image import engine_command, run

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    hocr = run(engine_command("stdin", psm, allowed, output="hocr", settings=("hocr_char_boxes=1",)),
               buffer.getvalue(), seconds, None)
    out = []
    # Each word's characters are the ocrx_cinfo spans between its own tag and the next word's.
    for part in hocr.decode("utf-8", "replace").split(WORD)[1:]:
        found = BOX.search(part)
        chars = [(html.unescape(c.group(6)), Decimal(c.group(5))) for c in CHAR.finditer(part)]
        if found and chars:
            out.append((tuple(int(v) for v in found.groups()), chars))
    return out


def read_crops(crops: list, seconds=20, psm: int = 11) -> list[list[tuple[str, Decimal]] | None]:
    """Each crop's characters (its words left to right, without spaces) with the engine's confidence
    in each, read in one run of the engine with the crops stacked (scan_confirm.GAP apart); None for
    a crop where nothing is read, or for all when the engine fails (a second opinion that fails
    leaves the value asked)."""
    from megaroth.importers.scan_confirm import stacked

    if not crops:
        return []
    sheet, bands = stacked(crops)
    try:
        words = words_with_chars(sheet, seconds, psm)
    except Exception:  # the engine failed or ran out of time: no second opinion
        return [None] * len(crops)
    out: list[list[tuple[str, Decimal]] | None] = []
    for low, high in bands:
        inside = sorted((w for w in words if low <= (w[0][1] + w[0][3]) // 2 < high), key=lambda w: w[0][0])
        chars = [c for _, cs in inside for c in cs if c[0].strip()]
        out.append(chars or None)
    return out


CHAR_CONFIDENT = 97
"""The engine's confidence each character a reading confirms must reach (see `agreed`). Measured on
the benchmark's account numbers and TINs (seeds 2025 and 7): a faxed TIN's "5" read "6" at 90% and
"1" read "4" at 95%, a photographed box's rule read "1" at 85-89%; of 117 account numbers, 114 had
two readings whose every character was at 97% or more. (A wrong character is refused by the other
readings, which must all read the same characters: the bar is above every wrong one seen besides.)"""
ENDS = "|[]{}\\/()'`‘’.,:;_-–—~\"!"
"""What a box's rule or a speck beside a value is read as at its ends (an account number begins and
ends with a letter or a digit)."""


def trimmed(chars: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """A reading without the rules and specks read at its ends."""
    start, end = 0, len(chars)
    while start < end and chars[start][0] in ENDS:
        start += 1
    while end > start and chars[end - 1][0] in ENDS:
        end -= 1
    return chars[start:end]


def _key(text: str) -> str:
    return text.upper().replace("Z", "2")


def agreed(readings: list, value: str, doubtful: list[int]) -> Decimal | None:
    """The least confidence of the characters that confirm `value`, or None. A reading confirms it
    when it has the value's characters one for one ("Z" and "2" at the `doubtful` places, decided
    by their glyphs' shapes, either) and each of the others at CHAR_CONFIDENT; a reading with one
    "Z"/"2" glyph read as two characters ("Z292-…" for "Z92-…": the engine's commonest reading of a
    "Z" before a "9") is taken with one of the two left out; a reading of any other characters, at
    any confidence, refuses the value. Two readings must confirm it."""
    sure = []
    for reading in readings:
        if reading is None:
            continue
        chars = trimmed(reading)
        text = "".join(c for c, _ in chars)
        if len(text) == len(value) + 1 and doubtful:
            # A doubtful glyph read twice: the pair's first character left out (the place stays doubtful).
            for i in range(len(text) - 1):
                if i in doubtful and text[i:i + 2].upper() in ("2Z", "Z2", "22") and \
                        _key(text[:i] + text[i + 1:]) == _key(value):
                    chars = chars[:i] + chars[i + 1:]
                    text = text[:i] + text[i + 1:]
                    break
        if len(text) == len(value) and _key(text) == _key(value):
            if all(c == value[i] for i, (c, _) in enumerate(chars) if i not in doubtful):
                rest = [conf for i, (_, conf) in enumerate(chars) if i not in doubtful]
                if not rest or min(rest) >= CHAR_CONFIDENT:
                    sure.append(min(rest) if rest else Decimal(CHAR_CONFIDENT))
                continue
            return None
        return None
    return min(sure) if len(sure) >= 2 else None
