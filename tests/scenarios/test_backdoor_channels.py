"""The backdoor Roth IRA beside a mega backdoor, reached through every channel a person uses — the
terminal (a real pseudo-terminal), `--ask` from standard input, the options, the page — from the
two 1099-R PDFs, without a case file written by hand.

Worked case (issue 19; Form 8606 (2025) and its instructions, lines 1-18): a plan 1099-R, code G,
box 1 $10,200, box 2a $200, box 5 $10,000, rolled to a Roth IRA; an IRA 1099-R, code 2, box 1
$7,010, box 2a $7,010, taxable amount not determined, IRA/SEP/SIMPLE, converted, after a $7,000
nondeductible contribution for 2025 and no other IRA money. Form 1040: 4a 7,010, 4b 10, 5a 10,200,
5b 200, line 5c box 1. Form 8606: line 1 7,000, 3 7,000, 16 7,010, 17 7,000, 18 10 in whole dollars
(line 10 = 7,000 / 7,010 = .99857, so in cents line 17 is $6,999.98 and line 18 $10.02).

The couple (same forms, plus the spouse's own $7,010 conversion after a $7,000 nondeductible
contribution, with $93,000 in a rollover IRA on December 31): the spouse's line 10 is
7,000 / (93,000 + 7,010) = .06999, line 17 $490.63, line 18 $6,519.37 (the pro-rata rule, i8606
line 6); the taxpayer's line 18 stays $10.02; 4b $6,529.39.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from megaroth.cli import app
from tests.helpers import ORIGIN, csrf

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "fixtures" / "pdf"
PLAN, IRA, SPOUSE_IRA = (PDF / "backdoor_plan_1099r.pdf", PDF / "backdoor_ira_1099r.pdf",
                         PDF / "backdoor_spouse_ira_1099r.pdf")
# The individual's answers, in the order asked: both forms are Pat's (the plan prints the TIN in
# full, the custodian masks it), both went to a Roth IRA, then Form 8606's facts: line 1, line 2,
# line 6, line 4, the deducted part.
INDIVIDUAL = ["me me", "roth_ira", "roth_ira", "7000", "0", "0", "0", "0"]
SPOUSE_FACTS = ["7000", "0", "93000", "0", "0"]
runner = CliRunner()


def lines(document: dict) -> dict[str, str]:
    return document["lines"]


def form_8606(document: dict, role: str = "taxpayer") -> dict[str, tuple[str, str]]:
    person = next(p for p in document["people"] if p["role"] == role)
    return {line["line"]: (line["amount"], line["whole_dollars"]) for line in person["form_8606"]["lines"]}


def assert_individual(document: dict) -> None:
    assert document["complete"] is True and document["missing_facts"] == []
    assert lines(document) == {"4a": "7010.00", "4b": "10.02", "5a": "10200.00", "5b": "200.00", "25b": None}
    assert document["lines_whole_dollars"]["4b"] == "10"
    f8606 = form_8606(document)
    assert f8606["1"] == ("7000.00", "7000") and f8606["3"] == ("7000.00", "7000")
    assert f8606["16"] == ("7010.00", "7010")
    assert f8606["17"] == ("6999.98", "7000") and f8606["18"] == ("10.02", "10")
    assert any(n["text"].startswith("Check box 1") or "5c" in json.dumps(n) for n in document["notations"])


def test_ask_from_standard_input_gives_the_worked_lines_and_keeps_the_answers(tmp_path):
    saved = tmp_path / "pat.json"
    result = runner.invoke(app, ["report", str(PLAN), str(IRA), "--ask", "--json", "--save-case", str(saved)],
                           input="\n".join(INDIVIDUAL) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{")  # nothing of the prompts on stdout (no stray space)
    assert_individual(json.loads(result.stdout))
    assert "How much did you put into traditional IRAs for 2025" in result.stderr
    assert "Line 14 of the last Form 8606" in result.stderr  # where to find the basis
    facts = json.loads(saved.read_text())["taxpayer"]["ira"]
    assert facts["nondeductible_contributions"] == "7000.00" and facts["year_end_value"] == "0.00"
    again = runner.invoke(app, ["report", str(saved), "--json", "--ask"], input="")
    assert again.exit_code == 0 and "How much" not in again.stderr  # the kept case asks nothing
    assert_individual(json.loads(again.stdout))


def test_without_the_facts_the_result_is_incomplete_with_the_amount_at_stake():
    result = runner.invoke(app, ["report", str(IRA), "--to", "roth_ira", "--json", "--no-input"])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["complete"] is False
    missing = {m["name"]: m["at_stake"] for m in document["missing_facts"]}
    assert missing == {"ira_nondeductible_contributions": "7000.00", "ira_basis": "7010.00"}
    assert "line 4b is $7,000.00 too high" in document["missing_facts"][0]["message"]
    assert "INCOMPLETE" in result.stderr
    markdown = runner.invoke(app, ["report", str(IRA), "--to", "roth_ira", "--no-input"]).stdout
    assert "INCOMPLETE: facts still needed" in markdown and "`--fact ira_basis=…`" in markdown


def test_i_dont_know_leaves_the_fact_out_and_the_result_incomplete(tmp_path):
    answers = ["me me", "roth_ira", "roth_ira", "7000", "?", "0", "0", "0"]
    result = runner.invoke(app, ["report", str(PLAN), str(IRA), "--ask", "--json", "--save-case",
                                 str(tmp_path / "x.json")], input="\n".join(answers) + "\n")
    assert result.exit_code == 3, result.stderr
    document = json.loads(result.stdout)
    assert [m["name"] for m in document["missing_facts"]] == ["ira_basis"]
    assert "basis" not in json.loads((tmp_path / "x.json").read_text())["taxpayer"]["ira"]


def test_the_options_carry_every_fact_for_one_form():
    facts = ["--fact", "ira_nondeductible_contributions=7,000", "--fact", "ira_basis=0", "--fact",
             "ira_year_end_value=0", "--fact", "ira_contributions_made_next_year=0", "--fact",
             "ira_deductible_contributions=0"]
    result = runner.invoke(app, ["report", str(IRA), "--to", "roth_ira", "--json", "--no-input", *facts])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert lines(document)["4b"] == "10.02" and form_8606(document)["18"] == ("10.02", "10")
    quick = runner.invoke(app, ["quick", "--box-1", "7010", "--box-2a", "7010", "--not-determined", "--code", "2",
                                "--ira", "--to", "roth_ira", "--json", *facts])
    assert quick.exit_code == 0 and json.loads(quick.stdout)["lines"]["4b"] == "10.02"
    guide = runner.invoke(app, ["guide", str(IRA), "--to", "roth_ira", "--no-input", "-p", "turbotax", *facts])
    assert guide.exit_code == 0 and "INCOMPLETE" not in guide.stdout
    assert "7,000" in guide.stdout  # the nondeductible contribution to enter


@pytest.mark.parametrize("fact, words", [
    ("ira_bassis=0", "not a fact megaroth knows"),
    ("ira_basis=abc", "not an amount"),
    ("ira_basis", "NAME=VALUE"),
    ("spouse_ira_basis=0", "no spouse"),
    ("birth_date=1985-13-01", "not a date"),
])
def test_a_bad_fact_option_is_a_usage_error_naming_it(fact, words):
    result = runner.invoke(app, ["report", str(IRA), "--to", "roth_ira", "--no-input", "--fact", fact])
    assert result.exit_code == 2 and "--fact" in result.stderr and words in result.stderr


def test_the_couple_each_with_a_backdoor_and_the_spouse_caught_by_the_pro_rata_rule(tmp_path):
    answers = ["me me spouse", "roth_ira", "roth_ira", "roth_ira", "7000", "0", "0", "0", "0", *SPOUSE_FACTS]
    result = runner.invoke(app, ["report", str(PLAN), str(IRA), str(SPOUSE_IRA), "--ask", "--json",
                                 "--save-case", str(tmp_path / "couple.json")], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["filing_status"] == "married_filing_jointly" and document["complete"]
    assert lines(document)["4b"] == "6529.39" and lines(document)["4a"] == "14020.00"
    assert form_8606(document, "taxpayer")["18"] == ("10.02", "10")
    spouse = form_8606(document, "spouse")
    assert spouse["6"] == ("93000.00", "93000") and spouse["17"] == ("490.63", "491")
    assert spouse["18"] == ("6519.37", "6519")
    assert "Robin Example: What were all of your spouse's traditional" in result.stderr
    assert any(f["code"] == "form_8606.pro_rata" for f in document["findings"])


def test_different_people_are_never_merged_without_asking():
    alone = runner.invoke(app, ["report", str(PLAN), str(IRA), "--no-input"])
    assert alone.exit_code == 1 and "2 taxpayers" in alone.stderr
    refused = runner.invoke(app, ["report", str(PLAN), str(IRA), "--ask"], input="no\n")
    assert refused.exit_code == 1 and "not put together" in refused.stderr
    assert "***-**-1234" in refused.stderr and "400-00-1234" not in refused.stderr


def test_end_of_input_at_a_question_is_a_usage_exit_and_saves_nothing(tmp_path):
    saved = tmp_path / "x.json"
    result = runner.invoke(app, ["report", str(PLAN), str(IRA), "--ask", "--save-case", str(saved)],
                           input="me me\nroth_ira\n")
    assert result.exit_code == 2 and "end of input" in result.stderr and "not saved" in result.stderr
    assert "internal error" not in result.stderr and not saved.exists()


# ------------------------------------------------------------------------ a real terminal
PROMPT = re.compile(r"(Answer|DEST=AMOUNT): *$")


def _terminal(args: list[str], replies: list[str], cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run megaroth with a pseudo-terminal as its stdin and stderr (what a person's terminal is),
    typing the next reply each time a prompt waits; returns the exit code and what it showed."""
    main, secondary = os.openpty()
    def controlling_terminal() -> None:  # as a login shell gives it: Ctrl-C then signals the program
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        # A shell starts a program with SIGINT at its default and unblocked; the test process may
        # not be in that state (a pytest worker's libraries can leave SIGINT ignored or masked, and
        # both are inherited through exec: Python then never sees Ctrl-C and the session hung for
        # 60 s once in a full run). Give the child what a person's shell gives it.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen([sys.executable, "-m", "megaroth", *args], stdin=secondary, stderr=secondary,
                               stdout=subprocess.DEVNULL, cwd=cwd, close_fds=True, preexec_fn=controlling_terminal)
    os.close(secondary)
    shown, since, pending = "", "", list(replies)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(main, 4096).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
                since += chunk
            if pending and PROMPT.search(since):
                os.write(main, pending.pop(0).encode())
                since = ""
            if process.poll() is not None and not ready:
                break
        else:
            process.kill()
            pytest.fail(f"the terminal session did not end: {shown[-2000:]}")
    finally:
        os.close(main)
    return process.wait(timeout=10), shown


