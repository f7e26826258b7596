"""The IRS's own blank forms filled with the analysis's figures, read back with megaroth's own
Form 1040 reader (the one `megaroth compare` uses on software's PDFs): every figure read must be
the analysis's, for the years' different layouts (2019 lines 4a-4d and 17, the write-in marker
through 2024, the 4c/5c checkboxes from 2025)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from megaroth import api
from megaroth.importers.base import Document
from megaroth.importers.f1040_pdf import read_f1040_pdf
from megaroth.params import load_year
from megaroth.render.irs_forms import fill_forms
from tests.cli.test_cli import run

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def _case(name: str, year: int | None = None):
    data = json.loads((CASES / name).read_text(encoding="utf-8"))
    if year is not None:
        data["tax_year"] = year
    return api.case_from_dict(data, name)


def _read_back(filled):
    writer = PdfWriter()
    for form in filled.forms:
        writer.append(PdfReader(io.BytesIO(form.data)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return read_f1040_pdf(Document(name="filled.pdf", data=buffer.getvalue()), load_year, None)


@pytest.mark.parametrize("name, year, forms", [
    ("ty2019_pension_lines.json", None, ["f1040-2019.pdf"]),
    ("rmd_waived_2020.json", None, ["f1040-2020.pdf"]),
    ("corrective_ira_2021_early.json", None, ["f1040-2021.pdf", "f1040s2-2021.pdf"]),
    ("irr_after_tax_only.json", 2022, ["f1040-2022.pdf"]),
    ("f8606_backdoor_clean.json", 2023, ["f1040-2023.pdf", "f8606-2023.pdf"]),
    ("roth_ira_direct_rollover_2024.json", None, ["f1040-2024.pdf"]),
    ("irr_after_tax_only.json", None, ["f1040-2025.pdf"]),
    ("joint_early_distribution_one_spouse.json", None, ["f1040-2025.pdf", "f1040s2-2025.pdf"]),
])
def test_filled_forms_read_back_as_the_analysis(name, year, forms):
    analysis = api.analyze(_case(name, year))
    filled = fill_forms(analysis)
    assert [f.name for f in filled.forms] == forms
    figures = _read_back(filled)
    assert figures.tax_year == analysis.tax_year and not figures.unreadable, figures.unreadable
    for line in analysis.lines:
        assert figures.get(line.role).amount == (line.amount or Decimal("0.00")), line.key
    marked = {n.line for n in analysis.notations}
    markers = ({"pension_rollover": {"4d"}, "ira_rollover": {"4b"}} if analysis.tax_year == 2019
               else {"pension_rollover": {"5b", "5c"}, "ira_rollover": {"4b", "4c"}})
    for flag, lines in markers.items():
        assert bool(figures.get(flag).flag) is bool(marked & lines), flag
    s2 = figures.get("schedule_2_additional_tax")
    if analysis.form_5329.additional_tax:
        assert analysis.form_5329.additional_tax > 0 and s2.amount == analysis.form_5329.additional_tax
    else:
        assert s2 is None
    f8606 = analysis.people[0].form_8606
    if any(f.name.startswith("f8606") for f in filled.forms):
        for number in ("16", "17", "18"):
            assert figures.get(f"form_8606_line_{number}").amount == f8606.amount(number)


def test_2025_checkbox_and_partial_stamp():
    filled = fill_forms(api.analyze(_case("irr_after_tax_only.json")))
    form = filled.forms[0]
    assert form.values == {"pension_gross": "10,200.00", "pension_taxable": "200.00", "pension_rollover": True}
    text = PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    assert "PARTIAL FORM FOR REFERENCE" in text


def test_the_write_in_marker_through_2024():
    filled = fill_forms(api.analyze(_case("roth_ira_direct_rollover_2024.json")))
    assert filled.forms[0].values["pension_taxable"] == "ROLLOVER 200.00"


def test_forms_without_a_vendored_pdf_are_named():
    notes = fill_forms(api.analyze(_case("joint_backdoor_both_mega_one.json"))).notes
    assert any("2025 Form 8606" in n and "taxpayer" in n for n in notes)
    assert any("2025 Form 8606" in n and "spouse" in n for n in notes)
    notes = fill_forms(api.analyze(_case("cash_out_after_tax.json"))).notes
    assert any("no IRS PDF of Form 5329" in n for n in notes)


def test_cli_fill_writes_the_forms(tmp_path):
    out = tmp_path / "forms"
    result = run("fill", CASES / "corrective_ira_2021_early.json", "--out-dir", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["f1040-2021.pdf", "f1040s2-2021.pdf"]
    assert "Form 5329" in result.output
    assert PdfReader(out / "f1040-2021.pdf").get_fields()


def test_whole_dollars_on_every_filled_line():
    analysis = api.analyze(_case("f8606_backdoor_clean.json", 2023))
    filled = fill_forms(analysis, whole=True)
    assert filled.forms[0].values["ira_gross"] == "7,005" and filled.forms[1].values == {
        "line_16": "7,005", "line_17": "7,000", "line_18": "5"}
    figures = _read_back(filled)
    for line in analysis.lines:
        assert figures.get(line.role).amount == Decimal(line.whole_dollars or "0"), line.key


@pytest.mark.parametrize("name", ["ty2019_pension_lines.json", "irr_after_tax_only.json"])
def test_every_other_field_is_left_blank(name):
    analysis = api.analyze(_case(name))
    form = fill_forms(analysis).forms[0]
    from megaroth.pdf_maps import form_map

    spots = form_map("f1040", analysis.tax_year).spots
    filled = {spots[role].name for role in form.values}
    for full_name, fld in PdfReader(io.BytesIO(form.data)).get_fields().items():
        value = fld.get("/V")
        if full_name in filled:
            assert value not in (None, "", "/Off"), full_name
        else:
            assert value in (None, "", "/Off"), (full_name, value)


def test_from_a_1099r_pdf_to_a_filled_1040_without_a_file(tmp_path):
    """The IRS's own fillable 2025 Form 1099-R (fixtures/pdf/irs_fillable_code_g.pdf: box 1 $10,200,
    box 2a $200, box 5 $10,000, code G) rolled to a Roth IRA, said with --to: the filled 2025 Form 1040
    reads back 5a $10,200, 5b $200 and the line 5c rollover box, with no case file written."""
    out = tmp_path / "forms"
    result = run("fill", CASES.parent / "pdf" / "irs_fillable_code_g.pdf", "--to", "roth_ira", "--out-dir", out,
                 "--no-input")
    assert result.exit_code == 0, result.output
    data = (out / "f1040-2025.pdf").read_bytes()
    figures = read_f1040_pdf(Document(name="f1040-2025.pdf", data=data), load_year, None)
    assert figures.tax_year == 2025 and not figures.unreadable
    assert figures.get("pension_gross").amount == Decimal("10200.00")
    assert figures.get("pension_taxable").amount == Decimal("200.00")
    assert figures.get("pension_rollover").flag
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms"]  # nothing else written
