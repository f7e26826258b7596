"""The command line on 1099-R sources: import, identify, report from PDFs, batches."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from megaroth.cli import app
from megaroth.model.batch import BatchSummaryDocument
from tests.helpers import strict_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
runner = CliRunner()


def run(*args, stdin=None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)




def test_identify():
    result = run("identify", FIXTURES / "pdf/irs_fillable_code_g.pdf", FIXTURES / "pdf/not_a_1099r.pdf")
    assert result.exit_code == 1
    assert "irs_fillable_code_g.pdf: pdf-fillable" in result.stdout
    assert "not_a_1099r.pdf: not read: a PDF without 1099-R" in result.stdout


def test_report_straight_from_a_pdf():
    result = run("report", FIXTURES / "pdf/three_up_copies.pdf", "--json")
    document = json.loads(result.stdout)
    assert document["lines"]["5a"] == "17750.25" and document["lines"]["5b"] == "250.25"
    assert {f["code"] for f in document["findings"]} >= {"disposition.missing", "import.note"}
    assert result.exit_code == 0


def test_report_from_stdin_pdf():
    data = (FIXTURES / "pdf/irs_fillable_code_g.pdf").read_bytes()
    result = runner.invoke(app, ["report", "-", "--json"], input=data)
    assert json.loads(result.stdout)["lines"]["5b"] == "200.00"


def test_several_taxpayers_need_out_dir():
    result = run("report", FIXTURES / "csv/preparer_batch.csv")
    assert result.exit_code == 1 and "use --out-dir" in result.stderr


def test_import_then_fill_in_then_report(tmp_path):
    case = tmp_path / "case.json"
    result = run("import", FIXTURES / "pdf/irs_look_flat.pdf", "-o", case)
    assert result.exit_code == 0, result.stderr
    document = json.loads(case.read_text())
    assert [f["disposition"] for f in document["forms_1099r"]] == [[], []]
    assert document["forms_1099r"][0]["recipient_tin"] == "***-**-1234"
    document["forms_1099r"][0]["disposition"] = [{"to": "designated_roth_same_plan", "amount": "10200.00"}]
    case.write_text(json.dumps(document))
    report = json.loads(run("report", case, "--json").stdout)
    assert report["lines"]["5a"] == "15200.00" and report["lines"]["5b"] == "5200.00"
    assert report["forms"][0]["treatment"] == "in_plan_roth_rollover"


def test_import_several_taxpayers_to_a_folder(tmp_path):
    result = run("import", FIXTURES / "csv/preparer_batch.csv", "--out-dir", tmp_path)
    assert result.exit_code == 1  # two rows were rejected
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "C-1001-2025.json", "C-1002-2025.json", "C-1003-2025.json", "C-1004-2025.json"]
    assert "rejected: " in result.stderr and "row 8" in result.stderr


def test_batch_report(tmp_path):
    result = run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", tmp_path)
    assert result.exit_code == 1
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["C-1001-2025.md", "C-1002-2025.md", "C-1003-2025.md", "C-1004-2025.md",
                     "rejected.csv", "summary.csv", "summary.json"]
    summary = strict_json((tmp_path / "summary.json").read_text())
    BatchSummaryDocument.model_validate(summary)  # the documented, versioned schema
    assert (summary["schema"], summary["schema_version"]) == ("megaroth/batch-summary", 1)
    totals = summary["totals"]
    assert (totals["records_in"], totals["records_reported"], totals["records_rejected"]) == (8, 6, 2)
    assert totals["taxpayers"] == len(summary["results"]) == 4 and totals["conserved"] is True
    rows = {row["taxpayer"]: row for row in csv.DictReader((tmp_path / "summary.csv").open())}
    assert rows["C-1003"]["pension_taxable"] == "2000.00" and rows["C-1003"]["additional_tax"] == "200.00"
    assert rows["C-1002"]["pension_gross"] == "100000.00" and rows["C-1002"]["pension_taxable"] == "0.00"
    rejected = list(csv.DictReader((tmp_path / "rejected.csv").open()))
    assert [(r["record"], r["field"]) for r in rejected] == [("row 7", "box_7_ira_sep_simple"), ("row 8", "")]
    assert "records_in" not in result.stdout and "8 record(s) read: 6 reported, 2 rejected" in result.stderr


def test_batch_file_names_never_show_a_full_tin(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Recipient TIN,Tax Year,Box 1,Box 2a,Box 7\n400-00-9876,2025,100.00,100.00,7\n")
    out = tmp_path / "out"
    run("report", source, "--out-dir", out)
    assert (out / "tin-9876-2025.md").exists()
    assert "400-00-9876" not in (out / "summary.csv").read_text()


def test_a_crash_mid_batch_leaves_no_half_written_file(tmp_path, monkeypatch):
    from megaroth import render

    calls = {"n": 0}
    real = render.render

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "render", flaky)
    out = tmp_path / "out"
    result = run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", out)
    assert result.exit_code != 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["C-1002-2025.md", "C-1003-2025.md"]  # complete worksheets only; no summary, no temp files