def test_the_terminal_interview_in_a_pseudo_terminal(tmp_path):
    out = tmp_path / "w.json"
    replies = [f"{a}\n" for a in INDIVIDUAL]
    code, shown = _terminal(["report", str(PLAN), str(IRA), "-o", str(out), "--save-case", str(tmp_path / "c.json")],
                            replies, tmp_path)
    assert code == 0, shown[-3000:]
    assert "The forms name 2 people" in shown and "Where to find it:" in shown
    assert_individual(json.loads(out.read_text()))


def test_ctrl_c_at_a_question_ends_cleanly_with_130(tmp_path):
    code, shown = _terminal(["report", str(PLAN), str(IRA), "--save-case", str(tmp_path / "c.json")],
                            ["me me\n", "\x03"], tmp_path)
    assert code == 130 and "interrupted" in shown and "internal error" not in shown
    assert not (tmp_path / "c.json").exists()


def test_ctrl_d_at_a_question_ends_cleanly(tmp_path):
    code, shown = _terminal(["report", str(PLAN), str(IRA), "--save-case", str(tmp_path / "c.json")],
                            ["me me\n", "\x04"], tmp_path)
    assert code == 2 and "end of input" in shown and "internal error" not in shown
    assert not (tmp_path / "c.json").exists()


# ------------------------------------------------------------------------ the page
def _line(page: str, key: str) -> str:
    return re.search(rf"<td>{re.escape(key)}</td><td>[^<]*</td>\s*<td class=\"n\">([^<]*)</td>", page).group(1)


