"""--max-image-pixels: the bound on a scanned page's pixels (`Limits.max_image_pixels`, 40 million by
default) set on each command that reads files. The "mega" 1099-R of tests/realforms/scan_images.py
rendered at 150 dpi is 1,275 x 1,651 = 2,105,025 pixels: under a limit of 1,000,000 (Pillow's own
guard, from twice the limit) or 2,000,000 (megaroth's count) it is refused naming the file and the
option; raised to 3,000,000 it is read (box 1 $23,500.00, code G, as filled in)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.cli import app  # noqa: E402
from tests.realforms.scan_images import expected, render  # noqa: E402


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("pixels") / "mega.png"
    path.write_bytes(render("mega", dpi=150))
    return path


@pytest.mark.parametrize("limit", ["1000000", "2000000"])
@pytest.mark.parametrize("command", [["identify"], ["import", "-o", "{out}/case.json"], ["report", "--no-input"],
                                     ["report", "--no-input", "--out-dir", "{out}/batch"], ["check"]])
def test_an_image_over_the_limit_is_refused_naming_the_file_and_the_option(scan, tmp_path, command, limit):
    args = [a.format(out=tmp_path) for a in command]
    result = CliRunner().invoke(app, [*args, str(scan), "--max-image-pixels", limit])
    assert result.exit_code == 1, result.output
    said = result.output.replace("\n", " ")
    assert "mega.png" in said and f"more than the limit of {int(limit):,}" in said
    assert "raise the limit with --max-image-pixels" in said and "Traceback" not in said


def test_raising_the_limit_lets_the_scan_be_read(scan, tmp_path):
    case = tmp_path / "case.json"
    refused = CliRunner().invoke(app, ["identify", str(scan), "--max-image-pixels", "2000000"])
    assert refused.exit_code == 1
    assert CliRunner().invoke(app, ["identify", str(scan), "--max-image-pixels", "3000000"]).exit_code == 0
    result = CliRunner().invoke(app, ["import", str(scan), "-o", str(case), "--max-image-pixels", "3000000"])
    assert result.exit_code == 0, result.output
    [form] = json.loads(case.read_text())["forms_1099r"]
    assert (form["box_1"], form["box_7"]) == (expected("mega")["box_1"], "G") == ("23500.00", "G")


def test_the_option_is_on_every_command_that_reads_files():
    for command in ("report", "import", "identify", "check", "guide", "compare", "fill", "letter", "serve"):
        shown = CliRunner().invoke(app, [command, "--help"], terminal_width=200).output
        assert "--max-image-pixels PIXELS" in shown, command
