"""A custodian's own Form 1099-R statement, scanned or photographed: its OCR words laid out as
the character grid a text PDF gives (`text_forms`), its boxes found under their printed captions
by the same label patterns (`forms/pdf_text_labels.toml`), then each value confirmed on the scan.

The layout: the page's words (leader dots and rules dropped) are put on lines by their height
(a page turned a little is first straightened by the slope its neighbouring words show), the
lines spaced as their gaps are (a paragraph's blank line kept), and each word at the column its
left edge gives over a typical character's width. Every grid cell keeps the word it came from, so
a value found at `Read.span` is traced back to the words the engine read there.

Read, then confirm (the rule of the IRS-layout scans, `scan_1099r`): a value is taken only when
every word under it reaches the engine's confidence `CONFIDENT` (names and addresses
`TEXT_CONFIDENT`) and it passes the form's checks — an amount with its cents, box 2a, 4 and 5 not
above box 1, a code (or pair) of the year's box 7 table, a TIN in its form, a check mark read as
one, the tax year printed on the page and read confidently. Anything else is left blank and
listed awaiting confirmation with what it reads; an amount's place with ink and no amount read is
asked too (a smudge is not a blank box); no year read refuses the form, and box 1 or box 7 in doubt
keeps it off the return until a person types it (model.form1099r_awaiting).

Measured on this project's 2-core machine (Tesseract 5; the statements of fixtures/pdf made into
images by tests/importers/statement_images.py; a box is "right" when it equals the text PDF's
reading of the same statement, which the tests hold to the values written into it). 8 scans — the
two-form statement at 200 dpi gray, 150 dpi JPEG, 300 dpi, turned 1°, 150 dpi JPEG turned -2°,
box 5 smudged; the one-recipient statement; the 2019 table of a row per form: 0.8-2.2 s a page
(1.2 s median, the engine ~0.7 s of it), 155 boxes right, 11 awaiting confirmation, none wrong;
the 200 dpi page read entirely, the 150 dpi JPEG's second form refused for its box 7 read at 77%,
the statement's check marks (✔, read "v") asked when under 85% and the table's small X marks
(not read as words) asked for their ink. Photos of the statement (tests/realforms/photo_images.py's
camera): turned 90° 3.1 s, 18 right, 3 asked (its second form refused naming box 7); a lamp's
gradient 1.9 s, read entirely; at an angle with a hand's shadow 3.2 s, 20 right, 1 asked; none wrong.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from types import SimpleNamespace

from megaroth.importers.base import Extraction, RawForm
from megaroth.importers.pdf_text import _one_recipient
from megaroth.importers.scan_1099r import (CONFIDENT, MONEY, NOT_BELOW, PATTERNS, TEXT_CONFIDENT, _amount, _box,
                                           _codes, _same, _share, _shown, _valid_codes, named, reread)
from megaroth.importers.scan_image import OcrWord, ScanPage
from megaroth.importers.text_forms import (CHECK, MAX_DOWN, Grid, Label, PageReader, Read, TextForm, find_labels,
                                           form_values, label_specs, parse_page)

LEADER = re.compile(r"^[.…·•_,:;'`\-–—=|~+»]+$")
"""What the engine makes of dotted leaders and rules: no character of a value."""
SPECK = Fraction(2, 5)
"""A word less tall than this share of the page's usual word is a speck or a leader's dot read as a
character (a dot read "7"), not text."""
MARKS = {"x", "X", "v", "V", "✓", "✔", "☒", "☑", "■", "✗", "✘", "√"}
"""A check mark as the engine reads the statements' ✔ (its English model has no such glyph: "v")."""
INKED = Decimal("0.08")
"""Share of dark pixels in a character's square, in the upper part of a line where a value is
printed, above which something is written there though no word was read (the leader dots sit
below, at the baseline; a stroke of a digit or a check mark fills a fifth of its square or more)."""
STRICT_KINDS = ("money", "codes", "tin", "year", "date", "percent", "flag")
"""Kinds read at the CONFIDENT bar; names and addresses ("text", "block") at TEXT_CONFIDENT."""


