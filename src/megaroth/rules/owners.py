"""Whose form is it: on a joint return each Form 1099-R belongs to one spouse, whose age, basis,
Form 8606 and 5-year clocks apply to it. The form's `owner` says so; otherwise the recipient's
complete TIN, then the recipient's name, must match exactly one person. Nothing is guessed: a
form that matches nobody (or both) is left out of the lines, with a finding asking for its owner.
"""

from __future__ import annotations

from megaroth.checks.registry import check
from megaroth.model.results import Severity
from megaroth.model.owners import owner_of
from megaroth.rules.registry import define

OWNER_RULE = define(
    "return.owner",
    "Each Form 1099-R is its recipient's: on a joint return both spouses' forms are on the return, but each "
    "spouse has their own basis, Form 8606, Form 5329 and 5-year clocks.",
    ["i8606.joint-returns", "i5329.joint-returns"],
)
OWNER_MISSING = check(
    "form.owner_missing", Severity.error,
    "On a joint return, a form whose owner is not given and does not follow from the recipient's TIN or name.",
    ["i8606.joint-returns"],
)
SPOUSE_FORM_NOT_ON_RETURN = check(
    "form.spouse_not_on_return", Severity.error,
    "A spouse's form on a return that is not a joint return: the spouse's income is on the spouse's own return.",
    ["i8606.joint-returns"],
)

__all__ = ["OWNER_MISSING", "OWNER_RULE", "SPOUSE_FORM_NOT_ON_RETURN", "owner_of"]
