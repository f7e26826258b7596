"""`--format table|csv|json` means the same on check, room, ledger show and summary; help pages
name values in words, never Python types; shell completion works.

Worked cases: fixtures/cases/split_rollover_one_form.json (Acme's $10,200 code G form split
$10,000 to a Roth IRA and $200 to a traditional IRA: a warning that it covers two destinations),
fixtures/cases/yearend_mega_backdoor_2025.json (Pat Example, age 40, $200,000 pay, $23,500
deferrals, $6,000 match, plan cap $20,000: room $20,000 under a $70,000 415(c) limit) and the
preparer's batch fixtures/csv/preparer_batch.csv (8 records: 6 reported, 2 rejected).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from megaroth.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = FIXTURES / "cases"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_check_table_csv_and_json_hold_the_same_findings():
    case = CASES / "split_rollover_one_form.json"
    table = run("check", case)
    assert table.exit_code == 0
    header, rule, *rows = table.stdout.splitlines()
    assert header.split()[:3] == ["Severity", "Finding", "Form"]
    assert rows[0].startswith("warning   form.one_form_two_destinations  acme-split  disposition")
    as_csv = _csv(run("check", case, "--format", "csv").stdout)
    as_json = json.loads(run("check", case, "-f", "json").stdout)
    assert [r["code"] for r in as_csv] == [f["code"] for f in as_json["findings"]] == [
        "form.one_form_two_destinations", "f5498.not_given"]
    assert as_csv[0]["box"] == "disposition" and as_csv[0]["severity"] == "warning"
    assert run("check", case, "--json").stdout == run("check", case, "-f", "json").stdout


def test_check_without_findings_says_so():
    result = run("check", CASES / "irr_after_tax_only.json")
    assert "irr_rollover_marker" in result.stdout or result.stdout.strip() == "No findings."


def test_contradicting_json_and_format_is_a_usage_error():
    assert run("check", CASES / "split_rollover_one_form.json", "--json", "-f", "csv").exit_code == 2
    assert run("ledger", "show", "--json", "-f", "table").exit_code == 2


def test_room_table_and_csv_rows_are_the_plans():
    case = CASES / "yearend_mega_backdoor_2025.json"
    rows = _csv(run("room", case, "-f", "csv").stdout)
    assert rows == [{"plan": "acme-401k", "employer": "Acme", "kind": "401k", "deferrals": "23500.00",
                     "catch_up": "0.00", "employer_contributions": "6000.00", "limit_415c": "70000.00",
                     "plan_cap": "20000.00", "room": "20000.00", "made": "20000.00", "left": "0.00"}]
    table = run("room", case, "-f", "table").stdout
    assert "$70,000.00" in table and "$20,000.00" in table
    # The worksheet stays the default, and it names the notice the year's limits come from.
    worksheet = run("room", case).stdout
    assert "- Annual additions dollar limit per employer, IRC 415(c)(1)(A): $70,000.00 [1][4]" in worksheet
    assert "Notice 2024-80" in worksheet


def test_ledger_show_formats(tmp_path):
    ledger = tmp_path / "l.db"
    added = run("ledger", "add", CASES / "yearend_mega_backdoor_2025.json", "--ledger", ledger)
    assert added.exit_code == 0, added.output
    rows = _csv(run("ledger", "show", "--ledger", ledger, "-f", "csv").stdout)
    by_item = {r["item"]: r for r in rows}
    assert by_item["irr_taxable"]["amount"] == "400.00"  # $150 + $250 of converted earnings
    assert by_item["plan_after_tax_basis"]["amount"] == "5000.00"
    assert by_item["irr_recapture"]["until"] == "2029-12-31"
    assert {r["taxpayer"] for r in rows} == {"client-0042"}
    table = run("ledger", "show", "--ledger", ledger).stdout
    assert "$5,000.00" in table and "5-year clock (in-plan Roth rollover)" in table
    view = json.loads(run("ledger", "show", "--ledger", ledger, "--json").stdout)
    assert view[0]["taxpayer"] == "client-0042"


def test_summary_of_a_finished_batch(tmp_path):
    out = tmp_path / "out"
    batch = run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", out)
    assert batch.exit_code == 1  # two records rejected
    table = run("summary", out)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[-1] == "4 taxpayer(s); records in 8 = reported 6 + rejected 2; exit 1"
    rows = _csv(run("summary", out / "summary.json", "-f", "csv").stdout)
    assert rows == _csv((out / "summary.csv").read_text())  # the same columns and values as the batch wrote
    document = json.loads(run("summary", out, "--json").stdout)
    assert document["schema"] == "megaroth/batch-summary" and document["totals"]["records_in"] == 8


def test_summary_refuses_what_is_not_one(tmp_path):
    unfinished = run("summary", tmp_path)
    assert unfinished.exit_code == 1 and "no summary.json" in unfinished.stderr
    bad = tmp_path / "summary.json"
    bad.write_text('{"schema": "megaroth/batch-summary"}')
    result = run("summary", bad)
    assert result.exit_code == 1 and "not a megaroth batch summary" in result.stderr


def _commands(group, path=()):
    yield path, group
    for name, sub in getattr(group, "commands", {}).items():
        yield from _commands(sub, (*path, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(typer.main.get_command(app))], ids=" ".join)
def test_help_names_values_in_words(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    for python in ("<str>", "<int>", "<path>", "<list", "<float>", "TEXT", "INTEGER"):
        assert python not in result.stdout, (path, python)


def test_completion_script_and_answers():
    script = run("completion", "bash")
    assert script.exit_code == 0 and "_MEGAROTH_COMPLETE=complete_bash" in script.stdout
    env = {**os.environ, "_MEGAROTH_COMPLETE": "complete_bash", "COMP_WORDS": "megaroth check --format ",
           "COMP_CWORD": "3"}
    answer = subprocess.run([sys.executable, "-m", "megaroth"], env=env, capture_output=True, text=True, timeout=60)
    assert answer.stdout.split() == ["table", "csv", "json"]


def test_guide_command_and_report_section(tmp_path):
    """The entry guide on its own and as a worksheet section (split_rollover_one_form: $10,000 to a
    Roth IRA, $200 to a traditional IRA, entered as two forms)."""
    case = CASES / "split_rollover_one_form.json"
    alone = run("guide", case, "-p", "drake")
    assert alone.exit_code == 0
    assert alone.stdout.startswith("# Entry guide — tax year 2025")
    assert "### Form acme-split, part 1 of 2: $10,000.00 to a Roth IRA" in alone.stdout
    assert "TurboTax" not in alone.stdout  # only the product asked for
    every = run("guide", case, "--json")
    assert [g["software"] for g in json.loads(every.stdout)["guides"]] == [
        "turbotax", "hrblock", "freetaxusa", "drake", "ultratax"]
    worksheet = run("report", case, "--guide", "turbotax", "--no-input").stdout
    assert "## Entering it in TurboTax (Online and Desktop)" in worksheet
    assert worksheet.index("## Entering it in TurboTax") < worksheet.index("## Sources")
    assert "Entering it in" not in run("report", case, "--no-input").stdout  # only when asked
    pdf = tmp_path / "w.pdf"
    assert run("report", case, "--guide", "ultratax", "--no-input", "-o", pdf).exit_code == 0
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Entering it in UltraTax CS" in text and "Pages the entry guide cites" in text
    assert run("guide", case, "-p", "quicken").exit_code == 2
