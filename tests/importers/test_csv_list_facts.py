"""The list facts in a preparer's CSV, written as `--fact` takes them (megaroth.questions.facts):
earlier years' Roth conversions (`ira_roth_conversions`, YEAR=TAXABLE+NONTAXABLE) and
recharacterizations (`ira_recharacterizations`, KIND YEAR CONTRIBUTION MOVED).

Worked case (fixtures/cases/recharacterization_code_r_facts_missing.json, Pat Example): a 2025 code R
1099-R moving $7,150; without the recharacterization the result is incomplete with $7,150 at stake
(i8606, Recharacterizations); with "roth 2024 7000 7150" (a 2024 Roth IRA contribution of $7,000
moved with its earnings to a traditional IRA) it is complete and the form puts nothing on 2025's
lines 4a/4b.
"""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app

runner = CliRunner()
HEADER = ["Client ID", "Tax Year", "Client Name", "Date of Birth", "Payer", "Box 1", "Box 2a", "Box 7",
          "Recharacterizations", "Roth conversion layers"]


def _csv(tmp_path, *rows) -> str:
    path = tmp_path / "clients.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def _row(rechar: str, layers: str = "2023=200+10000") -> list[str]:
    return ["C-7", "2025", "Pat Example", "1985-04-02", "Example Brokerage Roth IRA", "7150.00", "0.00", "R",
            rechar, layers]


def test_list_columns_reach_the_case(tmp_path):
    cases, tally = api.load_sources([_csv(tmp_path, _row("roth 2024 7000 7150"))])
    assert not tally.rejected
    ((_, loaded),) = cases
    ira = loaded.case.taxpayer.ira
    (layer,) = ira.roth_conversions
    assert (layer.year, str(layer.taxable), str(layer.nontaxable)) == (2023, "200.00", "10000.00")
    (moved,) = ira.recharacterizations
    assert (moved.contributed_to, moved.for_year, str(moved.contribution_amount), str(moved.amount_moved)) == (
        "roth_ira", 2024, "7000.00", "7150.00")


def test_the_recharacterization_column_completes_the_batch(tmp_path):
    out = tmp_path / "out"
    source = _csv(tmp_path, _row("roth 2024 7000 7150"))
    result = runner.invoke(app, ["report", source, "--out-dir", str(out), "--jobs", "1"])
    (row,) = json.loads((out / "summary.json").read_text())["results"]
    assert result.exit_code == 0 and row["complete"] is True, row
    assert row["ira_gross"] is None and row["ira_taxable"] is None


def _errors(source: str) -> tuple[list, list[str]]:
    cases, tally = api.load_sources([source])
    return cases, [e.message for e in tally.rejected] + [e.message for _, c in cases for e in c.errors]


def test_a_cell_that_is_not_the_grammar_rejects_the_row_naming_the_column(tmp_path):
    cases, errors = _errors(_csv(tmp_path, _row("roth 2024 7000")))
    assert not any(c.case.forms_1099r for _, c in cases)
    (error,) = errors
    assert "'Recharacterizations'" in error and "KIND YEAR CONTRIBUTION MOVED" in error


def test_rows_that_disagree_on_a_list_fact_reject_the_person(tmp_path):
    cases, errors = _errors(_csv(tmp_path, _row("roth 2024 7000 7150"), _row("roth 2024 7000 7150", "none")))
    assert not any(c.case.forms_1099r for _, c in cases)
    assert errors and any("Roth conversion layers" in e for e in errors), errors


def test_a_layer_of_a_year_not_before_the_tax_year_rejects_the_person_whatever_the_channel(tmp_path):
    """A CSV without a Tax Year column (the year given by --year) cannot check the cell's years as it reads it:
    the person's records are rejected once the year is known, and counted (records in = reported + rejected)."""
    path = tmp_path / "no-year.csv"
    path.write_text("Client ID,Client Name,Payer,Box 1,Box 2a,Box 7,IRA/SEP/SIMPLE,To,Roth conversion layers\n"
                    "C-1,Pat,Broker,7000,7000,2,X,roth_ira,2030=200+10000\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(path), "--year", "2025", "--out-dir", str(out), "--jobs", "1"])
    totals = json.loads((out / "summary.json").read_text())["totals"]
    assert result.exit_code == 1 and totals["records_rejected"] == 1 and totals["conserved"] is True
    assert "2030 is not a year before 2025" in (out / "rejected.csv").read_text()
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"tax_year": 2025, "taxpayer": {"name": "Pat", "ira": {"roth_conversions": [
        {"year": 2030, "taxable": "200.00", "nontaxable": "10000.00"}]}}, "forms_1099r": []}))
    refused = runner.invoke(app, ["report", str(case)])
    assert refused.exit_code == 1
    assert "taxpayer.ira.roth_conversions: 2030 is not a year before 2025" in refused.stderr
    assert "None:" not in refused.stderr
