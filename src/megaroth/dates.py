"""Date arithmetic the rules need: ages and day counts, without floats."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
"""The dates megaroth accepts, as its tax years (1900-2100): a date outside them is a typing
mistake, and date arithmetic on it (age 59½, 60-day windows, 5-year clocks) would overflow."""


def _in_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{value.isoformat()} is not a plausible date (between {EARLIEST.year} and {LATEST.year})")
    return value


FormDate = Annotated[date, AfterValidator(_in_range)]
"""A date in a case file or on a form, within the years megaroth computes."""


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (Feb 29 → Feb 28)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def date_reaching_age(birth_date: date, age: Decimal) -> date:
    """The day a person born on `birth_date` reaches `age` (59.5 → 59 years and 6 months)."""
    months = int(age * 12)
    return add_months(birth_date, months)
