"""The IRS's own blank forms of the year, filled with what megaroth computed.

Form 1040 gets the retirement lines only (4a, 4b, 5a, 5b — 4a–4d in 2019 —, 25b — 17 in 2019 —
and the rollover marker: the word "ROLLOVER" in the taxable amount's box through 2024, the
4c/5c Rollover checkbox from 2025); every other field stays blank and each page is stamped as a
partial form for reference. Schedule 2 gets the additional-tax line when the 10% applies; each
person who must file Form 5329 for it (not the Schedule 2 line 8 code 1 shortcut) gets Part I
lines 3 and 4, and line 1 when megaroth knows it; and each person's Form 8606 every line of
Parts I–III megaroth computes (line 10's ratio in its two boxes), where megaroth has that year's
PDF; the lines megaroth leaves blank stay blank.

The blank PDFs are the vendored files of `forms/irs_pdfs.toml`; the fields are found by the maps
derived from those same PDFs (`megaroth.pdf_maps`, scripts/derive_pdf_maps.py), so a value goes
into the field whose IRS tooltip names its line. Filled with pypdf: the values set, appearances
generated. Amounts are written in whole dollars, as forms are filed (`whole`, the default), or in
dollars and cents: the IRS fields are free text with no comb or separate cents box, and i1040 and
i8606 "Rounding off to whole dollars" allow either, the same way on every line. Nothing here
computes: the figures are the Analysis's — Form 1040's lines their totals rounded, Form 8606's
lines as the rules round them (`form8606_whole`: the form's own arithmetic on the rounded lines).
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from megaroth.catalog import forms_root
from megaroth.model.results import Analysis, Form8606, FormResult, PersonResult
from megaroth.money import ZERO, money_text, whole_dollars
from megaroth.pdf_maps import FormMap, form_map

STAMP = ("PARTIAL FORM FOR REFERENCE - megaroth filled only the retirement lines ({lines}); "
         "every other line is blank. Not a complete return.")
STAMP_OTHER = "PARTIAL FORM FOR REFERENCE - megaroth filled only lines {lines}. Not a complete form."


@dataclass
class FilledForm:
    """One filled IRS form: its file name, the PDF, what went in (line → text)."""

    name: str
    form: str
    data: bytes
    values: dict[str, str]
    source: str


@dataclass
class FilledSet:
    forms: list[FilledForm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def zip(self) -> bytes:
        """The filled forms in one zip (`megaroth serve`'s download), with README.txt giving the
        notes (what is not filled, and why) when there are any."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for form in self.forms:
                archive.writestr(form.name, form.data)
            if self.notes:
                archive.writestr("README.txt", "".join(f"- {note}\n" for note in self.notes))
        return buffer.getvalue()


def _text(amount: Decimal, whole: bool = False) -> str:
    """Dollars and cents, or whole dollars rounded half up (i1040 "Rounding Off to Whole Dollars":
    round every amount or none; the line total is rounded, not its addends)."""
    return f"{whole_dollars(amount):,.0f}" if whole else f"{amount:,.2f}"


_BLANKS_LOCK = threading.Lock()


@functools.lru_cache(maxsize=16)
def _blank_reader(pdf: str) -> PdfReader:
    return PdfReader(io.BytesIO(forms_root().joinpath(pdf).read_bytes()))


def _blank_copy(fmap: FormMap) -> PdfWriter:
    """A writer holding a copy of the year's blank form. The blank is parsed once a process and
    kept: most of a fill's time was pypdf parsing the blank's 2,000-odd objects again (a Form 1040
    0.29 s of a 0.35 s fill; a joint return fills Form 8606 twice, `serve` fills at every
    download). Cloning copies every object out of the reader and changes nothing in it; the lock
    because a reader's stream is not to be read from two threads (the page's server)."""
    with _BLANKS_LOCK:
        return PdfWriter(clone_from=_blank_reader(fmap.pdf))


def _stamp(writer: PdfWriter, text: str) -> None:
    """A line of red text across the top margin of every page."""
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    font_ref = writer._add_object(font)
    escaped = text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    for page in writer.pages:
        top = Decimal(str(page.mediabox.top)) - 9
        overlay = PageObject.create_blank_page(width=page.mediabox.width, height=page.mediabox.height)
        overlay[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/MgStamp"): font_ref})})
        stream = DecodedStreamObject()
        stream.set_data(b"q 0.8 0 0 rg BT /MgStamp 6.5 Tf 18 %s Td (%s) Tj ET Q" % (f"{top:.2f}".encode(), escaped))
        overlay[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(overlay)


def _fill(fmap: FormMap, values: dict[str, object], stamp: str) -> bytes:
    """The blank form with role → value (a str, or True/False for a checkbox)."""
    writer = _blank_copy(fmap)
    by_name: dict[str, object] = {}
    for role, value in values.items():
        spot = fmap.spots[role]
        by_name[spot.name] = (spot.on if value else "/Off") if spot.kind == "check" else value
    previous = logging.getLogger("pypdf").level
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the IRS forms' XFA leftovers make pypdf chatty
    try:
        writer.update_page_form_field_values(None, by_name, auto_regenerate=True)
    finally:
        logging.getLogger("pypdf").setLevel(previous)
    if "/XFA" in writer._root_object.get("/AcroForm", {}):
        # A viewer that prefers the XFA template would show the blank form: the AcroForm holds the values.
        del writer._root_object["/AcroForm"][NameObject("/XFA")]
    _stamp(writer, stamp)
    writer.add_metadata({"/Title": f"{fmap.form} {fmap.tax_year} (partial, retirement lines, megaroth)",
                         "/Producer": "megaroth (pypdf)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _f1040_values(analysis: Analysis, fmap: FormMap, whole: bool) -> dict[str, str | bool]:
    values: dict[str, str | bool] = {}
    keys = {}
    for line in analysis.lines:
        keys[line.key] = line.role
        if line.amount is not None and line.role in fmap.spots:
            # The line's own whole dollars: line 4b takes Form 8606's taxable lines as that form has them.
            values[line.role] = (f"{int(line.whole_dollars):,}" if whole and line.whole_dollars is not None
                                 else _text(line.amount, whole))
    for notation in analysis.notations:
        role = keys.get(notation.line)
        if notation.kind == "write_in" and role in fmap.spots and fmap.spots[role].kind == "text":
            # i1040 (through 2024): enter "Rollover" next to the taxable amount's line.
            values[role] = f"ROLLOVER {values[role]}" if role in values else "ROLLOVER"
        elif notation.kind == "checkbox":
            gross = keys.get(notation.line[:-1] + "a", "")
            check = gross.split("_")[0] + "_rollover"
            if check in fmap.spots:
                values[check] = True
    return values


def _early_not_subject(forms: list[FormResult]) -> Decimal:
    """What the person's early distributions (code 1, or code 2: an exception shown) put in income
    that megaroth does not count as subject to the 10%: the taxable part rolled or converted into a
    Roth, or a code 2 distribution's taxable amount. Whether i5329 wants it on line 1 (and out again
    on line 2 with an exception number) or not on line 1 at all is not certain: with any of it,
    line 1 is left blank. (Box 10, counted as subject, is not in the taxable amount; a Roth IRA's
    early earnings and recapture are all subject, i5329 "Distributions from Roth IRAs".)"""
    out = ZERO
    for r in forms:
        if r.account == "roth_ira" or not {"1", "2"} & set(r.box_7):
            continue
        out += max((r.taxable or ZERO) - (r.additional_tax_base - r.box_10_amount), ZERO)
    return out


def _f5329(person: PersonResult, analysis: Analysis, out: FilledSet, whole: bool) -> None:
    """One person's Form 5329 (i5329 "Joint returns": a form for each spouse who must file): Part I when
    the person owes the 10% and the Schedule 2 line 8 shortcut is not open to them (i1040 Schedule 2
    line 8, Exception), and Parts III and IV (lines 9-25, the 6% on excess contributions) when the
    person has an excess this year or from before."""
    year = analysis.tax_year
    who = person.role
    fmap = form_map("f5329", year)
    values, notes = _part_i_values(person, analysis, whole)
    filled_parts = ["Part I"] if values else []
    for part in person.excess_contributions:
        for number, amount in part.lines.items():
            values[f"line_{number}"] = _text(amount, whole)
        filled_parts.append(f"Part {part.part}")
        notes.append(f"Part {part.part}: lines {', '.join(part.lines)} are filled; line "
                     f"{'17' if part.part == 'III' else '25'} is the 6% excise tax ({money_text(part.tax)}) megaroth "
                     "figures; a line left blank is one megaroth had nothing for (lines 10-13 and 19-21 only reduce a "
                     "prior-year excess).")
    if not values:
        out.notes.extend(notes)
        return
    filled = ", ".join(role.removeprefix("line_") for role in values)
    name = f"f5329-{year}{'' if who == 'taxpayer' else '-spouse'}.pdf"
    out.forms.append(FilledForm(name=name, form=f"Form 5329 ({who})", values=values, source=fmap.source,
                                data=_fill(fmap, values, STAMP_OTHER.format(
                                    lines=f"{filled} of {', '.join(filled_parts)}"))))
    out.notes.append(f"Form 5329 ({who}): " + " ".join(notes) + " The other Parts and the header are blank.")


def _part_i_values(person: PersonResult, analysis: Analysis, whole: bool) -> tuple[dict[str, str], list[str]]:
    """Part I's lines (1), 3 and 4 when the person owes the 10% and must file Form 5329 for it, and notes."""
    year = analysis.tax_year
    flag = person.form_5329
    who = person.role
    if flag.status == "not_needed":
        return {}, []
    if flag.status == "review":
        return {}, [f"Form 5329 ({who}): not filled (megaroth figures no 10% to put on it). {flag.summary}"]
    s2 = form_map("f1040s2", year)
    line_8 = s2.spots["additional_tax"].label if s2 is not None else "8"
    if flag.schedule_2_line_8_shortcut:
        return {}, [
            f"Form 5329 ({who}): not needed, so not filled: code 1 is shown on the 1099-R and the 10% is owed on the "
            f"whole taxable amount, so the {money_text(flag.additional_tax)} goes straight on Schedule 2 line {line_8} "
            "(Instructions for Form 1040, Schedule 2 line 8, Exception). File Form 5329 only if an exception "
            "applies (i5329 line 2)."]
    by_id = {r.form_id: r for r in analysis.forms}
    forms = [by_id[i] for i in person.forms if i in by_id]
    uncomputed = [r.form_id for r in forms if r.status != "computed"]
    if uncomputed:
        return {}, [f"Form 5329 ({who}): not filled: form(s) {', '.join(uncomputed)} were not computed, so "
                    "the amount subject to the 10% is not known in full."]
    values = {"line_3": _text(flag.amount_subject, whole), "line_4": _text(flag.additional_tax, whole)}
    left_out = _early_not_subject(forms)
    if not left_out:
        values = {"line_1": values["line_3"], **values}
    filled = ", ".join(r.removeprefix("line_") for r in values)
    note = (f"only Part I lines {filled} are filled there: line 3 is the "
            f"{money_text(flag.amount_subject)} megaroth finds subject to the 10%, line 4 its 10% (on "
            f"Schedule 2 line {line_8} with any 6% of Parts III-IV). Line 2 and its exception number are blank: "
            "megaroth knows of no exception beyond the 1099-R codes; if one applies (i5329 line 2), enter it there "
            f"and refigure lines 3-4 and Schedule 2 line {line_8}.")
    if left_out:
        note += (f" Line 1 is blank: {money_text(left_out)} of the early distributions is in income but not subject "
                 "to the 10% (rolled or converted into a Roth, or a code 2 exception); whether it goes on line 1 "
                 "and out again on line 2, or not on line 1 at all, megaroth cannot say for certain. Lines 1 and 2 "
                 f"must leave {money_text(flag.amount_subject)} on line 3.")
    return values, [note]


def _line_ranges(numbers: list[str], order: list[str]) -> str:
    """Line numbers as runs in the form's order: "1-6, 8-11, 13-14, 16-18"."""
    runs: list[list[str]] = []
    last = None
    for index, number in enumerate(order):
        if number not in numbers:
            continue
        if runs and last == index - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
        last = index
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def _f8606_values(f8606: Form8606, fmap: FormMap, whole: bool) -> tuple[dict[str, str], list[str]]:
    """Role → text of every mapped line megaroth computed (blank lines are left out), and the
    computed lines the map has no field for. Line 10's ratio goes in its two boxes: the digit
    before the decimal point (blank for ".999") and the digits after; it is a ratio, never
    rounded to whole dollars."""
    values: dict[str, str] = {}
    unmapped: list[str] = []
    for line in f8606.lines:
        role = f"line_{line.line}"
        if line.line == "10" and line.text and {"line_10", "line_10_decimals"} <= set(fmap.spots):
            before, _, after = line.text.partition(".")
            if before:
                values["line_10"] = before
            values["line_10_decimals"] = after
        elif role in fmap.spots and line.amount is not None:
            # Whole dollars as the rules give them, so that line 18 is line 16 − line 17 as filed.
            values[role] = f"{int(line.whole_dollars):,}" if whole and line.whole_dollars is not None else _text(
                line.amount, whole)
        elif line.amount is not None or line.text:
            unmapped.append(line.line)
    return values, unmapped


def _f8606(person: PersonResult, year: int, out: FilledSet, whole: bool) -> None:
    """One person's Form 8606 (i8606: a separate form for each spouse), every line megaroth
    computes that the year's field map has: Parts I-III, amounts as on the other forms, line 10's
    ratio as megaroth writes it; the lines megaroth leaves blank stay blank, as do the header and
    the paid preparer's fields."""
    f8606 = person.form_8606
    if f8606.status != "computed":
        return
    fmap = form_map("f8606", year)
    who = person.role
    if fmap is None:
        out.notes.append(f"Form 8606 ({who}): megaroth has no IRS PDF of the {year} Form 8606 to fill; "
                         "fill it from the worksheet's Form 8606 section.")
        return
    values, unmapped = _f8606_values(f8606, fmap, whole)
    if not values:
        out.notes.append(f"Form 8606 ({who}): none of the lines megaroth computes has an amount; "
                         "fill the form from the worksheet's Form 8606 section.")
        return
    order = list(dict.fromkeys(role.removeprefix("line_").removesuffix("_decimals") for role in fmap.spots))
    numbers = list(dict.fromkeys(role.removeprefix("line_").removesuffix("_decimals") for role in values))
    filled = _line_ranges(numbers, order)
    name = f"f8606-{year}{'' if who == 'taxpayer' else '-spouse'}.pdf"
    out.forms.append(FilledForm(name=name, form=f"Form 8606 ({who})", values=values, source=fmap.source,
                                data=_fill(fmap, values, STAMP_OTHER.format(lines=filled))))
    note = (f"Form 8606 ({who}): lines {filled} are filled, every line megaroth computes (the worksheet's Form 8606 "
            "section shows how each was figured); the other lines are blank, as megaroth leaves them, and so are "
            "the header (name, SSN, address) and the paid preparer's fields.")
    if "10" in numbers:
        note += f" Line 10 is the ratio {f8606.line('10').text}, split at its decimal point into the form's two boxes."
    if "3-box" in unmapped:
        answer = f8606.line("3-box").text
        note += (f" Line 3's question (megaroth's answer: {answer}) has no field: the form prints it as a routing "
                 "(No: line 3 to line 14; Yes: go on to line 4), with nothing to mark.")
    others = [n for n in unmapped if n != "3-box"]
    if others:
        note += (f" Line(s) {', '.join(others)}, which megaroth computes, have no field in the {year} map: enter them "
                 "from the worksheet.")
    if f8606.worksheet_1_1:
        note += (" Lines 6-12 are blank: the nontaxable part was figured with Pub 590-B Worksheet 1-1 "
                 "(lines 13 and 17 take its result).")
    out.notes.append(note)


def fill_forms(analysis: Analysis, *, whole: bool = True) -> FilledSet:
    """Every IRS form megaroth can fill for the case's year, and notes on those it cannot.
    `whole`: amounts in whole dollars, as filed (else dollars and cents)."""
    year = analysis.tax_year
    out = FilledSet()
    f1040 = form_map("f1040", year)
    if f1040 is None:
        out.notes.append(f"megaroth has no IRS Form 1040 PDF for {year}: nothing filled.")
        return out
    values = _f1040_values(analysis, f1040, whole)
    lines = ", ".join(line.key for line in analysis.lines)
    out.forms.append(FilledForm(name=f"f1040-{year}.pdf", form="Form 1040", values=values, source=f1040.source,
                                data=_fill(f1040, values, STAMP.format(lines=lines))))
    flag = analysis.form_5329
    if flag.schedule_2_line_8 > 0:
        s2 = form_map("f1040s2", year)
        if s2 is None:
            out.notes.append(f"megaroth has no IRS Schedule 2 PDF for {year}: enter the additional tax by hand.")
        else:
            # Form 5329 lines 4, 17 and 25 each "Include this amount on Schedule 2 (Form 1040), line 8".
            values = {"additional_tax": _text(flag.schedule_2_line_8, whole)}
            out.forms.append(FilledForm(
                name=f"f1040s2-{year}.pdf", form="Schedule 2", values=values, source=s2.source,
                data=_fill(s2, values, STAMP_OTHER.format(lines=f"{s2.spots['additional_tax'].label} (additional tax)"))))
    needed = flag.status != "not_needed" or any(p.excess_contributions for p in analysis.people)
    if needed and form_map("f5329", year) is None:
        out.notes.append(f"Form 5329: megaroth has no IRS PDF of Form 5329 for {year} to fill (none of that year is "
                         "vendored in forms/); fill it by hand from the worksheet's Form 5329 section.")
    elif needed:
        for person in analysis.people:
            _f5329(person, analysis, out, whole)
    for person in analysis.people:
        _f8606(person, year, out, whole)
    return out
