"""Every step of `megaroth serve` in a real Chromium, on a phone (360 x 800) and a desktop: no
sideways scrolling, controls a finger can hit (44 px), a clean printout of the lines, and an
accessibility audit (axe-core, vendored in tests/browser/vendor) with no serious or critical
violation; a screenshot of each step at both widths in tests/output/screenshots.

Worked case: the IRS fillable code G 1099-R (fixtures/pdf/irs_fillable_code_g.pdf: Acme Widgets
401(k) Plan, box 1 10,200, 2a 200, 5 10,000) with its 10,000 after-tax to a Roth IRA and 200 to a
traditional IRA: 5a $10,200.00, 5b $0.00, line 5c box 1 checked; compared with software figures
that tax all of box 1 (5b 10,200), so they differ.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_serve_in_chromium import FORM_ID, PDF, _answer, _by, _submit, _upload

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = (360, 800), (1200, 900)
SOFTWARE = {"tax_year": 2025, "form_1040": {"5a": "10200", "5b": "10200"}}
STEPS = (("1-forms", "/"), ("2-questions", f"/questions?group={FORM_ID}"), ("3-lines", "/lines"),
         ("4-guide", "/guide"), ("5-compare", "/compare"))

SMALL_TARGETS = """
return [...document.querySelectorAll(
  'button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, .steps a, .groups a,'
  + ' a.button, summary, label.choice')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName + ' ' + (e.getAttribute('name') || e.textContent.trim().slice(0, 40)),
                      Math.round(r.width), Math.round(r.height)]; })
  .filter(([, w, h]) => w < 44 || h < 44);
"""


@pytest.fixture
def walked(browser, server, tmp_path):
    """A session at its end: the form read, its destinations answered, the software's figures compared."""
    _upload(browser, PDF / "irs_fillable_code_g.pdf")
    _answer(browser, {"roth_ira": "10000.00", "traditional_ira": "200.00"})
    figures = tmp_path / "software.json"
    figures.write_text(json.dumps(SOFTWARE))
    browser.get(server + "/compare")
    _by(browser, 'input[name="software"]').send_keys(str(figures))
    _submit(browser, "/software")
    assert "they differ" in browser.page_source
    return browser


