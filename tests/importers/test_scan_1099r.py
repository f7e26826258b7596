"""Scanned and photographed Forms 1099-R: the real IRS 2025 form filled with known values
(tests/realforms/scan_images.py, three cases of our own: a mega backdoor Roth code G, a backdoor
Roth conversion code 2 with IRA/SEP/SIMPLE checked, a plan distribution code 7 with withholding),
made into images. Expected values are the ones filled in, never what megaroth read. Clean scans
must be read entirely; degraded ones read right or leave the box awaiting confirmation, never a
wrong value accepted."""

from __future__ import annotations

import io
from decimal import Decimal
import json

import pytest
from typer.testing import CliRunner

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.cli import app  # noqa: E402
from megaroth.errors import InputError  # noqa: E402
from megaroth.importers import identify  # noqa: E402
from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from megaroth.limits import Limits  # noqa: E402
from tests.realforms.scan_images import as_pdf, as_tiff, expected, render  # noqa: E402


def _read(name: str, data: bytes):
    return extract(Document(name, data))


def _wrong(record, form: str) -> list:
    """Boxes accepted with a value other than the one filled in (a box asked is not wrong)."""
    bad = []
    for box, want in expected(form).items():
        if box in record.awaiting:
            continue
        got = record.values.get(box, False if isinstance(want, bool) else None)
        got = got.replace(",", "") if isinstance(got, str) else got
        if got != want and not (got is None and record.errors):  # a blank box on a refused form is not taken
            bad.append((box, got, want))
    return bad


@pytest.mark.parametrize(("form", "how"), [("mega", {"dpi": 200}), ("ira", {"dpi": 150, "jpeg": 85}),
                                           ("plan", {"dpi": 200, "angle": 1.2})])
def test_clean_scans_are_read_entirely(form, how):
    extraction = _read(f"{form}.png", render(form, **how))
    [record] = extraction.records
    # Every box the tax lines use is read. The account number (the rollover match's key) is taken
    # only when three readings of it agree confidently: the engine reads this font's "Z" as "2"
    # (mega's "Z12-345678" is read "212-345678" by its crop), so it may be asked, never taken wrong.
    # The payer's address (no tax figure) may be asked too: plan's ZIP runs into box 2a's caption,
    # read "80111]2a" on the page turned 1.2° (as by megaroth before the page was levelled from its
    # pixels, at 1.15° and 1.25°).
    assert not record.errors and set(record.awaiting) <= {"account_number", "payer_block"}, \
        (record.errors, record.awaiting)
    assert record.values.get("account_number") in (None, {"mega": "Z12-345678", "ira": "8836-40917",
                                                          "plan": "401K-66120"}[form])
    assert _wrong(record, form) == []
    assert record.tax_year == 2025
    assert all(record.scan[box]["accepted"] and record.scan[box]["confidence"] >= Decimal("0.85") for box in ("box_1", "box_7"))


@pytest.mark.parametrize(("form", "how"), [
    ("mega", {"dpi": 200, "angle": -3, "jpeg": 40}),
    ("plan", {"dpi": 200, "noise": 0.01}),
    ("ira", {"dpi": 200, "blur": 1.2}),
    ("plan", {"dpi": 150, "mode": "1", "noise": 0.02}),  # a fax: 1-bit, speckled
    ("mega", {"dpi": 100}),
])
def test_degraded_scans_are_read_right_or_asked_never_wrong(form, how):
    extraction = _read(f"{form}.jpg", render(form, **how))
    for record in extraction.records:
        assert _wrong(record, form) == []
        for box in record.awaiting:
            assert box not in record.values and record.scan[box]["accepted"] is False
    assert extraction.records or extraction.errors


def _stained(tmp_path, form: str, points: tuple[float, float, float, float], name: str):
    """A form of scan_images at 200 dpi with a gray stain over (x0, y0, x1, y1) points from the page's top left."""
    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(render(form, dpi=200)))
    scale = 200 / 72
    ImageDraw.Draw(image).rectangle(tuple(v * scale for v in points), fill=110)
    path = tmp_path / name
    image.save(path, dpi=(200, 200))
    return path


