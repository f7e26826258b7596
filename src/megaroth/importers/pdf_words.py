"""What is drawn on a PDF page, in page coordinates: its words, and the small drawings (ink)
that are not text.

pypdf reports the text inside a Form XObject (the appearance a flattened form field was drawn
with, or a page that "print to PDF" wrapped) in the XObject's own coordinates. Here every word
goes through the XObject's /Matrix and the CTM at its `Do`, so a value drawn by a flattened
field lands where the field was, next to the line number printed on the form. Annotation
appearance streams, which are not part of the page content, are placed on the page the way a
viewer draws them (PDF 32000-1:2008, 12.5.5: the appearance's BBox, transformed by its
Matrix, is fitted to the annotation's Rect).

Ink is what a reader must not mistake for "nothing there": a value drawn as vector outlines
or as an image, or a check mark drawn as lines. Only small painted paths and images are kept.

Positions are PDF points as pypdf gives them: geometry, never money.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import cache
from dataclasses import dataclass, field
from numbers import Real

CHAR_WIDTHS = 2
"""Average character width: the font size divided by this (Helvetica-like fonts)."""
ROW = 3, 5
"""Two words are on one row when their baselines differ by less than 3/5 of the font size…"""
ROW_MIN = 4
"""…or by less than this many points."""
INK_MAX = 60
"""Painted paths and images up to this size (points) are kept: marks and glyph outlines, not
the rules and boxes of the form."""

LAYOUT_SCALE_WEIGHT = Fraction(5, 4)
"""pypdf's default layout_mode_scale_weight (1.25, exactly)."""
SPACE_WIDTH = 200
"""pypdf's default space_width for plain-mode extraction."""

