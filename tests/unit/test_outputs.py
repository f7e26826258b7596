"""Atomic output files (megaroth/outputs.py): all of a file under its final name, or the target
as it was, and no temporary file left by a failed write."""

from __future__ import annotations

import os

import pytest

from megaroth import outputs
from megaroth.errors import InputError


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(outputs.TEMP_SUFFIX))


def test_a_file_is_written_whole_and_replaces_the_old_one(tmp_path):
    target = tmp_path / "w.md"
    target.write_text("old")
    outputs.write_atomic(target, "new — ünïcode\r\nline\n", durable=True)
    assert target.read_bytes() == "new — ünïcode\r\nline\n".encode()  # newlines as given, UTF-8
    outputs.write_atomic_bytes(target, b"%PDF-1.7", durable=False)
    assert target.read_bytes() == b"%PDF-1.7"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600), "private to the user, as mkstemp made them"
    assert not _leftovers(tmp_path)


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_target_as_it_was(tmp_path, monkeypatch, failure):
    target = tmp_path / "w.md"
    target.write_text("old")

    def broken(descriptor, data):
        raise failure

    monkeypatch.setattr(outputs.os, "write", broken)
    if isinstance(failure, OSError):
        with pytest.raises(InputError, match="cannot be written .No space left on device.") as caught:
            outputs.write_atomic(target, "new")
        assert caught.value.source.file == str(target)
    else:
        with pytest.raises(KeyboardInterrupt):
            outputs.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert not _leftovers(tmp_path)


def test_temporary_names_are_unique_and_name_their_writer(tmp_path):
    names = set()
    for _ in range(50):
        descriptor, path = outputs._create_temporary(tmp_path, "w.md")
        os.close(descriptor)
        names.add(path)
    assert len(names) == 50
    name = os.path.basename(next(iter(names)))
    assert name.startswith(f".w.md.{os.getpid()}.") and outputs._writer_alive(name)
    outputs.prepare_out_dir(tmp_path)
    assert len(_leftovers(tmp_path)) == 50, "a live writer's temporary files are kept"


def test_a_batch_worksheet_goes_through_a_temporary_file(tmp_path):
    temporary = outputs.write_temporary(tmp_path, "text\n")
    assert os.path.basename(temporary).startswith(f".worksheet.{os.getpid()}.")
    outputs.place_temporary(temporary, tmp_path / "C-1-2025.md")
    assert (tmp_path / "C-1-2025.md").read_text() == "text\n" and not _leftovers(tmp_path)
