"""The ledger never merges two people (issue 8): who a taxpayer is, and what happens when it is
not clear. Each test is a class of input that once moved basis between clients."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app
from megaroth.errors import InputError
from megaroth.ledger import MIGRATIONS, Ledger

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def after_tax_to_ira(name: str, tin: str | None, basis: str = "10000.00", *, taxpayer_id: str | None = None,
                     birth_date: str | None = None) -> dict:
    """A case whose after-tax money went into a traditional IRA: it adds IRA basis (Form 8606 line 2)."""
    taxpayer = {"name": name}
    if tin:
        taxpayer["tin"] = tin
    if taxpayer_id:
        taxpayer["id"] = taxpayer_id
    if birth_date:
        taxpayer["birth_date"] = birth_date
    gross = f"{D(basis) + D('100.00'):.2f}"
    return {"tax_year": 2025, "taxpayer": taxpayer, "forms_1099r": [{
        "id": "f1", "payer_name": "Acme 401(k) Plan", "box_1": gross, "box_2a": "0.00", "box_5": basis, "box_7": "G",
        "disposition": [{"to": "traditional_ira", "amount": gross}]}]}


def add(db, data, **options):
    return api.ledger_add(api.case_from_dict(json.loads(json.dumps(data))), db, **options)


def test_two_clients_with_one_masked_tin_are_refused_not_merged(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    for name in ("Pat Example", "Sam Sample"):
        with pytest.raises(InputError, match="masked TIN") as caught:
            add(db, after_tax_to_ira(name, "***-**-5678"))
        assert "--taxpayer" in caught.value.message and "Client ID" in caught.value.message
    assert api.ledger_view(db) == []  # nothing stored for either


def test_two_clients_with_one_masked_tin_stay_apart_by_id(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    add(db, after_tax_to_ira("Pat Example", "***-**-5678", "10000.00", taxpayer_id="C-1"))
    add(db, after_tax_to_ira("Sam Sample", "XXX-XX-5678", "3000.00", taxpayer_id="C-2"))
    with Ledger(db) as ledger:
        assert ledger.carried("C-1", 2026).traditional_ira_basis == D("10000.00")
        assert ledger.carried("C-2", 2026).traditional_ira_basis == D("3000.00")


def test_a_complete_tin_is_a_keyed_hash_never_stored(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    key, _, _ = add(db, after_tax_to_ira("Pat Example", "400-00-1234"))
    # Same person, TIN written without dashes: the same key.
    again, _, _ = add(db, after_tax_to_ira("Pat Example", "400001234"))
    assert key == again and key.startswith("tin-")
    unkeyed = hashlib.sha256(b"400-00-1234").hexdigest()
    assert unkeyed[:16] not in key and b"400-00-1234" not in db.read_bytes() and b"400001234" not in db.read_bytes()
    key_file = db.with_name(db.name + ".key")
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    # Another ledger has its own key: the hash says nothing outside this ledger.
    other, _, _ = add(tmp_path / "other.sqlite3", after_tax_to_ira("Pat Example", "400-00-1234"))
    assert other != key


def test_a_missing_key_file_is_refused_not_replaced(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    add(db, after_tax_to_ira("Pat Example", "400-00-1234"))
    db.with_name(db.name + ".key").unlink()
    with pytest.raises(InputError, match="key file is missing"):
        add(db, after_tax_to_ira("Pat Example", "400-00-1234"))


def test_another_person_under_a_key_is_refused_unless_the_user_says_same_person(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    add(db, after_tax_to_ira("Pat Example", None, taxpayer_id="C-7", birth_date="1985-04-02"))
    with pytest.raises(InputError) as caught:
        add(db, after_tax_to_ira("Sam Sample", None, taxpayer_id="C-7", birth_date="1985-04-02"))
    assert "'Pat Example'" in caught.value.message and "'Sam Sample'" in caught.value.message
    assert "--same-person" in caught.value.message
    with pytest.raises(InputError, match="born 1985-04-02 in the ledger, 1990-01-01 in this case"):
        add(db, after_tax_to_ira("Pat Example", None, taxpayer_id="C-7", birth_date="1990-01-01"))
    # Case and punctuation are not a different person; a missing name contradicts nothing.
    add(db, after_tax_to_ira("PAT  EXAMPLE.", None, taxpayer_id="C-7"))
    # Said to be the same person (a married name): stored, and the ledger takes the new name.
    add(db, after_tax_to_ira("Pat Married", None, "500.00", taxpayer_id="C-7"), same_person=True)
    with Ledger(db) as ledger:
        assert ledger.person("C-7")["name"] == "Pat Married"


def test_csv_client_ids_reach_the_case_and_the_ledger(tmp_path):
    out = tmp_path / "cases"
    assert run("import", FIXTURES / "csv/preparer_batch.csv", "--out-dir", out).exit_code == 1  # 2 rows rejected
    written = json.loads((out / "C-1001-2025.json").read_text())
    assert written["taxpayer"]["id"] == "C-1001"
    # What `import --out-dir` writes is what `ledger add` takes.
    added = run("ledger", "add", out / "C-1001-2025.json", "--ledger", tmp_path / "l.sqlite3")
    assert added.exit_code == 0 and "taxpayer C-1001" in added.stderr


def test_a_pdf_with_a_masked_tin_needs_the_taxpayer_option(tmp_path):
    db = tmp_path / "l.sqlite3"
    pdf = FIXTURES / "pdf/custodian_statement.pdf"
    refused = run("ledger", "add", pdf, "--ledger", db)
    assert refused.exit_code == 1 and "masked TIN" in refused.stderr and "--taxpayer" in refused.stderr
    assert not db.exists() or api.ledger_view(db) == []
    added = run("ledger", "add", pdf, "--taxpayer", "C-55", "--ledger", db)
    assert added.exit_code in (0, 3, 4) and "taxpayer C-55" in added.stderr


def test_an_id_is_never_a_tin():
    with pytest.raises(InputError, match="looks like a TIN"):
        api.case_from_dict({"tax_year": 2025, "taxpayer": {"id": "400-00-1234"}})
    result = run("report", FIXTURES / "cases/irr_after_tax_only.json", "--taxpayer", "400001234")
    assert result.exit_code == 2 and "looks like a TIN" in result.stderr


def test_reading_commands_never_create_a_ledger(tmp_path):
    missing = tmp_path / "typo.sqlite3"
    shown = run("ledger", "show", "--ledger", missing)
    assert shown.exit_code == 1 and "no ledger here" in shown.stderr and not missing.exists()
    yearend = run("yearend", "--year", "2026", "--taxpayer", "C-1", "--ledger", missing)
    assert yearend.exit_code == 1 and not missing.exists()


def test_an_unknown_taxpayer_is_an_error_naming_who_is_there(tmp_path):
    db = tmp_path / "l.sqlite3"
    run("ledger", "add", FIXTURES / "cases/yearend_mega_backdoor_2025.json", "--ledger", db)
    for args in (("yearend", "--year", "2026", "--taxpayer", "nobody"), ("ledger", "show", "--taxpayer", "nobody")):
        result = run(*args, "--ledger", db)
        assert result.exit_code == 1 and "no taxpayer 'nobody'" in result.stderr and "client-0042" in result.stderr
        assert "# Year-end" not in result.stdout


def test_next_year_from_the_ledger_alone_shows_what_was_carried(tmp_path):
    db = tmp_path / "l.sqlite3"
    run("ledger", "add", FIXTURES / "cases/yearend_mega_backdoor_2025.json", "--ledger", db)
    result = run("yearend", "--year", "2026", "--taxpayer", "client-0042", "--ledger", db)
    text = result.stdout
    assert result.exit_code == 0 and "Taxpayer: Pat Example (id client-0042)" in text
    assert "After-tax basis still in the plan on December 31, not yet converted: $5,000.00" in text
    for empty in ("No plans given", "No after-tax contributions", "No Form 1099-R", "## Sources", "## Findings"):
        assert empty not in text


def test_a_schema_1_ledger_is_migrated_and_masked_keys_are_flagged(tmp_path):
    db = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(db, isolation_level=None)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    masked = "tin-" + hashlib.sha256(b"***-**-5678").hexdigest()[:16]
    full = "tin-" + hashlib.sha256(b"400-00-1234").hexdigest()[:16]
    for key in (masked, full):
        connection.execute("INSERT INTO taxpayer VALUES (?, 'someone')", (key,))
        connection.execute("INSERT INTO form VALUES (?, 2024, 'x', 's', 'f', 'Plan', 'G', '700.00', '0.00', "
                           "'direct_rollover_non_roth', 0, '2025-01-01')", (key,))
        connection.execute("INSERT INTO entry VALUES (?, 2024, 'x', 'traditional_ira_basis', '700.00')", (key,))
    connection.close()
    view = {entry["taxpayer"]: entry for entry in api.ledger_view(db)}
    assert "MASKED TIN" in view[masked]["note"] and "complete TIN" in view[full]["note"]
    # The complete TIN seen again takes over its old rows under the keyed hash.
    key, _, _ = add(db, after_tax_to_ira("someone", "400-00-1234"))
    with Ledger(db) as ledger:
        assert ledger.carried(key, 2026).traditional_ira_basis == D("10700.00")
        assert ledger.person(full) is None
    # Adding the same case again after the move changes nothing (no form counted twice).
    add(db, after_tax_to_ira("someone", "400-00-1234"))
    with Ledger(db) as ledger:
        assert ledger.carried(key, 2026).traditional_ira_basis == D("10700.00")
