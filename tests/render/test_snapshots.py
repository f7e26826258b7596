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
