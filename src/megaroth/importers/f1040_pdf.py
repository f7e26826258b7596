"""Read the figures of a Form 1040 PDF that tax software produced (for `megaroth compare`).

Software PDFs come fillable (the IRS form with its fields filled), flattened (the values drawn
into the page as the fields' appearances, Form XObjects) or printed (the values as page text,
on the IRS form or on the program's own layout). A figure is taken only where its identity is
certain; every figure says where it was read:

1. by name: the field the year's map names (`forms/<year>/f1040_pdf_fields.toml`, derived from
   the IRS PDF), and only where the IRS form has it;
2. by place: the page is matched to the year's blank form (its printed line numbers and anchor
   words where the map says), and the line is read at its box: the widget there, whatever its
   name (programs rename fields), or the words drawn in the box;
3. by the printed line number, on any layout: the field just right of the line number in the
   entry column, or the amount printed just right of it on its row.

Field names are never matched by a suffix. When the ways disagree, or the line cannot be found,
or its box holds a drawing that is not text, the line is *unreadable*: the figures say which
and how to give it (`--line-5b`), and `compare` refuses to print a number for it.

Form 8606 (lines 1, 2, 3, 6, 13, 14 and 16-18) and Schedule 2 (the additional-tax line) pages are
read the same way. A return may hold several Forms 8606 (one per spouse on a joint return): each
is read on its own pages (a page 1 and the page 2 after it), with the name and SSN printed in its
header, so that the comparison can tell whose it is.
The rollover marker is the word "Rollover" next to the line through 2024 and box 1 of line
5c/4c from 2025; a marker megaroth cannot see (a flattened or printed box with no mark drawn
in it) is read as absent *with doubt*, so a comparison only notes it, never as unchecked.

Importers never decide tax treatment: this module only says what the PDF shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from megaroth.errors import InputError, UnsupportedYear
from megaroth.importers.base import Document
from megaroth.importers.form_layout import CHECK_MARKS, Fit, fit_page, read_spot
from megaroth.importers.pdf_widgets import Widget, page_widgets, value_only_in_appearance
from megaroth.importers.pdf_words import PageMarks, Word, add_annotation_words, read_page
from megaroth.model.software import FORM_8606_LINES, LINE_ITEMS, Figure, Form8606Figures, SoftwareFigures
from megaroth.money import ZERO, MoneyError, parse_money
from megaroth.params import YearParameters
from megaroth.pdf_maps import FormMap, Spot, form_map

CHECK_REACH = 28
"""How far left of the word "Rollover" (in points) its checkbox or check mark may be."""
MARKER_ROWS_BELOW = 26
"""From 2025 the checkbox row (5c/4c) is the row below the amounts (5a/5b, 4a/4b)."""
ENTRY_REACH = 30
"""A field starting this close right of a line number is that line's entry box."""
SAME_PLACE = 3
"""A field within this many points of where the year's form has it is that field."""

_MONEY = re.compile(r"^\(?\$?\d{1,3}(,\d{3})*(\.\d{0,2})?\)?$|^\(?\$?\d+(\.\d{0,2})?\)?$")
_ZERO_MARK = {"-0-", "–0–", "—0—", "-0", "0-"}
_YEAR = [
    re.compile(r"Individual\s+Income\s+Tax\s+Return\s*(20\d\d)"),
    re.compile(r"Form\s*1040(?:-SR)?\s*\(?\s*(20\d\d)\s*\)?"),
    re.compile(r"For the year Jan\.?\s*1\s*[-–—]\s*Dec\.?\s*31,?\s*(20\d\d)"),
]
_TITLES = [  # (kind, page of the form, what the page prints), most specific first
    ("f8606", 2, (r"Form\s*8606\s*\(\s*20\d\d\s*\)\s*Page\s*2\b",)),
    ("f8606", 1, (r"Form\s*8606", r"Nondeductible\s+IRAs")),
    ("schedule_2", 2, (r"Schedule\s*2\s*\(Form\s*1040[^)]*\)\s*(?:\(?20\d\d\)?)?\s*Page\s*2\b",)),
    ("schedule_2", 1, (r"SCHEDULE\s*2\b", r"Additional\s+Taxes")),
    ("f1040", 2, (r"Form\s*1040(?:-SR)?\s*\(\s*20\d\d\s*\)\s*Page\s*2\b",)),
    ("f1040", 1, (r"Individual\s+Income\s+Tax\s+Return",)),
]
_MAP_FORMS = {"f1040": "f1040", "schedule_2": "f1040s2", "f8606": "f8606"}
_FORM_NAMES = {"f1040": "Form 1040", "f8606": "Form 8606", "schedule_2": "Schedule 2"}


