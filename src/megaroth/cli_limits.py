"""The options bounding what one input may cost (`megaroth.limits`), shared by every command that
reads files: --max-pages, --max-content-mb and --max-image-pixels. A refusal names the option that
raises its limit (importers/base.py for pages and content, importers/scan_image.py for pixels).

No `from __future__ import annotations` here: typer reads these annotations at run time.
"""

from typing import Annotated

import typer

from megaroth.limits import DEFAULT as DEFAULT_LIMITS, Limits

MaxPagesOpt = Annotated[int, typer.Option(
    "--max-pages", min=1, help="Refuse a PDF with more pages than this.")]
MaxContentOpt = Annotated[int, typer.Option(
    "--max-content-mb", min=1, help="Refuse a PDF with more page content than this many MiB.")]
MaxImagePixelsOpt = Annotated[int, typer.Option(
    "--max-image-pixels", min=1, help="Refuse a scanned page (an image, or a PDF page rendered at 200 dpi) with more "
                               "pixels than this; a letter page at 600 dpi is 33.7 million.")]

METAVARS = {"max_pages": "PAGES", "max_content_mb": "MIB", "max_image_pixels": "PIXELS"}
"""Each option's value in words, for the help pages."""


def limits(max_pages: int = DEFAULT_LIMITS.max_pages, max_content_mb: int = DEFAULT_LIMITS.max_content_mb,
           max_image_pixels: int = DEFAULT_LIMITS.max_image_pixels) -> Limits:
    """The limits the options give (the others at their defaults)."""
    return Limits(max_pages=max_pages, max_content_mb=max_content_mb, max_image_pixels=max_image_pixels)


__all__ = ["DEFAULT_LIMITS", "MaxPagesOpt", "MaxContentOpt", "MaxImagePixelsOpt", "METAVARS", "limits"]
