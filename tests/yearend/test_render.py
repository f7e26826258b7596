"""The year-end worksheet as users read it (snapshots) and its chart."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from megaroth import api
from megaroth.render.chart import timeline_svg
from megaroth.render.yearend import render_yearend

CASE = Path(__file__).resolve().parents[2] / "fixtures" / "cases" / "yearend_mega_backdoor_2025.json"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


class HtmlSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "html"


def report(tmp_path):
    ledger = tmp_path / "ledger.sqlite3"
    api.open_ledger(ledger).close()  # an empty ledger: the first year megaroth sees
    return api.yearend(api.load_case(CASE), ledger_path=ledger)


def test_yearend_markdown(tmp_path, snapshot):
    assert render_yearend(report(tmp_path), "md") == snapshot(extension_class=MarkdownSnapshot)


def test_yearend_html_with_chart(tmp_path, snapshot):
    html = render_yearend(report(tmp_path), "html")
    assert "<svg" in html and "<script" not in html
    assert html == snapshot(extension_class=HtmlSnapshot)


def test_yearend_json(tmp_path):
    document = json.loads(render_yearend(report(tmp_path), "json"))
    assert document["room"]["plans"][0]["room"] == "20000.00"
    assert document["timing"]["taxable_earnings"] == "400.00"
    assert document["carry_forward"]["plan_after_tax_basis"] == "5000.00"


def test_the_chart_is_valid_svg_and_says_what_it_shows(tmp_path):
    svg = timeline_svg(report(tmp_path).timing)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith(("title", "desc", "text")))
    assert "8 contribution(s) and 2 conversion(s)" in texts and "Dec" in texts and "$5,000.00" in texts
