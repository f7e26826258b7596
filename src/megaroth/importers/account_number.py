"""The account number as a form prints it: what the Form 5498 rollover match keys on, so a
wrong one is worse than none.

Readers take the text next to or under an "Account number" label; on statements that text can
run on into a neighbour (an address "APT 4, SPRINGFIELD,", the copy's caption "Copy B OMB No.
1545-0119"). Only the value itself is kept, or nothing.
"""

from __future__ import annotations

import re

ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/.#*]{0,29}$")
ACCOUNT_CAPTIONS = re.compile(r"\b(?:copy|omb|form|page|apt|suite|unit|street|recipient|payer|participant|trustee|"
                              r"instructions|account|see)\b", re.I)
"""Words of the captions and addresses printed next to an account number, never in one."""


def clean_account_number(text: str) -> str | None:
    """An account number as printed after or under its label, or None when what is there is not
    one (an address line, another caption): the number the rollover match keys on is never a
    neighbour's text. The value ends at a wide gap (a neighbouring caption's column)."""
    first = re.split(r"\s{3,}|\t", text.strip(), maxsplit=1)[0]
    caption = ACCOUNT_CAPTIONS.search(first)
    if caption:
        first = first[:caption.start()]  # the value ends where a neighbouring caption begins
    first = first.strip().rstrip(".,;:")
    if not first or "," in first:
        return None
    compact = first.replace(" ", "")
    if len(first.split()) > 3 or not ACCOUNT.match(compact) or not re.search(r"\d", compact):
        return None
    return first
