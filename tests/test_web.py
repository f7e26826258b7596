"""`megaroth serve`: the local page, in-process with Starlette's TestClient."""

import re
from decimal import Decimal
import warnings
from pathlib import Path

import pytest

pytest.importorskip("httpx")
with warnings.catch_warnings():  # newer Starlette prefers httpx2; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from megaroth.web import create_app  # noqa: E402

ROOT = Path(__file__).parent.parent
CASES = ROOT / "fixtures" / "cases"
ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def client():
    with TestClient(create_app(allowed_hosts=("testserver",))) as c:
        yield c


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _upload(client, name: str, path: Path):
    token = _csrf(client.get("/").text)
    return client.post("/upload", data={"csrf": token}, headers=ORIGIN,
                       files=[("files", (name, path.read_bytes(), "application/octet-stream"))])


def _line(page: str, key: str) -> str:
    return re.search(rf"<td>{re.escape(key)}</td><td>[^<]*</td>\s*<td class=\"n\">([^<]*)</td>", page).group(1)


def test_upload_case_shows_line_5b(client):
    page = _upload(client, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json")
    assert page.status_code == 200
    assert _line(page.text, "5b") == "$200.00"
    assert _line(page.text, "5a") == "$10,200.00"
    assert "Form 8606" in page.text
    # One script, the page's own file (live sums, dropping files), never inline: the CSP allows only 'self'.
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/page.js" defer>']
    script = client.get("/static/page.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "live-sum" in script.text
    worksheet = client.get("/view/worksheet")
    assert worksheet.status_code == 200 and "5b" in worksheet.text
    for name in ("worksheet.md", "worksheet.html", "worksheet.json", "case.json"):
        download = client.get(f"/download/{name}")
        assert download.status_code == 200, name
        assert "attachment" in download.headers["content-disposition"]


def test_tins_are_masked(client):
    page = _upload(client, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json").text
    texts = [page] + [client.get(p).text for p in ("/view/worksheet", "/download/worksheet.md",
                                                   "/download/worksheet.json", "/download/case.json")]
    for text in texts:
        assert "400-00-1234" not in text and "400001234" not in text
    assert "1234" in client.get("/download/case.json").text


def test_answering_the_destination_changes_the_lines(client):
    page = _upload(client, "g_without_disposition.json", CASES / "g_without_disposition.json").text
    assert "disposition.missing" in page
    assert 'name="q:acme-unknown:allocation:traditional_ira"' in page
    answered = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page), "q:acme-unknown:allocation:traditional_ira": "10200.00"})
    assert answered.status_code == 200
    assert _line(answered.text, "5b") == "$0.00" or _line(answered.text, "5b") == ""
    assert "disposition.missing" not in answered.text
    wrong = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page), "q:acme-unknown:allocation:roth_ira": "5"})
    assert wrong.status_code == 400 and "add up" in wrong.text


