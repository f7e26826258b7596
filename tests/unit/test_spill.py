"""The batch's on-disk bookkeeping: last rows of each key, the names taken, never in clear."""

from __future__ import annotations

from megaroth.spill import LastRows, NameSet


def test_last_rows_of_each_key_in_any_order():
    pairs = [("tin:400001234", 2), ("id:A", 3), ("tin:400001234", 9), ("id:A", 4), ("name:pat", 5000)]
    last = LastRows(iter(pairs))
    assert last.keys == 3
    assert [row for row in range(0, 5002) if row in last] == [4, 9, 5000]
    assert 10**9 not in last and 0 not in last


def test_no_rows():
    last = LastRows(iter(()))
    assert last.keys == 0 and 2 not in last


def test_names_taken_are_kept_as_keyed_hashes_only():
    with NameSet() as names:
        assert "tin-1234-2025" not in names
        names.add("tin-1234-2025")
        names.add("tin-1234-2025")
        assert "tin-1234-2025" in names and "tin-1234-2025-2" not in names
        stored = [value for (value,) in names._connection.execute("SELECT name FROM names")]
    assert len(stored) == 1 and isinstance(stored[0], bytes) and b"1234" not in stored[0] and len(stored[0]) == 16
