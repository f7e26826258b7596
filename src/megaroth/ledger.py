"""The ledger: what megaroth remembers across years, in an SQLite database.

Per taxpayer and year it keeps each analyzed 1099-R (by identity), the basis each one created
(traditional IRA basis from after-tax money rolled into a traditional IRA; Roth IRA basis by
kind, as Form 8606 Part III needs it), the 5-year clocks, and the after-tax basis still in the
plan at year end. A later year's worksheet starts from it.

- Idempotent: a form is stored under an identity made of the taxpayer, year, payer, account,
  codes and amounts; adding the same case twice changes nothing. A CORRECTED form replaces the
  forms of the same payer, account and codes for that year.
- Atomic: every write is one transaction; a crash leaves the database as it was.
- Versioned: the schema version is SQLite's user_version; migrations run in order.
- Private and never merged: no TIN is stored. A taxpayer is known by an explicit id, or by a keyed
  hash of a complete TIN; a masked TIN is never an identity, and a key whose person has another
  name or birth date is refused (see `megaroth.identity`).
Amounts are stored as decimal text, never floats.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from megaroth.errors import InputError
from megaroth.identity import Identity, TinKey, conflict, identity_of, legacy_keys, masked_legacy_keys
from megaroth.model.case import Case
from megaroth.model.form1099r import Destination, Form1099R
from megaroth.model.results import Analysis, TimingResult
from megaroth.money import ZERO
from megaroth.provenance import Source

ENV = "MEGAROTH_LEDGER"

MIGRATIONS = [
    # v1
    """
    CREATE TABLE taxpayer (
        id TEXT PRIMARY KEY,
        name TEXT
    );
    CREATE TABLE form (
        taxpayer_id TEXT NOT NULL REFERENCES taxpayer(id),
        tax_year INTEGER NOT NULL,
        identity TEXT NOT NULL,
        slot TEXT NOT NULL,
        form_id TEXT NOT NULL,
        payer TEXT,
        box_7 TEXT NOT NULL,
        gross TEXT NOT NULL,
        taxable TEXT,
        treatment TEXT NOT NULL,
        corrected INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (taxpayer_id, identity)
    );
    CREATE TABLE entry (
        taxpayer_id TEXT NOT NULL,
        tax_year INTEGER NOT NULL,
        identity TEXT NOT NULL,
        kind TEXT NOT NULL,
        amount TEXT NOT NULL,
        PRIMARY KEY (taxpayer_id, identity, kind)
    );
    CREATE TABLE clock (
        taxpayer_id TEXT NOT NULL,
        tax_year INTEGER NOT NULL,
        identity TEXT NOT NULL,
        kind TEXT NOT NULL,
        amount TEXT NOT NULL,
        starts TEXT NOT NULL,
        ends TEXT NOT NULL,
        PRIMARY KEY (taxpayer_id, identity, kind)
    );
    CREATE TABLE year_state (
        taxpayer_id TEXT NOT NULL,
        tax_year INTEGER NOT NULL,
        kind TEXT NOT NULL,
        amount TEXT NOT NULL,
        PRIMARY KEY (taxpayer_id, tax_year, kind)
    );
    """,
]

def _v2_identities(db: sqlite3.Connection) -> None:
    """v2: who each taxpayer is. Keys of v1 were unkeyed hashes of the TIN *as written*, masked
    or not: those made from a masked TIN may hold several clients and are marked so; the others
    are re-keyed when their complete TIN is seen again."""
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("ALTER TABLE taxpayer ADD COLUMN birth_date TEXT")
    db.execute("ALTER TABLE taxpayer ADD COLUMN kind TEXT NOT NULL DEFAULT 'id'")
    # Forms are known by hashes that include the key they were first stored under; a taxpayer
    # re-keyed keeps that key here, so adding the same form again still finds it.
    db.execute("ALTER TABLE taxpayer ADD COLUMN slot_key TEXT")
    legacy = [row[0] for row in db.execute("SELECT id FROM taxpayer WHERE id LIKE 'tin-%'")]
    masked = masked_legacy_keys() if legacy else set()
    for key in legacy:
        db.execute("UPDATE taxpayer SET kind = ? WHERE id = ?",
                   ("legacy_masked_tin" if key in masked else "legacy_tin", key))


MIGRATIONS: list = MIGRATIONS + [_v2_identities]

KIND_NOTES = {
    "legacy_masked_tin": "kept by an earlier megaroth under a MASKED TIN: it may mix the forms of several clients "
                         "who share the last four digits; review it, and add each client again with a taxpayer.id",
    "legacy_tin": "kept by an earlier megaroth under its TIN; it moves to the new key when a case with the "
                  "complete TIN is added",
}
TABLES = ("form", "entry", "clock", "year_state")

ENTRY_KINDS = {
    "traditional_ira_basis": "After-tax money rolled into a traditional IRA (Form 8606 line 2 basis)",
    "roth_ira_contribution_basis": "Roth IRA basis in contributions (Form 8606 line 22), from designated Roth money",
    "roth_ira_conversion_basis": "Roth IRA basis in rollovers from plans and conversions (Form 8606 line 24)",
    "irr_taxable": "Taxable amount of in-plan Roth rollovers (5-year recapture clock)",
}


def default_path() -> Path:
    """$MEGAROTH_LEDGER, else the user's data directory (XDG on Linux, Application Support on
    macOS, %APPDATA% on Windows)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "megaroth" / "ledger.sqlite3"


