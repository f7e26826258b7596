"""The command line asks the interview's questions (megaroth.interview, the same as the web page)
when a form does not say where the money went, and keeps the answers in a case file.

Worked case: fixtures/cases/g_without_disposition.json, Acme's $10,200 code G form ($10,000
after-tax in box 5, $200 earnings): answered "$10,000 to a Roth IRA, $200 to a traditional IRA",
5b is 0 (Notice 2014-54: the pretax $200 to the traditional IRA)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "g_without_disposition.json"
runner = CliRunner()


def test_the_answers_give_the_lines_and_a_case_file_to_keep(tmp_path):
    saved = tmp_path / "answered.json"
    result = runner.invoke(app, ["report", str(CASE), "--ask", "--save-case", str(saved)],
                           input="roth_ira=10000, traditional_ira=200\n")
    assert result.exit_code == 0, result.output
    assert "| 5b | Pensions and annuities: taxable amount | $0.00 |" in result.stdout
    assert "Where did the money go" in result.stderr
    case = json.loads(saved.read_text())
    assert [(d["to"], d["amount"], d["within_60_days"]) for d in case["forms_1099r"][0]["disposition"]] == [
        ("roth_ira", "10000.00", False), ("traditional_ira", "200.00", False)]
    again = runner.invoke(app, ["report", str(saved), "--ask"], input="")
    assert again.exit_code == 0 and "Where did the money go" not in again.stderr


def test_an_answer_that_does_not_add_up_is_refused_naming_the_question(tmp_path):
    result = runner.invoke(app, ["report", str(CASE), "--ask", "--save-case", str(tmp_path / "x.json")],
                           input="roth_ira=9000, traditional_ira=200\n")
    assert result.exit_code == 1
    assert "acme-unknown:allocation" in result.stderr and "box 1" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_no_input_never_asks():
    result = runner.invoke(app, ["report", str(CASE), "--no-input", "--ask"], input="roth_ira\n")
    assert "Where did the money go" not in result.stderr
    assert "disposition.missing" in result.stdout


def test_to_gives_a_single_form_its_destinations():
    result = runner.invoke(app, ["report", str(CASE), "--to", "traditional_ira=200", "--to", "roth_ira"])
    assert result.exit_code == 0, result.output
    assert "| 5b | Pensions and annuities: taxable amount | $0.00 |" in result.stdout
    assert "disposition.missing" not in result.stdout
    bad = runner.invoke(app, ["report", str(CASE), "--to", "roth_ira=100"])
    assert bad.exit_code == 1 and "box 1" in bad.stderr
    two = runner.invoke(app, ["report", str(CASE.with_name("split_rollover_two_forms.json")), "--to", "roth_ira"])
    assert two.exit_code == 2 and "one form" in two.output


def test_an_amount_beyond_any_form_is_an_error_not_an_internal_one(tmp_path):
    to = runner.invoke(app, ["report", str(CASE), "--to", "roth_ira=1e999"])
    assert to.exit_code == 2 and "not an amount" in to.output
    asked = runner.invoke(app, ["report", str(CASE), "--ask", "--save-case", str(tmp_path / "x.json")],
                          input="roth_ira=99999999999999\n")
    assert asked.exit_code == 1 and "acme-unknown:allocation" in asked.stderr
