"""The catalogue of how each scanned box is asked (megaroth.questions.boxes) against the models: every
box of Form 1099-R and Form 5498 is in it, with a kind its pydantic type takes, so a box added to a
model cannot be asked the wrong way (a percentage as money, a checkbox as text) or not at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from megaroth.model.form1099r import Form1099R
from megaroth.model.form5498 import Form5498
from megaroth.questions import boxes
from megaroth.questions.confirm import Refused, allowed_codes, values

MODELS = {"forms_1099r": Form1099R, "forms_5498": Form5498}
SAMPLES = {  # a value of each kind as it is written into a case file, and one the type refuses
    boxes.MONEY: ("10412.33", "ten"), boxes.CHECK: (True, "maybe"), boxes.DATE: ("2026-04-01", "April"),
    boxes.YEAR: (2024, "twenty"), boxes.PERCENT: ("12.5", "lots"),
}


def _boxes(model) -> set[str]:
    return {name for name in model.model_fields if name.startswith("box_")}


@pytest.mark.parametrize("form_list", MODELS)
def test_every_box_of_each_model_is_in_its_catalogue(form_list):
    model, catalogue = MODELS[form_list], boxes.CATALOGUES[form_list]
    written = {field for box in catalogue.values() for field in box.written}
    assert _boxes(model) <= written, _boxes(model) - written
    assert written <= set(model.model_fields), written - set(model.model_fields)


@pytest.mark.parametrize("form_list", MODELS)
def test_each_kind_is_what_the_field_type_takes(form_list):
    model = MODELS[form_list]
    for box in boxes.CATALOGUES[form_list].values():
        if box.kind not in SAMPLES:
            continue
        good, bad = SAMPLES[box.kind]
        for field in box.written:
            adapter = TypeAdapter(model.model_fields[field].annotation)
            adapter.validate_python(good)
            with pytest.raises(ValidationError):
                adapter.validate_python(bad)
    # the kinds the samples cannot tell apart: a code and free text are both str, an amount and a
    # percentage both Decimal; named here, box by box
    kinds = {k: b.kind for k, b in boxes.CATALOGUES[form_list].items()}
    if form_list == "forms_1099r":
        assert kinds["box_8_percent"] == kinds["box_9a"] == boxes.PERCENT and kinds["box_7"] == boxes.CODES
        assert kinds["box_13"] == boxes.DATE and kinds["box_11"] == boxes.YEAR
    else:
        assert {kinds[b] for b in ("box_13c", "box_14b", "box_15b")} == {boxes.CODES}
        assert kinds["box_7"] == boxes.IRA_KIND and kinds["box_11"] == boxes.CHECK
        assert kinds["box_12a"] == boxes.DATE and kinds["box_13b"] == boxes.YEAR
        assert kinds["account_number"] == boxes.TEXT


def test_the_answers_each_kind_takes():
    f5498 = boxes.FORM_5498
    assert values(f5498["box_2"], "$10,000.00", []) == {"box_2": "10000.00"}
    assert values(f5498["box_12a"], "04/01/2026", []) == {"box_12a": "2026-04-01"}
    assert values(f5498["box_13b"], "2024", []) == {"box_13b": 2024}
    assert values(f5498["box_11"], "yes", []) == {"box_11": True}
    assert values(f5498["box_7"], "roth_sep", []) == {
        "box_7_ira": None, "box_7_sep": True, "box_7_simple": None, "box_7_roth_ira": True}
    assert values(f5498["box_5"], "blank", []) == {"box_5": None}
    codes = allowed_codes("forms_5498", "box_14b", 2025)
    assert codes == sorted(["QR", "DD", "BA", "EP", "DA", "TI"])
    assert values(f5498["box_14b"], "qr", codes) == {"box_14b": "QR"}
    assert values(f5498["box_13c"], "P.L. 115-97", allowed_codes("forms_5498", "box_13c", 2025)) == {
        "box_13c": "P.L.115-97"}
    assert values(f5498["box_15b"], "A, H", allowed_codes("forms_5498", "box_15b", 2025)) == {"box_15b": "AH"}
    for box, text, said in (("box_2", "10,0O0.00", "amount"), ("box_12a", "13/01/2026", "not a date"),
                            ("box_13b", "'24", "not a year"), ("box_11", "X", "yes or no"),
                            ("box_7", "traditional", "roth_ira"), ("box_14b", "QQ", "not a code")):
        with pytest.raises(Refused, match=said):
            values(f5498[box], text, allowed_codes("forms_5498", box, 2025))
    assert isinstance(Decimal(values(boxes.FORM_1099R["box_2a"], "7,000.38", [])["box_2a"]), Decimal)
    assert date.fromisoformat(values(boxes.FORM_1099R["box_13"], "2025-06-30", [])["box_13"])
