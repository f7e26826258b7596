import json

import pytest

from megaroth import api
from megaroth.errors import InputError
from megaroth.model.loading import load_case_bytes
from megaroth.provenance import Source

SOURCE = Source(file="case.json")


def load(data):
    return load_case_bytes(json.dumps(data), SOURCE)


def test_one_bad_form_does_not_hide_the_others():
    loaded = load({"tax_year": 2025, "forms_1099r": [
        {"id": "ok", "box_1": "100", "box_7": "7"},
        {"id": "bad", "box_1": "100", "box_5": "-3", "box_7": "7"},
        {"box_1": "1", "box_7": "Z"},
    ]})
    assert [f.id for f in loaded.case.forms_1099r] == ["ok"]
    assert [(e.source.file, e.source.record, e.source.field) for e in loaded.errors] == [
        ("case.json", "form 'bad'", "box_5"),
        ("case.json", "form #3", "box_7"),
    ]
    assert "negative" in loaded.errors[0].message


def test_unknown_fields_are_refused_by_name():
    loaded = load({"tax_year": 2025, "forms_1099r": [{"id": "a", "box_1": "1", "box_7": "7", "box_2c": "5"}]})
    assert loaded.errors[0].source.field == "box_2c"
    assert "unknown field" in loaded.errors[0].message


def test_missing_box_1_is_named():
    loaded = load({"tax_year": 2025, "forms_1099r": [{"id": "a", "box_7": "7"}]})
    assert (loaded.errors[0].source.field, loaded.errors[0].message) == ("box_1", "required and missing")


def test_duplicate_ids_are_an_error_on_the_second():
    loaded = load({"tax_year": 2025, "forms_1099r": [
        {"id": "a", "box_1": "1", "box_7": "7"}, {"id": "a", "box_1": "2", "box_7": "7"}]})
    assert len(loaded.case.forms_1099r) == 1
    assert "duplicate form id" in loaded.errors[0].message


def test_forms_without_ids_get_their_position():
    loaded = load({"tax_year": 2025, "forms_1099r": [{"box_1": "1", "box_7": "7"}, {"box_1": "2", "box_7": "7"}]})
    assert [f.id for f in loaded.case.forms_1099r] == ["form-1", "form-2"]


def test_json_numbers_are_exact_decimals():
    loaded = load_case_bytes(b'{"tax_year": 2025, "forms_1099r": [{"id": "a", "box_1": 10200.10, "box_7": "7"}]}',
                             SOURCE)
    assert str(loaded.case.forms_1099r[0].box_1) == "10200.10"


def test_blank_2a_stays_blank():
    loaded = load({"tax_year": 2025, "forms_1099r": [{"id": "a", "box_1": "5", "box_2a": "", "box_7": "7"}]})
    assert loaded.case.forms_1099r[0].box_2a is None


@pytest.mark.parametrize("data, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"tax_year": "soon"}', "tax_year"),
    (b'{"tax_year": 2025, "forms_1099r": {}}', "list of forms"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_unusable_documents_raise_input_error_with_the_file(data, words):
    with pytest.raises(InputError, match=words) as info:
        load_case_bytes(data, SOURCE)
    assert str(info.value).startswith("case.json")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        api.load_case(tmp_path / "nope.json")


def test_unsupported_year_names_the_file(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{"tax_year": 2012}')
    with pytest.raises(InputError, match="2012 is not supported") as info:
        api.analyze(api.load_case(path))
    assert info.value.source.file == str(path) and info.value.source.field == "tax_year"
