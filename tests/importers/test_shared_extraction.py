"""The one-parse-per-page extraction (pdf_words.parsed_content) reaches into pypdf's internals;
it must give exactly what pypdf's public extraction gives, on the IRS's own forms and on the
sample documents, so that a pypdf upgrade that changes those internals fails here instead of
silently changing what megaroth reads. (If the internals are gone, megaroth falls back to the
public calls and this test compares them with themselves.)"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from megaroth.importers.pdf_words import layout_text, parsed_content, read_page

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "irs-forms"
PDFS = sorted({*ROOT.glob("forms/20*/*.pdf"), *(ROOT / "fixtures" / "pdf").glob("*.pdf"),
               *(ROOT / "fixtures" / "pdf" / "f1040").glob("*.pdf"), *SHARED.glob("**/*.pdf")})
SKIP = {"damaged_truncated.pdf", "encrypted.pdf"}


def _each_once(paths):
    """One path for each distinct file: the IRS's PDFs vendored in forms/ are the same bytes as
    ../shared/irs-forms/, and the same bytes compared twice prove nothing more (they cost 7 s)."""
    seen: set[str] = set()
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if path.name not in SKIP and digest not in seen:
            seen.add(digest)
            yield path


@pytest.mark.parametrize("path", list(_each_once(PDFS)), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shared_parse_gives_what_pypdf_gives(path):
    reader = PdfReader(path)
    for index, page in enumerate(reader.pages[:3]):  # the forms' pages that megaroth reads
        content = parsed_content(page)
        if content is None:
            continue
        public = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
        assert layout_text(page, content) == public, (path.name, index)
        shared, own = read_page(page, index, content), read_page(page, index)
        assert shared.text == own.text and shared.words == own.words and shared.ink == own.ink \
            and shared.appearances == own.appearances, (path.name, index)
