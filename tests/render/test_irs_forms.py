"""The IRS's own blank forms filled with the analysis's figures, read back with megaroth's own
Form 1040 reader (the one `megaroth compare` uses on software's PDFs): every figure read must be
the analysis's, for the years' different layouts (2019 lines 4a-4d and 17, the write-in marker
through 2024, the 4c/5c checkboxes from 2025). Form 5329 and Form 8606, whose lines that reader
does not read (Form 8606: beyond 16-18), are also read field by field with pypdf: each filled line
is megaroth's figure, every other field blank."""

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
    ("f8606_backdoor_clean.json", 2025, ["f1040-2025.pdf", "f8606-2025.pdf"]),
    ("roth_ira_direct_rollover_2024.json", None, ["f1040-2024.pdf"]),
    ("irr_after_tax_only.json", None, ["f1040-2025.pdf"]),
    ("joint_early_distribution_one_spouse.json", None, ["f1040-2025.pdf", "f1040s2-2025.pdf"]),
])
def test_filled_forms_read_back_as_the_analysis(name, year, forms):
    analysis = api.analyze(_case(name, year))
    filled = fill_forms(analysis, whole=False)
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
    filled = fill_forms(api.analyze(_case("irr_after_tax_only.json")), whole=False)
    form = filled.forms[0]
    assert form.values == {"pension_gross": "10,200.00", "pension_taxable": "200.00", "pension_rollover": True}
    text = PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    assert "PARTIAL FORM FOR REFERENCE" in text


def test_the_write_in_marker_through_2024():
    filled = fill_forms(api.analyze(_case("roth_ira_direct_rollover_2024.json")), whole=False)
    assert filled.forms[0].values["pension_taxable"] == "ROLLOVER 200.00"


def test_forms_without_a_vendored_pdf_are_named():
    """megaroth's worked joint case joint_backdoor_both_mega_one.json moved from 2025 to 2024, a year
    megaroth has no IRS PDF of Form 8606: each spouse's form is named as not filled."""
    filled = fill_forms(_f8606_case("joint_backdoor_both_mega_one.json", 2024), whole=False)
    assert any("no IRS PDF of the 2024 Form 8606" in n and "taxpayer" in n for n in filled.notes)
    assert any("no IRS PDF of the 2024 Form 8606" in n and "spouse" in n for n in filled.notes)
    assert not any(f.name.startswith("f8606") for f in filled.forms)
    filled = fill_forms(api.analyze(_case("corrective_ira_2021_early.json")), whole=False)
    assert any("no IRS PDF of Form 5329 for 2021" in n for n in filled.notes)
    assert not any(f.name.startswith("f5329") for f in filled.forms)


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
        "line_1": "7,000", "line_2": "0", "line_3": "7,000", "line_4": "0", "line_5": "7,000", "line_6": "0",
        "line_8": "7,005", "line_9": "7,005", "line_10_decimals": "99929", "line_11": "7,000", "line_13": "7,000",
        "line_14": "0", "line_16": "7,005", "line_17": "7,000", "line_18": "5"}
    figures = _read_back(filled)
    for line in analysis.lines:
        assert figures.get(line.role).amount == Decimal(line.whole_dollars or "0"), line.key


@pytest.mark.parametrize("name", ["ty2019_pension_lines.json", "irr_after_tax_only.json"])
def test_every_other_field_is_left_blank(name):
    analysis = api.analyze(_case(name))
    form = fill_forms(analysis, whole=False).forms[0]
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


# ---------------------------------------------------------------------------- Form 5329 (2025)
def _f5329(filled, name="f5329-2025.pdf"):
    (form,) = [f for f in filled.forms if f.name == name]
    return form


def _assert_f5329_reads(form, expected: dict[str, Decimal]):
    """The filled PDF read back with pypdf: each expected Part I line holds its amount, every other
    field of the three pages (header, line 2 and its exception number, Parts II-IX) is blank."""
    from megaroth.pdf_maps import form_map

    spots = form_map("f5329", 2025).spots
    by_name = {spots[role].name: amount for role, amount in expected.items()}
    fields = PdfReader(io.BytesIO(form.data)).get_fields()
    assert set(by_name) <= set(fields)
    for full_name, fld in fields.items():
        value = fld.get("/V")
        if full_name in by_name:
            assert Decimal(str(value).replace(",", "")) == by_name[full_name], full_name
        else:
            assert value in (None, "", "/Off"), (full_name, value)


