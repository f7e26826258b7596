"""An IRS Form 5498 printed flat by an issuer's software (the IRS grid, values under their
captions), read box by box from the words' places on the page.

megaroth has no copy of the IRS's Form 5498 PDF to derive a field map of positions from (as
`f1099r_layout` has for the 1099-R), so the page itself gives the grid: each box's printed
caption with its box number (`forms/f5498_layout.toml`) is found in the page's rows of words,
and a value belongs to the nearest caption above it whose cell starts at or left of it — the
way the IRS form is drawn, a caption at the top-left of its box — unless another caption or the
form's own print lies between them. Amounts may sit anywhere in their box (issuers right-align
them), which is why a character grid, reading under a caption's own width, misses them.

A box whose reading is not what the box holds (not an amount, two amounts) rejects the record
naming it; a page with the captions but no box read is refused, never imported as an empty form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from megaroth.catalog import read_toml
from megaroth.importers.account_number import clean_account_number
from megaroth.importers.base import Document, RawForm
from megaroth.importers.csv_batch import ira_kind_flags
from megaroth.importers.form_layout import CHECK_MARKS
from megaroth.importers.pdf_words import Word
from megaroth.importers.text_forms import DATE, MONEY, MONEYISH, TIN, YEAR

BELOW = 80
"""Points under a caption's baseline that its box may reach (the IRS boxes are 24-72 tall)."""
SAME_ROW = 2
"""Points a value may sit above its caption's baseline and still be under it (a check mark)."""
KIND_MARK = 40
"""Points from a box 7 checkbox label that its mark may be."""
YEAR_NEAR = 140
"""Points from "Form 5498" that the printed tax year may be."""
NUMBERED = ("box_",)


def _norm(token: str) -> str:
    return token.replace("’", "'").replace("‘", "'").lower().strip("().,:;")


@dataclass(frozen=True)
class BoxSpec:
    box: str
    kind: str
    number: str | None
    phrases: tuple[tuple[str, ...], ...]
    vocabulary: frozenset[str]


@cache
def _table() -> tuple[tuple[BoxSpec, ...], tuple[tuple[str, ...], ...], int]:
    data = read_toml("f5498_layout.toml")
    specs = []
    for box, spec in data["boxes"].items():
        number = spec.get("number")
        phrases = tuple(sorted((((number,) if number else ()) + tuple(_norm(t) for t in words.split())
                                for words in spec["words"]), key=len, reverse=True))
        vocabulary = {t for p in phrases for t in p} | {_norm(t) for t in spec.get("printed", "").split()}
        specs.append(BoxSpec(box=box, kind=spec["kind"], number=number, phrases=phrases,
                             vocabulary=frozenset(vocabulary - {""})))
    prints = tuple(sorted((tuple(_norm(t) for t in p.split()) for p in data["print"]["phrases"]), key=len,
                          reverse=True))
    return tuple(specs), prints, int(data["meta"]["min_captions"])


@dataclass
class Caption:
    spec: BoxSpec | None
    """None for the form's own print (a title, the footer)."""
    words: list[Word]

    @property
    def x(self):
        return self.words[0].x

    @property
    def x1(self):
        return self.words[-1].x1

    @property
    def y(self):
        return self.words[0].y


@dataclass
class Page5498:
    captions: list[Caption] = field(default_factory=list)
    prints: list[Caption] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words in rows, top to bottom, left to right. The words of one run of text stay together
    in the order drawn: only a run's first word has an exact x (the others' are estimated from
    average widths), so sorting them by x could interleave two neighbouring captions."""
    runs: list[list[Word]] = []
    for word in words:
        if runs and not word.exact and runs[-1][-1].y == word.y:
            runs[-1].append(word)
        else:
            runs.append([word])
    rows: list[list[list[Word]]] = []
    for run in sorted(runs, key=lambda r: (-r[0].y, r[0].x)):
        row = next((row for row in rows if row[0][0].same_row(run[0])), None)
        if row is None:
            rows.append([run])
        else:
            row.append(run)
    return [[w for run in sorted(row, key=lambda r: r[0].x) for w in run] for row in rows]


def _find(words: list[Word]) -> Page5498:
    """The captions and the form's print on a page, each matched as a run of words in a row."""
    specs, prints, _ = _table()
    found = Page5498()
    for row in _rows(words):
        tokens = [_norm(w.text) for w in row]
        taken = [False] * len(row)
        for kind, phrase in [("print", p) for p in prints] + [(s, p) for s in specs for p in s.phrases]:
            n = len(phrase)
            for i in range(len(row) - n + 1):
                if any(taken[i:i + n]) or tuple(tokens[i:i + n]) != phrase:
                    continue
                for j in range(i, i + n):
                    taken[j] = True
                caption = Caption(spec=None if kind == "print" else kind, words=row[i:i + n])
                (found.prints if kind == "print" else found.captions).append(caption)
                found.claimed.update(id(w) for w in row[i:i + n])
    return found


