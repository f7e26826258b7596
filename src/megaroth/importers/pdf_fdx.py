"""PDFs that carry FDX JSON in their document information (`/fdxJson`), as "intelligent tax
documents" do. The embedded data is exact, so it is preferred; the printed text is read too and
compared, box by box, so a PDF whose data and print disagree is reported."""

from __future__ import annotations

from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction
from megaroth.importers.fdx import extract_fdx
from megaroth.importers.pdf_fillable import has_fdx_json
from megaroth.importers.pdf_text import text_records
from megaroth.model.codes import normalize_codes
from megaroth.model.loading import parse_json
from megaroth.money import MoneyError, parse_money

COMPARED = ("box_1", "box_2a", "box_4", "box_5", "box_7")
COMPARED_5498 = ("box_1", "box_2", "box_3", "box_4", "box_5", "box_8", "box_9", "box_10", "box_13a", "box_14a")


def _compare(data_forms, print_forms, boxes) -> None:
    """Warn, box by box, where the embedded data and the printed form disagree (same count of
    forms, in order); the embedded data is used."""
    if len(data_forms) != len(print_forms):
        return
    for data_form, print_form in zip(data_forms, print_forms):
        for box in boxes:
            a, b = data_form.values.get(box), print_form.values.get(box)
            if a is None and b is None:
                continue
            if a is None or b is None or not _same(box, a, b):
                data_form.warnings.append(
                    f"{box}: the embedded data says {a if a is not None else 'blank'}, the printed form "
                    f"({print_form.locator}) {b if b is not None else 'blank'}; megaroth uses the embedded data")


def _same(box: str, a: object, b: object) -> bool:
    try:
        if box == "box_7":
            return normalize_codes(str(a)) == normalize_codes(str(b))
        return parse_money(a) == parse_money(b)
    except (MoneyError, ValueError):
        return False


class FdxPdfImporter:
    name = "pdf-fdx"
    description = "PDF with FDX Tax1099R or Tax5498 JSON embedded in its document information (/fdxJson)"

    def describe(self, doc: Document) -> str:
        """What this document holds, by the forms in its embedded data (a Form 5498 is not a 1099-R)."""
        from megaroth.importers.fdx import tax_objects

        try:
            data = parse_json(str(doc.pdf.metadata["/fdxJson"]), doc.source)
        except (InputError, KeyError):
            return self.description
        kinds = sorted({kind for kind, _, _ in tax_objects(data)})
        if not kinds:
            return self.description
        names = " and ".join(f"Form {kind} (FDX Tax{kind.replace('-', '')})" for kind in kinds)
        return f"PDF with {names} JSON embedded in its document information (/fdxJson)"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "pdf":
            return False
        reader = doc.pdf_or_none()
        return reader is not None and has_fdx_json(reader)

    def extract(self, doc: Document) -> Extraction:
        reader = doc.pdf
        printed = text_records(doc)
        try:
            data = parse_json(str(reader.metadata["/fdxJson"]), doc.source)
        except InputError as exc:
            printed.notes.append(f"{doc.name}: the embedded FDX JSON is not usable ({exc.message}); the printed "
                                 "form was read instead")
            return printed
        embedded = extract_fdx(data, prefix="embedded FDX")
        embedded.notes.extend(n for n in printed.notes if "no 1099-R on this page" not in n)
        # Forms 5498 in the data are kept as they are; only the 1099-Rs are compared with the print.
        others = [r for r in embedded.records if r.form != "1099-R"]
        embedded.records = [r for r in embedded.records if r.form == "1099-R"]
        if not embedded.records and others:
            _compare(others, [r for r in printed.records if r.form == "5498"], COMPARED_5498)
            embedded.records = others
            return embedded
        if not embedded.records:
            printed.notes.append(f"{doc.name}: the embedded FDX data holds no Tax1099R; the printed form was read")
            return printed
        if len(printed.records) != len(embedded.records):
            embedded.notes.append(f"{doc.name}: the embedded data has {len(embedded.records)} form(s), the printed "
                                  f"text {len(printed.records)}; the embedded data is used")
            embedded.records += others
            return embedded
        _compare(embedded.records, printed.records, COMPARED)
        for data_form, print_form in zip(embedded.records, printed.records):
            data_form.locator = f"{print_form.locator} (embedded FDX {data_form.locator})"
        embedded.records += others
        return embedded
