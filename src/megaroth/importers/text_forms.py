"""Find 1099-R boxes in page text laid out on a character grid, by their printed labels.

The input is each page's text with columns preserved (pypdf's layout mode): line i, column j is
a position on the page. Labels are found by regular expressions anywhere in a line
(`forms/pdf_text_labels.toml`), which copes with labels that run together; each value is read
next to its label: to its right on the same line (before the next label), or below it in its
column (above the next label). Layouts differ, so nothing depends on coordinates of one layout:
- one form per page (IRS look, with values under captions; or "Box 1 … $10,200.00" lines);
- several forms on a page (three copies stacked, or accounts one after another): each label
  kind is matched to the forms by its order on the page, and the rest by nearness;
- a table whose header names the boxes and whose rows are forms (a row per account).
A value that cannot be read with confidence makes the record say so; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from megaroth.catalog import read_toml
from megaroth.importers.account_number import clean_account_number

BOX_TAG = r"(?:\s*[\(\[]\s*box\s*\w{1,3}\s*[\)\]])?"

MONEY = re.compile(r"(?<![\w.,/-])\(?\$?\s?(?:\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2})\)?(?![\w,/-]|\.\d)")
MONEYISH = re.compile(r"\$\s?[\dOolIS][\dOolIS,.]*|(?<![\w.])\d[\dOolIS,]*\.[\dOolIS]{2}(?![\w])")
CHECK = re.compile(r"(?<![\w*/-])(?:[xX]|✔|✓|☒|☑|■|✗|✘)(?![\w*/-])")
CODES = re.compile(r"(?<![\w$.,/-])((?:0?[1-9]|[A-HJ-NP-UWY])(?:\s?,?\s?(?:[1-9]|[A-HJ-NP-UWY]))?)(?![\w.,/-])")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
DATE = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\b")
PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*%")
TIN = re.compile(r"(?<![\w-])([\dXx*]{3}-[\dXx*]{2}-\d{4}|[\dXx*]{2}-[\dXx*]{7}|[\dXx*]{5}\d{4})(?![\w-])")
TITLE_YEAR = re.compile(r"(?:(?:tax|calendar)\s+year\s+|^\s*)((?:19|20)\d{2})\b|((?:19|20)\d{2})\s+form\s+1099-r|"
                        r"form\s+1099-r\s*[\(\[]?\s*((?:19|20)\d{2})\b")
BOX_NUMBER_BEFORE = re.compile(r"(?:\bbox\s*)?(?<![\w$.,])\d{1,2}[ab]?[\s.:\-–]{1,4}$")
MAX_DOWN = 8
"""Lines below a label searched for its value."""
TEXT_DOWN = 3
"""Free text (a name, an account number) is read only this close under its label."""


@dataclass(frozen=True)
class LabelSpec:
    box: str
    kind: str
    required: bool
    patterns: tuple[re.Pattern, ...]


@cache
def label_specs(table: str = "pdf_text_labels.toml") -> tuple[tuple[LabelSpec, ...], tuple[re.Pattern, ...]]:
    data = read_toml(table)
    # One alternation per label: a line is scanned once per label, not once per pattern. A box
    # number before the caption is added after matching (BOX_NUMBER_BEFORE), a tag after it here.
    specs = tuple(
        LabelSpec(box=box, kind=spec["kind"], required=bool(spec.get("required", False)),
                  patterns=(re.compile("(?:" + "|".join(f"(?:{p})" for p in spec["patterns"]) + ")" + BOX_TAG),))
        for box, spec in data["labels"].items()
    )
    continuations = tuple(re.compile(p) for p in data["continuations"]["patterns"])
    return specs, continuations


@dataclass(frozen=True)
class Label:
    box: str
    kind: str
    required: bool
    page: int
    line: int
    c0: int
    c1: int

    @property
    def center_twice(self) -> int:
        """Twice the column of the label's centre: an integer, and enough to compare distances."""
        return self.c0 + self.c1