def test_f5329_designated_roth_cash_with_box_10():
    """megaroth's worked case drac_cash_with_box_10.json: a code 1B designated Roth distribution of
    $5,000 paid in cash before 59½, $1,000 of earnings taxable (box 2a) and $3,000 allocable to an
    in-plan Roth rollover within its 5 years (box 10). Not the shortcut (box 10): Form 5329 Part I
    line 1 = line 3 = $4,000 (earnings kept + box 10), line 4 = $400, the Schedule 2 line 8 amount."""
    analysis = api.analyze(_case("drac_cash_with_box_10.json"))
    flag = analysis.people[0].form_5329
    assert (flag.amount_subject, flag.additional_tax) == (Decimal("4000.00"), Decimal("400.00"))
    filled = fill_forms(analysis, whole=False)
    form = _f5329(filled)
    assert form.values == {"line_1": "4,000.00", "line_3": "4,000.00", "line_4": "400.00"}
    _assert_f5329_reads(form, {"line_1": flag.amount_subject, "line_3": flag.amount_subject,
                               "line_4": flag.additional_tax})
    figures = _read_back(filled)  # the Form 1040 reader, with the Form 5329 page among the return's
    assert not figures.unreadable and figures.get("pension_taxable").amount == Decimal("1000.00")
    assert figures.get("schedule_2_additional_tax").amount == flag.additional_tax
    assert "PARTIAL FORM FOR REFERENCE" in PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    (note,) = [n for n in filled.notes if n.startswith("Form 5329 (taxpayer)")]
    assert "lines 1, 3, 4" in note and "Line 2 and its exception number are blank" in note


def test_f5329_whole_dollars():
    """drac_cash_with_box_10.json again, with --whole-dollars: every Form 5329 line in whole dollars."""
    form = _f5329(fill_forms(api.analyze(_case("drac_cash_with_box_10.json")), whole=True))
    assert form.values == {"line_1": "4,000", "line_3": "4,000", "line_4": "400"}
    _assert_f5329_reads(form, {"line_1": Decimal("4000"), "line_3": Decimal("4000"), "line_4": Decimal("400")})


def _i5329_example_in_2025():
    """The Instructions for Form 5329's Roth IRA recapture example (fixtures/cases/
    f8606_roth_recapture_i5329.json, tax year 2021) moved four years on, so that it falls in 2025,
    the year megaroth has Form 5329 of: conversions in 2021 and 2022, born 1972, the $33,000
    distribution on 2025-07-09 at 53."""
    data = json.loads((CASES / "f8606_roth_recapture_i5329.json").read_text(encoding="utf-8"))
    data["tax_year"] = 2025
    data["taxpayer"]["birth_date"] = "1972-01-15"
    data["taxpayer"]["ira"]["first_roth_year"] += 4
    for conversion in data["taxpayer"]["ira"]["roth_conversions"]:
        conversion["year"] += 4
    data["forms_1099r"][0]["distribution_date"] = "2025-07-09"
    return api.case_from_dict(data, "f8606_roth_recapture_i5329.json (in 2025)")


def test_f5329_roth_ira_recapture_the_i5329_example():
    """The i5329 Roth IRA recapture example (f8606_roth_recapture_i5329.json, moved to 2025): of the
    $33,000 code J distribution, $4,000 is contribution basis and the $22,000 taxable in the two
    conversions is recaptured within their 5 years: line 1 = line 3 = $22,000, line 4 = $2,200, as
    the instructions work it out (and megaroth does for 2021)."""
    analysis = api.analyze(_i5329_example_in_2025())
    flag = analysis.people[0].form_5329
    assert (flag.amount_subject, flag.additional_tax) == (Decimal("22000.00"), Decimal("2200.00"))
    original = api.analyze(_case("f8606_roth_recapture_i5329.json")).form_5329
    assert (original.amount_subject, original.additional_tax) == (flag.amount_subject, flag.additional_tax)
    form = _f5329(fill_forms(analysis, whole=False))
    _assert_f5329_reads(form, {"line_1": flag.amount_subject, "line_3": flag.amount_subject,
                               "line_4": flag.additional_tax})


def test_f5329_roth_ira_ordering_recapture():
    """megaroth's worked case f8606_roth_ordering_mega_backdoor.json: a $10,000 code J Roth IRA
    withdrawal at 45; after $7,000 of contributions it reaches the 2023 mega backdoor conversion, whose
    $200 taxable part is within its 5 years: line 1 = line 3 = $200, line 4 = $20."""
    analysis = api.analyze(_case("f8606_roth_ordering_mega_backdoor.json"))
    flag = analysis.people[0].form_5329
    assert (flag.amount_subject, flag.additional_tax) == (Decimal("200.00"), Decimal("20.00"))
    _assert_f5329_reads(_f5329(fill_forms(analysis, whole=False)), {"line_1": flag.amount_subject,
                                                       "line_3": flag.amount_subject, "line_4": flag.additional_tax})