def is_irs_5498(doc: Document, index: int) -> bool:
    """Whether a page draws the IRS Form 5498's grid: enough of its numbered captions (cheap on
    the layout text first, then on the words)."""
    _, _, least = _table()
    text = doc.page_texts[index].lower()
    if "5498" not in text or not re.search(r"rollover\s+contributions|fmv\s+of\s+account", text):
        return False
    page = _find(doc.page_marks(index).words)
    return len({c.spec.box for c in page.captions if c.spec.number}) >= least


def _owner(word: Word, captions: list[Caption], blockers: list[Caption]) -> Caption | None:
    """The caption a value word is under: the nearest above it (or on its row, left of it)
    whose box starts at or left of it, with no caption or print between them in its column."""
    best = None
    for caption in captions:
        dy = caption.y - word.y
        if dy < -SAME_ROW or dy > BELOW or caption.x > word.x + 1:
            continue
        if abs(dy) <= SAME_ROW and word.x < caption.x1 - 1:
            continue  # on the caption's own row, a value is right of it
        key = (round(dy / 3), -caption.x)
        if best is None or key < best[0]:
            best = (key, caption)
    if best is None:
        return None
    caption = best[1]
    for other in blockers:
        if other is caption or other.spec is not None and other.spec.box == caption.spec.box:
            continue
        if word.y + SAME_ROW < other.y < caption.y - SAME_ROW and other.x < word.x1 and word.x < other.x1:
            return None
    return caption


def _money(text: str, box: str, where: str) -> tuple[str | None, str | None]:
    amounts = {m.group(0).strip() for m in MONEY.finditer(text)}
    if len(amounts) > 1:
        return None, f"{box}: two amounts in the box ({', '.join(sorted(amounts))}) ({where})"
    if amounts:
        return amounts.pop(), None
    odd = MONEYISH.search(text)
    if odd:
        return None, f"{box}: {odd.group(0).strip()!r} in the box is not an amount ({where})"
    return None, None


def read_5498_page(doc: Document, index: int) -> RawForm | None:
    """The Form 5498 on a page of the IRS layout, or None when the page is not that layout."""
    if not is_irs_5498(doc, index):
        return None
    words = [w for w in doc.page_marks(index).words if w.drawn != "annotation"]
    return read_words(words, index + 1)[0]


def numbered_captions(words: list[Word]) -> int:
    """How many of the form's numbered captions the words print (a page is the IRS layout from
    `min_captions`): for words that do not come from a PDF's text (a scan's)."""
    return len({c.spec.box for c in _find(words).captions if c.spec.number})


def read_words(words: list[Word], number: int) -> tuple[RawForm, dict[str, list[Word]]]:
    """The Form 5498 printed by these words (page `number`), and the words read in each box (for a
    scan, whose words each carry the engine's confidence)."""
    page = _find(words)
    record = RawForm(values={}, locator=f"page {number}", form="5498")
    assigned: dict[str, list[Word]] = {}
    boxes = {}
    for caption in page.captions:
        if caption.spec.box in boxes:
            record.errors.append(f"page {number} prints the caption of {caption.spec.box} twice: more than one Form "
                                 "5498 on the page, which megaroth does not read from the IRS layout; give each "
                                 "form its own page")
            return record, assigned
        boxes[caption.spec.box] = caption
    assigned["kinds"] = _kinds(page, boxes.get("box_7"), words, record, number)
    _corrected(page, words, record)
    assigned["tax_year"] = _year(page, words, record, number)
    for word in words:
        if id(word) in page.claimed or word.text in ("$",):
            continue
        owner = _owner(word, page.captions, page.captions + page.prints)
        if owner is not None:
            assigned.setdefault(owner.spec.box, []).append(word)
    for box, caption in boxes.items():
        if caption.spec.kind == "kinds":
            continue
        _value(caption, assigned.get(box, []), record, number)
    read = [b for b in record.values if b.startswith(NUMBERED) and not b.startswith("box_7_")]
    if not read and not record.errors:
        record.errors.append(
            f"no box of the Form 5498 could be read on page {number}: its captions are printed but no amount, year "
            "or code is under them (a blank form, or values drawn as images); megaroth does not import a Form 5498 "
            "with no box read. Type the form's boxes into a case file if it is really blank")
    record.taxpayer = {k: record.values[v] for k, v in (("name", "participant_name"), ("tin", "participant_tin"))
                       if record.values.get(v)}
    return record, assigned


