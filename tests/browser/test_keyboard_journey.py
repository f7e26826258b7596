"""The whole journey by keyboard alone on a 390-pixel phone (issue 22): the mega backdoor's plan 1099-R
and the backdoor IRA's 1099-R uploaded (a file chooser is the operating system's: Selenium types
the path into it), both forms said to be one person's, where each went, Form 8606's facts, the
lines with line 5c's box, TurboTax's steps, and the software's Form 1040 compared — every step
reached with Tab and Enter only, and none scrolling sideways.

Worked case: tests/scenarios/test_backdoor_channels.py (issue 19's individual; Form 8606 (2025)):
4a $7,010.00, 4b $10.02 (10 filed), 5a $10,200.00, 5b $200.00, line 5c box 1; the software's correct
return (4a 7,010, 4b 10, 5a 10,200, 5b 200, 5c ticked) agrees.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "fixtures" / "pdf"
FACTS = {"nondeductible_contributions": "7000", "basis": "0", "year_end_value": "0",
         "contributions_made_next_year": "0", "deductible_contributions": "0"}
AMOUNTS = {"backdoor-plan-1099r-p1": "10200", "backdoor-ira-1099r-p1": "7010"}


def _active_matches(driver, css: str) -> bool:
    return driver.execute_script("return document.activeElement && document.activeElement.matches(arguments[0])",
                                 css)


def _tab_to(driver, css: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches `css` (as a person tabs through the page)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        if _active_matches(driver, css):
            return
        ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"Tab never reached {css!r} on {driver.current_url}")


def _enter_and_wait(driver) -> None:
    """Press Enter on the focused control and wait for the page it leads to."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element("tag name", "html")
    ActionChains(driver).send_keys(Keys.ENTER).perform()

    def changed(d) -> bool:
        try:
            old.tag_name  # raises once the old page is gone
            return False
        except (StaleElementReferenceException, WebDriverException):
            return d.execute_script("return document.readyState") == "complete"
    WebDriverWait(driver, 30).until(changed)


def _fits(driver) -> None:
    width, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{driver.current_url} scrolls sideways at {inner} px: {width} px wide"


def _line(driver, key: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//table/tbody/tr[th[1]='{key}' or td[1]='{key}']/td[last()]").text


def test_the_whole_journey_by_keyboard_on_a_phone(browser, tmp_path, screenshot):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    from tests.realforms.irs_fill import fill

    def shot(name: str) -> None:
        # The screenshot fixture widens the window to the page's whole height at 1200 px; the
        # journey goes on at the phone's width.
        screenshot(browser, name)
        browser.set_window_size(390, 844)

    browser.set_window_size(390, 844)
    browser.refresh()
    _fits(browser)
    # 1. the two forms: the file chooser gets the paths, then Tab to Read and Enter
    browser.find_element(By.CSS_SELECTOR, 'input[name="files"]').send_keys(
        f"{PDF / 'backdoor_plan_1099r.pdf'}\n{PDF / 'backdoor_ira_1099r.pdf'}")
    _tab_to(browser, 'form[action="/upload"] button[type="submit"]')
    _enter_and_wait(browser)
    _fits(browser)
    # both are Pat's: the plan prints the TIN in full, the custodian masks it
    _tab_to(browser, 'form[action="/people"] button[value="yes"]')
    _enter_and_wait(browser)
    # 2. the questions, one group at a time, typed and sent with Enter
    for _ in range(8):
        _fits(browser)
        empty = [e for e in browser.find_elements(By.CSS_SELECTOR, 'form[action="/answers"] input[name^="q:"]')
                 if e.is_displayed() and e.get_attribute("type") in ("text", "number", None, "")
                 and not e.get_attribute("value")]
        wanted = []
        for element in empty:
            name = element.get_attribute("name")[2:]
            form_id, _, rest = name.partition(":allocation:")
            if rest == "roth_ira" and form_id in AMOUNTS:
                wanted.append((name, AMOUNTS[form_id]))
            elif name.startswith("taxpayer.ira.") and name.removeprefix("taxpayer.ira.") in FACTS:
                wanted.append((name, FACTS[name.removeprefix("taxpayer.ira.")]))
        if not wanted:
            break
        for name, value in wanted:
            _tab_to(browser, f'input[name="q:{name}"]')
            ActionChains(browser).send_keys(value).perform()
        _enter_and_wait(browser)
    shot("keyboard-questions-done")
    # 3. the lines
    if "/lines" not in browser.current_url:
        _tab_to(browser, 'a[href="/lines"]')
        _enter_and_wait(browser)
    _fits(browser)
    page = browser.page_source
    assert "Not final" not in page
    assert "$10.02" in page and "$7,010.00" in page and "$10,200.00" in page
    assert "Line 5c, box 1 (Rollover): ☑" in browser.find_element(By.TAG_NAME, "main").text
    shot("keyboard-lines")
    # 4. what to type into TurboTax
    _tab_to(browser, 'a[href="/guide"]')
    _enter_and_wait(browser)
    _fits(browser)
    _tab_to(browser, 'input[name="product"][value="turbotax"]')
    ActionChains(browser).send_keys(" ").perform()  # a radio button is chosen with the space bar
    _tab_to(browser, 'form[action="/guide"] button[type="submit"]')
    _enter_and_wait(browser)
    assert "TurboTax" in browser.find_element(By.TAG_NAME, "main").text
    # 5. the software's return compared: the IRS's own 2025 Form 1040, filled as software does
    software = tmp_path / "f1040-2025.pdf"
    software.write_bytes(fill("f1040", 2025, {"ira_gross": "7,010", "ira_taxable": "10", "pension_gross": "10,200",
                                              "pension_taxable": "200", "withholding": "", "pension_rollover": True},
                              "fillable"))
    _tab_to(browser, 'a[href="/compare"]')
    _enter_and_wait(browser)
    browser.find_element(By.CSS_SELECTOR, 'input[name="software"]').send_keys(str(software))
    _tab_to(browser, 'form[action="/software"] button[type="submit"]')
    _enter_and_wait(browser)
    _fits(browser)
    assert "they agree" in browser.find_element(By.TAG_NAME, "main").text
    shot("keyboard-compare")