def test_f5329_the_spouse_gets_their_own_form():
    """joint_early_distribution_one_spouse.json (Lee 62, code 7; Kim 45, a $5,000 code 1 IRA cash-out)
    with drac_cash_with_box_10.json's 1099-R also Kim's: the box 10 amount takes Kim off the code 1
    shortcut, so Kim files Form 5329 (f5329-2025-spouse.pdf): line 1 = line 3 = $5,000 + $4,000,
    line 4 = $900; Lee owes nothing and gets none (i5329 "Joint returns")."""
    data = json.loads((CASES / "joint_early_distribution_one_spouse.json").read_text(encoding="utf-8"))
    drac = json.loads((CASES / "drac_cash_with_box_10.json").read_text(encoding="utf-8"))["forms_1099r"][0]
    data["forms_1099r"].append(dict(drac, owner="spouse", disposition=[{"to": "kept", "amount": drac["box_1"]}]))
    analysis = api.analyze(api.case_from_dict(data, "joint + drac"))
    spouse = next(p for p in analysis.people if p.role == "spouse").form_5329
    assert (spouse.amount_subject, spouse.additional_tax, spouse.schedule_2_line_8_shortcut) == (
        Decimal("9000.00"), Decimal("900.00"), False)
    filled = fill_forms(analysis, whole=False)
    assert [f.name for f in filled.forms] == ["f1040-2025.pdf", "f1040s2-2025.pdf", "f5329-2025-spouse.pdf"]
    _assert_f5329_reads(_f5329(filled, "f5329-2025-spouse.pdf"), {
        "line_1": spouse.amount_subject, "line_3": spouse.amount_subject, "line_4": spouse.additional_tax})
    assert filled.forms[1].values == {"additional_tax": "900.00"}


@pytest.mark.parametrize("name, who", [
    ("joint_early_distribution_one_spouse.json", "spouse"),
    ("cash_out_after_tax.json", "taxpayer"),
    ("sixty_day_rollover_withholding.json", "taxpayer"),
])
def test_no_f5329_when_the_code_1_shortcut_applies(name, who):
    """megaroth's worked cases joint_early_distribution_one_spouse.json (Kim's $5,000 code 1 IRA
    cash-out), cash_out_after_tax.json ($200 of earnings paid in cash, code 1) and
    sixty_day_rollover_withholding.json (code 1, the withholding not replaced): code 1 on every 1099-R,
    the 10% on the whole taxable amount, nothing rolled into a Roth, no box 10. i1040 Schedule 2
    line 8: no Form 5329, the tax straight on Schedule 2."""
    analysis = api.analyze(_case(name))
    filled = fill_forms(analysis, whole=False)
    assert not any(f.name.startswith("f5329") for f in filled.forms)
    assert "f1040s2-2025.pdf" in [f.name for f in filled.forms]
    (note,) = [n for n in filled.notes if n.startswith(f"Form 5329 ({who})")]
    assert "not needed" in note and "Schedule 2 line 8" in note


def test_no_f5329_when_no_tax_is_figured():
    """megaroth's worked case sixty_day_after_tax_to_roth.json: code 1, but all the taxable $200 went
    into a Roth IRA within 60 days: no 10%; megaroth fills no Form 5329 and says why."""
    filled = fill_forms(api.analyze(_case("sixty_day_after_tax_to_roth.json")), whole=False)
    assert [f.name for f in filled.forms] == ["f1040-2025.pdf"]
    assert any(n.startswith("Form 5329 (taxpayer): not filled") for n in filled.notes)


