"""Box 7 distribution codes as printed, normalized to the codes themselves.

Payers print codes many ways: "G", "4G", "07" (zero-padded), "B G", "7, B". The box holds
at most two codes (i1099r, Box 7: "Enter a maximum of two alphanumeric codes"). Whether a
code exists in a given tax year, and which pairs are allowed, is judged by the checks
against that year's table; here we only reject characters that were never a code.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

# Every code that exists in some year's Table 1 (no I, O, V, X or Z).
ALL_CODES = frozenset("123456789ABCDEFGHJKLMNPQRSTUWY")
_SEPARATORS = re.compile(r"[\s,;/+&\-]+")
_TOKEN = re.compile(r"0*([1-9])|([A-Z])")


def normalize_codes(value: object) -> str:
    """Return the codes as one string in printed order ("4G"), or raise ValueError."""
    if not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        else:
            raise ValueError("expected the distribution code(s) as text, e.g. \"G\" or \"4G\"")
    text = _SEPARATORS.sub("", value.strip().upper())
    if not text:
        raise ValueError("box 7 is blank: every Form 1099-R carries a distribution code")
    codes: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            bad = text[position]
            if bad == "0":
                raise ValueError(f"{value!r}: 0 is not a distribution code")
            raise ValueError(f"{value!r}: {bad!r} is not a distribution code")
        codes.append(match.group(1) or match.group(2))
        position = match.end()
    for code in codes:
        if code not in ALL_CODES:
            raise ValueError(f"{value!r}: {code!r} is not a distribution code")
    if len(codes) > 2:
        raise ValueError(f"{value!r}: box 7 holds at most two codes")
    if len(codes) == 2 and codes[0] == codes[1]:
        raise ValueError(f"{value!r}: the same code twice")
    return "".join(codes)


DistributionCodes = Annotated[str, BeforeValidator(normalize_codes)]
"""Box 7 code(s), normalized: "07" → "7", "B G" → "BG"."""


def split_codes(codes: str) -> tuple[str, ...]:
    """The individual codes of a normalized box 7 string."""
    return tuple(codes)
