"""What every importer shares: the input document, raw records, and their validation.

An importer claims a document (`identify`) and extracts raw records from it (`extract`),
each with its provenance (file, page or row, and where each box was read). Importers never
decide tax treatment: a raw record is only the boxes as printed, validated here into a
`Form1099R`; a value that cannot be read with confidence is reported, not invented.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TextIO

from pydantic import ValidationError

from megaroth.errors import InputError
from megaroth.limits import DEFAULT, Limits
from megaroth.model.form1099r import Form1099R, Provenance
from megaroth.model.form1099r_awaiting import AwaitingForm1099R, awaits_required
from megaroth.model.form5498 import Form5498
from megaroth.model.w2 import FormW2
from megaroth.model.loading import parse_json, validation_errors
from megaroth.provenance import Source

if TYPE_CHECKING:
    from pypdf import PdfReader

    from megaroth.importers.pdf_words import PageMarks

FORMATS = ("pdf", "json", "csv")


class Document:
    """One input: its name, its bytes (held, or read from its file only when an importer needs
    them all), and lazily parsed views of it (parsed once, shared by the importers that look at
    it). A CSV is streamed from its file (`open_text`), never held whole."""

    HEAD = 64 * 1024
    """Bytes read up front from a file, for sniffing."""
    CHUNK = 1024 * 1024

    def __init__(self, name: str, data: bytes | None = None, format_hint: str | None = None,
                 limits: Limits = DEFAULT, *, path: str | Path | None = None, head: bytes | None = None) -> None:
        """Args:
            data: the document's bytes; or None with `path`, to read them from the file when needed.
            format_hint: the user's --format: pdf, json or csv; None to sniff.
            limits: how much work this document may cost (pages, content).
            head: the file's first bytes, when already read (see `HEAD`).
        """
        if data is None and path is None:
            raise ValueError("a Document needs its data or its path")
        self.name = name
        self.format_hint = format_hint
        self.limits = limits
        self.path = Path(path) if path is not None else None
        if data is not None:
            self.__dict__["data"] = data
        if head is not None:
            self.__dict__["head"] = head

    def __repr__(self) -> str:
        return f"Document(name={self.name!r})"

    @classmethod
    def from_file(cls, name: str, path: str | Path, format_hint: str | None = None,
                  limits: Limits = DEFAULT) -> "Document":
        """A document backed by its file: its first bytes are read now (so a missing or unreadable
        file fails here, with the OSError), the rest when an importer reads it.

        Raises:
            OSError: when the file cannot be opened or read.
        """
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                # A pipe (`<(cat batch.csv)`) or a device can be read once only: held whole.
                return cls(name, data=handle.read(), format_hint=format_hint, limits=limits)
            head = handle.read(cls.HEAD)
        return cls(name, format_hint=format_hint, limits=limits, path=path, head=head)

    @cached_property
    def data(self) -> bytes:
        """All the bytes (read from the file the first time they are asked for)."""
        assert self.path is not None
        return self._read(lambda handle: handle.read())

    @cached_property
    def head(self) -> bytes:
        """The first bytes (up to `HEAD`), enough to sniff the format."""
        if "data" in self.__dict__ or self.path is None:
            return self.data[: self.HEAD]
        return self._read(lambda handle: handle.read(self.HEAD))

    def _read(self, how):
        try:
            with open(self.path, "rb") as handle:  # type: ignore[arg-type]
                return how(handle)
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", self.source) from None

    def open_binary(self) -> BinaryIO:
        """The bytes as a stream, from the start: the file itself, or the bytes held."""
        if "data" in self.__dict__ or self.path is None:
            return io.BytesIO(self.data)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", self.source) from None

    def open_text(self) -> TextIO:
        """The text as a stream, from the start (decoded as `text` is; line ends untranslated)."""
        return io.TextIOWrapper(self.open_binary(), encoding=self.encoding, newline="")

    @property
    def source(self) -> Source:
        return Source(file=self.name)

    @cached_property
    def kind(self) -> str:
        """pdf, json or csv (sniffed from the content, not the file name) or unknown."""
        if self.format_hint:
            return self.format_hint
        head = self.head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"%PDF-") or b"%PDF-" in self.head[:1024]:
            return "pdf"
        from megaroth.importers.scan_image import is_image

        if is_image(self.head):
            return "image"
        if head[:1] in (b"{", b"["):
            return "json"
        if not head:
            return "unknown"
        try:
            line = self.first_line()
        except InputError:
            return "unknown"
        if line is None:
            return "unknown"
        return "csv" if any(sep in line for sep in (",", ";", "\t")) else "unknown"

    def first_line(self) -> str | None:
        """The text's first line, as `text.splitlines()[0]` gives it (None for an empty text),
        decoded only as far as it runs."""
        with self.open_text() as stream:
            text = ""
            while True:
                chunk = stream.read(self.HEAD)
                text += chunk
                lines = text.splitlines(keepends=True)
                if not chunk or len(lines) > 1 or (lines and lines[0] != lines[0].splitlines()[0]):
                    return lines[0].splitlines()[0] if lines else None

    @cached_property
    def encoding(self) -> str:
        """The text's encoding: UTF-8 (a byte-order mark allowed), else Windows-1252, decided over
        the whole document (read in chunks, never held whole).

        Raises:
            InputError: when the bytes are text in neither.
        """
        import codecs

        for encoding in ("utf-8-sig", "cp1252"):
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                with self.open_binary() as handle:
                    while chunk := handle.read(self.CHUNK):
                        decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                continue
        raise InputError("not text in UTF-8 or Windows-1252", self.source)

    @cached_property
    def text(self) -> str:
        """The whole text (for JSON; a CSV is read with `open_text`)."""
        return self.data.decode(self.encoding)

    @cached_property
    def json(self) -> Any:
        """The parsed JSON (numbers as exact Decimals), or an InputError."""
        return parse_json(self.text, self.source)

    @cached_property
    def pdf(self) -> "PdfReader":
        """The parsed PDF, decrypted if it opens with an empty password, within the limits; an
        InputError if damaged, encrypted or too big."""
        from pypdf import PdfReader

        # pypdf logs what it repairs and guesses; megaroth reports what matters itself, once.
        logging.getLogger("pypdf").setLevel(logging.CRITICAL)
        self._started = time.monotonic()  # the time budget runs from here (`within_time`)
        with reading_pdf(self):
            reader = PdfReader(io.BytesIO(self.data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # pypdf raises several types for unsupported encryption
                    opened = 0
                if not opened:
                    raise InputError("the PDF is encrypted with a password; megaroth cannot read it "
                                     "(save an unprotected copy and try again)", self.source)
            _check_cost(reader, self)
            return reader

    @cached_property
    def pdf_fields(self) -> dict:
        """The PDF's AcroForm fields by full name ({} when it has none)."""
        with reading_pdf(self):
            return self.pdf.get_fields() or {}

    @cached_property
    def page_texts(self) -> "PageTexts":
        """Each page's text laid out on a character grid (pypdf's layout mode), extracted when a
        page's text is first asked for, once."""
        return PageTexts(self)

    @cached_property
    def _page_contents(self) -> dict[int, Any]:
        return {}

    def page_content(self, index: int):
        """Page `index`'s content stream, parsed once and shared by every extraction of the page
        (its layout text, its positioned words); None: each extraction lets pypdf parse it."""
        if index not in self._page_contents:
            from megaroth.importers.pdf_words import parsed_content

            with reading_pdf(self):
                self._page_contents[index] = parsed_content(self.pdf.pages[index])
        return self._page_contents[index]

    def within_time(self, index: int) -> None:
        """Refuse the file when reading it has already taken its time budget, before page `index`
        is read (the counts of `_check_cost` bound one page's work; this bounds a file's).

        Raises:
            InputError: naming the file and the page.
        """
        started = getattr(self, "_started", None)
        if started is not None and time.monotonic() - started > self.limits.max_seconds:
            raise InputError(f"reading the PDF took more than {self.limits.max_seconds:g} s before page {index + 1}, "
                             "far longer than any tax form; megaroth stopped reading it",
                             self.source)

    def page_marks(self, index: int) -> "PageMarks":
        """The words, ink and XObjects drawn by page `index`'s content, in page coordinates (one
        pass of pypdf's text extraction on the shared parsed content)."""
        from megaroth.importers.pdf_words import read_page

        self.within_time(index)
        with reading_pdf(self):
            return read_page(self.pdf.pages[index], index, self.page_content(index))

    def pdf_or_none(self) -> "PdfReader | None":
        """The PDF if it parses; identification treats a damaged PDF as unclaimed by this
        importer (the error is reported once, by the registry)."""
        try:
            return self.pdf
        except InputError:
            return None


