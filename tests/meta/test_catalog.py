"""The shipped knowledge is consistent: every rule, finding, line and parameter cites a source
that resolves; every year has the same keys; every citation has the fields the worksheet prints."""

from __future__ import annotations

import importlib
import re
import tomllib

import pytest

from megaroth.catalog import available_years, bibliography, citation_ids, forms_root, resolve_citation
from megaroth.checks.registry import CHECKS
from megaroth.params import load_year
from megaroth.rules.form1040 import LINE_CITES
from megaroth.rules.registry import RULE_MODULES, all_rules

YEARS = available_years()


def test_every_rule_cites_sources_that_resolve():
    rules = all_rules()
    assert len(rules) > 20
    for rule in rules:
        assert rule.cites, rule.id
        assert set(rule.cites) <= citation_ids(), (rule.id, set(rule.cites) - citation_ids())
        assert rule.title.endswith("."), rule.id


def test_every_finding_kind_cites_sources_that_resolve():
    for module in RULE_MODULES:
        importlib.import_module(module)
    assert len(CHECKS) > 30
    for check in CHECKS.values():
        assert check.cites and set(check.cites) <= citation_ids(), check.code
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", check.code), check.code


def test_line_and_marker_citations_resolve():
    for cites in LINE_CITES.values():
        assert set(cites) <= citation_ids()
    for year in YEARS:
        markers = load_year(year).f1040.markers
        for marker in (markers.pension_rollover, markers.ira_rollover):
            assert set(marker.cite) <= citation_ids()
        assert set(load_year(year).f1040.meta.cite) <= citation_ids()
        assert set(load_year(year).codes.cite) <= citation_ids()


def test_every_citation_resolves_for_every_year():
    docs, cites = bibliography()
    for cite_id in cites:
        for year in YEARS:
            citation = resolve_citation(cite_id, year)
            assert citation.url.startswith("https://"), cite_id
            assert "{year}" not in citation.url
            assert citation.quote or citation.summary
    for doc in docs.values():
        assert ("{year}" in doc.url) == doc.yearly, doc.id


def test_no_unused_documents():
    docs, cites = bibliography()
    used = {entry.doc for entry in cites.values()}
    assert set(docs) == used


@pytest.mark.parametrize("name", ["parameters.toml", "f1040_lines.toml", "distribution_codes.toml"])
def test_every_year_has_the_same_keys(name):
    def keys(data, prefix=""):
        result = set()
        for key, value in data.items():
            if key in ("meta", "codes"):
                continue
            result.add(prefix + key)
            if isinstance(value, dict):
                result |= keys(value, prefix + key + ".")
        return result

    shapes = {}
    for year in YEARS:
        data = tomllib.loads(forms_root().joinpath(str(year), name).read_text())
        # value/note: a figure may be absent with a note; box: only checkbox markers have one; a Schedule 2
        # excess_tax line only where the year's Schedule 2 gives the 6% a line of its own (the 2026 draft).
        shapes[year] = {k for k in keys(data) if not k.endswith((".value", ".note", ".box"))
                        and not k.startswith("schedule_2.excess_tax")}
    first = shapes[YEARS[0]]
    for year, shape in shapes.items():
        assert shape == first, (year, shape ^ first)


def test_every_parameter_of_every_year_loads_with_title_and_cite():
    for year in YEARS:
        params = load_year(year)
        for group in (params.limits, params.statutory):
            for name in type(group).model_fields:
                parameter = getattr(group, name)
                assert parameter.title.endswith(".") and parameter.cite, (year, name)
                assert parameter.value is not None or parameter.note, (year, name)


def test_every_correction_names_a_finding_megaroth_reports():
    import megaroth.rules.engine  # noqa: F401 (registers the rules' findings)
    from megaroth.checks.registry import CHECKS
    from megaroth.params import correction_asks

    unknown = [code for code in correction_asks() if code not in CHECKS]
    assert not unknown, f"forms/corrections.toml names findings that do not exist: {unknown}"
