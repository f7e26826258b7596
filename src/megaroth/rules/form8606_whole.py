"""Form 8606 in whole dollars, as it is filed: each line the form computes from other lines is
computed again from those lines rounded, so that the filed form adds up.

i8606 (General Instructions, "Rounding off to whole dollars") lets the form be filled in whole
dollars, every amount rounded (half up: under 50 cents dropped, 50 to 99 cents up). The cents-exact
lines rounded one by one need not add up: line 16 7,005.60 (7,006) − line 17 490.30 (490) is line
18 6,515.30, which rounds to 6,515, while the form's own line 18 ("Subtract line 17 from line 16")
on the rounded lines is 6,516. A form the IRS reads must follow its own arithmetic, so the lines
the form figures from other lines take that arithmetic on the rounded lines; the rest (amounts
entered from outside the form, and the products of line 10's ratio, lines 11 and 12, or Pub 590-B
Worksheet 1-1's result on line 13) are their cents rounded. The instructions' rule for adding
amounts ("include cents when adding the amounts and round off only the total") is about amounts
gathered from outside the form into one line, which is how megaroth rounds the lines entered.
The cents stay exact everywhere else (the worksheet's cents column, the ledger, Form 1040's line).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from megaroth.model.results import Form8606Line
from megaroth.money import ZERO, whole_dollars
from megaroth.rules.registry import define

WHOLE_DOLLARS = define(
    "form_8606.whole_dollars",
    "Form 8606 in whole dollars: every amount rounded half up; a line the form figures from other lines "
    "(3, 5, 9, 13, 14, 15a, 15c, 16, 17, 18, 21, 23, 25a, 25c) is figured from those lines rounded, so the "
    "filed form adds up.",
    ["i8606.rounding", "f8606.lines-11-13", "f8606.line-14"],
)

# Each line the form computes from other lines of the same form: (sign, line) terms. A line whose
# terms are all blank was entered, not computed (line 13 from Worksheet 1-1, line 16 with Part I
# not completed, line 17 when Worksheet 1-1 gave it): it keeps its own cents, rounded. A blank term
# counts as 0 (line 14 = line 3 when lines 4-13 are not completed). No line of Form 8606 is
# negative: megaroth stops line 14, 21, 23 and 25a at 0, as the cents-exact lines are.
FORM_ARITHMETIC: dict[str, tuple[tuple[int, str], ...]] = {
    "3": ((1, "1"), (1, "2")),
    "5": ((1, "3"), (-1, "4")),
    "9": ((1, "6"), (1, "7"), (1, "8")),
    "13": ((1, "11"), (1, "12")),
    "14": ((1, "3"), (-1, "13")),
    "15a": ((1, "7"), (-1, "12")),
    "15c": ((1, "15a"), (-1, "15b")),
    "16": ((1, "8"),),
    "17": ((1, "11"),),
    "18": ((1, "16"), (-1, "17")),
    "21": ((1, "19"), (-1, "20")),
    "23": ((1, "21"), (-1, "22")),
    "25a": ((1, "23"), (-1, "24")),
    "25c": ((1, "25a"), (-1, "25b")),
}


def whole_dollar_lines(lines: Iterable[Form8606Line]) -> list[Form8606Line]:
    """The lines with `whole_dollars` as the filed form has them (the lines in the form's order)."""
    filed: dict[str, Decimal] = {}
    out = []
    for line in lines:
        if line.amount is None:
            out.append(line)
            continue
        terms = FORM_ARITHMETIC.get(line.line, ())
        if any(number in filed for _, number in terms):
            value = max(ZERO, sum((sign * filed.get(number, ZERO) for sign, number in terms), ZERO))
        else:
            value = whole_dollars(line.amount)
        filed[line.line] = value
        text = f"{value:.0f}"
        out.append(line if line.whole_dollars == text else line.model_copy(update={"whole_dollars": text}))
    return out