class PageTexts(Sequence):
    """A PDF's pages' layout texts, each extracted the first time it is asked for."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        with reading_pdf(self._doc):
            return len(self._doc.pdf.pages)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("page index out of range")
        if index not in self._texts:
            from megaroth.importers.pdf_words import layout_text

            doc = self._doc
            doc.within_time(index)
            with reading_pdf(doc):
                self._texts[index] = layout_text(doc.pdf.pages[index], doc.page_content(index))
        return self._texts[index]


def _pdf_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged PDF can raise: pypdf's own errors, and the built-in ones its parser
    and megaroth's widget readers let through on malformed objects (a None where a dictionary
    belongs, a byte string for a name, a truncated stream, a bad number, a cycle)."""
    import binascii
    import struct
    import zlib

    from pypdf.errors import PyPdfError

    return (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError, RecursionError,
            NotImplementedError, AssertionError, ArithmeticError, UnicodeError, OSError, EOFError, struct.error,
            zlib.error, binascii.Error)


@contextmanager
def reading_pdf(doc: "Document") -> Iterator[None]:
    """Read a PDF: whatever a damaged one makes pypdf or a reader raise becomes an InputError that
    names the file. Only for PDFs: the same exception from reading JSON or CSV is a bug."""
    try:
        yield
    except InputError:
        raise
    except _pdf_errors() as exc:
        if doc.kind != "pdf":
            raise
        from pypdf.errors import LimitReachedError

        if isinstance(exc, LimitReachedError):
            raise InputError("the PDF holds an object larger than pypdf's safety limits (a stream that expands "
                             "enormously, a huge table): a decompression bomb or a corrupt file; megaroth will not "
                             "read it", doc.source) from None
        detail = str(exc).replace("\n", " ")
        detail = detail if len(detail) <= 120 else detail[:117] + "…"
        raise InputError(f"the PDF is damaged or truncated, or built in a way megaroth cannot read ({type(exc).__name__}: "
                         f"{detail}); if it opens normally elsewhere, please report it", doc.source) from None


