"""Render an analysis: the worksheet (Markdown, HTML) from jinja2 templates, and JSON."""

from __future__ import annotations

from typing import Literal

from megaroth.model.case import Case
from megaroth.model.results import Analysis

Format = Literal["md", "html", "json"]


def render(analysis: Analysis, case: Case, fmt: Format = "md", *, reveal_tins: bool = False,
           comparison=None, guides=None) -> str:
    """The analysis as a Markdown or HTML worksheet, or as the JSON document; with a comparison
    with tax software, the worksheet has a section for it."""
    if fmt == "json":
        from megaroth.render.json_out import render_json

        return render_json(analysis, case, reveal_tins=reveal_tins, comparison=comparison, guides=guides)
    from megaroth.render.env import render_template
    from megaroth.render.worksheet import build_context

    context = build_context(analysis, case, reveal_tins=reveal_tins, comparison=comparison)
    if guides is not None:
        from megaroth.render.entry_guide import guide_context

        context["guide"] = guide_context(guides)
    return render_template(f"worksheet.{fmt}.j2", context)


def render_worksheet_pdf(analysis: Analysis, case: Case, *, reveal_tins: bool = False, comparison=None,
                         guides=None) -> bytes:
    """The worksheet as a PDF (fpdf2), from the same context as the Markdown and HTML."""
    from megaroth.render.worksheet import build_context
    from megaroth.render.worksheet_pdf import render_pdf

    context = build_context(analysis, case, reveal_tins=reveal_tins, comparison=comparison)
    if guides is not None:
        from megaroth.render.entry_guide import guide_context

        context["guide"] = guide_context(guides)
    return render_pdf(context)


def render_yearend(report, fmt: Format = "md") -> str:
    """The year-end worksheet (Markdown, HTML with its chart, or JSON)."""
    from megaroth.render.yearend import render_yearend as render_it

    return render_it(report, fmt)


def render_room(result, fmt: Format = "md") -> str:
    """The contribution room alone."""
    from megaroth.render.yearend import render_room as render_it

    return render_it(result, fmt)


def render_compare(comparison, analysis: Analysis, case: Case, fmt: Format = "md", *, reveal_tins: bool = False) -> str:
    """The comparison with tax software alone (Markdown, HTML or JSON)."""
    from megaroth.render.compare import render_compare as render_it

    return render_it(comparison, analysis, case, fmt, reveal_tins=reveal_tins)


def render_compare_pdf(comparison, analysis: Analysis, case: Case, *, reveal_tins: bool = False) -> bytes:
    """The comparison alone as a PDF (fpdf2), from the same context as its Markdown and HTML."""
    from megaroth.render.compare import compare_context
    from megaroth.render.worksheet_pdf import render_compare_pdf as draw

    return draw(compare_context(comparison, analysis, case, reveal_tins=reveal_tins))


def render_yearend_pdf(report) -> bytes:
    """The year-end worksheet as a PDF (fpdf2), from the same context as its Markdown and HTML."""
    from megaroth.render.worksheet_pdf import render_yearend_pdf as draw
    from megaroth.render.yearend import build_context

    return draw(build_context(report))


def render_letter(letter, fmt: Format = "md") -> str:
    """The request for corrected forms (Markdown, HTML or JSON)."""
    from megaroth.render.letter import render_letter as render_it

    return render_it(letter, fmt)


def render_listing(kind: Literal["findings", "room", "ledger", "summary", "facts"], data, fmt: Literal["table", "csv"],
                   **options) -> str:
    """What `check`, `room`, `ledger show` and `summary` list, as an aligned text table or CSV (their JSON is
    each command's own document)."""
    from megaroth.render import tables

    build = {"findings": tables.findings_table, "room": tables.room_table, "ledger": tables.ledger_table,
             "summary": tables.summary_table, "facts": tables.facts_table}[kind]
    table = build(data, **options)
    return tables.render(table, fmt)


def render_guide(guides, fmt: Format = "md") -> str:
    """The entry guides alone (`megaroth guide`): Markdown, HTML or their JSON document."""
    if fmt == "json":
        import json

        return json.dumps(guides.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"
    from megaroth.render.entry_guide import guide_context
    from megaroth.render.env import render_template

    return render_template(f"guide.{fmt}.j2", {"guide": guide_context(guides)})
