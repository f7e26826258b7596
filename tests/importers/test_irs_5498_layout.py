"""Forms 5498 and statements as issuers lay them out (issue 21), from the samples of
fixtures/pdf/make_5498_pdfs.py (synthetic; no IRS Form 5498 PDF is available to megaroth).

Worked case: the tax-rules.md split rollover (fixtures/cases/split_rollover_one_form.json): the
plan's $10,000 after-tax money went to a Roth IRA, whose 2025 Form 5498 (printed flat on the IRS
grid by its issuer) shows box 2 $10,000.00, box 5 $10,412.33, box 10 $7,000.00, Roth IRA checked,
account R-5521 — the values the generator wrote, asserted here as megaroth reads them.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app
from megaroth.errors import InputError
from megaroth.importers import Document, identify
from megaroth.importers.account_number import clean_account_number
from megaroth.limits import Limits
from tests.helpers import fixture_kit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PDF = FIXTURES / "pdf"
runner = CliRunner()


def _kit():
    return fixture_kit("make_5498_pdfs")


def _import(tmp_path, *paths, extra=()):
    out = tmp_path / "case.json"
    result = runner.invoke(app, ["import", *map(str, paths), "-o", str(out), *extra])
    return result, (json.loads(out.read_text()) if out.exists() else None)


def _record(name: str):
    doc = Document.from_file(name, PDF / name)
    return identify(doc).extract(doc)


# ------------------------------------------------------------------ the IRS layout printed flat
def test_the_irs_5498_printed_flat_is_read_box_by_box_through_the_cli(tmp_path):
    result, case = _import(tmp_path, PDF / "irs_5498_flat.pdf")  # no --year: the year printed is read
    assert result.exit_code == 0, result.output
    (form,) = case["forms_5498"]
    assert case["tax_year"] == 2025
    assert {k: form.get(k) for k in ("box_2", "box_5", "box_10", "box_7_roth_ira", "account_number",
                                     "trustee_name", "participant_name")} == {
        "box_2": "10000.00", "box_5": "10412.33", "box_10": "7000.00", "box_7_roth_ira": True,
        "account_number": "R-5521", "trustee_name": "EXAMPLE BROKERAGE TRUST CO", "participant_name": "PAT EXAMPLE"}
    assert "box_1" not in form and "box_3" not in form  # printed "$" with no amount: blank
    assert form["provenance"]["fields"]["tax_year"] == "the year printed beside 'Form 5498' (page 1)"
    assert form["provenance"]["fields"]["box_2"].startswith("under '2 Rollover contributions'")


def test_the_flat_5498_feeds_the_rollover_match():
    loaded = api.load_single([str(FIXTURES / "cases/split_rollover_one_form.json"), str(PDF / "irs_5498_flat.pdf")],
                             taxpayer_id="C-1")
    (form,) = loaded.case.forms_5498
    assert (form.box_2, form.account_number, form.kind) == (Decimal("10000.00"), "R-5521", "roth_ira")
    matches = api.analyze(loaded).rollover_matches
    assert [(m.kind, m.status) for m in matches if m.kind == "roth_ira"] == [("roth_ira", "matched")]


def test_a_5498_with_no_box_read_is_refused_naming_file_and_page(tmp_path):
    (record,) = _record("irs_5498_blank.pdf").records
    assert record.errors and "no box of the Form 5498 could be read on page 1" in record.errors[0]
    result, case = _import(tmp_path, PDF / "irs_5498_blank.pdf")
    assert result.exit_code == 1 and case is None
    assert "irs_5498_blank.pdf" in result.output and "page 1" in result.output
    assert "no box of the Form 5498 could be read" in result.output


def test_the_5498_with_fdx_inside_is_named_a_5498_and_read(tmp_path):
    result = runner.invoke(app, ["identify", str(PDF / "irs_5498_fdx.pdf")])
    assert result.exit_code == 0
    assert "Form 5498 (FDX Tax5498)" in result.output and "1099-R" not in result.output
    flat = runner.invoke(app, ["identify", str(PDF / "irs_5498_flat.pdf")])
    assert "Form 5498 PDF" in flat.output and "1099-R" not in flat.output
    result, case = _import(tmp_path, PDF / "irs_5498_fdx.pdf")
    assert result.exit_code == 0, result.output
    (form,) = case["forms_5498"]
    assert (form["box_2"], form["box_10"], form["account_number"]) == ("10000.00", "7000.00", "R-5521")


def test_an_unknown_code_is_flagged_on_its_box_and_the_form_kept(tmp_path):
    result, case = _import(tmp_path, PDF / "irs_5498_bad_code.pdf")
    assert result.exit_code == 0, result.output
    (form,) = case["forms_5498"]
    assert (form["box_5"], form["box_14a"], form["box_14b"], form["box_7_ira"]) == ("203.10", "1500.00", "ZZ", True)
    report = runner.invoke(app, ["report", str(tmp_path / "case.json")])
    assert "box 14b shows 'ZZ': not a code of the 2025 Form 5498" in report.output


def test_a_code_that_cannot_be_one_leaves_out_that_box_only(tmp_path):
    kit = _kit()
    page = kit.Page()
    kit.irs_5498(page, dict(kit.ROLLOVER, boxes={"5": "203.10", "14a": "1,500.00", "14b": "QRDDBA"}, kind="IRA"))
    path = tmp_path / "long_code.pdf"
    kit.write_pdf(path, [page])
    result, case = _import(tmp_path, path)
    assert result.exit_code == 0, result.output
    (form,) = case["forms_5498"]
    assert (form["box_5"], form["box_14a"]) == ("203.10", "1500.00") and "box_14b" not in form
    report = runner.invoke(app, ["report", str(tmp_path / "case.json")])
    loaded = api.load_single([str(path)])
    assert any("box_14b: 'QRDDBA' is not a code Form 5498 prints in box 14b" in f.message and "left out" in f.message
               for f in loaded.findings), [f.message for f in loaded.findings]
    assert report.exit_code in (0, 3)


# ------------------------------------------------------------------ statements as issuers lay them out
def test_the_recipient_printed_once_is_every_forms_recipient(tmp_path):
    result, case = _import(tmp_path, PDF / "statement_one_recipient.pdf")
    assert result.exit_code == 0, result.output  # one taxpayer, not two
    assert case["taxpayer"]["name"] == "ALEX SAMPLE"
    forms = case["forms_1099r"]
    assert [(f["recipient_name"], f["account_number"], f["box_1"]) for f in forms] == [
        ("ALEX SAMPLE", "9876-001", "10200.00"), ("ALEX SAMPLE", "9876-002", "6000.00")]


def test_an_account_number_is_never_a_neighbours_text(tmp_path):
    result, case = _import(tmp_path, PDF / "statement_account_blank.pdf")
    assert result.exit_code == 0, result.output
    (form,) = case["forms_1099r"]
    assert "account_number" not in form and form["box_1"] == "10200.00"
    assert clean_account_number("9876-001            Copy B   OMB No. 1545-0119") == "9876-001"
    assert clean_account_number("9876-001 Copy B OMB No. 1545-0119") == "9876-001"
    assert clean_account_number("APT 4, SPRINGFIELD,") is None
    assert clean_account_number("Form 5498") is None
    assert clean_account_number("1111-2222") == "1111-2222"


# ------------------------------------------------------------------ bounded cost
def _hostile(tmp_path) -> Path:
    kit = _kit()
    path = tmp_path / "hostile.pdf"
    kit.write_pdf(path, [kit.Page(), kit.hostile_page()])
    return path


def test_a_page_of_100000_text_objects_is_refused_early_in_the_batch(tmp_path):
    path = _hostile(tmp_path)
    started = time.monotonic()
    result = runner.invoke(app, ["report", str(path), str(PDF / "irs_look_flat.pdf"), "--out-dir",
                                 str(tmp_path / "out")])
    elapsed = time.monotonic() - started
    assert elapsed < 15, elapsed  # reading the page took over 30 s before the budget
    assert "hostile.pdf" in result.output and "page 2 of the PDF draws 100,000 text objects" in result.output
    assert "more than the limit of 20,000" in result.output
    assert result.exit_code != 70


def test_the_same_refusal_on_the_page(tmp_path):
    import pytest

    import warnings

    pytest.importorskip("httpx")
    with warnings.catch_warnings():  # newer Starlette prefers httpx2; httpx still works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from megaroth.web import create_app

    path = _hostile(tmp_path)
    with TestClient(create_app(allowed_hosts=("testserver",))) as client:
        import re

        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        page = client.post("/upload", data={"csrf": token}, headers={"Origin": "http://testserver"},
                           files=[("files", ("hostile.pdf", path.read_bytes(), "application/pdf"))])
    assert "hostile.pdf" in page.text and "page 2 of the PDF draws 100,000 text objects" in page.text


def test_the_budgets_are_limits_of_the_document(tmp_path):
    data = (PDF / "irs_look_flat.pdf").read_bytes()
    doc = Document("flat.pdf", data, limits=Limits(max_text_objects_per_page=10))
    try:
        _ = doc.pdf
    except InputError as exc:
        assert "page 1 of the PDF draws" in exc.message and exc.source.file == "flat.pdf"
    else:
        raise AssertionError("a page over the budget was read")
    doc = Document("flat.pdf", data, limits=Limits(max_operators_per_page=50))
    try:
        _ = doc.pdf
    except InputError as exc:
        assert "page 1 of the PDF holds more than 50 drawing operators" in exc.message
    else:
        raise AssertionError("a page over the budget was read")
    doc = Document("flat.pdf", data, limits=Limits(max_seconds=0))
    _ = doc.pdf
    time.sleep(0.01)
    try:
        _ = doc.page_texts[0]
    except InputError as exc:
        assert "before page 1" in exc.message
    else:
        raise AssertionError("reading went on past the time budget")
    assert len(Document("flat.pdf", data).page_texts[0]) > 0  # the defaults read a real form