@dataclass
class Grid:
    page: int
    lines: list[str]
    lower: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = [line.rstrip() for line in self.lines]
        self.lower = [line.replace("’", "'").lower() for line in self.lines]

    def segment(self, line: int, c0: int, c1: int) -> str:
        if not 0 <= line < len(self.lines):
            return ""
        text = self.lines[line]
        return text[max(c0, 0):max(c1, 0)]


def find_labels(grid: Grid, specs: tuple[LabelSpec, ...] | None = None) -> list[Label]:
    """The labels of one page; `specs` another form's captions (default: the 1099-R's)."""
    specs = specs if specs is not None else label_specs()[0]
    labels: list[Label] = []
    for number, text in enumerate(grid.lower):
        if len(text.strip()) < 3:
            continue
        claimed = [False] * len(text)
        for spec in specs:
            for pattern in spec.patterns:
                for match in pattern.finditer(text):
                    start, end = match.span()
                    if end == start or any(claimed[start:end]):
                        continue
                    prefix = BOX_NUMBER_BEFORE.search(text, 0, start)
                    if prefix and not any(claimed[prefix.start():start]):
                        start = prefix.start()  # "1  Gross distribution": the box number is the label's
                    for i in range(start, end):
                        claimed[i] = True
                    labels.append(Label(spec.box, spec.kind, spec.required, grid.page, number, start, end))
    return _merge_continued_labels(labels)


def _merge_continued_labels(labels: list[Label]) -> list[Label]:
    """A caption wrapped over two lines matches twice ("5 Employee contributions/" then
    "Designated Roth contributions"): keep the first line only."""
    kept: list[Label] = []
    for label in sorted(labels, key=lambda l: (l.line, l.c0)):
        if any(k.box == label.box and 0 < label.line - k.line <= 3 and label.c0 < k.c1 + 4 and k.c0 < label.c1 + 4
               for k in kept):
            continue
        kept.append(label)
    return kept


@dataclass
class Read:
    """What was read next to one label."""

    value: Any = None
    text: str = ""
    where: str = ""
    problem: str | None = None
    span: tuple[int, int, int] | None = None
    """Where the value was read on the grid: (line, first column, end column); a block's first line
    (its lines follow one another, as many as the value has). A scan finds the OCR words under it."""


def _after_colon(text: str) -> str:
    """The value printed after a label's colon or leader dots; "" when the text right of a label
    is not introduced that way (it is then another box's number or caption, not a value)."""
    match = re.match(r"\s*(?::|\.{3,}|…)[\s.…]*(.*)$", text)
    return match.group(1).strip() if match else ""


def _is_continuation(text: str) -> bool:
    _, continuations = label_specs()
    stripped = text.strip().lower().replace("’", "'")
    return any(p.search(stripped) for p in continuations)


