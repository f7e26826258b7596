"""Bookkeeping that grows with a batch, kept on disk instead of in memory.

A batch of 100,000 rows must run in the memory of a batch of 1,000 (README, "Performance"):
what it has to remember per taxpayer — which row closes each taxpayer's group, which output
names are taken — lives in a private temporary SQLite file (deleted when closed, its page
cache bounded), not in Python dicts. What is written there is never a user's data: a taxpayer
key (which may hold a TIN) or a name is kept only as a keyed hash, under a key made for this
run and never written anywhere.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterable

_RUN_KEY = secrets.token_bytes(32)


def _digest(text: str) -> bytes:
    """A keyed 128-bit hash of `text` (two texts sharing one by chance: 1 in 2**64 after 2**32 texts)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=_RUN_KEY, digest_size=16).digest()


CACHE_KIB = 256
"""SQLite's page cache for one of these files; pages beyond it are written to the file."""


def _connect() -> sqlite3.Connection:
    # "" is SQLite's private temporary database on disk, removed when the connection closes.
    connection = sqlite3.connect("", isolation_level=None)
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


class LastRows:
    """Which rows are the last of their key, from (key, row) pairs read once. (Two keys sharing a
    hash would make only the later one's last row count: the reader then emits the earlier
    taxpayer at the end, which loses nothing.)

    Args:
        pairs: every row's key and number, in any order (each row number once).
    """

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        connection = _connect()
        try:
            connection.execute("CREATE TABLE seen (key BLOB NOT NULL, row INTEGER NOT NULL)")
            connection.execute("BEGIN")
            connection.executemany("INSERT INTO seen VALUES (?, ?)", ((_digest(key), row) for key, row in pairs))
            connection.execute("COMMIT")
            (highest,) = connection.execute("SELECT max(row) FROM seen").fetchone()
            self._last = bytearray(((highest or 0) >> 3) + 1)
            """One bit per row number: set for the last row of its key."""
            self.keys = 0
            """How many distinct keys the pairs hold."""
            for (row,) in connection.execute("SELECT max(row) FROM seen GROUP BY key"):
                self.keys += 1
                self._last[row >> 3] |= 1 << (row & 7)
        finally:
            connection.close()

    def __contains__(self, row: int) -> bool:
        byte = row >> 3
        return byte < len(self._last) and bool(self._last[byte] & (1 << (row & 7)))


class NameSet:
    """A set of strings (`in`, `add`) kept in a temporary file; `close` removes it."""

    def __init__(self) -> None:
        self._connection = _connect()
        self._connection.execute("CREATE TABLE names (name BLOB PRIMARY KEY) WITHOUT ROWID")
        # One transaction for the file's whole life (it is thrown away): no commit per name.
        self._connection.execute("BEGIN")

    def __contains__(self, name: str) -> bool:
        return self._connection.execute("SELECT 1 FROM names WHERE name = ?", (_digest(name),)).fetchone() is not None

    def add(self, name: str) -> None:
        self._connection.execute("INSERT OR IGNORE INTO names VALUES (?)", (_digest(name),))

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "NameSet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
