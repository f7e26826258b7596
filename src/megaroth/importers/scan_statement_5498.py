"""A custodian's own Form 5498 statement, scanned or photographed ("2025 Form 5498 IRA Contribution
Information", a caption and its amount on each line): read as its text PDF is (`text_5498`, the captions of
`forms/pdf_text_labels_5498.toml`) from the OCR words laid out on the character grid (`scan_statement.word_grid`),
then each value confirmed on the scan by the rule every scan reader keeps (`scan_statement`, `scan_1099r`).

A value is taken only when every word under it reaches the engine's confidence `CONFIDENT` (the participant's
name `TEXT_CONFIDENT`), or a second reading of its own crop agrees confidently, and it passes the form's checks:
an amount with its cents, the kind of IRA one of IRA, SEP, SIMPLE, Roth IRA, a TIN in its form, an account number
that is one, the tax year printed on the page and read confidently. Anything else is left blank and listed
awaiting confirmation with what it reads, and asked (`questions.boxes` FORM_5498); an amount's place where ink but
no amount was read is asked too (a smudged box 2 is not a blank one: the rollover match would miss it). No year
read, or no box read at all, refuses the form — a Form 5498 is never imported empty.

The rollover match keys on box 2, box 3 and the account number, so those are never guessed: a blank box 2 with
ink in its place waits for a person rather than telling the report that no rollover arrived.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from megaroth.importers import text_5498
from megaroth.importers.account_number import clean_account_number
from megaroth.importers.base import RawForm
from megaroth.importers.csv_batch import ira_kind_flags
from megaroth.importers.scan_1099r import CONFIDENT, MONEY, PATTERNS, TEXT_CONFIDENT, _same, _share, _shown, reread
from megaroth.importers.scan_image import ScanPage
from megaroth.importers.scan_statement import WordGrid, _under, _unread
from megaroth.importers.text_forms import PageReader, TextForm, find_labels

KINDS = {"box_7": "the kind of IRA"}
YEAR_BOX = re.compile(r"^(19|20)\d\d$")


def is_5498_statement(layout: WordGrid) -> bool:
    """Whether the page's text names Form 5498 (not a 1099-R's gross distribution) and prints a money caption."""
    text = "\n".join(layout.grid.lines)
    if not text_5498.is_5498_page(text):
        return False
    return any(label.kind == "money" for label in find_labels(layout.grid, text_5498.specs()))


def read_page(page: ScanPage, name: str, layout: WordGrid) -> RawForm:
    """The statement's Form 5498 (one a page, as its text PDF is read), each box accepted or awaiting a person."""
    grid = layout.grid
    labels = find_labels(grid, text_5498.specs())
    reader = PageReader(grid, labels)
    shell = TextForm(page=page.number, labels=labels)
    values: dict = {}
    fields: dict[str, str] = {}
    scan: dict[str, dict] = {}
    awaiting: dict[str, str] = {}
    errors: list[str] = []

    def role(box: str) -> str:
        return "box_7" if box == "kind" else box

    def ask(box: str, read: str, confidence, why: str) -> None:
        key = role(box)
        read = _shown(key, read)
        scan[key] = {"read": read, "confidence": _share(confidence), "accepted": False, "confirmed": False}
        awaiting[key] = f"{_name(key)} reads {read!r} {why} — confirm or correct"

    for label in labels:
        if role(label.box) in values or role(label.box) in scan or label.box in values:
            continue
        read = reader.read(label)
        words = _under(layout, read)
        if read.problem:
            ask(label.box, read.text or "?", min((w.confidence for w in words), default=0), f"({read.problem})")
            continue
        if read.value in (None, "", False):
            if label.kind == "money":
                # Ink where the amount should be but no amount read is asked, never a blank box.
                _unread(page, layout, reader, shell, label, "money", ask)
            continue
        value, ok, why = _checked(label.box, label.kind, str(read.value))
        confidence = min((w.confidence for w in words), default=Decimal(0))
        bar = TEXT_CONFIDENT if label.box == "participant_name" else CONFIDENT
        if ok and confidence < bar == CONFIDENT and words:
            # A second, independent reading of the value's own crop, as one line: taken only when it is confident
            # and reads the same characters as the page did.
            again = reread(page, SimpleNamespace(scale=Fraction(page.dpi) / 72), None, around=words)
            if again is not None and again[1] >= CONFIDENT and _same(again[0], " ".join(w.text for w in words)):
                confidence = again[1]
        if not ok:
            ask(label.box, str(read.value), confidence, why)
        elif confidence < bar:
            ask(label.box, str(value), confidence,
                f"with the engine's confidence {confidence / 100:.0%}, too low to take unread")
        else:
            caption = " ".join(grid.lines[label.line][label.c0:label.c1].split())
            where = (f"scan of {name}, page {page.number}: read by OCR under the caption '{caption}' "
                     f"(confidence {confidence / 100:.0%})")
            if label.box == "kind":
                for flag in value:
                    values[flag], fields[flag] = True, where
            else:
                values[label.box], fields[label.box] = value, where
            scan[role(label.box)] = {"read": _shown(role(label.box), str(read.value)), "confidence": _share(confidence),
                                     "accepted": True, "confirmed": False}
    year, problem = _year(page, "\n".join(grid.lines))
    if problem:
        errors.append(problem)
    else:
        values["tax_year"] = year
    if not any(key.startswith("box_") for key in [*values, *awaiting]):
        errors.append(f"no box of the Form 5498 could be read on page {page.number}: its captions are printed but no "
                      "amount or kind of IRA is read next to them; megaroth does not import a Form 5498 with no box read")
    taxpayer = {k: values[v] for k, v in (("name", "participant_name"), ("tin", "participant_tin")) if values.get(v)}
    return RawForm(values=values, locator=f"page {page.number}", fields=fields, tax_year=year, taxpayer=taxpayer,
                   errors=errors, scan=scan, awaiting=awaiting, form="5498")


