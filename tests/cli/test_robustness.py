"""What a careless or hostile input gets: a clear error naming the place, never exit 70 (issue 8).

Each test covers a class of input that once ended in "internal error, please report it".
"""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from megaroth.cli import app
from megaroth.model.batch import BatchSummaryDocument
from tests.helpers import strict_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASE = FIXTURES / "cases" / "irr_after_tax_only.json"
runner = CliRunner()


def run(*args, stdin=None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)



def case_with(**form) -> str:
    base = json.loads(CASE.read_text())
    base["forms_1099r"][0].update(form)
    return json.dumps(base)


# ------------------------------------------------------------------ absurd values
@pytest.mark.parametrize("field, value, words", [
    ("box_1", "1e26", "not an amount"),
    ("box_1", "__HUGE__", "more than any"),
    ("box_1", "1,2,3", "not an amount"),
    ("box_2a", "10000000000.00", "more than any"),
    ("distribution_date", "9999-12-31", "not a plausible date"),
])
def test_absurd_values_are_errors_naming_the_field(tmp_path, field, value, words):
    text = case_with(**{field: value}).replace('"__HUGE__"', "1" + "0" * 40)
    path = tmp_path / "case.json"
    path.write_text(text)
    result = run("report", path)
    assert result.exit_code == 1, result.stderr
    assert field in result.stderr and words in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("text, words", [
    ('{"tax_year": 2025, "forms_1099r": [{"box_1": 1' + "0" * 5000 + ', "box_7": "G"}]}', "not usable JSON"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ('{"a":' * 100 + "1" + "}" * 100, "nested too deeply"),
    ('{"tax_year": 10' + "0" * 5000 + "}", "not usable JSON"),
])
def test_hostile_json_is_an_input_error(tmp_path, text, words):
    path = tmp_path / "case.json"
    path.write_text(text)
    for command in ("report", "guide", "check"):
        result = run(command, path)
        assert result.exit_code == 1 and words in result.stderr and str(path) in result.stderr, command
    summary = run("summary", path)  # read as a batch's summary.json: refused the same way, never exit 70
    assert summary.exit_code == 1 and str(path) in summary.stderr


def test_a_birth_date_far_in_the_future_is_refused():
    data = json.loads(CASE.read_text())
    data["taxpayer"] = {"birth_date": "9999-12-31"}
    result = run("report", "-", stdin=json.dumps(data))
    assert result.exit_code == 1 and "taxpayer.birth_date" in result.stderr


# ------------------------------------------------------------------ outputs
def test_output_paths_are_checked_before_any_work(tmp_path):
    missing = run("report", CASE, "-o", tmp_path / "missing" / "x.md")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    folder = run("report", CASE, "-o", tmp_path)
    assert folder.exit_code == 2 and "is a folder" in folder.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    batch = run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", a_file)
    assert batch.exit_code == 2 and "is a file" in batch.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_the_file_name_sets_the_format_and_a_contradiction_is_refused(tmp_path):
    html = tmp_path / "w.html"
    assert run("report", CASE, "-o", html).exit_code == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    as_json = tmp_path / "w.json"
    assert run("report", CASE, "-o", as_json).exit_code == 0
    strict_json(as_json.read_text())
    clash = run("report", CASE, "-o", tmp_path / "w.md", "--format", "html")
    assert clash.exit_code == 2 and "names a md file" in clash.stderr and not (tmp_path / "w.md").exists()
    assert run("report", CASE, "--json", "--format", "html").exit_code == 2


def test_usage_errors_exit_2():
    assert run("report", CASE, "--no-such-option").exit_code == 2
    assert run("compare", CASE).exit_code == 2  # no software figures
    assert run("room").exit_code == 2  # no case and no --compensation
    assert run("room", "--compensation", "1000", "--birth-date", "soon").exit_code == 2
    assert run("yearend").exit_code == 2  # neither a case nor --taxpayer and --year
    assert run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", "x", "--software", CASE).exit_code == 2


# ------------------------------------------------------------------ work bounded
def test_a_pdf_over_the_page_limit_is_refused_at_once_and_the_limit_can_be_raised(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(30):
        writer.add_blank_page(612, 792)
    path = tmp_path / "many.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    started = time.monotonic()
    refused = run("report", path, "--max-pages", "20")
    assert refused.exit_code == 1 and "30 pages" in refused.stderr and "--max-pages" in refused.stderr
    assert time.monotonic() - started < 60  # generous: the point is that it does not lay out any page
    raised = run("report", path, "--max-pages", "40")
    assert raised.exit_code == 1 and "--max-pages" not in raised.stderr  # read, and found no 1099-R


def test_too_much_page_content_is_refused(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 8 Tf 10 10 Td (Form 1099-R) Tj ET\n" * 40000)  # about 1.6 MiB
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "dense.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    refused = run("identify", path, "--max-content-mb", "1")
    assert refused.exit_code == 1 and "--max-content-mb" in refused.stdout + refused.stderr


def test_a_case_of_many_forms_runs_in_time_linear_in_its_size(tmp_path):
    # Half of them CORRECTED, all from one payer: the pairing check once compared every pair.
    forms = [{"id": f"f{i}", "payer_name": "Acme", "box_1": "100.00", "box_2a": "100.00", "box_7": "7",
              "corrected": i % 2 == 0} for i in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"tax_year": 2025, "forms_1099r": forms}))
    result = run("check", path, "--json")
    findings = strict_json(result.stdout)["findings"]
    # One finding per original, not one per pair (which would be 2.25 million).
    assert sum(f["code"] == "batch.corrected_and_original" for f in findings) == 1500


# ------------------------------------------------------------------ batches account for every record
def test_a_batch_accounts_for_rows_with_absurd_amounts_and_years_out_of_range(tmp_path):
    source = tmp_path / "batch.csv"
    rows = [
        ["Client ID", "Tax Year", "Box 1", "Box 2a", "Box 7"],
        ["A", "2025", "100.00", "100.00", "7"],
        ["B", "2025", "1" + "0" * 40, "0", "7"],  # absurd amount
        ["C", "2025", "1,2,3", "0", "7"],  # not an amount
        ["D", "1999", "100.00", "100.00", "7"],  # a year megaroth does not compute
        ["E", "99999999999999999999999", "100.00", "100.00", "7"],  # not a year
        ["F", "2025", "200.00", "200.00", "7"],
    ]
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "out"
    result = run("report", source, "--out-dir", out)
    assert result.exit_code == 1 and "internal error" not in result.stderr
    summary = strict_json((out / "summary.json").read_text())
    BatchSummaryDocument.model_validate(summary)
    totals = summary["totals"]
    assert (totals["records_in"], totals["records_reported"], totals["records_rejected"]) == (6, 2, 4)
    rejected = {r["record"]: r for r in csv.DictReader((out / "rejected.csv").open())}
    assert set(rejected) == {"row 3", "row 4", "row 5", "row 6"}
    assert rejected["row 5"]["field"] == "tax_year" and "not supported" in rejected["row 5"]["message"]
    assert "6 record(s) read: 2 reported, 4 rejected" in result.stderr


def test_every_json_output_parses_with_duplicate_keys_refused(tmp_path):
    outputs = [
        run("report", CASE, "--json").stdout,
        run("check", CASE, "--json").stdout,
        run("compare", CASE, "--line-5a", "10200", "--line-5b", "200", "--json").stdout,
        run("quick", "--box-1", "10200", "--box-2a", "200", "--box-5", "10000", "--code", "G", "--json").stdout,
        run("room", "--compensation", "200000", "--json").stdout,
        run("yearend", FIXTURES / "cases/yearend_mega_backdoor_2025.json", "--no-ledger", "--json").stdout,
        run("schema").stdout,
        run("schema", "summary").stdout,
        run("guide", CASE, "--json").stdout,
        run("report", CASE, "--json", "--guide", "all").stdout,
    ]
    run("ledger", "add", FIXTURES / "cases/yearend_mega_backdoor_2025.json", "--ledger", tmp_path / "l.db")
    outputs.append(run("ledger", "show", "--ledger", tmp_path / "l.db", "--json").stdout)
    out = tmp_path / "batch"
    run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", out, "--format", "json")
    outputs += [p.read_text() for p in sorted(out.glob("*.json"))]
    outputs.append(run("summary", out, "--json").stdout)
    run("import", FIXTURES / "csv/preparer_batch.csv", "--out-dir", tmp_path / "cases")
    outputs += [p.read_text() for p in sorted((tmp_path / "cases").glob("*.json"))]
    assert len(outputs) > 15
    for text in outputs:
        strict_json(text)


def test_temp_files_of_a_killed_batch_are_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # As a batch killed mid-way leaves them: its process is gone (no process has a pid this high).
    stale = [out / ".summary.json.4194999.k2j3.megaroth-tmp", out / ".C-1001-2025.md.4194999.abcd.megaroth-tmp"]
    for path in stale:
        path.write_text("half")
    mine = out / f".x.md.{os.getpid()}.live.megaroth-tmp"  # a live writer's: kept
    mine.write_text("being written")
    (out / "summary.json").write_text("{}")  # a previous run's summary: never left describing this run
    run("report", FIXTURES / "csv/preparer_batch.csv", "--out-dir", out)
    assert not any(p.exists() for p in stale) and mine.exists()
    strict_json((out / "summary.json").read_text())["totals"]


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF from object bodies (object 1 is the catalog), with a correct xref table."""
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()


def test_a_decompression_bomb_and_deep_nesting_are_refused(tmp_path):
    import zlib

    bomb = zlib.compress(b"0" * (200 * 1024 * 1024), 9)  # 200 MiB from about 200 KB
    pages = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
             f"<< /Length {len(bomb)} /Filter /FlateDecode >>\nstream\n".encode() + bomb + b"\nendstream"]
    (tmp_path / "bomb.pdf").write_bytes(_raw_pdf(pages))
    deep = [b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 20000 + b"]" * 20000 + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    (tmp_path / "deep.pdf").write_bytes(_raw_pdf(deep))
    bombed = run("report", tmp_path / "bomb.pdf", "--year", "2025")
    assert bombed.exit_code == 1 and "bomb.pdf" in bombed.stderr and "safety limits" in bombed.stderr
    nested = run("report", tmp_path / "deep.pdf", "--year", "2025")
    assert nested.exit_code == 1 and "deep.pdf" in nested.stderr and "internal error" not in nested.stderr


def test_a_schema_1_basis_beside_a_taxpayer_that_is_not_an_object_is_an_input_error(tmp_path):
    """Found by tests/fuzz/run.py: a schema-1 `traditional_ira_basis` with `"taxpayer": [null]` was an
    internal error (exit 70) in the schema upgrade; now validation names the taxpayer field."""
    path = tmp_path / "case.json"
    path.write_text('{"tax_year": 2025, "traditional_ira_basis": "0.00", "taxpayer": [null], "forms_1099r": []}')
    result = run("report", path, "--no-input")
    assert result.exit_code == 1 and "taxpayer: Input should be a valid dictionary" in result.stderr
    path.write_text('{"tax_year": 2025, "traditional_ira_basis": "10.00", "taxpayer": {"ira": 5}, "forms_1099r": []}')
    result = run("report", path, "--no-input")
    assert result.exit_code == 1 and "taxpayer.ira" in result.stderr
