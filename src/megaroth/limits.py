"""How much work one input may cost, so that no file can make megaroth hang.

A hostile or broken PDF can hold thousands of pages or pages of hundreds of thousands of text
objects; laying their text out would take minutes (a page of 100,000 one-letter text objects took
over 30 s), and on the web page one upload would hold the server. megaroth counts each page's
work before reading any page, from the decoded content alone, and refuses such a file at once
with a message that names the file, the page and the limit; a time budget per file catches
whatever the counts miss, between pages. The defaults are far above any real 1099-R or Form
1040: the IRS's 2025 Form 1040, 8606 and 5329 pages hold 30-75 KB of content, about 1,150 text
objects and 7,300 operators a page at most, the 1099-R 124 and 1,654; a custodian's page less.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds on one input document (`--max-pages`, `--max-content-mb`)."""

    max_pages: int = 1000
    """Pages a PDF may have."""
    max_content_mb: int = 8
    """Decoded page content (page streams and the forms they draw) a PDF may have, in MiB; laying
    out text costs about a second per MiB on this project's reference machine."""

    max_text_objects_per_page: int = 20_000
    """Text-showing operators (Tj, TJ, ', ") one page may draw, with the forms it draws."""
    max_operators_per_page: int = 200_000
    """Content operators one page may hold, with the forms it draws."""
    max_seconds: int = 60
    """Time reading one file may take, checked before each page is read."""
    max_image_pixels: int = 40_000_000
    """Pixels one scanned page may have (a letter page at 600 dpi is 33.7 million); Pillow refuses
    a decompression bomb at this limit before decoding it."""
    max_scan_seconds: int = 20
    """Time the OCR engine may take on one scanned page (about 2 s on this project's machine)."""

    @property
    def max_content_bytes(self) -> int:
        return self.max_content_mb * MB


DEFAULT = Limits()