def test_f5329_line_1_blank_when_part_went_into_a_roth():
    """sixty_day_after_tax_to_roth.json with $1,200 taxable (box 5 $9,000) and only $500 rolled to
    the Roth IRA, the rest kept: $700 of taxable money kept owes the 10% (line 3 $700, line 4 $70);
    the $500 rolled into the Roth is in income but not subject, and whether it belongs on line 1 (and
    out on line 2) is not certain, so lines 1 and 2 stay blank, with a note."""
    data = json.loads((CASES / "sixty_day_after_tax_to_roth.json").read_text(encoding="utf-8"))
    form_1099r = data["forms_1099r"][0]
    form_1099r.update(box_2a="1200.00", box_5="9000.00", box_4="0.00", disposition=[
        {"to": "roth_ira", "amount": "500.00", "within_60_days": True, "date": "2025-03-20"},
        {"to": "kept", "amount": "9700.00"}])
    analysis = api.analyze(api.case_from_dict(data, "partly to a Roth"))
    flag = analysis.form_5329
    assert (flag.amount_subject, flag.additional_tax, flag.schedule_2_line_8_shortcut) == (
        Decimal("700.00"), Decimal("70.00"), False)
    filled = fill_forms(analysis, whole=False)
    _assert_f5329_reads(_f5329(filled), {"line_3": flag.amount_subject, "line_4": flag.additional_tax})
    (note,) = [n for n in filled.notes if n.startswith("Form 5329 (taxpayer)")]
    assert "Line 1 is blank: $500.00" in note


# ---------------------------------------------------------------------------- Form 8606 (2021-2023, 2025)
def _f8606_case(name: str, year: int):
    """A worked case moved to a year megaroth has the Form 8606 PDF of, with its Form 8606 lines
    checked to be those of the case's own year (the lines and their rules are the same)."""
    moved = api.analyze(_case(name, year))
    own = api.analyze(_case(name))
    for mine, theirs in zip(moved.people, own.people, strict=True):
        assert [(x.line, x.amount, x.text) for x in mine.form_8606.lines] == [
            (x.line, x.amount, x.text) for x in theirs.form_8606.lines], name
    return moved


def _expected_8606(f8606, whole: bool = False) -> dict[str, Decimal | str]:
    """megaroth's Form 8606, role → what its field must hold: each line's amount (whole dollars
    rounded half up with `whole`), line 10's ratio split at the decimal point; lines left blank
    (no amount) are not in it."""
    out: dict[str, Decimal | str] = {}
    for line in f8606.lines:
        if line.line == "10":
            before, _, after = line.text.partition(".")
            out.update({"line_10": before, "line_10_decimals": after} if before else {"line_10_decimals": after})
        elif line.amount is not None and line.line != "3-box":
            out[f"line_{line.line}"] = Decimal(line.whole_dollars) if whole else line.amount
    return out


def _assert_f8606_reads(form, f8606, year: int, whole: bool = False) -> set[str]:
    """The filled PDF read back with pypdf `get_fields()`: every line megaroth computes is mapped,
    and its field holds megaroth's amount (line 10: its ratio's two parts); every other field of
    the two pages — the lines megaroth leaves blank, the header, the paid preparer — is empty.
    Returns the roles filled."""
    from megaroth.pdf_maps import form_map

    spots = form_map("f8606", year).spots
    expected = _expected_8606(f8606, whole)
    assert set(expected) <= set(spots), set(expected) - set(spots)
    by_name = {spots[role].name: value for role, value in expected.items()}
    fields = PdfReader(io.BytesIO(form.data)).get_fields()
    assert set(by_name) <= set(fields)
    for full_name, fld in fields.items():
        value = fld.get("/V")
        if full_name not in by_name:
            assert value in (None, "", "/Off"), (full_name, value)
        elif isinstance(by_name[full_name], Decimal):
            assert Decimal(str(value).replace(",", "")) == by_name[full_name], full_name
            assert (str(value) == f"{by_name[full_name]:,.0f}") if whole else ("." in str(value)), (full_name, value)
        else:
            assert str(value) == by_name[full_name], full_name
    assert "PARTIAL FORM FOR REFERENCE" in PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    return set(expected)


def _f8606_form(filled, name):
    (form,) = [f for f in filled.forms if f.name == name]
    return form


def test_f8606_backdoor_clean_every_line():
    """megaroth's worked case f8606_backdoor_clean.json (a $7,000 nondeductible contribution
    converted when worth $7,005, no other IRA money; worked by hand from the Form 8606 rules),
    moved from 2024 to 2023: Part I lines 1-6, 8, 9, 10 (.99929: the decimals box only), 11, 13, 14
    and Part II 16-18 are filled; line 7, line 12 and 15a-15c, which megaroth leaves blank, and Part
    III stay empty. megaroth's Form 1040 reader still reads lines 16-18."""
    analysis = _f8606_case("f8606_backdoor_clean.json", 2023)
    f8606 = analysis.people[0].form_8606
    filled = fill_forms(analysis, whole=False)
    roles = _assert_f8606_reads(_f8606_form(filled, "f8606-2023.pdf"), f8606, 2023)
    assert roles == {f"line_{n}" for n in ("1", "2", "3", "4", "5", "6", "8", "9", "10_decimals", "11", "13",
                                           "14", "16", "17", "18")}
    assert _f8606_form(filled, "f8606-2023.pdf").values["line_10_decimals"] == "99929"
    figures = _read_back(filled)
    assert not figures.unreadable, figures.unreadable
    for number in ("16", "17", "18"):
        assert figures.get(f"form_8606_line_{number}").amount == f8606.amount(number)
    (note,) = [n for n in filled.notes if n.startswith("Form 8606 (taxpayer)")]
    assert "lines 1-6, 8-11, 13-14, 16-18 are filled" in note and "ratio .99929" in note


