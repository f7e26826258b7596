"""A scanned Form 5498's boxes awaiting confirmation, answered in a real Chromium as a person does: the
case of tests/scenarios/scanned_5498_case.py (Pat Example's Roth IRA R-5521 at Brokerage Co: box 2
10,000.00 typed, box 7 "Roth IRA" and box 11 "No, empty" chosen, the account number typed; the
traditional IRA's box 5 203.10 and box 14b blank), one form's group after the other, the questions
page passing the accessibility audit with its radio buttons; then the lines have no box awaiting."""

from __future__ import annotations

from tests.browser.test_page_steps import _axe
from tests.browser.test_serve_in_chromium import _by, _submit, _upload
from tests.scenarios.scanned_5498_case import write_case


def _type(driver, question: str, text: str) -> None:
    field = _by(driver, f'input[name="q:{question}"]')
    field.clear()
    field.send_keys(text)


def test_the_boxes_of_a_scanned_5498_are_answered_on_the_page(browser, server, tmp_path):
    _upload(browser, write_case(tmp_path))
    browser.get(server + "/questions?group=roth-5498")
    assert "Which kind of IRA is checked in box 7 on the paper form?" in browser.page_source
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    try:
        assert _axe(browser) == []
    finally:
        browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
    _type(browser, "roth-5498:confirm:box_2", "10,000.00")
    _by(browser, 'input[name="q:roth-5498:confirm:box_7"][value="roth_ira"]').click()
    _by(browser, 'input[name="q:roth-5498:confirm:box_11"][value="no"]').click()
    _type(browser, "roth-5498:confirm:account_number", "R-5521")
    _submit(browser, "/answers")
    saved = _by(browser, ".saved").text
    assert "box 2, 10,000.00 (confirmed from the paper form)" in saved and "box 11 (an RMD is due for next year), " \
        "No, empty" in saved
    assert "group=trad-5498" in browser.current_url, browser.current_url
    _type(browser, "trad-5498:confirm:box_5", "203.10")
    _type(browser, "trad-5498:confirm:box_14b", "blank")
    _submit(browser, "/answers")
    browser.get(server + "/lines")
    page = browser.page_source
    assert "awaiting_confirmation" not in page and "No 2025 Form 5498 of the Roth IRA" not in page
