"""`megaroth compare` on the backdoor Roth IRA and the mega backdoor Roth, through the CLI.

Worked case: issue 19's backdoor + mega backdoor individual; lines from i8606 2025 line
instructions. A plan 1099-R (code G, box 1 10,200, 2a 200, box 5 10,000, to a Roth IRA) and an IRA
1099-R (code 2, box 1 7,010, 2a 7,010, taxable amount not determined, IRA/SEP/SIMPLE, converted)
after a $7,000 nondeductible contribution, no other IRA money: 4a 7,010, 4b 10, 5a 10,200, 5b 200,
line 5c box 1; Form 8606 lines 1 7,000, 3 7,000, 13 7,000, 16 7,010, 17 7,000, 18 10 (line 10
.99857, line 11 6,999.98 filed as 7,000).

The joint return: megaroth's worked case joint_backdoor_both_mega_one.json (worked by hand) with
Sam's rollover IRA holding 93,000 on December 31 (the pro-rata trap): Pat's Form 8606 16 7,003,
17 7,000, 18 3; Sam's 6 93,000, ratio .06999, 17 491, 18 6,519; 4a 14,013, 4b 6,522.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from typer.testing import CliRunner

from megaroth.cli import app
from tests.realforms.irs_fill import fill, merge

runner = CliRunner()
CASES = Path(__file__).parents[2] / "fixtures" / "cases"

WORKED = {
    "schema_version": 2, "tax_year": 2025,
    "taxpayer": {"name": "Pat Example", "birth_date": "1985-04-02",
                 "ira": {"nondeductible_contributions": "7000.00", "basis": "0.00", "year_end_value": "0.00", "contributions_made_next_year": "0.00",
                        "deductible_contributions": "0.00"}},
    "forms_1099r": [
        {"id": "mega-backdoor", "payer_name": "Acme 401(k) Plan", "box_1": "10200.00", "box_2a": "200.00",
         "box_5": "10000.00", "box_7": "G", "disposition": [{"to": "roth_ira", "amount": "10200.00"}]},
        {"id": "backdoor-conversion", "payer_name": "Example Brokerage IRA", "box_1": "7010.00",
         "box_2a": "7010.00", "box_2b_taxable_not_determined": True, "box_7": "2", "box_7_ira_sep_simple": True,
         "disposition": [{"to": "roth_ira", "amount": "7010.00"}]},
    ],
}
RIGHT = {"software": "TurboTax Deluxe 2025", "tax_year": 2025,
         "form_1040": {"4a": "7010", "4b": "10", "5a": "10200", "5b": "200", "rollover": True},
         "form_8606": {"1": "7000", "2": "0", "3": "7000", "6": "0", "13": "7000", "14": "0", "16": "7010",
                       "17": "7000", "18": "10"}}


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def row(markdown: str, line: str) -> str:
    (found,) = [r for r in markdown.splitlines() if r.startswith(f"| {line} |")]
    return found


def run(*args: str):
    return runner.invoke(app, ["compare", *args])


def test_a_correct_return_agrees_in_whole_dollars(tmp_path):
    result = run(write(tmp_path, "case.json", WORKED), "--software", write(tmp_path, "right.json", RIGHT))
    assert result.exit_code == 0, result.output
    assert "**The software agrees with megaroth** on the 14 figure(s) compared." in result.stdout
    # Whole dollars: 17 is 6,999.98 and 18 10.02 to the cent, filed as 7,000 and 10; no $0.02 anywhere.
    assert row(result.stdout, "Form 8606 line 17").endswith("| 7,000 | 7,000 | 0 | agrees |  |")
    assert row(result.stdout, "Form 8606 line 18").endswith("| 10 | 10 | 0 | agrees |  |")
    assert row(result.stdout, "4b").endswith("| 10 | 10 | 0 | agrees |  |")
    assert "0.02" not in result.stdout and "compared in whole\ndollars" in result.stdout


def test_cents_on_request(tmp_path):
    result = run(write(tmp_path, "case.json", WORKED), "--software", write(tmp_path, "right.json", RIGHT),
                 "--cents", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["whole_dollars"] is False
    items = {i["item"]: i for i in data["items"]}
    assert (items["ira_taxable"]["expected"], items["ira_taxable"]["difference"]) == ("10.02", "-0.02")
    assert (items["form_8606_line_17"]["expected"], items["form_8606_line_17"]["difference"]) == ("6999.98", "0.02")


@pytest.mark.parametrize("form_8606", [{"1": "0", "3": "0", "13": "0", "16": "7010", "17": "0", "18": "7010"}, None],
                         ids=["line_1_zero", "no_form_8606"])
def test_line_1_never_entered_names_line_1_and_the_screen(tmp_path, form_8606):
    wrong = {"software": "TurboTax Deluxe 2025", "tax_year": 2025,
             "form_1040": {"4a": "7010", "4b": "7010", "5a": "10200", "5b": "200", "rollover": True}}
    if form_8606:
        wrong["form_8606"] = form_8606
    result = run(write(tmp_path, "case.json", WORKED), "--software", write(tmp_path, "wrong.json", wrong), "--json")
    assert result.exit_code == 4, result.output
    data = json.loads(result.stdout)
    first = data["diagnoses"][0]
    assert first["rule"] == "compare.form_8606_line_1_missing" and first["fit"] == "all"
    assert first["title"] == "Form 8606 line 1 left out: Pat Example's $7,000 nondeductible contribution"
    assert "Deductions & Credits → Traditional and Roth IRA Contributions" in first["fix"]  # TurboTax's screen
    assert "line 4b 10" in first["fix"] and "i8606.line-1" in first["cites"]
    assert first["amount"] == "6999.98"  # to the cent: 7,010 − 10.02
    for diagnosis in data["diagnoses"]:  # the IRA 1099-R is right: nothing about box 5 or a corrected form
        text = diagnosis["explanation"] + diagnosis["fix"]
        assert "box 5" not in text and "corrected" not in text, diagnosis["title"]
    differs = [i["item"] for i in data["items"] if i["status"] == "differs"]
    assert differs == (["ira_taxable", "form_8606_line_1", "form_8606_line_3", "form_8606_line_13",
                        "form_8606_line_17", "form_8606_line_18"] if form_8606 else ["ira_taxable"])


def test_conversion_entered_as_a_rollover(tmp_path):
    result = run(write(tmp_path, "case.json", WORKED), "--line-4a", "7010", "--line-4b", "0", "--ira-rollover",
                 "--json")
    assert result.exit_code == 4, result.output
    rules = [d["rule"] for d in json.loads(result.stdout)["diagnoses"]]
    assert rules == ["compare.conversion_as_rollover", "compare.rollover_box_on_conversion"]


def test_last_years_basis_not_carried(tmp_path):
    """The worked case with 1,000 of basis from 2024 (line 2) and 7,010 converted: lines 3 8,000, 17 7,010,
    18 0; the software without line 2 shows 17 7,000, 18 10."""
    case = json.loads(json.dumps(WORKED))
    case["taxpayer"]["ira"]["basis"] = "1000.00"
    result = run(write(tmp_path, "case.json", case), "--line-4a", "7010", "--line-4b", "10",
                 "--line", "form_8606_line_2=0", "--form-8606-line-17", "7000", "--form-8606-line-18", "10", "--json")
    assert result.exit_code == 4, result.output
    first = json.loads(result.stdout)["diagnoses"][0]
    assert first["rule"] == "compare.form_8606_line_2_missing" and first["fit"] == "all"
    assert "$1,000" in first["title"]


def test_a_bad_line_option_is_a_usage_error(tmp_path):
    case = write(tmp_path, "case.json", WORKED)
    for option in ("5x=100", "5b=abc"):
        result = run(case, "--line", option)
        assert result.exit_code == 2, result.output
        assert f"--line {option.split('=')[0]}" in result.stderr


# ------------------------------------------------------------------ a joint return in one PDF
def _header(data: bytes, name: str, ssn: str) -> bytes:
    """The name and SSN printed in the header of a Form 8606 (the map leaves the header out)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    page = writer.pages[0]
    overlay = PageObject.create_blank_page(width=page.mediabox.width, height=page.mediabox.height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/Hd"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /Hd 9 Tf 40 688 Td ({name}) Tj ET BT /Hd 9 Tf 470 688 Td ({ssn}) Tj ET".encode())
    overlay[NameObject("/Contents")] = writer._add_object(stream)
    page.merge_page(overlay)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _joint_case(tmp_path) -> str:
    case = json.loads((CASES / "joint_backdoor_both_mega_one.json").read_text())
    case["spouse"]["ira"]["year_end_value"] = "93000.00"  # Sam's rollover IRA: the pro-rata trap
    return write(tmp_path, "joint.json", case)


