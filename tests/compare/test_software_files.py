"""Software figures given by hand: JSON, CSV and options; malformed files give clear errors
naming the file, the row and the figure."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from megaroth import api
from megaroth.errors import InputError


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_json_sections_and_flat_names(tmp_path):
    path = write(tmp_path, "f.json", '{"software": "X", "tax_year": 2025, "form_1040": {"line_5a": "$10,200.00", '
                                     '"5b": 200, "5c_rollover": "yes"}, "form_8606": {"line 18": "0"}, '
                                     '"schedule_2": {"8": "0"}, "roth_ira_contributions": "7000"}')
    figures = api.load_software(path, None, 2025)
    assert figures.software == "X" and figures.tax_year == 2025
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert figures.get("pension_taxable").amount == Decimal("200.00")
    assert figures.get("pension_rollover").flag is True
    assert figures.get("form_8606_line_18").amount == Decimal("0.00")
    assert figures.get("schedule_2_additional_tax").amount == Decimal("0.00")
    assert figures.get("roth_ira_contributions").amount == Decimal("7000.00")
    assert figures.get("pension_gross").where.endswith("f.json: form_1040.line_5a")


def test_csv_rows_with_and_without_header(tmp_path):
    path = write(tmp_path, "f.csv", "# copied from the software\nline_4c,10200\n4d,200\nline_17,1500\nrollover,x\n")
    figures = api.load_software(path, None, 2019)
    assert figures.get("pension_gross").amount == Decimal("10200.00")  # 2019: pensions are 4c/4d
    assert figures.get("withholding").amount == Decimal("1500.00")
    assert figures.get("pension_gross").where.endswith("f.csv row 2")


def test_options_override_the_file(tmp_path):
    path = write(tmp_path, "f.json", '{"form_1040": {"5a": "10200", "5b": "10200"}}')
    figures = api.load_software(path, {"--line-5b": "200", "--rollover": True}, 2025)
    assert figures.get("pension_taxable").amount == Decimal("200.00")
    assert figures.get("pension_taxable").where == "--line-5b"
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert figures.get("pension_rollover").flag is True


def test_a_blank_figure_is_zero(tmp_path):
    figures = api.load_software(None, {"--line-5b": ""}, 2025)
    assert figures.get("pension_taxable").amount == Decimal("0.00")


@pytest.mark.parametrize("name, text, message, where", [
    ("bad.json", '{"form_1040": {"5b": "two hundred"}}', "'two hundred' is not an amount", "form_1040.5b"),
    ("neg.json", '{"form_1040": {"5b": "-5"}}', "negative", "form_1040.5b"),
    ("unknown.json", '{"form_1040": {"line_9": "1"}}', "line 9 of Form 1040 (2025) is not a line megaroth compares",
     "form_1040.line_9"),
    ("year_line.json", '{"form_1040": {"4c": "1"}}', "line 4c of Form 1040 (2025)", "form_1040.4c"),
    ("name.json", '{"wages": "1"}', "unknown figure 'wages'", "wages"),
    ("section.json", '{"form_8889": {"2": "1"}}', "unknown section 'form_8889'", "form_8889"),
    ("list.json", '[1, 2]', "one JSON object", None),
    ("flag.json", '{"form_1040": {"rollover": "maybe"}}', "'maybe' is not yes or no", "form_1040.rollover"),
    ("twice.json", '{"form_1040": {"5b": "1"}, "line_5b": "2"}', "given twice", "line_5b"),
    ("year.json", '{"tax_year": 2024, "form_1040": {"5b": "1"}}', "for tax year 2024, the 1099-Rs for 2025",
     "tax_year"),
    ("broken.json", '{"form_1040": ', "not valid JSON", None),
    ("cols.csv", "line_5a,1,2\n", "expected two columns", None),
    ("empty.csv", "item,value\n", "no figures", None),
    ("bad.csv", "item,value\nline_5b,abc\n", "'abc' is not an amount", "line_5b"),
    ("text.txt", "hello", "not a Form 1040 PDF, nor a JSON or CSV file", None),
])
def test_malformed_files_name_the_file_and_the_figure(tmp_path, name, text, message, where):
    path = write(tmp_path, name, text)
    with pytest.raises(InputError, match=re.escape(message)) as raised:
        api.load_software(path, None, 2025)
    error = raised.value
    assert error.source.file == path
    if where is not None:
        assert error.source.field == where
    if name.endswith(".csv") and where:
        assert error.source.record == "row 2"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        api.load_software(str(tmp_path / "nope.pdf"), None, 2025)


def test_a_pdf_of_another_year(fixtures_dir):
    with pytest.raises(InputError, match="return is for tax year 2024, the 1099-Rs for 2025"):
        api.load_software(str(fixtures_dir / "pdf" / "f1040" / "f1040_2024_fillable.pdf"), None, 2025)
