"""Every sample input is claimed by exactly the importer meant for it; bad inputs are refused
with a message naming the file and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from megaroth.errors import InputError
from megaroth.importers import Document, claimants, identify

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

EXPECTED = {
    "pdf/irs_look_flat.pdf": "pdf-text",
    "pdf/three_up_copies.pdf": "pdf-text",
    "pdf/custodian_statement.pdf": "pdf-text",
    "pdf/custodian_table_2019.pdf": "pdf-text",
    "pdf/irs_fillable_code_g.pdf": "pdf-fillable",
    "pdf/fdx_embedded.pdf": "pdf-fdx",
    "csv/preparer_batch.csv": "csv",
    "fdx/tax1099r_v5.json": "fdx-json",
    "fdx/tax1099r_v6.json": "fdx-json",
    "cases/irr_after_tax_only.json": "case-json",
}

REFUSED = {
    "pdf/damaged_truncated.pdf": "damaged or truncated PDF",
    "pdf/encrypted.pdf": "encrypted with a password",
    "pdf/not_a_1099r.pdf": "without 1099-R form fields",
}


def document(relative: str) -> Document:
    path = FIXTURES / relative
    return Document(name=str(path), data=path.read_bytes())


@pytest.mark.parametrize("relative, importer", EXPECTED.items())
def test_claimed_by_exactly_one_importer(relative, importer):
    doc = document(relative)
    assert [i.name for i in claimants(doc)] == [importer]


@pytest.mark.parametrize("relative, words", REFUSED.items())
def test_refused_with_the_reason(relative, words):
    with pytest.raises(InputError, match=words) as info:
        identify(document(relative))
    assert info.value.source.file.endswith(relative)


def test_every_fixture_is_in_the_matrix():
    files = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.suffix in (".pdf", ".csv", ".json")
             and "cases" not in p.parts}
    assert files <= set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("data, words", [
    (b"hello world", "not a PDF, JSON or CSV"),
    (b'{"hello": 1}', "neither a megaroth case file nor FDX"),
    (b'{"broken": ', "not valid JSON"),
    (b"name,amount\nx,1\n", "without columns for box 1 and box 7"),
    (b"%PDF-1.7\n garbage", "damaged or truncated PDF"),
])
def test_unknown_inputs(data, words):
    with pytest.raises(InputError, match=words):
        identify(Document(name="input", data=data))


def test_format_hint_overrides_sniffing():
    doc = Document(name="x", data=(FIXTURES / "csv/preparer_batch.csv").read_bytes(), format_hint="json")
    with pytest.raises(InputError, match="not valid JSON"):
        identify(doc)