def page_kind(text: str) -> tuple[str, int] | None:
    """Which form a page is, by its title or running head: (kind, page of the form).

    Titles are tested first: every page of a real Form 1040 mentions Schedules 1 and 2, so a
    mention of another form says nothing."""
    for kind, page, patterns in _TITLES:
        if all(re.search(p, text) for p in patterns):
            return kind, page
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
    """The amount in a field's or box's text: blank (or the word "Rollover" alone) is zero; the
    last amount among its words ("ROLLOVER 200" is 200); None when it holds no amount."""
    words = [w for w in value.split() if w.lower() != "rollover"]  # the marker beside the amount
    if not words:
        return ZERO
    amounts = [a for a in (_amount(w) for w in words) if a is not None]
    return amounts[-1] if amounts else None


def option_for(item: str, line: str | None) -> str:
    """The `compare` option that gives a figure by hand."""
    if item.startswith("form_8606_line_"):
        return f"--form-8606-line-{item.rsplit('_', 1)[1]}"
    if item == "schedule_2_additional_tax":
        return "--schedule-2-additional-tax"
    if item == "pension_rollover":
        return "--rollover/--no-rollover"
    if item == "ira_rollover":
        return "--ira-rollover/--no-ira-rollover"
    if line in ("4a", "4b", "5a", "5b", "25b"):
        return f"--line-{line} AMOUNT"
    return f"--line {line}=AMOUNT"


@dataclass(frozen=True)
class Candidate:
    """A reading of one line by one way: an amount (ZERO for a blank box) and where."""

    amount: Decimal
    where: str
    blank: bool = False


class Unreadable(Exception):
    """A line that cannot be read with certainty, with the reason."""


