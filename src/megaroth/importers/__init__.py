"""Importers: read 1099-Rs from where they come from, one small importer per source.

Each importer says whether it claims a document (`identify`) and extracts raw records from it
(`extract`). Exactly one importer must claim a document: none or two is an error naming the
file. Importers never decide tax treatment.
"""

from __future__ import annotations

from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, Importer, RawForm
from megaroth.importers.case_json import CaseFileImporter
from megaroth.importers.csv_batch import CsvBatchImporter
from megaroth.importers.fdx import FdxJsonImporter
from megaroth.importers.pdf_fdx import FdxPdfImporter
from megaroth.importers.pdf_fillable import FillablePdfImporter
from megaroth.importers.pdf_text import TextPdfImporter
from megaroth.importers.scan_1099r import ScanImporter

IMPORTERS: tuple[Importer, ...] = (
    CaseFileImporter(),
    FdxJsonImporter(),
    CsvBatchImporter(),
    FdxPdfImporter(),
    FillablePdfImporter(),
    TextPdfImporter(),
    ScanImporter(),
)

UNCLAIMED = {
    "pdf": "a PDF without 1099-R form fields, embedded FDX data, 1099-R text or page images of a scanned form",
    "json": "JSON that is neither a megaroth case file nor FDX Tax1099R data",
    "csv": "a CSV without columns for box 1 and box 7 (headers such as 'Box 1' or 'Gross distribution', and 'Box 7', "
           "'Distribution code' or 'Code')",
    "unknown": "not a PDF, JSON or CSV file, nor an image of a scanned form (PNG, JPEG, TIFF)",
}


def claimants(doc: Document) -> list[Importer]:
    return [importer for importer in IMPORTERS if importer.identify(doc)]


def identify(doc: Document) -> Importer:
    """The one importer that reads this document.

    Raises:
        InputError: when the document is damaged, or no importer or several claim it.
    """
    head = doc.head  # the first bytes only: a large file is not read whole here
    if len(head) < Document.HEAD and not head.strip():
        # Said as it is, not as a file of an unknown kind: an empty file is a failed save or download.
        raise InputError("the file is empty (0 bytes): nothing to read" if not head
                         else f"the file is empty (only {len(head)} bytes of blank space): nothing to read",
                         doc.source)
    found = claimants(doc)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(importer.name for importer in found)
        raise InputError(f"claimed by several importers ({names}); use --input-format to choose", doc.source)
    if doc.kind == "pdf":
        _ = doc.pdf  # raises the damaged/encrypted error if that is the reason
        from megaroth.importers.f1040_pdf import is_f1040

        if is_f1040(doc):
            raise InputError("this PDF is a Form 1040 (a tax return), not a 1099-R; to check what your tax software "
                             "did, run: megaroth compare YOUR-1099-Rs --software THIS.pdf", doc.source)
    if doc.kind == "json":
        _ = doc.json  # raises the syntax error if that is the reason
    if doc.kind == "csv":
        # The CSV importer names the columns it misses, as the header spells them.
        reason = CsvBatchImporter().refusal(doc)
        if reason:
            raise InputError(reason, doc.source)
    raise InputError(UNCLAIMED.get(doc.kind, UNCLAIMED["unknown"]), doc.source)


__all__ = ["IMPORTERS", "Document", "Extraction", "Importer", "RawForm", "claimants", "identify"]
