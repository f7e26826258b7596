"""What every importer shares: the input document, raw records, and their validation.

An importer claims a document (`identify`) and extracts raw records from it (`extract`),
each with its provenance (file, page or row, and where each box was read). Importers never
decide tax treatment: a raw record is only the boxes as printed, validated here into a
`Form1099R`; a value that cannot be read with confidence is reported, not invented.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from megaroth.errors import InputError
from megaroth.model.form1099r import Form1099R, Provenance
from megaroth.model.loading import validation_errors
from megaroth.provenance import Source

if TYPE_CHECKING:
    from pypdf import PdfReader

FORMATS = ("pdf", "json", "csv")


@dataclass
class Document:
    """One input: its bytes, its name, and lazily parsed views of it (parsed once, shared by the
    importers that look at it)."""

    name: str
    data: bytes
    format_hint: str | None = None
    """The user's --format: pdf, json or csv; None to sniff."""

    @property
    def source(self) -> Source:
        return Source(file=self.name)

    @cached_property
    def kind(self) -> str:
        """pdf, json or csv (sniffed from the content, not the file name) or unknown."""
        if self.format_hint:
            return self.format_hint
        head = self.data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"%PDF-") or b"%PDF-" in self.data[:1024]:
            return "pdf"
        if head[:1] in (b"{", b"["):
            return "json"
        if not head:
            return "unknown"
        try:
            line = self.text.splitlines()[0]
        except (InputError, IndexError):
            return "unknown"
        return "csv" if any(sep in line for sep in (",", ";", "\t")) else "unknown"

    @cached_property
    def text(self) -> str:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return self.data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise InputError("not text in UTF-8 or Windows-1252", self.source)

    @cached_property
    def json(self) -> Any:
        """The parsed JSON (numbers as exact Decimals), or an InputError."""
        try:
            return json.loads(self.text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                             self.source) from None

    @cached_property
    def pdf(self) -> "PdfReader":
        """The parsed PDF, decrypted if it opens with an empty password; an InputError if damaged."""
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            reader = PdfReader(io.BytesIO(self.data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # pypdf raises several types for unsupported encryption
                    opened = 0
                if not opened:
                    raise InputError("the PDF is encrypted with a password; megaroth cannot read it "
                                     "(save an unprotected copy and try again)", self.source)
            _ = len(reader.pages)
            return reader
        except InputError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError,
                RecursionError, IndexError) as exc:
            raise InputError(f"damaged or truncated PDF ({type(exc).__name__}: {exc})", self.source) from None

    @cached_property
    def pdf_fields(self) -> dict:
        """The PDF's AcroForm fields by full name ({} when it has none)."""
        return self.pdf.get_fields() or {}

    @cached_property
    def page_texts(self) -> list[str]:
        """Each page's text laid out on a character grid (pypdf's layout mode)."""
        return [page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
                for page in self.pdf.pages]

    def pdf_or_none(self) -> "PdfReader | None":
        """The PDF if it parses; identification treats a damaged PDF as unclaimed by this
        importer (the error is reported once, by the registry)."""
        try:
            return self.pdf
        except InputError:
            return None


@dataclass
class RawForm:
    """One 1099-R as read from a document, before validation."""

    values: dict[str, Any]
    """Model field names (box_1 …) → values as read (text, bools, lists for state rows)."""
    locator: str
    """How the user finds it in the document: "page 2", "row 14", "page 1, form 2"."""
    fields: dict[str, str] = field(default_factory=dict)
    """Model field → where it was read ("AcroForm field …", "text 'Gross distribution' p. 1")."""
    tax_year: int | None = None
    taxpayer_key: str | None = None
    """Groups records into one taxpayer's case (client id, recipient TIN)."""
    form_id: str | None = None
    """The id the source gives the form, if any."""
    taxpayer: dict[str, Any] = field(default_factory=dict)
    """name, tin, birth_date when the source gives them."""
    errors: list[str] = field(default_factory=list)
    """Reasons this record cannot be trusted (a box read without confidence): it is rejected."""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    records: list[RawForm] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    """Problems with the document outside any one record."""
    notes: list[str] = field(default_factory=list)
    """What was skipped on purpose (a summary page, a duplicate copy)."""


class Importer(Protocol):
    name: str
    description: str

    def identify(self, doc: Document) -> bool:
        """Whether this importer reads this document. Cheap, and never raises for bad input."""

    def extract(self, doc: Document) -> Extraction:
        """The raw records in the document."""


def record_errors(raw: RawForm, where: Source) -> list[InputError]:
    """A record's own problems as errors; "box_7: …" names the field."""
    errors = []
    for message in raw.errors:
        match = re.match(r"^([a-z][a-z0-9_]*): (.+)$", message, re.S)
        if match:
            errors.append(InputError(match.group(2), where.at(field=match.group(1))))
        else:
            errors.append(InputError(message, where))
    return errors


def validate_record(raw: RawForm, doc_name: str, importer: str, form_id: str) -> Form1099R | list[InputError]:
    """A raw record validated into a Form1099R with its provenance, or the errors naming the
    file, the record and the box."""
    where = Source(file=doc_name, record=raw.locator)
    if raw.errors:
        return record_errors(raw, where)
    values = dict(raw.values)
    values["id"] = form_id
    # Built by megaroth itself from strings it made: no need to validate it again.
    values["provenance"] = Provenance.model_construct(file=doc_name, locator=raw.locator, importer=importer,
                                                      fields=raw.fields)
    try:
        return Form1099R.model_validate(values)
    except ValidationError as exc:
        errors = validation_errors(exc, where)
        for error in errors:
            origin = raw.fields.get(error.source.field or "")
            if origin:
                error.message = f"{error.message} (read from {origin})"
        return errors
