"""Shared fixtures: paths to the sample inputs, case loading and analysis, hypothesis profiles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from megaroth import api
from megaroth.model.loading import LoadedCase
from tests import ocr_memo

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_OCR_MEMO: list = []


def pytest_configure(config):
    # Before pytest-xdist starts its workers, so that they, and every process a test starts, find it.
    _OCR_MEMO.append(ocr_memo.install())


def pytest_unconfigure(config):
    for top in _OCR_MEMO:
        ocr_memo.remove(top)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def load_fixture_case(name: str) -> LoadedCase:
    return api.load_case(FIXTURES / "cases" / f"{name}.json")


def case_dict(year: int = 2025, **form) -> dict:
    """A one-form case; boxes as keyword arguments."""
    form.setdefault("id", "f1")
    return {"tax_year": year, "forms_1099r": [form]}


def analyze_dict(data: dict):
    loaded = api.case_from_dict(json.loads(json.dumps(data)))
    return loaded, api.analyze(loaded)


@pytest.fixture(autouse=True)
def isolated_ledger(tmp_path, monkeypatch):
    """No test ever reads or writes a real user's ledger."""
    monkeypatch.setenv("MEGAROTH_LEDGER", str(tmp_path / "ledger.sqlite3"))
