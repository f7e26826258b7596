"""Notice 2020-51 and the relief megaroth does not compute (rules/relief.py), on variations of the
fixture relief_notice_2020_51_rmd_repaid (Ruth, born 1945, a $10,000 IRA distribution of
February 10, 2020 repaid July 20, 2020)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

from megaroth import api

BASE = {
    "tax_year": 2020,
    "taxpayer": {"name": "Ruth", "birth_date": "1945-03-01", "ira": {"basis": "0", "nondeductible_contributions": "0"}},
    "forms_1099r": [{
        "id": "ira", "box_1": "10000.00", "box_2a": "10000.00", "box_7": "7", "box_7_ira_sep_simple": True,
        "distribution_date": "2020-02-10", "rmd_amount": "10000.00",
        "disposition": [{"to": "traditional_ira", "amount": "10000.00", "within_60_days": True,
                         "date": "2020-07-20"}]}],
}


def _analyze(tmp_path, change):
    case = copy.deepcopy(BASE)
    change(case)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    analysis = api.analyze(api.load_case(path))
    return {line.key: line.amount for line in analysis.lines}, analysis


def test_only_the_would_be_rmd_is_relieved(tmp_path):
    # Notice 2020-51 reaches the amount that would have been the RMD: $6,000 of the $10,000; the other
    # $4,000 keeps the 60-day rule and, 161 days late, is taxable.
    lines, analysis = _analyze(tmp_path, lambda c: c["forms_1099r"][0].update(rmd_amount="6000.00"))
    assert lines["4a"] == Decimal("10000.00") and lines["4b"] == Decimal("4000.00")
    codes = {f.code for f in analysis.findings}
    assert {"relief.notice_2020_51", "disposition.rollover_after_60_days"} <= codes


def test_rmd_from_the_2019_balance(tmp_path):
    # Age 75 in 2020: Uniform Lifetime Table (pre-2022) divisor 22.9; $229,000 / 22.9 = $10,000.
    def change(case):
        form = case["forms_1099r"][0]
        del form["rmd_amount"]
        form["rmd_prior_year_balance"] = "229000.00"
    lines, _ = _analyze(tmp_path, change)
    assert lines["4b"] == Decimal("0.00")


def test_born_after_june_1950_has_no_relief(tmp_path):
    # Reaching 70½ only in 2021: no 2020 RMD under any rule, so the late deposit is not a rollover.
    lines, analysis = _analyze(tmp_path, lambda c: c["taxpayer"].update(birth_date="1951-01-01"))
    assert lines["4b"] == Decimal("10000.00")
    assert "relief.notice_2020_51" not in {f.code for f in analysis.findings}


def test_after_august_31_has_no_relief(tmp_path):
    lines, _ = _analyze(tmp_path, lambda c: c["forms_1099r"][0]["disposition"][0].update(date="2020-09-01"))
    assert lines["4b"] == Decimal("10000.00")


def test_birth_date_missing_is_asked_with_the_amount_at_stake(tmp_path):
    lines, analysis = _analyze(tmp_path, lambda c: c["taxpayer"].pop("birth_date"))
    assert lines["4b"] == Decimal("10000.00")
    missing = {m.fact: m.at_stake for m in analysis.missing_facts}
    assert missing.get("taxpayer.birth_date") == Decimal("10000.00")
    assert not analysis.complete


def test_other_years_have_no_rmd_repayment_relief(tmp_path):
    def change(case):
        case["tax_year"] = 2021
        form = case["forms_1099r"][0]
        form["distribution_date"] = "2021-02-10"
        form["disposition"][0]["date"] = "2021-07-20"
    lines, analysis = _analyze(tmp_path, change)
    assert lines["4b"] == Decimal("10000.00")
    # 2021 has its own relief not computed: a qualified disaster distribution repaid within 3 years.
    found = [f for f in analysis.findings if f.code == "relief.not_computed"]
    assert found and "Form 8915-F" in found[0].message


def test_report_cli_cites_the_notice(tmp_path):
    from typer.testing import CliRunner

    from megaroth.cli import app

    path = tmp_path / "case.json"
    path.write_text(json.dumps(BASE))
    result = CliRunner().invoke(app, ["report", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lines"]["4b"] == "0.00"
    finding = next(f for f in data["findings"] if f["code"] == "relief.notice_2020_51")
    assert "Notice 2020-51" in finding["message"]
    assert "notice-2020-51.rmd-rollover" in json.dumps(data)
