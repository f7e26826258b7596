"""The OCR engine's answers remembered for the length of one test run.

Why: the scan tests are most of the suite's time, and a quarter of the engine's work in a run was
the same image read with the same options again (one rendered form read by the tests of the
terminal, the page, the batch with one worker and with two). Tesseract's answer is a function of
its input and options (megaroth runs it with one thread), so a second identical call can be
answered from the first without changing what any test sees.

How: a small shell script named `tesseract` is put first on PATH for the run. Called on an image
("tesseract stdin stdout …") or on a list of image files ("tesseract images.txt stdout …", the
two ways megaroth calls it) it hashes the options and the images;
a hash seen before is answered from the file the first call left, anything else runs the real
engine and keeps its answer when it succeeded. Every other call (`--version`, `--list-langs`) goes
straight to the real engine. Being on PATH, it serves the test processes, megaroth run as a
command by the tests, and the batch's worker processes alike; the answers are shared by pytest-xdist's
workers through one folder. Only answers are remembered: the product's code, its time budget and
its checks run as always. MEGAROTH_TEST_OCR_MEMO=0 turns it off (to time the real engine).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

ENV_DIR = "MEGAROTH_TEST_OCR_MEMO_DIR"
ENV_SWITCH = "MEGAROTH_TEST_OCR_MEMO"

_SCRIPT = """#!/bin/sh
# megaroth's tests: the OCR engine's answers remembered for one run (tests/ocr_memo.py says why).
real='{real}'
memo='{memo}'
case "$1" in
stdin)  # one image on stdin
    image=$(mktemp "$memo/in.XXXXXX") || exec "$real" "$@"
    cat > "$image"
    key=$({{ printf '%s\\n' "$@" "OMP_THREAD_LIMIT=$OMP_THREAD_LIMIT"; cat "$image"; }} | sha256sum | cut -c1-64)
    ;;
*.txt)  # a list of image files (scan_image.ocr_many): the key is the images, not their names
    image=''
    list=$1
    shift
    key=$({{ printf '%s\\n' list "$@" "OMP_THREAD_LIMIT=$OMP_THREAD_LIMIT"
             while IFS= read -r name; do cat "$name"; done < "$list"; }} | sha256sum | cut -c1-64)
    set -- "$list" "$@"
    ;;
*)
    exec "$real" "$@"
    ;;
esac
if [ -f "$memo/$key" ]; then
    [ -z "$image" ] || rm -f "$image"
    cat "$memo/$key"
    exit 0
fi
out=$(mktemp "$memo/out.XXXXXX")
if [ -n "$image" ]; then "$real" "$@" < "$image" > "$out"; else "$real" "$@" > "$out"; fi
code=$?
[ -z "$image" ] || rm -f "$image"
cat "$out"
if [ $code -eq 0 ]; then mv -f "$out" "$memo/$key"; else rm -f "$out"; fi
exit $code
"""


def install() -> Path | None:
    """Put the remembering `tesseract` first on PATH (os.environ, inherited by every process the
    run starts); the folder to remove at the end when this process made it, else None."""
    if os.environ.get(ENV_SWITCH) == "0" or os.name != "posix":
        return None
    shared = os.environ.get(ENV_DIR)
    if shared and Path(shared, "bin", "tesseract").exists():
        return None  # a pytest-xdist worker: the controller made it, and PATH already has it
    real = shutil.which("tesseract")
    if real is None or shutil.which("sha256sum") is None:
        return None
    top = Path(tempfile.mkdtemp(prefix="megaroth-ocr-memo-"))
    (top / "bin").mkdir()
    (top / "answers").mkdir()
    script = top / "bin" / "tesseract"
    script.write_text(_SCRIPT.format(real=real, memo=top / "answers"))
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.environ[ENV_DIR] = str(top)
    os.environ["PATH"] = f"{top / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return top


def remove(top: Path | None) -> None:
    if top is not None:
        shutil.rmtree(top, ignore_errors=True)