class PageReader:
    """Values next to labels on one page grid."""

    def __init__(self, grid: Grid, labels: list[Label]) -> None:
        self.grid = grid
        self.labels = labels
        self.by_line: dict[int, list[Label]] = {}
        for label in labels:
            self.by_line.setdefault(label.line, []).append(label)
        for row in self.by_line.values():
            row.sort(key=lambda l: l.c0)

    # ------------------------------------------------------------------ regions
    def right_of(self, label: Label, limit_line: int | None = None) -> tuple[int, int, int]:
        line = label.line if limit_line is None else limit_line
        after = [l.c0 for l in self.by_line.get(label.line, []) if l.c0 >= label.c1]
        end = min(after) if after else len(self.grid.lines[line]) + 1
        return line, label.c1, end

    def column(self, label: Label) -> tuple[int, int]:
        """The columns a label's value may occupy below it: its own span, widened a little, but
        never past the middle of a neighbouring label of the same header line."""
        left, right = label.c0 - 2, max(label.c1, label.c0 + 16) + 2
        for other in self.by_line.get(label.line, []):
            if other is label:
                continue
            if other.c0 >= label.c1:
                right = min(right, other.c0 - 1)
            elif other.c1 <= label.c0:
                left = max(left, other.c1 + 1)
        return left, right

    def blocked(self, label: Label, line: int, c0: int, c1: int) -> bool:
        """Another label between this one and (line, c0..c1), in the same columns."""
        for row in range(label.line + 1, line + 1):
            for other in self.by_line.get(row, []):
                if other.c0 < c1 and c0 < other.c1:
                    return True
        return False

    def owner_on_header(self, label: Label, start: int, end: int) -> bool:
        """For a table header: a value belongs to the header it overlaps most, or, overlapping
        none, to the one it is closest to (values may be left- or right-aligned in a column)."""
        def fit(other: Label) -> tuple[int, int]:
            overlap = min(end, other.c1) - max(start, other.c0)
            gap = max(other.c0 - end, start - other.c1, 0)
            return (-max(overlap, 0), gap)

        row = self.by_line.get(label.line, [])
        best = min(row, key=fit)
        return best is label or fit(best) == fit(label)

    # ------------------------------------------------------------------ reading
    def read(self, label: Label, only_line: int | None = None) -> Read:
        kind = label.kind
        if kind == "flag" and only_line is not None:
            left, right = self.column(label)
            match = CHECK.search(self.grid.segment(only_line, left, right))
            return Read(value=bool(match), text=match.group(0) if match else "",
                        where=self._where(label, only_line) if match else "",
                        span=(only_line, left + match.start(), left + match.end()) if match else None)
        if kind == "flag":
            return self._flag(label)
        if kind == "block":
            return self._block(label)
        pattern = {"money": MONEY, "codes": CODES, "year": YEAR, "date": DATE, "percent": PERCENT,
                   "tin": TIN}.get(kind)
        # 1. to the right, on the label's own line (skipped for table rows)
        if only_line is None:
            line, c0, c1 = self.right_of(label)
            text = self.grid.segment(line, c0, c1)
            found = self._match(pattern, kind, text, label, line, c0)
            if found.value is not None or found.problem:
                return found
        # 2. below, in the label's column
        left, right = self.column(label)
        lines = [only_line] if only_line is not None else range(label.line + 1, label.line + 1 + MAX_DOWN)
        for line in lines:
            if line >= len(self.grid.lines):
                break
            text = self.grid.segment(line, left, right)
            if not text.strip() or _is_continuation(text):
                continue
            if only_line is None and self.blocked(label, line, left, right):
                break
            found = self._match(pattern, kind, text, label, line, left, column=True)
            if found.value is not None or found.problem:
                return found
            if kind == "text" and text.strip() not in ("$", "%"):
                if only_line is None and (line - label.line > TEXT_DOWN or self._clipped(line, left, right)):
                    continue  # a longer phrase passing under the label (a footer), not its value
                start = left + len(text) - len(text.lstrip())
                return Read(value=text.strip(), text=text.strip(), where=self._where(label, line),
                            span=(line, start, start + len(text.strip())))
        return Read()

    def _clipped(self, line: int, left: int, right: int) -> bool:
        """Text that runs on past either edge of the window belongs to something wider."""
        text = self.grid.lines[line]
        before = text[left - 1] if 0 < left <= len(text) else " "
        after = text[right] if 0 <= right < len(text) else " "
        inside = text[max(left, 0):right]
        return (before.strip() != "" and inside[:1].strip() != "") or (after.strip() != "" and inside[-1:].strip() != "")

    def _where(self, label: Label, line: int) -> str:
        caption = self.grid.lines[label.line][label.c0:label.c1].strip()
        return f"text '{caption}' (page {label.page}, line {line + 1})"

    def _match(self, pattern, kind: str, text: str, label: Label, line: int, offset: int,
               column: bool = False) -> Read:
        if pattern is None:  # text: to the right on the same line, after a colon ("Account number: 123")
            value = _after_colon(text)
            if not value or column:
                return Read()
            start = offset + text.rfind(value)
            return Read(value=value, text=value, where=self._where(label, line), span=(line, start, start + len(value)))
        matches = list(pattern.finditer(text))
        if column and len(matches) > 1:
            center_twice = label.center_twice - 2 * offset
            matches.sort(key=lambda m: abs(m.start() + m.end() - center_twice))
        for match in matches:
            if column and not self.owner_on_header(label, offset + match.start(), offset + match.end()):
                continue
            raw = match.group(0)
            value = match.group(1) if kind in ("codes", "year", "date", "percent", "tin") else raw
            if kind == "codes":
                value = value.replace(",", "").replace(" ", "")
            return Read(value=value.strip(), text=raw.strip(), where=self._where(label, line),
                        span=(line, offset + match.start(), offset + match.end()))
        if kind == "money":
            odd = MONEYISH.search(text)
            if odd and not MONEY.search(text):
                return Read(problem=f"{odd.group(0).strip()!r} next to the label is not an amount",
                            where=self._where(label, line), text=odd.group(0).strip(),
                            span=(line, offset + odd.start(), offset + odd.end()))
        return Read()

    def _flag(self, label: Label) -> Read:
        """A check mark on the label's line before the next label (after a dotted leader), or
        beside the label (either side), or just under it."""
        line, c0, c1 = self.right_of(label)
        match = CHECK.search(self.grid.segment(line, c0, c1))
        if match:
            return Read(value=True, text=match.group(0), where=self._where(label, line),
                        span=(line, c0 + match.start(), c0 + match.end()))
        best = None
        for line in range(label.line, label.line + 3):
            if line >= len(self.grid.lines):
                break
            left, right = label.c0 - 5, label.c1 + 16
            text = self.grid.segment(line, left, right)
            for match in CHECK.finditer(text):
                column = left + match.start()
                if line == label.line and label.c0 <= column < label.c1:
                    continue
                if self._nearest_flag_label(line, column) is not label:
                    continue
                distance = abs(line - label.line) * 4 + min(abs(column - label.c0), abs(column - label.c1))
                if best is None or distance < best[0]:
                    best = (distance, line, match.group(0), column)
        if best:
            return Read(value=True, text=best[2], where=self._where(label, best[1]),
                        span=(best[1], best[3], best[3] + len(best[2])))
        return Read(value=False)

    def _nearest_flag_label(self, line: int, column: int) -> Label | None:
        flags = [l for l in self.labels if l.kind == "flag" and 0 <= line - l.line <= 2]
        if not flags:
            return None
        return min(flags, key=lambda l: (abs(line - l.line) * 4
                                         + min(abs(column - l.c0), abs(column - l.c1))))

    def _block(self, label: Label) -> Read:
        """A multi-line block (the payer's name and address) under its label, or after a colon."""
        line, c0, c1 = self.right_of(label)
        segment = self.grid.segment(line, c0, c1)
        inline = _after_colon(segment)
        if inline:
            start = c0 + segment.rfind(inline)
            return Read(value=inline, text=inline, where=self._where(label, line),
                        span=(line, start, start + len(inline)))
        left = label.c0 - 2
        right = min([l.c0 for l in self.by_line.get(label.line, []) if l.c0 > label.c0] or [label.c0 + 60]) - 1
        collected: list[str] = []
        first = None
        for row in range(label.line + 1, label.line + 1 + MAX_DOWN):
            if row >= len(self.grid.lines):
                break
            text = self.grid.segment(row, left, right).strip()
            if any(l.c0 < right and left < l.c1 for l in self.by_line.get(row, [])):
                break
            if not text:
                if collected:
                    break
                continue
            if _is_continuation(text) and not collected:
                continue
            collected.append(text)
            first = row if first is None else first
        if not collected:
            return Read()
        return Read(value="\n".join(collected), text=" / ".join(collected), where=self._where(label, label.line),
                    span=(first, left, right))


