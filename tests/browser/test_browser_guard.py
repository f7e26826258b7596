"""Without a browser the browser tests skip saying what is missing, unless
MEGAROTH_REQUIRE_BROWSER=1 (CI): then they fail. Checked on browser paths that do not exist."""

from __future__ import annotations

import sys

import pytest

from tests.browser import conftest


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")


def test_a_missing_browser_or_driver_is_named(monkeypatch, no_chromium):
    assert conftest._missing() == ("no browser for the browser tests: /nonexistent/chromium is missing "
                                   "(apt-get install chromium)")
    monkeypatch.setattr(conftest, "CHROMIUM", sys.executable)
    monkeypatch.setattr(conftest, "CHROMEDRIVER", "/nonexistent/chromedriver")
    assert "/nonexistent/chromedriver is missing (apt-get install chromium-driver)" in conftest._missing()


def test_a_missing_browser_skips_outside_ci(monkeypatch, no_chromium):
    monkeypatch.delenv("MEGAROTH_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium is missing"):
        conftest.require_browser()


def test_a_missing_browser_fails_when_ci_requires_it(monkeypatch, no_chromium):
    monkeypatch.setenv("MEGAROTH_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="is missing .*; MEGAROTH_REQUIRE_BROWSER=1 requires it"):
        conftest.require_browser()


def test_ci_requires_the_browser():
    from pathlib import Path

    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "export MEGAROTH_REQUIRE_BROWSER=1" in ci and "chromium chromium-driver" in ci
