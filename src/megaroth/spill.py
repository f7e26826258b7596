"""Bookkeeping that grows with a batch, kept on disk instead of in memory.

A batch of 100,000 rows must run in the memory of a batch of 1,000 (README, "Performance"):
what it has to remember per taxpayer — which row closes each taxpayer's group, which output
names are taken — lives in a private temporary SQLite file (deleted when closed, its page
cache bounded), not in Python dicts. Nothing here is a user's data kept after the run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

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
    """Which rows are the last of their key, from (key, row) pairs read once.

    Args:
        pairs: every row's key and number, in any order (each row number once).
    """

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        connection = _connect()
        try:
            connection.execute("CREATE TABLE seen (key TEXT NOT NULL, row INTEGER NOT NULL)")
            connection.execute("BEGIN")
            connection.executemany("INSERT INTO seen VALUES (?, ?)", pairs)
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
        self._connection.execute("CREATE TABLE names (name TEXT PRIMARY KEY) WITHOUT ROWID")
        # One transaction for the file's whole life (it is thrown away): no commit per name.
        self._connection.execute("BEGIN")

    def __contains__(self, name: str) -> bool:
        return self._connection.execute("SELECT 1 FROM names WHERE name = ?", (name,)).fetchone() is not None

    def add(self, name: str) -> None:
        self._connection.execute("INSERT OR IGNORE INTO names VALUES (?)", (name,))

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "NameSet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