def test_f8606_rose_green_worksheet_1_1():
    """Rose Green, the Worksheet 1-1 example of Pub 590-B (2019) (megaroth's worked case
    f8606_rose_green_worksheet_1_1.json), moved from 2019 to 2021: the IRS's filled-in Form 8606
    shows lines 1 500, 2 300, 3 800, 4 0, 5 800, 13 460 (from Worksheet 1-1), 14 340, 16 5,000, 17 460,
    18 4,540, lines 6-12 blank; the filled 2021 PDF holds exactly those, in dollars and cents."""
    analysis = _f8606_case("f8606_rose_green_worksheet_1_1.json", 2021)
    f8606 = analysis.people[0].form_8606
    assert f8606.worksheet_1_1
    filled = fill_forms(analysis, whole=False)
    form = _f8606_form(filled, "f8606-2021.pdf")
    _assert_f8606_reads(form, f8606, 2021)
    assert {role: Decimal(v.replace(",", "")) for role, v in form.values.items()} == {
        "line_1": 500, "line_2": 300, "line_3": 800, "line_4": 0, "line_5": 800, "line_13": 460, "line_14": 340,
        "line_16": 5000, "line_17": 460, "line_18": 4540}
    figures = _read_back(filled)
    assert not figures.unreadable and figures.get("form_8606_line_18").amount == Decimal("4540.00")
    (note,) = [n for n in filled.notes if n.startswith("Form 8606 (taxpayer)")]
    assert "Lines 6-12 are blank" in note and "Worksheet 1-1" in note


def test_f8606_bill_king_pro_rata_whole_dollars():
    """Bill King, the pro-rata example of Pub 590-B (2015 and 2004 editions) (megaroth's worked case
    f8606_bill_king_pro_rata.json), moved from 2019 to 2022 and filled in whole dollars (the default): the IRS's
    filled-in Form 8606 shows lines 1 0, 2 2,000, 3 2,000, 4 0, 5 2,000, 6 1,800, 7 600, 9 2,400,
    10 .833, 12 500, 13 500 with lines 8 and 11 blank; 14 1,500 and 15a/15c 100 (15b 0) as megaroth's
    cents (1,500.20, 100.20) round. Nothing of Part II or III."""
    analysis = _f8606_case("f8606_bill_king_pro_rata.json", 2022)
    f8606 = analysis.people[0].form_8606
    filled = fill_forms(analysis, whole=True)
    form = _f8606_form(filled, "f8606-2022.pdf")
    _assert_f8606_reads(form, f8606, 2022, whole=True)
    assert form.values == {"line_1": "0", "line_2": "2,000", "line_3": "2,000", "line_4": "0", "line_5": "2,000",
                           "line_6": "1,800", "line_7": "600", "line_9": "2,400", "line_10_decimals": "833",
                           "line_12": "500", "line_13": "500", "line_14": "1,500", "line_15a": "100",
                           "line_15b": "0", "line_15c": "100"}
    _assert_f8606_reads(_f8606_form(fill_forms(analysis, whole=False), "f8606-2022.pdf"), f8606, 2022)  # and in cents


def test_f8606_part_iii_the_i5329_recapture_example():
    """The Instructions for Form 5329's Roth IRA recapture example (megaroth's worked case
    f8606_roth_recapture_i5329.json, its years moved to 2021): the example's Form 8606 Part III,
    lines 19 33,000, 22 4,000, 23 29,000, 24 30,000, 25a-25c 0 (20 0, 21 33,000), in the 2021 PDF;
    Parts I and II empty."""
    analysis = api.analyze(_case("f8606_roth_recapture_i5329.json"))
    assert analysis.tax_year == 2021
    f8606 = analysis.people[0].form_8606
    form = _f8606_form(fill_forms(analysis, whole=False), "f8606-2021.pdf")
    roles = _assert_f8606_reads(form, f8606, 2021)
    assert roles == {f"line_{n}" for n in ("19", "20", "21", "22", "23", "24", "25a", "25b", "25c")}
    assert (form.values["line_19"], form.values["line_22"], form.values["line_23"], form.values["line_24"]) == (
        "33,000.00", "4,000.00", "29,000.00", "30,000.00")