def test_cross_origin_post_is_refused(client):
    token = _csrf(client.get("/").text)
    data = {"csrf": token}
    files = [("files", ("c.json", (CASES / "irr_after_tax_only.json").read_bytes(), "application/json"))]
    evil = client.post("/upload", data=data, files=files, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "cross-origin" in evil.text
    none = client.post("/upload", data=data, files=files)
    assert none.status_code == 403
    bad_token = client.post("/upload", data={"csrf": "x"}, files=files, headers=ORIGIN)
    assert bad_token.status_code == 403
    assert "Line" not in client.get("/").text.split("Case:")[0][-1:]  # nothing was loaded
    assert "<h3>Case:" not in client.get("/").text


def test_foreign_host_is_refused():
    with TestClient(create_app(), base_url="http://attacker.example") as c:
        assert c.get("/").status_code == 403


def test_bad_upload_shows_the_error(client):
    token = _csrf(client.get("/").text)
    page = client.post("/upload", data={"csrf": token}, headers=ORIGIN,
                       files=[("files", ("x.json", b'{"tax_year": 2025, "forms_1099r": [{"id": "<b>x</b>"}]}',
                                         "application/json"))])
    assert 'class="sev-error"' in page.text  # the invalid record is shown
    evil = b'{"tax_year": 2025, "forms_1099r": [{"id": "a", "payer_name": "<b>x</b>", "box_1": "1", "box_7": "G"}]}'
    page = client.post("/upload", data={"csrf": token}, headers=ORIGIN,
                       files=[("files", ("x.json", evil, "application/json"))])
    assert "<b>x</b>" not in page.text and "&lt;b&gt;x&lt;/b&gt;" in page.text  # autoescaped
    page = client.post("/upload", data={"csrf": token}, headers=ORIGIN,
                       files=[("files", ("x.txt", b"not a form at all", "text/plain"))])
    assert page.status_code == 400 and 'class="error"' in page.text and "x.txt" in page.text


def test_typed_boxes_and_software_comparison(client):
    token = _csrf(client.get("/").text)
    page = client.post("/boxes", headers=ORIGIN, data={
        "csrf": token, "tax_year": "2025", "box_1": "10200", "box_2a": "200", "box_5": "10000", "box_7": "G"})
    assert page.status_code == 200 and "typed:allocation" in page.text
    page = client.post("/answers", headers=ORIGIN, data={"csrf": token, "q:typed:allocation:roth_ira": "10000",
                                                          "q:typed:allocation:traditional_ira": "200"})
    assert page.status_code == 200 and _line(page.text, "5b") == "$0.00"
    software = client.post("/software", headers=ORIGIN, data={"csrf": token},
                           files=[("software", ("s.json", b'{"tax_year": 2025, "form_1040": {"5a": "10200", "5b": "10200"}}',
                                                "application/json"))])
    assert software.status_code == 200 and "they differ" in software.text
    assert client.get("/view/compare").status_code == 200


PDF = ROOT / "fixtures" / "pdf"


def _answer_split(client, page: str):
    """The IRS fillable code G 1099-R (box 1 10,200, 2a 200, 5 10,000): the after-tax 10,000 to a
    Roth IRA, the 200 of pretax earnings to a traditional IRA (5b 0)."""
    return client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page), "q:irs-fillable-code-g-p1:allocation:roth_ira": "10000.00",
        "q:irs-fillable-code-g-p1:allocation:traditional_ira": "200.00"})


def _real_1040(pension_taxable: str, way: str = "fillable") -> bytes:
    """The IRS's own 2025 Form 1040 as software fills it (tests/realforms): 5a 10,200, 5c box 1."""
    from tests.realforms.irs_fill import fill

    return fill("f1040", 2025, {"ira_gross": "", "ira_taxable": "", "pension_gross": "10,200.00",
                                "pension_taxable": pension_taxable, "withholding": "", "pension_rollover": True}, way)


