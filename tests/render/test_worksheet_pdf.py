"""The PDF worksheet: the real figures of a worked case, TINs masked, page numbers, the table
header repeated on each page a table runs onto and no row split across pages."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from megaroth import __version__, api
from megaroth.render import render_worksheet_pdf
from megaroth.render.worksheet import build_context
from megaroth.render.worksheet_pdf import render_pdf
from tests.cli.test_cli import run

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_worked_case_figures_masked_tins_and_page_numbers(tmp_path):
    out = tmp_path / "w.pdf"
    result = run("report", CASES / "irr_after_tax_only.json", "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    pages = _pages(out.read_bytes())
    text = "\n".join(pages)
    line_5a = re.search(r"^5a .*\$10,200\.00 10,200", text, re.M)
    line_5b = re.search(r"^5b .*\$200\.00 200", text, re.M)
    assert line_5a and line_5b, text[:2000]
    assert "400-00-1234" not in text and "400001234" not in text and "***-**-1234" in text
    assert "00-0000001" not in text
    assert f"megaroth {__version__}" in text and f"Prepared {date.today().isoformat()}" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert text.rstrip().endswith(f"Page {len(pages)} of {len(pages)}")
    assert "Sources" in pages[-1] or "Sources" in pages[-2]


def test_reveal_tins_shows_them():
    loaded = api.load_case(CASES / "irr_after_tax_only.json")
    data = render_worksheet_pdf(api.analyze(loaded), loaded.case, reveal_tins=True)
    assert "400-00-1234" in "\n".join(_pages(data))


def test_long_table_repeats_its_header_and_keeps_rows_whole():
    loaded = api.load_case(CASES / "irr_after_tax_only.json")
    context = build_context(api.analyze(loaded), loaded.case)
    context["findings"] = [{"severity": "warning", "code": f"test.row_{n}", "form": "acme-irr", "box": "box 1",
                            "message": f"ROWSTART{n:03d} " + "words that wrap over several lines " * 4
                                       + f"ROWEND{n:03d}", "refs": [1]} for n in range(90)]
    context["counts"] = {"error": 0, "warning": 90, "info": 0}
    pages = _pages(render_pdf(context))
    holding = [p for p in pages if "ROWSTART" in p]
    assert len(holding) >= 3
    for page in holding:
        assert "Severity Code Form / box Finding Sources" in page
    for n in range(90):
        where = [i for i, p in enumerate(pages) if f"ROWSTART{n:03d}" in p]
        assert where and all(f"ROWEND{n:03d}" in pages[i] for i in where), n


def test_pdf_is_refused_where_it_is_not_written(tmp_path):
    case = CASES / "irr_after_tax_only.json"
    assert run("report", case, "--format", "pdf").exit_code == 2
    assert run("report", case, "--format", "pdf", "--out-dir", tmp_path / "out").exit_code == 2
    assert run("letter", case, "-o", tmp_path / "letter.pdf").exit_code == 2