@pytest.mark.parametrize("year", [2023, 2025])
def test_f8606_each_spouse_their_own_form(year):
    """megaroth's worked joint case joint_backdoor_both_mega_one.json (both spouses a $7,000 backdoor
    Roth IRA; Pat's converted at 7,003, Sam's at 7,010; worked by hand), in its own year 2025 and moved
    to 2023: Pat's f8606-<year>.pdf (line 10 .99957, 11 6,999.99, 14 0.01, 18 3.01) and Sam's
    f8606-<year>-spouse.pdf (.99857, 6,999.98, 0.02, 10.02), each holding only its own person's lines
    (i8606: a separate form for each spouse), every other field blank; megaroth's reader gives the
    taxpayer's lines 16-18 back from the fillable form."""
    analysis = _f8606_case("joint_backdoor_both_mega_one.json", year)
    filled = fill_forms(analysis, whole=False)
    names = [f"f1040-{year}.pdf", f"f8606-{year}.pdf", f"f8606-{year}-spouse.pdf"]
    assert [f.name for f in filled.forms] == names
    taxpayer, spouse = (p.form_8606 for p in analysis.people)
    _assert_f8606_reads(_f8606_form(filled, names[1]), taxpayer, year)
    _assert_f8606_reads(_f8606_form(filled, names[2]), spouse, year)
    values = [_f8606_form(filled, n).values for n in names[1:]]
    assert [(v["line_10_decimals"], v["line_11"], v["line_14"], v["line_18"]) for v in values] == [
        ("99957", "6,999.99", "0.01", "3.01"), ("99857", "6,999.98", "0.02", "10.02")]
    assert any(n.startswith("Form 8606 (spouse): lines 1-6, 8-11, 13-14, 16-18") for n in filled.notes)
    # Moved to 2023 (IRA limit $6,500), each $7,000 backdoor contribution holds a $500 excess (Form 5329
    # Part III, no 6%: the IRAs were empty at year end), and no 2023 Form 5329 PDF is vendored: only that note.
    assert not any("no IRS PDF" in n and "5329" not in n for n in filled.notes)
    one = PdfWriter()
    for name in names[:2]:
        one.append(PdfReader(io.BytesIO(_f8606_form(filled, name).data)))
    buffer = io.BytesIO()
    one.write(buffer)
    figures = read_f1040_pdf(Document(name="pat.pdf", data=buffer.getvalue()), load_year, None)
    assert not figures.unreadable, figures.unreadable
    for number in ("16", "17", "18"):
        assert figures.get(f"form_8606_line_{number}").amount == taxpayer.amount(number)


def test_f8606_line_10_of_one_fills_both_boxes():
    """Line 10 at 1.000 (i8606 line 10: "If the result is 1.000 or more, enter 1.000"): megaroth's
    worked case f8606_backdoor_clean.json in 2023 with the conversion at exactly the $7,000 of
    basis: "1" before the decimal point, "00000" after; nothing taxable (line 18 0)."""
    data = json.loads((CASES / "f8606_backdoor_clean.json").read_text(encoding="utf-8"))
    data["tax_year"] = 2023
    for key in ("box_1", "box_2a"):
        if key in data["forms_1099r"][0]:
            data["forms_1099r"][0][key] = "7000.00"
    for part in data["forms_1099r"][0].get("disposition", []):
        part["amount"] = "7000.00"
    analysis = api.analyze(api.case_from_dict(data, "backdoor at basis"))
    f8606 = analysis.people[0].form_8606
    assert f8606.line("10").text == "1.00000" and f8606.amount("18") == Decimal("0.00")
    form = _f8606_form(fill_forms(analysis, whole=False), "f8606-2023.pdf")
    _assert_f8606_reads(form, f8606, 2023)
    assert (form.values["line_10"], form.values["line_10_decimals"]) == ("1", "00000")


