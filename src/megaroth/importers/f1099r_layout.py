"""An IRS Form 1099-R page without the live fields of a known revision — flattened (values
drawn as the fields' appearances), printed (values as page text), or filled by a program that
renamed the fields — read box by box at the places the revision's map gives
(`forms/pdf_fields/f1099r_<revision>.toml`, derived from the IRS PDF).

A page is read this way only when it is matched to the IRS form (the printed box numbers and
anchor words where the map puts them, or all moved and scaled alike) and every word it adds to
the blank form sits inside a box (otherwise it is a custodian's imitation of the form, read by
its captions); and a box only when its own printed label is found there. A box holding a drawing that is not text (a value drawn as
outlines or an image) rejects the record; nothing is guessed.

Checkboxes: a widget's state, or a mark drawn in the box. An empty box is unchecked on a
printed page (the values are text, so a mark would be too) and on a flattened page where
another box shows a mark; on a flattened page where no box shows one, the IRS form draws
nothing for an unchecked box and megaroth cannot tell unchecked from not drawn, so the record
is rejected rather than read as unchecked.
"""

from __future__ import annotations

import re

from megaroth.importers.base import Document, RawForm
from megaroth.importers.form_layout import added_words, expected_words, fit_page, read_spot, enough
from megaroth.importers.pdf_fillable import record_from_boxes
from megaroth.importers.pdf_widgets import page_widgets, value_only_in_appearance
from megaroth.importers.pdf_words import add_annotation_words
from megaroth.pdf_maps import f1099r_layouts

IRS_MARK = re.compile(r"OMB\s+No\.\s*1545-0119|1099-R", re.I)
"""Printed on every copy of the IRS form: worth trying the layouts."""
CHECKS = {"void": "VOID", "corrected": "CORRECTED", "box_2b_taxable_not_determined": "2b taxable amount not "
          "determined", "box_2b_total_distribution": "2b total distribution",
          "box_7_ira_sep_simple": "7 IRA/SEP/SIMPLE", "box_12_fatca": "12 FATCA filing requirement"}


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).replace(",", "").replace("$", "") == " ".join(b.split()).replace(",", "").replace("$", "")


def read_irs_page(doc: Document, index: int) -> tuple[RawForm, str] | None:
    """The form on a page of the IRS layout, with the revision read; None when the page is not
    that form (the caller then reads it by its captions)."""
    text = doc.page_texts[index] or ""
    if not IRS_MARK.search(text):
        return None
    page = doc.pdf.pages[index]
    if not _may_fit(page, text):
        return None
    marks = doc.page_marks(index)
    add_annotation_words(page, marks, keep=value_only_in_appearance)
    widgets = page_widgets(page, index)
    for layout in f1099r_layouts():
        fit = fit_page(marks, list(layout.spots.values()), list(layout.anchors))
        if fit is None:
            continue
        boxes = [fit.rect(spot.rect) for spot in layout.spots.values()]
        stray = [w for w in added_words(marks, layout.printed, fit) if not any(w.inside(box, 2) for box in boxes)]
        if stray:  # something printed outside the boxes: an imitation of the form, read by its captions
            return None
        return _read(layout, fit, marks, widgets, index), layout.source
    return None


def _draws_forms(page) -> bool:
    """Whether the page's content may draw a Form XObject (whose text pypdf's layout mode leaves out)."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    xobjects = xobjects.get_object()
    return any(getattr(ref.get_object(), "get", lambda key: None)("/Subtype") != "/Image" for ref in xobjects.values())


def _may_fit(page, text: str) -> bool:
    """Whether the page may be matched to a layout: `fit_page` needs most of the words a layout
    expects (`MATCHED`) drawn on the page as words, and a word drawn by the page's own content is
    in its layout text, its letters in a row (whitespace aside). A page short of them (a
    custodian's statement that names the form) is not extracted a second time, word by word. A
    page that draws Form XObjects (a flattened form draws its values in them; "print to PDF" may
    wrap the whole page in one) is always tried: their text is not in the layout text."""
    if _draws_forms(page):
        return True
    flat = "".join(text.split())
    for layout in f1099r_layouts():
        expected = expected_words(list(layout.spots.values()), list(layout.anchors))
        if enough(sum(1 for word, _ in expected if "".join(word.split()) in flat), len(expected)):
            return True
    return False


def _read(layout, fit, marks, widgets, index: int) -> RawForm:
    page = index + 1
    found: dict[str, tuple[str, object]] = {}
    problems: list[str] = []
    undecided: list[str] = []
    mark_seen = flattened = False
    for role, spot in layout.spots.items():
        reading = read_spot(spot, marks, widgets, fit)
        flattened = flattened or reading.appearance
        if not reading.labelled:
            if not reading.empty:
                problems.append(f"{role}: its printed label {spot.label!r} is not where the IRS {layout.tax_year} form "
                                f"has it (page {page}), so what is drawn there is not read")
            continue
        where = f"{role}'s place on the IRS {layout.tax_year} form (page {page})"
        if spot.kind == "check":
            if reading.widget is not None:
                found[role] = (f"field {reading.widget.name} at the {where}", reading.widget.checked)
            elif reading.marks:
                found[role] = (f"a check mark at the {where}", True)
                mark_seen = True
            elif reading.ink:
                problems.append(f"{role}: something that is not a check mark megaroth reads is drawn in the box "
                                f"(page {page})")
            else:
                undecided.append(role)
            continue
        field_value = reading.widget.value.strip() if reading.widget is not None else ""
        if field_value and reading.text and not _same(field_value, reading.text):
            problems.append(f"{role}: the field at its place holds {field_value!r} but {reading.text!r} is drawn "
                            f"there (page {page})")
        elif field_value:
            found[role] = (f"field {reading.widget.name} at the {where}", reading.widget.value)
        elif reading.text:
            found[role] = (f"text at the {where}", reading.text)
        elif reading.ink:
            problems.append(f"{role}: something that is not text is drawn in the box (page {page}): a value drawn "
                            "as outlines or as an image, which megaroth does not read")
    if undecided and flattened and not mark_seen:
        names = ", ".join(CHECKS.get(role, role) for role in undecided)
        problems.append(f"the checkboxes ({names}) are drawn flattened and none shows a mark: the IRS form draws "
                        f"nothing for an unchecked box, so megaroth cannot tell unchecked from not drawn (page {page}); "
                        "use the fillable PDF, or type the boxes into a case file")
    else:
        for role in undecided:
            found[role] = (f"no mark in box {layout.spots[role].label!r} (page {page})", False)
    record = record_from_boxes(found, f"page {page}", layout.tax_year)
    record.errors.extend(problems)
    return record
