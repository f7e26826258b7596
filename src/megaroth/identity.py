"""Who a taxpayer is, for the ledger: the one place that decides two cases are the same person.

The ledger carries basis from year to year, so a wrong identity silently moves one client's
basis onto another's return. The rules, in order:

1. An explicit id (`taxpayer.id` in the case, the CSV client column, `--taxpayer`) is the key.
2. Otherwise a *complete* TIN, as a keyed hash (HMAC-SHA256): the key lives in a file beside the
   ledger (`<ledger>.key`, readable by its owner only), so the database alone does not let anyone
   test guesses of a nine-digit number.
3. A masked or partial TIN ("***-**-1234"), a name, or a file name is never an identity: the
   ledger refuses, and says how to give the id.

A key that already belongs to someone with another name or birth date is refused too, showing
both, unless the user says it is the same person (`--same-person`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from megaroth.errors import InputError
from megaroth.provenance import Source
from megaroth.tin import Tin

HOW_TO_GIVE_AN_ID = (
    "give the taxpayer an id (a client number): \"taxpayer\": {\"id\": \"C-1001\"} in the case file, a "
    "\"Client ID\" column in a CSV, or the --taxpayer option"
)


@dataclass(frozen=True)
class Identity:
    """A taxpayer's key in the ledger and how it was made."""

    key: str
    kind: str
    """"id" (given by the user) or "tin" (keyed hash of a complete TIN)."""
    tin: Tin | None = None
    """The complete TIN it was made from, to find the same person under an older key."""


def identity_of(taxpayer_id: str | None, tin: Tin | None, tin_key: "TinKey") -> Identity:
    """The ledger identity of a taxpayer.

    Raises:
        InputError: when there is neither an id nor a complete TIN, naming how to give the id.
    """
    if taxpayer_id:
        return Identity(key=taxpayer_id, kind="id")
    if tin is not None and tin.is_complete:
        return Identity(key="tin-" + tin_key.digest(tin), kind="tin", tin=tin)
    if tin is not None:
        raise InputError(
            f"the only thing identifying this taxpayer is a masked TIN ({tin.masked()}), which everyone with the "
            f"same last four digits shares; the ledger will not use it. To keep this person apart from others, "
            f"{HOW_TO_GIVE_AN_ID}", Source(field="taxpayer.id"))
    raise InputError(f"the ledger needs to know whose forms these are: {HOW_TO_GIVE_AN_ID}, or give the "
                     "complete TIN as taxpayer.tin", Source(field="taxpayer.id"))


class TinKey:
    """The secret that turns a TIN into a ledger key, kept in a file beside the ledger.

    The ledger stores the key's fingerprint, so a missing or swapped key file is noticed instead
    of silently making new keys for people already in the ledger.
    """

    def __init__(self, ledger_path: Path, fingerprint: str | None) -> None:
        self.path = ledger_path.with_name(ledger_path.name + ".key")
        self.fingerprint = fingerprint
        self._secret: bytes | None = None

    def secret(self) -> bytes:
        if self._secret is not None:
            return self._secret
        if self.path.exists():
            try:
                secret = bytes.fromhex(self.path.read_text(encoding="ascii").strip())
            except (ValueError, OSError, UnicodeDecodeError):
                raise InputError("the ledger's TIN key file is not readable; restore it from a backup",
                                 Source(file=str(self.path))) from None
            if self.fingerprint is not None and _fingerprint(secret) != self.fingerprint:
                raise InputError("this TIN key file is not the one the ledger's TIN keys were made with; restore the "
                                 "right one from a backup", Source(file=str(self.path)))
        elif self.fingerprint is not None:
            raise InputError("the ledger knows taxpayers by keyed TIN hashes, but its key file is missing; restore it "
                             f"from a backup (or identify taxpayers by id: {HOW_TO_GIVE_AN_ID})",
                             Source(file=str(self.path)))
        else:
            secret = secrets.token_bytes(32)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secret.hex() + "\n")
        self._secret = secret
        return secret

    @property
    def new_fingerprint(self) -> str:
        return _fingerprint(self.secret())

    def digest(self, tin: Tin) -> str:
        return hmac.new(self.secret(), tin.digits.encode(), hashlib.sha256).hexdigest()[:32]


def _fingerprint(secret: bytes) -> str:
    return hashlib.sha256(b"megaroth ledger key\x00" + secret).hexdigest()[:16]


# ---------------------------------------------------------------------------- earlier versions
def legacy_keys(tin: Tin) -> set[str]:
    """The keys schema 1 made from this complete TIN (an unkeyed hash of the TIN as written)."""
    digits = tin.digits
    written = {tin.reveal(), digits, f"{digits[:3]}-{digits[3:5]}-{digits[5:]}", f"{digits[:2]}-{digits[2:]}"}
    return {"tin-" + hashlib.sha256(text.encode()).hexdigest()[:16] for text in written}


def masked_legacy_keys() -> set[str]:
    """Every key schema 1 could have made from a masked TIN ("***-**-1234", "XXX-XX-1234"…):
    such a key may hold several clients who share the last four digits."""
    keys = set()
    for mask in ("***-**-", "XXX-XX-", "xxx-xx-", "*****", "XXXXX", "xxxxx", "**-***", "XX-XXX", "xx-xxx"):
        for number in range(10000):
            keys.add("tin-" + hashlib.sha256(f"{mask}{number:04d}".encode()).hexdigest()[:16])
    return keys


# ---------------------------------------------------------------------------- same person?
def _normal(name: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name or "").casefold().split())


def conflict(stored_name: str | None, stored_birth: str | None, name: str | None,
             birth_date: date | None) -> str | None:
    """How a case's person differs from the one already under the key, or None when nothing
    given contradicts (a missing name or birth date contradicts nothing)."""
    differences = []
    if stored_name and name and _normal(stored_name) != _normal(name):
        differences.append(f"the ledger has {stored_name!r}, this case {name!r}")
    if stored_birth and birth_date and stored_birth != birth_date.isoformat():
        differences.append(f"born {stored_birth} in the ledger, {birth_date.isoformat()} in this case")
    return "; ".join(differences) or None
