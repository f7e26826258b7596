"""Where the Form 5329 taxes go on Schedule 2: line 8 for the 10% and the 6% together through 2025; on
the 2026 draft, line 5 for the 10% and line 18 for the 6% (forms/2026/f1040_lines.toml, cite
`f1040s2-2026.draft-lines`), flagged as not read from the form.

Worked case: fixtures/cases/second_ira_rollover_within_12_months.json (Sam Twice, born 1980): a
$10,000 IRA distribution, code 1, redeposited within 60 days but within 12 months of another IRA
rollover, so it is not a rollover (IRC 408(d)(3)(B)): $10,000 taxable, 10% = $1,000.00; the
$10,000 deposited is a regular contribution, $2,500 over the year's $7,500 limit (2026; $7,000 in
2025, so $3,000), 6% = $150.00 in 2026 ($180.00 in 2025).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "second_ira_rollover_within_12_months.json"
runner = CliRunner()


def _report(tmp_path, year: int) -> tuple[dict, str]:
    data = json.loads(CASE.read_text())
    data["tax_year"] = year
    path = tmp_path / f"case-{year}.json"
    path.write_text(json.dumps(data))
    as_json = json.loads(runner.invoke(app, ["report", str(path), "--format", "json"]).stdout)
    return as_json, runner.invoke(app, ["report", str(path)]).stdout


def test_2025_puts_the_10_and_the_6_percent_together_on_line_8(tmp_path):
    data, worksheet = _report(tmp_path, 2025)
    flag = data["form_5329"]
    assert (flag["additional_tax"], flag["excess_tax"], flag["schedule_2_line_8"]) == ("1000.00", "180.00", "1180.00")
    assert "Schedule 2 line 8: $1,180.00" in flag["summary"] or "Schedule 2 line 8 is $1,180.00" in flag["summary"]
    assert "6% excise tax (Schedule 2 line 8): $180.00" in worksheet
    assert not any("Schedule 2 (2025)" in f["message"] for f in data["findings"])


def test_2026_gives_each_its_draft_line_and_says_it_is_unverified(tmp_path):
    data, worksheet = _report(tmp_path, 2026)
    flag = data["form_5329"]
    assert (flag["additional_tax"], flag["excess_tax"]) == ("1000.00", "150.00")
    assert "Schedule 2 line 5: $1,000.00; line 18: $150.00" in flag["summary"]
    assert "6% excise tax (Schedule 2 line 18): $150.00" in worksheet
    assert "Schedule 2 line 8" not in worksheet  # the 2026 draft's line 8 is installment-sale interest
    unverified = [f["message"] for f in data["findings"] if f["code"] == "year.form_layout_unverified"]
    assert any(m.startswith("Schedule 2 (2026) line 5:") for m in unverified)
    assert any(m.startswith("Schedule 2 (2026) line 18:") for m in unverified)
