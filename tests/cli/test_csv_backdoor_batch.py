"""A preparer's CSV of backdoor Roth clients through `megaroth report FILE.csv --out-dir DIR`: each
person's Form 8606 facts come from their columns, so the conversion is taxed on what the basis
leaves, not in full.

Worked cases (fixtures/csv/backdoor_clients.csv), i8606 (2025) lines 1-18, line 10 rounded to the
case option's 5 places (options.form_8606_ratio_places; the form asks for at least 3):

- Dana Single (B-2001): a plan 1099-R (code G, box 1 10,200, 2a 200, box 5 10,000) rolled to a Roth
  IRA, and a traditional IRA converted (code 2, box 1 7,010, 2a not determined), after a 7,000
  nondeductible contribution; basis 0 and December 31 value 0. Line 5 7,000 / line 9 7,010 =
  .99857; line 11 = 7,010 × .99857 = 6,999.98 (7,000 in whole dollars); line 18 = 10.02 (10).
  Form 1040: 4a 7,010, 4b 10.02; 5a 10,200, 5b 200.
- Chris and Robin Couple (B-2002, joint): each converted 7,010 after a 7,000 nondeductible
  contribution. Robin also holds a rollover IRA worth 93,000 on December 31 (the pro-rata trap):
  line 9 = 93,000 + 7,010 = 100,010; line 10 = 7,000 / 100,010 = .069993 → .06999; line 11 =
  7,010 × .06999 = 490.63; line 18 = 7,010 − 490.63 = 6,519.37. Chris's line 18 is 10.02, as
  Dana's. Form 1040 line 4b = 10.02 + 6,519.37 = 6,529.39.
"""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
runner = CliRunner()


def _report(source: Path, out: Path, *extra: str):
    return runner.invoke(app, ["report", str(source), "--out-dir", str(out), "--jobs", "1", *extra])


def _json(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text())


def _form_8606(worksheet: dict, role: str) -> dict[str, Decimal]:
    (person,) = [p for p in worksheet["people"] if p["role"] == role]
    return {line["line"]: Decimal(line["amount"]) for line in person["form_8606"]["lines"] if line["amount"]}


