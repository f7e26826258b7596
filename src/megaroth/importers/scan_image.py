"""Scanned pages: images (PNG, JPEG, TIFF, one page a frame) and PDF pages that are images,
turned into gray pixels and read by the OCR engine into words with their boxes and confidence.

The engine is Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-eng`, models in the
package, nothing downloaded), run one thread a page: measured on this project's 2-core machine
against RapidOCR (`rapidocr_onnxruntime`, ONNX models in its wheel) on the same rendered IRS
1099-R at 150-200 dpi, both read every digit right, Tesseract in 1.5-2.2 s a page and RapidOCR
in 3.8-14 s (benchmarks/bench_scan.py). Pillow and pypdfium2 come with `megaroth[scan]`.

What each page costs is bounded before the engine runs: its pixels (`Limits.max_image_pixels`)
and the engine's time (`Limits.max_scan_seconds`). A page that cannot be read is refused with
the reason: too small, too dark, blank.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import threading
import time
import warnings
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Real

from megaroth.errors import InputError
from megaroth.importers import scan_geometry

EXTRA = 'pip install "megaroth[scan]"'
ENGINE = "tesseract"
ENGINE_PACKAGES = "tesseract-ocr and tesseract-ocr-eng (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng)"
READ_DPI = 200
"""Pages are read at this resolution: the digits of the IRS form's 10-point values are ~28 px high,
which Tesseract reads best; more costs time (7.8 s at 300 dpi) and reads no better."""
MIN_FORM_INCHES = 4
"""A page narrower than this (at its stated or assumed resolution) is not a whole form."""
PIXELS_OPTION = "--max-image-pixels"
"""The option that sets `Limits.max_image_pixels`, named by the refusal."""
MIN_PIXELS_WIDE = 600
"""Fewer pixels across than this: the box values are too small to read (under ~75 dpi on a letter page)."""
TOO_DARK = 90
"""A page whose mean gray (0 black-255 white) is below this is too dark: a form is mostly white paper."""

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_image(head: bytes) -> bool:
    return head.startswith(IMAGE_MAGIC)


@dataclass(frozen=True)
class OcrWord:
    """One word as the engine read it: pixel box (y down), text, confidence 0-100."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: Decimal
    line: tuple[int, int, int] = (0, 0, 0)
    """The engine's block, paragraph and line numbers: the words of one printed line share them."""

    @property
    def center(self) -> tuple[Real, Real]:
        return Fraction(2 * self.left + self.width, 2), Fraction(2 * self.top + self.height, 2)


@dataclass
class ScanPage:
    """One page image read: its words, the gray pixels (for check marks), the resolution."""

    number: int
    dpi: Real
    words: list[OcrWord]
    image: object
    """The gray Pillow image."""
    engine_seconds: Real
    levelled: Real = 0
    """Degrees the image was turned (Pillow's rotate, counter-clockwise) before its words were read:
    the page lay turned so on the glass, less what the words still show."""


def _modules():
    try:
        from PIL import Image  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError:
        return None
    return True


def require_engine(source) -> None:
    """Raises InputError naming the extra (or the system package) when the OCR is not installed."""
    if _modules() is None:
        raise InputError(f"this file is a scanned image; reading scans needs the scan extra: {EXTRA}", source)
    if shutil.which(ENGINE) is None:
        raise InputError("this file is a scanned image; reading scans needs the Tesseract OCR engine, which is not "
                         f"installed: install {ENGINE_PACKAGES}, and {EXTRA}", source)


def page_images(doc, only: set[int] | None = None) -> list:
    """The document's pages as gray Pillow images with their resolution: (image, dpi), within the limits;
    `only` (1-based numbers): those pages of a PDF alone (None for the pages not rendered).

    Raises:
        InputError: the image is damaged, has too many pages or too many pixels.
    """
    from PIL import Image, ImageOps

    limits = doc.limits
    pages = []
    if doc.kind == "pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(doc.data)
        except pdfium.PdfiumError as exc:
            raise InputError(f"the PDF cannot be opened to render its pages ({exc})", doc.source) from None
        if len(pdf) > limits.max_pages:
            raise InputError(f"the PDF has {len(pdf):,} pages, more than the limit of {limits.max_pages:,}", doc.source)
        for index in range(len(pdf)):
            if only is not None and index + 1 not in only:
                pages.append(None)  # a text page of a mixed PDF, read by the PDF readers
                continue
            page = pdf[index]
            width, height = page.get_size()
            pixels = width * height * (READ_DPI / 72) ** 2
            _check_pixels(pixels, index + 1, doc)
            pages.append((page.render(scale=READ_DPI / 72, grayscale=True).to_pil().convert("L"), READ_DPI))
        return pages
    try:
        image = _open(doc.data, limits.max_image_pixels)
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise InputError(f"the image has {frames:,} pages, more than the limit of {limits.max_pages:,}", doc.source)
        for index in range(frames):
            image.seek(index)
            _check_pixels(image.width * image.height, index + 1, doc)
            dpi = _dpi(image)
            frame = ImageOps.exif_transpose(image.convert("L")) if index == 0 else image.convert("L")
            if dpi * 5 > READ_DPI * 6:  # a 600 dpi scan is read at 200: three times fewer pixels, as well read
                factor = READ_DPI / dpi
                frame = frame.resize((round(frame.width * factor), round(frame.height * factor)), Image.LANCZOS)
                dpi = READ_DPI
            pages.append((frame, dpi))
    except InputError:
        raise
    except (Image.DecompressionBombError,) as exc:
        raise InputError(_bomb(limits), doc.source) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"the image is damaged or in a form Pillow cannot read ({exc})", doc.source) from None
    return pages


