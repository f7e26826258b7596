"""Without a browser the browser tests skip saying what is missing, unless
MEGAROTH_REQUIRE_BROWSER=1 (CI): then they fail. Checked on a browser path that does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import conftest

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_browser_is_named(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    assert conftest._missing() == ("no browser for the browser tests: /nonexistent/chromium is missing "
                                   "(apt-get install chromium)")
    monkeypatch.setattr(conftest, "CHROMIUM", sys.executable)
    monkeypatch.setattr(conftest, "CHROMEDRIVER", "/nonexistent/chromedriver")
    assert "/nonexistent/chromedriver is missing (apt-get install chromium-driver)" in conftest._missing()


@pytest.mark.slow
def test_a_missing_browser_fails_when_ci_requires_it():
    env = {**os.environ, "MEGAROTH_CHROMIUM": "/nonexistent/chromium", "MEGAROTH_REQUIRE_BROWSER": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/browser/test_serve_in_chromium.py::test_a_bad_file_is_shown_on_the_page"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "1 error" in result.stdout, result.stdout
    assert ("/nonexistent/chromium is missing (apt-get install chromium); MEGAROTH_REQUIRE_BROWSER=1 requires it"
            in result.stdout)
