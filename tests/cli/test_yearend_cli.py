"""room, ledger and yearend on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "yearend_mega_backdoor_2025.json"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_room_quick_path():
    result = run("room", "--compensation", "200000", "--pretax", "23500", "--employer", "6000", "--year", "2025",
                 "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["plans"][0]["room"] == "40500.00"


def test_room_from_a_case_and_bad_input():
    assert "after-tax room **$20,000.00**" in run("room", CASE).stdout
    bad = run("room", "--compensation", "-5")
    assert bad.exit_code == 2 and "--compensation" in bad.stderr and "Traceback" not in bad.output


def test_ledger_add_show_and_yearend(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    added = run("ledger", "add", CASE, "--ledger", db)
    assert added.exit_code == 0 and "stored for taxpayer client-0042" in added.stderr
    shown = run("ledger", "show", "--ledger", db)
    rows = [line.split() for line in shown.stdout.splitlines()[2:]]
    assert ["client-0042", "Pat", "Example", "2025", "1", "$400.00", "Taxable"] == rows[0][:7]
    assert ["$400.00", "2029-12-31", "5-year", "clock", "(in-plan", "Roth", "rollover)"] == rows[-1][5:]
    assert "irr_" not in shown.stdout  # the entry kinds are CSV keys, not words on the screen
    report = run("yearend", "--year", "2026", "--taxpayer", "client-0042", "--ledger", db)
    assert report.exit_code == 0
    assert "After-tax basis still in the plan on January 1: $5,000.00" in report.stdout
    html = run("yearend", CASE, "--ledger", db, "--format", "html", "-o", tmp_path / "y.html")
    assert html.exit_code == 0 and "<svg" in (tmp_path / "y.html").read_text()


def test_ledger_needs_a_taxpayer_id_or_tin(tmp_path):
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"tax_year": 2025, "forms_1099r": []}))
    result = run("ledger", "add", case, "--ledger", tmp_path / "l.sqlite3")
    assert result.exit_code == 1 and "taxpayer.id" in result.stderr
