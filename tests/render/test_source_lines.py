"""The sources that end every page are rendered once per distinct source (render/env.py): the
cached line must be what the page would print itself, escaped in HTML exactly once."""

from __future__ import annotations

from megaroth.render.env import _source_html, _source_md, environment

ENTRY = {"number": 3, "text": "Instructions for Form 1040 (2025), Lines 5a & 5b", "quote": 'a "rollover" <b>',
         "summary": None, "confidence_words": "read in the primary text", "url": "https://www.irs.gov/i1040?a=1&b=2"}


def test_markdown_line_is_the_source_as_written():
    assert _source_md(ENTRY) == ('Instructions for Form 1040 (2025), Lines 5a & 5b. "a "rollover" <b>" '
                                 "(read in the primary text) <https://www.irs.gov/i1040?a=1&b=2>")
    assert _source_md({**ENTRY, "quote": None, "summary": "A summary."}).startswith(
        "Instructions for Form 1040 (2025), Lines 5a & 5b. A summary. (read")


def test_html_line_is_escaped_once_inside_an_escaping_page():
    import jinja2

    html = environment().get_template("_source.html.j2").render(b=ENTRY).strip()
    assert str(_source_html(ENTRY)) == html
    escaping_page = jinja2.Environment(autoescape=True).from_string("<li>{{ line }}</li>")
    assert escaping_page.render(line=_source_html(ENTRY)) == f"<li>{html}</li>", "not escaped a second time"
    assert "&lt;b&gt;" in html and "&amp;amp;" not in html and "<b>" not in html
    assert 'href="https://www.irs.gov/i1040?a=1&amp;b=2"' in html


def test_the_same_source_renders_once():
    from megaroth.render import env

    env._source_line.cache_clear()
    for _ in range(3):
        _source_md(ENTRY)
    assert env._source_line.cache_info().misses == 1