def test_backdoor_clients_get_their_basis_from_the_csv(tmp_path):
    out = tmp_path / "out"
    result = _report(FIXTURES / "csv/backdoor_clients.csv", out, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = {row["taxpayer"]: row for row in csv.DictReader((out / "summary.csv").open())}
    assert (summary["B-2001"]["ira_gross"], summary["B-2001"]["ira_taxable"]) == ("7010.00", "10.02")
    assert (summary["B-2001"]["pension_gross"], summary["B-2001"]["pension_taxable"]) == ("10200.00", "200.00")
    assert (summary["B-2002"]["ira_gross"], summary["B-2002"]["ira_taxable"]) == ("14020.00", "6529.39")
    assert summary["B-2002"]["finding_codes"] == "form_8606.pro_rata"

    dana = _json(out, "B-2001-2025.json")
    assert dana["lines_whole_dollars"]["4a"] == "7010" and dana["lines_whole_dollars"]["4b"] == "10"
    lines = _form_8606(dana, "taxpayer")
    assert (lines["1"], lines["2"], lines["6"], lines["9"]) == (
        Decimal("7000.00"), Decimal("0.00"), Decimal("0.00"), Decimal("7010.00"))
    assert (lines["17"], lines["18"]) == (Decimal("6999.98"), Decimal("10.02"))

    couple = _json(out, "B-2002-2025.json")
    assert couple["filing_status"] == "married_filing_jointly"
    chris, robin = _form_8606(couple, "taxpayer"), _form_8606(couple, "spouse")
    assert chris["18"] == Decimal("10.02")
    assert (robin["6"], robin["9"], robin["11"], robin["18"]) == (
        Decimal("93000.00"), Decimal("100010.00"), Decimal("490.63"), Decimal("6519.37"))
    (spouse,) = [p for p in couple["people"] if p["role"] == "spouse"]
    ratio = [line["text"] for line in spouse["form_8606"]["lines"] if line["line"] == "10"]
    assert ratio == [".06999"]


def test_the_markdown_worksheet_shows_the_lines_a_preparer_enters(tmp_path):
    out = tmp_path / "out"
    assert _report(FIXTURES / "csv/backdoor_clients.csv", out).exit_code == 0
    text = (out / "B-2001-2025.md").read_text()
    assert "| 4b | IRA distributions: taxable amount | $10.02 | 10 |" in text
    assert "| 17 | Basis in the amount converted (line 11 if Part I is completed) | $6,999.98 | 7,000 |" in text
    assert "| 18 | Taxable amount (line 16 less line 17); also on Form 1040 line 4b | $10.02 | 10 |" in text


def test_without_the_fact_columns_the_conversion_is_fully_taxable(tmp_path):
    # The same clients with the fact columns removed: what issue 19 was about. The difference is
    # the test's point: the columns are what make 4b 10.02 instead of 7,010.
    rows = list(csv.reader((FIXTURES / "csv/backdoor_clients.csv").open()))
    keep = [i for i, name in enumerate(rows[0]) if "contributions" not in name.lower()
            and "basis" not in name.lower() and "value" not in name.lower()]
    source = tmp_path / "bare.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows([[row[i] for i in keep if i < len(row)] for row in rows])
    out = tmp_path / "out"
    _report(source, out)
    summary = {row["taxpayer"]: row for row in csv.DictReader((out / "summary.csv").open())}
    assert summary["B-2001"]["ira_taxable"] == "7010.00"


def test_rows_that_disagree_on_a_fact_reject_that_taxpayer_only(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(
        "Client,Tax Year,Box 1,Box 2a,Taxable amount not determined,Code,IRA/SEP/SIMPLE,To,IRA basis,"
        "Spouse IRA basis\n"
        "A,2025,7010.00,7010.00,X,2,X,roth_ira,7000,\n"
        "A,2025,100.00,100.00,X,2,X,roth_ira,\"6,000.00\",\n"
        "B,2025,7010.00,7010.00,X,2,X,roth_ira,\"7,000\",\n"
        "B,2025,100.00,100.00,X,2,X,roth_ira,7000.00,\n")
    out = tmp_path / "out"
    result = _report(source, out)
    assert result.exit_code == 1
    rejected = list(csv.DictReader((out / "rejected.csv").open()))
    assert [(r["record"], r["field"]) for r in rejected] == [("row 2", "ira_basis"), ("row 3", "ira_basis")]
    assert "column 'IRA basis'" in rejected[0]["message"]
    assert "7,000.00 on row 2, 6,000.00 on row 3" in rejected[0]["message"]
    # B wrote the same basis two ways: not a contradiction, reported.
    summary = json.loads((out / "summary.json").read_text())
    assert [r["taxpayer"] for r in summary["results"]] == ["B"]
    assert summary["totals"]["records_rejected"] == 2 and summary["totals"]["conserved"]


def test_unknown_columns_are_named_on_the_terminal_and_in_the_summary(tmp_path):
    source = tmp_path / "batch.csv"
    shutil.copy(FIXTURES / "csv/preparer_batch.csv", source)
    out = tmp_path / "out"
    result = _report(source, out)
    note = f"{source}: columns not used: Internal memo"
    assert f"megaroth: note: {note}" in result.output
    assert json.loads((out / "summary.json").read_text())["notes"] == [note]


def test_a_misspelt_fact_column_refuses_the_file_naming_it(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_text("Client,Tax Year,Box 1,Code,To,Nondeductable contributions\nA,2025,7010,2,roth_ira,7000\n")
    result = _report(source, tmp_path / "out")
    assert result.exit_code == 1
    assert ("column 'Nondeductable contributions' looks like a misspelling of 'nondeductible contributions' "
            "(ira_nondeductible_contributions)") in result.output


def test_a_header_without_box_7_names_it_in_user_words(tmp_path):
    source = tmp_path / "batch.csv"
    source.write_text("Client,Tax Year,Box 1,Dist,To\nA,2025,7010,2,roth_ira\n")
    result = runner.invoke(app, ["report", str(source)])
    assert result.exit_code == 1
    assert "a CSV without a column for box 7: name it 'Box 7', 'Distribution code' or 'Code'" in result.output
    assert "csv_columns.toml" not in result.output and "forms/" not in result.output