def _check_cost(reader, doc: "Document") -> None:
    """Refuse a PDF that would take too long to read: too many pages or too much page content
    (counted once per stream, including the Form XObjects pages draw)."""
    limits = doc.limits
    pages = len(reader.pages)
    if pages > limits.max_pages:
        raise InputError(f"the PDF has {pages:,} pages, more than the limit of {limits.max_pages:,}; split it, or "
                         "raise the limit with --max-pages", doc.source)
    seen: set[int] = set()
    content = 0
    for number, page in enumerate(reader.pages, start=1):
        streams = [page.get_contents()]
        resources = [page.get("/Resources")]
        while resources:
            holder = resources.pop()
            holder = holder.get_object() if holder is not None else None
            xobjects = holder.get("/XObject") if hasattr(holder, "get") else None
            for ref in (xobjects.get_object().values() if xobjects is not None else ()):
                key = getattr(ref, "idnum", None) or id(ref)
                if key in seen:
                    continue
                seen.add(key)
                xobject = ref.get_object()
                if xobject.get("/Subtype") == "/Form":
                    streams.append(xobject)
                    resources.append(xobject.get("/Resources"))
        datas = [stream.get_data() for stream in streams if stream is not None]
        content += sum(len(data) for data in datas)
        if content > limits.max_content_bytes:
            raise InputError(f"the PDF holds more than {limits.max_content_mb} MiB of page content by page "
                             f"{number}, far more than any tax form; raise the limit with --max-content-mb if it "
                             "is genuine", doc.source)
        page_text = sum(count_text_objects(data) for data in datas)
        page_ops = count_operators(datas, limits.max_operators_per_page)
        if page_text > limits.max_text_objects_per_page:
            raise InputError(f"page {number} of the PDF draws {page_text:,} text objects, more than the limit of "
                             f"{limits.max_text_objects_per_page:,} a page (a tax form's page draws about 1,000): a "
                             "hostile or broken file; megaroth will not read it", doc.source)
        if page_ops > limits.max_operators_per_page:
            raise InputError(f"page {number} of the PDF holds more than {limits.max_operators_per_page:,} drawing "
                             "operators (a tax form's page holds under 10,000): a hostile or broken file; megaroth "
                             "will not read it", doc.source)


