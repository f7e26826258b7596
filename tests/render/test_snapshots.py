"""Snapshots of what users read: the worksheet (Markdown for every scenario, HTML for a few)
and the JSON document. CI runs without --snapshot-update, so any change to a rendered
worksheet shows up as a failing test and a diff to review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from megaroth import api
from megaroth.render import render

CASES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "cases").glob("*.json"))
HTML_CASES = ["irr_after_tax_only", "split_rollover_one_form", "sixty_day_rollover_withholding",
              "ira_to_plan_statement", "tnd_undeterminable"]
JSON_CASES = ["irr_after_tax_only", "split_rollover_one_form", "drac_cash_with_box_10", "bad_form_in_batch"]


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


class HtmlSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "html"


def rendered(name: str, fmt: str) -> str:
    loaded = api.load_case(Path(__file__).resolve().parents[2] / "fixtures" / "cases" / f"{name}.json")
    text = render(api.analyze(loaded), loaded.case, fmt)
    # The file path in error messages depends on the checkout location.
    return text.replace(str(Path(__file__).resolve().parents[2]), "<repo>")


@pytest.mark.parametrize("name", [c.stem for c in CASES])
def test_markdown_worksheet(name, snapshot):
    assert rendered(name, "md") == snapshot(extension_class=MarkdownSnapshot)


@pytest.mark.parametrize("name", HTML_CASES)
def test_html_worksheet(name, snapshot):
    assert rendered(name, "html") == snapshot(extension_class=HtmlSnapshot)


@pytest.mark.parametrize("name", JSON_CASES)
def test_json_document(name, snapshot):
    document = json.loads(rendered(name, "json"))
    document["megaroth_version"] = "<version>"
    assert document == snapshot(extension_class=JSONSnapshotExtension)


# The comparison with tax software: alone and as a worksheet section.
COMPARE_CASES = [
    ("irr_after_tax_only", "software/irr_taxed_box_1.json"),
    ("roth_ira_direct_rollover_2024", "software/plan_rollover_on_8606.json"),
    ("split_rollover_one_form", "pdf/f1040/f1040_2025_flat.pdf"),
]


def compared(name: str, software: str, fmt: str, worksheet: bool = False) -> str:
    from megaroth.render import render_compare

    root = Path(__file__).resolve().parents[2]
    loaded = api.load_case(root / "fixtures" / "cases" / f"{name}.json")
    figures = api.load_software(str(root / "fixtures" / software), None, loaded.case.tax_year)
    analysis, comparison = api.compare(loaded, figures)
    if worksheet:
        text = render(analysis, loaded.case, fmt, comparison=comparison)
    else:
        text = render_compare(comparison, analysis, loaded.case, fmt)
    return text.replace(str(root), "<repo>")


@pytest.mark.parametrize("name, software", COMPARE_CASES, ids=[c[0] for c in COMPARE_CASES])
def test_markdown_comparison(name, software, snapshot):
    assert compared(name, software, "md") == snapshot(extension_class=MarkdownSnapshot)


def test_html_comparison(snapshot):
    assert compared(*COMPARE_CASES[1], "html") == snapshot(extension_class=HtmlSnapshot)


def test_worksheet_with_a_comparison_section(snapshot):
    text = compared(*COMPARE_CASES[0], "md", worksheet=True)
    assert "## Compared with Example Tax Software 2025" in text
    assert text.index("## Form 1040 entries") < text.index("## Compared with") < text.index("## Form 8606")
    assert text == snapshot(extension_class=MarkdownSnapshot)


def test_html_worksheet_with_a_comparison_section():
    text = compared(*COMPARE_CASES[0], "html", worksheet=True)
    assert '<section id="compare">' in text and "Taxed all of box 1" in text


def test_json_comparison(snapshot):
    document = json.loads(compared(*COMPARE_CASES[1], "json"))
    document["megaroth_version"] = "<version>"
    assert document == snapshot(extension_class=JSONSnapshotExtension)
