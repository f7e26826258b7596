"""Whose is each Form 8606 of a software's return: matched to the case's people by the SSN or the
name printed on it.

On a joint return each spouse who must file Form 8606 files their own (i8606 "More than one Form
8606 required"), so a return's PDF may hold two. Each is matched by the SSN in its header (all
nine digits, or the last four when the software masks the rest and they tell the spouses apart),
else by the name (every word of the person's name in the header). With one person on the return
its only Form 8606 is theirs; with two, a form that cannot be told is taken by elimination when the
other form is known to be the other spouse's, and otherwise is not compared, which the comparison
says plainly. Figures given by hand (`form_8606_line_N`, `spouse_form_8606_line_N`) say whose they
are and override the PDF's.
"""

from __future__ import annotations

import re

from megaroth.model.case import Case
from megaroth.model.software import ALL_8606_ITEMS, SPOUSE, Figure, Form8606Figures, SoftwareFigures
from megaroth.model.tax_return import Person


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _tin_digits(printed: str | None) -> str:
    return "".join(c for c in printed or "" if c.isdigit())


def _match(form: Form8606Figures, people: list[tuple[str, Person]]) -> tuple[str | None, str]:
    """(role or None, how it was told or why not)."""
    digits = _tin_digits(form.tin)
    masked = bool(re.search(r"[X*•x]", form.tin or ""))
    if digits and not masked:
        roles = [r for r, p in people if p.tin is not None and p.tin.is_complete and p.tin.digits == digits]
        if len(roles) == 1:
            return roles[0], "its SSN"
        return None, "the SSN printed on it is not the SSN of anyone in the case"
    if digits:
        roles = [r for r, p in people if p.tin is not None and p.tin.last4 == digits]
        if len(roles) == 1:
            return roles[0], "the last four digits of its SSN"
    words = set(_words(form.name or ""))
    roles = [r for r, p in people if p.name and set(_words(p.name)) <= words]
    if len(roles) == 1:
        return roles[0], "its name"
    if len(roles) > 1:
        return None, "both names are printed on it"
    return None, "it prints no name or SSN of the case's people" if (form.name or form.tin) else \
        "no name or SSN was found on it"


def _who(role: str, people: list[tuple[str, Person]]) -> str:
    person = dict(people)[role]
    return person.name or role


def assign(figures: SoftwareFigures, case: Case) -> tuple[dict[str, Figure], list[str]]:
    """Each person's Form 8606 figures by item (`form_8606_line_N` the taxpayer's,
    `spouse_form_8606_line_N` the spouse's), and notes on how the PDF's forms were matched."""
    people = case.people
    notes: list[str] = []
    found: dict[str, Form8606Figures] = {}
    forms = figures.forms_8606
    if len(people) == 1 and len(forms) == 1:
        found["taxpayer"] = forms[0]
    elif forms:
        matched = [(form, *_match(form, people)) for form in forms]
        for form, role, how in matched:
            if role is None:
                continue
            if role in found:
                notes.append(f"The Forms 8606 at {found[role].where} and {form.where} are both {_who(role, people)}'s "
                             f"(by {how}): neither is compared; give {_who(role, people)}'s lines with "
                             f"--line {SPOUSE if role == 'spouse' else ''}form_8606_line_N=AMOUNT.")
                found[role] = None  # type: ignore[assignment]
                continue
            found[role] = form
            if len(people) > 1:
                notes.append(f"The Form 8606 at {form.where} is {_who(role, people)}'s (told by {how}).")
        unknown = [(form, how) for form, role, how in matched if role is None]
        left = [r for r, _ in people if r not in found]
        known = [r for r, form in found.items() if form is not None]
        if len(unknown) == 1 and len(left) == 1 and len(known) == 1 and len(forms) == len(people):
            # Each spouse files their own: the one form not told is the other spouse's.
            form, how = unknown[0]
            found[left[0]] = form
            notes.append(f"The Form 8606 at {form.where} cannot be told by itself ({how}); the other is "
                         f"{_who(known[0], people)}'s, so it is taken as {_who(left[0], people)}'s.")
        else:
            for form, how in unknown:
                notes.append(f"megaroth cannot tell whose the Form 8606 at {form.where} is ({how}), so its lines are "
                             "not compared; the other figures are. Give its lines by hand, e.g. --line "
                             "form_8606_line_17=AMOUNT for the taxpayer's, --line spouse_form_8606_line_17=AMOUNT "
                             "for the spouse's.")
    assigned: dict[str, Figure] = {}
    for role, form in found.items():
        if form is None:
            continue
        for item, figure in form.figures.items():
            assigned[(SPOUSE if role == "spouse" else "") + item] = figure
    for item in ALL_8606_ITEMS:  # given by hand or in a figures file: whose is in the name
        if item in figures.figures:
            assigned[item] = figures.figures[item]
    return assigned, notes
