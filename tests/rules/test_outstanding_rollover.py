"""Form 8606 line 6 adds outstanding rollovers (i8606 line 6: the value of all traditional, SEP and
SIMPLE IRAs on December 31 "plus any outstanding rollovers"): money taken out after November 1 and
rolled into a traditional IRA the next year within 60 days, which no IRA held on December 31.

Worked case (fixtures/cases/f8606_outstanding_rollover.json, Lee, born 1960): basis 7,000 from
earlier years; 7,000 converted in 2025 (code 7); 20,000 distributed on 2025-12-15 and rolled into a
traditional IRA on 2026-01-10; 3,000 in the IRAs on December 31. Line 6 = 3,000 + 20,000 = 23,000;
line 9 = 23,000 + 7,000 = 30,000; line 10 = 7,000 / 30,000 = .23333; line 11 = 7,000 × .23333 =
1,633.31; line 18 (and 4b) = 5,366.69. Left out of line 6 the ratio would be .70000 and 4b 2,100.00.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "f8606_outstanding_rollover.json"
runner = CliRunner()


def _lines(*extra: str) -> tuple[dict, dict]:
    data = json.loads(runner.invoke(app, ["report", str(CASE), "--format", "json", *extra]).stdout)
    (person,) = data["people"]
    return data["lines"], {l["line"]: l["amount"] or l["text"] for l in person["form_8606"]["lines"]}


def test_the_rollover_deposited_next_year_is_on_line_6():
    lines, f8606 = _lines()
    assert (f8606["6"], f8606["9"], f8606["10"], f8606["11"], f8606["18"]) == (
        "23000.00", "30000.00", ".23333", "1633.31", "5366.69")
    assert lines["4b"] == "5366.69"


def test_a_given_outstanding_rollover_replaces_what_the_forms_show():
    lines, f8606 = _lines("--fact", "ira_outstanding_rollovers=0")
    assert (f8606["6"], f8606["10"], f8606["18"]) == ("3000.00", ".70000", "2100.00")
    assert lines["4b"] == "2100.00"
