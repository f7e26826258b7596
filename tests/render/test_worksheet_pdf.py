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
    assert run("yearend", case, "--no-ledger", "--format", "pdf").exit_code == 2  # a PDF needs -o


def test_comparison_pdf_has_the_diagnosis(tmp_path):
    """fixtures/software/irr_taxed_box_1.json: the software taxed all $10,200 of Acme's in-plan Roth
    rollover on line 5b; megaroth's $200 and the cause (box 5 not entered) are in the PDF."""
    out = tmp_path / "c.pdf"
    result = run("compare", CASES / "irr_after_tax_only.json", "--software",
                 CASES.parent / "software" / "irr_taxed_box_1.json", "--format", "pdf", "-o", out)
    assert result.exit_code == 4, result.output  # the software differs
    pages = _pages(out.read_bytes())
    text = "\n".join(pages)
    assert re.search(r"^5b .* 200 10,200 \+10,000 DIFFERS #1", text, re.M), text[:1500]
    assert "#1 Taxed all of box 1 of form 'acme-irr'" in text
    assert "What to change in the software:" in text
    assert "***-**-1234" in text and "400-00-1234" not in text
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Sources" in text


def test_yearend_pdf_room_timing_and_limits(tmp_path):
    """fixtures/cases/yearend_mega_backdoor_2025.json: Pat Example's $20,000 room, $400 of earnings
    converted, $5,000 still unconverted; the 415(c) limit cites Notice 2024-80."""
    out = tmp_path / "y.pdf"
    result = run("yearend", CASES / "yearend_mega_backdoor_2025.json", "--no-ledger", "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    text = "\n".join(_pages(out.read_bytes()))
    assert "acme-401k 401(k) $23,500.00 $0.00 $6,000.00 $20,000.00 $20,000.00 $20,000.00 $0.00" in text
    assert "Annual additions dollar limit per employer, IRC 415(c)(1)(A): $70,000.00" in text
    assert "Notice 2024-80" in text
    assert "Taxable earnings converted this year: $400.00" in text
    assert "Still unconverted on December 31: $5,000.00" in text
    assert "2025-03-31 conversion $7,650.00 $0.00" in text


def test_html_pages_print_and_read_on_a_phone():
    """Every HTML page shares the stylesheet: a viewport, a narrow-screen rule, a print rule with each
    table's header in <thead> (repeated on every printed page) and the sources compact."""
    loaded = api.load_case(CASES / "split_rollover_one_form.json")
    from megaroth.render import render

    html = render(api.analyze(loaded), loaded.case, "html")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media (max-width: 40rem)" in html and "@media print" in html
    assert "thead { display: table-header-group; }" in html
    tables = html.count("<table>") + html.count("<table class=")
    assert tables and html.count("<thead><tr>") == tables  # every table's header repeats
    assert '<ol class="sources">' in html and "`" not in html
