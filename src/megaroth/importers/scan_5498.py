"""The IRS Form 5498 on a scanned or photographed page, read by its printed captions as the flat
form is (`f5498_layout`), each value accepted only when the engine is confident of it and it
passes the form's checks.

The OCR's words carry their pixel boxes; turned into words in points (y up, as a PDF's) they go
through the same caption reader as a flat PDF's words. Then the scan's rule, the 1099-R scan's
(`scan_1099r`): an amount must be read with cents and confidently, a TIN in its form, box 7 one
known kind checked, the tax year printed beside "Form 5498" read confidently. A value that is
uncertain or fails its check is NOT taken: it is left blank and listed as awaiting confirmation
naming the box ("box 2 reads '10,000.00' … — confirm or correct"); a year that cannot be read
refuses the form, and a form on which no box is read is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Real

from megaroth.importers import scan_5498_grid, scan_confirm
from megaroth.importers.base import RawForm
from megaroth.importers.f5498_layout import _table, numbered_captions, read_words
from megaroth.importers.pdf_words import Word
from megaroth.importers.scan_1099r import CONFIDENT, TEXT_CONFIDENT, _share, _shown
from megaroth.importers.scan_image import OcrWord, ScanPage

MONEY = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
"""An amount with its cents, as the form prints it (a scan's "10,000" may be a lost ".00" or a lost digit)."""
CAP_HEIGHT = Fraction(7, 10)
"""The height of capitals and digits as a share of the font size: a word's pixel height → its size."""
DESCENDERS = set("gjpqy(),;")
DESCENT = Fraction(22, 100)
"""A word's box below its baseline, as a share of its height, when it has a descender (Helvetica:
descent 0.21 of the size, capitals 0.72 above the baseline)."""
STRICT = ("money", "tin", "date", "year", "code", "check", "account")
"""Kinds of box that enter the arithmetic or the match (the account number is what a 5498 is matched
to its 1099-R by): read at the CONFIDENT bar; names at TEXT_CONFIDENT, as on the 1099-R scan."""
CONFIRMED = ("money", "tin", "account")
"""Kinds of box confirmed by a second reading of the value's crop (scan_confirm)."""
SECOND_CONFIDENT = 60
"""As on the 1099-R scan: an agreeing second reading of digits the page read CONFIDENTly need only reach this."""
YEAR_BELOW, YEAR_RIGHT = 40, 150
"""Points below and right of "Form 5498" where the tax year is printed (read again there when the
page reading missed it: set large, it is what the engine reads worst)."""


@dataclass(frozen=True)
class ScanWord(Word):
    """A word read by the OCR, in points (y up), with its measured width and the engine's confidence."""

    width: Real = 0
    confidence: Decimal = Decimal(0)

    @property
    def x1(self) -> Real:
        return self.x + self.width


def words_in_points(page: ScanPage) -> list[ScanWord]:
    scale = Fraction(72) / Fraction(page.dpi)
    height = page.image.height
    return _run_in([part for w in page.words for part in _ruled_apart(_word(w, scale, height, page.number))])


def _ruled_apart(word: ScanWord) -> list[ScanWord]:
    """A word read across a cell's rule ("347109.14|$": an amount right-aligned against the rule and
    the next cell's "$") parted at the rule, each part at its share of the word's width: read whole,
    it is no amount, and the box looked blank."""
    text = word.text
    if "|" not in text.strip("|"):
        return [word]
    out, start = [], 0
    for part in text.split("|"):
        if part:
            out.append(ScanWord(page=word.page, x=word.x + word.width * start / len(text), y=word.y, size=word.size,
                                text=part, width=word.width * len(part) / len(text), confidence=word.confidence))
        start += len(part) + 1
    return out or [word]


RUN_IN = re.compile(r"^.{1,3}[Il1]RA$")
"""A caption word run into the cell on its left: issuers' software prints the trustee's caption
("…city or town, state or") up to box 1's number, and the engine reads "or 1 IRA" as one word
("drIRA")."""


def _run_in(words: list[ScanWord]) -> list[ScanWord]:
    """Box 1's caption number and first word split off a word that ran into them, when the rest of
    the caption follows on the row ("contributions (other than"): the caption is found, and what
    its box holds is read and checked as any other's (unsplit, box 1 could only be asked)."""
    out = []
    for n, word in enumerate(words):
        after = [w for w in words[n + 1:n + 3] if w.same_row(word)]
        if (RUN_IN.match(word.text) and len(after) == 2 and after[0].text.lower() == "contributions"
                and after[1].text.lower() == "(other" and 0 <= after[0].x - word.x1 <= word.size):
            ira = word.width * 3 / len(word.text)
            left = word.x1 - ira
            gap = word.size * Fraction(5, 6)  # "1 " at the caption's size
            out.append(ScanWord(page=word.page, x=left - gap, y=word.y, size=word.size, text="1",
                                width=word.size / 2, confidence=word.confidence))
            out.append(ScanWord(page=word.page, x=left, y=word.y, size=word.size, text="IRA", width=ira,
                                confidence=word.confidence))
            continue
        out.append(word)
    return out


def _word(w: OcrWord, scale: Real, height: int, number: int, dx: int = 0, dy: int = 0) -> ScanWord:
    # A cell's rule beside a box number is read into it ("[2", "|10"), a speck before a word as a
    # quote ("‘Account"): not characters of the caption.
    text = w.text.lstrip("[|‘'`").rstrip("]|") or w.text
    # The engine's box reaches below the baseline when the word has a descender ("City", "(see"):
    # the form's places are baselines, and a caption a few points low is taken for the one below.
    below = w.height * DESCENT if any(c in DESCENDERS for c in text) else 0
    return ScanWord(page=number, x=(w.left + dx) * scale, y=(height - (w.top + dy) - w.height + below) * scale,
                    size=(w.height - below) * scale / CAP_HEIGHT, text=text, width=w.width * scale,
                    confidence=w.confidence)


def recognised(page: ScanPage, seconds: Real, source=None) -> ScanPage | None:
    """The page to read if it is the IRS Form 5498 — its number and enough of its captions read — as it lies, or
    turned straight by its ruled lines (a page turned 3-5° whose captions the engine reads into each other's rows);
    None when it is not one. `seconds`: the engine's budget for reading a turned page again (Limits)."""
    _, _, least = _table()
    if not any(w.text == "5498" for w in page.words):
        return None
    if numbered_captions(words_in_points(page)) >= least:
        return page
    straight = _straightened(page, seconds, source)
    return straight if straight is not None and numbered_captions(words_in_points(straight)) >= least else None


TURNED = Fraction(2, 5)
"""Degrees the fitted grid may lie turned and the page still be read as it lies (a cell's rule
cut at a slant by a value's crop, a row of captions broken)."""


def _straightened(page: ScanPage, seconds: Real, source) -> ScanPage | None:
    from megaroth.errors import InputError
    from megaroth.importers import scan_5498_turned

    try:
        return scan_5498_turned.straightened(page, seconds, source)
    except InputError:  # turning is a second chance: the engine out of time or failing, the page is read as it lies
        return None


def read_page(page: ScanPage, name: str, seconds: Real, source=None) -> RawForm:
    """The scanned Form 5498's boxes: accepted values, those awaiting a person, or the refusal. `seconds`: the
    engine's budget for reading the page again turned straight (Limits.max_scan_seconds)."""
    from megaroth.importers.f5498_layout import _find

    _, _, least = _table()
    words = words_in_points(page)
    grid = scan_5498_grid.fit(_find(words).captions)
    if numbered_captions(words) < least or grid is None or abs(grid.degrees) > TURNED:
        # Not read as it lies well enough for the grid, or the grid lies turned: turned straight by its
        # rules, if that reads better.
        straight = _straightened(page, seconds, source)
        if straight is not None:
            found = _find(words_in_points(straight))
            fitted = scan_5498_grid.fit(found.captions)
            if len({c.spec.box for c in found.captions if c.spec.number}) >= least and (
                    fitted is not None or grid is None):
                page, grid = straight, fitted
    words = words_in_points(page)
    again = _year_again(page, words)
    if again:  # the crop's reading of the year stands for the page's uncertain one
        words = [w for w in words if not (re.fullmatch(r"20\d\d", w.text) and w.confidence < CONFIDENT)] + again
    placed: list[str] = []
    if grid is not None:  # a caption not read keeps its box, placed where the grid prints it
        words, placed = scan_5498_grid.placed_captions(words, _find(words), grid, ScanWord)
    record, assigned = read_words(words, page.number)
    specs = {spec.box: spec for spec in _table()[0]}
    scan: dict[str, dict] = {}
    awaiting: dict[str, str] = {}

    def ask(box: str, read: str, confidence: Real, why: str) -> None:
        read = _shown(box, read)
        scan[box] = {"read": read, "confidence": _share(confidence), "accepted": False, "confirmed": False}
        awaiting[box] = f"{named(box)} reads {read!r} {why} — confirm or correct"

    _trustee(record, assigned, specs)
    # A box the caption reader could not take (two amounts, not an amount) is asked, not the form refused.
    for message in list(record.errors):
        match = re.match(r"^(box_\w+|\w+_tin): (.*)$", message, re.S)
        if match and match.group(1) in specs:
            record.errors.remove(message)
            ask(match.group(1), " ".join(w.text for w in assigned.get(match.group(1), [])) or "marks",
                _least(assigned.get(match.group(1), [])), f"({match.group(2)})")
    items = []
    for box, value in list(record.values.items()):
        spec = specs.get(box)
        if spec is None or spec.kind in ("kinds",) or box in ("participant_street", "participant_city"):
            continue
        read = [w for w in assigned.get(box, []) if w.text not in ("$", "|")]
        # The value's own words (a stray mark read in the box's column is not part of it).
        read = [w for w in read if w.text.strip("$|") and w.text.strip("$|") in str(value)] or read
        items.append((box, str(value), read, _least(read), spec))
    if grid is not None:
        # A value the caption reader did not give its box (read beside a rule, given to a neighbour's
        # caption) but printed in the box's cell: confirmed from its crops as any other.
        for box, value, read in _cell_values(words, grid, record, specs, awaiting):
            record.values[box] = value
            items.append((box, value, read, _least(read), specs[box]))
    # What enters the arithmetic or the match, read confidently by the page, is read a second time
    # from its own crop (scan_confirm; the 1099-R scan's rule): all of them in one run of the engine,
    # the account number twice (gray, and black and white), as its letters are read as digits.
    # A value the page read less confidently is read so too, gray and black and white, and taken only
    # when both crops read it alike at the CONFIDENT bar (three readings agreeing).
    # Of a fax, a third: its specks taken out by a wider median (each of the three reads some boxes
    # worst), two of the three to agree.
    spans = {n: _span(grid, items[n][0], items[n][2]) for n in range(len(items))}
    speckled = _speckled(page.image)
    confirm = [(n, variant) for n, (_, _, read, confidence, spec) in enumerate(items)
               if spec.kind in CONFIRMED and read
               for variant in ((GRAY, BLACK_WHITE, WIDER) if speckled else (GRAY, BLACK_WHITE)
                               if spec.kind in ("account", "money") or confidence < CONFIDENT else (GRAY,))]
    seconds: dict[int, list] = {}
    for (n, _), reading in zip(confirm, _read_crops([_crop(page, items[n][2], variant, spans[n], speckled)
                                                                 for n, variant in confirm])):
        seconds.setdefault(n, []).append(reading)
    for n, (box, value, read, confidence, spec) in enumerate(items):
        why = None
        if grid is not None and not scan_5498_grid.inside(grid, box, read):
            # Given to this box's caption, but printed in another cell of the grid (a caption placed
            # a point off its row took its neighbour's amount): never taken. Printed in no cell at
            # all (the footer under the form, given to the last row's caption): no box's value.
            record.values.pop(box)
            record.fields.pop(box, None)
            if any(scan_5498_grid.inside(grid, other, [w]) for w in read for other in scan_5498_grid.cells()):
                ask(box, value, confidence, "(read outside its cell on the form's grid)")
            continue
        if spec.kind in CONFIRMED and n in seconds:
            agreeing = [r for r in seconds[n] if r is not None and scan_confirm.same(_clean(r[0], spec.kind), value)]
            if spec.kind == "account" or confidence < CONFIDENT:
                sure = [r[1] for r in agreeing if r[1] >= CONFIDENT]
                if len(sure) == 1:  # one crop read it alike, not the other: the crop read as one line decides
                    line = _again(page, read, value, span=spans[n], speckled=speckled)
                    if line >= CONFIDENT:
                        sure.append(line)
                taken = len(sure) >= 2
                if taken:
                    confidence = min(sure)
                elif spec.kind == "account":
                    by_chars = _account_by_chars(page, read, value, seconds[n], spans[n], speckled)
                    if by_chars is not None:
                        taken, confidence = True, by_chars
            else:
                taken = any(r[1] >= SECOND_CONFIDENT for r in agreeing) or _again(
                    page, read, value, span=spans[n], speckled=speckled) >= CONFIDENT
            wider = _lost_lead(value, seconds[n], lambda amount, read=read, span=spans[n]: _again(
                page, read, amount, span=span, speckled=speckled, whole=True)) if not taken and spec.kind == "money" and grid is not None else None
            if wider is not None:
                # The page's word left out the amount's first digits (a blur, a slant), which both
                # readings of the whole cell hold: the cell's amount, the page's its last digits.
                value, confidence, taken = wider[0], wider[1], True
                record.values[box] = value
            if not taken:
                other = seconds[n][0]
                why = (f"(read again alike at {other[1] / 100:.0%}: not confidently enough to take unread)"
                       if agreeing else f"(a second reading of the box alone reads "
                       f"{other[0] if other else 'nothing'!r}: one of them is misread)")
        elif confidence < CONFIDENT and spec.kind in STRICT and spec.kind != "account":
            confidence = max(confidence, _again(page, read, value, span=spans[n], speckled=speckled))
        bar = CONFIDENT if spec.kind in STRICT else TEXT_CONFIDENT
        if spec.kind == "money" and not MONEY.match(value):
            record.values.pop(box)
            ask(box, value, confidence, "(not an amount with cents)")
        elif confidence < bar:
            record.values.pop(box)
            ask(box, value, confidence, f"with the engine's confidence {confidence / 100:.0%}, too low to take unread")
        elif why:
            record.values.pop(box)
            ask(box, value, confidence, why)
        else:
            scan[box] = {"read": _shown(box, value), "confidence": _share(confidence), "accepted": True,
                         "confirmed": False}
        if box not in record.values:
            record.fields.pop(box, None)
    def take(box: str, value: str, confidence: Real) -> None:
        record.values[box] = value
        scan[box] = {"read": _shown(box, value), "confidence": _share(confidence), "accepted": True,
                     "confirmed": False}

    _unread_ink(page, words, record, specs, awaiting, ask, grid, take, speckled)
    _read_not_taken(words if grid is not None else None, assigned, record, specs, awaiting, ask, grid)
    _kinds(page, record, assigned.get("kinds", []), scan, ask, grid)
    year = assigned.get("tax_year", [])
    if not year or _least(year) < CONFIDENT:
        shown = f"reads {year[0].text} with the engine's confidence {_least(year) / 100:.0%}" if year \
            else "cannot be read"
        record.errors.append(f"the tax year printed beside \"Form 5498\" {shown} (page {page.number}); megaroth "
                             "reads a scanned Form 5498 only when its year is read on it")
    amounts = [b for b in record.values if b.startswith("box_") and not b.startswith("box_7_")]
    if not amounts and not awaiting and not any("no box of the Form 5498" in e for e in record.errors):
        record.errors.append(f"no box of the Form 5498 could be read on page {page.number} of the scan; megaroth "
                             "does not import a Form 5498 with no box read: type its boxes into a case file")
    record.scan = scan
    record.awaiting = awaiting
    for box in awaiting:
        record.fields.pop(box, None)
    for box in scan:
        if box in record.values:
            record.fields[box] = f"scan of {name}, page {page.number}, under {named(box)}'s caption " \
                                 "on the IRS Form 5498 layout" + (
                                     " (the caption not read: placed by the form's grid from the captions read)"
                                     if box in placed else "")
    record.taxpayer = {k: record.values[v] for k, v in (("name", "participant_name"), ("tin", "participant_tin"))
                       if record.values.get(v)}
    return record


INKED = Decimal("0.02")
"""Share of dark pixels in an amount's box where no word was read above which something is written
there (as on the 1099-R scan: a fax's speckle leaves under 1%)."""
CELL_DOWN, CELL_ACROSS = 40, 120
UNREAD_ASKED = ("money", "tin", "account")
"""Kinds of box whose value, not read where ink or a word is, is asked rather than taken for blank."""
"""Points an amount's box reaches under its caption and across, when no caption bounds it sooner."""


def _unread_ink(page: ScanPage, words: list[ScanWord], record: RawForm, specs: dict, awaiting: dict, ask,
                grid=None, take=None, speckled: bool = False) -> None:
    """An amount box where no word was read but ink is: asked, never taken for blank (a blank box 2
    reads as no rollover, and the rollover match depends on it) — unless, on the fitted grid, three
    readings of the box's cell read one amount (one TIN) alike, two at the CONFIDENT bar (`_read_cell`)."""
    from megaroth.importers.f5498_layout import _find

    captions = _find(words).captions
    seen = {c.spec.box for c in captions}
    for box, spec in specs.items():
        if spec.kind in UNREAD_ASKED and box not in seen and box not in record.values and box not in awaiting:
            ask(box, "nothing: its caption is not read", 0, "(so neither is what the box holds; blank if empty)")
    per_point = Fraction(page.dpi) / 72
    height = page.image.height
    claimed = {id(w) for c in captions for w in c.words}
    for caption in captions:
        box = caption.spec.box
        if caption.spec.kind not in UNREAD_ASKED or box in record.values or box in awaiting:
            continue
        right = min((c.x for c in captions if c is not caption and c.words[0].same_row(caption.words[0])
                     and c.x > caption.x1), default=caption.x + CELL_ACROSS)
        below = max((c.y for c in captions if c.y < caption.y - 3 and c.x < right and c.x1 > caption.x),
                    default=caption.y - CELL_DOWN)
        if grid is not None and box in scan_5498_grid.cells():
            # The box's own cell, where the grid puts it: not the print under the form (its footer).
            _, _, right, bottom = scan_5498_grid.cell_on_page(grid, box)
            below = bottom - 4
        x0, x1 = int(caption.x * per_point) + 2, int(right * per_point) - 2
        y0, y1 = height - int((caption.y - 2) * per_point), height - int((below + 8) * per_point)
        if x1 - x0 < 8 or y1 - y0 < 8:
            continue
        if caption.spec.kind != "money":
            # A TIN or an account number printed under its caption but not taken as its value (a
            # word the rows did not give it): asked, never taken for a box left blank.
            stray = [w for w in words if id(w) not in claimed and any(c.isdigit() for c in w.text)
                     and caption.x - 2 <= w.x < right and below + 2 < w.y < caption.y - 2]
            if stray:
                ask(box, " ".join(w.text for w in stray), _least(stray), "(printed under its caption but not read as "
                    "its value)")
                continue
        crop = page.image.crop((x0, y0, x1, y1)).copy()
        if speckled:  # a fax's specks are not ink written in the box (they inked a blank box 1 2.1%)
            crop = _despeckled(crop)
        from PIL import ImageDraw

        draw = ImageDraw.Draw(crop)
        for w in page.words:  # what was read (the "$", a caption's second line) is not an unread value
            if w.confidence < TEXT_CONFIDENT:
                continue  # a stain or a scrawl, read as "|:", is what this looks for
            draw.rectangle((w.left - x0 - 1, w.top - y0 - 1, w.left + w.width - x0 + 1, w.top + w.height - y0 + 1),
                           fill=255)
        dark = _dark(crop)
        share = Decimal(dark) / Decimal(crop.width * crop.height)
        if share >= INKED:
            got = None
            if grid is not None and take is not None and box in scan_5498_grid.cells():
                got = _read_cell(page, grid, box, caption.spec.kind, caption.y, speckled)
            if got is not None:
                take(box, *got)
            else:
                ask(box, "marks no text was read from", 0, f"({share:.1%} of the box inked)")


CELL_TEXT = 6
"""Points high a box's value's digits are printed (8-9 point type): what its crop is enlarged by."""


def _read_cell(page: ScanPage, grid, box: str, kind: str, caption_y, speckled: bool) -> tuple[str, Decimal] | None:
    """The amount (TIN) in a box's cell that the page did not read at all (a blurred TIN): the cell
    under its caption read three ways (gray and black and white, as sparse text; gray as one line),
    taken only when all three read one word of the box's form (an amount with cents, a TIN) alike,
    two of them at the CONFIDENT bar and none under TEXT_CONFIDENT; else None (the box is asked)."""
    from megaroth.importers.text_forms import TIN

    if kind not in ("money", "tin"):
        return None
    left, _, right, bottom = scan_5498_grid.cell_on_page(grid, box)
    per_point = Fraction(page.dpi) / 72
    height = page.image.height
    inset = DOLLAR if kind == "money" else 1
    area = (max(0, int((_points(left) + inset) * per_point)), max(0, height - int((caption_y - 2) * per_point)),
            min(page.image.width, int((_points(right) - 1) * per_point)),
            min(height, height - int((_points(bottom) - 1) * per_point)))
    if area[2] - area[0] < 8 or area[3] - area[1] < 8:
        return None
    crop = page.image.crop(area)
    crop = scan_confirm.unruled(_despeckled(crop) if speckled else crop)
    text_height = Fraction(CELL_TEXT) * per_point
    gray = scan_confirm.scaled(crop, text_height)
    black = scan_confirm.binarized(scan_confirm.scaled(crop, text_height, scan_confirm.TARGET_HEIGHT + 8))
    readings = [r for r in _read_crops([gray, black]) if r is not None]
    readings.append(_line(gray))
    texts = {_clean(text, kind).lstrip("$") for text, _ in readings}
    sure = [c for _, c in readings if c >= CONFIDENT]
    # Three readings alike, two of them sure: as a value the page read is taken (the page's reading,
    # whatever its confidence, and two crops' at the bar); the third here at least a name's bar.
    if len(readings) != 3 or len(texts) != 1 or len(sure) < 2 or any(c < TEXT_CONFIDENT for _, c in readings):
        return None
    text = texts.pop()
    if re.search(r"\s", text) or not (MONEY.match(text) if kind == "money" else TIN.fullmatch(text)):
        return None
    return text, min(sure)


def _line(crop) -> tuple[str, Decimal]:
    """The crop read as one line of text (psm 7), framed in white: its text and least confidence."""
    from PIL import Image

    from megaroth.importers.scan_image import ocr

    framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    framed.paste(crop, (20, 20))
    try:
        words, _ = ocr(framed, 10, None, psm=7)
    except Exception:  # noqa: BLE001 - a reading that fails is no reading: the box is asked
        return "", Decimal(0)
    words = [w for w in words if w.text.strip(scan_confirm.SPECKS + "$")]
    return " ".join(w.text for w in words), min((w.confidence for w in words), default=Decimal(0))


def _cell_values(words: list[ScanWord], grid, record: RawForm, specs: dict, awaiting: dict) -> list:
    """(box, value, its words) for each box of an amount, a TIN or an account number holding no value
    whose cell on the fitted grid holds words that make one (an amount with cents, a TIN, an account
    number), the caption's own words left out."""
    from megaroth.importers.account_number import clean_account_number
    from megaroth.importers.f5498_layout import _norm, _rows
    from megaroth.importers.text_forms import TIN

    taken = {id(w) for w in words if any(w.text == str(v) for v in record.values.values())}
    found = []
    for box, spec in specs.items():
        if spec.kind not in UNREAD_ASKED or box in record.values or box in awaiting or box not in scan_5498_grid.cells():
            continue
        inside = [w for w in words if id(w) not in taken and w.confidence > 0 and _norm(w.text) not in spec.vocabulary
                  and w.text.strip("$|") and scan_5498_grid.inside(grid, box, [w], margin=0)]
        read = [w for w in inside if VALUE_LIKE.search(w.text)]
        if not read:
            continue
        text = " ".join(w.text.strip("$|") for w in read)
        if spec.kind == "money":
            value = text if MONEY.match(text) else None
        elif spec.kind == "tin":
            match = TIN.fullmatch(text)
            value = match.group(1) if match else None
        else:
            rows = _rows(read)
            value = clean_account_number(" ".join(w.text for w in rows[0])) if len(rows) == 1 else None
        if value:
            found.append((box, value, read))
    return found


VALUE_LIKE = re.compile(r"\d{3}|\d[.,]\d")
"""A word that may be (part of) an amount, a TIN or an account number, not a caption's "14a)"."""


def _read_not_taken(words: list | None, assigned: dict, record: RawForm, specs: dict, awaiting: dict, ask,
                    grid=None) -> None:
    """A box of an amount, a TIN or an account number where digits were read but no value taken (a
    word the caption reader could not make an amount of, or gave to another caption): asked, never
    taken for a box left blank. With the form's grid, the words are those printed in the box's cell,
    whoever they were given to; without it, those given to its caption."""
    from megaroth.importers.f5498_layout import _norm

    for box, spec in specs.items():
        if spec.kind not in UNREAD_ASKED or box in record.values or box in awaiting:
            continue
        if grid is not None and words is not None and box in scan_5498_grid.cells():
            found = [w for w in words if scan_5498_grid.inside(grid, box, [w])]
        else:
            found = assigned.get(box, [])
        read = [w for w in found if VALUE_LIKE.search(w.text) and _norm(w.text) not in spec.vocabulary]
        if read:
            ask(box, " ".join(w.text for w in read), _least(read), "(read in its box but not as its value)")


KIND_LABELS = ("IRA", "SEP", "SIMPLE", "Roth IRA")
"""Box 7's labels as the form prints them, left to right."""
KIND_GAP = 30
"""Points right of a box 7 label where its check mark is drawn (up to the next label)."""
MARKED, UNMARKED = Fraction(3, 10), Fraction(1, 10)
"""Dark pixels beside a label, in squares of the label's height: from MARKED a mark (a 9-point X
is ~1 square), under UNMARKED nothing (a fax's speckle); between, asked."""


def _trustee(record: RawForm, assigned: dict, specs: dict) -> None:
    """The trustee's name: the first line under its caption that prints none of the caption's words
    (a caption word misread, "drIRA", leaves the caption's line to look like a value)."""
    from megaroth.importers.f5498_layout import _norm, _rows

    for box, spec in specs.items():
        if spec.kind != "block" or "trustee_name" not in record.values:
            continue
        for row in _rows(assigned.get(box, [])):
            if not any(_norm(w.text) in spec.vocabulary for w in row):
                record.values["trustee_name"] = " ".join(w.text for w in row)
                return
        record.values.pop("trustee_name")
        record.fields.pop("trustee_name", None)


def _kinds(page: ScanPage, record: RawForm, marks: list[ScanWord], scan: dict, ask, grid=None) -> None:
    """Box 7: exactly one kind of IRA checked; anything else is asked. A check mark is ink, which the
    engine reads as "X", "Xx" or not at all, so it is judged by the dark pixels beside each label."""
    from megaroth.importers.csv_batch import ira_kind_flags

    for flag in [b for b in record.values if b.startswith("box_7_")]:
        record.values.pop(flag)
        record.fields.pop(flag, None)
    inked = _kind_ink(page)
    where = "a mark beside box 7's label {!r} on the scan (page {})"
    if not inked and grid is not None:  # the labels not read: the squares where the grid draws them
        inked = _grid_ink(page, grid)
        where = "a mark in box 7's square for {!r}, placed by the form's grid (page {})"
    checked = [name for name, share in inked if share >= MARKED]
    faint = [name for name, share in inked if UNMARKED <= share < MARKED]
    if len(checked) == 1 and not faint:
        for flag in ira_kind_flags(checked[0])[0]:
            record.values[flag] = True
            record.fields[flag] = where.format(checked[0], page.number)
        return
    if not inked:
        ask("box_7", "no label read", 0, "(its labels IRA, SEP, SIMPLE, Roth IRA are not read)")
    elif not checked and not faint:
        ask("box_7", "no box checked", 0, "(one kind of IRA is checked on every Form 5498)")
    else:
        ask("box_7", ", ".join(checked + [f"a faint mark by {n}" for n in faint]), 50,
            "(not one kind of IRA clearly checked)")


LABEL_SPECKS = "‘’'`.,:;|"
"""What a speck beside a box 7 label is read as."""


def _kind_ink(page: ScanPage) -> list[tuple[str, Fraction]]:
    """Box 7's labels as read (IRA, SEP, SIMPLE, Roth IRA) and the ink beside each."""
    from dataclasses import replace

    # A speck read before or after a label ("‘SIMPLE" on a 300 dpi page) is not of its name; the word's
    # box still holds it, so the ink beside the label before it is measured short of it.
    read = [replace(w, text=w.text.strip(LABEL_SPECKS)) for w in page.words]

    def label(word: OcrWord) -> bool:  # not the captions of boxes 8 and 9 ("SEP contributions")
        return not any(w.text.lower().startswith("contrib") and abs(w.top - word.top) * 2 < word.height
                       and 0 <= w.left - (word.left + word.width) <= 3 * word.height for w in read)

    row = next(((sep, simple) for sep in read if sep.text == "SEP" and label(sep) for simple in read
                if simple.text == "SIMPLE" and label(simple) and simple.left > sep.left
                and abs(simple.top - sep.top) * 2 < sep.height), None)
    if row is None:
        return []
    sep, simple = row
    span = (simple.left - sep.left) * 3
    middle = sep.top * 2 + sep.height  # twice the row's middle: a word's box is taller with a capital or a descender
    words = sorted((w for w in read if abs(w.top * 2 + w.height - middle) < sep.height * 2
                    and sep.left - span <= w.left <= simple.left + span), key=lambda w: w.left)
    labels: list[tuple[str, OcrWord, OcrWord]] = []
    for i, w in enumerate(words):
        if w.text == "Roth" and i + 1 < len(words) and words[i + 1].text == "IRA":
            labels.append(("Roth IRA", w, words[i + 1]))
        elif i + 1 < len(words) and words[i + 1].text.lower().startswith("contrib"):
            continue  # the captions of boxes 8 and 9 ("SEP contributions"), not box 7's labels
        elif w.text in ("SEP", "SIMPLE") or (w.text == "IRA" and not (i and words[i - 1].text == "Roth")):
            labels.append((w.text, w, w))
    if [name for name, _, _ in labels] != list(KIND_LABELS):
        # A label missed or misread ("Roth" unread leaves its "IRA" to look like the first label's):
        # a mark is not given to a label unless every label is read in the form's order.
        return []
    per_point = Fraction(page.dpi) / 72
    found = []
    for n, (name, first, last) in enumerate(labels):
        right = last.left + last.width + 3
        end = min(labels[n + 1][1].left - 3 if n + 1 < len(labels) else page.image.width,
                  right + int(KIND_GAP * per_point))
        h = max(first.height, 8)
        crop = page.image.crop((right, first.top - h // 2, max(end, right + 1), first.top + h + h // 2))
        dark = _dark(crop)
        found.append((name, Fraction(dark, h * h)))
    return found


GRID_MARKED = Fraction(6, 100)
"""Dark share of a box 7 square placed by the grid from which it is marked (a 9-point "X" inks ~15%
of its square and margin); a third of it (MARKED and UNMARKED's ratio: 2%, a fax's speckle is under
1%) is unmarked; between, asked."""
SQUARE_MARGIN = 2
"""Points around a grid-placed square also measured (the fit is good to the grid's tolerance)."""


def _grid_ink(page: ScanPage, grid) -> list[tuple[str, Fraction]]:
    """Box 7's squares where the fitted grid puts them, and the dark share of each."""
    per_point = Fraction(page.dpi) / 72
    height = page.image.height
    found = []
    for name, (left, bottom, right, top) in scan_5498_grid.kind_squares(grid):
        x0 = int((left - SQUARE_MARGIN) * per_point)
        x1 = int((right + SQUARE_MARGIN) * per_point)
        y0 = height - int((top + SQUARE_MARGIN) * per_point)
        y1 = height - int((bottom - SQUARE_MARGIN) * per_point)
        if x0 < 0 or y0 < 0 or x1 > page.image.width or y1 > height or x1 - x0 < 4 or y1 - y0 < 4:
            return []
        found.append((name, Fraction(_dark(page.image.crop((x0, y0, x1, y1))), (x1 - x0) * (y1 - y0))))
    return [(name, share * MARKED / GRID_MARKED) for name, share in found]


def _year_again(page: ScanPage, words: list[ScanWord]) -> list[ScanWord]:
    """The tax year beside "Form 5498", read again from its own crop when the page reading did not
    read it confidently (large type beside small is what the engine misses): the words found there."""
    from PIL import Image, ImageDraw

    from megaroth.importers.scan_image import READ_DPI, ocr

    scale = Fraction(72) / Fraction(page.dpi)
    found: list[ScanWord] = []
    for first, second in zip(page.words, page.words[1:]):
        if first.text.lower() != "form" or second.text != "5498":
            continue
        baseline = (page.image.height - second.top - second.height) * scale
        near = [w for w in words if re.fullmatch(r"20\d\d", w.text) and w.confidence >= CONFIDENT
                and abs(w.x - second.left * scale) <= YEAR_RIGHT and -YEAR_BELOW <= w.y - baseline <= 20]
        if near:
            return []
        box = (max(0, first.left - 10), max(0, first.top - 10), min(page.image.width, first.left + int(YEAR_RIGHT / scale)),
               min(page.image.height, first.top + first.height + int(YEAR_BELOW / scale)))
        crop = page.image.crop(box)
        try:
            # The words read confidently in the crop are whitened first, and the rest of their row
            # to the right (a year in large type near other lines, whose strokes make the engine
            # misread it).
            around, _ = ocr(crop, 10, None, psm=6)
            draw = ImageDraw.Draw(crop)
            tallest = max((w.height for w in around), default=0)
            for w in around:
                # Read confidently, or in the smaller type of the title's lines: not the large year.
                if re.fullmatch(r"20\d\d", w.text) or (w.confidence < TEXT_CONFIDENT and w.height * 10 > tallest * 7):
                    continue
                draw.rectangle((w.left - 2, w.top - 2, w.left + w.width + 2, w.top + w.height + 2), fill=255)
                if w.text.lower() not in ("form", "5498"):
                    draw.rectangle((w.left, w.top + w.height // 3, crop.width, w.top + w.height + 2), fill=255)
            if page.dpi < READ_DPI:  # read at the engine's best size, as the page would have been
                factor = Fraction(READ_DPI) / Fraction(page.dpi)
                crop = crop.resize((int(crop.width * factor), int(crop.height * factor)), Image.LANCZOS)
            again, _ = ocr(crop, 10, None, psm=6)
            again = [OcrWord(w.text, int(w.left / factor), int(w.top / factor), int(w.width / factor),
                             int(w.height / factor), w.confidence) for w in again] if page.dpi < READ_DPI else again
        except Exception:  # a second opinion that fails leaves the year unread: the form is refused
            continue
        found += [_word(w, scale, page.image.height, page.number, box[0], box[1]) for w in again
                  if re.fullmatch(r"20\d\d", w.text)]
    return found


DASHES = "_-—–~ "
"""What a speck or a rule's end beside an amount or a TIN is read as, besides scan_confirm.SPECKS: never
an end of either (an amount ends with its cents, a TIN with a digit; each begins with a digit, an
"X" or "$")."""


def _account_by_chars(page: ScanPage, read: list[ScanWord], value: str, seconds: list, span, speckled: bool) -> Decimal | None:
    """An account number every second reading read alike, but not CONFIDENTly as a word: confirmed by
    the engine's confidence in each of its characters (scan_chars: its crops gray, black and white and
    larger, two at CHAR_CONFIDENT each, none reading other characters); a "1-bit" page's
    "IRA-933-5949" was read alike at 75% as a word, each character at 96-99%. Not a value with a
    "Z" or a "2" (the engine takes one for the other, sure of either: the 1099-R's account number
    is told by its glyphs' shapes, scan_glyph). The least confirming confidence, or None."""
    from megaroth.importers import scan_chars

    if set("Z2") & set(value.upper()) or not seconds or any(
            r is None or not scan_confirm.same(_clean(r[0], "account"), value) for r in seconds):
        return None
    crops = [_crop(page, read, variant, span, speckled) for variant in (GRAY, BLACK_WHITE)]
    crops += [crop.resize((crop.width * 13 // 10, crop.height * 13 // 10)) for crop in crops]
    return scan_chars.agreed(scan_chars.read_crops(crops), value.replace(" ", ""), [])


def _read_crops(crops: list) -> list[tuple[str, Decimal] | None]:
    """scan_confirm.read_crops with a word that is only a speck or a dash ("_", "—": a fax's speck left beside
    an amount) left out of a crop's text and of its least confidence, as a rule and "$" are."""
    return scan_confirm.read_crops(crops, noise=scan_confirm.RULES + scan_confirm.SPECKS + DASHES + "$")


def _clean(text: str, kind: str) -> str:
    """A crop's reading without the specks at its ends (and, of an amount or a TIN, the dashes)."""
    text = scan_confirm.clean(text)
    return text.strip(DASHES + scan_confirm.SPECKS) if kind in ("money", "tin") else text


LOST_LEAD = 3
"""Digits in front of an amount a blurred page's word may lose (a thousands' group: "746.88" of
"465,746.88"), which two readings of the whole cell may give back."""


def _lost_lead(value: str, readings: list, again) -> tuple[str, Decimal] | None:
    """The amount two readings of the whole cell read alike at the CONFIDENT bar (one word, an
    amount with cents; of the gray crop, the black and white one and, `again(amount)`, the crop
    read as one line) when the page's reading is its end with up to LOST_LEAD digits lost in front
    ("1,642.14" of "41,642.14"); else None."""
    sure = [(_clean(r[0], "money").lstrip("$"), r[1]) for r in readings if r is not None and r[1] >= CONFIDENT]
    if not sure:
        return None
    amount = sure[0][0]
    digits, page = amount.replace(",", ""), value.replace(",", "")
    if not MONEY.match(amount) or re.search(r"\s", amount) or not (
            digits.endswith(page) and 1 <= len(digits) - len(page) <= LOST_LEAD):
        return None
    if ("," in amount) != ("," in value) and len(page.split(".")[0]) > 3:
        return None  # printed with thousands' commas or without: the same on the page and in the cell
    alike = [c for text, c in sure if text == amount]
    if len(alike) < 2:
        line = again(amount)
        if line >= CONFIDENT:
            alike.append(line)
    return (amount, min(alike)) if len(alike) >= 2 else None


DOLLAR = 9
"""Points right of an amount cell's left rule where its value may start (the "$" printed before)."""


def _span(grid, box: str, words: list[ScanWord]) -> tuple[Real, Real, Real | None] | None:
    """Left and right (in points) of a value's crop for its second readings, and the lowest it may
    reach: its box's cell when the form's grid is fitted (down to a point under its bottom rule: not
    the caption of the box below), else its words' and a character more each side. Never the
    words' box alone: a blur's first digit the page left out of the word ("11,861.68" for
    "211,861.68") is left out of a crop cut to it, and the crop read the same wrong amount alike."""
    if not words:
        return None
    if grid is not None and box in scan_5498_grid.cells():
        left, _, right, bottom = scan_5498_grid.cell_on_page(grid, box)
        inset = DOLLAR if re.fullmatch(r"box_\d+", box) else 1  # boxes 1-10: amounts, a "$" at their left
        return (_points(left) + inset, _points(right) - 1, _points(bottom) - 1)
    size = max(w.size for w in words)
    return min(w.x for w in words) - size * CAP_HEIGHT, max(w.x1 for w in words) + size * CAP_HEIGHT, None


def _points(value: Real) -> Fraction:
    return Fraction(value).limit_denominator(1000)


def _box(page: ScanPage, words: list[ScanWord], span=None) -> tuple[tuple[int, int, int, int], int]:
    """A value's crop on the page in pixels (its words' rows, `span` across, with a margin) and its text height."""
    scale = Fraction(page.dpi) / 72
    height = page.image.height
    top = min(height - int((w.y + w.size * CAP_HEIGHT) * scale) - 1 for w in words)
    bottom = max(height - int(w.y * scale) + 1 for w in words)
    pad = (bottom - top) // 3 + 2
    left = int(span[0] * scale) if span else min(int(w.x * scale) for w in words) - pad
    right = int(span[1] * scale) if span else max(int(w.x1 * scale) + 1 for w in words) + pad
    lowest = bottom + pad
    if span and span[2] is not None:
        lowest = min(lowest, max(bottom + 2, height - int(span[2] * scale)))
    return (max(0, left), max(0, top - pad), min(page.image.width, right), min(height, lowest)), bottom - top


GRAY, BLACK_WHITE, WIDER = 0, 1, 2
"""A value's crops for its second readings: gray, black and white, and (a fax's) a wider median's."""


def _crop(page: ScanPage, words: list[ScanWord], variant: int = GRAY, span=None, speckled: bool = False):
    """A value's words (in points) cropped from the page with a margin, enlarged for a second reading;
    of a speckled page (a fax), its lone pixels taken out first (WIDER: and a 3-pixel median once
    enlarged, a digit's strokes then thicker than what is left of a speck)."""
    from PIL import ImageFilter

    box, text_height = _box(page, words, span)
    crop = page.image.crop(box)
    if speckled:
        crop = _despeckled(crop)
    crop = scan_confirm.scaled(scan_confirm.unruled(crop), Fraction(text_height),
                               scan_confirm.TARGET_HEIGHT + (8 if variant == BLACK_WHITE else 0))
    if variant == WIDER:
        crop = crop.filter(ImageFilter.MedianFilter(3))
    return scan_confirm.binarized(crop) if variant == BLACK_WHITE else crop


def _despeckled(image):
    """The image without its lone pixels: a dark one with no dark neighbour made paper, a light one
    with no light neighbour made ink (a fax's specks, on the paper and in the strokes)."""
    from PIL import ImageChops

    ink = image.point(lambda v: 255 if v < 128 else 0)
    paper = ImageChops.invert(ink)
    alone = ImageChops.multiply(ink, _lone(ink))  # dark pixels alone: to paper
    holes = ImageChops.multiply(paper, _lone(paper))  # light pixels alone: to ink
    return ImageChops.subtract(ImageChops.lighter(image, alone), holes)


def _lone(mask):
    """255 where none of a pixel's eight neighbours is set in the mask."""
    from PIL import ImageFilter

    near = mask.filter(ImageFilter.Kernel((3, 3), [1, 1, 1, 1, 0, 1, 1, 1, 1], scale=8))
    return near.point(lambda v: 255 if v == 0 else 0)


SPECKS_PER_10K = 5
"""Lone dark pixels (no dark neighbour) in 10,000 of a page from which it is speckled: a fax's
speckle leaves ~28, a scan, a photo, a blur or a JPEG under 1 (the benchmark's pages)."""


def _speckled(image) -> bool:
    """Whether the page is speckled as a fax is: lone dark pixels, each with no dark neighbour."""
    from PIL import ImageChops

    ink = image.point(lambda v: 255 if v < 128 else 0)
    alone = ImageChops.multiply(ink, _lone(ink))
    return alone.histogram()[255] * 10_000 >= SPECKS_PER_10K * image.width * image.height


def _again(page: ScanPage, words: list[ScanWord], value: str, psm: int = 7, span=None,
           speckled: bool = False, whole: bool = False) -> Decimal:
    """The engine's confidence in the value read again from the crop of its own words, enlarged,
    as one line (psm 7; one character, psm 10, for a check mark): 0 unless it reads the same characters.
    Within `span`, the words and two characters each side (as one line the engine reads nothing of a
    fax's whole cell, its specks about a value), or the whole span (`whole`: an amount whose first
    digits the page's word left out)."""
    from PIL import Image, ImageFilter

    from megaroth.importers.scan_image import ocr

    if not words:
        return Decimal(0)
    if span and not whole:
        reach = max(w.size for w in words) * CAP_HEIGHT * 2
        span = (max(span[0], min(w.x for w in words) - reach), min(span[1], max(w.x1 for w in words) + reach), span[2])
    box, _ = _box(page, words, span)
    crop = page.image.crop(box)
    crop = scan_confirm.unruled(_despeckled(crop) if speckled else crop)
    crop = crop.resize((crop.width * 2, crop.height * 2), Image.LANCZOS)
    if speckled:
        crop = crop.filter(ImageFilter.MedianFilter(3))
    framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    framed.paste(crop, (20, 20))
    try:
        again, _ = ocr(framed, 10, None, psm=psm)
    except Exception:  # a second opinion that fails leaves the first one asked, as it was
        return Decimal(0)
    # Words that are only a rule, a speck or a dash ("|", "_" beside a fax's amount) are not the value's.
    again = [w for w in again if w.text.strip(scan_confirm.RULES + scan_confirm.SPECKS + DASHES + "$")]
    text = " ".join(w.text for w in again).strip(scan_confirm.SPECKS + DASHES)
    if not again or re.sub(r"[\s$]", "", text) != re.sub(r"[\s$]", "", value):
        return Decimal(0)
    return min(w.confidence for w in again)


def _dark(crop) -> int:
    """Dark pixels in a gray crop, leaving out rows dark most of the way across (a cell's printed rules)."""
    data, width = crop.tobytes(), crop.width
    counts = (sum(1 for v in data[i:i + width] if v < 128) for i in range(0, len(data), width))
    return sum(c for c in counts if c * 5 < width * 3)


def _least(words: list) -> Decimal:
    return min((Decimal(w.confidence) for w in words if hasattr(w, "confidence")), default=Decimal(0))


def _label(box: str) -> str:
    return box.removeprefix("box_") if box.startswith("box_") else box.replace("_", " ")


def named(box: str) -> str:
    """A box as a person finds it on the Form 5498: "box 2", "box 7 (the kind of IRA)", "the participant's TIN"."""
    if box == "box_7":
        return "box 7 (the kind of IRA)"
    if box.startswith("box_"):
        return f"box {_label(box)}"
    return {"participant_tin": "the participant's TIN", "trustee_tin": "the trustee's TIN",
            "participant_name": "the participant's name", "trustee_block": "the trustee's name and address",
            "participant_street": "the participant's street address", "participant_city": "the participant's city",
            "account_number": "the account number"}.get(box, "the " + _label(box))
