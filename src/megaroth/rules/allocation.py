"""Split a distribution into after-tax basis and pretax money, and each part by destination.

Two authorities decide which dollars are pretax when money goes to several places:
- Notice 2014-54: disbursements scheduled at the same time are one distribution, and its
  pretax amount goes first to the direct rollovers; among several direct rollovers the
  recipient chooses, and megaroth's default is the one the mega backdoor relies on: pretax
  money to the non-Roth destinations (traditional IRA, another plan) first.
- IRC 402(c)(2): of an amount paid to the recipient, the part rolled over within 60 days is
  treated as consisting first of the amount includible in income.
A user who told the plan otherwise gives `pretax_amount` on a disposition entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from megaroth.model.form1099r import (
    DESTINATION_IN_TEXT,
    NON_ROTH_DESTINATIONS,
    ROTH_DESTINATIONS,
    Destination,
)
from megaroth.model.results import Step
from megaroth.money import ZERO, money_text
from megaroth.rules.disposition import Entry
from megaroth.rules.registry import define

ALLOCATE_DIRECT = define(
    "allocation.direct_rollovers_first",
    "Pretax money of one distribution goes first to its direct rollovers, and among them (by the "
    "recipient's choice, megaroth's default) first to non-Roth destinations.",
    ["notice-2014-54.single-distribution", "notice-2014-54.pretax-first", "notice-2014-54.allocation-election"],
)
ALLOCATE_60_DAY = define(
    "allocation.60_day_pretax_first",
    "Of the amount paid to you, what you roll over within 60 days is pretax money first.",
    ["irc-402.c2-ordering", "notice-2014-54.allocation-election"],
)
ALLOCATE_EXPLICIT = define(
    "allocation.explicit",
    "The pretax part of a destination given in the case (the recipient's allocation told to the plan).",
    ["notice-2014-54.allocation-election"],
)


@dataclass(frozen=True)
class Allocated:
    entry: Entry
    pretax: Decimal
    basis: Decimal


# Order in which destinations take pretax money: direct rollovers first (Notice 2014-54), non-Roth
# before Roth (the recipient's choice, megaroth's default); then, of the money paid out, 60-day
# rollovers (IRC 402(c)(2)), non-Roth before Roth; what is kept comes last.
PRETAX_ORDER = (
    (False, "non_roth"),
    (False, "roth"),
    (True, "non_roth"),
    (True, "roth"),
    (False, "kept"),
)


def _rank(entry: Entry) -> int:
    if entry.to in NON_ROTH_DESTINATIONS:
        kind = "non_roth"
    elif entry.to in ROTH_DESTINATIONS:
        kind = "roth"
    else:
        return PRETAX_ORDER.index((False, "kept"))
    return PRETAX_ORDER.index((entry.within_60_days, kind))


class AllocationError(ValueError):
    """Explicit pretax amounts that cannot be honoured."""


def allocate(pretax_total: Decimal, entries: list[Entry], steps: list[Step]) -> list[Allocated]:
    """Assign the pretax money to the destinations; the rest of each is basis.

    Args:
        pretax_total: pretax money in the distribution (box 1 − basis).
        entries: the destinations, amounts summing to box 1.
        steps: receives one traced step per destination when there is more than one.

    Returns:
        One `Allocated` per entry, in the entries' order.

    Raises:
        AllocationError: when explicit pretax amounts exceed the pretax money.
    """
    explicit = sum((e.pretax_amount for e in entries if e.pretax_amount is not None), ZERO)
    if explicit > pretax_total:
        raise AllocationError(
            f"the pretax_amount values add up to {money_text(explicit)}, more than the "
            f"{money_text(pretax_total)} of pretax money in the distribution"
        )
    remaining = pretax_total - explicit
    pretax_of: dict[int, Decimal] = {}
    for index, entry in enumerate(entries):
        if entry.pretax_amount is not None:
            pretax_of[index] = entry.pretax_amount
    for index in sorted(range(len(entries)), key=lambda i: (_rank(entries[i]), i)):
        if index in pretax_of:
            continue
        share = min(remaining, entries[index].amount)
        pretax_of[index] = share
        remaining -= share
    if remaining > ZERO:
        # Only possible when explicit amounts leave pretax money with nowhere to go.
        raise AllocationError(
            f"{money_text(remaining)} of pretax money is left over after the pretax_amount values; "
            "give pretax_amount on every destination or on none"
        )
    result = [
        Allocated(entry=entry, pretax=pretax_of[index], basis=entry.amount - pretax_of[index])
        for index, entry in enumerate(entries)
    ]
    if len(entries) > 1:
        for item in result:
            rule = (
                ALLOCATE_EXPLICIT if item.entry.pretax_amount is not None
                else ALLOCATE_60_DAY if item.entry.within_60_days or item.entry.to is Destination.kept
                else ALLOCATE_DIRECT
            )
            how = "60-day rollover" if item.entry.within_60_days else (
                "kept" if item.entry.to is Destination.kept else "direct rollover")
            steps.append(rule.step(
                "pretax_allocated",
                (f"{money_text(item.entry.amount)} kept (paid to you, not rolled over): "
                 if item.entry.to is Destination.kept else
                 f"{money_text(item.entry.amount)} to {DESTINATION_IN_TEXT[item.entry.to]} ({how}): ")
                + f"{money_text(item.pretax)} pretax, {money_text(item.basis)} after-tax basis.",
                result=item.pretax,
                inputs={"amount": item.entry.amount},
            ))
    return result