def test_f8606_a_line_the_map_lacks_is_named(monkeypatch):
    """f8606_backdoor_clean.json in 2023 with a map that has no line 14 (as when a year's field cannot
    be identified with certainty and the script leaves it out): the line is not written anywhere, and
    the note names it."""
    import dataclasses

    from megaroth.pdf_maps import form_map
    from megaroth.render import irs_forms

    full = form_map("f8606", 2023)
    partial = dataclasses.replace(full, spots={r: s for r, s in full.spots.items() if r != "line_14"})
    monkeypatch.setattr(irs_forms, "form_map", lambda form, year: partial if form == "f8606" else form_map(form, year))
    filled = fill_forms(api.analyze(_case("f8606_backdoor_clean.json", 2023)), whole=False)
    form = _f8606_form(filled, "f8606-2023.pdf")
    assert "line_14" not in form.values
    assert PdfReader(io.BytesIO(form.data)).get_fields()[full.spots["line_14"].name].get("/V") in (None, "")
    (note,) = [n for n in filled.notes if n.startswith("Form 8606 (taxpayer)")]
    assert "Line(s) 14, which megaroth computes, have no field in the 2023 map" in note


def test_f8606_2025_backdoor_clean_every_line():
    """megaroth's worked case f8606_backdoor_clean.json (a $7,000 nondeductible contribution
    converted when worth $7,005, no other IRA money; worked by hand from the Form 8606 rules),
    moved from 2024 to 2025 and filled in the IRS's 2025 PDF (lines 15a-15c now on page 2, fields
    renamed f1_09..., f2_01...): Part I lines 1-6, 8, 9, 10 (.99929: the decimals box only), 11, 13,
    14 and Part II 16-18 are filled; line 7, line 12, 15a-15c and Part III stay empty. megaroth's
    own Form 1040 reader (`compare`) reads lines 16-18 back from the fillable 2025 Form 8606."""
    analysis = _f8606_case("f8606_backdoor_clean.json", 2025)
    f8606 = analysis.people[0].form_8606
    filled = fill_forms(analysis, whole=False)
    assert [f.name for f in filled.forms] == ["f1040-2025.pdf", "f8606-2025.pdf"]
    form = _f8606_form(filled, "f8606-2025.pdf")
    roles = _assert_f8606_reads(form, f8606, 2025)
    assert roles == {f"line_{n}" for n in ("1", "2", "3", "4", "5", "6", "8", "9", "10_decimals", "11", "13",
                                           "14", "16", "17", "18")}
    assert form.values == {
        "line_1": "7,000.00", "line_2": "0.00", "line_3": "7,000.00", "line_4": "0.00", "line_5": "7,000.00",
        "line_6": "0.00", "line_8": "7,005.00", "line_9": "7,005.00", "line_10_decimals": "99929",
        "line_11": "7,000.00", "line_13": "7,000.00", "line_14": "0.00", "line_16": "7,005.00",
        "line_17": "7,000.00", "line_18": "5.00"}
    figures = _read_back(filled)
    assert figures.tax_year == 2025 and not figures.unreadable, figures.unreadable
    for number in ("16", "17", "18"):
        figure = figures.get(f"form_8606_line_{number}")
        assert figure.amount == f8606.amount(number) and "field map" in figure.where, figure.where
    (note,) = [n for n in filled.notes if n.startswith("Form 8606 (taxpayer)")]
    assert "lines 1-6, 8-11, 13-14, 16-18 are filled" in note and "ratio .99929" in note
    assert not any("no IRS PDF" in n for n in filled.notes)




# ---------------------------------------------------------------------------- whole dollars, as filed
def _pdf_values(path: Path, form: str, year: int, roles) -> dict[str, str]:
    """The text of each role's field in a filled PDF, read back with pypdf."""
    from megaroth.pdf_maps import form_map

    spots = form_map(form, year).spots
    fields = PdfReader(path).get_fields()
    return {role: str(fields[spots[role].name].get("/V")) for role in roles}