@dataclass
class TextForm:
    """One form found on a page: its labels and what was read next to them."""

    page: int
    labels: list[Label]
    reads: dict[str, Read] = field(default_factory=dict)
    row_line: int | None = None
    tax_year: int | None = None
    corrected: bool = False
    void: bool = False

    @property
    def anchor(self) -> Label:
        return next(l for l in self.labels if l.box == "box_1")


def _assign_to_forms(labels: list[Label], anchors: list[Label]) -> list[list[Label]]:
    """Several forms on one page: each label kind printed once per form is matched to the forms
    in reading order; a kind printed fewer times goes to the form whose labels are nearest."""
    forms: list[list[Label]] = [[a] for a in anchors]
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i].line, anchors[i].c0))
    kinds: dict[str, list[Label]] = {}
    for label in labels:
        if label.box != "box_1":
            kinds.setdefault(label.box, []).append(label)
    leftovers = []
    for group in kinds.values():
        if len(group) == len(anchors):
            for index, label in zip(order, sorted(group, key=lambda l: (l.line, l.c0))):
                forms[index].append(label)
        else:
            leftovers.extend(group)
    for label in leftovers:
        def distance(members: list[Label]) -> int:
            lines = [m.line for m in members]
            cols = [m.c0 for m in members] + [m.c1 for m in members]
            dl = 0 if min(lines) <= label.line <= max(lines) else min(abs(label.line - x) for x in lines)
            dc = 0 if min(cols) <= label.c0 <= max(cols) else min(abs(label.c0 - x) for x in cols)
            return dl * 3 + dc
        min(forms, key=distance).append(label)
    return forms


