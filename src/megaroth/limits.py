"""How much work one input may cost, so that no file can make megaroth hang.

A hostile or broken PDF can hold thousands of pages or pages of hundreds of thousands of text
objects; laying their text out would take minutes. megaroth refuses such a file at once with a
message that names the limit and the option that raises it. The defaults are far above any real
1099-R or Form 1040: a real IRS Form 1040 page holds about 30-75 KB of content, a custodian's
page less.
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

    @property
    def max_content_bytes(self) -> int:
        return self.max_content_mb * MB


DEFAULT = Limits()
