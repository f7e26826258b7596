"""Results are built without validation (model/output.py): prove that what the rules build is
what the schema says, for every scenario, by validating it again — in Python and through JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from megaroth import api
from megaroth.model.results import Analysis

CASES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "cases").glob("*.json"))


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_every_result_validates_against_its_own_schema(case_path):
    loaded = api.load_case(case_path)
    analysis = api.analyze(loaded)
    assert Analysis.model_validate(analysis.model_dump()) == analysis
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
    _, letter = api.letter(loaded)
    assert type(letter).model_validate(letter.model_dump(by_alias=True)) == letter


def test_a_misspelt_field_is_an_error_not_dropped():
    from megaroth.model.results import Step

    with pytest.raises(TypeError, match="Step.__init__.. got an unexpected keyword argument 'reslt'"):
        Step(rule="r", name="n", description="d", reslt=None)
    with pytest.raises(TypeError, match="Step.__init__.. missing 1 required keyword-only argument: 'description'"):
        Step(rule="r", name="n")


def test_a_result_gets_its_defaults_and_records_the_fields_given():
    from megaroth.model.results import Step

    first, second = Step(rule="r", name="n", description="d"), Step(rule="r", name="n", description="d", result=1)
    assert first.inputs == {} and first.result is None and first.model_fields_set == {"rule", "name", "description"}
    assert second.model_fields_set == {"rule", "name", "description", "result"}
    first.inputs["x"] = 1
    assert second.inputs == {}, "a default factory is called per instance, as pydantic does"
    assert first.model_copy(update={"result": 2}).result == 2