def test_pdf_1099r_answers_and_the_pdf_downloads(client):
    import io
    import zipfile

    from pypdf import PdfReader

    from megaroth.importers.base import Document
    from megaroth.importers.f1040_pdf import read_f1040_pdf
    from megaroth.params import load_year

    page = _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf")
    assert page.status_code == 200 and page.url.path == "/questions"  # its question first, then its lines
    lines = client.get("/lines").text
    assert _line(lines, "5a") == "$10,200.00" and _line(lines, "5b") == "$200.00"
    page = _answer_split(client, page.text)
    assert page.url.path == "/lines"
    assert page.status_code == 200
    assert _line(page.text, "5a") == "$10,200.00" and _line(page.text, "5b") == "$0.00"
    assert 'href="/download/worksheet.pdf"' in page.text and 'href="/download/irs-forms-2025.zip"' in page.text

    worksheet = client.get("/download/worksheet.pdf")
    assert worksheet.status_code == 200 and worksheet.headers["content-type"] == "application/pdf"
    assert worksheet.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(worksheet.content)).pages)
    assert "10,200.00" in text and "400-00-1234" not in text

    forms = client.get("/download/irs-forms-2025.zip")
    assert forms.status_code == 200 and forms.headers["content-type"] == "application/zip"
    assert 'filename="irs-forms-2025.zip"' in forms.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(forms.content))
    assert archive.namelist() == ["f1040-2025.pdf"]
    figures = read_f1040_pdf(Document(name="f1040-2025.pdf", data=archive.read("f1040-2025.pdf")), load_year, None)
    assert figures.tax_year == 2025 and not figures.unreadable
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert figures.get("pension_taxable").amount == Decimal("0.00")
    assert client.get("/download/irs-forms-2024.zip").status_code == 404  # not this case's year

    # The entry guide of the split answered above: two 1099-R entries in every product.
    assert 'href="/view/guide"' in page.text
    guide = client.get("/view/guide")
    assert guide.status_code == 200 and "<h2>Entering it in TurboTax (Online and Desktop)</h2>" in guide.text
    assert "part 1 of 2: $10,000.00 to a Roth IRA" in guide.text and "part 2 of 2: $200.00 to a traditional IRA" in guide.text
    markdown = client.get("/download/guide.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "## Entering it in Drake Tax" in markdown.text and 'filename="guide.md"' in markdown.headers["content-disposition"]


def test_comparison_with_a_real_irs_1040_pdf(client):
    page = _answer_split(client, _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf").text)
    software = client.post("/software", headers=ORIGIN, data={"csrf": _csrf(page.text)},
                           files=[("software", ("f1040-2025.pdf", _real_1040("10,200.00"), "application/pdf"))])
    assert software.status_code == 200 and "Comparison with f1040-2025.pdf: they differ" in software.text
    assert "Taxed all of box 1 of Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042)" in software.text
    assert "&#39;irs-fillable-code-g-p1&#39;" not in software.text  # the diagnosis names the payer, not the id
    assert "Line 5b should then show $0.00" in software.text  # its fix
    compared = client.get("/view/compare").text
    assert "<td>5b</td>" in compared.replace(" ", "") or "5b" in compared
    assert "10,200" in compared and "DIFFERS" in compared
    report = client.get("/download/worksheet.json").json()
    assert report["comparison"]["agree"] is False
    assert report["comparison"]["diagnoses"][0]["rule"] == "compare.taxed_gross"
    # The same return with 5b as megaroth has it agrees (flattened, as a printer leaves it).
    agrees = client.post("/software", headers=ORIGIN, data={"csrf": _csrf(page.text)},
                         files=[("software", ("f1040.pdf", _real_1040("0.00", "flattened"), "application/pdf"))])
    assert "Comparison with f1040.pdf: they agree" in agrees.text and "diagnoses" not in agrees.text


class Clock:
    """The app's clock in tests: nanoseconds, moved by hand."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += minutes * 60 * 1_000_000_000


def test_an_idle_session_expires_and_its_data_is_dropped():
    clock = Clock()
    app = create_app(allowed_hosts=("testserver",), clock=clock, idle_timeout=30 * 60)
    with TestClient(app) as client:
        page = _upload(client, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json")
        assert _line(page.text, "5b") == "$200.00"
        clock.advance(29)
        assert "<h3>Case:" in client.get("/").text  # used again: the 30 minutes start over
        clock.advance(29)
        assert client.get("/download/worksheet.md").status_code == 200
        [session] = app.state.sessions.values()
        assert session.case is not None
        clock.advance(31)
        expired = client.get("/download/worksheet.md")
        assert expired.status_code == 410 and "text/html" in expired.headers["content-type"]
        assert "session has ended: it was idle for more than 30 minutes" in expired.text
        assert "<h3>Case:" not in expired.text and "10,200" not in expired.text
        assert all(s.case is None for s in app.state.sessions.values())  # only the new, empty one
        again = client.get("/")
        assert again.status_code == 200 and "session has ended" not in again.text
        # A form posted from a page older than the timeout is not acted on.
        token = _csrf(again.text)
        clock.advance(31)
        late = client.post("/upload", data={"csrf": token}, headers=ORIGIN,
                           files=[("files", ("c.json", (CASES / "irr_after_tax_only.json").read_bytes(), "application/json"))])
        assert late.status_code == 410 and "<h3>Case:" not in late.text


def test_idle_sessions_are_dropped_without_their_browser_coming_back():
    clock = Clock()
    app = create_app(allowed_hosts=("testserver",), clock=clock)
    with TestClient(app) as first, TestClient(app) as second:
        _upload(first, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json")
        clock.advance(31)
        second.get("/")
        assert len(app.state.sessions) == 1 and next(iter(app.state.sessions.values())).case is None


def test_idle_sessions_are_swept_while_no_request_comes():
    import time

    clock = Clock()
    app = create_app(allowed_hosts=("testserver",), clock=clock, sweep_ms=5)
    with TestClient(app) as client:  # runs the app's lifespan, as uvicorn does
        _upload(client, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json")
        time.sleep(0.05)
        assert len(app.state.sessions) == 1  # not idle long enough
        clock.advance(31)
        deadline = time.monotonic() + 5
        while app.state.sessions and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not app.state.sessions


def test_the_number_of_sessions_is_capped_least_recently_used_first():
    app = create_app(allowed_hosts=("testserver",), max_sessions=2)
    with TestClient(app) as a, TestClient(app) as b, TestClient(app) as c:
        _upload(a, "irr_after_tax_only.json", CASES / "irr_after_tax_only.json")
        _upload(b, "g_without_disposition.json", CASES / "g_without_disposition.json")
        assert "<h3>Case:" in a.get("/").text  # a is now the most recently used
        c.get("/")  # a third session: b goes
        assert len(app.state.sessions) == 2
        assert "<h3>Case:" in a.get("/").text and c.get("/").status_code == 200
        dropped = b.get("/")  # its page says so (and b's new session drops the least recently used, a)
        assert dropped.status_code == 410 and "too many were open at once" in dropped.text
        assert "<h3>Case:" not in dropped.text and len(app.state.sessions) == 2


def _multipart(size: int, boundary: str = "xyz") -> list[bytes]:
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return [head] + [b"%" * 1000] * (size // 1000) + [f"\r\n--{boundary}--\r\n".encode()]


def test_a_body_over_the_limit_is_refused_while_it_streams_in():
    """No Content-Length (chunked): the body is counted as it arrives and the rest never read."""
    import asyncio

    app = create_app(allowed_hosts=("testserver",), max_request_bytes=10_000)
    chunks = _multipart(100_000)
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled > len(chunks):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunks[pulled - 1], "more_body": pulled < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/upload", "raw_path": b"/upload", "query_string": b"", "root_path": "",
             "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"), (b"origin", b"http://testserver"),
                         (b"transfer-encoding", b"chunked"),
                         (b"content-type", b"multipart/form-data; boundary=xyz")]}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 413
    assert b"refused: the upload is larger than 10,000 bytes" in body
    assert pulled <= 12 < len(chunks)  # stopped at the 11th chunk of 102
    assert all(s.case is None for s in app.state.sessions.values())


def test_a_chunked_upload_over_the_limit_through_the_client():
    app = create_app(allowed_hosts=("testserver",), max_request_bytes=10_000)
    with TestClient(app) as client:
        client.get("/")
        response = client.post("/upload", content=iter(_multipart(50_000)), headers={
            **ORIGIN, "Content-Type": "multipart/form-data; boundary=xyz"})
        assert response.request.headers.get("content-length") is None
        assert response.status_code == 413 and "larger than 10,000 bytes" in response.text
        declared = client.post("/upload", content=b"".join(_multipart(50_000)), headers={
            **ORIGIN, "Content-Type": "multipart/form-data; boundary=xyz"})
        assert declared.status_code == 413  # refused by its Content-Length before any of it is read


def test_the_page_fits_a_phone_screen(client):
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in client.get("/").text


def test_serve_on_a_busy_port_says_so_and_exits_2():
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "megaroth", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"--port {port}: the port is in use" in result.stderr and "serving on" not in result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr


def test_the_page_speaks_of_payers_and_amounts_not_ids(client):
    """The IRS fillable code G 1099-R (Acme Widgets 401(k) Plan, account ACME-0042, box 1 10,200):
    the question names the payer and the amount with separators, the finding's severity is in words
    and its code only in a details element, line 5c's checkbox is drawn as on the form."""
    page = _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf").text
    text = re.sub(r"<details><summary>Finding code</summary>.*?</details>", "", page, flags=re.S)
    assert "Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042): Where did the money go" in text
    assert "box 1 is $10,200.00" in text and "10200.00" not in text
    assert "Needs your attention, Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042):" in text
    assert "disposition.missing" not in text and "<code>disposition.missing</code>" in page
    lines = re.sub(r"<details><summary>Finding code</summary>.*?</details>", "", client.get("/lines").text, flags=re.S)
    assert "Line 5c, box 1 (Rollover): ☑ check it" in lines and "Notation:" not in lines
    assert "From Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042) ($10,200.00)." in lines  # 5a's why
    for shown in (text, lines):
        shown = re.sub(r'(id|name|for|value|href|aria-describedby)="[^"]*"', "", shown)
        assert "irs-fillable-code-g-p1" not in shown  # only in attributes a person does not read


def test_an_answer_is_confirmed_once_with_what_it_changed(client):
    """The same form, its 10,000 after-tax to a Roth IRA and 200 to a traditional IRA: 5b goes
    from $200.00 to $0.00, said once after the redirect."""
    page = _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf").text
    answered = _answer_split(client, page).text
    assert ("Saved: Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042) — $10,000.00 to a Roth IRA, "
            "$200.00 to a traditional IRA. Line 5b is now $0.00 (was $200.00).") in answered
    assert 'class="saved"' not in client.get("/").text  # shown once
    again = _answer_split(client, answered).text
    assert "Nothing changed in your answers. The Form 1040 lines did not change." in again


def test_the_steps_guide_one_group_at_a_time_and_going_back_keeps_the_rest(client):
    """Issue 19's individual (fixtures/pdf/backdoor_*: the plan's $10,200 and the IRA's $7,010, both to a
    Roth IRA): step 2 asks one form at a time, then Pat's facts; changing the first form's answer
    afterwards keeps the second's; step 3 draws line 5c's checkbox and Form 8606 per person."""
    files = [("files", (p.name, p.read_bytes(), "application/pdf"))
             for p in (PDF / "backdoor_plan_1099r.pdf", PDF / "backdoor_ira_1099r.pdf")]
    page = client.post("/upload", data={"csrf": _csrf(client.get("/").text)}, headers=ORIGIN, files=files)
    page = client.post("/people", headers=ORIGIN, data={"csrf": _csrf(page.text), "same": "yes",
                                                         "whose:0": "taxpayer", "whose:1": "taxpayer"})
    assert page.url.path == "/questions" and page.url.params["group"] == "backdoor-plan-1099r-p1"
    assert '<a href="/questions" aria-current="step">' in page.text and "Step 2: Questions" in page.text
    assert re.findall(r'name="q:([\w-]+):allocation:roth_ira"', page.text) == ["backdoor-plan-1099r-p1"]  # one at a time
    page = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page.text), "group": "backdoor-plan-1099r-p1", "q:backdoor-plan-1099r-p1:allocation:roth_ira": "10,200"})
    assert page.url.params["group"] == "backdoor-ira-1099r-p1"
    assert "Saved: Form 1099-R from Acme Widgets 401(k) Plan (account ACME-0042) — $10,200.00 to a Roth IRA." in page.text
    page = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page.text), "group": "backdoor-ira-1099r-p1", "q:backdoor-ira-1099r-p1:allocation:roth_ira": "7010"})
    assert page.url.params["group"] == "person:taxpayer" and "Facts about Pat Example" in page.text
    facts = {"taxpayer.ira.nondeductible_contributions": "7000", "taxpayer.ira.basis": "0",
             "taxpayer.ira.year_end_value": "0", "taxpayer.ira.contributions_made_next_year": "0",
             "taxpayer.ira.deductible_contributions": "0"}
    for _ in range(4):
        if page.url.path != "/questions":
            break
        shown = {k: v for k, v in facts.items() if f'name="q:{k}"' in page.text}
        page = client.post("/answers", headers=ORIGIN, data={"csrf": _csrf(page.text), "group": "person:taxpayer",
                                                              **{f"q:{k}": v for k, v in shown.items()}})
    assert page.url.path == "/lines" and _line(page.text, "4b") == "$10.02" and "Saved: Pat Example: " in page.text
    # Back to the first form: 10,000 to a Roth IRA and 200 to a traditional IRA; the IRA form's answer stays.
    back = client.get("/questions?group=backdoor-plan-1099r-p1").text
    assert 'value="10200.00"' in back
    page = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(back), "group": "backdoor-plan-1099r-p1", "q:backdoor-plan-1099r-p1:allocation:roth_ira": "10000",
        "q:backdoor-plan-1099r-p1:allocation:traditional_ira": "200"})
    assert page.url.path == "/lines"
    assert "Line 5b is now $0.00 (was $200.00)." in page.text
    assert (_line(page.text, "4a"), _line(page.text, "4b")) == ("$7,010.00", "$10.02")  # the IRA's answer kept
    assert "Line 5c, box 1 (Rollover): ☑ check it" in page.text
    assert "Pat Example: Yes, Form 8606 is filed" in page.text
    assert re.search(r"<td>18</td><td>[^<]*</td>\s*<td class=\"n\">\$10.02</td>", page.text)
    assert 'href="/view/worksheet#:~:text=Form%208606"' in page.text
    guide = client.get("/guide?product=drake")
    assert 'value="drake" checked' in guide.text and 'src="/view/guide?product=drake"' in guide.text
    assert "Drake Tax" in client.get("/view/guide?product=drake").text
    assert "TurboTax" not in client.get("/view/guide?product=drake").text