def _value(caption: Caption, words: list[Word], record: RawForm, number: int) -> None:
    spec = caption.spec
    rows = [row for row in _rows(words) if not all(_norm(w.text) in spec.vocabulary for w in row)]
    if spec.kind == "check":
        if any(w.text.lower() in CHECK_MARKS for row in rows for w in row):
            _set(record, spec.box, True, number)
        return
    rows = [[w for w in row if w.text.lower() not in CHECK_MARKS or spec.kind in ("text", "block", "account")]
            for row in rows]
    lines = [" ".join(w.text for w in row) for row in rows if row]
    if not lines:
        return
    text = " ".join(lines)
    where = f"under '{' '.join(w.text for w in caption.words)}' on the IRS Form 5498 layout (page {number})"
    if spec.kind == "money":
        value, problem = _money(text, spec.box, where)
        if problem:
            record.errors.append(problem)
        elif value is not None:
            _set(record, spec.box, value, number, where)
        return
    if spec.kind == "block":
        record.values["trustee_name"] = lines[0]
        record.fields["trustee_name"] = where
        return
    if spec.kind == "account":
        cleaned = clean_account_number(lines[0])
        if cleaned is None:
            record.warnings.append(f"account_number: {lines[0]!r} {where} is not an account number; left empty")
        else:
            _set(record, "account_number", cleaned, number, where)
        return
    if spec.kind in ("year", "date", "tin"):
        pattern = {"year": YEAR, "date": DATE, "tin": TIN}[spec.kind]
        match = pattern.search(text)
        if match is None:
            record.errors.append(f"{spec.box}: {text!r} in the box is not a {spec.kind} ({where})")
        else:
            _set(record, spec.box, match.group(1), number, where)
        return
    if spec.kind == "code":
        _set(record, spec.box, text.strip(), number, where)
        return
    if spec.box in ("participant_street", "participant_city"):
        return  # the participant's address is not kept on the form
    _set(record, spec.box, lines[0], number, where)


def _set(record: RawForm, box: str, value, number: int, where: str | None = None) -> None:
    record.values[box] = value
    record.fields[box] = where or f"a check mark in {box}'s box on the IRS Form 5498 layout (page {number})"


def _marks(words: list[Word]) -> list[Word]:
    return [w for w in words if w.text.lower() in CHECK_MARKS]


def _kinds(page: Page5498, caption: Caption | None, words: list[Word], record: RawForm, number: int) -> list[Word]:
    """Box 7's checkboxes: each label's mark is the check mark nearest it on its row (the marks returned)."""
    if caption is None:
        return []
    row = [w for w in words if w.same_row(caption.words[0]) and w.x >= caption.x]
    labels: list[tuple[str, Word, Word]] = []
    i = 0
    row.sort(key=lambda w: w.x)
    while i < len(row):
        token = _norm(row[i].text)
        if token == "roth" and i + 1 < len(row) and _norm(row[i + 1].text) == "ira":
            labels.append(("Roth IRA", row[i], row[i + 1]))
            i += 2
            continue
        if token in ("ira", "sep", "simple"):
            labels.append((token.upper(), row[i], row[i]))
        i += 1
    for _, first, last in labels:
        page.claimed.update((id(first), id(last)))
    marks = [w for w in _marks(words) if id(w) not in page.claimed and w.same_row(caption.words[0])
             and w.x >= caption.x]
    checked, used = [], []
    for mark in marks:
        page.claimed.add(id(mark))
        near = min(labels, key=lambda l: max(l[1].x - mark.x1, mark.x - l[2].x1, 0), default=None)
        if near is not None and max(near[1].x - mark.x1, mark.x - near[2].x1, 0) <= KIND_MARK:
            checked.append(near[0])
            used.append(mark)
    flags, _ = ira_kind_flags(", ".join(checked))
    where = f"a check mark beside box 7's label on the IRS Form 5498 layout (page {number})"
    for flag in flags:
        record.values[flag] = True
        record.fields[flag] = where
    return used


def _corrected(page: Page5498, words: list[Word], record: RawForm) -> None:
    for caption in page.prints:
        if caption.words[0].text.lower() not in ("corrected", "void"):
            continue
        for mark in _marks(words):
            if mark.same_row(caption.words[0]) and -12 <= caption.x - mark.x1 and mark.x - caption.x1 <= 12 \
                    and not (caption.x <= mark.x <= caption.x1):
                page.claimed.add(id(mark))
                record.values[caption.words[0].text.lower()] = True


def _year(page: Page5498, words: list[Word], record: RawForm, number: int) -> list[Word]:
    """The tax year printed beside the title "Form 5498" (the largest year near it; its word returned)."""
    titles = [c for c in page.prints if [_norm(w.text) for w in c.words] == ["form", "5498"]]
    best = None
    for word in words:
        if id(word) in page.claimed or not YEAR.fullmatch(word.text):
            continue
        for title in titles:
            distance = abs(word.x - title.x1) + abs(word.y - title.y)
            if distance <= YEAR_NEAR:
                key = (-word.size, distance)
                if best is None or key < best[0]:
                    best = (key, word)
    if best is not None:
        page.claimed.add(id(best[1]))
        record.tax_year = int(best[1].text)
        record.values["tax_year"] = record.tax_year
        record.fields["tax_year"] = f"the year printed beside 'Form 5498' (page {number})"
        return [best[1]]
    return []
