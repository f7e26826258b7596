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
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from megaroth.errors import InputError
from megaroth.identity import Identity, TinKey, conflict, identity_of, legacy_keys, masked_legacy_keys
from megaroth.model.case import Case
from megaroth.model.tax_return import LedgerFacts, Person, Role, RothLayer
from megaroth.model.form1099r import Destination, Form1099R
from megaroth.model.results import Analysis, TimingResult
from megaroth.money import ZERO, total
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
    "traditional_ira_basis": "After-tax money rolled from a plan into a traditional IRA (adds to Form 8606 line 2)",
    "roth_ira_contribution_basis": "Roth IRA basis in contributions (Form 8606 line 22), from designated Roth money",
    "roth_ira_conversion_basis": "Roth IRA basis in rollovers from plans and conversions (Form 8606 line 24)",
    "irr_taxable": "Taxable amount of in-plan Roth rollovers (5-year recapture clock)",
}


YEAR_STATE_KINDS = ("excess_traditional", "excess_roth", "last_ira_rollover_date")


def _last_rollover_date(analysis: Analysis, role: str, forms: dict[str, Form1099R]) -> date | None:
    """The latest distribution date of the person's allowed 60-day IRA-to-IRA rollovers of the year."""
    same = {"ira": Destination.traditional_ira, "roth_ira": Destination.roth_ira}
    days = []
    for result in analysis.forms:
        form = forms.get(result.form_id)
        if (form is None or result.owner != role or result.status != "computed" or result.account not in same
                or any(d.reason == "second_rollover" for d in result.excess_deposits)):
            continue
        day = form.box_13 or form.distribution_date
        if day and any(d.to is same[result.account] and (d.within_60_days or d.late_rollover_waiver)
                       for d in form.disposition or []):
            days.append(day)
    return max(days, default=None)


