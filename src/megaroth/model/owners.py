"""Whose form is it: on a joint return each Form 1099-R belongs to one spouse. The form's `owner`
says so; otherwise the recipient's complete TIN, then the recipient's name, must match exactly
one person. Nothing is guessed: no match (or two) is no owner."""

from __future__ import annotations

import re

from megaroth.model.case import Case
from megaroth.model.form1099r import Form1099R
from megaroth.model.form5498 import Form5498
from megaroth.model.tax_return import Person, Role
from megaroth.model.w2 import FormW2
from megaroth.tin import Tin


def _name(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text or "").casefold().split())


def _holder(form: Form1099R | Form5498 | FormW2) -> tuple[Tin | None, str | None]:
    """Whom the form names: the 1099-R's recipient, the 5498's participant, the W-2's employee."""
    if isinstance(form, Form5498):
        return form.participant_tin, form.participant_name
    if isinstance(form, FormW2):
        return form.employee_tin, form.employee_name
    return form.recipient_tin, form.recipient_name


def _matches(form: Form1099R | Form5498 | FormW2, person: Person) -> bool:
    tin, name = _holder(form)
    if tin is not None and tin.is_complete and person.tin is not None and person.tin.is_complete:
        return tin.digits == person.tin.digits
    return bool(_name(name)) and _name(name) == _name(person.name)


NOT_ON_RETURN = "not on this return"


def owner_of(form: Form1099R | Form5498 | FormW2, case: Case) -> tuple[Role | None, str]:
    """The form's owner, and how it was known; (None, why) when it cannot be known. A spouse's form
    on a return that is not joint gives (None, why) with `why` starting with NOT_ON_RETURN."""
    if form.owner is not None:
        if form.owner == "spouse" and not case.joint:
            status = case.filing_status.value.replace("_", " ") if case.filing_status else "single"
            return None, (f"{NOT_ON_RETURN}: the form is the spouse's, but the return is not a joint return "
                          f"({status}); a spouse's form belongs on the return that carries the spouse's income")
        return form.owner, "owner given on the form"
    if not case.joint:
        if case.spouse is not None and _matches(form, case.spouse) and not _matches(form, case.taxpayer):
            status = case.filing_status.value.replace("_", " ") if case.filing_status else "single"
            return None, (f"{NOT_ON_RETURN}: the recipient is the spouse, but the return is not a joint return "
                          f"({status}); a spouse's form belongs on the spouse's own return")
        return "taxpayer", "the return has one person"
    people = [(role, person) for role, person in case.people]
    tin, holder = _holder(form)
    if tin is not None and tin.is_complete:
        matches = [role for role, person in people if person.tin is not None and person.tin.is_complete
                   and person.tin.digits == tin.digits]
        if len(matches) == 1:
            return matches[0], "the recipient's TIN"
    name = _name(holder)
    if name:
        matches = [role for role, person in people if _name(person.name) == name]
        if len(matches) == 1:
            return matches[0], "the recipient's name"
    return None, ("on a joint return megaroth must know whose form this is, and neither the recipient's TIN nor "
                  "name matches exactly one spouse; set \"owner\": \"taxpayer\" or \"spouse\" on the form")
