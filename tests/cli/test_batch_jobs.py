"""A batch analysed by worker processes (`report --out-dir --jobs N`): the same bytes as in one
process, the same summary, every record conserved, and a worker that stops reported, not lost."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from megaroth import batch
from megaroth.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The tests change megaroth's functions in this process: forked workers inherit the changes.
pytestmark = pytest.mark.skipif(batch.START_METHOD != "fork", reason="worker processes are forked on Linux only")


def _batch_csv(path: Path) -> Path:
    lines = ["Client ID,Recipient TIN,Recipient name,Tax Year,Payer,Box 1,Box 2a,Box 5,Box 7,Disposition"]
    for n in range(90):
        client = f"C {n % 40:03d}" if n % 9 else f"C_{n % 40:03d}"  # "C 001" and "C_001": one file name stem
        gross, earnings = 10000 + n * 37, n * 11
        kind = n % 6
        if kind == 0:
            lines.append(f'{client},,,2025,Acme,"{gross:,}.00",{earnings}.00,{gross - earnings}.00,G,roth_ira')
        elif kind == 1:
            lines.append(f"{client},,,2025,Acme,{gross}.00,{earnings}.00,{gross - earnings}.00,G,"
                         f"roth_ira {gross - earnings}.00; traditional_ira {earnings}.00")
        elif kind == 2:
            lines.append(f"{client},,,2025,Pension,{gross}.00,{gross}.00,,7,")
        elif kind == 3:
            lines.append(f"{client},,,2025,Acme,{gross}.00,oops,,1,")  # a bad box 2a: rejected
        elif kind == 4:
            lines.append(f",400-00-{n:04d},Pat {n},2025,Acme,{gross}.00,{earnings}.00,,G,designated_roth_same_plan")
        else:
            lines.append(f"{client},,,2017,Acme,{gross}.00,{earnings}.00,,7,")  # an unsupported year
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def small_chunks(monkeypatch):
    """Workers from the 8th taxpayer, three taxpayers a chunk; yields the number of parallel runs."""
    monkeypatch.setattr(batch, "PARALLEL_FROM", 8)
    monkeypatch.setattr(batch, "CHUNK", 3)
    runs = []
    parallel = batch._parallel

    def spy(*args):
        runs.append(args[2])
        yield from parallel(*args)

    monkeypatch.setattr(batch, "_parallel", spy)
    return runs


@pytest.mark.parametrize("summary_only", [False, True])
def test_jobs_give_byte_identical_outputs(tmp_path, small_chunks, summary_only):
    source = _batch_csv(tmp_path / "batch.csv")
    sources = [source, tmp_path / "missing.csv", FIXTURES / "csv/preparer_batch.csv"]
    extra = ["--summary-only"] if summary_only else []
    one = _run("report", *sources, "--out-dir", tmp_path / "one", "--jobs", "1", *extra)
    two = _run("report", *sources, "--out-dir", tmp_path / "two", "--jobs", "2", *extra)
    assert one.exit_code == two.exit_code == 1
    assert one.stderr == two.stderr.replace(str(tmp_path / "two"), str(tmp_path / "one"))
    files_one, files_two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert files_one == files_two
    assert small_chunks == [2]  # --jobs 2 did use two workers
    assert ("C_000-2025.md" in files_one and "C_000-2025-2.md" in files_one) is not summary_only
    totals = json.loads(files_two["summary.json"])["totals"]
    assert totals["conserved"] and totals["records_in"] == 98 and totals["files_rejected"] == 1


def test_jobs_only_with_out_dir():
    result = _run("report", FIXTURES / "cases/irr_after_tax_only.json", "--jobs", "2")
    assert result.exit_code == 2 and "--jobs goes with --out-dir" in result.stderr


def test_a_worker_that_stops_is_reported_not_lost(tmp_path, small_chunks, monkeypatch):
    source = _batch_csv(tmp_path / "batch.csv")
    taxpayer = batch._taxpayer

    def crashing(group, settings):
        if settings.in_worker and group.key == "id:C 010":
            os._exit(9)  # as if killed: no exception, no result
        return taxpayer(group, settings)

    monkeypatch.setattr(batch, "_taxpayer", crashing)
    out = tmp_path / "out"
    result = _run("report", source, "--out-dir", out, "--jobs", "2")
    assert result.exit_code == 70
    summary = json.loads((out / "summary.json").read_text())
    totals = summary["totals"]
    assert totals["conserved"] and totals["records_in"] == 90 and summary["exit_code"] == 70
    rejected = list(csv.DictReader((out / "rejected.csv").open()))
    lost = {r["record"] for r in rejected if r["message"].startswith("not analysed: the worker process")}
    c010_rows = {f"row {n + 2}" for n in range(90) if n % 40 == 10 and n % 9 and n % 6 != 4}
    assert c010_rows <= lost
    assert totals["records_reported"] > 0 and "C 010" not in {r["taxpayer"] for r in summary["results"]}
    assert not [p for p in out.iterdir() if p.name.endswith(".megaroth-tmp")]