PAT = {"line_1": "7,000", "line_2": "0", "line_3": "7,000", "line_6": "0", "line_13": "7,000", "line_14": "0",
       "line_16": "7,003", "line_17": "7,000", "line_18": "3"}
SAM = {"line_1": "7,000", "line_2": "0", "line_3": "7,000", "line_6": "93,000", "line_13": "491", "line_14": "6,509",
       "line_16": "7,010", "line_17": "491", "line_18": "6,519"}
SAM_NO_LINE_6 = dict(SAM, line_6="0", line_13="7,000", line_14="0", line_17="7,000", line_18="10")


def _joint_return(tmp_path, way: str, sam: dict, taxable: str, headers=(("Pat Example", "400-00-2001"),
                                                                        ("Sam Example", "XXX-XX-2002"))) -> str:
    f1040 = fill("f1040", 2025, {"ira_gross": "14,013", "ira_taxable": taxable, "pension_gross": "30,150",
                                 "pension_taxable": "150", "withholding": "", "pension_rollover": True}, way)
    forms = []
    for values, header in zip((PAT, sam), headers):
        data = fill("f8606", 2025, values, way)
        forms.append(_header(data, *header) if header else data)
    path = tmp_path / f"joint_{way}.pdf"
    path.write_bytes(merge([f1040, *forms]))
    return str(path)