def _checked(box: str, kind: str, text: str) -> tuple[object, bool, str]:
    """(the value as the model takes it, whether it passes the form's checks, why not)."""
    if kind == "money":
        value = text.replace("$", "").replace(" ", "")
        return value, bool(MONEY.match(value)), "(not an amount with cents)"
    if box == "kind":
        flags, bad = ira_kind_flags(text)
        return flags, bool(flags) and not bad, "(not a kind of IRA: IRA, SEP, SIMPLE or Roth IRA)"
    if box == "account_number":
        cleaned = clean_account_number(text)
        return cleaned, cleaned is not None and bool(PATTERNS["account_number"].match(cleaned)), \
            "(not an account number)"
    if box == "participant_tin":
        value = " ".join(text.split())
        return value, bool(PATTERNS["recipient_tin"].match(value)), "(not in the form the box takes)"
    if kind == "year":
        return text.strip(), bool(YEAR_BOX.match(text.strip())), "(not a year)"
    # A name, or a code box (13c) as printed: the model checks the year's codes.
    return " ".join(text.split()), True, ""


def _year(page: ScanPage, text: str) -> tuple[int | None, str | None]:
    """The statement's tax year as printed ("2025 Form 5498"), confidently read, or the reason it is not taken."""
    match = next(text_5498.YEAR.finditer(text), None)
    if match is None:
        return None, (f"no tax year is read on page {page.number}: megaroth reads a scanned Form 5498 statement only "
                      "when its year is printed on it and read")
    year = int(next(g for g in match.groups() if g))
    best = max((w.confidence for w in page.words if re.sub(r"\D", "", w.text) == str(year)), default=Decimal(0))
    if best < CONFIDENT:
        return None, (f"the tax year reads {year} on page {page.number} with the engine's confidence {best / 100:.0%}, "
                      "too low to take: megaroth reads a scanned Form 5498 statement only when its year is read")
    return year, None


def _name(key: str) -> str:
    if key in KINDS:
        return f"box 7 ({KINDS[key]})"
    if key.startswith("box_"):
        return "box " + key.removeprefix("box_")
    return "the " + key.replace("_", " ")


def note(page: ScanPage, name: str, record: RawForm) -> str:
    """What the import says of a scanned Form 5498 statement page."""
    return (f"{name}: page {page.number} is a scanned Form 5498 statement ({round(page.dpi)} dpi); its boxes were "
            "read by OCR under their captions"
            + (f"; awaiting confirmation: {', '.join(_name(k) for k in record.awaiting)}" if record.awaiting else ""))

