"""Money: exact dollars and cents as `Decimal`, never `float`.

Every amount in megaroth passes through `parse_money`, which accepts what people and
documents print ("$1,234.50", "1234.5", 1234, "-0") and rejects what is not an amount of
money on a Form 1099-R (negative values, fractions of a cent, NaN). Rounding happens in one
place only, `whole_dollars`, which rounds half up as the Form 1040 instructions ask
("Rounding Off to Whole Dollars": drop amounts under 50 cents and increase amounts from
50 to 99 cents to the next dollar) and is applied to line totals, never to each addend.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Iterable

from pydantic import BeforeValidator, PlainSerializer

CENT = Decimal("0.01")
PERCENT = Decimal("100")
"""Divide a percentage by this to get a fraction."""
ZERO = Decimal("0.00")
DOLLAR = Decimal("1")

_STRIP = re.compile(r"[\s$]")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?$")
"""Digits with an optional point; commas only as thousands separators ("1,234.50", never "1,2,3")."""

MAX_AMOUNT = Decimal("9999999999.99")
"""The largest amount a Form 1099-R can carry: the IRS's information-return amount fields hold
12 digits, dollars and cents (Pub 1220, Part C, "Payment Amount Fields"). Bounding amounts here
keeps every sum of a batch exact within Decimal's 28 digits."""


class MoneyError(ValueError):
    """An amount that cannot be read as non-negative dollars and cents."""


def parse_money(value: object) -> Decimal | None:
    """Read an amount as printed; blank stays blank (None), never 0.

    Args:
        value: a string such as "$1,234.50", an int, a Decimal, or None.

    Returns:
        The amount quantized to cents, or None when the value is blank.

    Raises:
        MoneyError: for text that is not a number, a negative amount, or more than
            two decimal places that are not zeros.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise MoneyError("expected an amount, got a true/false value")
    if isinstance(value, float):
        # Only reachable through the Python API: JSON is parsed with Decimal. repr() is the
        # shortest string that round-trips, so 0.1 becomes "0.1", not 0.1000000000000000055.
        value = repr(value)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = _STRIP.sub("", value)
        if text in ("", "-", "—", "–"):
            return None
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1]
        elif text[:1] in ("-", "+"):
            negative, text = text[0] == "-", text[1:]
        if not _NUMBER.match(text) or not any(c.isdigit() for c in text):
            raise MoneyError(f"{_shown(value)} is not an amount (digits, a point and thousands commas only)")
        amount = Decimal(text.replace(",", ""))
        if negative and amount != 0:
            raise MoneyError(f"{_shown(value)} is negative; 1099-R amounts are never negative")
    else:
        raise MoneyError(f"expected an amount, got {type(value).__name__}")
    if not amount.is_finite():
        raise MoneyError(f"{_shown(value)} is not a finite amount")
    if amount < 0 and amount != 0:
        raise MoneyError(f"{_shown(value)} is negative; 1099-R amounts are never negative")
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{_shown(value)} is more than any Form 1099-R amount can be ({MAX_AMOUNT:,})")
    quantized = amount.quantize(CENT)
    if quantized != amount:
        raise MoneyError(f"{_shown(value)} has fractions of a cent")
    # Decimal("-0").quantize(...) is -0.00: normalize the sign of zero.
    return quantized if quantized != 0 else ZERO


def _shown(value: object) -> str:
    """The value for an error message, cut short: a message must stay readable whatever was typed."""
    if isinstance(value, int) and value.bit_length() > 128:
        return "a number of more than 38 digits"
    text = repr(value) if not isinstance(value, Decimal) else repr(str(value))
    return text if len(text) <= 40 else text[:37] + "…"


def _validate(value: object) -> Decimal | None:
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


def format_money(amount: Decimal) -> str:
    """Dollars and cents with a point, no separators: the JSON form ("1234.50")."""
    return f"{amount:.2f}"


Money = Annotated[
    Decimal,
    BeforeValidator(_validate),
    PlainSerializer(format_money, return_type=str, when_used="json"),
]
"""A non-negative amount in dollars and cents; serialized to JSON as a string."""

OptionalMoney = Annotated[
    Decimal | None,
    BeforeValidator(_validate),
    PlainSerializer(lambda v: None if v is None else format_money(v), when_used="json"),
]
"""A box that may be blank. Blank (None) is not zero."""


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum in cents; blanks count as nothing."""
    result = ZERO
    for amount in amounts:
        if amount is not None:
            result += amount
    return result


def whole_dollars(amount: Decimal) -> Decimal:
    """Round a line total to whole dollars, half up (i1040 "Rounding Off to Whole Dollars")."""
    return amount.quantize(DOLLAR, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal | None, *, blank: str = "") -> str:
    """Human form for worksheets: "$10,200.00"; blank boxes print as `blank`."""
    if amount is None:
        return blank
    return f"${amount:,.2f}"


def percent_text(rate: Decimal) -> str:
    """A rate as printed: 0.06 → "6%", 0.125 → "12.5%"."""
    return f"{rate * PERCENT:f}".rstrip("0").rstrip(".") + "%"
