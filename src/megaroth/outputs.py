"""Writing output files atomically: a crash or Ctrl-C never leaves half a worksheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class AtomicFile:
    """A text file written through a temporary file in the same directory and renamed into place
    on success; on an exception (or Ctrl-C) the temporary file is removed and the target is left
    as it was."""

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)
        self.handle = None
        self.temporary: str | None = None

    def __enter__(self):
        directory = self.target.parent if str(self.target.parent) else Path(".")
        descriptor, self.temporary = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=directory)
        self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
        finally:
            self.handle.close()
        if kind is None:
            os.replace(self.temporary, self.target)
        else:
            try:
                os.unlink(self.temporary)
            except FileNotFoundError:
                pass


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` to `path` atomically."""
    with AtomicFile(path) as handle:
        handle.write(text)
