"""`megaroth compare … --software` on real IRS Forms 1040 of each year, fillable, flattened and
printed: a return that agrees exits 0, one that differs exits 4, one with a line megaroth
cannot read exits 1 naming the line and the option that gives it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from megaroth.cli import app
from tests.realforms.irs_fill import WAYS, fill, merge
from tests.realforms.test_f1099r_real import BOXES

runner = CliRunner()


def case(tmp_path, year: int):
    """A code G direct rollover of after-tax money to a Roth IRA: 5a (4c) 10,200, 5b (4d) 200."""
    path = tmp_path / f"case_{year}.json"
    path.write_text(json.dumps({"tax_year": year, "forms_1099r": [{
        "id": "acme", "payer_name": "Acme 401(k) Plan", "box_1": "10200.00", "box_2a": "200.00", "box_5": "10000.00",
        "box_7": "G", "disposition": [{"to": "roth_ira", "amount": "10200.00"}]}]}))
    return path


def software_return(tmp_path, year: int, way: str, taxable: str = "200.00") -> str:
    lines = {"ira_gross": "", "ira_taxable": "", "pension_gross": "10,200.00", "pension_taxable": taxable,
             "withholding": ""}
    if year >= 2025:
        lines["pension_rollover"] = True
    else:
        lines["pension_taxable"] = "ROLLOVER " + taxable
    path = tmp_path / f"f1040_{year}_{way}.pdf"
    path.write_bytes(merge([fill("f1040", year, lines, way), fill("f1040s2", year, {"additional_tax": ""}, way)]))
    return str(path)


# Every year's real 1040, each in one of the three ways in turn (every way thrice): reading each
# year in each way is tests/realforms/test_f1040_real.py's; here, compare's lines of each year.
@pytest.mark.parametrize(("year", "way"), [(year, WAYS[year % 3]) for year in range(2019, 2026)])
def test_a_real_1040_that_agrees(tmp_path, year, way):
    result = runner.invoke(app, ["compare", str(case(tmp_path, year)), "--software", software_return(tmp_path, year, way)])
    assert result.exit_code == 0, result.output
    assert "The software agrees with megaroth" in result.stdout


@pytest.mark.parametrize("way", WAYS)
def test_a_real_1040_that_differs(tmp_path, way):
    result = runner.invoke(app, ["compare", str(case(tmp_path, 2023)), "--software",
                                 software_return(tmp_path, 2023, way, taxable="10,200.00")])
    assert result.exit_code == 4, result.output
    assert "| 5b | Pensions and annuities: taxable amount [1] | 200 | 10,200 | +10,000 | DIFFERS |" in result.stdout


def test_both_sides_from_real_pdfs(tmp_path):
    """The IRS 1099-R flattened, the IRS 1040 printed: they agree."""
    slip = tmp_path / "1099r.pdf"
    slip.write_bytes(fill("f1099r", 2025, dict(BOXES, box_4="", box_2b_total_distribution=True), "flattened"))
    result = runner.invoke(app, ["compare", str(slip), "--software", software_return(tmp_path, 2025, "printed")])
    assert result.exit_code == 0, result.output
    assert "**The software agrees with megaroth** on the 8 figure(s) compared" in result.stdout


def test_a_line_that_cannot_be_read_exits_1_and_names_its_option(tmp_path):
    from pypdf import PdfReader, PdfWriter

    path = software_return(tmp_path, 2025, "flattened")
    writer = PdfWriter(clone_from=PdfReader(path))
    xobjects = writer.pages[0]["/Resources"]["/XObject"]
    (name,) = [n for n in xobjects if n.endswith("f1_65_0_")]  # line 5a, drawn as outlines
    xobjects[name].get_object().set_data(b"0 g 30 2 m 34 9 l 38 2 l 42 9 l f")
    writer.write(path)
    result = runner.invoke(app, ["compare", str(case(tmp_path, 2025)), "--software", path])
    assert result.exit_code == 1, result.output
    assert "Form 1040 line 5a could not be read with certainty" in result.stderr
    assert "--line-5a" in result.stderr and "10,200" not in result.stdout
    result = runner.invoke(app, ["compare", str(case(tmp_path, 2025)), "--software", path, "--line-5a", "10200"])
    assert result.exit_code == 0, result.output
