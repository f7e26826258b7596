"""Helpers the tests share."""

from __future__ import annotations

import json


def strict_json(text: str):
    """Parse JSON refusing duplicate keys (other parsers silently keep only the last one)."""
    def pairs(items):
        keys = [k for k, _ in items]
        assert len(keys) == len(set(keys)), f"duplicate keys: {sorted(keys)}"
        return dict(items)

    return json.loads(text, object_pairs_hook=pairs)


def require_scan() -> None:
    """Skip a scan test module when the OCR engine or the scan extra is missing — except where CI set
    MEGAROTH_REQUIRE_SCAN=1 (.ci/run installs them): there a missing one fails, never skips unseen."""
    import os
    import shutil

    import pytest

    if os.environ.get("MEGAROTH_REQUIRE_SCAN") == "1":
        import PIL  # noqa: F401
        import pypdfium2  # noqa: F401
        assert shutil.which("tesseract"), "MEGAROTH_REQUIRE_SCAN=1 but the OCR engine (tesseract) is not installed"
    pytest.importorskip("PIL")
    pytest.importorskip("pypdfium2")
    if shutil.which("tesseract") is None:
        pytest.skip("the OCR engine (Debian tesseract-ocr, tesseract-ocr-eng) is not installed", allow_module_level=True)


def free_port() -> int:
    """A port on loopback nobody listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process, port: int, seconds: int = 30) -> str:
    """The base URL of `megaroth serve` once its port answers; its stderr in the error if it exits or never does."""
    import socket
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"megaroth serve did not start: {stderr}") from None
            time.sleep(0.05)


def fixture_kit(name: str = "make_pdfs"):
    """A generator script of fixtures/pdf (make_pdfs, make_5498_pdfs…) as a module, for tests that draw their
    own page with its helpers (Page, write_pdf, statement_block…)."""
    import importlib
    import sys
    from pathlib import Path

    folder = str(Path(__file__).resolve().parents[1] / "fixtures" / "pdf")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


ORIGIN = {"Origin": "http://testserver"}
"""The page's own origin, as a browser sends it with a form (a post from elsewhere is refused)."""


def csrf(page: str) -> str:
    """The page form's CSRF token."""
    import re

    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)
