"""Scenario tests: every case file in fixtures/cases has hand-checked expected values.

Each expected file names the worked example it comes from (`source`). A case without an
expected file fails: every sample users can run must have its expected output.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from megaroth import api
from megaroth.model.results import SEVERITY_ORDER, Severity

HERE = Path(__file__).parent
CASES = sorted((HERE.parent.parent / "fixtures" / "cases").glob("*.json"))
EXPECTED = HERE / "expected"


def test_every_case_has_expected_values():
    missing = [c.stem for c in CASES if not (EXPECTED / f"{c.stem}.toml").exists()]
    orphans = [e.stem for e in EXPECTED.glob("*.toml") if not any(c.stem == e.stem for c in CASES)]
    assert not missing, f"cases without expected values: {missing}"
    assert not orphans, f"expected values without a case: {orphans}"


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_scenario(case_path: Path):
    expected = tomllib.loads((EXPECTED / f"{case_path.stem}.toml").read_text(), parse_float=Decimal)
    assert expected["source"].strip(), "every expected file names its worked example"
    loaded = api.load_case(case_path)
    analysis = api.analyze(loaded)

    lines = {e.key: e.amount for e in analysis.lines}
    for key, amount in lines.items():
        want = expected["lines"].get(key)
        assert amount == (Decimal(want) if want is not None else None), f"line {key}"
    assert set(expected["lines"]) <= set(lines), "expected lines that the year's form does not have"

    assert [n.instruction for n in analysis.notations] == expected["markers"]
    assert analysis.form_8606.status == expected["form_8606"]
    if "ira_basis_to_carry" in expected:
        assert analysis.form_8606.ira_basis_to_carry == Decimal(expected["ira_basis_to_carry"])
    if "form_8606_lines" in expected:
        assert analysis.form_8606.lines == {k: Decimal(v) for k, v in expected["form_8606_lines"].items()}
    assert analysis.form_5329.status == expected["form_5329"]
    if "additional_tax" in expected:
        assert analysis.form_5329.additional_tax == Decimal(expected["additional_tax"])
    if "schedule_2_line_8" in expected:
        assert analysis.form_5329.schedule_2_line_8 == Decimal(expected["schedule_2_line_8"])
    for want in expected.get("excess", []):
        person = next(p for p in analysis.people if p.role == want["role"])
        part = next(x for x in person.excess_contributions if x.part == want["part"])
        assert part.lines == {k: Decimal(v) for k, v in want["lines"].items()}, (want["role"], want["part"])
        assert part.carried == Decimal(want["carried"])
        assert part.remove_by == want.get("remove_by")
    if "shortcut" in expected:
        assert analysis.form_5329.schedule_2_line_8_shortcut is expected["shortcut"]
    assert api.exit_code(analysis) == expected["exit_code"]
    assert analysis.complete is expected.get("complete", True)

    codes = {f.code for f in analysis.findings}
    for code in expected.get("findings", []):
        assert code in codes, f"expected finding {code}; got {sorted(codes)}"
    if "no_findings_at_or_above" in expected:
        limit = SEVERITY_ORDER[Severity(expected["no_findings_at_or_above"])]
        serious = [f.code for f in analysis.findings if SEVERITY_ORDER[f.severity] <= limit]
        assert not serious, serious
    if "statements" in expected:
        assert len(analysis.statements) == expected["statements"]
    if "input_errors" in expected:
        assert [e.field for e in analysis.errors] == expected["input_errors"]
    for key in ("roth_ira_basis_line_22", "roth_ira_basis_line_24"):
        if key in expected:
            assert getattr(analysis, key) == Decimal(expected[key])
    if "clocks" in expected:
        got = [(c.kind, c.amount, c.starts, c.ends) for c in analysis.clocks]
        want = [(c["kind"], Decimal(c["amount"]), c["starts"], c["ends"]) for c in expected["clocks"]]
        assert got == want
    people = {p.role: p for p in analysis.people}
    for role, want in expected.get("people", {}).items():
        person = people[role]
        f8606 = person.form_8606
        assert f8606.status == want["form_8606"], (role, f8606.summary)
        if "parts" in want:
            assert f8606.parts == want["parts"], role
        got = {line.line: line for line in f8606.lines}
        for number, amount in want.get("lines", {}).items():
            value = got[number].amount if number in got else None
            assert value == (Decimal(amount) if amount != "blank" else None), f"{role} Form 8606 line {number}"
        for number, dollars in want.get("whole_dollars", {}).items():
            assert got[number].whole_dollars == dollars, f"{role} Form 8606 line {number} (whole dollars)"
        for number, text in want.get("text", {}).items():
            assert got[number].text == text, f"{role} Form 8606 line {number}"
        if "basis_next_year" in want:
            assert f8606.traditional_basis_next_year == Decimal(want["basis_next_year"]), role
        if "additional_tax" in want:
            assert person.form_5329.additional_tax == Decimal(want["additional_tax"]), role
        if "roth_contribution_basis_after" in want:
            assert person.roth.contribution_basis == Decimal(want["roth_contribution_basis_after"]), role
        if "roth_layers_after" in want:
            assert [(layer.year, layer.taxable, layer.nontaxable) for layer in person.roth.layers] == [
                (layer["year"], Decimal(layer["taxable"]), Decimal(layer["nontaxable"]))
                for layer in want["roth_layers_after"]], role
    for split in expected.get("entry_split", []):
        form = next(r for r in analysis.forms if r.form_id == split["form"])
        part = next(p for p in form.entry_split if p.destination.value == split["destination"])
        for box in ("box_1", "box_2a", "box_5"):
            assert getattr(part, box) == Decimal(split[box]), (split["destination"], box)
    if "rollover_matches" in expected:
        got = [(m.owner, m.kind, m.year, m.status, {k: str(v) for k, v in m.expected.items()},
                {k: str(v) for k, v in m.shown.items()}) for m in analysis.rollover_matches]
        want = [(m["owner"], m["kind"], m["year"], m["status"], m.get("expected", {}), m.get("shown", {}))
                for m in expected["rollover_matches"]]
        assert got == want
        ineligible = [(m.status, str(m.ineligible)) for m in analysis.rollover_matches]
        assert ineligible == [(m["status"], m.get("ineligible", "0.00")) for m in expected["rollover_matches"]]
    for want in expected.get("forms", []):
        form = next(r for r in analysis.forms if r.form_id == want["form"])
        assert form.treatment == want["treatment"], form.form_id
        if "taxable" in want:
            assert form.taxable == Decimal(want["taxable"]), form.form_id
        for rule in want.get("rules", []):
            assert rule in {step.rule for step in form.steps}, (form.form_id, rule)
        if "parts" in want:
            assert [(p.destination.value, p.amount, p.taxable) for p in form.parts] == [
                (p["destination"], Decimal(p["amount"]), Decimal(p["taxable"])) for p in want["parts"]], form.form_id