IDENTITY = (1, 0, 0, 1, 0, 0)
_PAINT = {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*"}
_POINTS = {b"m": 1, b"l": 1, b"c": 3, b"v": 2, b"y": 2}


def multiply(m, n) -> tuple:
    """The matrix m × n (PDF row-vector convention: apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m, x, y) -> tuple:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _matrix(value) -> tuple:
    try:
        numbers = tuple(value)
        return numbers if len(numbers) == 6 else IDENTITY
    except TypeError:
        return IDENTITY


def box_under(matrix, x0, y0, x1, y1) -> tuple:
    """The bounding box, in page coordinates, of a rectangle under a matrix."""
    points = [apply(matrix, x, y) for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Word:
    page: int
    x: Real
    """Left edge; for a word inside a longer run of text, estimated from average widths."""
    y: Real
    """Baseline."""
    size: Real
    text: str
    exact: bool = True
    """False for a word after the first of its run of text (its x is estimated)."""
    drawn: str = "page"
    """Where it was drawn: "page" (the page's own content), "xobject" (a Form XObject, as a
    flattened field's appearance) or "annotation" (an annotation's appearance stream)."""

    @property
    def x1(self) -> Real:
        return self.x + len(self.text) * self.size / CHAR_WIDTHS

    def same_row(self, other: "Word") -> bool:
        return abs(self.y - other.y) * ROW[1] <= max(ROW[0] * max(self.size, other.size), ROW_MIN * ROW[1])

    def inside(self, box, margin: Real = 1) -> bool:
        """Whether the word's middle lies in the box (x0, y0, x1, y1)."""
        middle_x = (self.x + self.x1) / 2
        middle_y = self.y + self.size / 3
        return box[0] - margin <= middle_x <= box[2] + margin and box[1] - margin <= middle_y <= box[3] + margin


@dataclass(frozen=True)
class Ink:
    """A small painted path or an image, by its bounding box."""

    x0: Real
    y0: Real
    x1: Real
    y1: Real
    in_xobject: bool

    def inside(self, box, margin: Real = 1) -> bool:
        return (box[0] - margin <= self.x0 and self.x1 <= box[2] + margin
                and box[1] - margin <= self.y0 and self.y1 <= box[3] + margin)


@dataclass
class PageMarks:
    """Everything read from one page."""

    index: int
    text: str
    words: list[Word] = field(default_factory=list)
    ink: list[Ink] = field(default_factory=list)
    appearances: list[tuple] = field(default_factory=list)
    """Bounding boxes of the Form XObjects drawn on the page (a flattened form draws one per field)."""
    _by_text: dict | None = field(default=None, repr=False)
    _indexed: int = field(default=0, repr=False)

    def with_text(self, text: str) -> list[Word]:
        """The words (not from annotations' appearances) that are exactly `text`."""
        if self._by_text is None or self._indexed != len(self.words):
            self._by_text, self._indexed = {}, len(self.words)
            for word in self.words:
                if word.drawn != "annotation":
                    self._by_text.setdefault(word.text, []).append(word)
        return self._by_text.get(text, [])


class _Collector:
    """pypdf visitors that keep the transformation from each XObject's space to the page."""

    def __init__(self, marks: PageMarks, base, resources, drawn: str) -> None:
        self.marks = marks
        self.drawn = drawn
        self.stack: list[tuple] = [(base, resources)]
        self.pushed: list[bool] = []
        self.path: list[tuple] = []

    def _to_page(self, cm) -> tuple:
        return multiply(_matrix(cm), self.stack[-1][0])

    def before(self, operator, operands, cm, tm) -> None:
        if operator in _POINTS or operator == b"re":
            self._path(operator, operands, cm)
        elif operator in _PAINT:
            self._paint()
        elif operator in (b"n", b"BT"):
            self.path = []  # a clipping path ends here; no path crosses a text object
        elif operator == b"Do":
            self._enter(operands, cm)
        elif operator == b"INLINE IMAGE":
            self._ink(box_under(self._to_page(cm), 0, 0, 1, 1))

    def after(self, operator, operands, cm, tm) -> None:
        if operator == b"Do" and self.pushed and self.pushed.pop():
            self.stack.pop()
            self.path = []

    def _path(self, operator, operands, cm) -> None:
        try:
            numbers = [n + 0 for n in operands]
        except TypeError:
            return
        matrix = self._to_page(cm)
        if operator == b"re" and len(numbers) == 4:
            x, y, w, h = numbers
            self.path.extend(apply(matrix, px, py) for px, py in ((x, y), (x + w, y + h)))
        else:
            for i in range(0, min(len(numbers), 2 * _POINTS[operator]) - 1, 2):
                self.path.append(apply(matrix, numbers[i], numbers[i + 1]))

    def _paint(self) -> None:
        if self.path:
            xs, ys = [p[0] for p in self.path], [p[1] for p in self.path]
            self._ink((min(xs), min(ys), max(xs), max(ys)))
        self.path = []

    def _ink(self, box) -> None:
        if box[2] - box[0] <= INK_MAX and box[3] - box[1] <= INK_MAX:
            self.marks.ink.append(Ink(*box, in_xobject=len(self.stack) > 1 or self.drawn != "page"))

    def _enter(self, operands, cm) -> None:
        """Before a `Do`: a Form XObject's space becomes the current one until its `Do` ends."""
        self.pushed.append(False)
        self.path = []
        try:
            xobject = self.stack[-1][1]["/XObject"][operands[0]].get_object()
            subtype = xobject.get("/Subtype")
        except (KeyError, TypeError, AttributeError, IndexError):
            return
        if subtype == "/Image":
            self._ink(box_under(self._to_page(cm), 0, 0, 1, 1))
        elif subtype == "/Form":
            matrix = multiply(_matrix(xobject.get("/Matrix", IDENTITY)), self._to_page(cm))
            resources = xobject.get("/Resources")
            self.stack.append((matrix, resources.get_object() if resources is not None else {}))
            self.pushed[-1] = True
            bbox = list(xobject.get("/BBox", []))
            if len(bbox) == 4:
                self.marks.appearances.append(box_under(matrix, *bbox))

    def text(self, text, cm, tm, font, size) -> None:
        if not text or text.isspace():
            return
        matrix = multiply(multiply(_matrix(tm), _matrix(cm)), self.stack[-1][0])
        x, y = matrix[4], matrix[5]
        height = size * (math.hypot(matrix[2], matrix[3]) or 1)
        drawn = self.drawn if len(self.stack) == 1 else "xobject"
        offset, first = 0, True
        for word in re.split(r"(\s+)", text):
            if word and not word.isspace():
                self.marks.words.append(Word(page=self.marks.index, x=x + offset * height / CHAR_WIDTHS, y=y,
                                             size=height, text=word, exact=first, drawn=drawn))
                first = False
            offset += len(word)


def parsed_content(page):
    """The page's content stream parsed as pypdf's text extraction parses it (both modes), to
    be shared by every extraction of the page; None when the page has no content stream (then
    pypdf's own path gives its answer) or pypdf lacks the internals the sharing uses."""
    if not _sharing():
        return None
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return None
    content = ContentStream(contents, page.pdf, "bytes")
    _ = content.operations  # parsed now, once
    return content


def layout_text(page, content=None) -> str:
    """The page's text laid out on a character grid: pypdf's layout mode
    (`extract_text(extraction_mode="layout", layout_mode_space_vertically=True)`), run on the
    content stream `parsed_content` parsed, when given."""
    if content is None:
        return page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
    from pypdf._text_extraction import _layout_mode

    # The steps of pypdf's PageObject._layout_mode_text, with its defaults, on the shared operations.
    fonts = page._layout_mode_fonts()
    bt_groups = _layout_mode.text_show_operations(iter(content.operations), fonts, True, None)
    if not bt_groups:
        return ""
    ty_groups = _layout_mode.y_coordinate_groups(bt_groups, None)
    char_width = _layout_mode.fixed_char_width(bt_groups, LAYOUT_SCALE_WEIGHT)
    return _layout_mode.fixed_width_page(ty_groups, char_width, True, 1)


def read_page(page, index: int, content=None) -> PageMarks:
    """The words, ink and drawn XObjects of one page, all in page coordinates, in one pass of
    pypdf's text extraction (plain mode, with visitors), on the content stream
    `parsed_content` parsed, when given."""
    marks = PageMarks(index=index, text="")
    resources = page.get("/Resources")
    collector = _Collector(marks, IDENTITY, resources.get_object() if resources is not None else {}, "page")
    visitors = {"visitor_text": collector.text, "visitor_operand_before": collector.before,
                "visitor_operand_after": collector.after}
    if content is None:
        marks.text = page.extract_text(**visitors) or ""
    else:
        from pypdf.generic import DictionaryObject, NameObject

        # pypdf's extract_text() is _extract_text(page, …, "/Contents", …): on a shallow copy of the
        # page (the same resources and parents) whose /Contents is the parsed stream, which pypdf
        # then uses as it is instead of parsing it again.
        view = DictionaryObject(page)
        view[NameObject("/Contents")] = content
        marks.text = page._extract_text(view, page.pdf, (0, 90, 180, 270), SPACE_WIDTH, "/Contents",
                                        visitors["visitor_operand_before"], visitors["visitor_operand_after"],
                                        visitors["visitor_text"]) or ""
    return marks


@cache
def _sharing() -> bool:
    """Whether this pypdf has the internals `parsed_content` relies on (pypdf 5 to 7 do)."""
    import inspect

    try:
        from pypdf import PageObject
        from pypdf._text_extraction import _layout_mode

        names = list(inspect.signature(PageObject._extract_text).parameters)
        return (names[:9] == ["self", "obj", "pdf", "orientations", "space_width", "content_key",
                              "visitor_operand_before", "visitor_operand_after", "visitor_text"]
                and hasattr(PageObject, "_layout_mode_fonts")
                and len(inspect.signature(_layout_mode.fixed_width_page).parameters) == 4
                and all(hasattr(_layout_mode, n) for n in ("text_show_operations", "y_coordinate_groups",
                                                           "fixed_char_width")))
    except (ImportError, AttributeError, TypeError, ValueError):
        return False


def _appearance(annotation):
    appearance = annotation.get("/AP")
    normal = appearance.get_object().get("/N") if appearance is not None else None
    if normal is None:
        return None
    normal = normal.get_object()
    if "/BBox" not in normal:  # a dictionary of states: the one shown is /AS
        state = annotation.get("/AS")
        normal = normal.get(state).get_object() if state is not None and state in normal else None
    return normal


def add_annotation_words(page, marks: PageMarks, keep=lambda annotation: True) -> None:
    """Add the words drawn by the page's annotations' appearance streams (those `keep`
    accepts and a viewer shows), placed on the page as a viewer places them."""
    for ref in page.get("/Annots") or []:
        annotation = ref.get_object()
        if int(annotation.get("/F", 0)) & 2 or not keep(annotation):  # hidden
            continue
        form = _appearance(annotation)
        if form is None or "/Rect" not in annotation:
            continue
        try:
            content = form.get_data()
        except (ValueError, TypeError, KeyError):
            continue
        if b"Tj" not in content and b"TJ" not in content:
            continue  # an appearance that shows no text (an empty field, a border)
        matrix = _matrix(form.get("/Matrix", IDENTITY))
        bx0, by0, bx1, by1 = box_under(matrix, *list(form.get("/BBox", [0, 0, 1, 1]))[:4])
        rx0, ry0, rx1, ry1 = (min(annotation["/Rect"][0], annotation["/Rect"][2]),
                              min(annotation["/Rect"][1], annotation["/Rect"][3]),
                              max(annotation["/Rect"][0], annotation["/Rect"][2]),
                              max(annotation["/Rect"][1], annotation["/Rect"][3]))
        if bx1 <= bx0 or by1 <= by0:
            continue
        sx, sy = (rx1 - rx0) / (bx1 - bx0), (ry1 - ry0) / (by1 - by0)
        fit = (sx, 0, 0, sy, rx0 - bx0 * sx, ry0 - by0 * sy)
        resources = form.get("/Resources")
        collector = _Collector(marks, multiply(matrix, fit), resources.get_object() if resources else {},
                               "annotation")
        try:
            page.extract_xform_text(form, visitor_text=collector.text, visitor_operand_before=collector.before,
                                    visitor_operand_after=collector.after)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # an appearance pypdf cannot parse adds no words