def test_cli_fill_is_in_whole_dollars_and_cents_with_the_option(tmp_path):
    """megaroth's worked joint case joint_backdoor_both_mega_one.json (worked by hand): Sam's $7,000
    backdoor converted at $7,010, line 10 .99857, line 17 6,999.98 and line 18 10.02 in cents. `fill`
    writes Form 8606 as it is filed, in whole dollars: line 17 7,000 and line 18 10 (7,010 − 7,000),
    line 14 0; Pat's (7,003 converted) line 18 3. Form 1040 line 4a 14,013 and 4b 13 (3 + 10: the two
    forms' line 18). With --cents the same fields hold the cents."""
    out = tmp_path / "whole"
    result = run("fill", CASES / "joint_backdoor_both_mega_one.json", "--out-dir", out)
    assert result.exit_code == 0, result.output
    lines = ("line_11", "line_14", "line_16", "line_17", "line_18")
    assert _pdf_values(out / "f8606-2025-spouse.pdf", "f8606", 2025, lines) == {
        "line_11": "7,000", "line_14": "0", "line_16": "7,010", "line_17": "7,000", "line_18": "10"}
    assert _pdf_values(out / "f8606-2025.pdf", "f8606", 2025, ["line_17", "line_18"]) == {
        "line_17": "7,000", "line_18": "3"}
    assert _pdf_values(out / "f1040-2025.pdf", "f1040", 2025, ["ira_gross", "ira_taxable"]) == {
        "ira_gross": "14,013", "ira_taxable": "13"}
    cents = tmp_path / "cents"
    result = run("fill", CASES / "joint_backdoor_both_mega_one.json", "--out-dir", cents, "--cents")
    assert result.exit_code == 0, result.output
    assert _pdf_values(cents / "f8606-2025-spouse.pdf", "f8606", 2025, lines) == {
        "line_11": "6,999.98", "line_14": "0.02", "line_16": "7,010.00", "line_17": "6,999.98", "line_18": "10.02"}
    assert _pdf_values(cents / "f1040-2025.pdf", "f1040", 2025, ["ira_taxable"]) == {"ira_taxable": "13.03"}


def test_cli_fill_cents_and_whole_dollars_contradict(tmp_path):
    result = run("fill", CASES / "joint_backdoor_both_mega_one.json", "--out-dir", tmp_path, "--cents",
                 "--whole-dollars")
    assert result.exit_code == 2 and "--cents" in result.output and "--whole-dollars" in result.output
    assert not list(tmp_path.iterdir())


def _pro_rata_at(converted: str):
    data = json.loads((CASES / "f8606_backdoor_pro_rata_trap.json").read_text(encoding="utf-8"))
    form = data["forms_1099r"][0]
    form["box_1"] = form["box_2a"] = form["disposition"][0]["amount"] = converted
    data["tax_year"] = 2025
    return api.analyze(api.case_from_dict(data, f"pro-rata trap at {converted}"))


def test_whole_dollar_form_8606_follows_its_own_arithmetic():
    """megaroth's worked case f8606_backdoor_pro_rata_trap.json (7,000 nondeductible, 93,000 of pretax
    IRA money on December 31), converted at 7,005.60 instead of 7,005 and moved to 2025, worked by
    hand: line 9 100,005.60, line 10 .07000, line 11 = 7,005.60 × .07 = 490.39, line 18 = 7,005.60 −
    490.39 = 6,515.21. Each rounded alone, line 16 is 7,006, line 17 490 and line 18 6,515, which do not
    subtract; i8606 "Rounding off to whole dollars" with the form's own line 18 ("subtract line 17 from
    line 16") on the rounded lines gives 6,516, and Form 1040 line 4b takes the 6,516 of the filed Form
    8606 (its cents stay 6,515.21). Line 14: 7,000 − 490 = 6,510 (6,509.61 in cents)."""
    analysis = _pro_rata_at("7005.60")
    f8606 = analysis.people[0].form_8606
    assert (f8606.amount("17"), f8606.amount("18")) == (Decimal("490.39"), Decimal("6515.21"))
    assert [f8606.line(n).whole_dollars for n in ("9", "11", "13", "14", "16", "17", "18")] == [
        "100006", "490", "490", "6510", "7006", "490", "6516"]
    assert analysis.line("4b").amount == Decimal("6515.21") and analysis.line("4b").whole_dollars == "6516"
    filled = fill_forms(analysis)
    assert filled.forms[0].values["ira_taxable"] == "6,516"
    form = _f8606_form(filled, "f8606-2025.pdf")
    assert (form.values["line_16"], form.values["line_17"], form.values["line_18"]) == ("7,006", "490", "6,516")
    _assert_f8606_reads(form, f8606, 2025, whole=True)


def test_whole_dollar_lines_entered_are_rounded_half_up():
    """The form's arithmetic only where the form computes: the unit function on lines given by hand
    (line 16 entered with no Part I, line 17 from Worksheet 1-1 — no line 8 or 11 to compute them
    from) rounds each half up; line 18 is 16 − 17 on the rounded lines (100.60 − 50.30: 101 − 50 = 51,
    where 50.30 rounds to 50)."""
    from megaroth.model.results import Form8606Line
    from megaroth.rules.form8606_whole import whole_dollar_lines

    lines = [Form8606Line(line=n, label=n, amount=Decimal(a), description="") for n, a in
             (("16", "100.60"), ("17", "50.30"), ("18", "50.30"))]
    assert [x.whole_dollars for x in whole_dollar_lines(lines)] == ["101", "50", "51"]