def _payer(form: Form1099R) -> str:
    # A masked payer TIN is shared by payers with the same last four digits: only a complete one
    # names the payer by itself.
    name = (form.payer_name or "").strip().casefold()
    if form.payer_tin is not None and form.payer_tin.is_complete:
        return "tin:" + hashlib.sha256(form.payer_tin.digits.encode()).hexdigest()[:12]
    return name + (f"\x00{form.payer_tin.last4}" if form.payer_tin is not None else "")


def _slot(taxpayer: str, year: int, form: Form1099R) -> str:
    parts = [taxpayer, str(year), _payer(form), (form.account_number or "").strip(), form.box_7,
             str(form.box_7_ira_sep_simple)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def _identity(slot: str, form: Form1099R) -> str:
    parts = [slot, str(form.box_1), str(form.box_2a), str(form.box_5), str(form.box_4), form.id]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


@dataclass
class Carried:
    """What the ledger remembers before a year."""

    tax_year: int
    traditional_ira_basis: Decimal
    roth_ira_contribution_basis: Decimal
    roth_ira_conversion_basis: dict[int, Decimal]
    plan_after_tax_basis: Decimal
    open_clocks: list[dict]
    years: list[int]


class Ledger:
    def __init__(self, path: str | Path | None = None, *, create: bool = True) -> None:
        """Open (and migrate) the ledger; `create=False` for commands that only read it, which
        must not leave a new empty database behind a mistyped path."""
        self.path = Path(path) if path is not None else default_path()
        if not create and not self.path.exists():
            raise InputError("no ledger here (`megaroth ledger add` creates one; check --ledger or $MEGAROTH_LEDGER)",
                             Source(file=str(self.path)))
        if self.path.is_dir():
            raise InputError("is a directory, not a ledger file", Source(file=str(self.path)))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"the ledger's folder cannot be created ({exc.strerror})",
                             Source(file=str(self.path))) from None
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None)
            self.connection.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a megaroth ledger ({exc})", Source(file=str(self.path))) from None
        self._tin_key: TinKey | None = None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise InputError(f"the ledger has schema version {current}, newer than this megaroth "
                             f"({len(MIGRATIONS)}): upgrade megaroth", Source(file=str(self.path)))
        for number in range(current, len(MIGRATIONS)):
            with self._transaction() as db:
                step = MIGRATIONS[number]
                if callable(step):
                    step(db)
                else:
                    for statement in step.split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    def _transaction(self):
        connection = self.connection

        class Transaction:
            def __enter__(self_inner):
                connection.execute("BEGIN IMMEDIATE")
                return connection

            def __exit__(self_inner, kind, value, traceback):
                connection.execute("ROLLBACK" if kind else "COMMIT")

        return Transaction()

    # ------------------------------------------------------------------ identity
    @property
    def tin_key(self) -> TinKey:
        if self._tin_key is None:
            row = self.connection.execute("SELECT value FROM meta WHERE name = 'tin_key_fingerprint'").fetchone()
            self._tin_key = TinKey(self.path, row[0] if row else None)
        return self._tin_key

    def identity(self, case: Case, taxpayer_id: str | None = None) -> Identity:
        """The case's taxpayer in this ledger (`taxpayer_id`, from --taxpayer, first).

        Raises:
            InputError: when nothing identifies the taxpayer (see `megaroth.identity`).
        """
        return identity_of(taxpayer_id or case.taxpayer.id, case.taxpayer.tin, self.tin_key)

    def person(self, key: str) -> dict | None:
        """What the ledger knows of a taxpayer: name, birth date, how the key was made."""
        row = self.connection.execute("SELECT id, name, birth_date, kind FROM taxpayer WHERE id = ?", (key,)).fetchone()
        return dict(zip(("taxpayer", "name", "birth_date", "kind"), row)) if row else None

    def check_person(self, key: str, case: Case, *, same_person: bool = False) -> None:
        """Refuse a case whose person differs from the one already under the key.

        Raises:
            InputError: showing both, unless `same_person`.
        """
        known = self.person(key)
        if known is None or same_person:
            return
        if known["kind"] == "legacy_masked_tin":
            raise InputError(f"taxpayer {key} was kept by an earlier megaroth under a masked TIN and may mix several "
                             "clients; give this case its own taxpayer.id (or --taxpayer)", Source(field="taxpayer.id"))
        difference = conflict(known["name"], known["birth_date"], case.taxpayer.name, case.taxpayer.birth_date)
        if difference:
            raise InputError(f"taxpayer {key} in the ledger does not look like the person in this case ({difference}). "
                             "If it is another person, give this case its own taxpayer.id (or --taxpayer); if it is "
                             "the same person, pass --same-person", Source(field="taxpayer"))

    def _claim(self, db, identity: Identity, case: Case, same_person: bool) -> None:
        """Write the taxpayer row; a complete TIN first takes over the rows an earlier version
        kept under an unkeyed hash of the same TIN."""
        if identity.kind == "tin":
            fingerprint = self.tin_key.new_fingerprint
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('tin_key_fingerprint', ?)", (fingerprint,))
            old_keys = legacy_keys(identity.tin)
            for (old,) in list(db.execute("SELECT id FROM taxpayer WHERE kind = 'legacy_tin'")):
                if old in old_keys and self.person(identity.key) is None:
                    db.execute("INSERT INTO taxpayer (id, name, birth_date, kind, slot_key) "
                               "SELECT ?, name, birth_date, 'tin', COALESCE(slot_key, id) FROM taxpayer WHERE id = ?",
                               (identity.key, old))
                    for table in TABLES:
                        db.execute(f"UPDATE {table} SET taxpayer_id = ? WHERE taxpayer_id = ?", (identity.key, old))
                    db.execute("DELETE FROM taxpayer WHERE id = ?", (old,))
        self.check_person(identity.key, case, same_person=same_person)
        birth = case.taxpayer.birth_date.isoformat() if case.taxpayer.birth_date else None
        if same_person:
            db.execute("UPDATE taxpayer SET name = COALESCE(?, name), birth_date = COALESCE(?, birth_date) "
                       "WHERE id = ?", (case.taxpayer.name, birth, identity.key))
        db.execute("INSERT INTO taxpayer (id, name, birth_date, kind) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                   "SET name = COALESCE(taxpayer.name, excluded.name), "
                   "birth_date = COALESCE(taxpayer.birth_date, excluded.birth_date)",
                   (identity.key, case.taxpayer.name, birth, identity.kind))

    # ------------------------------------------------------------------ writing
    def add(self, case: Case, analysis: Analysis, timing: TimingResult | None = None,
            on_row: Callable[[int], None] | None = None, *, identity: Identity | None = None,
            same_person: bool = False) -> int:
        """Store a case's analyzed forms, their basis and clocks, in one transaction.

        Args:
            on_row: called after each row is written (tests use it to crash mid-import).
            identity: the taxpayer's identity (default: from the case).
            same_person: the user says the person under the key is this case's, despite another
                name or birth date.

        Returns:
            The number of forms stored.

        Raises:
            InputError: when the taxpayer cannot be identified, or differs from the one under the key.
        """
        identity = identity or self.identity(case)
        taxpayer = identity.key
        year = case.tax_year
        forms = {f.id: f for f in case.forms_1099r}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        written = 0
        with self._transaction() as db:
            self._claim(db, identity, case, same_person)
            slot_key = db.execute("SELECT COALESCE(slot_key, id) FROM taxpayer WHERE id = ?", (taxpayer,)).fetchone()[0]
            for result in analysis.forms:
                if result.status != "computed":
                    continue
                form = forms[result.form_id]
                slot = _slot(slot_key, year, form)
                identity = _identity(slot, form)
                stale = [identity]
                if form.corrected:
                    stale += [row[0] for row in db.execute(
                        "SELECT identity FROM form WHERE taxpayer_id = ? AND slot = ? AND identity != ?",
                        (taxpayer, slot, identity))]
                for old in stale:
                    for table in ("form", "entry", "clock"):
                        db.execute(f"DELETE FROM {table} WHERE taxpayer_id = ? AND identity = ?", (taxpayer, old))
                db.execute(
                    "INSERT INTO form VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (taxpayer, year, identity, slot, form.id, form.payer_name, form.box_7, str(result.gross),
                     None if result.taxable is None else str(result.taxable), result.treatment, int(form.corrected),
                     now))
                entries = {
                    "traditional_ira_basis": result.ira_basis_added,
                    "roth_ira_contribution_basis": result.roth_ira_basis_line_22,
                    "roth_ira_conversion_basis": result.roth_ira_basis_line_24,
                    "irr_taxable": sum((p.taxable for p in result.parts
                                        if p.destination is Destination.designated_roth_same_plan), ZERO),
                }
                for kind, amount in entries.items():
                    if amount:
                        db.execute("INSERT INTO entry VALUES (?, ?, ?, ?, ?)", (taxpayer, year, identity, kind, str(amount)))
                for clock in result.clocks:
                    db.execute("INSERT INTO clock VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (taxpayer, year, identity, clock.kind, str(clock.amount), clock.starts, clock.ends))
                written += 1
                if on_row:
                    on_row(written)
            if timing is not None:
                db.execute("INSERT INTO year_state VALUES (?, ?, ?, ?) ON CONFLICT(taxpayer_id, tax_year, kind) "
                           "DO UPDATE SET amount = excluded.amount",
                           (taxpayer, year, "plan_after_tax_basis", str(timing.unconverted_basis)))
        return written

    # ------------------------------------------------------------------ reading
    def taxpayers(self) -> list[dict]:
        return [dict(zip(("taxpayer", "name", "birth_date", "kind"), row)) for row in self.connection.execute(
            "SELECT id, name, birth_date, kind FROM taxpayer ORDER BY id")]

    def years(self, taxpayer: str) -> list[int]:
        rows = self.connection.execute(
            "SELECT DISTINCT tax_year FROM form WHERE taxpayer_id = ? UNION "
            "SELECT DISTINCT tax_year FROM year_state WHERE taxpayer_id = ? ORDER BY 1", (taxpayer, taxpayer))
        return [row[0] for row in rows]

    def summary(self, taxpayer: str, year: int) -> dict:
        """One year: forms, the basis each kind gained, clocks started, plan basis at year end."""
        forms = [dict(zip(("form_id", "payer", "box_7", "gross", "taxable", "treatment", "corrected"), row))
                 for row in self.connection.execute(
                     "SELECT form_id, payer, box_7, gross, taxable, treatment, corrected FROM form "
                     "WHERE taxpayer_id = ? AND tax_year = ? ORDER BY form_id", (taxpayer, year))]
        entries = {kind: ZERO for kind in ENTRY_KINDS}
        for kind, amount in self.connection.execute(
                "SELECT kind, amount FROM entry WHERE taxpayer_id = ? AND tax_year = ?", (taxpayer, year)):
            entries[kind] += Decimal(amount)
        clocks = [dict(zip(("kind", "amount", "starts", "ends"), (k, Decimal(a), s, e)))
                  for k, a, s, e in self.connection.execute(
                      "SELECT kind, amount, starts, ends FROM clock WHERE taxpayer_id = ? AND tax_year = ? "
                      "ORDER BY starts, kind", (taxpayer, year))]
        state = {kind: Decimal(amount) for kind, amount in self.connection.execute(
            "SELECT kind, amount FROM year_state WHERE taxpayer_id = ? AND tax_year = ?", (taxpayer, year))}
        return {"tax_year": year, "forms": forms, "entries": entries, "clocks": clocks, "state": state}

    def carried(self, taxpayer: str, year: int) -> Carried:
        """Everything remembered from the years before `year`."""
        def sums(kind: str) -> Decimal:
            return sum((Decimal(a) for (a,) in self.connection.execute(
                "SELECT amount FROM entry WHERE taxpayer_id = ? AND tax_year < ? AND kind = ?",
                (taxpayer, year, kind))), ZERO)

        by_year: dict[int, Decimal] = {}
        for tax_year, amount in self.connection.execute(
                "SELECT tax_year, amount FROM entry WHERE taxpayer_id = ? AND tax_year < ? AND kind = ?",
                (taxpayer, year, "roth_ira_conversion_basis")):
            by_year[tax_year] = by_year.get(tax_year, ZERO) + Decimal(amount)
        previous = self.connection.execute(
            "SELECT amount FROM year_state WHERE taxpayer_id = ? AND tax_year = ? AND kind = 'plan_after_tax_basis'",
            (taxpayer, year - 1)).fetchone()
        clocks = [dict(zip(("tax_year", "kind", "amount", "starts", "ends"), (y, k, Decimal(a), s, e)))
                  for y, k, a, s, e in self.connection.execute(
                      "SELECT tax_year, kind, amount, starts, ends FROM clock WHERE taxpayer_id = ? AND tax_year < ? "
                      "AND ends >= ? ORDER BY starts", (taxpayer, year, f"{year}-01-01"))]
        return Carried(
            tax_year=year, traditional_ira_basis=sums("traditional_ira_basis"),
            roth_ira_contribution_basis=sums("roth_ira_contribution_basis"),
            roth_ira_conversion_basis=dict(sorted(by_year.items())),
            plan_after_tax_basis=Decimal(previous[0]) if previous else ZERO,
            open_clocks=clocks, years=[y for y in self.years(taxpayer) if y < year])