def check_image_pixels(doc) -> None:
    """The pixel limit of `page_images` applied to an image file's header alone (nothing decoded):
    `megaroth identify` says an image too large to be read, as reading it would.

    Raises:
        InputError: a page has more pixels than `Limits.max_image_pixels`.
    """
    from PIL import Image

    try:
        image = _open(doc.data, doc.limits.max_image_pixels)
        for index in range(min(getattr(image, "n_frames", 1), doc.limits.max_pages)):
            image.seek(index)
            _check_pixels(image.width * image.height, index + 1, doc)
    except Image.DecompressionBombError:
        raise InputError(_bomb(doc.limits), doc.source) from None
    except (OSError, ValueError, SyntaxError):
        return  # a damaged image is said when it is read


def _bomb(limits) -> str:
    return (f"the image has more than the limit of {limits.max_image_pixels:,} pixels a page, far more than a scan "
            "of a form needs (a decompression bomb, or a scan at too high a resolution); raise the limit with "
            f"{PIXELS_OPTION} if the scan is real")


_PILLOW_GUARD = threading.Lock()


def _open(data: bytes, max_pixels: int):
    """The image opened (its header only) under Pillow's decompression-bomb guard set at our
    limit, the guard put back after: it is process-wide, and other code opens images too."""
    from PIL import Image

    with _PILLOW_GUARD, warnings.catch_warnings():
        # Pillow warns from the limit on and refuses from twice it; megaroth refuses from the limit
        # itself (`_check_pixels`), saying so: its warning, printed on stderr, would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        before = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            return Image.open(io.BytesIO(data))
        finally:
            Image.MAX_IMAGE_PIXELS = before


def _dpi(image) -> Real:
    """The resolution the file states; else the one a letter-size page at its width would have."""
    stated = image.info.get("dpi")
    try:
        if stated and Fraction(str(stated[0])) >= 50:
            return Fraction(str(stated[0]))
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        pass
    return Fraction(image.width * 2, 17)  # the width of a letter page, 8.5 inches


def _check_pixels(pixels: Real, number: int, doc) -> None:
    if pixels > doc.limits.max_image_pixels:
        raise InputError(f"page {number} has {pixels:,.0f} pixels, more than the limit of "
                         f"{doc.limits.max_image_pixels:,}; raise the limit with {PIXELS_OPTION} if the scan is real",
                         doc.source)


def unreadable(image, dpi: Real) -> str | None:
    """Why a page cannot be read (too small, too dark, blank), or None."""
    from PIL import ImageStat

    if image.width < MIN_PIXELS_WIDE:
        return f"too small: {image.width} pixels across, the box values cannot be read under {MIN_PIXELS_WIDE}"
    if image.width / dpi < MIN_FORM_INCHES:
        return f"too small: {Decimal(image.width * 10 // dpi) / 10} inches across at {round(dpi)} dpi, less than a whole form"
    stat = ImageStat.Stat(image)
    mean, spread = stat.mean[0], stat.stddev[0]
    if mean < TOO_DARK:
        return f"too dark to read (mean gray {mean:.0f} of 255): rescan with more light"
    if spread < 4:
        return "blank: the page holds no marks"
    return None


def engine_command(source_name: str, psm: int, allowed: str | None, output: str = "tsv",
             settings: tuple[str, ...] = ()) -> list[str]:
    """The engine's command line: `output` its output's kind (tsv, hocr), `settings` more -c settings."""
    only = ["-c", f"tessedit_char_whitelist={allowed}"] if allowed else []
    more = [arg for setting in settings for arg in ("-c", setting)]
    return [ENGINE, source_name, "stdout", "-c", f"tessedit_pageseg_mode={psm}", *more, *only, "-l", "eng", output]