@dataclass
class WordGrid:
    """The page's words on a character grid, each line's cells traced back to their words."""

    grid: Grid
    cells: list[list[tuple[int, int, OcrWord]]]
    """For each grid line: (first column, end column, word)."""
    centers: list[Real | None]
    """Each grid line's centre height in straightened pixels (None for a blank line)."""
    height: Real
    char: Real
    slope: Real

    def words(self, line: int, c0: int, c1: int) -> list[OcrWord]:
        if not 0 <= line < len(self.cells):
            return []
        return [w for a, b, w in self.cells[line] if a < c1 and c0 < b]

    def pixel_x(self, line: int, column: int) -> Real:
        """A grid column's x in the image, from the words of its line (their measured places)."""
        row = self.cells[line] if 0 <= line < len(self.cells) else []
        before = [(a, b, w) for a, b, w in row if a <= column]
        if before:
            a, b, w = before[-1]
            return w.left + w.width + (column - b) * self.char if column >= b else w.left + (column - a) * self.char
        after = [(a, w) for a, b, w in row if a > column]
        return after[0][1].left - (after[0][0] - column) * self.char if after else column * self.char


def _median(values: list[Real], default: Real) -> Real:
    return statistics.median(values) if values else default


def _slope(words: list[OcrWord], height: Real) -> Real:
    """The page's tilt (dy/dx) from each word and its nearest neighbour on the right on its line."""
    slopes = []
    ordered = sorted(words, key=lambda w: w.left)
    for index, a in enumerate(ordered):
        ay = a.top + a.height / 2
        for b in ordered[index + 1:]:
            dx = (b.left + b.width / 2) - (a.left + a.width / 2)
            if b.left < a.left + a.width - 2:
                continue
            if b.left - (a.left + a.width) > 8 * height:
                break
            dy = (b.top + b.height / 2) - ay
            if abs(dy) < height * Fraction(3, 5) and dx > 2 * height and abs(a.height - b.height) <= height / 4:
                slopes.append(dy / dx)
                break
    slope = _median(slopes, 0) if len(slopes) >= 5 else 0
    return slope if abs(slope) > Fraction(3, 1000) else 0


