"""What each sample input extracts to, validated into forms: a reviewed JSON snapshot per file.
PDFs are compared by what they parse to, never by their bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from megaroth import api

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
INPUTS = ["pdf/irs_look_flat.pdf", "pdf/three_up_copies.pdf", "pdf/custodian_statement.pdf",
          "pdf/custodian_table_2019.pdf", "pdf/irs_fillable_code_g.pdf", "pdf/fdx_embedded.pdf",
          "csv/preparer_batch.csv", "fdx/tax1099r_v5.json", "fdx/tax1099r_v6.json"]


def extracted(relative: str) -> dict:
    cases, tally = api.load_sources([str(FIXTURES / relative)])
    root = str(FIXTURES.parent)

    def clean(text):
        return text.replace(root, "<repo>") if isinstance(text, str) else text

    return {
        "records_in": tally.records_in,
        "cases": [{
            "taxpayer_key": key,
            "tax_year": loaded.case.tax_year,
            "taxpayer": loaded.case.taxpayer.model_dump(mode="json"),
            "forms": [f.model_dump(mode="json", exclude_defaults=True) for f in loaded.case.forms_1099r],
            "rejected": [{"file": clean(e.source.file), "record": e.source.record, "field": e.source.field,
                          "message": e.message} for e in loaded.errors],
            "findings": [f.message for f in loaded.findings],
        } for key, loaded in cases],
        "rejected": [{"file": clean(e.source.file), "record": e.source.record, "field": e.source.field,
                      "message": e.message} for e in tally.rejected],
        "notes": [clean(n) for n in tally.notes],
    }


@pytest.mark.parametrize("relative", INPUTS)
def test_extraction(relative, snapshot):
    data = extracted(relative)

    def scrub(value):
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value.replace(str(FIXTURES.parent), "<repo>") if isinstance(value, str) else value

    assert scrub(data) == snapshot(extension_class=JSONSnapshotExtension)


def test_key_values_of_each_layout():
    """The numbers that matter, spelled out (the snapshots hold the rest)."""
    def boxes(relative):
        cases, _ = api.load_sources([str(FIXTURES / relative)])
        return [(f.box_1, f.box_2a, f.box_5, f.box_7, f.box_2b_total_distribution, f.corrected)
                for _, loaded in cases for f in loaded.case.forms_1099r]

    from decimal import Decimal as D
    assert boxes("pdf/irs_look_flat.pdf") == [
        (D("10200.00"), D("200.00"), D("10000.00"), "G", False, False),
        (D("5000.00"), D("5000.00"), None, "7", True, False)]
    assert boxes("pdf/three_up_copies.pdf") == [
        (D("10200.00"), D("200.00"), D("10000.00"), "G", False, False),
        (D("7550.25"), D("50.25"), D("7500.00"), "G", True, False)]
    assert boxes("pdf/custodian_statement.pdf") == [
        (D("10200.00"), D("200.00"), D("10000.00"), "G", True, False),
        (D("6000.00"), D("6000.00"), None, "7", False, True)]
    assert boxes("pdf/custodian_table_2019.pdf") == [
        (D("12937.22"), D("12937.22"), None, "7", False, False),
        (D("5000.00"), D("4000.00"), D("1000.00"), "7", True, False)]
    assert boxes("pdf/irs_fillable_code_g.pdf") == [(D("10200.00"), D("200.00"), D("10000.00"), "G", False, False)]
    assert boxes("pdf/fdx_embedded.pdf") == [(D("7550.25"), D("50.25"), D("7500.00"), "G", False, False)]