@pytest.mark.parametrize("way", ["fillable", "printed"])
def test_joint_return_each_spouse_s_form_8606(tmp_path, way):
    case = _joint_case(tmp_path)
    result = run(case, "--software", _joint_return(tmp_path, way, SAM, "6,522"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    items = {i["item"]: i for i in data["items"]}
    assert (items["spouse_form_8606_line_18"]["expected"], items["spouse_form_8606_line_18"]["status"]) == (
        "6519.00", "agree")
    assert items["spouse_form_8606_line_6"]["line"] == "Form 8606 (Sam Example) line 6"
    assert items["form_8606_line_17"]["expected"] == "7000.00" and items["form_8606_line_17"]["status"] == "agree"
    assert any("is Sam Example's (told by the last four digits of its SSN)" in n for n in data["notes"])

    # Sam's December 31 balance left out: line 6 named, on Sam's form.
    result = run(case, "--software", _joint_return(tmp_path, way, SAM_NO_LINE_6, "13"), "--json")
    assert result.exit_code == 4, result.output
    data = json.loads(result.stdout)
    first = data["diagnoses"][0]
    assert first["rule"] == "compare.form_8606_line_6_missing" and first["fit"] == "all"
    assert "Sam Example's traditional IRAs held $93,000" in first["title"]
    differs = [i["item"] for i in data["items"] if i["status"] == "differs"]
    assert differs == ["ira_taxable", "spouse_form_8606_line_6", "spouse_form_8606_line_13",
                       "spouse_form_8606_line_14", "spouse_form_8606_line_17", "spouse_form_8606_line_18"]


def test_joint_return_whose_forms_cannot_be_told(tmp_path):
    """No name or SSN on either Form 8606: they are not compared, said plainly; the 1040 lines are."""
    case = _joint_case(tmp_path)
    result = run(case, "--software", _joint_return(tmp_path, "printed", SAM, "6,522", headers=(None, None)))
    assert result.exit_code == 0, result.output
    for pages in ("3-4", "5-6"):
        assert f"joint_printed.pdf pages {pages} is (it prints no name or SSN of the case's people), so its lines " \
               "are not compared; the other figures are." in result.stdout
    assert "megaroth cannot tell whose the Form 8606 at" in result.stdout
    assert row(result.stdout, "4b").endswith("| 6,522 | 6,522 | 0 | agrees |  |")
