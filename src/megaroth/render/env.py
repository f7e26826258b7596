"""The jinja2 environment for the worksheet templates shipped in `megaroth.forms.templates`.

StrictUndefined turns a missing context key into an error (caught by the tests), and HTML is
autoescaped so a payer name like "<script>" prints as text.
"""

from __future__ import annotations

from functools import cache

import jinja2


def _refs(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("megaroth.forms", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["refs"] = _refs
    env.filters["cell"] = _md_cell
    return env


def render_template(name: str, context: dict) -> str:
    return environment().get_template(name).render(**context)
