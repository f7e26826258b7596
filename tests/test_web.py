"""`megaroth serve`: the local page, in-process with Starlette's TestClient."""

import re
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
    assert "Content-Security-Policy" in page.headers and "<script" not in page.text
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
    assert "<h2>Case:" not in client.get("/").text


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