def entry_title(kind: str) -> str:
    """What an entry kind means, for `ledger show`."""
    base, _, layer = kind.partition("@")
    titles = {
        "roth_layer_taxable": "Roth IRA basis from conversions and plan rollovers of {0}: the part taxed when it went in",
        "roth_layer_nontaxable": "Roth IRA basis from conversions and plan rollovers of {0}: the part not taxed",
        "roth_used_taxable": "Roth IRA distributions out of the {0} conversions' taxed part",
        "roth_used_nontaxable": "Roth IRA distributions out of the {0} conversions' untaxed part",
        "roth_used_contribution": "Roth IRA distributions out of regular contributions (line 22)",
        "roth_known": "The opening Roth IRA basis was given (the ledger's Roth basis is complete)",
        "plan_after_tax_basis": "After-tax basis still in the plan",
        "excess_traditional": "Excess contributions left in traditional IRAs (Form 5329 line 16; next year's line 9)",
        "excess_roth": "Excess contributions left in Roth IRAs (Form 5329 line 24; next year's line 18)",
        "traditional_ira_basis_line_14": "Traditional IRA basis (Form 8606 line 14; next year's line 2)",
        "irr_recapture": "in-plan Roth rollover",
        "roth_ira_recapture": "Roth IRA conversion or rollover",
        "roth_ira_first_contribution": "first Roth IRA contribution",
    }
    return ENTRY_KINDS.get(kind) or titles.get(base, kind).format(layer)


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
    traditional_known: bool = False
    """The ledger holds a traditional IRA basis for the person (an entry of it, even 0)."""
    roth_layers: list[RothLayer] | None = None
    """What is left of each year's conversions and plan rollovers (line 24 basis)."""
    roth_contribution_left: Decimal | None = None
    """Line 22 basis left after the distributions the ledger saw."""
    roth_known: bool = False
    """A case once gave the person's opening Roth basis: the ledger's Roth basis is complete."""
    first_roth_year: int | None = None
    prior_excess_traditional: Decimal | None = None
    """Last year's Form 5329 line 16 carried (its line 17 was more than 0): this year's line 9."""
    prior_excess_roth: Decimal | None = None
    """Last year's Form 5329 line 24 carried: this year's line 18."""
    last_ira_rollover_date: date | str | None = None
    """When last year's last allowed 60-day IRA-to-IRA rollover's distribution was received ("none": last year
    had none; None: the ledger does not hold last year)."""

    @property
    def traditional_basis(self) -> Decimal | None:
        return self.traditional_ira_basis if self.traditional_known else None

    @property
    def roth_contribution_basis(self) -> Decimal | None:
        return self.roth_contribution_left if self.roth_known else None

    def facts(self) -> LedgerFacts:
        """What the rules take from the ledger for this person."""
        return LedgerFacts(traditional_basis=self.traditional_basis,
                           roth_contribution_basis=self.roth_contribution_basis,
                           roth_layers=self.roth_layers if self.roth_known else None,
                           first_roth_year=self.first_roth_year,
                           prior_excess_traditional=self.prior_excess_traditional,
                           prior_excess_roth=self.prior_excess_roth,
                           last_ira_rollover_date=self.last_ira_rollover_date)


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

    def identity(self, case: Case, taxpayer_id: str | None = None, *, role: Role = "taxpayer") -> Identity:
        """A person of the case in this ledger (`taxpayer_id`, from --taxpayer, first, for the taxpayer).

        Raises:
            InputError: when nothing identifies the person (see `megaroth.identity`).
        """
        person = case.person(role) or Person()
        try:
            return identity_of(taxpayer_id or person.id, person.tin, self.tin_key)
        except InputError as exc:
            if role == "spouse":
                raise InputError("the spouse: " + exc.message.replace("taxpayer.id", "spouse.id")
                                 .replace("--taxpayer option", "spouse.id in the case"), Source(field="spouse.id")) from None
            raise

    def person(self, key: str) -> dict | None:
        """What the ledger knows of a taxpayer: name, birth date, how the key was made."""
        row = self.connection.execute("SELECT id, name, birth_date, kind FROM taxpayer WHERE id = ?", (key,)).fetchone()
        return dict(zip(("taxpayer", "name", "birth_date", "kind"), row)) if row else None

    def check_person(self, key: str, case: Case, *, same_person: bool = False, role: Role = "taxpayer") -> None:
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
        person = case.person(role) or Person()
        difference = conflict(known["name"], known["birth_date"], person.name, person.birth_date)
        if difference:
            raise InputError(f"taxpayer {key} in the ledger does not look like the person in this case ({difference}). "
                             "If it is another person, give this case its own taxpayer.id (or --taxpayer); if it is "
                             "the same person, pass --same-person", Source(field="taxpayer"))

    def _claim(self, db, identity: Identity, case: Case, same_person: bool, role: Role = "taxpayer") -> None:
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
        self.check_person(identity.key, case, same_person=same_person, role=role)
        person = case.person(role) or Person()
        birth = person.birth_date.isoformat() if person.birth_date else None
        if same_person:
            db.execute("UPDATE taxpayer SET name = COALESCE(?, name), birth_date = COALESCE(?, birth_date) "
                       "WHERE id = ?", (person.name, birth, identity.key))
        db.execute("INSERT INTO taxpayer (id, name, birth_date, kind) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                   "SET name = COALESCE(taxpayer.name, excluded.name), "
                   "birth_date = COALESCE(taxpayer.birth_date, excluded.birth_date)",
                   (identity.key, person.name, birth, identity.kind))

    # ------------------------------------------------------------------ writing
    def add(self, case: Case, analysis: Analysis, timing: TimingResult | None = None,
            on_row: Callable[[int], None] | None = None, *, identity: Identity | None = None,
            identities: dict[str, Identity] | None = None, same_person: bool = False) -> int:
        """Store a case's analyzed forms, their basis and clocks, in one transaction; on a joint
        return each spouse's under their own key.

        Args:
            on_row: called after each row is written (tests use it to crash mid-import).
            identity: the taxpayer's identity (default: from the case).
            identities: each person's identity by role (the spouse's too on a joint return).
            same_person: the user says the person under the key is this case's, despite another
                name or birth date.

        Returns:
            The number of forms stored.

        Raises:
            InputError: when a person cannot be identified, or differs from the one under the key.
        """
        identities = dict(identities or {})
        identities.setdefault("taxpayer", identity or self.identity(case))
        year = case.tax_year
        forms = {f.id: f for f in case.forms_1099r}
        people = {p.role: p for p in analysis.people}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        written = 0
        with self._transaction() as db:
            for role, who in identities.items():
                self._claim(db, who, case, same_person, role)
                before = self.carried(who.key, year)
                slot_key = db.execute("SELECT COALESCE(slot_key, id) FROM taxpayer WHERE id = ?",
                                      (who.key,)).fetchone()[0]
                for result in analysis.forms:
                    if result.status != "computed" or result.owner != role:
                        continue
                    self._add_form(db, who.key, slot_key, year, forms[result.form_id], result, now)
                    written += 1
                    if on_row:
                        on_row(written)
                if role in people:
                    self._add_person(db, who.key, year, case.person(role), people[role], analysis, before)
                    self._add_year_state(db, who.key, year, people[role], analysis, forms)
            if timing is not None:
                db.execute("INSERT INTO year_state VALUES (?, ?, ?, ?) ON CONFLICT(taxpayer_id, tax_year, kind) "
                           "DO UPDATE SET amount = excluded.amount",
                           (identities["taxpayer"].key, year, "plan_after_tax_basis", str(timing.unconverted_basis)))
        return written

    def _add_form(self, db, taxpayer: str, slot_key: str, year: int, form: Form1099R, result, now: str) -> None:
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
             None if result.taxable is None else str(result.taxable), result.treatment, int(form.corrected), now))
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

    def _add_person(self, db, taxpayer: str, year: int, person: Person, result, analysis: Analysis,
                    before: Carried) -> None:
        """A person's Form 8606 outcome: the traditional basis at year end (as a change from what the
        ledger held), the Roth IRA basis the year added and used, and the opening balances the case
        gave where the ledger held none. Every entry of the year is replaced, so adding a case again
        changes nothing."""
        identity = f"person-{year}"
        db.execute("DELETE FROM entry WHERE taxpayer_id = ? AND identity IN (?, ?)",
                   (taxpayer, identity, f"opening-{year}"))
        entries: dict[str, Decimal] = {}
        opening: dict[str, Decimal] = {}
        facts = person.facts if person else None
        plan_added = total(r.ira_basis_added for r in analysis.forms
                           if r.owner == result.role and r.status == "computed")
        basis_next = result.form_8606.traditional_basis_next_year
        given = result.traditional_basis_given
        if given is not None and given != before.traditional_ira_basis:
            # The case gave the basis the ledger lacked (a contradiction is refused before analysis).
            opening["traditional_ira_basis"] = given - before.traditional_ira_basis
        if basis_next is not None:
            entries["traditional_ira_basis"] = basis_next - (given or ZERO) - plan_added
        roth = result.roth
        if roth is not None:
            if facts is not None and facts.roth_contributions:
                entries["roth_ira_contribution_basis"] = facts.roth_contributions
            if roth.added_layer is not None:
                entries[f"roth_layer_taxable@{year}"] = roth.added_layer.taxable
                entries[f"roth_layer_nontaxable@{year}"] = roth.added_layer.nontaxable
            if roth.used_contribution:
                entries["roth_used_contribution"] = roth.used_contribution
            for used in roth.used_layers:
                entries[f"roth_used_taxable@{used.year}"] = used.taxable
                entries[f"roth_used_nontaxable@{used.year}"] = used.nontaxable
            if roth.known and facts is not None and (facts.roth_contribution_basis is not None
                                                     or facts.roth_conversions is not None):
                # The case gave the opening Roth basis: what the ledger lacked becomes its own.
                opening["roth_known"] = ZERO
                if facts.roth_contribution_basis is not None:
                    opening["roth_ira_contribution_basis"] = (facts.roth_contribution_basis
                                                              - (before.roth_contribution_basis or ZERO))
                held = {layer.year: layer for layer in before.roth_layers or []}
                for layer in facts.roth_conversions or []:
                    was = held.get(layer.year)
                    opening[f"roth_layer_taxable@{layer.year}"] = layer.taxable - (was.taxable if was else ZERO)
                    opening[f"roth_layer_nontaxable@{layer.year}"] = layer.nontaxable - (was.nontaxable if was else ZERO)
        for name, values in ((identity, entries), (f"opening-{year}", opening)):
            for kind, amount in values.items():
                if amount or kind == "roth_known":
                    db.execute("INSERT INTO entry VALUES (?, ?, ?, ?, ?)", (taxpayer, year, name, kind, str(amount)))

    def _add_year_state(self, db, taxpayer: str, year: int, result, analysis: Analysis,
                        forms: dict[str, Form1099R]) -> None:
        """What next year's Form 5329 and one-rollover rule start from: the excess contributions left in the
        IRAs (line 16 / 24, kept only when the 6% was due, i5329 lines 9 and 18) and the date the year's last
        allowed 60-day IRA-to-IRA rollover's distribution was received (an ISO date in the amount column)."""
        db.execute("DELETE FROM year_state WHERE taxpayer_id = ? AND tax_year = ? AND kind IN (?, ?, ?)",
                   (taxpayer, year, *YEAR_STATE_KINDS))
        rows = {f"excess_{'traditional' if p.kind == 'traditional_ira' else 'roth'}": str(p.carried)
                for p in result.excess_contributions if p.carried}
        # A date of the year before is the only one that can fall within 12 months of a distribution of the
        # next year: "none" says the year had no allowed IRA-to-IRA rollover, so next year need not ask.
        day = _last_rollover_date(analysis, result.role, forms)
        rows["last_ira_rollover_date"] = day.isoformat() if day is not None else "none"
        for kind, value in rows.items():
            db.execute("INSERT INTO year_state VALUES (?, ?, ?, ?)", (taxpayer, year, kind, value))

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
        traditional = False
        for identity, kind, amount in self.connection.execute(
                "SELECT identity, kind, amount FROM entry WHERE taxpayer_id = ? AND tax_year = ?", (taxpayer, year)):
            if kind == "traditional_ira_basis":
                traditional = True
                if identity.startswith(("person-", "opening-")):
                    # The year's Form 8606 (its change to the basis) and an opening balance the case gave
                    # are not after-tax money rolled in: they are in the year-end basis below.
                    continue
            entries[kind] = entries.get(kind, ZERO) + Decimal(amount)
        clocks = [dict(zip(("kind", "amount", "starts", "ends"), (k, Decimal(a), s, e)))
                  for k, a, s, e in self.connection.execute(
                      "SELECT kind, amount, starts, ends FROM clock WHERE taxpayer_id = ? AND tax_year = ? "
                      "ORDER BY starts, kind", (taxpayer, year))]
        state = {kind: Decimal(amount) for kind, amount in self.connection.execute(
            "SELECT kind, amount FROM year_state WHERE taxpayer_id = ? AND tax_year = ? AND kind != ?",
            (taxpayer, year, "last_ira_rollover_date"))}
        if traditional:
            # What the year leaves: line 14 of its Form 8606 (after a pro-rata conversion, the basis
            # it did not use), the line 2 the next year starts from (`carried`).
            state["traditional_ira_basis_line_14"] = self.carried(taxpayer, year + 1).traditional_ira_basis
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
        rows = list(self.connection.execute(
            "SELECT tax_year, kind, amount FROM entry WHERE taxpayer_id = ? AND tax_year < ?", (taxpayer, year)))
        kinds = {kind for _, kind, _ in rows}
        layers: dict[int, list[Decimal]] = {}
        explicit = {int(kind.split("@")[1]) for _, kind, _ in rows if kind.startswith("roth_layer_")}
        for tax_year, kind, amount in rows:
            value = Decimal(amount)
            if kind.startswith(("roth_layer_", "roth_used_")) and "@" in kind:
                layer_year = int(kind.split("@")[1])
                slot = layers.setdefault(layer_year, [ZERO, ZERO])
                index = 0 if "taxable@" in kind and "nontaxable@" not in kind else 1
                slot[index] += -value if kind.startswith("roth_used_") else value
        # Ledgers written before Form 8606 was computed kept plan rollovers to Roth IRAs as one
        # amount per year and its taxable part as a clock: the layer is the same money.
        for y, total_in in by_year.items():
            if y not in explicit:
                taxable_in = sum((c["amount"] for c in self._clocks(taxpayer, y, "roth_ira_recapture")), ZERO)
                slot = layers.setdefault(y, [ZERO, ZERO])
                slot[0] += taxable_in
                slot[1] += total_in - taxable_in
        roth_years = sorted(layers) + sorted({y for y, k, _ in rows if k == "roth_ira_contribution_basis"})
        state = {kind: value for kind, value in self.connection.execute(
            "SELECT kind, amount FROM year_state WHERE taxpayer_id = ? AND tax_year = ? AND kind IN (?, ?)",
            (taxpayer, year - 1, "excess_traditional", "excess_roth"))}
        last = self.connection.execute(
            "SELECT amount FROM year_state WHERE taxpayer_id = ? AND tax_year = ? AND kind = ?",
            (taxpayer, year - 1, "last_ira_rollover_date")).fetchone()
        return Carried(
            tax_year=year, traditional_ira_basis=sums("traditional_ira_basis"),
            roth_ira_contribution_basis=sums("roth_ira_contribution_basis"),
            roth_ira_conversion_basis=dict(sorted(by_year.items())),
            plan_after_tax_basis=Decimal(previous[0]) if previous else ZERO,
            open_clocks=clocks, years=[y for y in self.years(taxpayer) if y < year],
            traditional_known="traditional_ira_basis" in kinds,
            roth_layers=[RothLayer(year=y, taxable=max(ZERO, t), nontaxable=max(ZERO, n))
                         for y, (t, n) in sorted(layers.items()) if t > ZERO or n > ZERO],
            roth_contribution_left=max(ZERO, sums("roth_ira_contribution_basis") - sums("roth_used_contribution")),
            roth_known="roth_known" in kinds, first_roth_year=min(roth_years) if roth_years else None,
            prior_excess_traditional=Decimal(state["excess_traditional"]) if "excess_traditional" in state else None,
            prior_excess_roth=Decimal(state["excess_roth"]) if "excess_roth" in state else None,
            last_ira_rollover_date=None if last is None else "none" if last[0] == "none" else date.fromisoformat(
                last[0]))

    def _clocks(self, taxpayer: str, year: int, kind: str) -> list[dict]:
        return [{"amount": Decimal(a)} for (a,) in self.connection.execute(
            "SELECT amount FROM clock WHERE taxpayer_id = ? AND tax_year = ? AND kind = ?", (taxpayer, year, kind))]
