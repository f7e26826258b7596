"""The 2026 Form 1099-R's new and renumbered boxes (7a-7d, 8a/8b) in every channel that carries
them: a custodian statement PDF, a case file, the CSV and FDX. A form showing box 7c or 7d is
refused naming the box (megaroth has not read the 2026 instructions that say how they are taxed:
forms/citations.toml `f1099r-2026.new-boxes`), never computed without it; the other forms of the
return are computed as usual.

Worked case (made up, the expected values are the ones typed into the forms):
- "Acme 401(k)": an in-plan Roth rollover, code G, box 1 10,200.00, box 2a 200.00, box 5
  10,000.00 → Form 1040 line 5a 10,200.00, 5b 200.00 (i1040 lines 5a/5b; box 2a is the taxable
  part of an IRR).
- "Example IRA": an excess IRA contribution returned, code 8 in box 7a, 7b checked, box 1 100.00,
  box 2a 0.00, box 7d 9.00 of earnings on it → refused, $109.00 at stake (box 1 + box 7d).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app
from tests.helpers import fixture_kit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
runner = CliRunner()


def _kit():
    return fixture_kit("make_pdfs")


def _statement(path: Path, *, earnings: bool = True) -> Path:
    """A custodian's 2026 statement: two forms in key-value blocks, the IRA's with box 7d."""
    kit = _kit()
    page = kit.Page()
    y = 760
    blocks = [
        ("Acme 401(k) Plan", "ACME-1", [("Box 1", "Gross distribution", "$10,200.00"),
                                        ("Box 2a", "Taxable amount", "$200.00"),
                                        ("Box 5", "Employee contributions", "$10,000.00"),
                                        ("Box 7a", "Distribution code(s)", "G")]),
        ("Example IRA Custodian", "IRA-77", [("Box 1", "Gross distribution", "$100.00"),
                                             ("Box 2a", "Taxable amount", "$0.00"),
                                             ("Box 7a", "Distribution code(s)", "8"),
                                             ("Box 7b", "IRA/SEP/SIMPLE", "X"),
                                             *([("Box 7d", "Earnings on excess contributions", "$9.00")]
                                               if earnings else []),
                                             ("Box 8a", "Other", "$1.00"),
                                             ("Box 8b", "Percentage of annuity contract", "12%")]),
    ]
    for payer, account, rows in blocks:
        page.text(40, y, "Form 1099-R   Distributions From Pensions, Annuities, Retirement, etc.   2026", 9)
        y -= 16
        page.text(40, y, f"Payer: {payer}", 8)
        y -= 12
        page.text(40, y, "Recipient\u2019s name: Pat Doe", 8)
        page.text(300, y, "Recipient\u2019s TIN: 400-00-1234", 8)
        y -= 12
        page.text(40, y, f"Account number: {account}", 8)
        y -= 16
        for box, caption, value in rows:
            page.text(40, y, box, 8)
            page.text(85, y, caption + " " + "." * (60 - len(caption)), 8)
            page.text(400, y, value, 8)
            y -= 12
        y -= 24
    kit.write_pdf(path, [page])
    return path


def _findings(data: dict, code: str) -> list[dict]:
    return [f for f in data["findings"] if f["code"] == code]


def test_a_2026_statement_reads_7a_7b_7d_8a_8b(tmp_path):
    cases, tally = api.load_sources([str(_statement(tmp_path / "s.pdf"))])
    assert not tally.rejected, tally.rejected
    ((_, loaded),) = cases
    assert loaded.case.tax_year == 2026
    plan, ira = loaded.case.forms_1099r
    assert (plan.box_7, str(plan.box_1), str(plan.box_5)) == ("G", "10200.00", "10000.00")
    assert ira.box_7 == "8" and ira.box_7_ira_sep_simple
    assert str(ira.box_7d) == "9.00" and str(ira.box_8) == "1.00" and str(ira.box_8_percent) == "12"
    assert "Earnings on excess contributions" in ira.provenance.fields["box_7d"]


def test_the_form_with_box_7d_is_refused_naming_the_box_and_the_rest_is_computed(tmp_path):
    result = runner.invoke(app, ["report", str(_statement(tmp_path / "s.pdf")), "--format", "json", "--no-input"])
    data = json.loads(result.stdout)
    assert result.exit_code != 0 and data["complete"] is False
    (refused,) = _findings(data, "box.2026_not_computed")
    assert refused["box"] == "box_7d" and refused["at_stake"] == "109.00"
    assert "$9.00 of earnings on excess contributions" in refused["message"]
    lines = {line: amount for line, amount in data["lines"].items() if amount is not None}
    assert lines == {"5a": "10200.00", "5b": "200.00"}  # the IRA's $100 and $9 are on no line
    assert any("box numbers used here (7a-7d, 8a/8b)" in f["message"]
               for f in _findings(data, "year.form_layout_unverified"))


def test_the_worksheet_names_the_2026_boxes(tmp_path):
    result = runner.invoke(app, ["report", str(_statement(tmp_path / "s.pdf")), "--no-input"])
    assert "| box 7a (Distribution code(s)) | 8 |" in result.stdout
    assert "| box 7d (Earnings on excess contributions) | $9.00 |" in result.stdout
    assert "| box 8b (Other, percentage) | 12% |" in result.stdout or "box 8b" in result.stdout


def test_without_box_7d_the_same_statement_is_computed(tmp_path):
    result = runner.invoke(app, ["report", str(_statement(tmp_path / "s.pdf", earnings=False)), "--format", "json",
                                 "--no-input"])
    data = json.loads(result.stdout)
    assert not _findings(data, "box.2026_not_computed")
    lines = {line: amount for line, amount in data["lines"].items() if amount is not None}
    assert lines["4a"] == "100.00" and lines["5b"] == "200.00"


def _case(year: int) -> dict:
    return {"tax_year": year, "taxpayer": {"name": "Pat Doe"},
            "forms_1099r": [{"id": "ira", "box_1": "100.00", "box_2a": "0.00", "box_7": "8",
                             "box_7_ira_sep_simple": True, "box_7d": "9.00"}]}


def test_box_7d_on_a_2025_case_is_a_form_of_another_year(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case(2025)))
    data = json.loads(runner.invoke(app, ["report", str(path), "--format", "json"]).stdout)
    (wrong,) = _findings(data, "box.not_on_this_form")
    assert wrong["box"] == "box_7d" and "has no box 7d" in wrong["message"]
    assert _findings(data, "box.2026_not_computed")  # and the form is still not computed


def test_box_7c_checked_is_refused(tmp_path):
    case = _case(2026)
    del case["forms_1099r"][0]["box_7d"]
    case["forms_1099r"][0]["box_7c"] = True
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    data = json.loads(runner.invoke(app, ["report", str(path), "--format", "json"]).stdout)
    (refused,) = _findings(data, "box.2026_not_computed")
    assert refused["box"] == "box_7c" and refused["at_stake"] == "100.00"


def test_a_csv_column_for_box_7d_reaches_the_rules(tmp_path):
    path = tmp_path / "clients.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Client ID", "Tax Year", "Client Name", "Payer", "Box 1", "Box 2a", "Box 7a", "Box 7b",
                         "Box 7d"])
        writer.writerow(["C-1", "2026", "Pat Doe", "Example IRA", "100.00", "0.00", "8", "X", "9.00"])
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(path), "--out-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 3
    (row,) = json.loads((out / "summary.json").read_text())["results"]
    assert row["complete"] is False and "box.2026_not_computed" in row["finding_codes"].split()
    assert row["ira_gross"] is None  # the $100 is on no line
    assert "box 7d (Earnings on excess contributions)" in (out / row["worksheet"]).read_text()


def test_an_fdx_member_megaroth_does_not_read_is_named(tmp_path):
    fdx = json.loads((FIXTURES / "fdx" / "tax1099r_v6.json").read_text())
    target = fdx
    while "grossDistribution" not in target:
        target = next(v for v in (target.values() if isinstance(target, dict) else target)
                      if isinstance(v, (dict, list)))
        if isinstance(target, list):
            target = target[0]
    target["earningsOnExcessContributions"] = 9.0
    path = tmp_path / "fdx.json"
    path.write_text(json.dumps(fdx))
    data = json.loads(runner.invoke(app, ["report", str(path), "--format", "json", "--no-input"]).stdout)
    assert any("'earningsOnExcessContributions' (9.0) is not a box megaroth reads" in f["message"]
               for f in data["findings"])


# An IRS 1099-R PDF printed for 2026 (fillable, or flat and read at its boxes' places) is never read
# with the 2025 revision's map: the 2026 form numbers its boxes differently. No 2026 IRS PDF is
# vendored yet (docs/irs-pdfs-2026.md), so the 2025 fixtures stand in, with the printed year they
# would show.
def _printed(monkeypatch, module: str, year: int) -> None:
    monkeypatch.setattr(f"megaroth.importers.{module}.printed_year", lambda doc, page: year)


def test_a_fillable_1099r_printed_for_2026_is_refused_not_read_with_the_2025_map(monkeypatch):
    _printed(monkeypatch, "pdf_fillable", 2026)
    cases, _ = api.load_sources([str(FIXTURES / "pdf" / "irs_fillable_code_g.pdf")])
    ((_, loaded),) = cases
    assert not loaded.case.forms_1099r
    (error,) = loaded.errors
    assert "printed for 2026" in error.message and "adds boxes 7c and 7d" in error.message


def test_a_fillable_1099r_printed_for_2024_is_read_with_the_2025_map_and_said_so(monkeypatch):
    _printed(monkeypatch, "pdf_fillable", 2024)
    cases, tally = api.load_sources([str(FIXTURES / "pdf" / "irs_fillable_code_g.pdf")])
    assert not tally.rejected
    ((_, loaded),) = cases
    assert loaded.case.tax_year == 2024
    assert any("read with the map of the" in f.message for f in loaded.findings)


def test_the_flattened_irs_1099r_printed_for_2026_is_refused(monkeypatch):
    from megaroth.importers import identify
    from megaroth.importers.base import Document
    from tests.realforms.irs_fill import fill

    _printed(monkeypatch, "pdf_text", 2026)
    data = fill("f1099r", 2025, {"box_1": "100.00", "box_2a": "100.00", "box_7": "7", "box_8": "1.00"}, "flattened")
    doc = Document(name="flat-2026.pdf", data=data)
    (record,) = identify(doc).extract(doc).records
    assert record.tax_year == 2026
    assert any("printed for 2026" in e and "page layout of the 2025 form" in e for e in record.errors)


def test_import_says_the_2026_layout_and_the_form_it_will_refuse(tmp_path):
    result = runner.invoke(app, ["import", str(_statement(tmp_path / "s.pdf")), "-o", str(tmp_path / "case.json")])
    assert result.exit_code == 0
    assert "tax year 2026: the boxes are read as the Form 1099-R, revision for tax year 2026" in result.output
    assert "shows box 7d, new on the 2026 form: `report` will not compute it" in result.output
    assert result.output.count("tax year 2026: the boxes") == 1


def test_the_page_shows_the_refusal_of_box_7d(tmp_path):
    """The same statement uploaded to the local page (HTTP): the IRR's lines are there, the IRA form's box 7d is
    named with the amount at stake, and nothing of the IRA form is on line 4a."""
    import re
    import warnings

    import pytest

    pytest.importorskip("httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from megaroth.web import create_app

    data = _statement(tmp_path / "s.pdf").read_bytes()
    with TestClient(create_app(allowed_hosts=("testserver",))) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        client.post("/upload", data={"csrf": token}, headers={"Origin": "http://testserver"},
                    files=[("files", ("statement-2026.pdf", data, "application/pdf"))])
        lines = client.get("/lines").text
    assert "Box 7d shows $9.00 of earnings on excess contributions" in lines
    assert "$10,200.00" in lines and "$200.00" in lines
    assert re.search(r'<td>4a</td><td>IRA distributions</td>\s*<td class="n"></td>', lines)  # blank: refused
    assert "The lines miss something" in lines