def _table_rows(reader: PageReader, anchor: Label) -> list[int]:
    """Lines under a header row that hold one form each (an amount under box 1's column)."""
    header = reader.by_line.get(anchor.line, [])
    if len(header) < 3:
        return []
    left, right = reader.column(anchor)
    rows = []
    blank = 0
    for line in range(anchor.line + 1, len(reader.grid.lines)):
        if reader.by_line.get(line):
            break
        text = reader.grid.segment(line, left, right)
        if MONEY.search(text):
            rows.append(line)
            blank = 0
        elif not reader.grid.lines[line].strip():
            blank += 1
            if rows and blank > 3:
                break
        elif rows:
            blank += 1
    return rows if len(rows) > 1 else []


def _year_near(grid: Grid, first: int, last: int) -> int | None:
    candidates = []
    for line in range(max(first, 0), min(last + 1, len(grid.lines))):
        text = grid.lower[line]
        for match in TITLE_YEAR.finditer(text):
            year = next(g for g in match.groups() if g)
            candidates.append((0 if ("1099" in text or "year" in text) else 1, abs(line - first), int(year)))
        stripped = text.strip()
        if YEAR.fullmatch(stripped):
            candidates.append((1, abs(line - first), int(stripped)))
        for part in re.split(r"\s{3,}", stripped):
            if YEAR.fullmatch(part.strip()):
                candidates.append((2, abs(line - first), int(part)))
    return min(candidates)[2] if candidates else None


def title_year(grid: Grid) -> int | None:
    """The tax year printed in a page's title, if any."""
    return _year_near(grid, 0, len(grid.lines) - 1)


CORRECTED = re.compile(r"(?<![\w-])corrected(?![\w-])")
VOID = re.compile(r"(?<![\w-])void(?![\w-])")


def _marked(grid: Grid, line: int, start: int, end: int) -> bool:
    window = grid.segment(line, start - 5, end + 4)
    return bool(CHECK.search(window.replace(grid.lines[line][start:end], " " * (end - start))))


def _corrected_void(grid: Grid, first: int, last: int) -> tuple[bool, bool]:
    corrected = void = False
    for line in range(max(first, 0), min(last + 1, len(grid.lines))):
        text = grid.lower[line]
        has_void = VOID.search(text)
        for match in CORRECTED.finditer(text):
            if "if checked" in text or "instructions" in text:
                continue
            if has_void:
                corrected = corrected or _marked(grid, line, *match.span())
            elif "1099" in text or text.strip().startswith(("corrected", "*")) or len(text.strip()) < 60:
                corrected = True  # a heading such as "CORRECTED 2025 Form 1099-R"
        if has_void:
            void = void or _marked(grid, line, *has_void.span())
    return corrected, void