def _fact_inputs(page: str) -> list[str]:
    return re.findall(r'name="q:((?:taxpayer|spouse)\.[a-z_.]+)"', page)


def _answer_page(client, page: str, answers: dict[str, str]):
    result = client.post("/answers", headers=ORIGIN, data={"csrf": csrf(page), **answers})
    assert result.status_code == 200, result.text[:2000]
    return result.text


def _upload(client, *paths: Path) -> str:
    files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in paths]
    return client.post("/upload", data={"csrf": csrf(client.get("/").text)}, headers=ORIGIN, files=files).text


def _facts_until_done(client, page: str, values: dict[str, str]) -> str:
    """Answer the fact questions the page shows, round by round, as a person fills the form."""
    for _ in range(6):
        wanted = [f for f in _fact_inputs(page) if f"{f}" in values and f'name="q:{f}" value=""' in page]
        if not wanted:
            return page
        page = _answer_page(client, page, {f"q:{f}": values[f] for f in wanted})
    return page


def test_the_page_asks_whose_the_forms_are_then_the_facts(page_client):
    page = _upload(page_client, PLAN, IRA)
    assert "Are these forms all yours?" in page and "***-**-1234" in page and "400-00-1234" not in page
    page = page_client.post("/people", headers=ORIGIN, data={
        "csrf": csrf(page), "same": "yes", "whose:0": "taxpayer", "whose:1": "taxpayer"}).text
    page = page_client.get("/questions?group=all").text  # the page asks one form at a time; here all at once
    forms = re.findall(r'name="q:([\w-]+):allocation:roth_ira"', page)
    assert len(forms) == 2
    # the IRA form is offered only an IRA's destinations
    assert f'name="q:{forms[1]}:allocation:designated_roth_same_plan"' not in page
    page = _answer_page(page_client, page, {
        f"q:{forms[0]}:allocation:roth_ira": "10,200.00", f"q:{forms[1]}:allocation:roth_ira": "7,010.00"})
    assert "Not final: facts still needed" in page and "line 4b is $7,000.00 too high" in page
    assert "Line 14 of the last Form 8606 filed" in page  # where to find it
    page = _facts_until_done(page_client, page, {
        "taxpayer.ira.nondeductible_contributions": "7000", "taxpayer.ira.basis": "0",
        "taxpayer.ira.year_end_value": "0", "taxpayer.ira.contributions_made_next_year": "0",
        "taxpayer.ira.deductible_contributions": "0"})
    assert "Not final" not in page
    assert (_line(page, "4a"), _line(page, "4b"), _line(page, "5a"), _line(page, "5b")) == (
        "$7,010.00", "$10.02", "$10,200.00", "$200.00")
    document = json.loads(page_client.get("/download/worksheet.json").text)
    assert_individual(document)


