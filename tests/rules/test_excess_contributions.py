"""Excess IRA contributions (Form 5329 Parts III and IV), an RMD rolled or converted, and one
IRA-to-IRA rollover per 12 months: through the functions, the ledger and the command line.

Expected values are the cited rules applied by hand: Form 5329 (2025) lines 9-25 and i5329 (the
6% on the smaller of the excess or the year-end value; last year's line 16 as this year's line 9);
Pub 590-A's one-rollover example (a distribution received on January 1 and rolled over bars rolling
over another received before January 1 of the next year); the 2025 IRA limit of $7,000 (Notice
2024-80); the October 15, 2026 extended due date of a 2025 return (IRC 6072(a), Treas. Reg. 1.6081-4).
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app
from megaroth.render.irs_forms import fill_forms

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
runner = CliRunner()


def ira_rollover(form_id: str, paid: str, amount: str = "10000.00", kind: str = "traditional_ira", **extra) -> dict:
    return {"id": form_id, "payer_name": "Broker", "box_1": amount, "box_2a": amount,
            "box_2b_taxable_not_determined": True, "box_7": "7" if kind == "traditional_ira" else "J",
            "box_7_ira_sep_simple": kind == "traditional_ira", "box_13": paid,
            "disposition": [{"to": kind, "amount": amount, "within_60_days": True}], **extra}


def case(forms: list[dict], **ira) -> dict:
    facts = {"basis": "0.00", "nondeductible_contributions": "0.00", "year_end_value": "50000.00",
             "compensation": "80000.00", "excess_removed": "0.00", **ira}
    return {"tax_year": 2025, "taxpayer": {"id": "C-1", "name": "Ann", "birth_date": "1960-01-01", "ira": facts},
            "forms_1099r": forms}


def analyze(data: dict):
    return api.analyze(api.case_from_dict(data))


def codes(analysis) -> set[str]:
    return {f.code for f in analysis.findings}


def test_two_ira_rollovers_in_one_year_the_second_is_taxable():
    # January 15 and June 1, 2025: the second is within 12 months of the first (Pub 590-A).
    analysis = analyze(case([ira_rollover("a", "2025-01-15"), ira_rollover("b", "2025-06-01", "4000.00")],
                            last_ira_rollover_date="none"))
    by_id = {r.form_id: r for r in analysis.forms}
    assert by_id["a"].taxable == D("0.00") and by_id["b"].taxable == D("4000.00")
    assert [d.reason for d in by_id["b"].excess_deposits] == ["second_rollover"]
    finding = next(f for f in analysis.findings if f.code == "rollover.second_within_12_months")
    assert finding.form_id == "b" and "2026-01-15" in finding.message and "October 15, 2026" in finding.message
    # $4,000 deposited, within the $8,000 limit at 65 (7,000 + the 1,000 catch-up; $80,000 of pay): no excess.
    assert analysis.people[0].excess_contributions == [] and analysis.form_5329.excess_tax == D("0.00")


def test_a_rollover_a_year_and_a_day_later_is_allowed_and_transfers_do_not_count():
    allowed = analyze(case([ira_rollover("a", "2025-08-10")], last_ira_rollover_date="2024-08-09"))
    assert allowed.forms[0].taxable == D("0.00") and "rollover.second_within_12_months" not in codes(allowed)
    barred = analyze(case([ira_rollover("a", "2025-08-08")], last_ira_rollover_date="2024-08-09"))
    assert barred.forms[0].taxable == D("10000.00") and "rollover.second_within_12_months" in codes(barred)
    # A direct (trustee-to-trustee) move and a conversion are no rollover for the limit.
    direct = ira_rollover("a", "2025-02-01")
    direct["disposition"][0]["within_60_days"] = False
    converted = ira_rollover("b", "2025-03-01")
    converted["disposition"][0]["to"] = "roth_ira"
    analysis = analyze(case([direct, converted], last_ira_rollover_date="2024-12-01"))
    assert "rollover.second_within_12_months" not in codes(analysis)


def test_the_last_rollover_date_is_asked_only_when_there_is_a_60_day_ira_rollover():
    analysis = analyze(case([ira_rollover("a", "2025-03-01")]))
    missing = {m.fact: m.at_stake for m in analysis.missing_facts}
    assert missing == {"taxpayer.ira.last_ira_rollover_date": D("10000.00")} and not analysis.complete
    plain = dict(ira_rollover("a", "2025-03-01"), disposition=[{"to": "kept", "amount": "10000.00"}])
    assert not analyze(case([plain])).missing_facts


def test_the_excess_and_the_rollover_date_carry_to_next_year_through_the_ledger(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    first = tmp_path / "2025.json"
    # 2025: a second rollover within 12 months; no compensation, so all $10,000 is an excess (line 15-16),
    # not removed; 6% of the smaller of 10,000 or the $50,000 year-end value = 600 (line 17).
    first.write_text(json.dumps(case([ira_rollover("a", "2025-03-01")], compensation="0.00",
                                     last_ira_rollover_date="2024-06-01")))
    added = runner.invoke(app, ["ledger", "add", str(first), "--ledger", str(db)])
    assert added.exit_code == 4 and "stored for taxpayer C-1" in added.output  # stored, with an error finding
    second = case([ira_rollover("b", "2026-02-01")], compensation="0.00", prior_excess_withdrawn="0.00")
    second["tax_year"] = 2026
    del second["taxpayer"]["ira"]["excess_removed"]
    path = tmp_path / "2026.json"
    path.write_text(json.dumps(second))
    # `report` reads the ledger $MEGAROTH_LEDGER names.
    result = runner.invoke(app, ["report", str(path), "--format", "json"], env={"MEGAROTH_LEDGER": str(db)})
    out = json.loads(result.stdout)
    part = out["people"][0]["excess_contributions"][0]
    # Line 9 is last year's line 16 (10,000); lines 10-13: no room, 2026's IRA distribution included in income
    # (none: the 2026 rollover is allowed, 12 months after March 1, 2025 is not reached... Feb 1 is within them).
    assert part["part"] == "III" and part["lines"]["9"] == "10000.00"
    # The 2025 rollover was barred, so the ledger says 2025 had no allowed one: not asked, and the 2026 one stands.
    rollover = next(r for r in out["forms"] if r["form_id"] == "b")
    assert rollover["taxable"] == "0.00" and not out["missing_facts"]
    # Lines 10-14: no room (no compensation), no IRA distribution in income, nothing withdrawn: 14 = 9.
    assert [part["lines"][n] for n in ("10", "11", "12", "13", "14", "15", "16")] == [
        "0.00", "0.00", "0.00", "0.00", "10000.00", "0.00", "10000.00"]
    assert part["lines"]["17"] == "600.00" and out["form_5329"]["schedule_2_line_8"] == "600.00"

def test_an_allowed_rollover_is_kept_in_the_ledger_for_next_year(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    api.ledger_add(api.case_from_dict(case([ira_rollover("a", "2025-09-01")], last_ira_rollover_date="none")), db)
    second = case([ira_rollover("b", "2026-03-01")])
    second["tax_year"] = 2026
    analysis = api.analyze_with_ledger(api.case_from_dict(second), db)
    # September 1, 2025 → no other rollover of a distribution received before September 1, 2026.
    assert analysis.forms[0].taxable == D("10000.00") and "rollover.second_within_12_months" in codes(analysis)
    assert not any(m.fact.endswith("last_ira_rollover_date") for m in analysis.missing_facts)


def test_rmd_rolled_over_through_the_cli_and_form_5329_read_back(tmp_path):
    path = CASES / "rmd_rolled_to_traditional_ira_excess.json"
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 4  # an error finding: the return and the IRA are wrong until fixed
    out = json.loads(result.stdout)
    error = next(f for f in out["findings"] if f["code"] == "rmd.rolled_over")
    assert error["severity"] == "error" and "October 15, 2026" in error["message"]
    assert "box 1 (IRA contributions), not box 2" in error["message"]
    match = out["rollover_matches"][0]
    assert match["status"] == "ineligible" and match["ineligible"] == "6000.00"
    filled = runner.invoke(app, ["fill", str(path), "--out-dir", str(tmp_path)])
    assert filled.exit_code == 4, filled.output
    fields = PdfReader(tmp_path / "f5329-2025.pdf").get_fields()
    values = {name.rsplit(".", 1)[-1]: f.get("/V") for name, f in fields.items() if f.get("/V") not in (None, "/Off")}
    # Part III: line 15 (f1_24) 6,000, line 16 (f1_25) 6,000, line 17 (f1_26) 360; Schedule 2 line 8 = 360.
    assert values == {"f1_18[0]": "0", "f1_23[0]": "0", "f1_24[0]": "6,000", "f1_25[0]": "6,000", "f1_26[0]": "360"}
    s2 = PdfReader(tmp_path / "f1040s2-2025.pdf").get_fields()
    assert "360" in {f.get("/V") for f in s2.values()}


def test_excess_removed_in_time_owes_no_six_percent():
    data = json.loads((CASES / "rmd_rolled_to_traditional_ira_excess.json").read_text())
    data["taxpayer"]["ira"]["excess_removed"] = "6000.00"
    analysis = analyze(data)
    part = analysis.people[0].excess_contributions[0]
    assert part.lines["15"] == D("0.00") and part.tax == D("0.00") and part.carried == D("0.00")
    assert "excess.removed" in codes(analysis) and analysis.form_5329.schedule_2_line_8 == D("0.00")
    filled = fill_forms(analysis)
    assert not any(f.name.startswith("f1040s2") for f in filled.forms)


def test_the_six_percent_is_on_the_smaller_of_the_excess_or_the_year_end_value():
    data = json.loads((CASES / "rmd_rolled_to_traditional_ira_excess.json").read_text())
    data["taxpayer"]["ira"]["year_end_value"] = "2500.00"
    part = analyze(data).people[0].excess_contributions[0]
    assert part.lines["16"] == D("6000.00") and part.lines["17"] == D("150.00")  # 6% of 2,500


def test_the_last_rollover_date_is_a_fact_asked_like_the_others(tmp_path):
    """Pub 590-A's rule through `--fact`: August 10, 2024 bars the March 3, 2025 rollover; none does not."""
    data = json.loads((CASES / "second_ira_rollover_within_12_months.json").read_text())
    del data["taxpayer"]["ira"]["last_ira_rollover_date"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    missing = runner.invoke(app, ["report", str(path), "--no-input"])
    assert missing.exit_code == 3 and "ira_last_ira_rollover_date" in missing.output
    none = runner.invoke(app, ["report", str(path), "--no-input", "--fact", "ira_last_ira_rollover_date=none"])
    assert none.exit_code == 0
    barred = runner.invoke(app, ["report", str(path), "--no-input", "--format", "json",
                                 "--fact", "ira_last_ira_rollover_date=2024-08-10"])
    assert barred.exit_code == 4 and json.loads(barred.stdout)["lines"]["4b"] == "10000.00"
    late = runner.invoke(app, ["report", str(path), "--no-input", "--fact", "ira_last_ira_rollover_date=2026-01-01"])
    assert late.exit_code == 2 and "not a date before 2025" in late.output


def test_compare_and_the_batch_count_the_6_percent_on_schedule_2_line_8(tmp_path):
    """fixtures/cases/rmd_rolled_to_traditional_ira_excess.json (its expected file gives the worked
    values): the 6% on the $6,000 excess is $360 on Schedule 2 line 8 (Form 5329 line 17). Software that
    shows it agrees; the batch summary carries it in its own column."""
    import csv
    import json as json_

    from typer.testing import CliRunner

    from megaroth.cli import app

    case = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "rmd_rolled_to_traditional_ira_excess.json"
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(case), "--schedule-2-additional-tax", "360", "--json"])
    items = {i["item"]: i for i in json_.loads(result.stdout)["items"]}
    assert items["schedule_2_additional_tax"]["status"] == "agree"
    out = tmp_path / "out"
    runner.invoke(app, ["report", str(case), "--out-dir", str(out), "--summary-only"])
    row = next(csv.DictReader((out / "summary.csv").open()))
    assert row["excess_tax"] == "360.00" and row["additional_tax"] == "0.00"