_OPERATOR = re.compile(rb"(?<![^\s\]\)>\[(</])[A-Za-z'\"][A-Za-z0-9*']{0,2}(?=[\s\[(</%]|$)")


def count_text_objects(data: bytes) -> int:
    """The text-showing operators in decoded page content (an upper bound: "Tj" inside a string
    counts too), counted without parsing the content."""
    return data.count(b"Tj") + data.count(b"TJ")


def count_operators(streams: list[bytes], limit: int) -> int:
    """The operators in a page's decoded content, without parsing it: the whitespace-separated
    tokens bound them from above, so the exact count is only made for content that may be over
    `limit` (then about 0.15 s a MiB)."""
    bound = sum(d.count(b" ") + d.count(b"\n") + d.count(b"\r") + 1 for d in streams)
    if bound <= limit:
        return bound
    return sum(len(_OPERATOR.findall(d)) for d in streams)


@dataclass
class RawForm:
    """One form (a 1099-R or a 5498) as read from a document, before validation."""

    values: dict[str, Any]
    """Model field names (box_1 …) → values as read (text, bools, lists for state rows)."""
    locator: str
    """How the user finds it in the document: "page 2", "row 14", "page 1, form 2"."""
    fields: dict[str, str] = field(default_factory=dict)
    """Model field → where it was read ("AcroForm field …", "text 'Gross distribution' p. 1")."""
    tax_year: int | None = None
    taxpayer_key: str | None = None
    """A grouping the source itself gives when the taxpayer has no id and no complete TIN (a case
    file groups its own forms); see `person_key`."""
    form_id: str | None = None
    """The id the source gives the form, if any."""
    taxpayer: dict[str, Any] = field(default_factory=dict)
    """name, tin, birth_date when the source gives them."""
    errors: list[str] = field(default_factory=list)
    """Reasons this record cannot be trusted (a box read without confidence): it is rejected."""
    warnings: list[str] = field(default_factory=list)
    form: str = "1099-R"
    """Which form this is: "1099-R", "5498" or "W-2" (its values are that model's fields)."""
    scan: dict[str, dict] | None = None
    """A form read from a scan: box → what the OCR read, its confidence, whether it was accepted."""
    awaiting: dict[str, str] = field(default_factory=dict)
    """A form read from a scan: box → why it is left blank until a person confirms it."""


def _normal_name(name: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name or "").casefold().split())


def person_key(taxpayer_id: str | None, tin: str | None, name: str | None, fallback: str | None = None) -> str:
    """The key that groups records into one person's case: a client id, else a complete TIN, else
    what the source groups by (`fallback`), else a masked TIN together with the name, else the name.

    A masked TIN ("***-**-1234") alone never groups: two clients can share its last four digits.
    """
    from megaroth.tin import Tin, TinError

    if taxpayer_id and taxpayer_id.strip():
        return "id:" + taxpayer_id.strip()
    parsed = None
    if tin:
        try:
            parsed = Tin(str(tin))
        except TinError:
            parsed = None
    if parsed is not None and parsed.is_complete:
        return "tin:" + parsed.digits
    if fallback:
        return fallback
    normal = _normal_name(name)
    if parsed is not None:
        return f"masked-tin:{parsed.last4}:{normal}"
    return f"name:{normal}" if normal else ""


