"""The questions about the boxes a scan left awaiting confirmation, on a Form 1099-R or a Form 5498:
what the paper form shows there. A value read from a scan is taken only when the engine is confident
and the form's checks agree; otherwise the box is left blank and listed in the form's provenance
(`awaiting_confirmation`), and a person is asked. The answer is written into the form, checked by
the form's own model (its pydantic types: an amount, a date, a TIN…), and the box marked confirmed
(provenance `scanned[box].confirmed`) and no longer awaited.

How each box is asked comes from `boxes` (a catalogue per form), not from the model's annotations.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from pydantic import ValidationError

from megaroth.questions import boxes as catalogue
from megaroth.questions.boxes import Box

EMPTY_WORDS = frozenset({"blank", "empty", "none", "nothing"})
"""Answers saying a box awaiting confirmation is empty on the paper form."""

CHECKED = (("yes", "Yes, checked"), ("no", "No, empty"))
HOW = {
    catalogue.MONEY: "Type the amount as printed (e.g. 10,412.33)",
    catalogue.DATE: "Type the date as printed (MM/DD/YYYY) or as YYYY-MM-DD",
    catalogue.YEAR: "Type the year (YYYY)",
    catalogue.PERCENT: "Type the percentage as printed",
}


def form_lists(case: Mapping[str, Any]):
    """(case file's list name, form dict) of every form a question may be about."""
    for form_list in catalogue.CATALOGUES:
        for form in case.get(form_list) or []:
            if isinstance(form, dict):
                yield form_list, form


def year_of(case: Mapping[str, Any], form: Mapping[str, Any]) -> int:
    """The year printed on the form (a Form 5498's own), else the case's."""
    return int(form.get("tax_year") or case.get("tax_year") or 0)


def allowed_codes(form_list: str, box: str, year: int) -> list[str]:
    """A Form 5498's codes of the year for boxes 13c, 14b and 15b (forms/<year>/f5498.toml); [] when
    not known (a 1099-R's box 7 is checked by the model, a year megaroth has no data for is not)."""
    if form_list != "forms_5498":
        return []
    from megaroth.params import available_years, load_year

    if year not in available_years():
        return []
    return sorted(load_year(year).f5498.codes.get(box, ()))


def prompt(box: Box, why: str, codes: list[str], required: bool = False) -> str:
    """The question for one box, after the reason the scan left it to a person (a box every form shows,
    `required`, is not offered as blank)."""
    if box.kind == catalogue.CHECK:
        return f"{why}. Is {box.name} checked on the paper form?"
    if box.kind == catalogue.IRA_KIND:
        return f"{why}. Which kind of IRA is checked in box 7 on the paper form?"
    if box.kind == catalogue.CODES:
        how = f"Type the code as printed (one of {', '.join(codes)})" if codes else "Type the code(s) as printed"
    else:
        how = HOW.get(box.kind, "Type it as printed")
    if required:
        return f"{why}. What does the paper form show in {box.name}? {how} (every form shows it)."
    return f"{why}. What does the paper form show in {box.name}? {how}, or blank if the box is empty."


def choices(box: Box) -> tuple[tuple[str, str], ...]:
    """(value, label) of a box answered by a choice; () for one typed."""
    if box.kind == catalogue.CHECK:
        return CHECKED
    if box.kind == catalogue.IRA_KIND:
        return tuple((value, label) for value, (label, _) in catalogue.IRA_KINDS.items())
    return ()


class Refused(ValueError):
    """An answer the box cannot hold (the message says why)."""


def values(box: Box, text: str, codes: list[str]) -> dict[str, Any]:
    """The model fields an answer writes (None: the field is left out, the box empty).

    Raises:
        Refused: an answer the box cannot hold.
    """
    if box.kind == catalogue.CHECK:
        if text.lower() not in ("yes", "no"):
            raise Refused("answer yes or no")
        return {box.key: text.lower() == "yes"}
    if box.kind == catalogue.IRA_KIND:
        if text.lower() not in catalogue.IRA_KINDS:
            raise Refused(f"answer {', '.join(catalogue.IRA_KINDS)}")
        checked = catalogue.IRA_KINDS[text.lower()][1]
        return {flag: True if flag in checked else None for flag in box.written}
    if text.lower() in EMPTY_WORDS:
        return {field: None for field in box.written}
    if box.kind == catalogue.MONEY:
        from megaroth.money import MoneyError, parse_money

        try:
            amount = parse_money(text)
        except MoneyError as exc:
            raise Refused(str(exc)) from None
        if amount is None:
            raise Refused(f"{text!r} is not an amount")
        return {box.key: str(amount)}
    if box.kind == catalogue.DATE:
        return {box.key: _date(text)}
    if box.kind == catalogue.YEAR:
        if not re.fullmatch(r"(19|20)\d\d", text):
            raise Refused(f"{text!r} is not a year (YYYY)")
        return {box.key: int(text)}
    if box.kind == catalogue.CODES and codes:
        return {box.key: _codes(box, text, codes)}
    return {box.key: " ".join(text.split())}


def _date(text: str) -> str:
    """A date as printed on a form (MM/DD/YYYY) or as YYYY-MM-DD, as YYYY-MM-DD."""
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2))).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise Refused(f"{text!r} is not a date (MM/DD/YYYY or YYYY-MM-DD)")


def _codes(box: Box, text: str, codes: list[str]) -> str:
    """A Form 5498 code box as typed, each code one of the year's (box 15b holds up to two letters)."""
    known = {c.upper().replace(" ", ""): c for c in codes}
    if box.key == "box_15b":
        typed = [c for c in text.upper() if c.isalnum()]
        if len(typed) > 2:
            raise Refused(f"{text!r}: box 15b holds at most two codes")
    else:
        typed = [text.upper().replace(" ", "")]
    unknown = [c for c in typed if c not in known]
    if unknown or not typed:
        raise Refused(f"{text!r} is not a code of the form (one of {', '.join(codes)})")
    return "".join(known[c] for c in typed)


def check_with_model(form_list: str, form: Mapping[str, Any], box: Box) -> str | None:
    """What the form's model says about the fields the answer wrote (None: they are valid)."""
    try:
        catalogue.model_of(form_list).model_validate(dict(form))
    except ValidationError as exc:
        said = [e["msg"] for e in exc.errors() if e["loc"] and e["loc"][0] in box.written]
        return "; ".join(said) or None
    return None


def mark_confirmed(form: dict[str, Any], box: Box, written: Mapping[str, Any]) -> None:
    """The box no longer awaited, its scanned reading marked confirmed, and where its value now comes from."""
    provenance = form["provenance"]
    awaiting = dict(provenance.get("awaiting_confirmation") or {})
    awaiting.pop(box.key, None)
    provenance["awaiting_confirmation"] = awaiting or None
    scanned = dict(provenance.get("scanned") or {})
    if box.key in scanned:
        scanned[box.key] = {**scanned[box.key], "confirmed": True}
        provenance["scanned"] = scanned
    fields = dict(provenance.get("fields") or {})
    for field, value in written.items():
        if value is None:
            fields.pop(field, None)
        else:
            fields[field] = "typed by a person from the paper form (the scan's reading was not taken)"
    provenance["fields"] = fields