class Reader:
    """Reads one PDF; `read()` is the result."""

    def __init__(self, doc: Document, params_for: Callable[[int], YearParameters], default_year: int | None):
        self.doc = doc
        pdf = doc.pdf
        self.marks: list[PageMarks] = [read_page(page, i) for i, page in enumerate(pdf.pages)]
        self.kinds = [page_kind(m.text) for m in self.marks]
        f1040_pages = [i for i, k in enumerate(self.kinds) if k and k[0] == "f1040"]
        if not f1040_pages:
            raise InputError("no Form 1040 page found in this PDF (megaroth reads the 1040 your software produced; "
                             "or give the figures with --line-5a, --line-5b, …)", doc.source)
        self.notes: list[str] = []
        year = printed_year([self.marks[i].text for i in f1040_pages])
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
        self.widgets: dict[int, list[Widget]] = {}
        for index, kind in enumerate(self.kinds):
            if kind:
                page = pdf.pages[index]
                self.widgets[index] = page_widgets(page, index)
                add_annotation_words(page, self.marks[index], keep=value_only_in_appearance)
        self.maps: dict[str, FormMap | None] = {kind: form_map(name, year) for kind, name in _MAP_FORMS.items()}
        self.fits: dict[int, Fit | None] = {}
        self.figures: dict[str, Figure] = {}
        self.unreadable: dict[str, str] = {}
        self.only: set[int] | None = None
        """While one Form 8606 is read: its pages."""
        self.instance: str | None = None
        """While one of several Forms 8606 is read: where it is ("pages 3-4"), for the messages."""

    # ------------------------------------------------------------------ pages and words
    def _pages(self, kind: str, page: int | None = None) -> list[int]:
        return [i for i, k in enumerate(self.kinds) if k and k[0] == kind and (page is None or k[1] == page)
                and (self.only is None or i in self.only)]

    def _fit(self, index: int, kind: str) -> Fit | None:
        """Where the year's blank form is on this page (None: not the IRS form, or not found)."""
        if index not in self.fits:
            form = self.maps.get(kind)
            number = self.kinds[index][1]
            self.fits[index] = fit_page(self.marks[index], form.on_page(number),
                                        [a for a in form.anchors if a.page == number]) if form else None
        return self.fits[index]

    def _labels(self, kind: str, label: str) -> list[Word]:
        """Where the line number is printed as a label; words starting a run of text first. A
        number after "line" is a reference ("Subtract line 17 from line 16"), and so is one after "and" or
        "or" ("Add lines 1 and 2"), not a label."""
        found = []
        for index in self._pages(kind):
            words = self.marks[index].words
            for position, word in enumerate(words):
                if word.text == label and not (position and words[position - 1].text.lower() in ("line", "lines", "and", "or")
                                               and words[position - 1].same_row(word)):
                    found.append(word)
        return sorted(found, key=lambda w: not w.exact)

    def _page(self, page: int) -> str:
        return f"{self.doc.name} page {page + 1}"

    def _where(self, page: int, how: str) -> str:
        return f"{self._page(page)}, {how}"

    def _line_name(self, kind: str, label: str) -> str:
        where = f" ({self.instance})" if kind == "f8606" and self.instance else ""
        return f"{_FORM_NAMES[kind]}{where} line {label}"

    # ------------------------------------------------------------------ amounts, three ways
    def _by_name(self, kind: str, spot: Spot) -> list[Candidate]:
        found = []
        for index in self._pages(kind, spot.page):
            for widget in self.widgets[index]:
                if widget.name != spot.name:
                    continue
                if not _same_place(widget.rect, spot.rect):
                    self.notes.append(f"{self._where(index, f'field {widget.name}')} is not where the {self.year} "
                                      "form has it; the line is read by its place and its line number instead.")
                    continue
                found.append(self._field(widget, f"field {widget.name} (the {self.year} field map)", spot.role))
        return found

    def _field(self, widget: Widget, how: str, role: str) -> Candidate:
        amount = _field_amount(widget.value)
        if amount is None:
            raise InputError(f"field {widget.name} holds {widget.value!r}, not an amount",
                             self.doc.source.at(field=role))
        return Candidate(amount, self._where(widget.page, how), blank=not widget.value.strip())

    def _by_place(self, kind: str, spot: Spot, label: str) -> list[Candidate]:
        found = []
        for index in self._pages(kind, spot.page):
            fit = self._fit(index, kind)
            reading = read_spot(spot, self.marks[index], self.widgets[index], fit) if fit else None
            if reading is None or not reading.labelled:
                continue
            if reading.widget is not None and not (reading.widget.name == spot.name
                                                   and _same_place(reading.widget.rect, spot.rect)):
                found.append(self._field(reading.widget, f"field {reading.widget.name} at line {label}'s place on "
                                         f"the {self.year} form", spot.role))
            if reading.text:
                amount = _field_amount(reading.text)
                if amount is None:
                    raise Unreadable(f"its box holds {reading.text!r}, not an amount ({self._page(index)})")
                found.append(Candidate(amount, self._where(index, f"text in line {label}'s box")))
            elif reading.ink:
                raise Unreadable(f"something that is not text is drawn in its box ({self._page(index)}): "
                                 "a value drawn as outlines or as an image, which megaroth does not read")
            elif reading.widget is None:
                found.append(Candidate(ZERO, self._where(index, f"line {label}'s box is empty"), blank=True))
        return found

    def _by_label(self, kind: str, label: str, role: str | None) -> list[Candidate]:
        """The field or the amount just right of the printed line number, on its row."""
        found = []
        for token in self._labels(kind, label):
            widgets = self.widgets.get(token.page, [])
            row = [w for w in widgets if w.kind == "text" and _on_row(w, token) and w.x1 > token.x1]
            entry = [w for w in row if -3 <= w.x0 - token.x1 <= ENTRY_REACH]
            if entry:
                widget = min(entry, key=lambda w: w.x0)
                found.append(self._field(widget, f"field {widget.name} right of {label!r}", role or label))
                continue
            words = [w for w in self.marks[token.page].words if w.same_row(token) and w is not token
                     and w.drawn != "annotation" and not re.fullmatch(r"[.\s·]+", w.text)]
            right = sorted((w for w in words if w.x > token.x), key=lambda w: w.x)
            if right:
                amount = _amount(right[0].text)
                if amount is None and right[0].text.lower() == "rollover" and len(right) > 1:
                    amount = _amount(right[1].text)
                if amount is not None:
                    found.append(Candidate(amount, self._where(token.page, f"text right of {label!r}")))
                    continue
            # A line number in the entry column (text left of it on its row) with nothing after it
            # is a blank line, unless a field on the row might hold its value.
            if (not right or any(w.x < token.x for w in words)) and not row:
                found.append(Candidate(ZERO, self._where(token.page, f"nothing printed right of {label!r} (blank)"),
                                       blank=True))
        return found

    def _read_amount(self, item: str, kind: str, label: str, role: str | None = None, required: bool = True) -> None:
        form = self.maps.get(kind)
        spot = form.spots.get(role) if form and role else None
        try:
            candidates = []
            if spot is not None:
                candidates += self._by_name(kind, spot) + self._by_place(kind, spot, label)
            candidates += self._by_label(kind, label, role)
        except Unreadable as exc:
            self._unreadable(item, kind, label, str(exc), required)
            return
        amounts = []
        for candidate in candidates:
            if not candidate.blank and candidate.amount not in [c.amount for c in amounts]:
                amounts.append(candidate)
        if len(amounts) > 1:
            self._unreadable(item, kind, label, "it reads " + " and ".join(f"{c.amount} ({c.where})" for c in amounts),
                             required)
        elif amounts:
            self.figures[item] = Figure(item=item, amount=amounts[0].amount, where=amounts[0].where)
        elif candidates:
            self.figures[item] = Figure(item=item, amount=ZERO, where=candidates[0].where)
        elif required:
            self._unreadable(item, kind, label, "it was not found in the PDF")

    def _unreadable(self, item: str, kind: str, label: str, why: str, required: bool = True) -> None:
        if not required:  # a line read only to explain a difference: not compared, and said so
            self.notes.append(f"{self._line_name(kind, label)} is not compared: it could not be read with certainty "
                              f"({why}).")
            return
        option = option_for(item, label)
        if kind == "f8606" and self.instance:
            option = (f"{option} if it is the taxpayer's, --line spouse_{item}=AMOUNT if it is the spouse's")
        self.unreadable[item] = (f"{self._line_name(kind, label)} could not be read with certainty: {why}; "
                                 f"give it with {option}")

    # ------------------------------------------------------------------ Forms 8606, one by one
    def _forms_8606(self) -> list[list[int]]:
        """Each Form 8606's pages: a page 1 with the page 2 right after it (a page 2 alone is its own)."""
        forms: list[list[int]] = []
        for index in self._pages("f8606"):
            if self.kinds[index][1] == 2 and forms and forms[-1][-1] == index - 1 and \
                    self.kinds[forms[-1][-1]][1] == 1:
                forms[-1].append(index)
            else:
                forms.append([index])
        return forms

    def _header(self, index: int) -> tuple[str | None, str | None]:
        """The words above Part I of a Form 8606 page (its name and SSN as printed, and the form's
        own captions), and the SSN found among them."""
        marks = self.marks[index]
        parts = [w for w in marks.words if w.text == "Part"]
        top = max((w.y for w in parts), default=None)
        if top is None:
            heights = [w.y for w in marks.words] or [0]
            top = max(heights) - (max(heights) - min(heights)) / 4
        words = [w.text for w in sorted(marks.words, key=lambda w: (-w.y, w.x)) if w.y > top]
        words += [w.value for w in self.widgets.get(index, []) if w.kind == "text" and w.value.strip()
                  and w.y0 > top]
        text = " ".join(words)
        match = re.search(r"(?<![\d,.])(\d{3}[- ]?\d{2}[- ]?\d{4}|[X*•x]{3}[- ]?[X*•x]{2}[- ]?\d{4})(?![\d,.])", text)
        return (text or None), (match.group(1) if match else None)

    def _read_forms_8606(self) -> list[Form8606Figures]:
        forms = []
        instances = self._forms_8606()
        kept = self.figures
        for pages in instances:
            first, last = pages[0] + 1, pages[-1] + 1
            where = f"{self.doc.name} page{'s' if len(pages) > 1 else ''} {first}" + (f"-{last}" if last != first else "")
            self.only, self.figures = set(pages), {}
            self.instance = where if len(instances) > 1 else None
            for number in FORM_8606_LINES:
                # Part II was always read; the other lines only where the form prints them.
                self._read_amount(f"form_8606_line_{number}", "f8606", number, f"line_{number}",
                                  required=number in ("16", "17", "18"))
            name, tin = self._header(pages[0])
            forms.append(Form8606Figures(where=where, name=name, tin=tin, figures=self.figures))
        self.only, self.instance, self.figures = None, None, kept
        return forms

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
            rows = [w for a in anchors for w in self.marks[a.page].words if w.same_row(a)]
            fields = [w for a in anchors for w in self.widgets.get(a.page, []) if _on_row(w, a)]
            if any(marker.text.lower() in w.text.lower() for w in rows) or \
                    any(marker.text.lower() in w.value.lower() for w in fields):
                self.figures[item] = Figure(item=item, flag=True, where=self._where(anchors[0].page, name))
            else:
                self.figures[item] = Figure(item=item, flag=False, uncertain=True, where=self._where(
                    anchors[0].page, f"no {name} found"))
            return
        found = self._checkbox(item, name) or self._checkbox_by_word(item, name, marker.text, anchors)
        self.figures[item] = found

    def _checkbox(self, item: str, name: str) -> Figure | None:
        """The marker's box by the year's map: by name, then at its place."""
        form = self.maps.get("f1040")
        spot = form.spots.get(item) if form else None
        if spot is None:
            return None
        for index in self._pages("f1040", spot.page):
            for widget in self.widgets[index]:
                if widget.name == spot.name and _same_place(widget.rect, spot.rect):
                    return Figure(item=item, flag=widget.checked, where=self._where(
                        index, f"{name}, field {widget.name} (the {self.year} field map)"))
            fit = self._fit(index, "f1040")
            reading = read_spot(spot, self.marks[index], self.widgets[index], fit) if fit else None
            if reading is None or not reading.labelled:
                continue
            if reading.widget is not None:
                return Figure(item=item, flag=reading.widget.checked, where=self._where(
                    index, f"{name}, field {reading.widget.name} at its place"))
            if reading.marks:
                return Figure(item=item, flag=True, where=self._where(index, f"{name}, a check mark drawn in it"))
            why = "something that is not a check mark megaroth reads is drawn in it" if reading.ink else \
                "no mark is drawn in it, and a flattened or printed box is not read as unchecked"
            return Figure(item=item, flag=False, uncertain=True, where=self._where(index, f"{name}: {why}"))
        return None

    def _checkbox_by_word(self, item: str, name: str, text: str, anchors: list[Word]) -> Figure:
        """On any layout: the word ("Rollover") on the row below the amounts, its box just left of it."""
        words = [w for a in anchors for w in self.marks[a.page].words
                 if w.text.lower() == text.lower() and 0 < a.y - w.y <= MARKER_ROWS_BELOW]
        if not words:
            return Figure(item=item, flag=False, uncertain=True, where=self._where(anchors[0].page, f"{name} not found"))
        word = words[0]
        boxes = [w for w in self.widgets.get(word.page, []) if w.kind == "check"
                 and 0 <= word.x - w.x1 <= CHECK_REACH and _on_row(w, word)]
        if boxes:
            return Figure(item=item, flag=boxes[0].checked, where=self._where(word.page, f"{name}, field "
                                                                              f"{boxes[0].name}"))
        marks = [w for w in self.marks[word.page].words if w.same_row(word) and w.text.lower() in CHECK_MARKS
                 and 0 <= word.x - w.x <= CHECK_REACH]
        if marks:
            return Figure(item=item, flag=True, where=self._where(word.page, f"{name}, a check mark"))
        return Figure(item=item, flag=False, uncertain=True,
                      where=self._where(word.page, f"{name}: no check mark found"))

    # ------------------------------------------------------------------ the result
    def read(self) -> SoftwareFigures:
        lines = self.params.f1040.lines
        for role in LINE_ITEMS:
            self._read_amount(role, "f1040", getattr(lines, role).line, role)
        self._marker("pension_rollover", "pension_gross", "pension_taxable")
        self._marker("ira_rollover", "ira_gross", "ira_taxable")
        forms_8606 = self._read_forms_8606()
        if not forms_8606:
            self.notes.append("No Form 8606 page in the PDF.")
        if self._pages("schedule_2"):
            self._read_amount("schedule_2_additional_tax", "schedule_2",
                              self.params.f1040.schedule_2.additional_tax.line, "additional_tax")
        else:
            self.notes.append("No Schedule 2 page in the PDF.")
        if not any(self.figures.get(role) for role in LINE_ITEMS) and not self.unreadable:
            raise InputError(f"found Form 1040 ({self.year}) but none of its lines "
                             f"{', '.join(getattr(lines, r).line for r in LINE_ITEMS)} could be read; give the "
                             "figures with --line-… options", self.doc.source)
        producer = self.doc.pdf.metadata.get("/Creator") if self.doc.pdf.metadata else None
        return SoftwareFigures(software=str(producer) if producer else None, tax_year=self.year,
                               file=self.doc.name, figures=self.figures, notes=self.notes,
                               unreadable=self.unreadable, forms_8606=forms_8606)


def _same_place(a: tuple, b: tuple) -> bool:
    return all(abs(x - y) <= SAME_PLACE for x, y in zip(a, b))


def _on_row(widget: Widget, word: Word) -> bool:
    """A widget on a word's row: the word's middle height within the widget's height (or 2 points off)."""
    middle = (widget.y0 + widget.y1) / 2
    return abs(middle - word.y - word.size / 3) <= (widget.y1 - widget.y0) / 2 + 2


def is_f1040(doc: Document) -> bool:
    """Whether the document is a PDF with a Form 1040 page (cheap: text of the first pages)."""
    pdf = doc.pdf_or_none()
    if pdf is None:
        return False
    return any((page_kind(page.extract_text() or "") or ("",))[0] == "f1040" for page in list(pdf.pages)[:3])


def read_f1040_pdf(doc: Document, params_for: Callable[[int], YearParameters],
                   default_year: int | None = None) -> SoftwareFigures:
    """The figures of a software's Form 1040 PDF; lines that cannot be read with certainty are
    in `unreadable` (item → what to give instead), never guessed.

    Raises:
        InputError: for a damaged or encrypted PDF, a PDF without a Form 1040, or one none of
            whose lines can be read.
    """
    return Reader(doc, params_for, default_year).read()
