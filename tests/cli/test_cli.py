"""The command line: exit codes, stdout/stderr separation, stdin, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from megaroth.cli import app

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
runner = CliRunner()


def run(*args, stdin: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def test_report_markdown_to_stdout_summary_to_stderr():
    result = run("report", CASES / "irr_after_tax_only.json")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Mega backdoor Roth worksheet — tax year 2025")
    assert "| 5b | Pensions and annuities: taxable amount | $200.00 |" in result.stdout
    assert "exit 0" in result.stderr and "exit 0" not in result.stdout


def test_report_json_is_one_document_on_stdout():
    result = run("report", CASES / "split_rollover_one_form.json", "--json")
    document = json.loads(result.stdout)
    assert document["lines"] == {"4a": None, "4b": None, "5a": "10200.00", "5b": "0.00", "25b": None}
    assert document["form_8606"]["status"] == "does_not_apply"
    form = document["forms"][0]
    assert (form["basis"], form["earnings"], form["taxable"], form["destination"]) == (
        "10000.00", "200.00", "0.00", "multiple")
    assert document["notations"][0]["line"] == "5c" and document["notations"][0]["box"] == "1"


def test_report_html_to_file_is_written(tmp_path):
    out = tmp_path / "worksheet.html"
    result = run("report", CASES / "irr_after_tax_only.json", "--format", "html", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text().startswith("<!DOCTYPE html>") and f"wrote {out}" in result.stderr


def test_stdin_with_dash():
    text = (CASES / "irr_after_tax_only.json").read_text()
    result = run("report", "-", "--json", stdin=text)
    assert result.exit_code == 0 and json.loads(result.stdout)["lines"]["5b"] == "200.00"


@pytest.mark.parametrize("case, code", [
    ("irr_after_tax_only", 0),
    ("bad_form_in_batch", 1),
    ("tnd_undeterminable", 3),
    ("invalid_code_7g", 4),
])
def test_exit_codes(case, code):
    assert run("report", CASES / f"{case}.json").exit_code == code
    assert run("check", CASES / f"{case}.json").exit_code == code


def test_check_names_file_form_and_box():
    result = run("check", CASES / "bad_form_in_batch.json", "--format", "csv")
    assert result.exit_code == 1
    row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["severity"] == "input")
    assert row["where"].endswith("bad_form_in_batch.json: form 'typo'") and row["box"] == "box_2a"
    assert row["message"] == "'5,000.005' has fractions of a cent"
    assert "Traceback" not in result.output


def test_check_json():
    result = run("check", CASES / "wrong_form_g_roth_zero.json", "--json")
    document = json.loads(result.stdout)
    assert [f["code"] for f in document["findings"]] == ["form.roth_rollover_reported_untaxed"]


@pytest.mark.parametrize("args, words", [
    (("report", "no-such-file.json"), "no-such-file.json: no such file"),
    (("report", "-"), "<stdin>: not valid JSON"),
])
def test_unreadable_input_exit_1_without_traceback(args, words):
    result = run(*args, stdin="{oops")
    assert result.exit_code == 1
    assert words in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["report", "check", "yearend", "letter", "guide"])
def test_unsupported_year_is_input_error_naming_the_file(tmp_path, command):
    # yearend once said only "tax_year: …", without the file (found by the long fuzz run).
    path = tmp_path / "case.json"
    path.write_text('{"tax_year": 2011, "forms_1099r": []}')
    result = run(command, path, *(["--no-ledger"] if command == "yearend" else []))
    assert result.exit_code == 1
    assert f"{path}: tax_year: tax year 2011 is not supported (supported: 2019-" in result.stderr


@pytest.mark.parametrize("extra, where", [
    (["--line-5a", "1"], "{case}: tax_year"),  # the figures given as options
    (["--software", "{software}"], "{case}: tax_year"),  # in a figures file
    (["--line-5a", "1", "--year", "2011"], "--year"),
])
def test_compare_with_an_unsupported_year_names_where_the_year_came_from(tmp_path, extra, where):
    case, software = tmp_path / "case.json", tmp_path / "software.json"
    case.write_text('{"tax_year": 2011, "forms_1099r": []}')
    software.write_text('{"line_5a": "1.00"}')
    result = run("compare", case, *[e.format(software=software) for e in extra])
    assert result.exit_code == 1
    assert f"{where.format(case=case)}: tax year 2011 is not supported" in result.stderr


def test_unsupported_year_without_a_case_names_the_option(tmp_path):
    result = run("yearend", "--taxpayer", "T-1", "--year", "1900", "--ledger", tmp_path / "l.db")
    assert result.exit_code == 1 and "--year: tax year 1900 is not supported" in result.stderr


def test_quick_one_form():
    result = run("quick", "--box-1", "10200", "--box-2a", "200", "--box-5", "10000", "--code", "G",
                 "--to", "roth_ira", "--year", "2024", "--json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["lines"]["5a"] == "10200.00" and document["lines"]["5b"] == "200.00"
    assert document["notations"][0]["text"] == "Rollover" and document["notations"][0]["kind"] == "write_in"


def test_quick_bad_amount_is_a_usage_error_naming_the_option():
    # The amount comes from an option, so it is a usage error (exit 2), named by the option.
    result = run("quick", "--box-1", "-5", "--code", "G")
    assert result.exit_code == 2 and "--box-1" in result.stderr and "negative" in result.stderr


def test_usage_error_is_exit_2():
    assert run("report").exit_code == 2


def test_tins_are_masked_unless_revealed():
    masked = run("report", CASES / "irr_after_tax_only.json", "--json").stdout
    revealed = run("report", CASES / "irr_after_tax_only.json", "--json", "--reveal-tins").stdout
    assert "400-00-1234" not in masked and "***-**-1234" in masked
    assert "400-00-1234" in revealed


def test_schema_rules_years():
    schema = json.loads(run("schema").stdout)
    assert "forms_1099r" in schema["properties"]
    rules = run("rules").stdout
    assert "rule taxable.plan" in rules and "Notice 2014-54" in rules and "finding box.2a_exceeds_1" in rules
    years = run("years").stdout
    assert "2019: pensions 4c/4d" in years and "2025: pensions 5a/5b" in years


def test_internal_errors_exit_70_without_traceback(monkeypatch):
    from megaroth import api

    def broken(loaded):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "analyze", broken)
    result = run("report", CASES / "irr_after_tax_only.json")
    assert result.exit_code == 70
    assert "internal error" in result.stderr and "Traceback" not in result.output


def test_python_dash_m_entry_point():
    completed = subprocess.run([sys.executable, "-m", "megaroth", "--help"], capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0 and "report" in completed.stdout and "Exit codes" in completed.stdout


def test_a_batch_progress_bar_shows_the_total_the_csv_announces(tmp_path):
    from megaroth import intake
    from megaroth.cli import _Progress

    tally = intake.Tally()
    path = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "preparer_batch.csv"
    groups = list(intake.groups(intake.read_documents([str(path)]), tally))
    assert tally.groups_expected == len(groups) > 1
    progress = _Progress()
    progress.clock = iter(range(0, 10**12, 10**9)).__next__  # one second per reading
    progress.start = progress.clock()
    progress(1, 4)
    assert progress.line() == "megaroth: [######                  ] 1/4 taxpayers, about 6 s left"