def parse_page(grid: Grid) -> tuple[list[TextForm], str | None]:
    """The forms on one page, or a note saying why there are none."""
    labels = find_labels(grid)
    anchors = [l for l in labels if l.box == "box_1"]
    if not anchors:
        if len({l.box for l in labels}) >= 4:
            return [], (f"page {grid.page} has 1099-R captions but no 'Gross distribution' (box 1) label: "
                        "it cannot be read as a form")
        return [], f"page {grid.page}: no 1099-R on this page (a cover or summary page); skipped"
    boxes = {l.box for l in labels if l.box.startswith("box_")}
    if "box_7" not in boxes and len(boxes) < 4:
        return [], (f"page {grid.page} mentions a gross distribution but has no distribution code and few "
                    "boxes: not a form (a summary?); skipped")
    reader = PageReader(grid, labels)
    forms: list[TextForm] = []
    if len(anchors) == 1 and (rows := _table_rows(reader, anchors[0])):
        # Labels outside the header (payer, recipient) are printed once for every row.
        shared = {l.box: reader.read(l) for l in labels if l.line != anchors[0].line}
        for row in rows:
            form = TextForm(page=grid.page, labels=labels, row_line=row)
            form.reads.update(shared)
            for label in labels:
                if label.line == anchors[0].line:
                    form.reads[label.box] = reader.read(label, only_line=row)
            forms.append(form)
        year = _year_near(grid, 0, anchors[0].line)
        corrected, void = _corrected_void(grid, 0, anchors[0].line)
        for form in forms:
            form.tax_year, form.corrected, form.void = year, corrected, void
        return forms, None
    groups = _assign_to_forms(labels, anchors) if len(anchors) > 1 else [labels]
    bounds = []
    for members in groups:
        bounds.append((min(l.line for l in members), max(l.line for l in members)))
    for index, members in enumerate(groups):
        form = TextForm(page=grid.page, labels=members)
        for label in members:
            if label.box in form.reads and form.reads[label.box].value not in (None, False):
                continue
            form.reads[label.box] = reader.read(label)
        top = bounds[index][0] - 6 if index == 0 else (bounds[index - 1][1] + bounds[index][0]) // 2
        bottom = bounds[index][1] + 6 if index == len(groups) - 1 else (bounds[index][1] + bounds[index + 1][0]) // 2
        if len(groups) == 1:
            top, bottom = 0, len(grid.lines) - 1
        form.tax_year = _year_near(grid, top, bottom)
        form.corrected, form.void = _corrected_void(grid, top, bottom)
        forms.append(form)
    return forms, None


def form_values(form: TextForm) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """A parsed form's boxes as model values, with where each was read and any problem."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    problems: list[str] = []
    states: dict[str, str] = {}
    locals_: dict[str, str] = {}
    specs = {spec.box: spec for spec in label_specs()[0]}
    for box, read in form.reads.items():
        if read.problem:
            problems.append(f"{box}: {read.problem} ({read.where})")
            continue
        if read.value is None or read.value is False:
            continue
        if box == "payer_block":
            first, _, rest = str(read.value).partition("\n")
            values["payer_name"] = first.strip()
            if rest.strip():
                values["payer_address"] = rest.strip()
            fields["payer_name"] = read.where
            continue
        if box == "account_number":
            cleaned = clean_account_number(str(read.value))
            if cleaned is None:
                continue  # a neighbour's text (an address, a caption), never taken as the account number
            values[box] = cleaned
        elif box in ("box_14", "box_15", "box_16"):
            states[box] = read.value
        elif box in ("box_17", "box_18", "box_19"):
            locals_[box] = read.value
        else:
            values[box] = read.value
        fields[box] = read.where
    for box, spec in specs.items():
        if spec.required and box not in values and not any(p.startswith(box + ":") for p in problems):
            caption = "Gross distribution" if box == "box_1" else "Distribution code(s)"
            present = any(l.box == box for l in form.labels)
            problems.append(f"{box}: " + (f"no value found next to '{caption}'" if present
                                          else f"the '{caption}' label was not found") + f" (page {form.page})")
    if states:
        values["state"] = [states]
    if locals_:
        values["local"] = [locals_]
    if form.corrected:
        values["corrected"] = True
    if form.void:
        values["void"] = True
    return values, fields, problems
