"""Fill the IRS's own blank PDFs (vendored in forms/, see forms/irs_pdfs.toml) the ways tax
software and printers do, with pypdf only:

- "fillable": the field values set (/V), appearances regenerated, NeedAppearances on;
- "flattened": the values drawn into the page as the fields' appearance streams (Form
  XObjects placed with `cm … Do`), the widgets and the AcroForm removed;
- "printed": the blank form's page content with the values drawn as plain page text at the
  fields' places, no widgets, no AcroForm (a return printed to PDF).

`scale` moves the whole printed page as a "print to PDF" with margins does. Values are keyed by
the map's role ("pension_gross", "box_1"…) and looked up in the map derived from the same PDF,
so a test says what a line holds, not which field name a year uses.
"""

from __future__ import annotations

import io
import logging
import tomllib
from functools import cache
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from tests.realforms.memo import remembered

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
WAYS = ("fillable", "flattened", "printed")

logging.getLogger("pypdf").setLevel(logging.ERROR)


@cache
def catalogue() -> dict[tuple[str, int], dict]:
    data = tomllib.loads((FORMS / "irs_pdfs.toml").read_text(encoding="utf-8"))
    return {(pdf["form"], pdf["tax_year"]): pdf for pdf in data["pdf"]}


def blank(form: str, year: int) -> Path:
    return FORMS / catalogue()[(form, year)]["path"]


@cache
def _blank_reader(form: str, year: int) -> PdfReader:
    """Parsed once per session: cloning a reader whose objects are parsed is several times faster."""
    return PdfReader(blank(form, year))


@cache
def field_map(form: str, year: int) -> dict[str, dict]:
    if form == "f1099r":
        data = tomllib.loads((FORMS / "pdf_fields" / f"f1099r_{year}.toml").read_text(encoding="utf-8"))
        return data["layout"]["fields"]
    return tomllib.loads((FORMS / str(year) / f"{form}_pdf_fields.toml").read_text(encoding="utf-8"))["fields"]


def names(form: str, year: int, values: dict[str, object]) -> dict[str, object]:
    """Role → value as field name → value (checkboxes: True/False → their on-state or /Off)."""
    spots = field_map(form, year)
    out = {}
    for role, value in values.items():
        spot = spots[role]
        if spot["kind"] == "check":
            value = spot["on"] if value else "/Off"
        out[spot["name"]] = value
    return out


def _annotations(writer: PdfWriter):
    """(page index, widget, its field's full name, the node holding its own name, field type)."""
    for index, page in enumerate(writer.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            parts, node, owner, kind = [], annotation, None, None
            while node is not None:
                if "/T" in node:
                    parts.append(str(node["/T"]))
                    owner = owner or node
                kind = kind or node.get("/FT")
                parent = node.get("/Parent")
                node = parent.get_object() if parent is not None else None
            yield index, annotation, ".".join(reversed(parts)), owner, kind


def _widgets(writer: PdfWriter) -> dict[str, tuple[int, list, str]]:
    return {name: (index, [v + 0 for v in annotation["/Rect"]], kind)
            for index, annotation, name, _, kind in _annotations(writer)}


def _strip_form(writer: PdfWriter) -> None:
    writer.remove_annotations(subtypes="/Widget")
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]


def _escape(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _print_values(writer: PdfWriter, values: dict[str, object]) -> None:
    """Draw each value as page text in its field's box (an X in a checked box)."""
    widgets = _widgets(writer)
    ops: dict[int, list[bytes]] = {}
    for name, value in values.items():
        index, (x0, y0, x1, y1), kind = widgets[name]
        if kind == "/Btn":
            if value != "/Off":
                ops.setdefault(index, []).append(b"BT /MgHv 8 Tf %.2f %.2f Td (X) Tj ET" % (x0 + 1.5, y0 + 1.5))
            continue
        size = min(9, y1 - y0 - 3)
        for row, line in enumerate(str(value).split("\n")):
            baseline = y1 - 2 - size - row * (size + 1) if "\n" in str(value) else y0 + (y1 - y0 - size) / 2 + 2
            ops.setdefault(index, []).append(b"BT /MgHv %.1f Tf %.2f %.2f Td (%s) Tj ET" % (
                size, x0 + 2, baseline, _escape(line)))
    _strip_form(writer)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    for index, lines in ops.items():
        page = writer.pages[index]
        overlay = PageObject.create_blank_page(width=page.mediabox.width, height=page.mediabox.height)
        overlay[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/MgHv"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(lines))
        overlay[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(overlay)


@remembered
def fill(form: str, year: int, values: dict[str, object], way: str, *, scale: tuple | None = None,
         renamed: dict[str, str] | None = None) -> bytes:
    """The blank form of a year filled with role → value, one of the WAYS. `renamed` gives
    fields new full names (as a program that renames fields does) before filling."""
    writer = PdfWriter(clone_from=_blank_reader(form, year))
    by_name = names(form, year, values)
    if renamed:
        _rename(writer, renamed)
        by_name = {renamed.get(k, k): v for k, v in by_name.items()}
    if way == "fillable":
        writer.update_page_form_field_values(None, by_name, auto_regenerate=True)
    elif way == "flattened":
        writer.update_page_form_field_values(None, by_name, auto_regenerate=False, flatten=True)
        _strip_form(writer)
    elif way == "printed":
        _print_values(writer, by_name)
    else:
        raise ValueError(way)
    if scale is not None:
        factor, dx, dy = scale
        for page in writer.pages:
            page.add_transformation(Transformation().scale(factor, factor).translate(dx, dy))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _rename(writer: PdfWriter, renamed: dict[str, str]) -> None:
    """Give fields new names: the new name becomes the field's /T and its parents are cut off
    (programs that flatten the hierarchy do this)."""
    from pypdf.generic import TextStringObject

    fields = writer._root_object["/AcroForm"]["/Fields"]
    for _, annotation, name, owner, _ in list(_annotations(writer)):
        if name in renamed and owner is not None:
            owner[NameObject("/T")] = TextStringObject(renamed[name])
            if "/Parent" in owner:
                del owner["/Parent"]
                fields.append(owner.indirect_reference or annotation.indirect_reference)


@remembered
def merge(documents: list[bytes]) -> bytes:
    """Several filled forms in one PDF, as software hands over a whole return."""
    writer = PdfWriter()
    for data in documents:
        writer.append(PdfReader(io.BytesIO(data)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