def person_label(key: str) -> str:
    """A person key as it may be shown and used in a file name: never a TIN beyond its last four."""
    kind, _, rest = key.partition(":")
    if kind == "id":
        return rest
    if kind == "tin":
        return f"tin-{rest[-4:]}"
    if kind == "masked-tin":
        last4, _, name = rest.partition(":")
        return f"{name} tin-{last4}" if name else f"tin-{last4}"
    if kind in ("name", "file"):
        return rest
    return key


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


def validate_record(raw: RawForm, doc_name: str, importer: str,
                    form_id: str) -> Form1099R | Form5498 | FormW2 | list[InputError]:
    """A raw record validated into a Form1099R (or a Form5498) with its provenance, or the errors
    naming the file, the record and the box. A scanned 1099-R whose box 1 or box 7 awaits a person is
    an AwaitingForm1099R (a Form1099R kept off the return until confirmed)."""
    where = Source(file=doc_name, record=raw.locator)
    if raw.errors:
        return record_errors(raw, where)
    values = dict(raw.values)
    values["id"] = form_id
    # Built by megaroth itself from strings it made: no need to validate it again.
    try:
        scanned = _scanned(raw)
    except ValidationError as exc:  # a case file's own provenance, typed by hand
        return validation_errors(exc, where.at(field="provenance.scanned"))
    values["provenance"] = Provenance.model_construct(file=doc_name, locator=raw.locator, importer=importer,
                                                      fields=raw.fields, **scanned)
    model = Form5498 if raw.form == "5498" else FormW2 if raw.form == "W-2" else Form1099R
    if model is Form1099R and awaits_required(values, raw.awaiting):
        # A scan whose box 1 or box 7 a person must read: kept aside, off the return, and asked.
        model = AwaitingForm1099R
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = validation_errors(exc, where)
        if model is Form5498 and errors and all(e.source.field in CODE_BOXES_5498 for e in errors):
            return _without_bad_codes(raw, values, errors, where)
        for error in errors:
            origin = raw.fields.get(error.source.field or "")
            if origin:
                error.message = f"{error.message} (read from {origin})"
        return errors


def _scanned(raw: RawForm) -> dict:
    """What a scan adds to the provenance: each box as read, and the boxes awaiting a person."""
    if raw.scan is None:
        return {}
    from megaroth.model.form1099r import ScannedValue

    return {"scanned": {box: ScannedValue.model_validate(entry) for box, entry in raw.scan.items()},
            "awaiting_confirmation": dict(raw.awaiting)}


CODE_BOXES_5498 = ("box_13c", "box_14b", "box_15b")
"""A Form 5498's code boxes: one that cannot be a code is left out, not the whole form."""


def _without_bad_codes(raw: RawForm, values: dict, errors: list[InputError],
                       where: Source) -> Form5498 | list[InputError]:
    """A Form 5498 whose only faults are in its code boxes (13c, 14b, 15b): those boxes are left
    out and said (a warning naming each box and what it held); its amounts are kept. A code box
    never changes an amount, and the rollover match needs the amounts."""
    bad = {e.source.field for e in errors}
    for box in sorted(bad):
        shown = str(values.get(box))
        shown = shown if len(shown) <= 40 else shown[:37] + "…"
        origin = raw.fields.get(box)
        raw.warnings.append(f"{box}: {shown!r} is not a code Form 5498 prints in box {box.removeprefix('box_')}"
                            f"{f' (read from {origin})' if origin else ''}; that box is left out and the rest of the "
                            "form kept: check the form")
    try:
        return Form5498.model_validate({k: v for k, v in values.items() if k not in bad})
    except ValidationError as exc:
        return validation_errors(exc, where)
