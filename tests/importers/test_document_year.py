"""A custodian statement that prints the tax year only on its summary page: the year applies
to the forms after it in the same PDF, and the worksheet says where the year came from."""

from __future__ import annotations

from pathlib import Path

from megaroth import api
from tests.helpers import fixture_kit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdf"


def _kit():
    return fixture_kit("make_pdfs")


def statement(tmp_path, *, summary: bool) -> Path:
    kit = _kit()
    pages = []
    if summary:
        cover = kit.Page()
        cover.text(40, 760, "Acme Retirement Services", 12)
        cover.text(40, 740, "Tax Year 2025", 11)
        cover.text(40, 720, "Summary of your tax forms: one Form 1099-R follows.", 9)
        pages.append(cover)
    page = kit.Page()
    kit.statement_block(page, dict(kit.IRR, year=""), 760)
    pages.append(page)
    path = tmp_path / "statement.pdf"
    kit.write_pdf(path, pages)
    return path


def test_the_year_on_the_summary_page_applies_to_the_forms_after_it(tmp_path):
    cases, tally = api.load_sources([str(statement(tmp_path, summary=True))])
    assert not tally.rejected, tally.rejected
    ((_, loaded),) = cases
    assert loaded.case.tax_year == 2025
    (form,) = loaded.case.forms_1099r
    assert form.provenance.fields["tax_year"] == "the year printed on page 1"
    notes = [f.message for f in loaded.findings]
    assert any("page 2 prints no tax year; 2025, printed on page 1 before it, is taken as its year" in n for n in notes)


def test_without_it_the_year_is_asked_for(tmp_path):
    cases, tally = api.load_sources([str(statement(tmp_path, summary=False))])
    assert not cases
    assert any("the tax year is not printed" in e.message for e in tally.rejected)
