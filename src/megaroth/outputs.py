"""Writing output files: atomically, to paths checked first, in the format the name asks for.

A crash or Ctrl-C never leaves half a worksheet under its final name: text is written to a
temporary file in the same folder and renamed into place. Temporary files are named
`.<target>.<pid>.<random>.megaroth-tmp`, so that a later run can recognise the ones a killed run
left behind (its process is gone) and remove them.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from megaroth.errors import InputError, UsageError
from megaroth.provenance import Source

TEMP_SUFFIX = ".megaroth-tmp"

EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".pdf": "pdf"}
"""Output formats a file name implies."""


def output_format(path: Path | None, requested: str | None, default: str = "md") -> str:
    """The format to write: the one asked for, else the one the file name implies, else `default`.

    Raises:
        UsageError: when the format asked for contradicts the file name (`-o x.md --format html`).
    """
    implied = EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    if requested and implied and requested != implied:
        raise UsageError(f"-o {path} names a {implied} file but the format asked for is {requested}; "
                         f"drop --format, or name the file {path.with_suffix('.' + requested)}")
    return requested or implied or default


def check_output(path: Path) -> None:
    """Refuse an output path that cannot be written before any work is done.

    Raises:
        UsageError: for a folder, or a file in a folder that does not exist.
    """
    if path.is_dir():
        raise UsageError(f"-o {path} is a folder; give a file name (for one file per taxpayer, use --out-dir)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"-o {path}: the folder {parent} does not exist")


def check_out_dir(path: Path) -> None:
    """Refuse an --out-dir that is a file (a missing folder is created).

    Raises:
        UsageError: for an existing file.
    """
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out-dir {path} is a file, not a folder")


def prepare_out_dir(path: Path) -> None:
    """Create the folder and remove the temporary files that killed runs left in it."""
    check_out_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"the folder cannot be created ({exc.strerror})", Source(file=str(path))) from None
    for stale in path.glob(f".*{TEMP_SUFFIX}"):
        if not _writer_alive(stale.name):
            try:
                stale.unlink()
            except OSError:
                pass


def _writer_alive(name: str) -> bool:
    """Whether the process that made this temporary file still runs (then it is not stale)."""
    parts = name[: -len(TEMP_SUFFIX)].rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


_RUN = os.urandom(4).hex()
"""This run's part of its temporary names (os.urandom: `secrets` would add its imports to every start)."""
_NUMBERS = itertools.count()


def _create_temporary(directory: str | Path, target: str) -> tuple[int, str]:
    """A new temporary file for `target` in `directory`, open for writing: (descriptor, path).

    Named `.<target>.<pid>.<run><n>.megaroth-tmp`: the process id tells a later run whether the
    writer is gone (`prepare_out_dir`), the run's random part and a counter make it unique, and
    O_EXCL makes sure it is new. What tempfile.mkstemp does, at half the cost per file, which
    counts in a batch of thousands of worksheets. Private to the user (0600), as mkstemp's are."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = os.path.join(directory, f".{target}.{os.getpid()}.{_RUN}{next(_NUMBERS)}{TEMP_SUFFIX}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue  # left by an earlier process that had this pid: take the next number
    raise FileExistsError(f"no free temporary name in {directory}")


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


class AtomicFile:
    """A text file written through a temporary file in the same directory and renamed into place
    on success; on an exception (or Ctrl-C) the temporary file is removed and the target is left
    as it was.

    Args:
        durable: fsync before the rename. A batch pays for durability once, at the end
            (`sync_directory`), not once per file.
    """

    def __init__(self, path: str | Path, *, durable: bool = True) -> None:
        self.target = Path(path)
        self.durable = durable
        self.handle = None
        self.temporary: str | None = None

    def __enter__(self):
        directory = self.target.parent if str(self.target.parent) else Path(".")
        try:
            descriptor, self.temporary = _create_temporary(directory, self.target.name)
        except OSError as exc:
            raise InputError(f"cannot be written ({exc.strerror})", Source(file=str(self.target))) from None
        self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self.handle.flush()
                if self.durable:
                    os.fsync(self.handle.fileno())
        finally:
            self.handle.close()
        if kind is None:
            try:
                os.replace(self.temporary, self.target)
                return
            except OSError as exc:
                kind = InputError(f"cannot be written ({exc.strerror})", Source(file=str(self.target)))
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass
        if isinstance(kind, InputError):
            raise kind


def write_atomic(path: str | Path, text: str, *, durable: bool = True) -> None:
    """Write `text` to `path` atomically (UTF-8, newlines as given)."""
    write_atomic_bytes(path, text.encode("utf-8"), durable=durable)


def write_atomic_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` atomically: all of it under the final name, or the target as it was."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    place_temporary(_write_new(directory, target.name, data, durable=durable, named=str(target)), target)


def _write_new(directory: str | Path, target: str, data: bytes, *, durable: bool, named: str) -> str:
    """`data` in a new temporary file for `target` (see `_create_temporary`), its path returned;
    on any failure (a full disk, Ctrl-C) the temporary file is removed, and an OSError is an
    InputError naming `named`."""
    try:
        descriptor, temporary = _create_temporary(directory, target)
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror})", Source(file=named)) from None
    try:
        try:
            _write_all(descriptor, data)
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot be written ({exc.strerror})", Source(file=named)) from None
        raise
    return temporary


def sync_directory(path: Path) -> None:
    """Make the renames into a folder durable (one fsync for a whole batch)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_temporary(directory: str | Path, text: str) -> str:
    """Write `text` to a new temporary file in `directory` (named as `AtomicFile` names them, so a
    later run removes it if this one is killed) and return its path, for `place_temporary`: a
    batch's worker writes a worksheet before the batch has named it."""
    return _write_new(directory, "worksheet", text.encode("utf-8"), durable=False, named=str(directory))


def place_temporary(temporary: str, path: str | Path) -> None:
    """Rename a file `write_temporary` wrote into place (not durable until `sync_directory`)."""
    try:
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise InputError(f"cannot be written ({exc.strerror})", Source(file=str(path))) from None