def test_the_page_puts_a_couple_on_one_joint_return(page_client):
    page = _upload(page_client, PLAN, IRA, SPOUSE_IRA)
    page = page_client.post("/people", headers=ORIGIN, data={
        "csrf": csrf(page), "same": "yes", "whose:0": "taxpayer", "whose:1": "taxpayer",
        "whose:2": "spouse"}).text
    page = page_client.get("/questions?group=all").text
    forms = re.findall(r'name="q:([\w-]+):allocation:roth_ira"', page)
    page = _answer_page(page_client, page, {
        f"q:{forms[0]}:allocation:roth_ira": "10200", f"q:{forms[1]}:allocation:roth_ira": "7010",
        f"q:{forms[2]}:allocation:roth_ira": "7010"})
    values = {}
    for role, facts in (("taxpayer", ["7000", "0", "0", "0", "0"]), ("spouse", SPOUSE_FACTS)):
        values.update(zip([f"{role}.ira.nondeductible_contributions", f"{role}.ira.basis",
                           f"{role}.ira.year_end_value", f"{role}.ira.contributions_made_next_year",
                           f"{role}.ira.deductible_contributions"], facts))
    page = _facts_until_done(page_client, page, values)
    assert "Not final" not in page
    assert _line(page, "4b") == "$6,529.39"
    document = json.loads(page_client.get("/download/worksheet.json").text)
    assert form_8606(document, "spouse")["18"] == ("6519.37", "6519")
    assert Decimal(lines(document)["4b"]) == Decimal("10.02") + Decimal("6519.37")


def test_compare_without_the_facts_names_them_first_not_a_software_mistake():
    """The correct software return (4b 10) against megaroth without Form 8606's facts: the first
    cause is megaroth's missing facts, not a mistake of the software's."""
    result = runner.invoke(app, ["compare", str(IRA), "--to", "roth_ira", "--no-input", "--line-4a", "7010",
                                 "--line-4b", "10", "--json"])
    document = json.loads(result.stdout)
    first = document["diagnoses"][0]
    assert first["key"] == "megaroth_facts_missing" and first["amount"] == "7010.00"
    assert "Form 8606 line 1" in first["explanation"]
    facts = ["--fact", "ira_nondeductible_contributions=7000", "--fact", "ira_basis=0", "--fact",
             "ira_year_end_value=0", "--fact", "ira_contributions_made_next_year=0", "--fact",
             "ira_deductible_contributions=0"]
    agreed = runner.invoke(app, ["compare", str(IRA), "--to", "roth_ira", "--no-input", "--line-4a", "7010",
                                 "--line-4b", "10", *facts])
    assert agreed.exit_code == 0, agreed.stdout