def _stained_box_2a(tmp_path):
    """The "ira" form with a stain over box 2a's value (302-395 pt across, 684-696 pt up a 792 pt page)."""
    return _stained(tmp_path, "ira", (330, 97, 380, 106), "stained.png")


def test_a_stained_box_is_left_blank_and_report_names_it(tmp_path):
    path = _stained_box_2a(tmp_path)
    case = tmp_path / "case.json"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(case)])
    assert result.exit_code == 0, result.output
    [form] = json.loads(case.read_text())["forms_1099r"]
    assert "box_2a" not in form
    assert form["box_1"] == "7000.38" and form["box_7"] == "2" and form["box_7_ira_sep_simple"] is True
    provenance = form["provenance"]
    assert "box_2a" in provenance["awaiting_confirmation"]
    assert provenance["scanned"]["box_2a"]["accepted"] is False and provenance["scanned"]["box_2a"]["confirmed"] is False
    assert Decimal(provenance["scanned"]["box_1"]["confidence"]) >= Decimal("0.85")
    report = CliRunner().invoke(app, ["report", str(case), "--no-input"])
    assert report.exit_code not in (0, 70)
    assert "scan.awaiting_confirmation" in report.output and "box 2a reads" in report.output
    assert "confirm or correct" in report.output
    # The preparer reads the paper form and types box 2a (7,000.38, as filled in): the error goes.
    data = json.loads(case.read_text())
    data["forms_1099r"][0]["box_2a"] = "7000.38"
    del data["forms_1099r"][0]["provenance"]["awaiting_confirmation"]["box_2a"]
    data["forms_1099r"][0]["provenance"]["scanned"]["box_2a"]["confirmed"] = True
    if "account_number" in data["forms_1099r"][0]["provenance"]["awaiting_confirmation"]:
        # Read alike but not confidently enough beside the stain (8836-40917 as filled in): confirmed too.
        data["forms_1099r"][0]["account_number"] = "8836-40917"
        del data["forms_1099r"][0]["provenance"]["awaiting_confirmation"]["account_number"]
    case.write_text(json.dumps(data))
    confirmed = CliRunner().invoke(app, ["report", str(case), "--no-input"])
    assert "scan.awaiting_confirmation" not in confirmed.output and "box 2a reads" not in confirmed.output
    assert confirmed.exit_code != 70


def test_multipage_tiff_and_image_pdf_are_scans(tmp_path):
    pages = [render("mega", dpi=150), render("plan", dpi=150)]
    tiff = Document("two.tif", as_tiff(pages))
    assert identify(tiff).name == "scan"
    assert [r.values["box_1"] for r in extract(tiff).records] == ["23,500.00", "61,950.44"]
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(as_pdf(pages[:1]))
    result = CliRunner().invoke(app, ["identify", str(pdf)])
    assert result.exit_code == 0 and "scan" in result.output


def test_unreadable_pages_are_refused_with_the_reason():
    from PIL import Image

    def png(image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    dark = _read("dark.png", png(Image.new("L", (1700, 2200), 40)))
    assert "too dark" in dark.errors[0].message
    small = _read("small.png", png(Image.new("L", (300, 400), 255)))
    assert "too small" in small.errors[0].message
    from PIL import ImageDraw

    letter = Image.new("L", (1700, 2200), 255)
    ImageDraw.Draw(letter).text((100, 100), "Dear customer, thank you for your business", fill=0)
    other = _read("letter.png", png(letter))
    assert "cannot be read" in other.errors[0].message and not other.records
    with pytest.raises(InputError, match="more than the limit of 1,000,000"):
        extract(Document("big.png", render("mega", dpi=150), limits=Limits(max_image_pixels=1_000_000)))


def test_without_the_extra_the_message_names_it(monkeypatch, tmp_path):
    import megaroth.importers.scan_image as scan_image

    monkeypatch.setattr(scan_image, "_modules", lambda: None)
    path = tmp_path / "form.png"
    path.write_bytes(render("mega", dpi=100))
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(tmp_path / "c.json")])
    assert result.exit_code not in (0, 70)
    assert 'pip install "megaroth[scan]"' in result.output
    assert "Traceback" not in result.output


