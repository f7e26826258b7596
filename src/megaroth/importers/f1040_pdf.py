"""Read the figures of a Form 1040 PDF that tax software produced (for `megaroth compare`).

Software PDFs come in two kinds: fillable (the IRS form with its AcroForm fields filled) and
flat (the form printed with the amounts as text). Each line is read by the first way that
works, and every figure says which:

1. the year's field-name map (`forms/<year>/f1040_pdf_fields.toml`), when the PDF has those
   fields: field names move every year, so a map is data for one year;
2. the field's position: the text field just right of the printed line number ("5b") on the
   same row, for years without a map or a PDF whose fields were renamed;
3. the text: the amount printed just right of the line number on the same row.

The pages of Form 8606 (lines 16-18) and Schedule 2 (the additional-tax line) are read the
same way, by their text or fields. The rollover marker is the word "Rollover" on the line's
row through 2024, and box 1 of line 5c/4c from 2025; a marker megaroth cannot see is read as
absent *with doubt*, so that a comparison only notes it.

Importers never decide tax treatment: this module only says what the PDF shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from megaroth.errors import InputError, UnsupportedYear
from megaroth.importers.base import Document
from megaroth.model.software import LINE_ITEMS, Figure, SoftwareFigures
from megaroth.money import ZERO, MoneyError, parse_money
from megaroth.params import YearParameters, pdf_field_map

CHAR_WIDTH = Decimal("0.5")
"""Average character width as a fraction of the font size (Helvetica-like fonts)."""
ROW = Decimal("0.6")
"""Two pieces of text are on one row when their baselines differ by less than this × font size."""
ROW_MIN = Decimal("4")
CHECK_REACH = Decimal("28")
"""How far left of the word "Rollover" (in points) its checkbox or check mark may be."""
MARKER_ROWS_BELOW = Decimal("26")
"""From 2025 the checkbox row (5c/4c) is the row below the amounts (5a/5b, 4a/4b)."""
CHECK_MARKS = {"x", "✓", "✔", "4", "3", "8"}
"""An "X", a check mark, or ZapfDingbats' check glyphs as extracted ("4" is ✔)."""

_MONEY = re.compile(r"^\(?\$?\d{1,3}(,\d{3})*(\.\d{0,2})?\)?$|^\(?\$?\d+(\.\d{0,2})?\)?$")
_ZERO_MARK = {"-0-", "–0–", "—0—", "-0", "0-"}
_YEAR = [
    re.compile(r"Individual\s+Income\s+Tax\s+Return\s*(20\d\d)"),
    re.compile(r"Form\s*1040(?:-SR)?\s*\(?\s*(20\d\d)\s*\)?"),
    re.compile(r"For the year Jan\.?\s*1\s*[-–—]\s*Dec\.?\s*31,?\s*(20\d\d)"),
]


@dataclass(frozen=True)
class Token:
    page: int
    x: Decimal
    y: Decimal
    size: Decimal
    text: str
    exact: bool = True
    """False for a word inside a longer run of text, whose x is estimated from average widths."""

    def same_row(self, other: "Token") -> bool:
        return abs(self.y - other.y) <= max(ROW * max(self.size, other.size), ROW_MIN)


@dataclass(frozen=True)
class Widget:
    page: int
    name: str
    kind: str  # "text" or "check"
    x0: Decimal
    y0: Decimal
    x1: Decimal
    y1: Decimal
    value: str

    def beside(self, token: Token) -> bool:
        """On the token's row, to its right."""
        middle = (self.y0 + self.y1) / 2
        return abs(middle - token.y - token.size / 3) <= max((self.y1 - self.y0), ROW_MIN * 2) and self.x1 > token.x


def _d(value) -> Decimal:
    return Decimal(str(value))


def _page_text(doc: Document, index: int) -> tuple[str, list[Token]]:
    """The page's text and its words with their positions, in one pass of pypdf's visitor."""
    pieces: list[Token] = []

    def visit(text, cm, tm, font, size):
        if not text or not text.strip():
            return
        # Text space → page space: the text matrix times the current transformation matrix.
        a, b, c, d, e, f = (_d(v) for v in tm)
        A, B, C, D, E, F = (_d(v) for v in cm)
        x, y = e * A + f * C + E, e * B + f * D + F
        scale = abs(d * D) or Decimal(1)
        height = _d(size) * scale
        offset = 0
        for word in re.split(r"(\s+)", text):
            if word and not word.isspace():
                pieces.append(Token(page=index, x=x + offset * height * CHAR_WIDTH, y=y, size=height, text=word,
                                    exact=offset == 0))
            offset += len(word)

    text = doc.pdf.pages[index].extract_text(visitor_text=visit) or ""
    return text, pieces


