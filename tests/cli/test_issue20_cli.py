"""Issue 20 through the CLI, as a preparer runs it: a code R recharacterization whose facts are asked and
then given with --fact, and a returned IRA contribution whose birth date is asked."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

runner = CliRunner()
CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def test_code_r_asks_for_the_recharacterization_then_computes_it():
    case = str(CASES / "recharacterization_code_r_facts_missing.json")
    asked = runner.invoke(app, ["report", case, "--json", "--no-input"])
    assert asked.exit_code == 3, asked.output
    document = json.loads(asked.stdout)
    missing = {m["name"]: m["at_stake"] for m in document["missing_facts"]}
    assert missing == {"ira_recharacterizations": "7150.00"}
    # The worked example's facts (a 2024 Roth IRA contribution of $7,000 moved with its earnings, $7,150):
    given = runner.invoke(app, ["report", case, "--json", "--no-input",
                                "--fact", "ira_recharacterizations=roth 2024 7000 7150"])
    assert given.exit_code == 0, given.output
    document = json.loads(given.stdout)
    assert document["complete"] is True and document["missing_facts"] == []
    codes = [f["code"] for f in document["findings"]]
    assert "ira.recharacterization_earlier_return" in codes
    text = next(f["message"] for f in document["findings"] if f["code"] == "ira.recharacterization_earlier_return")
    assert "2024's Form 8606 line 1 ($7,000.00)" in text and "Attach to the 2024 return" in text
    # Nothing on this year's lines 4a/4b (i8606: the amount moved only in the statement).
    assert document["lines"]["4a"] is None and document["lines"]["4b"] is None


def test_a_malformed_recharacterization_answer_is_a_usage_error():
    case = str(CASES / "recharacterization_code_r_facts_missing.json")
    result = runner.invoke(app, ["report", case, "--no-input", "--fact", "ira_recharacterizations=roth 7000"])
    assert result.exit_code == 2
    assert "KIND YEAR CONTRIBUTION MOVED" in result.output


def test_returned_contribution_asks_the_birth_date_with_the_10_percent_at_stake():
    case = str(CASES / "corrective_ira_2022_birth_date_missing.json")
    asked = runner.invoke(app, ["report", case, "--json", "--no-input"])
    assert asked.exit_code == 3, asked.output
    missing = {m["name"]: m["at_stake"] for m in json.loads(asked.stdout)["missing_facts"]}
    assert missing == {"birth_date": "20.00"}
    young = runner.invoke(app, ["report", case, "--json", "--no-input", "--fact", "birth_date=1985-04-02"])
    assert young.exit_code == 0, young.output
    assert json.loads(young.stdout)["form_5329"]["additional_tax"] == "20.00"
    old = runner.invoke(app, ["report", case, "--json", "--no-input", "--fact", "birth_date=1950-04-02"])
    assert old.exit_code == 0, old.output
    assert json.loads(old.stdout)["form_5329"]["status"] == "not_needed"
