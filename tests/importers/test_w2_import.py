"""W-2s from the preparer CSV (one row per W-2, Form column "W-2") and FDX TaxW2, through the CLI:
the two-employer case of fixtures/cases/w2_excess_deferral_two_employers.json (expected values
from Notice 2024-80's $23,500 and i1040 line 1h: $3,500 of excess)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from megaroth.cli import app

CSV = """Client,Client name,DOB,Tax year,Form,Payer,Payer TIN,Box 1,Box 2a,Box 7,401k deferrals,Box 12a code,Box 12a amount
wes,Wes Twojobs,1985-04-02,2025,1099-R,Acme 401(k) Plan,,1000.00,1000.00,1,,,
wes,Wes Twojobs,1985-04-02,2025,W-2,Alpha Corp,12-3456789,60000.00,,,15000.00,,
wes,Wes Twojobs,1985-04-02,2025,W-2,Beta LLC,98-7654321,70000.00,,,,D,12000.00
"""

FDX = {"forms": [
    {"taxW2": {"taxYear": 2025, "taxFormId": "alpha-w2", "wages": 60000.00, "codes": [{"code": "D", "amount": 15000.00}],
               "retirementPlan": True, "issuer": {"tin": "12-3456789", "businessName": {"name1": "Alpha Corp"}}}},
    {"taxW2": {"taxYear": 2025, "taxFormId": "beta-w2", "wages": 70000.00,
               "codes": [{"code": "D", "amount": 12000.00}, {"code": "DD", "amount": 9000.00}],
               "issuer": {"businessName": {"name1": "Beta LLC"}}}},
    {"tax1099R": {"taxYear": 2025, "taxFormId": "plan", "grossDistribution": 1000.00, "taxableAmount": 1000.00,
                  "distributionCodes": ["7"], "issuer": {"businessName": {"name1": "Acme 401(k) Plan"}}}},
]}


def _report(path):
    result = CliRunner().invoke(app, ["report", str(path), "--json"])
    return result, json.loads(result.stdout)


def _excess(data):
    return next(f for f in data["findings"] if f["code"] == "w2.excess_deferral")


def test_csv_rows_of_w2s(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(CSV)
    result, data = _report(path)
    assert result.exit_code == 4, result.output
    assert "$3,500.00 of excess deferral" in _excess(data)["message"]
    assert data["lines"]["5b"] == "1000.00"


def test_csv_w2_row_with_a_1099r_box_is_refused_naming_the_column(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(CSV.replace("W-2,Alpha Corp,12-3456789,60000.00,,,", "W-2,Alpha Corp,12-3456789,60000.00,,7,"))
    result = CliRunner().invoke(app, ["report", str(path)])
    assert "row 3" in result.output and "Box 7" in result.output


def test_csv_box_12_slot_needs_code_and_amount(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(CSV.replace(",D,12000.00", ",,12000.00"))
    result = CliRunner().invoke(app, ["report", str(path)])
    assert "row 4" in result.output and "box 12a needs both" in result.output


def test_fdx_taxw2(tmp_path):
    path = tmp_path / "fdx.json"
    path.write_text(json.dumps(FDX))
    result, data = _report(path)
    assert "$27,000.00 of elective deferrals" in _excess(data)["message"]
