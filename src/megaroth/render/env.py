"""The jinja2 environment for the worksheet templates shipped in `megaroth.forms.templates`.

StrictUndefined turns a missing context key into an error (caught by the tests), and HTML is
autoescaped so a payer name like "<script>" prints as text.
"""

from __future__ import annotations

from functools import cache, lru_cache

import jinja2
from markupsafe import Markup


def _refs(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _grefs(refs: list[str]) -> str:
    """The entry guide's page references ("g1"), apart from the numbered IRS sources."""
    return "".join(f"[{r}]" for r in refs)


def _md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


class _Environment(jinja2.Environment):
    """The templates read display dicts (`x.amount`): look the key up first, where jinja would try
    an attribute, fail, and only then the key — a million failed lookups in a batch."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment() -> jinja2.Environment:
    from megaroth.cache import template_cache_dir

    # Compiling the worksheet templates costs more than the rest of a small report: the compiled
    # code is kept in the user's cache (jinja checks each template's modification time).
    folder = template_cache_dir()
    env = _Environment(
        bytecode_cache=jinja2.FileSystemBytecodeCache(folder) if folder else None,
        loader=jinja2.PackageLoader("megaroth.forms", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["refs"] = _refs
    env.filters["cell"] = _md_cell
    env.filters["grefs"] = _grefs
    env.filters["source_md"] = _source_md
    env.filters["source_html"] = _source_html
    return env


@lru_cache(maxsize=4096)
def _source_line(template: str, text: str, quote: str | None, summary: str | None, words: str, url: str) -> str:
    """One source as `template` prints it, rendered once per distinct source: the same citations
    end every worksheet of a batch (thirty-odd lines, half the worksheet template's work), and
    the line depends only on these values, never on the worksheet (its number is printed apart)."""
    return environment().get_template(template).render(
        b={"text": text, "quote": quote, "summary": summary, "confidence_words": words, "url": url}).rstrip("\n")


def _source_md(b: dict) -> str:
    """A bibliography entry's line after its number (forms/templates/_source.md.j2)."""
    return _source_line("_source.md.j2", b["text"], b["quote"], b["summary"], b["confidence_words"], b["url"])


def _source_html(b: dict) -> Markup:
    """The same in HTML (forms/templates/_source.html.j2, autoescaped there, so not escaped again)."""
    return Markup(_source_line("_source.html.j2", b["text"], b["quote"], b["summary"], b["confidence_words"],
                               b["url"]))


def render_template(name: str, context: dict) -> str:
    return environment().get_template(name).render(**context)