def test_a_step_needing_forms_shows_the_first_without_them(client):
    page = client.get("/lines")
    assert page.status_code == 200 and "Step 1: Your forms" in page.text and 'aria-current="step"' in page.text
    assert '<span><span class="n">3</span> Your Form 1040 lines</span>' in page.text  # not a link yet


class _Controls:
    """The page's controls, labels and headings, read with the standard library's HTML parser."""

    def __init__(self, page: str):
        from html.parser import HTMLParser

        self.unlabelled, self.labels, self.ids, self.headings = [], set(), {}, []
        outer = self

        class Parser(HTMLParser):
            in_label = 0

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "label":
                    self.in_label += 1
                    if a.get("for"):
                        outer.labels.add(a["for"])
                elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
                    outer.ids[a.get("id") or f"?{a.get('name')}"] = bool(self.in_label)
                elif re.fullmatch(r"h[1-6]", tag):
                    outer.headings.append(int(tag[1]))

            def handle_endtag(self, tag):
                if tag == "label":
                    self.in_label -= 1

        Parser().feed(page)
        self.unlabelled = [i for i, wrapped in self.ids.items() if not wrapped and i not in self.labels]


def test_every_step_labels_its_controls_and_keeps_its_headings_in_order(client):
    """The IRS fillable code G 1099-R, answered and compared: on each step every control has a label,
    the headings go down one level at a time, and the current step is marked for screen readers."""
    page = _answer_split(client, _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf").text)
    client.post("/software", headers=ORIGIN, data={"csrf": _csrf(page.text)}, files=[("software", (
        "s.json", b'{"tax_year": 2025, "form_1040": {"5a": "10200", "5b": "10200"}}', "application/json"))])
    for path, title in (("/", "1 Your forms"), ("/questions?group=irs-fillable-code-g-p1", "2 Questions"),
                        ("/lines", "3 Your Form 1040 lines"), ("/guide", "4 What to type in your software"),
                        ("/compare", "5 Compare with your software")):
        text = client.get(path).text
        controls = _Controls(text)
        assert controls.unlabelled == [], (path, controls.unlabelled)
        assert path == "/lines" or controls.ids  # the lines step alone has no field
        assert controls.headings[0] == 1 and all(b - a <= 1 for a, b in zip(controls.headings, controls.headings[1:])), \
            (path, controls.headings)
        assert f"<title>megaroth — {title}</title>" in text
        assert re.search(rf'aria-current="step"><span class="n">{title[0]}</span>', text), path


def test_an_answer_error_is_tied_to_its_fields(client):
    """Amounts that do not add up to box 1 ($10,200.00): said at the top, each amount marked invalid
    and described by the error."""
    page = _upload(client, "irs_fillable_code_g.pdf", PDF / "irs_fillable_code_g.pdf").text
    wrong = client.post("/answers", headers=ORIGIN, data={
        "csrf": _csrf(page), "group": "irs-fillable-code-g-p1", "q:irs-fillable-code-g-p1:allocation:roth_ira": "5"})
    assert wrong.status_code == 400
    assert re.search(r'<div class="error" role="alert" id="error"><strong>Error:</strong> Form 1099-R from Acme '
                     r"Widgets 401\(k\) Plan \(account ACME-0042\): [^<]*add up", wrong.text)
    field = re.search(r'<input id="irs-fillable-code-g-p1:allocation:roth_ira"[^>]*>', wrong.text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="hint:irs-fillable-code-g-p1:allocation error"' in field
    assert "Step 2: Questions" in wrong.text  # the same group again, with its answers kept


def test_serve_open_opens_the_page_once_it_is_served(monkeypatch):
    """`megaroth serve --open`: the browser is asked for the page's address after the port is known free."""
    import threading
    import webbrowser

    from typer.testing import CliRunner

    from megaroth import api
    from megaroth.cli import app

    opened: list[str] = []
    done = threading.Event()
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or done.set() or True)
    monkeypatch.setattr(api, "serve", lambda port, limits, ready: ready())  # serve returns at once here
    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--open"])
    assert result.exit_code == 0 and "serving on http://127.0.0.1:8123/" in result.stderr
    assert done.wait(5) and opened == ["http://127.0.0.1:8123/"]
