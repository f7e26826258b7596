"""One scenario per failure mode of tax software: the software's wrong figures (a file or a
PDF in fixtures/) and the diagnosis megaroth must give, first cause first.

Every software fixture is used by a scenario, and every scenario names what it shows.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from megaroth import api

HERE = Path(__file__).parent
FIXTURES = HERE.parents[1] / "fixtures"
SCENARIOS = sorted((HERE / "expected").glob("*.toml"))


def run(expected: dict):
    loaded = api.load_case(FIXTURES / "cases" / expected["case"])
    figures = api.load_software(str(FIXTURES / expected["software"]), None, loaded.case.tax_year)
    return api.compare(loaded, figures)


def test_every_software_fixture_has_a_scenario():
    used = {tomllib.loads(p.read_text())["software"] for p in SCENARIOS}
    files = {f"software/{p.name}" for p in (FIXTURES / "software").iterdir()}
    assert files <= used, f"software fixtures without a scenario: {sorted(files - used)}"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path):
    expected = tomllib.loads(path.read_text())
    assert expected["what"].strip()
    analysis, comparison = run(expected)
    differs = [i.item for i in comparison.items if i.status == "differs"]
    assert differs == expected["differs"]
    assert comparison.agree is (not expected["differs"])
    assert api.compare_exit_code(analysis, comparison) == expected["exit_code"]
    for item in expected.get("notes", []):
        assert comparison.item(item).status == "note", item

    got = comparison.diagnoses
    assert [d.rule for d in got[:len(expected["diagnoses"])]] == [d["rule"] for d in expected["diagnoses"]]
    if not expected["diagnoses"]:
        assert not got
    for want, diagnosis in zip(expected["diagnoses"], got):
        assert diagnosis.fit == want["fit"]
        assert diagnosis.items == want["items"]
        if "amount" in want:
            assert diagnosis.amount == Decimal(want["amount"])
        if "explanation_contains" in want:
            assert want["explanation_contains"] in diagnosis.explanation
        assert diagnosis.fix.strip() and diagnosis.cites
    # Every differing figure is explained by at least one diagnosis.
    for item in comparison.items:
        if item.status == "differs":
            assert item.diagnoses, item.item