def _widgets(doc: Document) -> list[Widget]:
    widgets = []
    for index, page in enumerate(doc.pdf.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            names, node, kind, value = [], annot, None, None
            while node is not None:  # the name, type and value may sit on the parent field
                if "/T" in node:
                    names.append(str(node["/T"]))
                kind = kind or node.get("/FT")
                value = node.get("/V") if value is None else value
                parent = node.get("/Parent")
                node = parent.get_object() if parent is not None else None
            rect = [_d(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            if kind == "/Btn":
                value = annot.get("/AS", value)
            widgets.append(Widget(
                page=index, name=".".join(reversed(names)), kind="check" if kind == "/Btn" else "text",
                x0=min(rect[0], rect[2]), y0=min(rect[1], rect[3]), x1=max(rect[0], rect[2]),
                y1=max(rect[1], rect[3]), value="" if value is None else str(value)))
    return widgets


def _page_kind(text: str) -> str | None:
    if re.search(r"Form\s*8606", text) and re.search(r"Nondeductible\s+IRAs", text, re.I):
        return "f8606"
    if re.search(r"SCHEDULE\s*2\b", text, re.I) and re.search(r"Additional\s+Taxes", text, re.I):
        return "schedule_2"
    if re.search(r"SCHEDULE\s*\d|Form\s*(5329|8606|8889|8949)\b", text, re.I):
        return None
    if re.search(r"Individual\s+Income\s+Tax\s+Return", text) or (
            re.search(r"Form\s*1040(-SR)?\s*\(\s*20\d\d\s*\)", text) and re.search(r"Page\s*2\b", text)):
        return "f1040"  # page 1 by its title, page 2 by its running head "Form 1040 (2025) Page 2"
    return None


def printed_year(texts: list[str]) -> int | None:
    for text in texts:
        for pattern in _YEAR:
            match = pattern.search(text)
            if match:
                return int(match.group(1))
    return None


def _amount(text: str) -> Decimal | None:
    if text in _ZERO_MARK:
        return ZERO
    if not _MONEY.match(text):
        return None
    try:
        return parse_money(text.rstrip("."))
    except MoneyError:
        return None


def _field_amount(value: str) -> Decimal | None:
    text = value.strip()
    if not text:
        return ZERO
    words = [w for w in re.split(r"\s+", text) if w]
    amounts = [a for a in (_amount(w) for w in words) if a is not None]
    return amounts[-1] if amounts else None


class Reader:
    """Reads one PDF; `figures()` is the result."""

    def __init__(self, doc: Document, params_for: Callable[[int], YearParameters], default_year: int | None):
        self.doc = doc
        pdf = doc.pdf
        pages = [_page_text(doc, i) for i in range(len(pdf.pages))]
        texts = [text for text, _ in pages]
        self.kinds = [_page_kind(t) for t in texts]
        f1040_pages = [i for i, k in enumerate(self.kinds) if k == "f1040"]
        if not f1040_pages:
            raise InputError("no Form 1040 page found in this PDF (megaroth reads the 1040 your software produced; "
                             "or give the figures with --line-5a, --line-5b, …)", doc.source)
        self.notes: list[str] = []
        year = printed_year([texts[i] for i in f1040_pages])
        if year is None:
            if default_year is None:
                raise InputError("the PDF does not print the tax year of its Form 1040; give --year", doc.source)
            year = default_year
            self.notes.append(f"The PDF does not print its tax year; read as a {year} return.")
        self.year = year
        try:
            self.params = params_for(year)
        except UnsupportedYear as exc:
            raise InputError(f"the PDF is a Form 1040 ({year}): {exc.message}", doc.source) from None
        self.tokens = {i: tokens for i, (_, tokens) in enumerate(pages) if self.kinds[i]}
        self.widgets = _widgets(doc) if doc.pdf_fields else []
        self.figures: dict[str, Figure] = {}

    # ------------------------------------------------------------------ helpers
    def _pages(self, kind: str) -> list[int]:
        return [i for i, k in enumerate(self.kinds) if k == kind]

    def _labels(self, kind: str, label: str) -> list[Token]:
        """Where the line number is printed; words placed on their own (exact x) first."""
        found = [t for i in self._pages(kind) for t in self.tokens[i] if t.text == label]
        return sorted(found, key=lambda t: not t.exact)

    def _where(self, page: int, how: str) -> str:
        return f"{self.doc.name} page {page + 1}, {how}"

    def _by_map(self, role: str) -> tuple[Decimal, str] | None:
        field_map = pdf_field_map(self.year)
        name = field_map.fields.get(role) if field_map.available else None
        if not name or not self.widgets:
            return None
        leaf = name.rsplit(".", 1)[-1]
        exact = [w for w in self.widgets if w.name == name]
        found = exact or [w for w in self.widgets if w.name.rsplit(".", 1)[-1] == leaf]
        if len(found) != 1:
            return None
        amount = _field_amount(found[0].value)
        if amount is None:
            raise InputError(f"field {found[0].name} holds {found[0].value!r}, not an amount",
                             self.doc.source.at(field=role))
        return amount, self._where(found[0].page, f"field {found[0].name} (the {self.year} field map)")

    def _by_position(self, kind: str, label: str) -> tuple[Decimal, str] | None:
        for token in self._labels(kind, label):
            beside = [w for w in self.widgets if w.page == token.page and w.kind == "text" and w.beside(token)]
            if beside:
                # The first field on the row that reaches right of the number: its entry box.
                widget = min(beside, key=lambda w: w.x0)
                amount = _field_amount(widget.value)
                if amount is not None:
                    return amount, self._where(widget.page, f"field {widget.name} right of {label!r}")
        return None

    def _by_text(self, kind: str, label: str) -> tuple[Decimal, str, bool] | None:
        """The amount printed right after the line number on its row: (amount, where, blank).
        A line number in the entry column (with text left of it on its row) and nothing
        printed after it is a blank line."""
        blank = None
        for token in self._labels(kind, label):
            row = [t for t in self.tokens[token.page] if t.same_row(token) and t is not token
                   and not re.fullmatch(r"[.\s·]+", t.text)]
            right = sorted((t for t in row if t.x > token.x), key=lambda t: t.x)
            if right:
                amount = _amount(right[0].text)
                if amount is None and right[0].text.lower() == "rollover" and len(right) > 1:
                    amount = _amount(right[1].text)
                if amount is not None:
                    return amount, self._where(token.page, f"text right of {label!r}"), False
            if not right or any(t.x < token.x for t in row):
                blank = blank or (ZERO, self._where(token.page, f"nothing printed right of {label!r} (blank)"), True)
        return blank

    def _read_amount(self, item: str, kind: str, label: str, role: str | None = None) -> None:
        found = self._by_map(role) if role else None
        if found is None and self.widgets:
            found = self._by_position(kind, label)
        text = self._by_text(kind, label)
        if text is not None and (found is None or (found[0] == ZERO and not text[2])):
            found = text[:2]  # an amount printed over an empty field wins; a blank does not
        if found is None:
            self.notes.append(f"{self._line_name(kind, label)} was not found in the PDF.")
            return
        amount, where = found
        self.figures[item] = Figure(item=item, amount=amount, where=where)

    def _line_name(self, kind: str, label: str) -> str:
        return {"f1040": f"Form 1040 line {label}", "f8606": f"Form 8606 line {label}",
                "schedule_2": f"Schedule 2 line {label}"}[kind]

    # ------------------------------------------------------------------ markers
    def _marker(self, item: str, gross_role: str, taxable_role: str) -> None:
        lines = self.params.f1040.lines
        marker = getattr(self.params.f1040.markers, item)
        anchors = self._labels("f1040", getattr(lines, gross_role).line) + \
            self._labels("f1040", getattr(lines, taxable_role).line)
        if not anchors:
            return
        name = f'"{marker.text}" next to line {marker.line}' if marker.kind == "write_in" else \
            f"box {marker.box} ({marker.text}) of line {marker.line}"
        if marker.kind == "write_in":
            rows = [t for a in anchors for t in self.tokens[a.page] if t.same_row(a)]
            fields = [w for a in anchors for w in self.widgets if w.page == a.page and w.beside(a)]
            if any(marker.text.lower() in t.text.lower() for t in rows) or \
                    any(marker.text.lower() in w.value.lower() for w in fields):
                self.figures[item] = Figure(item=item, flag=True, where=self._where(anchors[0].page, name))
            else:
                self.figures[item] = Figure(item=item, flag=False, uncertain=True, where=self._where(
                    anchors[0].page, f"no {name} found"))
            return
        # A checkbox (from 2025): the word on the row below the amounts, its box just left of it.
        words = [t for a in anchors for t in self.tokens[a.page]
                 if t.text.lower() == marker.text.lower() and Decimal(0) < a.y - t.y <= MARKER_ROWS_BELOW]
        if not words:
            self.figures[item] = Figure(item=item, flag=False, uncertain=True,
                                        where=self._where(anchors[0].page, f"{name} not found"))
            return
        word = words[0]
        boxes = [w for w in self.widgets if w.page == word.page and w.kind == "check"
                 and Decimal(0) <= word.x - w.x1 <= CHECK_REACH and abs((w.y0 + w.y1) / 2 - word.y - word.size / 3)
                 <= max(w.y1 - w.y0, ROW_MIN * 2)]
        if boxes:
            checked = boxes[0].value not in ("", "/Off", "Off")
            self.figures[item] = Figure(item=item, flag=checked, where=self._where(word.page, f"{name}, field "
                                                                                   f"{boxes[0].name}"))
            return
        marks = [t for t in self.tokens[word.page] if t.same_row(word) and t.text.lower() in CHECK_MARKS
                 and Decimal(0) <= word.x - t.x <= CHECK_REACH]
        if marks:
            self.figures[item] = Figure(item=item, flag=True, where=self._where(word.page, f"{name}, a check mark"))
        else:
            self.figures[item] = Figure(item=item, flag=False, uncertain=True,
                                        where=self._where(word.page, f"{name}: no check mark found"))

    # ------------------------------------------------------------------ the result
    def read(self) -> SoftwareFigures:
        lines = self.params.f1040.lines
        for role in LINE_ITEMS:
            self._read_amount(role, "f1040", getattr(lines, role).line, role)
        self._marker("pension_rollover", "pension_gross", "pension_taxable")
        self._marker("ira_rollover", "ira_gross", "ira_taxable")
        if self._pages("f8606"):
            for number in ("16", "17", "18"):
                self._read_amount(f"form_8606_line_{number}", "f8606", number)
        else:
            self.notes.append("No Form 8606 page in the PDF.")
        if self._pages("schedule_2"):
            self._read_amount("schedule_2_additional_tax", "schedule_2",
                              self.params.f1040.schedule_2.additional_tax.line)
        else:
            self.notes.append("No Schedule 2 page in the PDF.")
        if not any(self.figures.get(role) for role in LINE_ITEMS):
            raise InputError(f"found Form 1040 ({self.year}) but none of its lines "
                             f"{', '.join(getattr(lines, r).line for r in LINE_ITEMS)} could be read; give the "
                             "figures with --line-… options", self.doc.source)
        producer = self.doc.pdf.metadata.get("/Creator") if self.doc.pdf.metadata else None
        return SoftwareFigures(software=str(producer) if producer else None, tax_year=self.year,
                               file=self.doc.name, figures=self.figures, notes=self.notes)


def is_f1040(doc: Document) -> bool:
    """Whether the document is a PDF with a Form 1040 page (cheap: text of the first pages)."""
    pdf = doc.pdf_or_none()
    if pdf is None:
        return False
    return any(_page_kind(page.extract_text() or "") == "f1040" for page in list(pdf.pages)[:3])


def read_f1040_pdf(doc: Document, params_for: Callable[[int], YearParameters],
                   default_year: int | None = None) -> SoftwareFigures:
    """The figures of a software's Form 1040 PDF.

    Raises:
        InputError: for a damaged or encrypted PDF, a PDF without a Form 1040, or one whose
            lines cannot be read.
    """
    return Reader(doc, params_for, default_year).read()