# One thread: on a shared 2-core machine OpenMP's threads made a page 3 times slower (5.4 s vs 1.7 s).
_ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}


def run(command: list[str], data: bytes | None, seconds: Real, source) -> bytes:
    """The engine's output (`command` as `engine_command` makes it), run one thread.

    Raises:
        InputError: when the engine runs past `seconds` or fails.
    """
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=seconds,
                              env={**os.environ, **_ONE_THREAD}, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"the OCR engine took more than {seconds:g} s on a page; megaroth stopped reading it",
                         source) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise InputError(f"the OCR engine failed on the page ({detail[0]})", source)
    return done.stdout


def _words(tsv: bytes) -> dict[int, list[OcrWord]]:
    """The words of the engine's TSV output by its page number (1 the first image)."""
    pages: dict[int, list[OcrWord]] = {}
    for row in csv.DictReader(io.StringIO(tsv.decode("utf-8", "replace")), delimiter="\t",
                              quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        pages.setdefault(int(row.get("page_num") or 1), []).append(OcrWord(
            text=text, left=int(row["left"]), top=int(row["top"]), width=int(row["width"]),
            height=int(row["height"]), confidence=Decimal(row["conf"]),
            line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))))
    return pages


def ocr(image, seconds: Real, source, psm: int = 11, allowed: str | None = None) -> tuple[list[OcrWord], Real]:
    """The engine's words on a gray image, and the time it took; `allowed`: the only characters the
    engine may read (a box that holds a code of a known table).

    Raises:
        InputError: when the engine runs past `seconds` or fails.
    """
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    started = time.perf_counter()
    tsv = run(engine_command("stdin", psm, allowed), buffer.getvalue(), seconds, source)
    return _words(tsv).get(1, []), time.perf_counter() - started


def ocr_many(images: list, seconds: Real, source, psm: int = 11, allowed: str | None = None) -> list[list[OcrWord]]:
    """Each image's words, as `ocr` reads each alone, in one run of the engine.

    Why: the engine spends ~0.1 s loading its model at every start, more than it takes to read a
    small crop; the six readings of a box were six starts. Given a list of image files, Tesseract
    reads each as a page of its own with the same settings, so each image's words are the words
    `ocr` gives it (checked on the test set's crops: the same text, confidence and boxes).

    Raises:
        InputError: when the engine runs past `seconds` or fails.
    """
    import tempfile

    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="megaroth-ocr-") as folder:
        names = []
        for number, image in enumerate(images):
            name = os.path.join(folder, f"{number}.png")
            image.save(name, format="PNG")
            names.append(name)
        listing = os.path.join(folder, "images.txt")
        with open(listing, "w", encoding="utf-8") as out:
            out.write("\n".join(names) + "\n")
        pages = _words(run(engine_command(listing, psm, allowed), None, seconds, source))
    return [pages.get(number + 1, []) for number in range(len(images))]


def read_pages(doc, only: set[int] | None = None) -> list[ScanPage | str]:
    """Every page read by the engine, or the reason it cannot be (a string), within the time budget;
    `only`: those page numbers of a PDF alone (the image pages of a PDF mixing text and images)."""
    require_engine(doc.source)
    started = time.monotonic()
    pages: list[ScanPage | str] = []
    for number, rendered in enumerate(page_images(doc, only), start=1):
        if rendered is None:
            continue
        image, dpi = rendered
        spent = time.monotonic() - started
        left = min(doc.limits.max_scan_seconds, doc.limits.max_seconds - spent)
        if left <= 0:
            raise InputError(f"reading the scan took more than {doc.limits.max_seconds:g} s before page {number}; "
                             "megaroth stopped reading it", doc.source)
        # A photo: its perspective undone, its light evened, a turned page levelled or stood up (scan_geometry).
        image, dpi, _ = scan_geometry.prepared(image, dpi)
        image, levelled = scan_geometry.levelled(image)
        reason = unreadable(image, dpi)
        if reason:
            pages.append(f"page {number} cannot be read: {reason}")
            continue
        image, asked = scan_geometry.stood_up(image, left)
        if left - asked <= 0:
            raise InputError(f"the OCR engine took more than {left:g} s on page {number}; megaroth stopped reading it",
                             doc.source)
        words, elapsed = ocr(image, left - asked, doc.source)
        image, words, elapsed, _ = scan_geometry.read_upright(image, words, asked + elapsed, left - asked - elapsed,
                                                              doc.source, ocr)
        pages.append(ScanPage(number=number, dpi=dpi, words=words, image=image, engine_seconds=elapsed,
                              levelled=levelled))
    return pages
