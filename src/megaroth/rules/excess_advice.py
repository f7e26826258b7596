"""What to tell someone whose IRA received an amount that was not eligible for rollover or
conversion: what it is in the receiving IRA, which Form 5498 box it belongs in, and how and by
when to undo it.

An amount deposited as a rollover or conversion that could not be one (a required minimum
distribution, IRC 402(c)(4)(B) and 408(d)(3)(E); a second IRA-to-IRA rollover within 12 months,
IRC 408(d)(3)(B)) is a regular contribution to the receiving IRA (Treas. Reg. 1.408A-4 Q&A-6 for a
Roth IRA), an excess contribution beyond the year's limit (IRC 4973(b), (f)). Withdrawn with its
net income attributable (Treas. Reg. 1.408-11) by the due date of the return including extensions,
it is treated as never contributed: no 6%, only the earnings are income (IRC 408(d)(4)). Otherwise
the 6% excise tax (IRC 4973) is due for each year it stays, on Form 5329 Part III or IV.
"""

from __future__ import annotations

from decimal import Decimal

from megaroth.money import money_text, percent_text
from megaroth.params import YearParameters

PART = {"traditional_ira": "Part III", "roth_ira": "Part IV"}
CONTRIBUTION_BOX = {"traditional_ira": "1", "roth_ira": "10"}
CONTRIBUTION_BOX_TITLE = {"traditional_ira": "box 1 (IRA contributions)",
                          "roth_ira": "box 10 (Roth IRA contributions)"}


def excess_part_title(kind: str) -> str:
    return PART[kind]


def due_date_text(params: YearParameters) -> str:
    """The due date of the year's return with extensions, as a date people read ("October 15, 2026")."""
    day = params.dates.extended_due_date.required()
    return f"{day:%B} {day.day}, {day.year}"


def removal_advice(params: YearParameters, kind: str, amount: Decimal) -> str:
    """How to undo an excess of `amount` in an IRA of `kind`, and the date to do it by."""
    rate = params.statutory.excess_contribution_tax_rate.required()
    return (f"Fix it: ask the IRA to return the {money_text(amount)} with its net income attributable as an excess "
            f"contribution (Treas. Reg. 1.408-11) by {due_date_text(params)}, the due date of the "
            f"{params.tax_year} return including extensions: then no excise tax is due and only the earnings are "
            f"income (IRC 408(d)(4)). Otherwise {percent_text(rate)} of the excess (up to the IRA's value at year "
            f"end) is due for {params.tax_year} and for each later year it stays (IRC 4973), on Form 5329 "
            f"{PART[kind]}.")


def ineligible_box_text(kind: str, conversion: bool) -> str:
    """Where the receiving IRA's Form 5498 should show the amount instead of where it likely shows it."""
    shown = "box 3 (Roth IRA conversion amount)" if conversion else "box 2 (rollover contributions)"
    return f"the amount in {CONTRIBUTION_BOX_TITLE[kind]}, not {shown}"
