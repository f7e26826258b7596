"""A real scan of a Form 5498, end to end: the rollover page of fixtures/pdf/make_5498_pdfs.py (box 2
10,000.00, box 5 10,412.33, box 10 7,000.00, Roth IRA, account R-5521; box 1 blank) rendered at 200 dpi
with a stain over box 5's amount. The scan reads box 1 blank (its caption, run into the trustee's, is split off)
and leaves box 5 (inked, no text read) to a person; `report --ask` asks it, and the answer — 10,412.33, what the
paper shows — is written, marked confirmed, and the report has no box awaiting."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.cli import app  # noqa: E402
from tests.importers.test_scan_mixed import _scan_5498  # noqa: E402


def test_a_stained_5498_scan_has_its_boxes_asked_and_confirmed(tmp_path):
    path = tmp_path / "stained.png"
    path.write_bytes(_scan_5498("irs_5498_flat.pdf", stain=(280, 792 - 632, 334, 792 - 620)))
    saved = tmp_path / "answered.json"
    result = CliRunner().invoke(app, ["report", str(path), "--ask", "--json", "--save-case", str(saved)],
                                input="10,412.33\n")
    assert result.exit_code == 0, result.stderr
    assert "Form 5498 stained-p1 (EXAMPLE BROKERAGE TRUST CO, account R-5521): box 5 reads" in result.stderr
    assert "What does the paper form show in box 1?" not in result.stderr
    assert "box 5 reads 'marks no text was read from'" in result.stderr
    assert "What does the paper form show in box 5?" in result.stderr
    assert "scan.awaiting_confirmation" not in {f["code"] for f in json.loads(result.stdout)["findings"]}
    [form] = json.loads(saved.read_text())["forms_5498"]
    assert (form["box_2"], form["box_5"], form["box_10"], form["box_7_roth_ira"]) == (
        "10000.00", "10412.33", "7000.00", True)
    assert "box_1" not in form and not form["provenance"].get("awaiting_confirmation")
    scanned = form["provenance"]["scanned"]
    assert scanned["box_5"]["accepted"] is False and scanned["box_5"]["confirmed"] is True
    assert scanned["box_2"] == {
        "read": "10,000.00", "confidence": scanned["box_2"]["confidence"], "accepted": True, "confirmed": False}
