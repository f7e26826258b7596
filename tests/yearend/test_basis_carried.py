"""Issue 19: the traditional IRA basis a year leaves is one number in every output — the report's
JSON, the year-end view and the ledger — and it is named for what it is, line 14 of the year's
Form 8606 (next year's line 2), not "after-tax money rolled in"."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from tests.cli.test_cli import run

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def test_pro_rata_basis_left_agrees_in_report_yearend_and_ledger(tmp_path):
    """megaroth's worked case f8606_backdoor_pro_rata_trap.json (tests/scenarios/expected: worked by
    hand): a $7,000 backdoor converted at $7,005 with $93,000 of pretax IRA money on December 31, line
    10 .07000, line 13 490.35, line 14 = 7,000 − 490.35 = 6,509.65. The report's JSON, the year-end
    view and the ledger all carry $6,509.65 to next year's line 2, named as line 14; the next year
    starts from it."""
    case = CASES / "f8606_backdoor_pro_rata_trap.json"
    db = tmp_path / "ledger.sqlite3"

    report = run("report", case, "--json")
    assert report.exit_code == 0, report.output
    verdict = json.loads(report.stdout)["form_8606"]
    assert D(verdict["ira_basis_to_carry"]) == D("6509.65")
    (person,) = verdict["ira_basis_by_person"]
    assert (person["role"], D(person["amount"]), person["source"]) == ("taxpayer", D("6509.65"), "form_8606_line_14")
    assert "line 14 of the 2024 Form 8606" in person["description"]

    yearend = run("yearend", case, "--ledger", db, "--taxpayer", "pat")  # the ledger is not made yet
    assert yearend.exit_code == 1 and "no ledger here" in yearend.output
    yearend = run("yearend", case, "--no-ledger")
    assert yearend.exit_code == 0, yearend.output
    assert ("- Traditional IRA basis at year end (line 14 of this year's Form 8606; line 2 of the next one): "
            "$6,509.65") in yearend.stdout

    added = run("ledger", "add", case, "--taxpayer", "pat", "--ledger", db)
    assert added.exit_code == 0, added.output
    shown = run("ledger", "show", "--ledger", db, "--json")
    (year,) = json.loads(shown.stdout)
    assert D(year["state"]["traditional_ira_basis_line_14"]) == D("6509.65")
    assert D(year["entries"]["traditional_ira_basis"]) == D("0.00")  # no after-tax money was rolled in
    table = run("ledger", "show", "--ledger", db).stdout
    (row,) = [line for line in table.splitlines() if "$6,509.65" in line]
    assert "Traditional IRA basis (Form 8606 line 14; next year's line 2) at year end" in row
    assert "After-tax money rolled" not in table

    # The same year's view with the ledger, and the next year's, start from what the ledger keeps.
    yearend = run("yearend", case, "--ledger", db, "--taxpayer", "pat")
    assert "line 2 of the next one): $6,509.65" in yearend.stdout
    following = run("yearend", "--year", "2025", "--taxpayer", "pat", "--ledger", db)
    assert following.exit_code == 0, following.output
    assert "- Traditional IRA basis (line 14 of the last Form 8606; this year's line 2): $6,509.65" in following.stdout


def test_after_tax_money_rolled_in_is_named_apart_from_line_14(tmp_path):
    """megaroth's worked case after_tax_to_traditional_ira.json: after-tax plan money rolled into a
    traditional IRA and no Form 8606 this year: the ledger shows the money rolled in under its own
    name, and the basis at year end (the same amount, nothing carried in) as next year's line 2."""
    case = CASES / "after_tax_to_traditional_ira.json"
    report = json.loads(run("report", case, "--json").stdout)["form_8606"]
    (person,) = report["ira_basis_by_person"]
    assert person["source"] == "after_tax_rolled_in"
    db = tmp_path / "ledger.sqlite3"
    assert run("ledger", "add", case, "--taxpayer", "t-1", "--ledger", db).exit_code == 0
    (year,) = json.loads(run("ledger", "show", "--ledger", db, "--json").stdout)
    rolled = D(year["entries"]["traditional_ira_basis"])
    assert rolled == D("10000.00") == D(report["ira_basis_to_carry"]) == D(person["amount"])  # box 5
    assert D(year["state"]["traditional_ira_basis_line_14"]) == rolled