def test_the_web_page_and_the_batch_read_a_scan(tmp_path):
    """The same importers behind the page and `report --out-dir`: the stained scan's box 2a is
    named as awaiting confirmation, never filled in."""
    import re
    import warnings

    from PIL import Image, ImageDraw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from megaroth.web import create_app

    image = Image.open(io.BytesIO(render("ira", dpi=200)))
    scale = 200 / 72
    ImageDraw.Draw(image).rectangle((330 * scale, 97 * scale, 380 * scale, 106 * scale), fill=110)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, dpi=(200, 200))
    with TestClient(create_app(allowed_hosts=("testserver",))) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        page = client.post("/upload", data={"csrf": token}, headers={"Origin": "http://testserver"},
                           files=[("files", ("scan.jpg", buffer.getvalue(), "image/jpeg"))])
    assert page.status_code == 200
    assert "scan.awaiting_confirmation" in page.text and "box 2a reads" in page.text
    path = tmp_path / "scan.jpg"
    path.write_bytes(buffer.getvalue())
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(path), "--out-dir", str(out), "--no-input"])
    assert result.exit_code not in (0, 70), result.output
    assert "scan.awaiting_confirmation" in (out / "summary.json").read_text()
    assert any("box 2a reads" in worksheet.read_text() for worksheet in out.glob("*.md"))


def test_a_box_awaiting_confirmation_is_asked_on_the_terminal_and_the_page(tmp_path):
    """The stained box 2a of the test above, asked instead of typed into the case file: answered with
    what the paper form shows (7,000.38, as filled in), it is written, marked confirmed and no longer
    awaited; the same question is on the page. A scan's value is never taken unasked."""
    import re
    import warnings

    path = _stained_box_2a(tmp_path)
    saved = tmp_path / "answered.json"
    # box 2a first (it is an error until confirmed), then where the money went; Form 8606's facts are
    # answered "I don't know", so the result says it is incomplete but box 2a is settled.
    result = CliRunner().invoke(app, ["report", str(path), "--ask", "--json", "--save-case", str(saved)],
                                input="7,000.38\nkept\n?\n?\n")
    assert "What does the paper form show in box 2a?" in result.stderr, result.stderr
    document = json.loads(result.stdout)
    [form] = json.loads(saved.read_text())["forms_1099r"]
    assert form["box_2a"] == "7000.38"
    # Box 2a is settled; what may still await is the account number alone (--ask asks the boxes the
    # tax lines use), read alike beside the stain but not confidently enough to take unread.
    assert set(form["provenance"].get("awaiting_confirmation") or {}) <= {"account_number"}
    assert not any(f["code"] == "scan.awaiting_confirmation" and "box 2a" in f["message"]
                   for f in document["findings"])
    assert form["provenance"]["scanned"]["box_2a"]["confirmed"] is True
    bad = CliRunner().invoke(app, ["report", str(path), "--ask", "--save-case", str(tmp_path / "x.json")],
                             input="7,000.3x\n")
    assert bad.exit_code == 1 and "confirm:box_2a" in bad.stderr and not (tmp_path / "x.json").exists()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from megaroth.web import create_app

    with TestClient(create_app(allowed_hosts=("testserver",))) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        client.post("/upload", data={"csrf": token}, headers={"Origin": "http://testserver"},
                    files=[("files", ("stained.png", path.read_bytes(), "image/png"))])
        page = client.get("/questions?group=all").text
        field = re.search(r'name="q:([^"]+:confirm:box_2a)"', page)
        assert field and "What the paper form shows in box 2a" in page
        client.post("/answers", headers={"Origin": "http://testserver"},
                    data={"csrf": token, f"q:{field.group(1)}": "7,000.38"})
        assert "box 2a reads" not in client.get("/lines").text


