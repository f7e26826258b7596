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


def _kind():
    """A new output type, so that a test sees its generic constructor and then its generated one."""
    from pydantic import Field

    from megaroth.model.output import OUT, Output

    class Sample(Output):
        model_config = OUT
        rule: str
        inputs: dict[str, int] = Field(default_factory=dict)
        result: int | None = None

    return Sample


@pytest.mark.parametrize("built_before", [0, 40], ids=["generic", "generated"])
def test_a_misspelt_or_missing_field_is_an_error_not_dropped(built_before):
    from megaroth.model import output

    if output.VALIDATE:
        pytest.skip("MEGAROTH_VALIDATE_OUTPUTS=1: pydantic validates each construction itself")

    kind = _kind()
    for _ in range(built_before):
        kind(rule="r")
    assert (kind.__init__ is output._first_constructions) is (built_before < output.GENERATE_AFTER)
    with pytest.raises(TypeError, match="Sample.__init__.. got an unexpected keyword argument 'reslt'"):
        kind(rule="r", reslt=None)
    with pytest.raises(TypeError, match="Sample.__init__.. missing 1 required keyword-only argument: 'rule'"):
        kind(result=1)


@pytest.mark.parametrize("built_before", [0, 40], ids=["generic", "generated"])
def test_a_result_gets_its_defaults_and_records_the_fields_given(built_before):
    kind = _kind()
    for _ in range(built_before):
        kind(rule="r")
    first, second = kind(rule="r"), kind(rule="r", result=1)
    assert first.inputs == {} and first.result is None and first.model_fields_set == {"rule"}
    assert second.model_fields_set == {"rule", "result"} and second.result == 1
    first.inputs["x"] = 1
    assert second.inputs == {}, "a default factory is called per instance, as pydantic does"
    assert first.model_copy(update={"result": 2}).result == 2
    assert type(first).model_validate(first.model_dump()) == first
