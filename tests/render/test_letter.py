"""The request for corrected forms (`megaroth letter`): worked cases from the scenario fixtures.

wrong_form_g_roth_zero: Acme's code G form reports box 2a 0 on $200 of earnings rolled into a
Roth IRA (i1099r 2025: a direct rollover to a Roth IRA reports the taxable amount in box 2a):
the letter asks for box 2a $200.00. f5498_split_different_and_missing: the plan's one form for
two destinations, and two Forms 5498 that show $9,800 and nothing where $10,000 and $200 went in.
"""

from __future__ import annotations

import json
from pathlib import Path

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from typer.testing import CliRunner

from megaroth import api
from megaroth.cli import app
from megaroth.render import render_letter

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"
runner = CliRunner()


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


def _letter(name: str, **changes):
    data = json.loads((CASES / f"{name}.json").read_text())
    for key, value in changes.items():
        data["forms_1099r"][0][key] = value
    return api.letter(api.case_from_dict(data, name))[1]


def test_box_2a_zero_on_earnings_into_a_roth_asks_for_the_taxable_amount():
    letter = _letter("wrong_form_g_roth_zero")
    (request,) = letter.requests
    assert (request.to, request.form, request.form_id) == ("payer", "1099-R", "acme-bad-2a")
    assert [(f.box, f.printed, f.should_be) for f in request.fixes] == [("box_2a", "$0.00", "$200.00")]
    assert [p.code for p in request.problems] == ["form.roth_rollover_reported_untaxed"]
    assert "i1099r.roth-ira-rollover" in request.problems[0].cites
    assert "taxable amount of $200.00" in request.statement


def test_tins_are_masked_unless_revealed_and_html_is_escaped():
    letter = _letter("wrong_form_g_roth_zero", recipient_tin="123-45-6789", payer_tin="12-3456789",
                     payer_name="<script>alert(1)</script>")
    text = render_letter(letter, "md") + render_letter(letter, "html") + render_letter(letter, "json")
    assert "123-45-6789" not in text and "6789" in text and "12-3456789" not in text
    assert "<script>alert" not in render_letter(letter, "html")
    data = json.loads((CASES / "wrong_form_g_roth_zero.json").read_text())
    data["forms_1099r"][0]["recipient_tin"] = "123-45-6789"
    revealed = api.letter(api.case_from_dict(data, "x"), reveal_tins=True)[1]
    assert revealed.requests[0].recipient_tin == "123-45-6789"


def test_forms_5498_that_miss_a_rollover_get_their_own_request(snapshot):
    letter = _letter("f5498_split_different_and_missing")
    by_id = {r.form_id: r for r in letter.requests}
    assert set(by_id) == {"acme-split", "roth-5498", "trad-5498"}
    assert [(s.destination.value, str(s.box_1)) for s in by_id["acme-split"].split] == [
        ("roth_ira", "10000.00"), ("traditional_ira", "200.00")]
    assert [(f.box, f.printed, f.should_be) for f in by_id["roth-5498"].fixes] == [("box_2", "$9,800.00", "$10,000.00")]
    assert [(f.box, f.printed, f.should_be) for f in by_id["trad-5498"].fixes] == [("box_2", "blank", "$200.00")]
    assert by_id["roth-5498"].to == "trustee"
    assert render_letter(letter, "md") == snapshot(extension_class=MarkdownSnapshot)


def test_a_clean_case_has_nothing_to_request():
    letter = _letter("irr_after_tax_only")
    assert letter.requests == []
    assert "No correction to request" in render_letter(letter, "md")


def test_json_document_names_its_schema():
    document = json.loads(render_letter(_letter("wrong_form_g_roth_zero"), "json"))
    assert (document["schema"], document["schema_version"]) == ("megaroth/letter", 1)
    assert document["requests"][0]["fixes"][0]["should_be"] == "$200.00"


def test_cli_writes_the_letter_and_refuses_an_unknown_form(tmp_path):
    out = tmp_path / "letter.html"
    result = runner.invoke(app, ["letter", str(CASES / "wrong_form_g_roth_zero.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!doctype html>")
    result = runner.invoke(app, ["letter", str(CASES / "wrong_form_g_roth_zero.json"), "--form", "nope"])
    assert result.exit_code == 2 and "no such form" in result.output
