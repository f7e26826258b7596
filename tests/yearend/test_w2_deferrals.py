"""W-2 deferrals (rules/w2_deferrals.py): the 402(g) excess across employers in the return, and
the room check seeing deferrals no 1099-R shows. Expected values from the cited rules: 2025
limits of Notice 2024-80 (402(g) $23,500, 415(c) $70,000, catch-up 50+ $7,500, 60-63 $11,250),
i1040 line 1h, Pub 525."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app

CASES = Path(__file__).parents[2] / "fixtures" / "cases"
TWO = json.loads((CASES / "w2_excess_deferral_two_employers.json").read_text())
MEGA = json.loads((CASES / "yearend_mega_backdoor_2025.json").read_text())


def _write(tmp_path, case):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    return path


def _finding(analysis, code):
    return next(f for f in analysis.findings if f.code == code)


def test_excess_across_two_employers_with_line_1h_and_deadline(tmp_path):
    analysis = api.analyze(api.load_case(_write(tmp_path, TWO)))
    found = _finding(analysis, "w2.excess_deferral")
    assert "$3,500.00 of excess deferral" in found.message
    assert "$3,500.00 goes on line 1h of the 2025 return (megaroth's line includes it)" in found.message
    assert "April 15, 2026" in found.message
    assert found.at_stake == Decimal("3500.00")


def test_catch_up_by_age_absorbs_the_excess(tmp_path):
    # Age 52 at the end of 2025: $7,500 catch-up covers the $3,500 above $23,500.
    case = copy.deepcopy(TWO)
    case["taxpayer"]["birth_date"] = "1973-01-01"
    analysis = api.analyze(api.load_case(_write(tmp_path, case)))
    assert "w2.excess_deferral" not in {f.code for f in analysis.findings}
    # Age 61: the 60-63 catch-up ($11,250) applies from 2025; $36,000 deferred − 23,500 − 11,250 = 1,250.
    case["taxpayer"]["birth_date"] = "1964-06-01"
    case["forms_w2"][1]["box_12"][0]["amount"] = "21000.00"
    analysis = api.analyze(api.load_case(_write(tmp_path, case)))
    assert "$1,250.00 of excess deferral" in _finding(analysis, "w2.excess_deferral").message


def test_roth_excess_gives_a_range_for_line_1h(tmp_path):
    case = copy.deepcopy(TWO)
    case["forms_w2"][1]["box_12"] = [{"code": "AA", "amount": "12000.00"}]
    analysis = api.analyze(api.load_case(_write(tmp_path, case)))
    message = _finding(analysis, "w2.excess_deferral").message
    # $15,000 pretax + $12,000 Roth; excess $3,500: all Roth (0 on 1h) up to all pretax ($3,500).
    assert "between $0.00 and $3,500.00" in message


def test_birth_date_missing_is_asked(tmp_path):
    case = copy.deepcopy(TWO)
    del case["taxpayer"]["birth_date"]
    analysis = api.analyze(api.load_case(_write(tmp_path, case)))
    assert {m.fact: m.at_stake for m in analysis.missing_facts}["taxpayer.birth_date"] == Decimal("3500.00")


def test_code_p_form_is_said_to_belong_to_the_earlier_year(tmp_path):
    case = copy.deepcopy(TWO)
    case["forms_1099r"] = [{"id": "alpha-p", "payer_name": "Alpha 401(k)", "box_1": "2000.00", "box_2a": "2000.00",
                            "box_7": "P"}]
    analysis = api.analyze(api.load_case(_write(tmp_path, case)))
    link = _finding(analysis, "w2.corrective_year")
    assert "line 1h of that year's return" in link.message and "1040-X" in link.message


def test_room_sees_deferrals_of_another_employer_through_the_cli(tmp_path):
    # The mega backdoor plan at Acme defers $23,500; a W-2 from a second job shows $5,000 more (D):
    # $28,500 against $23,500 at age 40 → $5,000 of excess deferrals that yearend.plans alone cannot see.
    case = copy.deepcopy(MEGA)
    case["forms_w2"] = [{"id": "side-w2", "employer_name": "Sidegig Inc", "box_1": "45000.00",
                         "box_12": [{"code": "D", "amount": "5000.00"}]}]
    path = _write(tmp_path, case)
    result = CliRunner().invoke(app, ["room", str(path), "--format", "json"])
    assert result.exit_code == 4, result.output
    room = json.loads(result.stdout)
    assert room["total_deferrals"] == "28500.00" and room["excess_deferrals"] == "5000.00"
    side = next(p for p in room["plans"] if p["employer"] == "Sidegig Inc")
    assert side["deferrals"] == "5000.00"
    sidegig = next(e for e in room["employers"] if e["employer"] == "Sidegig Inc")
    assert sidegig["compensation"] == "50000.00"  # box 1 45,000 + the 5,000 pretax deferral it leaves out


def test_w2_fills_a_plans_deferrals_and_says_when_they_differ(tmp_path):
    case = copy.deepcopy(MEGA)
    case["forms_w2"] = [{"id": "acme-w2", "employer_name": "Acme", "box_1": "176500.00",
                         "box_12": [{"code": "D", "amount": "20000.00"}]}]
    report = api.yearend(api.load_single([str(_write(tmp_path, case))]), use_ledger=False)
    assert report.room.total_deferrals == Decimal("20000.00")
    assert "w2.plan_deferrals_differ" in {f.code for f in report.room.findings}


def test_yearend_cli_with_w2_only(tmp_path):
    result = CliRunner().invoke(app, ["yearend", str(_write(tmp_path, TWO)), "--no-ledger"])
    assert result.exit_code == 4, result.output
    assert "W-2 Alpha Corp (401k)" in result.stdout and "$27,000.00" in result.stdout
