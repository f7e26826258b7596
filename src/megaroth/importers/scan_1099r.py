"""The IRS Form 1099-R on a scanned or photographed page: found by its printed captions, read
box by box at the places the revision's map gives, each value accepted only when the form's
own checks pass.

The page is matched to the blank form by the words the form prints (`layout.printed`: each
caption word where the IRS PDF draws it). Words the engine read that the form prints once are
paired with their places, and one similarity (scale, rotation, shift) is solved from the pairs,
the outliers dropped; a page where too few captions sit where the form has them is not the IRS
1099-R. Each box is then read from the words inside its rectangle, and a checkbox from the ink
inside its square.

A value is accepted only when the engine is confident of every character of it (`CONFIDENT`)
and it passes the form's checks: money with cents, box 2a and box 5 not above box 1, a code of
the year's table in box 7, the tax year printed. Anything else is NOT taken: the box is left
blank and listed as awaiting confirmation with what it reads ("box 2a reads 200.00 — confirm or
correct"); a form whose box 1 or box 7 (which every form shows) awaits a person is kept off the
return until it is answered (model.form1099r_awaiting). A wrong number accepted
silently is the worst outcome, so a doubt always goes to a person.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from numbers import Real

from megaroth.importers import scan_chars, scan_confirm
from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.importers.pdf_fillable import record_from_boxes
from megaroth.importers.scan_geometry import STRAIGHT_TENTHS
from megaroth.importers.scan_image import OcrWord, ScanPage, read_pages
from megaroth.pdf_maps import FormMap, f1099r_layouts

CONFIDENT = 85
"""The engine's confidence (0-100) every word of a value must reach to be taken without a person.
On the 33 test scans of the real IRS form (tests/realforms/scan_images.py) the misreads that
passed the format checks scored under 80 (a "T" read for a "7" at 68%), and clean values mostly
85-97; a value under it is taken only when a second reading of its box agrees and reaches it."""
TEXT_CONFIDENT = 60
"""Names and addresses do not enter the arithmetic: a lower bar, still listed when under it."""
MIN_PAIRS = 8
"""Caption words that must sit where the form prints them for the page to be the IRS 1099-R."""
FIT_TOLERANCE = 4
"""Points a caption word may sit from its place once the page is fitted (boxes are 12+ points tall)."""
MAX_TILT = 8
"""Degrees of rotation beyond which a page is not read (a page turned sideways must be turned first)."""
CHECKED, UNCHECKED = Decimal("0.10"), Decimal("0.03")
"""Share of dark pixels inside a checkbox: above CHECKED an X, below UNCHECKED empty; between, asked."""

INKED = Decimal("0.02")
"""Share of dark pixels in a box where no word was read above which something is written there
(1% speckle from a fax leaves under 1%)."""

MONEY = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
MONEY_ROLES = {"box_1", "box_2a", "box_3", "box_4", "box_5", "box_6", "box_8", "box_9b", "box_10",
               "state.0.box_14", "state.1.box_14", "state.0.box_16", "state.1.box_16",
               "local.0.box_17", "local.1.box_17", "local.0.box_19", "local.1.box_19"}
INK_CHECKED = {"box_1", "box_2a", "box_3", "box_4", "box_5", "box_6", "box_7", "box_8", "box_9b", "box_10",
               "account_number", "payer_tin", "recipient_tin"}
"""Boxes where ink with no word read is asked about rather than taken for blank (a blurred account
number the page read nothing of was held blank: the rollover match's key lost)."""
PATTERNS = {
    "box_8_percent": re.compile(r"^\d{1,3}(\.\d+)?%?$"),
    "box_9a": re.compile(r"^\d{1,3}(\.\d+)?%?$"),
    "box_11": re.compile(r"^(19|20)\d\d$"),
    "payer_tin": re.compile(r"^(\d{2}-\d{7}|\d{3}-\d{2}-\d{4}|[X*]{3}-[X*]{2}-\d{4})$"),
    "recipient_tin": re.compile(r"^(\d{3}-\d{2}-\d{4}|\d{2}-\d{7}|[X*]{3}-[X*]{2}-\d{4})$"),
    "account_number": re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.#* ]{0,29}$"),
}
STRICT_ROLES = MONEY_ROLES | {"box_7", "account_number"} | set(PATTERNS)
"""Boxes whose value enters the arithmetic or the rollover match (the account number is its key):
read at the CONFIDENT bar and confirmed by a second reading of the box alone."""
SECOND_CONFIDENT = 0
"""The second reading must agree character for character; where the value is digits (amounts, TINs)
the page read CONFIDENTly, at any confidence (on the benchmark no amount or TIN was confirmed wrong,
and a second reading that differed caught a page's "4,314.37" for 14,314.37); where letters and
digits mix (box 7, the account number) it must be CONFIDENT itself: both readings read an account
number's "Z" as "2", the second at 47-62%."""
MIXED = {"box_7", "account_number"}
TWICE = {"account_number"}
"""Taken only when the page and two of four second readings (gray and black and white, at two
sizes) read it CONFIDENTly alike, none reads other characters at SECOND_CONFIDENT and none has a
"Z" the value has not (or lacks one it has): the benchmark's "Z41-275141" was read "241-275141" at
87% by the page and at 85% by its crop enlarged, and only other sizes and black and white doubted it."""
WAYS = ({}, {"binary": True}, {"larger": True}, {"binary": True, "larger": True})
"""The account number's four second readings: gray and black and white, at two sizes (_value_image)."""
TEXT_ROLES = {"payer_block", "recipient_name", "recipient_street", "recipient_city",
              "state.0.box_15", "state.1.box_15", "local.0.box_18", "local.1.box_18", "box_13"}
NOT_BELOW = (("box_2a", "box_1"), ("box_5", "box_1"), ("box_4", "box_1"))
"""(box, box it may not exceed): the form's own arithmetic (Instructions for Forms 1099-R)."""


class Similarity:
    """Form point (x, y up, in points) → image pixel (u, v, y down): a scale and rotation (a, b) and
    a shift, solved by least squares from paired points (x, y, u, v) on the flipped y (y' = -y):
    u = a·x − b·y' + tu, v = b·x + a·y' + tv."""

    def __init__(self, pairs: list[tuple[Real, Real, Real, Real]]) -> None:
        n = len(pairs)
        mx = sum(p[0] for p in pairs) / n
        my = sum(-p[1] for p in pairs) / n
        mu = sum(p[2] for p in pairs) / n
        mv = sum(p[3] for p in pairs) / n
        sxx = num_a = num_b = 0
        for x, y, u, v in pairs:
            xc, yc, uc, vc = x - mx, -y - my, u - mu, v - mv
            sxx += xc * xc + yc * yc
            num_a += xc * uc + yc * vc
            num_b += xc * vc - yc * uc
        self.a = num_a / sxx if sxx else 0
        self.b = num_b / sxx if sxx else 0
        self.tu = mu - (self.a * mx - self.b * my)
        self.tv = mv - (self.b * mx + self.a * my)

    @property
    def scale(self) -> Real:
        return math.hypot(self.a, self.b)

    @property
    def degrees(self) -> Real:
        return math.degrees(math.atan2(self.b, self.a))

    def to_image(self, x: Real, y: Real) -> tuple[Real, Real]:
        return self.a * x - self.b * -y + self.tu, self.b * x + self.a * -y + self.tv

    def to_form(self, u: Real, v: Real) -> tuple[Real, Real]:
        du, dv = u - self.tu, v - self.tv
        k = self.a * self.a + self.b * self.b
        return (self.a * du + self.b * dv) / k, -((-self.b * du + self.a * dv) / k)


def _anchor(word: OcrWord) -> tuple[Real, Real]:
    """The word's left end on its baseline, where the form's map places printed words."""
    return word.left, word.top + word.height


def fit(page: ScanPage, layout: FormMap) -> Similarity | None:
    """Where the blank form lies on the scanned page, or None when it is not this form."""
    places: dict[str, list[tuple[Real, Real]]] = {}
    for text, x, y in layout.printed:
        places.setdefault(text, []).append((x, y))
    read: dict[str, list[OcrWord]] = {}
    for word in page.words:
        if word.confidence >= TEXT_CONFIDENT and len(word.text) >= 3:
            read.setdefault(word.text, []).append(word)
    pairs = [(*places[t][0], *_anchor(read[t][0])) for t in places if len(places[t]) == 1 and len(read.get(t, ())) == 1]
    for _ in range(4):
        if len(pairs) < MIN_PAIRS:
            return None
        shape = Similarity(pairs)
        if shape.scale <= 0:
            return None
        residual = [math.dist(shape.to_form(u, v), (x, y)) for x, y, u, v in pairs]
        kept = [p for p, r in zip(pairs, residual) if r <= FIT_TOLERANCE * 2]
        if len(kept) == len(pairs):
            break
        pairs = kept
    if len(pairs) < MIN_PAIRS or abs(shape.degrees) > MAX_TILT:
        return None
    residual = sorted(math.dist(shape.to_form(u, v), (x, y)) for x, y, u, v in pairs)
    return shape if residual[len(residual) // 2] <= FIT_TOLERANCE else None


def _words_in(page: ScanPage, shape: Similarity, rect) -> list[OcrWord]:
    inside = []
    for word in page.words:
        x, y = shape.to_form(*word.center)
        if rect[0] - 2 <= x <= rect[2] + 2 and rect[1] - 2 <= y <= rect[3] + 3:
            inside.append(word)
    return inside


def _text(words: list[OcrWord]) -> str:
    rows: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: (w.center[1], w.left)):
        if rows and abs(rows[-1][0].center[1] - word.center[1]) * 5 < word.height * 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    return "\n".join(" ".join(w.text for w in sorted(row, key=lambda w: w.left)) for row in rows)


def _ink(page: ScanPage, shape: Similarity, rect, inset: Real = Fraction(11, 5)) -> Decimal:
    """The share of dark pixels inside a box, its printed edges left out."""
    corners = [shape.to_image(x, y) for x in (rect[0] + inset, rect[2] - inset) for y in (rect[1] + inset, rect[3] - inset)]
    box = (int(min(c[0] for c in corners)), int(min(c[1] for c in corners)),
           int(max(c[0] for c in corners)) + 1, int(max(c[1] for c in corners)) + 1)
    crop = page.image.crop(box)
    histogram = crop.histogram()
    total = sum(histogram) or 1
    return Decimal(sum(histogram[:128])) / Decimal(total)


def read_page(page: ScanPage, doc: Document, shape: Similarity, layout: FormMap) -> RawForm:
    """The boxes of the fitted page: accepted values, and those awaiting a person."""
    found: dict[str, tuple[str, object]] = {}
    scan: dict[str, dict] = {}
    awaiting: dict[str, str] = {}
    codes = _codes(layout.tax_year)

    def where(role: str) -> str:
        return f"scan of {doc.name}, page {page.number}, {named(role)}'s place on the IRS {layout.tax_year} form"

    def ask(role: str, read: str, confidence: Real, why: str) -> None:
        read = _shown(role, read)
        scan[role] = {"read": read, "confidence": _share(confidence), "accepted": False, "confirmed": False}
        awaiting[role] = f"{named(role)} reads {read!r} {why} — confirm or correct"

    pending: list[tuple[str, list[OcrWord], str, Real, bool, str]] = []
    unread: list[tuple[str, Decimal]] = []
    for role, spot in layout.spots.items():
        if spot.kind == "check":
            share = _ink(page, shape, spot.rect)
            if share >= CHECKED:
                found[role] = (f"a mark in the box, {where(role)}", True)
            elif share > UNCHECKED:
                ask(role, "a faint mark", 50, f"({share:.0%} of the box inked: neither clearly checked nor empty)")
            continue
        words = _words_in(page, shape, spot.rect)
        words = [w for w in words if _kept(w, role)]
        if not words:
            # A value the engine did not see is not a blank box: a blank box 4 reads as no tax withheld.
            # (Only the federal amounts and box 7: the state and local rows are ruled with dotted
            # lines, and the name and address boxes do not enter the arithmetic.)
            share = _ink(page, shape, spot.rect, inset=3) if role in INK_CHECKED else 0
            if share >= INKED or role == "box_7":  # a form cannot lack box 7: its box is read alone first
                unread.append((role, share))
            continue
        text = _text(words).replace("$", "").strip()
        confidence = min(w.confidence for w in words)
        value = " ".join(text.split()) if role != "payer_block" else text
        if role in MONEY_ROLES:
            # The box's rules read as "=", "|" or "_" at its ends are not characters of the amount, nor is a
            # fax's speck read as "." or "," before it (".48529.86": an amount has one decimal point).
            value = value.replace(" ", "").strip("=|_")
            if MONEY.match(value.lstrip(".,")):
                value = value.lstrip(".,")
        elif role == "box_7":
            value = value.replace(" ", "")
        if role in STRICT_ROLES:
            # A rule or a speck at the value's ends, read as "|", "[" or a quote, is not part of it.
            value = value.strip(scan_confirm.RULES + "'‘’`")
            if role.endswith("_tin"):  # nor a speck read as "," or "." after a TIN ("'43-1469073,")
                value = tin_dashes(scan_confirm.clean(value))
            pending.append((role, words, value, confidence, _passes(role, value, codes), ""))
            continue
        if confidence < TEXT_CONFIDENT:
            ask(role, value, confidence, f"with the engine's confidence {confidence / 100:.0%}, too low to take unread")
        else:
            found[role] = (where(role), value)
            scan[role] = {"read": _shown(role, value), "confidence": _share(confidence), "accepted": True,
                          "confirmed": False}
    # Every value that enters the arithmetic or the match is read a second time, from its own crop
    # (scan_confirm), and taken only when the two readings agree. First the value's words alone; where
    # that does not confirm it, the whole box (each reads some values better), with the boxes where
    # ink but no word was seen, read twice (gray, and black and white at another size).
    # A lone code letter is read alone, as a line (psm 7): among other crops the engine drops it.
    # The account number, read alone on its own sheet four ways (gray and black and white, at two
    # sizes): beside other values its readings were less sure (the engine's confidence in a line
    # depends on the page it is on).
    lone = {n for n, item in enumerate(pending) if item[0] == "box_7"}
    alone = {n for n, item in enumerate(pending) if item[0] in TWICE}
    batch = iter(scan_confirm.read_crops([_value_image(page, words) for n, (_, words, *_) in enumerate(pending)
                                          if n not in lone | alone]))
    own = {n: scan_confirm.read_crops([_value_image(page, pending[n][1], **way) for way in WAYS]) for n in alone}
    firsts = [_code_reading(page, _around(words), max(w.height for w in words), binary=True) if n in lone
              else own[n][0] if n in alone else next(batch) for n, (role, words, *_) in enumerate(pending)]
    doubtful = [n for n, ((role, words, value, confidence, ok, _), first) in enumerate(zip(pending, firsts))
                if not _confirmed(role, value, confidence, ok, [first], codes)]
    crops = []
    for n in doubtful:
        if n in alone:
            continue
        if n not in lone:  # the whole box, and the words in black and white
            crops += [_value_image(page, None, shape, layout.spots[pending[n][0]].rect),
                      _value_image(page, pending[n][1], binary=True)]
    for role, share in list(unread):
        if role in TWICE:
            # An account number is taken only from words its shapes confirm (`_shapes_agree`): unread, it is asked
            # (a blur's glyphs merge: one a character, as settle_z takes them, was never found on the benchmark).
            unread.remove((role, share))
            ask(role, "marks no text was read from", 0, f"({share:.1%} of the box inked)")
    for role, _ in unread:
        if role != "box_7":
            crops += [_value_image(page, None, shape, layout.spots[role].rect),
                      _value_image(page, None, shape, layout.spots[role].rect, binary=True)]
    batch = iter(scan_confirm.read_crops(crops))
    whole = {n: _code_readings(page, shape, layout.spots["box_7"].rect, pending[n], codes) if n in lone else
             own[n][1:] if n in alone else [next(batch), next(batch)] for n in doubtful}
    for n, (role, words, value, confidence, ok, why) in enumerate(pending):
        agreed = _confirmed(role, value, confidence, ok, [firsts[n], *whole.get(n, [])], codes)
        if agreed and role in TWICE and _confusable(value, [" ".join(w.text for w in words), firsts[n], *whole[n]]):
            agreed = False
        if agreed and role in TWICE and not _shapes_agree(page, words, value):
            # Every reading may read a "Z" as "2" (a "Z" touching the "2" after it read as one "2": "225-…"
            # for "Z25-…"): the value is taken as read only when its glyphs' shapes say the same.
            agreed = False
        settled = None
        if not agreed and role == "box_7":
            # Read again from its glyphs alone, six ways (scan_code), then with only the table's characters
            # allowed; taken when no reading of the page or of the crop CONFIDENTly reads another valid code.
            others = [(value, confidence), firsts[n], *whole.get(n, [])]
            glyph_code = _glyph_codes(page, shape, layout, codes)
            alone = _code_by_glyphs(glyph_code, codes)
            if alone is None:
                alone = _code_by_alphabet(page, _around(words), max(w.height for w in words), codes)
            # Or only the page's own reading (at ~28 px, where a "1" was read "4") reads another code.
            if alone is not None and (not any(r is not None and r[1] >= CONFIDENT and _passes(role, _normal(role, r[0]), codes)
                                              and _normal(role, r[0]) != alone[0] for r in others)
                                      or _page_alone_misread(alone[0], others[1:], glyph_code)):
                (value, confidence), ok, agreed = alone, True, True
        if not agreed and (role in MONEY_ROLES or role.endswith("_tin")):
            # An amount or a TIN the second readings did not confirm: read from its glyphs alone six ways
            # (scan_code), taken when they agree CONFIDENTly on the page's digits (never on others; a
            # thousands' comma the page lost, "2133,508.46" for 2,133,508.46, is no other digit, nor is a
            # fax's speck over the decimal point, "1,931,619:31").
            alone = _amount_by_glyphs(page, shape, layout.spots[role].rect, role)
            page_digits = value.replace(",", "").replace(":", ".") if role in MONEY_ROLES else value
            if alone is not None and _same(alone[0].replace(",", ""), page_digits) and not any(
                    r is not None and r[1] >= CONFIDENT and _passes(role, scan_confirm.clean(r[0]), codes)
                    and not _agrees(role, r, alone[0], codes) for r in (firsts[n], *whole.get(n, []))):
                (value, confidence), ok, agreed = alone, True, True
        if not agreed and role.endswith("_tin") and ok:
            # A TIN every reading reads alike, none CONFIDENTly as a word (a gap read in it at 150 dpi,
            # "20-341 7890" at 0%): confirmed by the engine's confidence in each of its characters.
            sure_chars = _tin_by_chars(page, words, value, [firsts[n], *whole.get(n, [])])
            if sure_chars is not None:
                confidence, agreed = sure_chars, True
        if not agreed and role in TWICE:
            # A "Z" and a "2" the readings confuse: told apart by their shapes (scan_glyph).
            settled = settle_z(page, words, [" ".join(w.text for w in words), firsts[n], *whole[n]], codes)
        if settled is not None:
            value, confidence = settled
            found[role] = (where(role), _normal(role, value))
            scan[role] = {"read": _shown(role, value), "confidence": _share(confidence), "accepted": True,
                          "confirmed": False}
        elif agreed:
            found[role] = (where(role), _normal(role, value))
            if confidence < CONFIDENT:  # confirmed by a confident second reading: its confidence stands
                confidence = max(c[1] for c in (firsts[n], *whole.get(n, [])) if _agrees(role, c, value, codes))
            scan[role] = {"read": _shown(role, value), "confidence": _share(confidence), "accepted": True,
                          "confirmed": False}
        elif not ok:
            ask(role, value, confidence, _why(role, layout.tax_year))
        elif confidence < CONFIDENT:
            ask(role, value, confidence, f"with the engine's confidence {confidence / 100:.0%}, too low to take unread")
        elif _agrees(role, firsts[n], value, codes):
            ask(role, value, confidence, f"(read again alike at {firsts[n][1] / 100:.0%}: not confidently enough "
                                         "to take unread)")
        else:
            other = f"reads {firsts[n][0]!r}" if firsts[n] is not None else "reads nothing"
            ask(role, value, confidence, f"(a second reading of the box alone {other}: one of them is misread)")
    for role, share in unread:
        if role == "box_7":
            # A lone code the page did not see: its box read four ways (gray and black and white, at
            # two sizes), taken when two agree CONFIDENTly and none reads another code at all surely.
            box, height = _box_pixels(shape, layout.spots[role].rect), DIGIT_POINTS * Fraction(shape.scale)
            readings = [_code_reading(page, box, height * k, binary=b) for b in (False, True)
                        for k in (1, Fraction(6, 5))]
        else:
            readings = [next(batch), next(batch)]
        sure = [r for r in readings if _agrees(role, r, readings[0][0] if readings[0] else "", codes, CONFIDENT)]
        sure = sure or [r for r in readings if r is not None and _agrees(role, r, r[0], codes, CONFIDENT)][:1]
        value = _normal(role, sure[0][0]) if sure else None
        agreeing = [r for r in readings if value is not None and _agrees(role, r, value, codes, CONFIDENT)]
        doubted = any(r is not None and r[1] >= SECOND_CONFIDENT and not _agrees(role, r, value or "", codes)
                      for r in readings)
        if role == "box_7" and not (value is not None and len(agreeing) >= 2 and not doubted):
            # Read again from its glyphs alone (scan_code), then with only the table's characters allowed:
            # taken when no reading above CONFIDENTly reads another valid code.
            alone = _code_by_glyphs(_glyph_codes(page, shape, layout, codes), codes)
            if alone is None:
                alone = _code_by_alphabet(page, box, height, codes)
            if alone is not None and not any(r is not None and r[1] >= CONFIDENT and _passes(role, _normal(role, r[0]), codes)
                                             and _normal(role, r[0]) != alone[0] for r in readings):
                value, agreeing, doubted = alone[0], [alone] * 2, False
        if role in MONEY_ROLES and not (value is not None and len(agreeing) >= 2 and not doubted):
            # An amount inked but not read (a blur): read from its glyphs alone six ways (scan_code); taken
            # when they agree CONFIDENTly and no reading above CONFIDENTly reads another amount.
            alone = _amount_by_glyphs(page, shape, layout.spots[role].rect)
            if alone is not None and not any(r is not None and r[1] >= CONFIDENT and _passes(role, r[0], codes)
                                             and not _agrees(role, r, alone[0], codes) for r in readings):
                value, agreeing, doubted = _normal(role, alone[0]), [alone] * 2, False
        if value is not None and len(agreeing) >= 2 and not doubted:
            found[role] = (where(role), value)
            scan[role] = {"read": value, "confidence": _share(min(r[1] for r in agreeing)),
                          "accepted": True, "confirmed": False}
        elif share >= INKED:
            ask(role, "marks no text was read from", 0, f"({share:.1%} of the box inked)")
    for box, bound in NOT_BELOW:
        if box in found and bound in found and _amount(found[box][1]) > _amount(found[bound][1]):
            read = str(found.pop(box)[1])
            ask(box, read, scan[box]["confidence"] * 100,
                f"(more than box {_box(bound)}, {found[bound][1]}: one of them is misread)")
    record = record_from_boxes(found, f"page {page.number}", layout.tax_year)
    record.scan = scan
    record.awaiting = awaiting
    year = printed_year(page, shape)
    if year != layout.tax_year:
        record.errors.append(f"the tax year printed beside \"Form 1099-R\" {'reads ' + str(year) if year else 'cannot be read'}"
                             f" (page {page.number}); megaroth reads scans of the {layout.tax_year} form only when "
                             f"that year is read on it")
    if not any(role in found or role in awaiting for role in ("box_1", "box_7", *MONEY_ROLES)):
        # Nothing under any amount's caption nor in box 7: a blank form, never imported as one awaiting a person.
        record.errors.append(f"no box of the Form 1099-R is read on page {page.number}: its captions are printed but "
                             "no amount or code is in its boxes (a blank form?); megaroth does not import a form with "
                             "no box read")
        return record
    for role in ("box_1", "box_7"):
        if role not in found and role not in awaiting:
            # Every Form 1099-R shows boxes 1 and 7: one nothing is read in is asked, never taken as blank.
            scan[role] = {"read": "", "confidence": Decimal(0), "accepted": False, "confirmed": False}
            awaiting[role] = f"nothing is read in box {_box(role)} (page {page.number}) — type what the paper form shows"
    # A form whose box 1 or box 7 awaits a person is kept aside (model.form1099r_awaiting), off the return, and asked.
    return record


def _why(role: str, year: int) -> str:
    if role in MONEY_ROLES:
        return "(not an amount with cents)"
    if role == "box_7":
        return f"(not a distribution code, or pair of codes, of {year})"
    return "(not in the form the box takes)"


def _agrees(role: str, reading: tuple[str, Real] | None, value: str, codes, bar: Real = 0) -> bool:
    """Whether a second reading reads the value: the same characters, passing the box's checks, at
    least `bar` confident."""
    if reading is None or reading[1] < bar:
        return False
    text = scan_confirm.clean(reading[0])  # a speck after a TIN or an amount
    if role.endswith("_tin"):
        text = tin_dashes(text)
    return _same(text, value) and _passes(role, text, codes)


TIN_SHAPES = (re.compile(r"^([X*\d]{3})[^\w\s]([X*\d]{2})[^\w\s](\d{4})$"), re.compile(r"^(\d{2})[^\w\s](\d{7})$"))
"""A TIN's groups (XXX-XX-XXXX, masked or not, or XX-XXXXXXX) with any mark between them."""


def tin_dashes(text: str) -> str:
    """A TIN read with another mark where its form prints a dash ("XXX+XX-2895", "XXX:XX-2895" on a
    fax: a speck on the dash) with its dashes: the places of a TIN's dashes are fixed, and no digit
    is changed; any other reading is left as it is (and is checked as read)."""
    for shape in TIN_SHAPES:
        found = shape.match(text.replace(" ", ""))
        if found:
            return "-".join(found.groups())
    return text


def _tin_by_chars(page: ScanPage, words: list[OcrWord], value: str, seconds: list) -> Real | None:
    """A TIN the page and every second reading read alike (its dashes as tin_dashes puts them, its
    gaps left out), one at least: confirmed by the engine's confidence in each character (scan_chars,
    the crops of WAYS: two at CHAR_CONFIDENT each, none reading other characters). The least
    confirming confidence, or None."""
    texts = [tin_dashes(scan_confirm.clean(r[0])).replace(" ", "") for r in seconds if r is not None]
    if not texts or any(t != value for t in texts):
        return None
    # A mark on a dash is the dash (tin_dashes), in the characters' readings as in the words'.
    chars = [_dashed(r) if r is not None else None
             for r in scan_chars.read_crops([_value_image(page, words, **way) for way in WAYS])]
    return scan_chars.agreed(chars, value, [])


def _dashed(chars: list) -> list:
    """A reading's characters with tin_dashes' dashes where its text is a TIN's shape."""
    trimmed = scan_chars.trimmed(chars)
    text = "".join(c for c, _ in trimmed)
    dashed = tin_dashes(text)
    if dashed == text or len(dashed) != len(text):
        return chars
    return [(d, conf) for d, (_, conf) in zip(dashed, trimmed, strict=True)]


def _confusable(value: str, readings: list) -> bool:
    """Whether any reading (the page's words, the second readings, at any confidence) has a "Z" where
    the value has none, or none where it has one: this font's "Z" and "2" are what the engine
    confuses, sure of either ("Z52-447077" read "252-447077" at 87%)."""
    has = "Z" in value.upper()
    for reading in readings:
        text = reading if isinstance(reading, str) else reading[0] if reading else None
        if text is not None and ("Z" in text.upper()) != has:
            return True
    return False


def _shapes_agree(page: ScanPage, words: list[OcrWord], value: str) -> bool:
    """Whether no "Z" or "2" of an account number the readings agree on is, by its glyph's shape
    (scan_glyph), the other letter: False when a glyph's shape says the other, or when fewer glyphs
    than characters are found even once touching ones are cut (a "Z" touching the "2" after it,
    read as one "2": "225-…" for "Z25-…"); an undecided shape, or a speck that leaves the glyphs
    unpaired, leaves the readings as they agree."""
    from megaroth.importers import scan_glyph

    text = "".join(value.split()).upper()
    if not any(c in "Z2" for c in text):
        return True
    box = _around(words)
    height = sorted(w.height for w in words)[len(words) // 2]
    gray = scan_confirm.scaled(scan_confirm.unruled(page.image.crop(box)), Fraction(height), scan_glyph.HEIGHT)
    black = scan_confirm.binarized(gray)
    found = scan_glyph.glyphs(black)
    for _ in range(2):
        if len(found) >= len(text) or not found:
            break
        found = scan_glyph.split_widest(found, black.width)
    if len(found) < len(text):
        return False
    if len(found) > len(text):
        return True
    return all(scan_glyph.z_or_2(glyph, black.width) in (None, char) for char, glyph in zip(text, found) if char in "Z2")


def settle_z(page: ScanPage, words: list[OcrWord], readings: list, codes) -> tuple[str, Real] | None:
    """An account number whose readings (the page's and the second ones, at any confidence) all read
    its characters alike, one a glyph, but for "Z"s and "2"s: each of those decided by its glyph's
    shape (scan_glyph), and the other characters confirmed by the engine's confidence in each
    character (scan_chars: two of four readings at CHAR_CONFIDENT, none reading other characters;
    the word's confidence is dragged down by a doubtful "Z" beside them, or by a speck read in the
    word: "'401K-19487" at 0%, each of its characters at 98%); or, with "Z"s or "2"s, read again
    four ways (gray and black and white, at two sizes) with those glyphs whitened, so that the
    engine's confidence is in the others alone: taken when two of those readings agree CONFIDENTly
    and none reads other characters. The value and the least agreeing confidence, or None (the
    account number is asked)."""
    from megaroth.importers import scan_glyph

    # An account number begins and ends with a letter or a digit: a speck read before it ("/Z97-…") or a
    # rule's dashes after it ("62072746 — —_") are not of it (its glyphs are counted without them).
    texts = [re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", scan_confirm.clean(r if isinstance(r, str) else r[0]))
             for r in readings if r]
    box = _around(words)
    height = sorted(w.height for w in words)[len(words) // 2]
    gray = scan_confirm.scaled(scan_confirm.unruled(page.image.crop(box)), Fraction(height), scan_glyph.HEIGHT)
    black = scan_confirm.binarized(gray)
    settled = scan_glyph.settle(black, texts, any_value=True)
    if settled is None:
        return None
    value, doubtful, found = settled
    rest = "".join(c for i, c in enumerate(value) if i not in doubtful)
    if not _passes("account_number", value, codes) or not rest.strip("-"):
        return None
    sure_chars = scan_chars.agreed(scan_chars.read_crops([_value_image(page, words, **way) for way in WAYS]),
                                   value, doubtful)
    if sure_chars is not None:
        return value, sure_chars
    if not doubtful:
        return None
    crops = []
    for image in (gray, black):
        plain = scan_glyph.whitened(image, found, doubtful)
        crops += [plain, plain.resize((plain.width * 13 // 10, plain.height * 13 // 10))]
    # What is left of a whitened glyph's edge, read as a dash or a speck before the rest, is not of it.
    again = [(re.sub(r"^[^A-Za-z0-9]+", "", scan_confirm.clean(r[0])), r[1]) if r is not None else None
             for r in scan_confirm.read_crops(crops)]
    if any(r is not None and not scan_confirm.same(r[0], rest) for r in again):
        return None
    sure = [r[1] for r in again if r is not None and r[1] >= CONFIDENT]
    if len(sure) < 2:
        return None
    return value, min(sure)


def _confirmed(role: str, value: str, confidence: Real, ok: bool, readings: list, codes) -> bool:
    """Whether the page's reading of a value is confirmed by the second readings of its crop:
    one of them CONFIDENT and agreeing; or, for digits (amounts, TINs) the page read CONFIDENTly,
    one agreeing at SECOND_CONFIDENT; for the account number (TWICE), the page and two second
    readings all CONFIDENT and agreeing."""
    if not ok:
        return False
    if role in TWICE:
        # No reading of other characters that the engine is at all sure of.
        doubted = any(r is not None and r[1] >= SECOND_CONFIDENT and not _agrees(role, r, value, codes)
                      for r in readings)
        return (confidence >= CONFIDENT and not doubted
                and sum(_agrees(role, r, value, codes, CONFIDENT) for r in readings) >= 2)
    if any(_agrees(role, r, value, codes, CONFIDENT) for r in readings):
        return True
    # Digits the page read CONFIDENTly: a second reading of the same characters confirms them, however
    # unsure (a fax's speckle lowers it), unless another reads other characters CONFIDENTly.
    contradicted = any(r is not None and r[1] >= CONFIDENT and _passes(role, scan_confirm.clean(r[0]), codes)
                       and not _agrees(role, r, value, codes) for r in readings)
    return (role not in MIXED and confidence >= CONFIDENT and not contradicted
            and any(_agrees(role, r, value, codes, SECOND_CONFIDENT) for r in readings))


def _share(confidence) -> Decimal:
    """The engine's 0-100 as a share 0-1 to the hundredth (what the case file carries)."""
    return (Decimal(confidence) / 100).quantize(Decimal("0.01")).max(Decimal(0))


def _kept(word: OcrWord, role: str) -> bool:
    """Whether a word in a box may be its value: the form's "$", and what the engine makes of the
    rules and dotted leaders (a few letters, no digit, scarcely recognised), are not."""
    if word.text in ("$", "|"):
        return False
    digits = any(c.isdigit() for c in word.text)
    if role.startswith(("state.", "local.")) and (word.confidence < 30 or (not digits and word.confidence < 50)):
        return False  # the rows' dotted rules, scarcely recognised (these boxes do not enter the federal lines)
    if role in MONEY_ROLES and not digits and word.confidence < 50:
        return False
    return not (word.confidence < 30 and not digits and len(word.text) <= 3)


def _normal(role: str, text: str) -> str:
    text = text.replace("$", "").strip()
    # A TIN is digits and dashes: a gap the engine reads between two of its digits ("84-881 7809" at
    # 150 dpi) is no character of it.
    spaceless = MONEY_ROLES | {"box_7", "payer_tin", "recipient_tin"}
    return text.replace(" ", "") if role in spaceless else " ".join(text.split())


def _passes(role: str, text: str, codes) -> bool:
    text = _normal(role, text)
    if role in MONEY_ROLES:
        return bool(MONEY.match(text))
    if role == "box_7":
        return _valid_codes(text, codes)
    return bool(PATTERNS[role].match(text)) if role in PATTERNS else True


def _same(a: str, b: str) -> bool:
    """The same characters, whatever the spacing and the "$" (never the same digits in another order)."""
    return scan_confirm.same(a, b)


def reread(page: ScanPage, shape: Similarity, rect, psm: int = 7,
           around: list[OcrWord] | None = None, binary: bool = False,
           despeckled: bool = False) -> tuple[str, Real] | None:
    """The box's value read again from its own crop, enlarged, as a single line of text (psm 7;
    psm 8, a single word, read box 7's lone code letters worse on the test set)."""
    from megaroth.importers.scan_image import ocr

    framed = _box_image(page, shape, rect, around, binary, despeckled)
    try:
        words, _ = ocr(framed, 10, None, psm=psm)
    except Exception:  # a second opinion that fails leaves the first one asked, as it was
        return None
    words = [w for w in words if w.text.strip(scan_confirm.RULES) not in ("", "$")]
    if not words:
        return None
    return " ".join(w.text.strip(scan_confirm.RULES) for w in words), min(w.confidence for w in words)


def _value_image(page: ScanPage, words: list[OcrWord] | None, shape: Similarity | None = None, rect=None,
                 binary: bool = False, larger: bool = False):
    """A value's crop for a stacked second reading (scan_confirm.read_crops): its words with a
    margin, or its whole box, enlarged so that its digits are about 32 pixels high."""
    if words:
        pad = max(w.height for w in words) // 3 + 2
        box = (min(w.left for w in words) - pad, min(w.top for w in words) - pad,
               max(w.left + w.width for w in words) + pad, max(w.top + w.height for w in words) + pad)
        height = Fraction(sorted(w.height for w in words)[len(words) // 2])
    else:
        corners = [shape.to_image(x, y) for x in (rect[0], rect[2]) for y in (rect[1] - 1, rect[3] + 2)]
        box = (int(min(c[0] for c in corners)), int(min(c[1] for c in corners)),
               int(max(c[0] for c in corners)) + 1, int(max(c[1] for c in corners)) + 1)
        height = Fraction(DIGIT_POINTS) * Fraction(shape.scale)
    crop = scan_confirm.scaled(scan_confirm.unruled(page.image.crop(box)), height,
                               scan_confirm.TARGET_HEIGHT + (8 if binary else 0) + (12 if larger else 0))
    return scan_confirm.binarized(crop) if binary else crop


def _code_readings(page: ScanPage, shape: Similarity, rect, item: tuple, codes) -> list:
    """Box 7's code read again to confirm the page's: its words gray and larger (the first second
    reading was in black and white). Not the whole box at the page's size: there a clean "1" was
    read "4" at 96%, as by the page."""
    box, height = _around(item[1]), max(w.height for w in item[1])
    readings = [_code_reading(page, box, height)]
    if not _agrees(item[0], readings[0], item[2], codes, CONFIDENT):
        readings.append(_code_reading(page, box, height * Fraction(5, 6), binary=True))  # 43 pixels high
    return readings


def _around(words: list[OcrWord]) -> tuple[int, int, int, int]:
    pad = max(w.height for w in words) // 3 + 2
    return (min(w.left for w in words) - pad, min(w.top for w in words) - pad,
            max(w.left + w.width for w in words) + pad, max(w.top + w.height for w in words) + pad)


def _glyph_codes(page: ScanPage, shape: Similarity, layout: FormMap, codes) -> Callable[[bool], tuple[str, Real] | None] | None:
    """Box 7's code as its glyphs read alone six ways agree on it (scan_code.agreed: the code and the
    least agreeing confidence, or None), the glyphs drawn once (False) or three times in a row (True,
    scan_code.repeated); each way read when first asked and only once (`_code_by_glyphs` and
    `_page_alone_misread` ask the same ways). None without the year's code table."""
    from megaroth.importers import scan_code

    if codes is None:
        return None
    box, letter = _box_pixels(shape, layout.spots["box_7"].rect), DIGIT_POINTS * Fraction(shape.scale)
    allowed = "".join(sorted(codes.codes))

    @functools.cache
    def code(repeat: bool) -> tuple[str, Real] | None:
        return scan_code.agreed(scan_code.readings(page.image, box, letter, allowed, repeat=repeat))

    return code


def _code_by_glyphs(glyph_code, codes) -> tuple[str, Real] | None:
    """Box 7's code read from its glyphs alone (`_glyph_codes`): the code and the least of the
    agreeing confidences when two read it CONFIDENTly, it is a code (or pair) of the year, and no
    reading doubts it; else None."""
    if glyph_code is None:
        return None
    # A lone letter the engine reads as nothing alone: read drawn three times in a row (scan_code.repeated).
    found = glyph_code(False) or glyph_code(True)
    if found is None or not _valid_codes(found[0], codes):
        return None
    return found


def _page_alone_misread(code: str, seconds: list, glyph_code) -> bool:
    """Whether the page's reading of box 7 is the only one against `code` (its glyphs' readings): every
    second reading (at 36-44 px) that reads anything at scan_code.DOUBT or more reads `code`, one of
    them CONFIDENTly, and the glyphs read both alone and drawn three times in a row (`_glyph_codes`)
    agree on it. The page reads a lone code at ~28 px, where the engine took a clean "1" for "4" at
    87-96% (benchmarks/bench_scan_accuracy.py: form r04 at JPEG q50-60, the page "4" at 96%, three
    second readings and twelve glyph readings "1" at 88-97%); at 40 px no code was read wrong."""
    from megaroth.importers import scan_code

    if any(r is not None and r[1] >= scan_code.DOUBT and _normal("box_7", r[0]) != code for r in seconds):
        return False
    if not any(r is not None and r[1] >= CONFIDENT and _normal("box_7", r[0]) == code for r in seconds):
        return False
    return glyph_code is not None and all(
        (found := glyph_code(repeat)) is not None and found[0] == code for repeat in (False, True))


AMOUNT_CHARACTERS = "0123456789.,$"
"""What the engine may read in an amount read from its glyphs alone (the box's "$" among them, so that
it is not forced into a digit)."""
TIN_CHARACTERS = "0123456789-X*"
"""What the engine may read in a TIN read from its glyphs alone (a truncated TIN's "XXX-XX-")."""


def _amount_by_glyphs(page: ScanPage, shape: Similarity, rect, role: str = "box_1") -> tuple[str, Real] | None:
    """An amount (or a TIN) box read from its glyphs alone, six ways (scan_code, an amount's commas'
    tails kept): the value in the box's form and the least agreeing confidence when two read it
    CONFIDENTly and no reading doubts it; else None."""
    from megaroth.importers import scan_code

    tin = role.endswith("_tin")
    votes = scan_code.readings(page.image, _box_pixels(shape, rect), DIGIT_POINTS * Fraction(shape.scale),
                               TIN_CHARACTERS if tin else AMOUNT_CHARACTERS, below=Fraction(3, 10))
    found = scan_code.agreed([(v[0].replace("$", ""), v[1]) if v is not None else None for v in votes])
    if found is None or not (PATTERNS[role].match(found[0]) if tin else MONEY.match(found[0])):
        return None
    return found


def _code_by_alphabet(page: ScanPage, box: tuple, text_height: Real, codes) -> tuple[str, Real] | None:
    """Box 7's code read three more ways (gray at two sizes, black and white) with the engine allowed
    only the year's code characters (a lone "P" was read "p", "Pp"; a blurred letter not at all):
    the code and its least CONFIDENT reading's confidence when all three read the same valid code
    and two CONFIDENTly, else None."""
    if codes is None:
        return None
    from megaroth.importers.scan_image import ocr_many

    allowed = "".join(sorted(codes.codes))
    framed = [_code_crop(page, box, text_height, binary=b, target=t) for b, t in ((False, 44), (True, 36), (False, 56))]
    try:  # the three in one run of the engine, each read as alone (scan_image.ocr_many)
        readings = [_code_text(words) for words in ocr_many(framed, 30, None, psm=7, allowed=allowed)]
    except Exception:  # second opinions that fail leave the first one asked, as it was
        return None
    return _alphabet_agreed(readings, codes)


def _alphabet_agreed(readings: list, codes) -> tuple[str, Real] | None:
    """`_code_by_alphabet`'s rule on its three readings: all three the same valid code, two CONFIDENTly."""
    if any(r is None for r in readings) or len({r[0] for r in readings}) != 1:
        return None
    value = readings[0][0]
    sure = [r[1] for r in readings if r[1] >= CONFIDENT]
    if not _valid_codes(value, codes) or len(sure) < 2:
        return None
    return value, min(sure)


def _code_reading(page: ScanPage, box: tuple, text_height: Real, binary: bool = False, target: int | None = None,
                  allowed: str | None = None) -> tuple[str, Real] | None:
    """Box 7's code read again alone, as a line (psm 7), in `_code_crop`'s crop."""
    from megaroth.importers.scan_image import ocr

    try:
        again, _ = ocr(_code_crop(page, box, text_height, binary, target), 10, None, psm=7, allowed=allowed)
    except Exception:  # a second opinion that fails leaves the first one asked, as it was
        return None
    return _code_text(again)


def _code_crop(page: ScanPage, box: tuple, text_height: Real, binary: bool = False, target: int | None = None):
    """The crop `box` (its words with a margin, or its whole box) with its rules whitened, enlarged
    so that its letters are 36 pixels high and made black and white, or (not `binary`) gray at 44
    pixels, framed in white. Measured on the benchmark's pages: at the page's own 28 pixels the
    engine read a clean "1" as "4" at 87-96%; at these sizes no code was read wrong at 85% or more."""
    from PIL import Image

    crop = scan_confirm.scaled(scan_confirm.unruled(page.image.crop(tuple(int(v) for v in box))),
                               Fraction(text_height), target or (36 if binary else 44))
    if binary:
        crop = scan_confirm.binarized(crop)
    framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    framed.paste(crop, (20, 20))
    return framed


def _code_text(words: list[OcrWord]) -> tuple[str, Real] | None:
    """A code reading's text (its specks and rules left out) and its least confidence; None when empty."""
    words = [w for w in words if scan_confirm.clean(w.text) not in ("", "$")]
    if not words:
        return None
    return "".join(scan_confirm.clean(w.text) for w in words), min(w.confidence for w in words)


DIGIT_POINTS = Fraction(13, 2)
"""The height of a value's digits on the IRS 1099-R, in points (a word's box, ~20 px at 200 dpi)."""


def _box_pixels(shape: Similarity, rect) -> tuple[int, int, int, int]:
    """A box of the form's map (in points) as a crop of the page (in pixels)."""
    corners = [shape.to_image(x, y) for x in (rect[0], rect[2]) for y in (rect[1] - 1, rect[3] + 2)]
    return (int(min(c[0] for c in corners)), int(min(c[1] for c in corners)),
            int(max(c[0] for c in corners)) + 1, int(max(c[1] for c in corners)) + 1)


def _box_image(page: ScanPage, shape: Similarity, rect, around: list[OcrWord] | None = None, binary: bool = False,
               despeckled: bool = False):
    """A box's crop enlarged to about 3 pixels a point (~30 px digits), framed in white: the whole
    box, or (`around`) just the words the page reading found there with a margin (the box's own
    rules, read as strokes, are what makes a lone code letter uncertain); `binary`: in black and
    white at one size larger (another reading: other pixels)."""
    from PIL import Image

    if around:
        pad = max(w.height for w in around) // 3 + 2
        box = (min(w.left for w in around) - pad, min(w.top for w in around) - pad,
               max(w.left + w.width for w in around) + pad, max(w.top + w.height for w in around) + pad)
    else:
        corners = [shape.to_image(x, y) for x in (rect[0], rect[2]) for y in (rect[1] - 1, rect[3] + 2)]
        box = (int(min(c[0] for c in corners)), int(min(c[1] for c in corners)),
               int(max(c[0] for c in corners)) + 1, int(max(c[1] for c in corners)) + 1)
    crop = scan_confirm.unruled(page.image.crop(box))
    if despeckled:  # at the page's size, where a fax's speck is a pixel or two and a stroke wider
        from PIL import ImageFilter

        crop = crop.filter(ImageFilter.MedianFilter(3))
    factor = max(1, round(3 * 72 / (shape.scale * 72))) + (1 if binary else 0)
    crop = crop.resize((crop.width * factor, crop.height * factor), Image.LANCZOS)
    if binary:
        crop = scan_confirm.binarized(crop)
    framed = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    framed.paste(crop, (20, 20))
    return framed


YEAR_AT = (398, 708, 442, 728)
"""Where the IRS 2025 PDF prints the tax year ("20" and "25" at one place), in its points."""
YEAR_CROP = (398, 708, 466, 728)
"""The year's crop read again: wider than YEAR_AT to the right, where the title block is blank (the
word's center is at 432: YEAR_AT's crop cut the "5", read "202" on every faxed page)."""


def printed_year(page: ScanPage, shape: Similarity) -> int | None:
    """The year printed in the form's title block ("20" and "25" drawn at one place on the IRS PDF)."""
    for word in page.words:
        x, y = shape.to_form(*word.center)
        if YEAR_AT[0] <= x <= YEAR_AT[2] and YEAR_AT[1] <= y <= YEAR_AT[3] and re.fullmatch(r"20\d\d", word.text) and word.confidence >= CONFIDENT:
            return int(word.text)
    # Not read on the page (a fax's speckle): read again from the title block's own crop, as it is and
    # despeckled (a median filter: the specks go, the strokes stay).
    for despeckled in (False, True):
        again = reread(page, shape, YEAR_CROP, despeckled=despeckled)
        if again is not None and again[1] >= CONFIDENT and re.fullmatch(r"20\d\d", again[0]):
            return int(again[0])
    return None


def _shown(role: str, text: str) -> str:
    """A TIN as read is kept to its last four digits, as the case file shows TINs."""
    if not role.endswith("_tin"):
        return text
    digits = re.sub(r"\D", "", text)
    return f"…{digits[-4:]}" if digits else text


def _box(role: str) -> str:
    return role.rsplit(".", 1)[-1].removeprefix("box_").replace("_", " ")


NAMES = {"account_number": "the account number", "payer_tin": "the payer's TIN", "recipient_tin": "the recipient's TIN",
         "recipient_name": "the recipient's name", "payer_block": "the payer's name and address",
         "recipient_street": "the recipient's street address", "recipient_city": "the recipient's city"}
"""A place on the form that is not a numbered box, as a person finds it ("the account number reads …")."""


def named(role: str) -> str:
    """A role as a person reads it on the form: "box 2a", "box 14" (a state row's), "the account number"."""
    leaf = role.rsplit(".", 1)[-1]
    if leaf.startswith("box_"):
        return f"box {_box(role)}"
    return NAMES.get(role, "the " + leaf.replace("_", " "))


def _amount(value) -> Decimal:
    return Decimal(str(value).replace(",", ""))


def _codes(year: int):
    from megaroth.params import load_year

    try:
        return load_year(year).codes
    except Exception:  # a year without parameters: the model's own validation decides
        return None


def _valid_codes(value: str, codes) -> bool:
    if not re.fullmatch(r"[0-9A-Z]{1,2}", value):
        return False
    if codes is None:
        return True
    if not all(c in codes.codes for c in value):
        return False
    return len(value) == 1 or codes.pair_allowed(value[0], value[1])


def _straightened(page: ScanPage, shape: Similarity, layout: FormMap, doc: Document):
    from megaroth.importers.scan_geometry import level
    from megaroth.importers.scan_image import ocr

    image = level(page.image, shape.degrees)
    words, seconds = ocr(image, doc.limits.max_scan_seconds, doc.source)
    straight = ScanPage(number=page.number, dpi=page.dpi, words=words, image=image,
                        engine_seconds=page.engine_seconds + seconds, levelled=page.levelled + shape.degrees)
    again = fit(straight, layout)
    if again is None or abs(again.degrees) >= abs(shape.degrees):
        return page, shape  # turning it did not help: read it as it lies
    return straight, again


def _deskewed(page: ScanPage, doc: Document) -> ScanPage:
    """A page that is not the IRS 1099-R (a Form 5498, read by its captions' rows) turned straight
    and read again when its printed lines fall more than STRAIGHT_TENTHS (scan_geometry.skew): 2°
    across a page moves a row's end by 20 points, into the row below."""
    from megaroth.importers import scan_geometry
    from megaroth.importers.scan_image import ocr

    degrees = scan_geometry.skew(page.words)
    if degrees is None or abs(degrees) * 10 <= STRAIGHT_TENTHS or abs(degrees) > MAX_TILT:
        return page
    image = scan_geometry.level(page.image, degrees)
    words, seconds = ocr(image, doc.limits.max_scan_seconds, doc.source)
    return ScanPage(number=page.number, dpi=page.dpi, words=words, image=image,
                    engine_seconds=page.engine_seconds + seconds, levelled=page.levelled + degrees)


def extract(doc: Document, only: set[int] | None = None) -> Extraction:
    """Every page of a scan (or, with `only`, those page numbers of a PDF that also has text pages):
    a Form 1099-R read, or the reason it is refused."""
    extraction = Extraction()
    from megaroth.errors import InputError

    layouts = f1099r_layouts()
    summaries: list[tuple[int, str]] = []
    for page in read_pages(doc, only):
        if isinstance(page, str):
            extraction.errors.append(InputError(page, doc.source))
            continue
        shape = layout = None
        for candidate in layouts:
            shape = fit(page, candidate)
            if shape is not None:
                layout = candidate
                break
        if shape is not None and layout is not None and abs(shape.degrees) * 10 > STRAIGHT_TENTHS:
            # A page still turned after it was levelled by its rules (scan_geometry.levelled: a
            # page without clear rules): boxes cut at a slant catch their neighbours' rules, so the
            # page is turned straight by its captions and read again (one more pass of the engine).
            page, shape = _straightened(page, shape, layout, doc)
        # The page's turn on the glass: what was undone before reading, and what its captions still show.
        turned = page.levelled + (shape.degrees if shape is not None else 0)
        if shape is None or layout is None:
            from megaroth.importers import scan_5498

            page = _deskewed(page, doc)

            seconds = doc.limits.max_scan_seconds
            as_5498 = scan_5498.recognised(page, seconds, doc.source)
            if as_5498 is not None:
                page = as_5498  # as it lies, or turned straight by its rules
                record = scan_5498.read_page(page, doc.name, seconds, doc.source)
                extraction.notes.append(
                    f"{doc.name}: page {page.number} is a scan of the IRS Form 5498 ({round(page.dpi)} dpi); its boxes "
                    "were read by OCR under their printed captions"
                    + (f"; awaiting confirmation: {', '.join(scan_5498.named(r) for r in record.awaiting)}"
                       if record.awaiting else ""))
                extraction.records.append(record)
                continue
            lowered = {w.text.lower().strip(".,") for w in page.words}
            if "1040" in lowered and {"individual", "income", "tax", "return"} <= lowered:
                extraction.errors.append(InputError(
                    f"page {page.number} cannot be read: it is a page of Form 1040 (a return), not a form megaroth "
                    "reads from a scan; `megaroth compare` reads the return your software made from its PDF",
                    doc.source))
                continue
            from megaroth.importers import scan_statement

            statement, said = scan_statement.read_page(page, doc.name)
            if statement:  # a custodian's own statement: its boxes under their captions, as its text is read
                extraction.notes.extend([scan_statement.note(page, doc.name, statement), *said])
                extraction.records.extend(statement)
                continue
            if said and said[0].endswith("skipped"):
                # A cover or summary page as its text reads ("Total gross distributions", no code): skipped with a
                # note when the scan's other pages hold forms; alone, the scan is refused with that reason.
                summaries.append((page.number, said[0]))
                continue
            texts = {w.text for w in page.words}
            known = ("a Form 5498 whose box captions are not read (too few of them where the IRS layout prints "
                     "them)") if "5498" in texts else (
                "not a known form: the IRS Form 1099-R's captions are not found where the form prints them"
                if page.words else "no text is read on it")
            extraction.errors.append(InputError(f"page {page.number} cannot be read: {known}", doc.source))
            continue
        record = read_page(page, doc, shape, layout)
        extraction.notes.append(
            f"{doc.name}: page {page.number} is a scan of the IRS Form 1099-R ({round(page.dpi)} dpi, turned "
            f"{turned:+.1f}°); its boxes were read by OCR at their places on {layout.source}"
            + (f"; awaiting confirmation: {', '.join(named(r) for r in record.awaiting)}" if record.awaiting else ""))
        extraction.records.append(record)
    for number, reason in summaries:
        if extraction.records:
            extraction.notes.append(f"{doc.name}: {reason} (read by OCR)")
        else:
            why = re.sub(rf"^page {number}:?\s*|;\s*skipped$", "", reason)
            extraction.errors.append(InputError(f"page {number} cannot be read: not a known form ({why})", doc.source))
    return extraction


class ScanImporter:
    name = "scan"
    description = ("scanned or photographed IRS Form 1099-R or 5498, or a custodian's 1099-R or 5498 statement (PNG, JPEG, "
                   "TIFF, or a PDF of page images): boxes read by OCR at their places or under their captions, each "
                   "value checked against the form")

    def identify(self, doc: Document) -> bool:
        if doc.kind == "image":
            return True
        if doc.kind != "pdf":
            return False
        return image_only_pdf(doc) or scans_after_text(doc)

    def extract(self, doc: Document) -> Extraction:
        if doc.kind == "pdf" and not image_only_pdf(doc):
            # Text pages with no form on them (a cover letter): said, and the scanned pages read.
            scanned = image_pages(doc)
            extraction = extract(doc, scanned)
            for number in range(1, len(doc.page_texts) + 1):
                if number not in scanned:
                    extraction.notes.append(f"{doc.name}: page {number} is text without a Form 1099-R or 5498 "
                                            "(a cover or a letter); skipped")
            return extraction
        return extract(doc)


def image_only_pdf(doc: Document) -> bool:
    """A PDF whose pages draw images and no text: a scan saved as PDF."""
    reader = doc.pdf_or_none()
    if reader is None:
        return False
    try:
        if doc.pdf_fields or any(text.strip() for text in doc.page_texts):
            return False
    except Exception:  # identification never raises; the registry reports a damaged PDF once
        return False
    return bool(image_pages(doc))


def scans_after_text(doc: Document) -> bool:
    """A PDF of scanned pages with text pages that hold no form (a cover letter): the scans are this
    importer's. When a text page holds a form, the text PDF importer reads the PDF, scans included."""
    from megaroth.importers.f1040_pdf import page_kind
    from megaroth.importers.pdf_text import MARKERS

    try:
        if doc.pdf_fields or not image_pages(doc):
            return False
        # Neither a page of forms' text nor a Form 1040's page (a return is refused as one, by its name).
        return not any(MARKERS.search(text) or page_kind(text) is not None for text in doc.page_texts)
    except Exception:  # identification never raises; the registry reports a damaged PDF once
        return False


def image_pages(doc: Document) -> set[int]:
    """The numbers (1-based) of the PDF's pages that draw an image and no text: the scanned pages,
    alone in a scan saved as PDF, or among text pages (a filled form with a scanned one after it)."""
    reader = doc.pdf_or_none()
    if reader is None:
        return set()
    found = set()
    try:
        for number, (page, text) in enumerate(zip(reader.pages, doc.page_texts), start=1):
            if text.strip():
                continue
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else None
            xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
            if xobjects is not None and any(ref.get_object().get("/Subtype") == "/Image"
                                            for ref in xobjects.get_object().values()):
                found.add(number)
    except Exception:  # identification never raises; the registry reports a damaged PDF once
        return set()
    return found
