"""A scanned Form 1099-R whose box 1 or box 7 could not be confirmed is kept off the return and asked in every
channel — `--no-input` (the report errs, incomplete, with box 1 at stake), `--ask` from standard input, a real
pseudo-terminal, the page — instead of refusing the whole form ("type it into a case file").

The case (tests/scenarios/held_1099r_case.py): Alex Sample's $10,200.00 cash-out of the Umbrella 401(k) Plan,
code 1, box 2a $200.00; the photo read box 7 as '7' or '1'. Typed as the paper shows, the lines are the fixture's:
5a $10,200.00, 5b $200.00, the 10% additional tax $20.00."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from megaroth.cli import app
from tests.helpers import ORIGIN, csrf
from tests.scenarios.held_1099r_case import FIXTURE, write_case
from tests.scenarios.test_backdoor_channels import _terminal

FORM = "umbrella-cash"


def _report(args: list[str], stdin: str | None = None):
    return CliRunner().invoke(app, ["report", *args, "--json"], input=stdin)


def _assert_the_fixtures_lines(document: dict) -> None:
    assert document["lines"]["5a"] == "10200.00" and document["lines"]["5b"] == "200.00"
    assert document["form_5329"]["additional_tax"] == "20.00"
    assert document["complete"] is True


def test_the_fixture_itself_has_those_lines():
    result = _report([str(FIXTURE), "--no-input"])
    _assert_the_fixtures_lines(json.loads(result.stdout))


def test_no_input_leaves_the_form_off_the_return_incomplete_with_box_1_at_stake(tmp_path):
    result = _report([str(write_case(tmp_path)), "--no-input"])
    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    assert document["complete"] is False
    assert document["lines"]["5a"] is None and document["lines"]["5b"] is None
    [held] = [f for f in document["findings"] if f["code"] == "scan.form_awaiting_box"]
    assert held["form_id"] == FORM and held["box"] == "box_7" and held["at_stake"] == "10200.00"
    assert "box 7 reads '7'" in held["message"] and "left out of the return" in held["message"]
    [scan] = document["scans"]
    assert scan["on_the_return"] is False and list(scan["awaiting_confirmation"]) == ["box_7"]
    assert "What does the paper form show" not in result.stderr
    assert "INCOMPLETE" in result.stderr


def test_ask_from_standard_input_puts_the_form_on_the_return(tmp_path):
    saved = tmp_path / "answered.json"
    result = _report([str(write_case(tmp_path)), "--ask", "--save-case", str(saved)], "1\n\n")
    assert result.exit_code == 0, result.stderr
    assert "box 7 not yet read" in result.stderr and "What does the paper form show in box 7?" in result.stderr
    assert "or blank if the box is empty" not in result.stderr.split("box 7?")[1].splitlines()[0]
    _assert_the_fixtures_lines(json.loads(result.stdout))
    case = json.loads(saved.read_text())
    assert "forms_1099r_awaiting" not in case
    [form] = case["forms_1099r"]
    assert form["box_7"] == "1" and not form["provenance"].get("awaiting_confirmation")
    assert form["provenance"]["scanned"]["box_7"] == {"read": "7", "confidence": "0.41", "accepted": False,
                                                      "confirmed": True}


def test_both_boxes_are_asked_and_the_form_joins_the_return_only_with_both(tmp_path):
    case = write_case(tmp_path, ("box_1", "box_7"))
    result = _report([str(case), "--ask"], "10,200.00\n1\n\n")
    assert result.exit_code == 0, result.stderr
    asked = re.findall(r"What does the paper form show in (box \d)\?", result.stderr)
    assert asked == ["box 1", "box 7"]
    _assert_the_fixtures_lines(json.loads(result.stdout))
    # box 1 typed, box 7 not (end of input): the form stays off the return
    partial = _report([str(case), "--no-input"])
    assert json.loads(partial.stdout)["lines"]["5a"] is None


@pytest.mark.parametrize(("typed", "said"), [("blank", "every Form 1099-R shows box 7"),
                                             ("Z9", "box 7")])
def test_box_7_cannot_be_answered_blank_or_with_a_code_that_is_none(tmp_path, typed, said):
    saved = tmp_path / "answered.json"
    result = _report([str(write_case(tmp_path)), "--ask", "--save-case", str(saved)], f"{typed}\n")
    assert result.exit_code == 1 and f"{FORM}:confirm:box_7" in result.stderr and said in result.stderr
    assert not saved.exists()


def test_the_terminal_asks_box_7_again_after_a_blank_answer(tmp_path):
    saved = tmp_path / "answered.json"
    code, shown = _terminal(["report", str(write_case(tmp_path)), "--save-case", str(saved), "-o",
                             str(tmp_path / "w.md")], ["blank\n", "1\n", "\n"], tmp_path)
    assert code == 0, shown[-3000:]
    assert shown.count("What does the paper form show in box 7?") == 2 and "try again" in shown
    assert "every Form 1099-R shows box 7" in shown
    [form] = json.loads(saved.read_text())["forms_1099r"]
    assert form["box_7"] == "1"


def test_a_case_file_keeps_a_held_form_held_when_imported_again(tmp_path):
    """`megaroth import` of the case file (to combine it with other sources) keeps the form held and its box
    awaited: a blank box 7 never becomes a form without a code, nor a refusal."""
    out = tmp_path / "again.json"
    result = CliRunner().invoke(app, ["import", str(write_case(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 imported for 1 taxpayer(s) (1 of them kept off the return" in result.stderr
    case = json.loads(out.read_text())
    [form] = case["forms_1099r_awaiting"]
    assert form["box_7"] is None and list(form["provenance"]["awaiting_confirmation"]) == ["box_7"]
    assert case["forms_1099r"] == []


# ------------------------------------------------------------------------ the page
def test_the_page_asks_box_7_and_then_computes_the_form(page_client, tmp_path):
    case = write_case(tmp_path)
    page_client.post("/upload", data={"csrf": csrf(page_client.get("/").text)}, headers=ORIGIN,
                files=[("files", (case.name, case.read_bytes(), "application/json"))])
    lines = page_client.get("/lines").text
    assert "left out of the return" in lines
    page = page_client.get("/questions?group=all").text
    assert f'name="q:{FORM}:confirm:box_7"' in page and "Form 1099-R from Umbrella 401(k) Plan" in page
    blank = page_client.post("/answers", headers=ORIGIN, data={"csrf": csrf(page), "group": "all",
                                                          f"q:{FORM}:confirm:box_7": "blank"})
    assert blank.status_code == 400 and "every Form 1099-R shows box 7" in blank.text
    done = page_client.post("/answers", headers=ORIGIN, data={"csrf": csrf(page), "group": "all",
                                                         f"q:{FORM}:confirm:box_7": "1"})
    assert done.status_code == 200, done.text[:2000]
    saved = json.loads(page_client.get("/download/case.json").text)
    assert "forms_1099r_awaiting" not in saved and saved["forms_1099r"][0]["box_7"] == "1"
    lines = page_client.get("/lines").text
    assert "left out of the return" not in lines and "10,200.00" in lines


def test_the_worksheet_says_which_numbers_came_from_the_scan_and_which_a_person_typed(tmp_path):
    saved = tmp_path / "answered.json"
    _report([str(write_case(tmp_path)), "--ask", "--save-case", str(saved)], "1\n\n")
    worksheet = CliRunner().invoke(app, ["report", str(saved), "--no-input"]).stdout
    assert "| box 7 (Distribution code(s)) | 1 (typed from the paper form) |" in worksheet
    assert "| box 1 (Gross distribution) | $10,200.00 (read from the scan, 95%) |" in worksheet
    # a form typed in, not scanned, says nothing of the kind
    assert "read from the scan" not in CliRunner().invoke(app, ["report", str(FIXTURE), "--no-input"]).stdout


def test_compare_names_the_held_form_as_the_first_cause(tmp_path):
    """The software has the form (5a 10,200, 5b 200, as the fixture's lines): megaroth's lines leave it out until
    box 7 is typed, and the comparison says so first rather than blaming the software."""
    result = CliRunner().invoke(app, ["compare", str(write_case(tmp_path)), "--line-5a", "10200", "--line-5b", "200",
                                      "--no-input", "--json"])
    document = json.loads(result.stdout)
    first = document["diagnoses"][0]
    assert first["key"] == "megaroth_forms_held" and first["amount"] == "10200.00"
    assert set(first["items"]) == {"pension_gross", "pension_taxable"}


def test_a_held_form_typed_into_the_case_file_by_hand_is_on_the_return(tmp_path):
    """A preparer types box 7 into the file and takes it off the awaiting list, as the finding says, but leaves
    the form where it is: it is on the return all the same (the fixture's lines)."""
    path = write_case(tmp_path)
    case = json.loads(path.read_text())
    form = case["forms_1099r_awaiting"][0]
    form["box_7"] = "1"
    del form["provenance"]["awaiting_confirmation"]["box_7"]
    path.write_text(json.dumps(case))
    result = _report([str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    _assert_the_fixtures_lines(json.loads(result.stdout))
