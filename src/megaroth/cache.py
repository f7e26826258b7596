"""A per-user cache of work megaroth would otherwise redo on every start: the parsed TOML of
`forms/` and the compiled worksheet templates. It holds only megaroth's own shipped knowledge,
never a user's data, and is keyed by megaroth's version and each file's size and time, so a
changed file is read again. Everything here is best effort: a cache that cannot be read or
written is skipped. MEGAROTH_CACHE=0 turns it off; MEGAROTH_CACHE_DIR moves it (default
$XDG_CACHE_HOME/megaroth, else ~/.cache/megaroth).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import cache
from pathlib import Path
from typing import Any, Callable

from megaroth import __version__


@cache
def cache_dir() -> Path | None:
    """This version's cache folder, made if need be; None when caching is off or impossible."""
    if os.environ.get("MEGAROTH_CACHE", "1") == "0":
        return None
    base = os.environ.get("MEGAROTH_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "megaroth") if xdg else str(Path.home() / ".cache" / "megaroth")
    folder = Path(base) / __version__
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def cached_parse(path: Any, parse: Callable[[str], Any]) -> Any:
    """`parse(text of path)`, kept in the cache by the file's name, size and time."""
    folder = cache_dir()
    try:
        stat = os.stat(str(path))
    except (OSError, TypeError):
        folder = None
    if folder is None:
        return parse(path.read_text(encoding="utf-8"))
    key = hashlib.sha256(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    entry = folder / f"{key}.marshal"
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = parse(path.read_text(encoding="utf-8"))
    try:
        data = marshal.dumps(value)
    except ValueError:
        return value  # a type marshal cannot keep (a TOML date): not cached
    try:
        temp = entry.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, entry)
    except OSError:
        pass
    return value


def template_cache_dir() -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    templates = folder / "templates"
    try:
        templates.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    return str(templates)