def _stained_box_7(tmp_path):
    """The "mega" form with a stain over box 7's code (300-362 pt across, 529-539 pt up a 792 pt page)."""
    return _stained(tmp_path, "mega", (300, 253, 362, 263), "stained7.png")


def test_a_stained_box_7_keeps_the_form_off_the_return_and_asks_it(tmp_path):
    """Box 7 under a stain is never guessed, and the form is not refused either: it is kept aside with box 1
    read (23,500.00 as filled in), and once a person types box 7 as the paper shows (G) and where the money
    went (a Roth IRA), the lines are the form's: 5a 23,500.00, 5b 19,387.43 (box 1 less box 5's 4,112.57)."""
    from megaroth import api

    path = _stained_box_7(tmp_path)
    case = tmp_path / "case.json"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(case)])
    assert result.exit_code == 0, result.output
    assert "1 imported for 1 taxpayer(s) (1 of them kept off the return" in result.stderr
    document = json.loads(case.read_text())
    assert document["forms_1099r"] == []
    [held] = document["forms_1099r_awaiting"]
    assert held["box_7"] is None and held["box_1"] == "23500.00" and "box_7" in held["provenance"]["awaiting_confirmation"]
    report = CliRunner().invoke(app, ["report", str(case), "--no-input", "--json"])
    assert report.exit_code == 4
    out = json.loads(report.stdout)
    assert out["complete"] is False and out["lines"]["5a"] is None
    assert [(f["box"], f["at_stake"]) for f in out["findings"] if f["code"] == "scan.form_awaiting_box"] == [
        ("box_7", "23500.00")]
    # A person answers what is asked, in the order asked, from the paper form (as the interview does).
    paper = {"box_7": "G", "account_number": "Z12-345678", "box_2a": "0.00", "box_5": "4,112.57"}
    loaded, answers = api.load_case(case), {}
    for _ in range(10):
        pending = [q for q in api.needed_questions(api.answered(loaded, answers)) if q.id not in answers]
        if not pending:
            break
        question = pending[0]
        answers[question.id] = paper[question.fact] if question.kind == "confirm" else "roth_ira"
    assert next(iter(answers)).endswith(":confirm:box_7")
    analysis = api.analyze_with_ledger(api.answered(loaded, answers))
    assert analysis.complete
    assert (analysis.line("5a").amount, analysis.line("5b").amount) == (Decimal("23500.00"), Decimal("19387.43"))


def test_a_folder_of_scans_with_a_form_held_for_box_7_goes_through_the_batch(tmp_path):
    """`report --out-dir` on a folder of scans: the form whose box 7 is under a stain is counted (records in =
    reported + rejected), its person's result is incomplete with the form left out of the return (box 1, 23,500.00
    as filled in, at stake), and the clean scan beside it is read and reported as usual."""
    folder = tmp_path / "scans"
    folder.mkdir()
    _stained_box_7(folder)
    (folder / "plan.png").write_bytes(render("plan", dpi=200))
    out = tmp_path / "out"
    files = sorted(str(p) for p in folder.iterdir())  # as a shell gives scans/*
    result = CliRunner().invoke(app, ["report", *files, "--out-dir", str(out), "--no-input"])
    assert result.exit_code == 4, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["totals"]["records_in"] == 2 == summary["totals"]["records_reported"]
    rows = {row["taxpayer"]: row for row in summary["results"]}
    held = next(row for row in rows.values() if "scan.form_awaiting_box" in row["finding_codes"])
    assert held["complete"] is False and held["pension_gross"] is None
    plan = next(row for row in rows.values() if row is not held)
    assert plan["pension_gross"] == "61950.44"


def test_a_blank_form_scanned_is_refused_not_held_for_a_person():
    """The IRS form scanned with nothing typed in its boxes (a payer block only): no amount or code is read, so it
    is refused — never imported as a form awaiting box 1 and 7."""
    [record] = extract(Document("blank.png", render({"payer_block": "EXAMPLE PLAN"}, dpi=200))).records
    assert any("no box of the Form 1099-R is read on page 1" in e for e in record.errors)
    assert "box_1" not in record.awaiting and "box_7" not in record.awaiting
