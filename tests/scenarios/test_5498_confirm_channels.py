"""Boxes a scan of a Form 5498 left awaiting confirmation are asked in every channel — `--ask` from
standard input, a real pseudo-terminal, the page — each the way its box is filled in (an amount, box 7's
kind of IRA, box 11's checkbox, a code, the account number as text), written into the form and marked
confirmed; with --no-input they stay listed and the report errs naming each box.

The case (tests/scenarios/scanned_5498_case.py): Pat Example's split rollover, $10,000 to the Roth IRA
R-5521 and $200 to the traditional IRA T-7730 (Brokerage Co), both Forms 5498 scanned. Once the paper
forms are read (Roth: box 2 $10,000.00, Roth IRA, box 11 empty, account R-5521; traditional: box 5
$203.10, box 14b empty), both rollovers are matched: box 2 $10,000.00 and $200.00, as the 1099-R implies.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from megaroth.cli import app
from tests.helpers import ORIGIN, csrf
from tests.scenarios.scanned_5498_case import AWAITING, PAPER, write_case
from tests.scenarios.test_backdoor_channels import _terminal

STDIN = "".join(f"{answer}\n" for answer in PAPER.values())


def _codes(document: dict) -> list[str]:
    return [f["code"] for f in document["findings"]]


def _assert_confirmed(saved: dict) -> None:
    roth, trad = saved["forms_5498"]
    assert (roth["box_2"], roth["account_number"], roth["box_7_roth_ira"], roth["box_11"]) == (
        "10000.00", "R-5521", True, False)
    assert not roth["box_7_ira"] and roth["box_5"] == "10412.33"
    assert trad["box_5"] == "203.10" and "box_14b" not in trad and trad["box_2"] == "200.00"
    for form in (roth, trad):
        provenance = form["provenance"]
        assert not provenance.get("awaiting_confirmation")
        for box in AWAITING[form["id"]]:
            assert provenance["scanned"][box]["confirmed"] is True and provenance["scanned"][box]["accepted"] is False
    assert roth["provenance"]["scanned"]["box_5"] == {"read": "10,412.33", "confidence": "0.94", "accepted": True,
                                                       "confirmed": False}


def test_no_input_leaves_each_box_listed_and_the_report_errs_naming_it(tmp_path):
    case = write_case(tmp_path)
    result = CliRunner().invoke(app, ["report", str(case), "--no-input", "--json"])
    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    named = [(f["form_id"], re.search(r"remove (\w+) from awaiting_confirmation", f["message"]).group(1))
             for f in document["findings"] if f["code"] == "scan.awaiting_confirmation"]
    assert named == [(form, box) for form, boxes in AWAITING.items() for box in boxes]
    assert "What does the paper form show" not in result.stderr


def test_ask_from_standard_input_confirms_each_box_of_both_forms(tmp_path):
    case, saved = write_case(tmp_path), tmp_path / "answered.json"
    result = CliRunner().invoke(app, ["report", str(case), "--ask", "--json", "--save-case", str(saved)], input=STDIN)
    assert result.exit_code == 0, result.stderr
    asked = re.findall(r"(What does the paper form show in [^?]+\?|Is box 11 \([^)]+\) checked|Which kind of IRA)",
                       result.stderr)
    assert asked == ["What does the paper form show in box 2?", "Which kind of IRA",
                     "Is box 11 (an RMD is due for next year) checked",
                     "What does the paper form show in the account number box?",
                     "What does the paper form show in box 5?", "What does the paper form show in box 14b?"]
    assert "one of BA, DA, DD, EP, QR, TI" in result.stderr and "roth_simple" in result.stderr
    document = json.loads(result.stdout)
    assert "scan.awaiting_confirmation" not in _codes(document) and "f5498.not_given" not in _codes(document)
    _assert_confirmed(json.loads(saved.read_text()))


@pytest.mark.parametrize(("box", "typed", "said"), [
    ("box_2", "10,0O0.00", "amount"), ("box_7", "traditional", "answer ira, sep"),
    ("box_11", "checked?", "yes or no")])
def test_a_wrong_answer_from_standard_input_stops_naming_the_box(tmp_path, box, typed, said):
    case, saved = write_case(tmp_path), tmp_path / "answered.json"
    answers = {**PAPER, f"roth-5498:confirm:{box}": typed}
    result = CliRunner().invoke(app, ["report", str(case), "--ask", "--save-case", str(saved)],
                                input="".join(f"{a}\n" for a in answers.values()))
    assert result.exit_code == 1 and f"roth-5498:confirm:{box}" in result.stderr and said in result.stderr
    assert not saved.exists()


def test_the_terminal_asks_each_box_again_after_a_wrong_answer(tmp_path):
    case, saved = write_case(tmp_path), tmp_path / "answered.json"
    replies = ["10,0O0.00\n", *[f"{a}\n" for a in PAPER.values()]]
    code, shown = _terminal(["report", str(case), "--save-case", str(saved), "-o", str(tmp_path / "w.md")],
                            replies, tmp_path)
    assert code == 0, shown[-3000:]
    assert "Form 5498 roth-5498 (Brokerage Co): box 2 reads '10,0O0.00'" in shown
    # asked again after the answer that is not an amount, then the next box
    assert shown.count("What does the paper form show in box 2?") == 2
    assert "'10,0O0.00' is not an amount" in shown and "try again" in shown
    assert "  roth_ira    Roth IRA\r\n" in shown and "  yes      Yes, checked\r\n" in shown
    _assert_confirmed(json.loads(saved.read_text()))


# ------------------------------------------------------------------------ the page
def test_the_page_asks_each_box_as_it_is_filled_in_and_confirms_it(page_client, tmp_path):
    case = write_case(tmp_path)
    page_client.post("/upload", data={"csrf": csrf(page_client.get("/").text)}, headers=ORIGIN,
                files=[("files", (case.name, case.read_bytes(), "application/json"))])
    page = page_client.get("/questions?group=all").text
    # an amount typed, box 7 one of the kinds of IRA, box 11 yes or no, a code typed, the account as text
    assert re.search(r'name="q:roth-5498:confirm:box_2" value="" [^>]*inputmode="decimal"', page)
    assert re.findall(r'name="q:roth-5498:confirm:box_7" value="([a-z_]+)"', page) == [
        "ira", "sep", "simple", "roth_ira", "roth_sep", "roth_simple"]
    assert re.findall(r'name="q:roth-5498:confirm:box_11" value="([a-z]+)"', page) == ["yes", "no"]
    assert "What the paper form shows in the account number box" in page
    assert "What the paper form shows in box 14b" in page and "one of BA, DA, DD, EP, QR, TI" in page
    assert "Form 5498 from Brokerage Co" in page
    # a wrong amount: the page says which form and box, and nothing is taken
    wrong = page_client.post("/answers", headers=ORIGIN, data={
        "csrf": csrf(page), "group": "all", "q:roth-5498:confirm:box_2": "10,0O0.00"})
    assert wrong.status_code == 400 and "box 2:" in wrong.text and 'aria-invalid="true"' in wrong.text
    done = page_client.post("/answers", headers=ORIGIN, data={
        "csrf": csrf(page), "group": "all", **{f"q:{q}": a for q, a in PAPER.items()}})
    assert done.status_code == 200, done.text[:2000]
    assert "box 2, 10,000.00 (confirmed from the paper form)" in done.text
    assert "box 7 (the kind of IRA), Roth IRA (confirmed from the paper form)" in done.text
    assert ":confirm:" not in page_client.get("/questions?group=all").text
    lines = page_client.get("/lines").text
    assert "scan.awaiting_confirmation" not in lines and "No 2025 Form 5498 of the Roth IRA" not in lines
    _assert_confirmed(json.loads(page_client.get("/download/case.json").text))
