"""Reading an IRS form's page by the places its field map gives (`megaroth.pdf_maps`).

A page is first matched to the blank form: the words the map expects (the printed line numbers
beside the fields, and a few anchor words) must be where the map says, or all moved and scaled
alike (a copy printed to PDF with margins). Then each field is read at its place: the widget
there (whatever its name: programs rename fields), the words drawn inside its box (a flattened
or printed form), and any ink in the box that the blank form does not draw (a value drawn as
outlines or an image, which megaroth cannot read and must not take for a blank).

A field is read at its place only when its printed label is found where the map puts it, so a
value is never taken from a box whose identity is not confirmed by the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Real

from megaroth.importers.pdf_widgets import Widget
from megaroth.importers.pdf_words import PageMarks, Word
from megaroth.pdf_maps import Anchor, Spot

X_TOLERANCE = 5
"""Points a printed word may sit from its place in x (word positions inside a run of text are
estimated from average character widths)…"""
Y_TOLERANCE = 2
"""…and in y (baselines are exact)."""
MATCHED = 4, 5
"""At least this fraction of the expected words must be found to call the page the form."""
SAME_BOX = Fraction(3, 5)
"""A widget covering this share of a field's box (or the other way round) is at its place."""
INK_SAME = 1
"""Ink within this many points of the blank form's own ink inside a field is the form's."""
CHECK_MARKS = {"x", "✓", "✔", "✗", "✘", "☒", "☑", "■", "4", "8", "3"}
"""An "X", a check mark, or ZapfDingbats' check glyphs as extracted ("4" is ✔, "8" is ✘)."""


@dataclass(frozen=True)
class Fit:
    """How a page sits relative to the blank form: page = form × scale + shift."""

    scale: Real = 1
    dx: Real = 0
    dy: Real = 0

    def point(self, x, y) -> tuple:
        return x * self.scale + self.dx, y * self.scale + self.dy

    def rect(self, rect) -> tuple:
        x0, y0 = self.point(rect[0], rect[1])
        x1, y1 = self.point(rect[2], rect[3])
        return x0, y0, x1, y1

    @property
    def moved(self) -> bool:
        return not (self.scale == 1 and self.dx == 0 and self.dy == 0)


def _near(words: list[Word], x, y, scale=1) -> Word | None:
    best = None
    for word in words:
        if abs(word.x - x) <= X_TOLERANCE * scale and abs(word.y - y) <= Y_TOLERANCE * scale:
            if best is None or abs(word.x - x) + abs(word.y - y) < abs(best.x - x) + abs(best.y - y):
                best = word
    return best


def expected_words(spots: list[Spot], anchors: list[Anchor]) -> list[tuple[str, tuple]]:
    return [(s.label, s.label_at) for s in spots] + [(a.text, a.at) for a in anchors]


def enough(found: int, total: int) -> bool:
    return total >= 2 and found * MATCHED[1] >= total * MATCHED[0]


def fit_page(marks: PageMarks, spots: list[Spot], anchors: list[Anchor]) -> Fit | None:
    """Where the blank form's page is on this page, or None when this page is not that form."""
    expected = expected_words(spots, anchors)
    found = sum(1 for text, (x, y) in expected if _near(marks.with_text(text), x, y))
    if enough(found, len(expected)):
        return Fit()
    # Moved or scaled: solve from the expected words printed once on the page.
    pairs = [(x, y, marks.with_text(text)[0]) for text, (x, y) in expected if len(marks.with_text(text)) == 1]
    if len(pairs) < 3:
        return None
    mx = sum(x for x, _, _ in pairs) / len(pairs)
    my = sum(y for _, y, _ in pairs) / len(pairs)
    wx = sum(w.x for _, _, w in pairs) / len(pairs)
    wy = sum(w.y for _, _, w in pairs) / len(pairs)
    spread = sum((x - mx) ** 2 + (y - my) ** 2 for x, y, _ in pairs)
    if spread == 0:
        return None
    scale = sum((x - mx) * (w.x - wx) + (y - my) * (w.y - wy) for x, y, w in pairs) / spread
    if not 0 < scale < 2:
        return None
    fit = Fit(scale=scale, dx=wx - scale * mx, dy=wy - scale * my)
    found = sum(1 for text, (x, y) in expected if _near(marks.with_text(text), *fit.point(x, y), scale=scale))
    return fit if enough(found, len(expected)) else None


@dataclass
class Reading:
    """What is at one field's place on a page."""

    spot: Spot
    page: int
    widget: Widget | None = None
    """The widget at the field's place (its name may not be the map's)."""
    text: str = ""
    """The words drawn inside the field's box, line by line."""
    marks: list[Word] = field(default_factory=list)
    """Check marks among them."""
    ink: bool = False
    """Something is drawn in the box that is neither text nor the blank form's own lines."""
    appearance: bool = False
    """A Form XObject (a flattened field's appearance) is drawn over the box."""
    labelled: bool = True
    """Whether the field's printed label is where the map puts it: only then is the box's
    identity confirmed by the page itself."""

    @property
    def empty(self) -> bool:
        return self.widget is None and not self.text and not self.ink


def _overlap(a, b) -> Real:
    """The share of the larger box that the two boxes have in common."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0
    larger = max((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / larger if larger else 0


def lines_of(words: list[Word]) -> str:
    """Words as text: rows top to bottom, words left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (-w.y, w.x)):
        if rows and rows[-1][0].same_row(word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return "\n".join(" ".join(w.text for w in sorted(row, key=lambda w: w.x)) for row in rows)


def label_found(spot: Spot, marks: PageMarks, fit: Fit) -> bool:
    return _near(marks.with_text(spot.label), *fit.point(*spot.label_at), scale=fit.scale) is not None


def read_spot(spot: Spot, marks: PageMarks, widgets: list[Widget], fit: Fit) -> Reading:
    """What is at a field's place (see `labelled`: whether its printed label confirms it)."""
    box = fit.rect(spot.rect)
    reading = Reading(spot=spot, page=marks.index, labelled=label_found(spot, marks, fit))
    here = [w for w in widgets if w.kind == spot.kind and _overlap(w.rect, box) >= SAME_BOX]
    if here:
        reading.widget = max(here, key=lambda w: _overlap(w.rect, box))
    inside = [w for w in marks.words if w.drawn != "annotation" and w.inside(box)]
    reading.text = lines_of(inside)
    reading.marks = [w for w in inside if w.text.lower() in CHECK_MARKS]
    own = [fit.rect(i) for i in spot.ink]
    reading.ink = any(
        ink.inside(box, 0) and not any(all(abs(a - b) <= INK_SAME for a, b in zip((ink.x0, ink.y0, ink.x1, ink.y1), o))
                                       for o in own)
        for ink in marks.ink)
    reading.appearance = any(_overlap(a, box) >= SAME_BOX for a in marks.appearances)
    return reading


def added_words(marks: PageMarks, printed: tuple, fit: Fit) -> list[Word]:
    """The words on the page that the blank form does not print at that place: the values."""
    blank: dict[str, list[tuple]] = {}
    for text, x, y in printed:
        blank.setdefault(text, []).append(fit.point(x, y))
    added = []
    for word in marks.words:
        if word.drawn == "annotation":
            continue
        if not any(abs(word.x - x) <= X_TOLERANCE * fit.scale and abs(word.y - y) <= Y_TOLERANCE * fit.scale
                   for x, y in blank.get(word.text, ())):
            added.append(word)
    return added
