"""`megaroth init` writes a commented starter case that runs as it is (its sample is the
tax-rules.md IRR: $10,200 with $10,000 basis → 5a 10,200, 5b 200), and comment keys are
ignored wherever a case file is read."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app

runner = CliRunner()


def test_the_starter_case_runs_and_is_not_overwritten(tmp_path):
    path = tmp_path / "case.json"
    assert runner.invoke(app, ["init", "-o", str(path), "--year", "2024"]).exit_code == 0
    data = json.loads(path.read_text())
    assert data["tax_year"] == 2024 and any(k.startswith("//") for k in data)
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 0, result.output
    assert "| 5b | Pensions and annuities: taxable amount | $200.00 |" in result.stdout
    again = runner.invoke(app, ["init", "-o", str(path)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["init", "-o", str(path), "--force"]).exit_code == 0


def test_comments_are_ignored_by_the_importers_too(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(api.starter_case(2025))
    documents, tally = api.import_sources([str(path)])
    assert not tally.rejected and len(documents) == 1
