"""`megaroth serve` in a real headless Chromium: a real 1099-R PDF uploaded, the questions
answered, the Form 1040 lines seen, the worksheet downloaded; a real
IRS Form 1040 dropped and compared; a bad file; and a form posted from another origin.

The values are those of the IRS fillable code G 1099-R (fixtures/pdf/irs_fillable_code_g.pdf:
box 1 10,200, 2a 200, 5 10,000; tests/importers/test_regression.py, tests/cli/test_compare_cli.py):
5a 10,200 and 5b 200 before any answer; with the after-tax 10,000 to a Roth IRA and the 200 of
earnings to a traditional IRA, 5b is 0 (tests/test_web.py, the typed boxes).
"""

from __future__ import annotations

import http.server
import io
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "fixtures" / "pdf"
FORM_ID = "irs-fillable-code-g-p1"


def _by(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def _line(driver, key: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//table/tbody/tr[td[1]='{key}']/td[3]").text


def _submit(driver, form_action: str) -> None:
    """Send the form and wait for the page that answers it (a click does not wait for it)."""
    _click_and_wait(driver, _by(driver, f'form[action="{form_action}"] button[type="submit"]'))


def _click_and_wait(driver, element) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    from selenium.common.exceptions import WebDriverException

    old = driver.find_element("tag name", "html")
    element.click()
    wait = WebDriverWait(driver, 20)

    def gone(_) -> bool:
        """The old page is gone; chromedriver sometimes says so with "Node … does not belong to the
        document" (a WebDriverException) instead of a stale element, while the new page loads."""
        try:
            return expected_conditions.staleness_of(old)(driver)
        except WebDriverException:
            return True
    wait.until(gone)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _upload(driver, path: Path) -> None:
    _by(driver, 'input[name="files"]').send_keys(str(path))
    _submit(driver, "/upload")


def _answer(driver, amounts: dict[str, str]) -> None:
    for destination, amount in amounts.items():
        field = _by(driver, f'input[id="{FORM_ID}:allocation:{destination}"]')
        field.clear()
        field.send_keys(amount)
    _submit(driver, "/answers")


def _download(driver, downloads: Path, link_text: str, name: str) -> bytes:
    from selenium.webdriver.common.by import By

    driver.find_element(By.PARTIAL_LINK_TEXT, link_text).click()
    path = downloads / name
    deadline = time.monotonic() + 15
    while not path.is_file() or any(downloads.glob("*.crdownload")):
        assert time.monotonic() < deadline, f"{name} was not downloaded: {sorted(p.name for p in downloads.iterdir())}"
        time.sleep(0.05)
    return path.read_bytes()


def test_a_1099r_pdf_answered_gives_the_lines_and_the_downloads(browser, downloads, screenshot):
    from pypdf import PdfReader

    assert browser.title == "megaroth — 1 Your forms" and "127.0.0.1" in _by(browser, "p").text
    screenshot(browser, "01-start")
    _upload(browser, PDF / "irs_fillable_code_g.pdf")
    assert _by(browser, '.steps a[aria-current="step"]').text == "2 Questions"  # the step it is at
    question = _by(browser, 'form[action="/answers"]').text
    assert "Where did the money go, and how much to each place?" in question and "box 1 is $10,200.00" in question
    _answer(browser, {"roth_ira": "10000.00", "traditional_ira": "200.00"})
    assert not browser.find_elements("css selector", ".error")
    assert [_line(browser, k) for k in ("4a", "5a", "5b", "25b")] == ["", "$10,200.00", "$0.00", ""]
    assert "Form 8606 does not apply" in browser.page_source
    assert _by(browser, '.steps a[aria-current="step"]').text == "3 Your Form 1040 lines"
    assert _by(browser, "tr.check").text.startswith("5c Line 5c, box 1 (Rollover): ☑ check it")
    assert "Saved: Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042)" in _by(browser, ".saved").text
    screenshot(browser, "02-lines")

    browser.switch_to.frame(_by(browser, 'iframe[title="worksheet"]'))
    worksheet = browser.find_element("tag name", "body").text
    browser.switch_to.default_content()
    assert "Mega backdoor Roth worksheet" in worksheet and "***-**-1234" in worksheet
    assert "400-00-1234" not in worksheet

    markdown = _download(browser, downloads, "worksheet (Markdown)", "worksheet.md").decode()
    assert "| 5a | Pensions and annuities | $10,200.00 | 10,200 |" in markdown
    assert "| 5b | Pensions and annuities: taxable amount | $0.00 | 0 |" in markdown
    pdf = _download(browser, downloads, "worksheet (PDF)", "worksheet.pdf")
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "10,200.00" in text and "400-00-1234" not in text
    # The filled forms' zip is read back in tests/test_web.py; here its link is on the page.
    assert _by(browser, 'a[href="/download/irs-forms-2025.zip"]').text.startswith("the IRS forms, filled")


def test_a_real_irs_1040_is_compared_with_its_diagnosis(browser, server, tmp_path, screenshot):
    from tests.realforms.irs_fill import fill

    software = tmp_path / "f1040-2025.pdf"  # the IRS's own 2025 form, filled as software does: box 1 taxed
    software.write_bytes(fill("f1040", 2025, {"ira_gross": "", "ira_taxable": "", "pension_gross": "10,200.00",
                                              "pension_taxable": "10,200.00", "withholding": "",
                                              "pension_rollover": True}, "fillable"))
    _upload(browser, PDF / "irs_fillable_code_g.pdf")  # unanswered: 5b 200
    browser.get(server + "/compare")  # step 5, straight from the step list
    _by(browser, 'input[name="software"]').send_keys(str(software))
    _submit(browser, "/software")
    assert "Comparison with f1040-2025.pdf: they differ" in browser.page_source
    diagnosis = _by(browser, "ol.diagnoses").text
    assert "Taxed all of box 1 of Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042)" in diagnosis
    assert FORM_ID not in diagnosis  # the payer and account, not megaroth's id
    assert "Line 5b should then show $200.00" in diagnosis
    screenshot(browser, "03-comparison")

    browser.switch_to.frame(_by(browser, 'iframe[title="comparison"]'))
    from selenium.webdriver.common.by import By

    row = browser.find_element(By.XPATH, "//tr[td[1]='5b']").text
    browser.switch_to.default_content()
    assert "200 10,200 +10,000 DIFFERS" in row


def test_a_bad_file_is_shown_on_the_page(browser, screenshot):
    _upload(browser, PDF / "damaged_truncated.pdf")
    error = _by(browser, '.error[role="alert"]').text
    assert error.startswith("Error:") and "damaged_truncated.pdf" in error
    assert "<h3>Case:" not in browser.page_source
    screenshot(browser, "04-error")


@pytest.fixture
def other_origin(server):
    """A page on another port of 127.0.0.1 (same site, other origin) whose form posts to the server."""
    page = (f'<!doctype html><title>other</title><form method="post" action="{server}/upload" '
            'enctype="multipart/form-data"><input type="hidden" name="csrf" value="guessed">'
            '<button type="submit">Send</button></form>').encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    # Threads: Chromium keeps a spare connection open, which would hold a one-at-a-time server.
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_post_from_another_origin_or_with_a_stale_token_is_refused(browser, server, other_origin):
    browser.get(other_origin)
    _click_and_wait(browser, _by(browser, "button"))  # the cookie goes along (same site); the Origin tells
    assert browser.current_url.startswith(server)
    assert "refused: the request did not come from this page (cross-origin)" in _by(browser, ".error").text
    browser.get(server + "/")
    browser.execute_script("document.querySelector('form[action=\"/upload\"] input[name=csrf]').value = 'stale'")
    _upload(browser, PDF / "irs_fillable_code_g.pdf")
    assert "refused: this form is out of date or not from this page" in _by(browser, ".error").text
    browser.get(server + "/")
    assert "Case:" not in browser.page_source  # neither post loaded anything


def _length(response: bytes) -> int:
    head = response.split(b"\r\n\r\n", 1)[0].lower()
    return int(head.split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])


def test_the_real_server_refuses_a_chunked_upload_over_the_limit_before_its_end(server):
    """No browser needed: a chunked body (no Content-Length) sent to uvicorn is answered 413 once
    past 64 MiB, while the client still has more to send."""
    import select
    import socket

    from megaroth.web import MAX_REQUEST_BYTES

    host, port = server.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=20)
    with sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        first = b""
        while chunk := sock.recv(65536):
            first += chunk
    cookie = first.split(b"set-cookie: ", 1)[1].split(b";", 1)[0].decode()
    chunk = b"%" * (1 << 20)
    sent, answer = 0, b""
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall((f"POST /upload HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: {server}\r\nCookie: {cookie}\r\n"
                      "Content-Type: multipart/form-data; boundary=xyz\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        head = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n\r\n'
        sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
        while sent < 2 * MAX_REQUEST_BYTES:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
            data = sock.recv(65536)
            assert data, f"the connection closed before the answer was whole: {answer[:200]!r}"
            answer += data
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"refused: the upload is larger than 64 MiB" in answer
    assert MAX_REQUEST_BYTES <= sent < 2 * MAX_REQUEST_BYTES, sent


def test_a_backdoor_beside_a_mega_backdoor_from_two_pdfs(browser, server, screenshot):
    """Issue 19's individual (tests/scenarios/test_backdoor_channels.py has the worked case): the
    plan's 1099-R prints the TIN in full, the custodian's masks it; the page asks whose they are,
    where each went and Form 8606's facts, then shows 4b $10.02 (10 filed) and no warning left."""
    from selenium.webdriver.common.by import By

    _by(browser, 'input[name="files"]').send_keys(
        f"{PDF / 'backdoor_plan_1099r.pdf'}\n{PDF / 'backdoor_ira_1099r.pdf'}")
    _submit(browser, "/upload")
    people = _by(browser, 'form[action="/people"]').text
    assert "Are these forms all yours?" in people and "***-**-1234" in people
    _click_and_wait(browser, _by(browser, 'form[action="/people"] button[value="yes"]'))
    browser.get(server + "/questions?group=all")  # both forms' questions on one page
    for form_id, amount in (("backdoor-plan-1099r-p1", "10,200.00"), ("backdoor-ira-1099r-p1", "7,010.00")):
        _by(browser, f'input[id="{form_id}:allocation:roth_ira"]').send_keys(amount)
    _submit(browser, "/answers")
    assert "Not final: facts still needed" in browser.page_source
    screenshot(browser, "05-backdoor-facts")
    answers = {"taxpayer.ira.nondeductible_contributions": "7000", "taxpayer.ira.basis": "0",
               "taxpayer.ira.year_end_value": "0", "taxpayer.ira.contributions_made_next_year": "0",
               "taxpayer.ira.deductible_contributions": "0"}
    for _ in range(5):
        empty = [e for e in browser.find_elements(By.CSS_SELECTOR, 'input[name^="q:taxpayer."]')
                 if not e.get_attribute("value")]
        if not empty:
            break
        for element in empty:
            element.send_keys(answers[element.get_attribute("name")[2:]])
        _submit(browser, "/answers")
    assert "Not final" not in browser.page_source
    assert [_line(browser, k) for k in ("4a", "4b", "5a", "5b")] == ["$7,010.00", "$10.02", "$10,200.00", "$200.00"]
    screenshot(browser, "06-backdoor-lines")
