"""`megaroth compare` and `report --software` on the command line: exit codes, outputs, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = FIXTURES / "cases"
SOFTWARE = FIXTURES / "software"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_differences_exit_4_with_the_cause_on_stdout_and_a_summary_on_stderr():
    result = run("compare", CASES / "irr_after_tax_only.json", "--software", SOFTWARE / "irr_taxed_box_1.json")
    assert result.exit_code == 4
    assert result.stdout.startswith("# megaroth compared with your tax software — tax year 2025")
    assert "| 5b | Pensions and annuities: taxable amount [1] | 200 | 10,200 | +10,000 | DIFFERS | #1 |" in result.stdout
    assert "### #1 Taxed all of box 1" in result.stdout
    assert "**What to change in the software:**" in result.stdout
    assert "the software differs on 5b" in result.stderr


def test_agreement_exits_0():
    result = run("compare", CASES / "irr_after_tax_only.json", "--line-5a", "10,200", "--line-5b", "200",
                 "--line-25b", "0", "--rollover")
    assert result.exit_code == 0, result.output
    assert "The software agrees with megaroth** on the 4 figure(s) compared" in result.stdout


def test_generic_line_option_for_other_years():
    result = run("compare", CASES / "ty2019_pension_lines.json", "--line", "4c=10200", "--line", "4d=10200")
    assert result.exit_code == 4
    assert "| 4d |" in result.stdout


def test_no_figures_is_a_usage_error():
    result = run("compare", CASES / "irr_after_tax_only.json")
    assert result.exit_code == 2
    assert "give the software's figures" in result.stderr


def test_bad_line_option_is_a_usage_error():
    result = run("compare", CASES / "irr_after_tax_only.json", "--line", "5b")
    assert result.exit_code == 2
    assert "expected NAME=AMOUNT" in result.stderr


def test_bad_software_file_exits_1_naming_it(tmp_path):
    bad = tmp_path / "figures.json"
    bad.write_text('{"form_1040": {"5b": "abc"}}')
    result = run("compare", CASES / "irr_after_tax_only.json", "-s", bad)
    assert result.exit_code == 1
    assert "figures.json" in result.stderr and "form_1040.5b" in result.stderr and "Traceback" not in result.output


def test_json_output_is_one_document():
    result = run("compare", CASES / "roth_ira_direct_rollover_2024.json", "-s", SOFTWARE / "plan_rollover_on_8606.json",
                 "--json")
    document = json.loads(result.stdout)
    assert document["agree"] is False
    assert [d["rule"] for d in document["diagnoses"]] == ["compare.plan_as_ira", "compare.form_8606_for_plan"]
    assert "i8606.part-ii-ira-only" in document["citations"]


def test_worksheet_flag_prints_the_whole_worksheet():
    result = run("compare", CASES / "irr_after_tax_only.json", "-s", SOFTWARE / "irr_taxed_box_1.json", "--worksheet")
    assert result.stdout.startswith("# Mega backdoor Roth worksheet")
    assert "## Compared with Example Tax Software 2025" in result.stdout


def test_report_with_software_adds_the_section_and_exits_4():
    result = run("report", CASES / "irr_after_tax_only.json", "--software", SOFTWARE / "irr_taxed_box_1.json")
    assert result.exit_code == 4
    assert "## Compared with" in result.stdout and "## Form 8606" in result.stdout
    result = run("report", CASES / "irr_after_tax_only.json", "--software", SOFTWARE / "irr_agrees.json")
    assert result.exit_code == 0


def test_report_software_refuses_a_batch(tmp_path):
    result = run("report", FIXTURES / "csv" / "preparer_batch.csv", "--out-dir", tmp_path, "--software",
                 SOFTWARE / "irr_agrees.json")
    assert result.exit_code == 2


def test_tins_masked_and_html_escaped(tmp_path):
    figures = tmp_path / "f.json"
    figures.write_text('{"software": "<script>alert(1)</script>", "form_1040": {"5b": "200"}}')
    result = run("compare", CASES / "irr_after_tax_only.json", "-s", figures, "--format", "html")
    assert "<script>alert" not in result.stdout and "&lt;script&gt;" in result.stdout
    assert "400-00-1234" not in result.stdout and "***-**-1234" in result.stdout
    result = run("compare", CASES / "irr_after_tax_only.json", "-s", figures, "--reveal-tins")
    assert "400-00-1234" in result.stdout


def test_1099r_pdf_against_the_software_1040_pdf():
    """Both sides from PDFs: the IRS fillable 1099-R and the software's fillable 2025 Form 1040."""
    result = run("compare", FIXTURES / "pdf" / "irs_fillable_code_g.pdf", "-s",
                 FIXTURES / "pdf" / "f1040" / "f1040_2025_fillable.pdf")
    assert result.exit_code == 4, result.output
    assert "| 5b | Pensions and annuities: taxable amount [1] | 200 | 10,200 | +10,000 | DIFFERS |" in result.stdout


def test_report_json_with_software_carries_the_comparison():
    result = run("report", CASES / "irr_after_tax_only.json", "--json", "--software", SOFTWARE / "irr_taxed_box_1.json")
    document = json.loads(result.stdout)
    assert document["lines"]["5b"] == "200.00"
    assert document["comparison"]["agree"] is False
    assert document["comparison"]["diagnoses"][0]["rule"] == "compare.taxed_gross"
    assert "irs-after-tax.earnings-pretax" in document["citations"]
