"""Validate raw data into a `Case`, one form at a time.

A case with one bad form still yields every good form: the bad one becomes an `InputError`
naming the file, the form (id or position) and the field, and the rest are analyzed. JSON is
parsed with `Decimal` for numbers so no amount ever passes through a float.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from megaroth.errors import InputError
from megaroth.model.case import Case
from megaroth.model.form1099r import Form1099R
from megaroth.model.form1099r_awaiting import AwaitingForm1099R
from megaroth.model.form5498 import Form5498
from megaroth.provenance import Source


FORM_LISTS = {"forms_1099r": Form1099R, "forms_1099r_awaiting": AwaitingForm1099R, "forms_5498": Form5498}
"""The lists of forms a case file holds, validated one form at a time."""


@dataclass
class LoadedCase:
    """A case and the records that could not be validated."""

    case: Case
    source: Source = field(default_factory=Source)
    """The file the case came from."""
    errors: list[InputError] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    """Where each form came from, by form id."""
    findings: list = field(default_factory=list)
    """Findings made while importing (skipped pages, sources that disagree)."""


MAX_JSON_DEPTH = 64
"""Nesting deeper than this is not a case file nor FDX data (those nest a few levels): refused
before any code walks it, so a hostile file cannot exhaust the stack."""


def parse_json(data: bytes | str, source: Source) -> Any:
    """Parse JSON text with exact decimals; a syntax error names the line and column.

    Raises:
        InputError: for text that is not UTF-8 or not JSON, integers past Python's digit limit,
            and nesting deeper than `MAX_JSON_DEPTH`.
    """
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source) from None
    try:
        parsed = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", source) from None
    except RecursionError:
        raise InputError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels)", source) from None
    except ValueError as exc:  # an integer literal past Python's digit limit
        raise InputError(f"not usable JSON: {exc}", source) from None
    if _depth_exceeds(parsed, MAX_JSON_DEPTH):
        raise InputError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels)", source)
    return parsed


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (iteratively: no recursion on hostile input)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def validation_errors(exc: ValidationError, source: Source) -> list[InputError]:
    """One InputError per pydantic error, with the box or field it concerns."""
    errors = []
    for error in exc.errors(include_url=False, include_input=False):
        message = error["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            if message.startswith(prefix):
                message = message[len(prefix):]
        if error["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against `megaroth schema`)"
        if error["type"] == "missing":
            message = "required and missing"
        errors.append(InputError(message, source.at(field=_location(tuple(error["loc"])) or None)))
    return errors


def form_label(raw: Any, index: int, kind: str = "") -> str:
    """How the user finds a form: its id if it has one, else its position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return f"{kind}form {raw['id']!r}"
    return f"{kind}form #{index + 1}"


COMMENT = "//"
"""Keys starting with // are comments (JSON has none): `megaroth init` writes them beside the fields."""


def without_comments(value: Any) -> Any:
    """The document without its comment keys, at every level."""
    if isinstance(value, dict):
        return {k: without_comments(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith(COMMENT))}
    if isinstance(value, list):
        return [without_comments(v) for v in value]
    return value


def load_case_data(raw: Any, source: Source) -> LoadedCase:
    """Validate a parsed case document, keeping every form that validates.

    Raises:
        InputError: when the document itself (not one form) is unusable: not an object,
            or a bad tax year, taxpayer or options.
    """
    if not isinstance(raw, dict):
        raise InputError("a case file is a JSON object with tax_year and forms_1099r", source)
    raw = without_comments(raw)
    lists = {name: raw.get(name, []) for name in FORM_LISTS}
    for name, items in lists.items():
        if not isinstance(items, list):
            raise InputError("must be a list of forms", source.at(field=name))
    envelope = {key: value for key, value in raw.items() if key not in FORM_LISTS}
    try:
        case = Case.model_validate(envelope)
    except ValidationError as exc:
        errors = validation_errors(exc, source)
        # A case-wide rule (no field) is said as it is, not behind "None:".
        raise InputError("; ".join(f"{e.source.field}: {e.message}" if e.source.field else e.message
                                   for e in errors), source) from None

    errors: list[InputError] = []
    sources: dict[str, Source] = {}
    seen: set[str] = set()
    update = {}
    for name, model in FORM_LISTS.items():
        forms = []
        for index, form_raw in enumerate(lists[name]):
            label = form_label(form_raw, index, "5498 " if name == "forms_5498" else "")
            where = source.at(record=label)
            if not isinstance(form_raw, dict):
                errors.append(InputError("each form is a JSON object of boxes", where))
                continue
            if "id" not in form_raw:
                prefix = "f5498" if name == "forms_5498" else "form"
                form_raw = {"id": f"{prefix}-{index + 1}", **form_raw}
            try:
                form = model.model_validate(form_raw)
            except ValidationError as exc:
                errors.extend(validation_errors(exc, where))
                continue
            if form.id in seen:
                errors.append(InputError(f"duplicate form id {form.id!r}; ids must be unique", where.at(field="id")))
                continue
            seen.add(form.id)
            forms.append(form)
            sources[form.id] = where
        update[name] = forms
    # A held scan whose box 1 and 7 a person has typed into the file is on the return, as the interview moves it.
    typed = [form for form in update["forms_1099r_awaiting"] if not form.awaited]
    if typed:
        update["forms_1099r"] = update["forms_1099r"] + [form.on_the_return() for form in typed]
        update["forms_1099r_awaiting"] = [form for form in update["forms_1099r_awaiting"] if form.awaited]
    return LoadedCase(case=case.model_copy(update=update), source=source, errors=errors, sources=sources)


def load_case_bytes(data: bytes | str, source: Source) -> LoadedCase:
    """Parse and validate a case file's bytes."""
    return load_case_data(parse_json(data, source), source)
