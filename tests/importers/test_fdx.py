"""FDX Tax1099R, v5 and v6, on its own and embedded in a PDF (cross-checked with the print)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from megaroth import api
from megaroth.importers.base import Document
from megaroth.importers.fdx import extract_fdx
from megaroth.importers.pdf_fdx import FdxPdfImporter
from megaroth.model.form1099r import Disposition

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_v6_parties_and_state_rows():
    (record,) = extract_fdx(json.loads((FIXTURES / "fdx/tax1099r_v6.json").read_text())).records
    values = record.values
    assert values["payer_name"] == "Globex 403(b) Plan" and values["recipient_name"] == "Pat Example"
    assert values["box_7"] == "G" and values["state"] == [{"box_14": 0, "box_16": 7550.25, "box_15": "IL/33-396366"}]
    assert record.tax_year == 2025 and record.taxpayer["tin"] == "400-00-2001"


def test_v5_names_and_an_empty_code_list():
    cases, tally = api.load_sources([str(FIXTURES / "fdx/tax1099r_v5.json")])
    ((_, loaded),) = cases
    (form,) = loaded.case.forms_1099r
    assert form.box_7 == "BG" and form.box_11 == 2019 and form.payer_name == "Acme Widgets 401(k) Plan"
    (error,) = loaded.errors
    assert (error.source.record, error.source.field, error.message) == (
        "Tax1099R #2 (forms[1].tax1099R)", "box_7", "required and missing")


def _with_fdx(change: dict) -> bytes:
    reader = PdfReader(FIXTURES / "pdf/fdx_embedded.pdf")
    data = json.loads(str(reader.metadata["/fdxJson"]))
    data["statements"][0]["forms"][0]["tax1099R"].update(change)
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/fdxJson": json.dumps(data)})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_embedded_data_is_preferred_and_checked_against_the_print():
    doc = Document(name="statement.pdf", data=_with_fdx({"taxableAmount": 550.25}))
    (record,) = FdxPdfImporter().extract(doc).records
    assert record.values["box_2a"] == Decimal("550.25")
    assert record.warnings == ["box_2a: the embedded data says 550.25, the printed form (page 1) 50.25; "
                               "megaroth uses the embedded data"]


def test_the_disagreement_reaches_the_worksheet(tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(_with_fdx({"taxableAmount": 550.25}))
    analysis = api.analyze(api.load_single([str(path)]))
    assert "import.sources_disagree" in {f.code for f in analysis.findings}


def test_matching_embedded_data_gives_no_warning():
    doc = Document(name="statement.pdf", data=(FIXTURES / "pdf/fdx_embedded.pdf").read_bytes())
    (record,) = FdxPdfImporter().extract(doc).records
    assert record.warnings == []


def test_tax5498_beside_a_tax1099r_lands_in_the_same_case_and_is_matched():
    """FDX 5.2 Tax5498 members (rolloverContributions, fairMarketValue, rothIra …): Sam Sample's
    after-tax rollover of $23,512.40 to a Roth IRA is the Roth IRA's box 2."""
    cases, tally = api.load_sources([str(FIXTURES / "fdx/tax5498_with_1099r_v5.json")])
    ((_, loaded),) = cases
    assert not loaded.errors and tally.records_in == 2
    (f5498,) = loaded.case.forms_5498
    assert (f5498.id, f5498.box_2, f5498.box_5, f5498.box_10, f5498.kind, f5498.trustee_name) == (
        "roth-5498", Decimal("23512.40"), Decimal("24120.18"), Decimal("7000.00"), "roth_ira",
        "Example Brokerage Trust Co")
    assert f5498.provenance.fields["box_2"] == "FDX rolloverContributions"
    case = loaded.case.model_copy(update={"forms_1099r": [loaded.case.forms_1099r[0].model_copy(update={
        "disposition": [Disposition(to="roth_ira", amount="23512.40")]})]})
    analysis = api.analyze(loaded.__class__(case=case, source=loaded.source, sources=loaded.sources))
    (match,) = analysis.rollover_matches
    assert (match.status, match.expected, match.shown) == ("matched", {"2": Decimal("23512.40")},
                                                           {"2": Decimal("23512.40")})
