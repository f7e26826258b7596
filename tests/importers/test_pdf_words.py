"""Words in page coordinates: text inside Form XObjects goes through each XObject's /Matrix and
the CTM at its `Do`, nested; annotation appearances land in their Rect; small drawings are ink."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject

from megaroth.importers.pdf_words import add_annotation_words, read_page


def _font():
    return DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})


def _form(writer, content: bytes, matrix=None, xobjects=None, bbox=(0, 0, 200, 50)):
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                   NameObject("/BBox"): ArrayObject(NumberObject(v) for v in bbox)})
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(_font())})})
    if xobjects:
        resources[NameObject("/XObject")] = DictionaryObject({NameObject(k): v for k, v in xobjects.items()})
    stream[NameObject("/Resources")] = resources
    if matrix:
        stream[NameObject("/Matrix")] = ArrayObject(FloatObject(v) for v in matrix)
    return writer._add_object(stream)


def _page(build) -> PdfReader:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    build(writer, page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def test_nested_xobjects_land_where_they_are_drawn():
    def build(writer, page):
        inner = _form(writer, b"BT /F1 8 Tf 10 5 Td (10,200.00) Tj ET 0 g 50 5 m 54 12 l 58 5 l f",
                      matrix=(2, 0, 0, 2, 0, 0))
        outer = _form(writer, b"q 1 0 0 1 100 0 cm /In Do Q", matrix=(1, 0, 0, 1, 0, 300), xobjects={"/In": inner},
                      bbox=(0, 0, 500, 200))
        content = DecodedStreamObject()
        content.set_data(b"q 0.5 0 0 0.5 20 40 cm /Out Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
            {NameObject("/Out"): outer})})

    marks = read_page(_page(build).pages[0], 0)
    (word,) = [w for w in marks.words if w.text == "10,200.00"]
    # (10, 5) × inner (×2) → (20, 10); + (100, 0) → (120, 10); outer Matrix → (120, 310); CTM ×0.5 + (20, 40)
    assert (round(word.x, 2), round(word.y, 2), round(word.size, 2)) == (80.0, 195.0, 8.0)
    assert word.drawn == "xobject"
    (ink,) = marks.ink  # the outline drawn beside it, in page coordinates too
    assert (round(ink.x0, 2), round(ink.y0, 2), round(ink.x1, 2), round(ink.y1, 2)) == (120.0, 195.0, 128.0, 202.0)
    assert len(marks.appearances) == 2


def test_an_annotation_appearance_is_fitted_to_its_rect():
    def build(writer, page):
        appearance = _form(writer, b"BT /F1 10 Tf 2 3 Td (ROLLOVER) Tj ET", bbox=(0, 0, 100, 20))
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FreeText"),
            NameObject("/Rect"): ArrayObject(NumberObject(v) for v in (300, 400, 350, 410)),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance})})
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    page = _page(build).pages[0]
    marks = read_page(page, 0)
    assert not marks.words
    add_annotation_words(page, marks)
    (word,) = marks.words
    assert (word.text, round(word.x, 2), round(word.y, 2), word.drawn) == ("ROLLOVER", 301.0, 401.5, "annotation")