def _axe(driver) -> list[dict]:
    """axe-core's serious and critical violations of WCAG 2.0/2.1 A and AA on the page as it is."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))  # the page's CSP allows no script; the driver's runs
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                   nodes: v.nodes.map(n => n.target.join(' '))}))));""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _shoot(driver, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(800, min(height + 40, 6000)))
    driver.save_screenshot(str(SCREENSHOTS / f"step-{name}-{width}.png"))


def test_every_step_fits_a_360_pixel_phone_with_touch_sized_controls(walked, server):
    walked.set_window_size(*PHONE)
    try:
        for name, path in STEPS:
            walked.get(server + path)
            assert walked.execute_script("return window.innerWidth") <= 360
            scroll = walked.execute_script("return document.documentElement.scrollWidth")
            inner = walked.execute_script("return window.innerWidth")
            assert scroll <= inner, (name, scroll, inner)  # never scrolls sideways
            assert walked.execute_script(SMALL_TARGETS) == [], name
            _shoot(walked, name, PHONE[0])
    finally:
        walked.set_window_size(*DESKTOP)


def test_every_step_passes_the_accessibility_audit(walked, server):
    walked.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})  # for the injected axe only
    try:
        for width in (DESKTOP[0], PHONE[0]):
            walked.set_window_size(width, 900)
            for name, path in STEPS:
                walked.get(server + path)
                assert _axe(walked) == [], (name, width)
                if width == DESKTOP[0]:
                    _shoot(walked, name, width)
    finally:
        walked.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
        walked.set_window_size(*DESKTOP)


def test_an_error_is_tied_to_its_field_and_audited(browser, server):
    """Amounts that do not add up to box 1: the error is announced and named by the fields."""
    _upload(browser, PDF / "irs_fillable_code_g.pdf")
    _answer(browser, {"roth_ira": "5"})
    error = _by(browser, '#error[role="alert"]').text
    assert "add up" in error and "Form 1099-R from Acme Widgets 401(k) Plan" in error
    field = _by(browser, f'input[id="{FORM_ID}:allocation:roth_ira"]')
    assert field.get_attribute("aria-invalid") == "true" and "error" in field.get_attribute("aria-describedby").split()
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    try:
        assert _axe(browser) == []  # the answer's error
        browser.get(server + "/")
        _upload(browser, PDF / "damaged_truncated.pdf")
        assert _axe(browser) == []
    finally:
        browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})


def test_the_lines_print_cleanly(walked, server):
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    from selenium.webdriver.support.wait import WebDriverWait

    walked.get(server + "/lines")
    # As a person waits for the page before printing it: a loaded CI machine once printed it blank.
    WebDriverWait(walked, 30).until(lambda d: "$10,200.00" in d.find_element("tag name", "body").text)
    options = PrintOptions()
    options.page_width, options.page_height = 21.59, 27.94  # US Letter, in centimetres
    pdf = PdfReader(io.BytesIO(base64.b64decode(walked.print_page(options))))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "$10,200.00" in text and "Line 5c, box 1 (Rollover)" in text and "Form 8606" in text
    for screen_only in ("Forget this case", "Compare with your software", "Next: what to type"):
        assert screen_only not in text, screen_only
    assert len(pdf.pages) <= 2, len(pdf.pages)


def test_keyboard_alone_reaches_the_questions_and_saves_them(browser, server):
    """Tab from the top of the page to the first amount, type the split (10,000 to the Roth IRA, Tab,
    200 to the traditional IRA) and send the form with Enter: 5b goes to $0.00."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _upload(browser, PDF / "irs_fillable_code_g.pdf")
    target = f"{FORM_ID}:allocation:roth_ira"
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
        assert outline != "none", focused.get_attribute("outerHTML")[:120]  # focus is visible
        if focused.get_attribute("id") == target:
            break
    else:
        pytest.fail("the first amount was not reached by Tab")
    from selenium.webdriver.support.wait import WebDriverWait

    ActionChains(browser).send_keys("10000" + Keys.TAB + "200" + Keys.ENTER).perform()  # Roth IRA, traditional IRA
    WebDriverWait(browser, 20).until(lambda d: "/lines" in d.current_url
                                     and d.execute_script("return document.readyState") == "complete")
    assert "/lines" in browser.current_url and "Line 5b is now $0.00 (was $200.00)." in _by(browser, ".saved").text


def test_the_allocation_says_what_is_left_of_box_1_as_amounts_are_typed(browser, server):
    """The page's one script (forms/static/page.js, progressive enhancement): the IRS fillable code G form's
    box 1 is $10,200.00; $10,000 typed for the Roth IRA leaves $200.00, then $200 for the traditional IRA
    is all of box 1. Without the script the page works the same (the other tests post the forms)."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, 'input[name="files"]').send_keys(str(PDF / "irs_fillable_code_g.pdf"))
    _submit(browser, "/upload")
    if "/questions" not in browser.current_url:
        browser.get(server + "/questions")
    roth = browser.find_element(By.CSS_SELECTOR, 'input[id$=":allocation:roth_ira"]')
    roth.send_keys("10,000")
    status = browser.find_element(By.CSS_SELECTOR, "p.live-sum[role=status]")
    assert status.text == "Entered $10,000.00 of $10,200.00: $200.00 left."
    browser.find_element(By.CSS_SELECTOR, 'input[id$=":allocation:traditional_ira"]').send_keys("200")
    assert status.text == "Entered $10,200.00 of $10,200.00: all of box 1."
    logs = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and (
        e.get("source") == "javascript" or "page.js" in e["message"] or "Content Security Policy" in e["message"])]
    assert not logs, logs  # no script error, no CSP refusal


def test_the_documents_shown_in_the_steps_pass_the_accessibility_audit(walked, server):
    """The worksheet, the entry guide and the comparison the steps show in frames are pages of their own
    (render/'s templates): audited as the steps are."""
    walked.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})  # for the injected axe only
    try:
        for path in ("/view/worksheet", "/view/guide", "/view/compare"):
            walked.get(server + path)
            assert _axe(walked) == [], path
    finally:
        walked.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
