"""The ledger: idempotent, atomic (a killed process leaves nothing half-written), versioned,
private, and remembered by the next year's worksheet."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from megaroth import api
from megaroth.errors import InputError
from megaroth.ledger import MIGRATIONS, Ledger

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "yearend_mega_backdoor_2025.json"


def test_adding_the_same_case_twice_changes_nothing(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    loaded = api.load_case(CASE)
    api.ledger_add(loaded, db)
    first = api.ledger_view(db)
    api.ledger_add(loaded, db)
    assert api.ledger_view(db) == first
    (year,) = first
    assert year["entries"]["irr_taxable"] == D("400.00") and year["state"]["plan_after_tax_basis"] == D("5000.00")
    assert len(year["forms"]) == 1 and year["clocks"][0]["ends"] == "2029-12-31"


def test_a_corrected_form_replaces_the_original(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    data = json.loads(CASE.read_text())
    api.ledger_add(api.case_from_dict(data), db)
    form = data["forms_1099r"][0]
    form.update(corrected=True, box_1="15450.00", box_2a="450.00")
    form["disposition"] = [{"to": "designated_roth_same_plan", "amount": "15450.00"}]
    api.ledger_add(api.case_from_dict(data), db)
    (year,) = api.ledger_view(db)
    assert len(year["forms"]) == 1 and year["entries"]["irr_taxable"] == D("450.00")


def test_a_process_killed_mid_import_leaves_the_ledger_as_it_was(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    api.ledger_add(api.load_case(CASE), db)
    before = api.ledger_view(db)
    data = json.loads(CASE.read_text())
    data["tax_year"] = 2026
    data["forms_1099r"] = [dict(form, id=f"f{n}", payer_name=f"Plan {n}") for n, form in
                           enumerate(data["forms_1099r"] * 3)]
    second = tmp_path / "2026.json"
    second.write_text(json.dumps(data))
    script = (
        "import os, signal, sys\n"
        "from megaroth import api\n"
        f"loaded = api.load_case({str(second)!r})\n"
        "def crash(n):\n"
        "    if n == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        f"api.ledger_add(loaded, {str(db)!r}, on_row=crash)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert completed.returncode != 0  # killed
    assert api.ledger_view(db) == before  # the 2026 rows were never committed
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT COUNT(*) FROM form WHERE tax_year = 2026").fetchone() == (0,)


def test_schema_is_versioned(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    with Ledger(db) as ledger:
        assert ledger.version == len(MIGRATIONS)
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(InputError, match="newer than this megaroth"):
        Ledger(db)


def test_not_a_ledger(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_text("this is not a database" * 100)
    with pytest.raises(InputError, match="not a megaroth ledger"):
        Ledger(path)


def test_no_tin_is_stored(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    data = json.loads(CASE.read_text())
    data["taxpayer"] = {"name": "Pat", "tin": "400-00-7777"}
    data["forms_1099r"][0]["payer_tin"] = "00-0000123"
    api.ledger_add(api.case_from_dict(data), db)
    raw = db.read_bytes()
    assert b"400-00-7777" not in raw and b"400007777" not in raw and b"0000123" not in raw


def test_next_year_starts_from_what_the_ledger_remembers(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    api.ledger_add(api.load_case(CASE), db)
    data = json.loads(CASE.read_text())
    data.update(tax_year=2026, forms_1099r=[])
    data["yearend"] = {"conversions": [{"date": "2026-01-15", "amount": "5030.00"}]}
    report = api.yearend(api.case_from_dict(data), ledger_path=db)
    assert report.carried.years == [2025] and report.carried.plan_after_tax_basis == D("5000.00")
    assert report.timing.conversions[0].basis == D("5000.00") and report.timing.taxable_earnings == D("30.00")
    assert [c["kind"] for c in report.carried.open_clocks] == ["irr_recapture"]
    from_ledger_only = api.yearend(None, tax_year=2026, taxpayer="client-0042", ledger_path=db)
    assert from_ledger_only.carried.plan_after_tax_basis == D("5000.00")