def word_grid(page: ScanPage) -> WordGrid | None:
    """The page's words as a text PDF's layout grid, or None when nothing is read on it."""
    words = [w for w in page.words if not LEADER.fullmatch(w.text)]
    if not words:
        return None
    solid = [w for w in words if len(w.text) >= 2 and any(c.isalnum() for c in w.text)]
    height = _median([w.height for w in solid], 16)
    words = [w for w in words if w.height >= height * SPECK]
    char = _median([w.width / len(w.text) for w in solid if len(w.text) >= 3], height / 2) or 1
    slope = _slope(solid, height)

    def straight(w: OcrWord) -> tuple[Real, Real]:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        return cy - slope * cx, w.left + slope * cy

    placed = sorted(((*straight(w), w) for w in words), key=lambda t: t[0])
    lines: list[list[tuple[Real, OcrWord]]] = []
    centers: list[Real] = []
    for y, x, w in placed:
        if lines and abs(y - centers[-1]) <= height * Fraction(11, 20):
            lines[-1].append((x, w))
            centers[-1] = (centers[-1] * (len(lines[-1]) - 1) + y) / len(lines[-1])
        else:
            lines.append([(x, w)])
            centers.append(y)
    gaps = [b - a for a, b in zip(centers, centers[1:])]
    pitch = sorted(gaps)[len(gaps) // 4] if gaps else height * 2
    left = min(x for line in lines for x, _ in line)
    texts: list[str] = []
    cells: list[list[tuple[int, int, OcrWord]]] = []
    line_centers: list[Real | None] = []
    for index, line in enumerate(lines):
        if index:
            # A wider gap than the page's usual one leaves blank lines, as a text PDF's layout does.
            for _ in range(max(0, math.ceil(gaps[index - 1] / pitch - Fraction(6, 5)))):
                texts.append("")
                cells.append([])
                line_centers.append(None)
        text = ""
        row = []
        end = None
        for x, w in sorted(line, key=lambda t: t[0]):
            word = w.text.strip("_|") or w.text  # a rule under or beside a word is read into it ("1099-R_")
            # A gap wider than a word space parts two runs of text by three spaces at least, as a text
            # PDF's layout does ("etc.   2025"); a word space is one.
            least = 0 if not text else len(text) + (3 if x - end >= char * 3 / 2 else 1)
            column = max(round((x - left) / char), least)
            text = text.ljust(column) + word
            row.append((column, column + len(word), w))
            end = x + w.width
        texts.append(text)
        cells.append(row)
        line_centers.append(centers[index])
    return WordGrid(Grid(page=page.number, lines=texts), cells, line_centers, height, char, slope)


# ---------------------------------------------------------------------------------------------- reading
def read_page(page: ScanPage, name: str) -> tuple[list[RawForm], list[str]]:
    """The statement's forms on a scanned page (each with its boxes accepted or awaiting a person)
    and what is said of them, or no form and the reason (not a statement of Forms 1099-R)."""
    layout = word_grid(page)
    if layout is None:
        return [], []
    from megaroth.importers import scan_statement_5498

    if scan_statement_5498.is_5498_statement(layout):  # a custodian's Form 5498 statement, read as its text is
        return [scan_statement_5498.read_page(page, name, layout)], []
    forms, reason = parse_page(layout.grid)
    if not forms:
        return [], [reason] if reason else []
    reader = PageReader(layout.grid, find_labels(layout.grid))
    records = []
    for index, form in enumerate(forms, start=1):
        locator = f"page {page.number}" + (f", form {index}" if len(forms) > 1 else "")
        records.append(_confirm(page, name, layout, reader, form, locator))
    # A statement printing its one recipient once, above its forms: as its text is read (pdf_text).
    said = Extraction(records=records)
    _one_recipient(SimpleNamespace(name=name), said)
    return records, said.notes


KIND = {}


def _kinds() -> dict[str, str]:
    if not KIND:
        KIND.update({spec.box: spec.kind for spec in label_specs()[0]})
    return KIND


def _role(box: str) -> str:
    if box in ("box_14", "box_15", "box_16"):
        return "state.0." + box
    if box in ("box_17", "box_18", "box_19"):
        return "local.0." + box
    return box


def _confirm(page: ScanPage, name: str, layout: WordGrid, reader: PageReader, form: TextForm,
             locator: str) -> RawForm:
    kinds = _kinds()
    grid = layout.grid
    year, year_problem = _year(page, form)
    codes = _codes(year) if year else None
    scan: dict[str, dict] = {}
    awaiting: dict[str, str] = {}
    accepted: dict[str, Read] = {}
    labels = {}
    for label in form.labels:
        labels.setdefault(label.box, label)

    def caption(box: str) -> str:
        label = labels.get(box)
        return " ".join(grid.lines[label.line][label.c0:label.c1].split()) if label else box

    def ask(box: str, read: str, confidence: Real, why: str) -> None:
        role = _role(box)
        read = _shown(role, read)
        scan[role] = {"read": read, "confidence": _share(confidence), "accepted": False, "confirmed": False}
        awaiting[role] = f"{named(role)} reads {read!r} {why} — confirm or correct"

    for box, read in form.reads.items():
        kind = kinds.get(box, "text")
        label = labels.get(box)
        if read.problem:
            words = _under(layout, read)
            ask(box, read.text or "?", min((w.confidence for w in words), default=0), f"({read.problem})")
            continue
        words = _under(layout, read)
        if kind == "flag" and read.value is False and label is not None:
            # The statements' ✔ is read "v" by the engine: a mark in the label's place is its reading.
            line, c0, c1 = _region(reader, form, label)
            c1 = 10**6 if c1 is None else c1
            words = [w for w in layout.words(line, c0, c1) if not LEADER.fullmatch(w.text)]
            if words:
                read = replace(read, value=True, text=" ".join(w.text for w in words), span=(line, c0, c1))
        if read.value is None or read.value is False:
            if label is not None and kind in ("money", "codes", "flag"):
                _unread(page, layout, reader, form, label, kind, ask)
            continue
        confidence = min((w.confidence for w in words), default=Decimal(0))
        value = read.value
        if kind == "money":
            value = str(value).replace("$", "").replace(" ", "")
            ok, why = bool(MONEY.match(value)), "(not an amount with cents)"
        elif kind == "codes":
            value = str(value).replace(" ", "").upper()
            ok = _valid_codes(value[1:] if re.fullmatch(r"0[1-9]", value) else value, codes)
            why = f"(not a distribution code, or pair of codes, of {year})"
        elif kind == "tin" and box in PATTERNS:
            ok, why = bool(PATTERNS[box].match(str(value))), "(not in the form the box takes)"
        elif kind == "flag":
            ok, why = all(w.text in MARKS for w in words) and bool(words), "(not a check mark)"
        else:
            # Words the grid set apart by their gaps are one name ("SAM   SAMPLE" is "SAM SAMPLE").
            value = "\n".join(" ".join(part.split()) for part in str(value).splitlines())
            ok, why = True, ""
        bar = CONFIDENT if kind in STRICT_KINDS else TEXT_CONFIDENT
        if ok and confidence < bar == CONFIDENT and words:
            # A second, independent reading of the value's own crop, as one line (scan_1099r.reread):
            # taken only when it is confident and reads the same characters as the page did.
            again = reread(page, SimpleNamespace(scale=Fraction(page.dpi) / 72), None, around=words)
            if again is not None and again[1] >= CONFIDENT and _same(again[0], " ".join(w.text for w in words)):
                confidence = again[1]
        shown = "a check mark" if kind == "flag" else (str(value) if kind != "block" else " / ".join(str(value).splitlines()))
        if not ok:
            ask(box, " ".join(w.text for w in words) if kind == "flag" else shown, confidence, why)
        elif confidence < bar:
            ask(box, shown, confidence, f"with the engine's confidence {confidence / 100:.0%}, too low to take unread")
        else:
            where = (f"scan of {name}, page {page.number}: read by OCR under the caption '{caption(box)}' "
                     f"(confidence {confidence / 100:.0%})")
            accepted[box] = replace(read, value=value, where=where)
            scan[_role(box)] = {"read": _shown(_role(box), shown), "confidence": _share(confidence),
                                "accepted": True, "confirmed": False}
    for box, bound in NOT_BELOW:
        if box in accepted and bound in accepted and _amount(accepted[box].value) > _amount(accepted[bound].value):
            read = accepted.pop(box)
            ask(box, str(read.value), scan[box]["confidence"] * 100,
                f"(more than box {_box(bound)}, {accepted[bound].value}: one of them is misread)")
    confirmed = TextForm(page=form.page, labels=form.labels, reads=accepted, row_line=form.row_line,
                         tax_year=year, corrected=form.corrected, void=form.void)
    values, fields, problems = form_values(confirmed)
    errors = [p for p in problems if p.split(":", 1)[0] not in awaiting]
    if year_problem:
        errors.append(year_problem)
    # A box 1 or box 7 awaiting a person keeps the form aside, off the return (model.form1099r_awaiting).
    taxpayer = {k: values[v] for k, v in (("name", "recipient_name"), ("tin", "recipient_tin")) if values.get(v)}
    return RawForm(values=values, locator=locator, fields=fields, tax_year=year, taxpayer=taxpayer, errors=errors,
                   scan=scan, awaiting=awaiting)


def _under(layout: WordGrid, read: Read) -> list[OcrWord]:
    """The OCR words under a value's place on the grid (a block's lines one after another)."""
    if read.span is None:
        return []
    line, c0, c1 = read.span
    count = str(read.value).count("\n") + 1 if isinstance(read.value, str) else 1
    words = []
    for row in range(line, line + count):
        words.extend(w for w in layout.words(row, c0, c1) if not LEADER.fullmatch(w.text))
    return words


def _region(reader: PageReader, form: TextForm, label: Label) -> tuple[int, int, int | None]:
    """Where a label's value is printed on a key-value line (to the page's edge: None), or in its
    column on a table's row."""
    if form.row_line is not None and label.line == form.anchor.line:
        left, right = reader.column(label)
        return form.row_line, left, right
    line, left, right = reader.right_of(label)
    return line, left, right if any(l.c0 >= label.c1 for l in reader.by_line.get(label.line, [])) else None


def _unread(page: ScanPage, layout: WordGrid, reader: PageReader, form: TextForm, label: Label, kind: str,
            ask) -> None:
    """An amount, code or check box where no value was read: words there that are not one (a
    garbled amount) are asked, and so is ink where no word was read (a check mark the engine did
    not see is not an empty box); a clean blank stays blank."""
    line, c0, c1 = _region(reader, form, label)
    here = layout.words(line, c0, 10**6 if c1 is None else c1)
    # Leader dots after the caption: a key-value line, whose value is on it; else the value may be under it.
    on_its_line = any(LEADER.fullmatch(w.text) for w in here) or kind == "flag"
    words = [w for w in here if not LEADER.fullmatch(w.text)]
    start = c0
    row = layout.cells[line] if 0 <= line < len(layout.cells) else []
    before = [w for column, end, w in row if end <= c0]
    right = before[-1].left + before[-1].width if before and line == label.line else None
    for column, end, word in row:
        # The caption's last words, which its pattern did not take ("4 Federal income tax| withheld"):
        # letters a word space after it; a word apart from it is in the value's place.
        if (words and word is words[0] and right is not None and word.left - right < layout.char * 3 / 2
                and not any(ch.isdigit() or ch == "$" for ch in word.text)):
            words.pop(0)
            start, right = end, word.left + word.width
    # (a flag's words were taken as its reading above)
    if _asked(page, layout, label, kind, ask, words, line, start, c1, "where its value is printed"):
        return
    if form.row_line is None and not on_its_line:
        _unread_below(page, layout, reader, label, kind, ask)


def _asked(page: ScanPage, layout: WordGrid, label: Label, kind: str, ask, words: list[OcrWord], line: int,
           c0: int, c1: int | None, where: str) -> bool:
    """Words that are not the box's value, or ink with no word read, in a value's place: the box is asked."""
    if words:
        why = "(not an amount with cents)" if kind == "money" else "(not a distribution code)"
        ask(label.box, " ".join(w.text for w in words), min(w.confidence for w in words), why)
        return True
    share = _ink(page, layout, line, c0, c1)
    if share >= INKED:
        ask(label.box, "marks no text was read from", 0, f"(ink {where}, {share:.0%} of a character's square)")
        return True
    return False


def _unread_below(page: ScanPage, layout: WordGrid, reader: PageReader, label: Label, kind: str, ask) -> None:
    """A layout that prints a value under its caption (the IRS look): the lines below it in its column, down to
    the next caption, must be blank too, or the box is asked — an amount the engine did not read there must
    not pass for a blank box (a blank box 5 would tax the after-tax basis)."""
    left, right = reader.column(label)
    for line in range(label.line + 1, min(label.line + 1 + MAX_DOWN, len(layout.cells))):
        if any(l.c1 > left and l.c0 < right for l in reader.by_line.get(line, [])):
            return  # the next caption in this column: the box's own place ends here
        words = [w for w in layout.words(line, left, right) if not LEADER.fullmatch(w.text)]
        if _asked(page, layout, label, kind, ask, words, line, left, right, "under its caption"):
            return


def _ink(page: ScanPage, layout: WordGrid, line: int, c0: int, c1: int | None) -> Decimal:
    """The most ink a character's square holds along a line's stretch (to the page's edge when `c1`
    is None), in the upper part of the line: the baseline's leader dots are left out, and a speck
    of dust fills no square."""
    center = layout.centers[line] if 0 <= line < len(layout.centers) else None
    if center is None:
        return Decimal(0)
    x0 = layout.pixel_x(line, c0) + layout.char
    x1 = page.image.width - layout.char * 2 if c1 is None else min(layout.pixel_x(line, c1), page.image.width)
    size = max(int(layout.height), 4)
    best = Decimal(0)
    x = x0
    while x + size / 2 <= x1:
        middle = center + layout.slope * (x + size / 2)
        box = (int(x), int(middle - layout.height / 2), int(x) + size, int(middle + layout.height / 4))
        histogram = page.image.crop(box).histogram()
        best = max(best, Decimal(sum(histogram[:128])) / Decimal(sum(histogram) or 1))
        x += size / 2
    return best


def _year(page: ScanPage, form: TextForm) -> tuple[int | None, str | None]:
    """The form's tax year as the page prints it, confidently read, or the reason it is not taken."""
    if form.tax_year is None:
        return None, (f"no tax year is read on page {page.number}: megaroth reads a scanned statement only when its "
                      "year is printed on it and read")
    seen = [w for w in page.words if re.sub(r"\D", "", w.text) == str(form.tax_year)]
    best = max((w.confidence for w in seen), default=Decimal(0))
    if best < CONFIDENT:
        return None, (f"the tax year reads {form.tax_year} on page {page.number} with the engine's confidence "
                      f"{best / 100:.0%}, too low to take: megaroth reads a scanned statement only when its year is read")
    return form.tax_year, None


def note(page: ScanPage, name: str, records: list[RawForm]) -> str:
    """What the import says of a scanned statement page."""
    if records and records[0].form == "5498":
        from megaroth.importers import scan_statement_5498

        return scan_statement_5498.note(page, name, records[0])
    waiting = [f"{r.locator}: {named(role)}" for r in records for role in r.awaiting]
    return (f"{name}: page {page.number} is a scanned statement ({round(page.dpi)} dpi, {len(records)} "
            f"form{'s' if len(records) != 1 else ''}); its boxes were read by OCR under their captions"
            + (f"; awaiting confirmation: {', '.join(waiting)}" if waiting else ""))
