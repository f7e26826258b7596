"""Did each rollover land? Every amount a 1099-R says went into an IRA or a Roth IRA, matched
to the Form 5498 of the receiving account.

The IRS learns where a distribution went from the receiving custodian's Form 5498: box 2 for
rollovers (plan money rolled to a Roth IRA included), box 3 for conversions from traditional
IRAs, box 13a for late rollovers (i1099r, Form 5498 boxes 2, 3 and 13a). Its Automated
Underreporter program compares the 1099-R with the return; a rollover no 5498 supports can be
treated as underreported income (a CP2000 notice; IRM 4.19.3). The 5498 reports what the IRA
received during its year, so a distribution paid in December and deposited in January is on
the next year's 5498. Money going to employer plans has no 5498 and is not matched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.form1099r import Destination, Disposition, Form1099R
from megaroth.model.form5498 import Form5498, same_account
from megaroth.model.owners import owner_of
from megaroth.model.results import Deposit, Finding, FormResult, RolloverMatch, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.provenance import Source
from megaroth.rules.corrective import is_corrective

MATCH_CITES = ["i1099r.f5498-box-2", "i1099r.f5498-box-3", "i1099r.f5498-box-13a", "irm-4.19.3.rollovers"]
PROOF = ("Keep the receiving custodian's deposit confirmation (date and amount) with the plan's distribution "
         "statement; they answer a notice (CP2000) that proposes tax on the distribution.")

NOT_SHOWN = check(
    "f5498.rollover_not_shown", Severity.warning,
    "A rollover or conversion the 1099-Rs imply that the receiving IRA's Form 5498 does not show.",
    MATCH_CITES + ["irs.rollover-proof"],
)
DIFFERS = check(
    "f5498.rollover_differs", Severity.warning,
    "The receiving IRA's Form 5498 shows a different amount from the rollovers the 1099-Rs imply.",
    MATCH_CITES + ["irs.rollover-proof"],
)
BOX_DIFFERS = check(
    "f5498.box_differs", Severity.warning,
    "The Form 5498 shows the right total in another box (a rollover as a conversion, or the reverse).",
    ["i1099r.f5498-box-2", "i1099r.f5498-box-3"],
)
WITHOUT_1099R = check(
    "f5498.rollover_without_1099r", Severity.warning,
    "A Form 5498 shows a rollover or conversion that no 1099-R of the case explains.",
    ["i1099r.f5498-box-2", "i1099r.f5498-box-3", "i1040.rollovers", "i1040.ira.exception-1"],
)
NOT_GIVEN = check(
    "f5498.not_given", Severity.info,
    "No Form 5498 was given for an IRA that received a rollover or conversion: it could not be matched.",
    MATCH_CITES,
)
NEXT_YEAR = check(
    "f5498.next_year", Severity.info,
    "A deposit made after December 31 is on the next year's Form 5498.",
    ["i1099r.f5498-box-2", "i1040.ira.exception-1.statement"],
)
IN_KIND = check(
    "f5498.in_kind_value", Severity.info,
    "A rollover of property in kind: the Form 5498 shows its value when received, the 1099-R its value when "
    "distributed.",
    ["i1099r.f5498-box-2-fmv", "irc-408.d3a-same-property", "irc-402.c6-sale-of-property"],
)
INELIGIBLE = check(
    "f5498.ineligible_deposit", Severity.warning,
    "The Form 5498 shows the rollover or conversion as the 1099-Rs imply, but part of it was not eligible: it is "
    "a contribution to the IRA, reported in the wrong box.",
    ["i1099r.rmd-rolled-corrections", "i1099r.f5498-box-2", "i1099r.f5498-box-3", "p590a.excess-contributions"],
)
OWNER_UNKNOWN = check(
    "f5498.owner_unknown", Severity.warning,
    "Whose IRA a Form 5498 reports could not be told: it is not matched.",
    ["i8606.joint-returns"],
)

KIND_TITLES = {"traditional_ira": "traditional IRA", "roth_ira": "Roth IRA"}
BOX_TITLES = {"2": "box 2 (rollover contributions)", "3": "box 3 (Roth IRA conversion amount)",
              "13a": "box 13a (late rollover contribution)"}
# Differences under a dollar are a custodian printing whole dollars, not a missing deposit.
TOLERANCE = Decimal("1.00")


def _dispositions(form: Form1099R, result: FormResult) -> list[Disposition]:
    """Where the form's money went: the case's disposition, else the destinations the rules assumed."""
    if form.disposition:
        return list(form.disposition)
    return [Disposition(to=p.destination, amount=p.amount, within_60_days=p.within_60_days) for p in result.parts]


def expected_deposits(form: Form1099R, result: FormResult, tax_year: int) -> list[tuple[str, int, str | None, Deposit]]:
    """(kind, year, account, deposit) for each amount of the form that went into an IRA."""
    out = []
    for item in _dispositions(form, result):
        if item.to not in (Destination.traditional_ira, Destination.roth_ira):
            continue
        kind = "roth_ira" if item.to is Destination.roth_ira else "traditional_ira"
        if kind == "roth_ira" and result.account == "ira":
            how, box = "conversion", "3"
        elif item.late_rollover_waiver:
            how, box = "late_rollover", "13a"
        else:
            how, box = ("60_day_rollover" if item.within_60_days else "direct_rollover"), "2"
        year = item.date.year if item.date else tax_year
        # Property rolled over in kind (or plan property's sale proceeds, IRC 402(c)(6)): the 5498 shows what
        # the IRA received, which is the value given when there is one.
        in_kind = item.rolled_as in ("same_property", "sale_proceeds")
        received = item.value_received if in_kind and item.value_received is not None else None
        out.append((kind, year, item.account, Deposit(
            form_id=form.id, amount=item.amount if received is None else received, how=how, box=box,
            date=item.date.isoformat() if item.date else None, year_assumed=item.date is None, in_kind=in_kind,
            value_when_distributed=item.amount if received is not None else None)))
    return out


def _shown(forms: list[Form5498]) -> dict[str, Decimal]:
    return {"2": total(f.box_2 or ZERO for f in forms), "3": total(f.box_3 or ZERO for f in forms),
            "13a": total(f.late_rollover or ZERO for f in forms)}


@dataclass
class _Group:
    owner: str
    kind: str
    year: int
    account: str | None
    deposits: list[Deposit] = field(default_factory=list)
    forms: list[Form5498] = field(default_factory=list)


def match_rollovers(case: Case, results: list[FormResult], findings: list[Finding],
                    sources: dict[str, Source]) -> list[RolloverMatch]:
    """Match every IRA deposit of the case's 1099-Rs to the Forms 5498 given, and report each."""
    tax_year = case.tax_year
    by_id = {r.form_id: r for r in results}
    pending: dict[tuple[str, str, int], list[tuple[str | None, Deposit]]] = defaultdict(list)
    for form in case.forms_1099r:
        result = by_id.get(form.id)
        if result is None or form.void or (result.status != "computed" and not form.disposition):
            continue
        if is_corrective(form.codes):
            continue  # not a rollover, whatever the case says (reported by the corrective rules)
        if result.status != "computed" and owner_of(form, case)[0] is None:
            continue
        for kind, year, account, deposit in expected_deposits(form, result, tax_year):
            pending[(result.owner, kind, year)].append((account, deposit))

    forms_by_key: dict[tuple[str, str, int], list[Form5498]] = defaultdict(list)
    for f5498 in case.forms_5498:
        if f5498.void:
            continue
        role, how = owner_of(f5498, case)
        year = f5498.tax_year or tax_year
        if role is None:
            findings.append(OWNER_UNKNOWN.finding(f"Form 5498 {f5498.id!r}: {how}.", form_id=f5498.id, box="owner",
                                                  source=sources.get(f5498.id)))
            continue
        if year in (tax_year, tax_year + 1):
            forms_by_key[(role, f5498.kind, year)].append(f5498)

    groups: list[_Group] = []
    for key in sorted(set(pending) | set(forms_by_key)):
        owner, kind, year = key
        deposits, forms = pending.get(key, []), forms_by_key.get(key, [])
        groups.extend(_group(owner, kind, year, deposits, forms))

    ineligible: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for result in results:
        for item in result.excess_deposits:
            ineligible[(result.form_id, item.kind)] += item.amount
    matches = []
    unmatched = []
    for group in groups:
        match = _judge(group, tax_year, ineligible)
        if match is None:
            continue
        matches.append(match)
        if match.status == "not_given" and not case.forms_5498:
            unmatched.append((match, group))
        else:
            _report(match, group, findings, sources, case)
    if unmatched:
        # No Form 5498 at all (the usual case at filing time: they come by May 31): one note.
        listed = "; ".join(f"{_prefix(group, case)}: {_boxes_text(match.expected)} (Form(s) 1099-R "
                           f"{_forms_text(group)})" for match, group in unmatched)
        findings.append(NOT_GIVEN.finding(
            f"No Form 5498 was given. The receiving IRAs report these deposits on their {tax_year} Forms 5498 "
            f"(by May 31, {tax_year + 1}); when they arrive, check them: {listed}. {PROOF}",
            form_id=unmatched[0][1].deposits[0].form_id))
    return matches


def _group(owner: str, kind: str, year: int, deposits: list[tuple[str | None, Deposit]],
           forms: list[Form5498]) -> list[_Group]:
    """Deposits to the Form 5498 of their account: by account number where both give one; else the only
    form of that kind and year; else all of them together."""
    groups = {id(f): _Group(owner, kind, year, f.account_number, forms=[f]) for f in forms}
    left: list[Deposit] = []
    for account, deposit in deposits:
        target = next((f for f in forms if same_account(account, f.account_number)),
                      None)
        if target is not None:
            groups[id(target)].deposits.append(deposit)
        else:
            left.append(deposit)
    if left:
        untouched = [f for f in forms if not groups[id(f)].deposits]
        if len(untouched) == 1:
            groups[id(untouched[0])].deposits.extend(left)
        elif untouched:
            pooled = _Group(owner, kind, year, None, deposits=left, forms=untouched)
            for f in untouched:
                del groups[id(f)]
            groups[id(pooled)] = pooled
        else:
            groups[0] = _Group(owner, kind, year, None, deposits=left)
    return list(groups.values())


def _judge(group: _Group, tax_year: int, ineligible: dict[tuple[str, str], Decimal]) -> RolloverMatch | None:
    match = _judge_boxes(group, tax_year)
    if match is None:
        return None
    bad = total(ineligible.get((form_id, group.kind), ZERO) for form_id in sorted({d.form_id for d in group.deposits}))
    if not bad:
        return match
    box = INELIGIBLE_BOX[group.kind]
    note = (f" The deposits include {money_text(bad)} that was not eligible for rollover or conversion (a required "
            "minimum distribution, or a second IRA-to-IRA rollover within 12 months): in this IRA it is a regular "
            f"contribution, an excess beyond the year's limit, and belongs in {box}, not in "
            f"{'box 3' if any(d.box == '3' for d in group.deposits) else 'box 2'}; ask the custodian to correct the "
            "Form 5498, and see the finding on the 1099-R for how to remove it.")
    return match.model_copy(update={"ineligible": bad, "explanation": match.explanation + note,
                                    "status": "ineligible" if match.status == "matched" else match.status,
                                    "cites": list(match.cites) + INELIGIBLE_CITES})


INELIGIBLE_BOX = {"traditional_ira": "box 1 (IRA contributions)", "roth_ira": "box 10 (Roth IRA contributions)"}
INELIGIBLE_CITES = ["i1099r.rmd-rolled-corrections", "p590a.excess-contributions", "reg-1.408A-4.q6-rmd-conversion"]


def _judge_boxes(group: _Group, tax_year: int) -> RolloverMatch | None:
    expected = {box: total(d.amount for d in group.deposits if d.box == box) for box in ("2", "3", "13a")}
    expected = {box: amount for box, amount in expected.items() if amount}
    who = KIND_TITLES[group.kind]
    base = dict(owner=group.owner, kind=group.kind, year=group.year, account=group.account,
                deposits=group.deposits, forms_5498=[f.id for f in group.forms], expected=expected,
                cites=MATCH_CITES)
    if not group.forms:
        if group.year > tax_year:
            return RolloverMatch(**base, status="next_year", explanation=(
                f"Deposited in {group.year}: the {who}'s {group.year} Form 5498 reports it (issued by May 31, "
                f"{group.year + 1}). {PROOF}"))
        return RolloverMatch(**base, status="not_given", explanation=(
            f"No {group.year} Form 5498 of the {who} was given. When it arrives (by May 31, {group.year + 1}), check "
            f"that it shows {_boxes_text(expected)}."))
    shown_all = _shown(group.forms)
    shown = {box: amount for box, amount in shown_all.items() if amount}
    base["shown"] = shown
    want, got = total(expected.values()), total(shown.values())
    if not group.deposits:
        if group.year > tax_year or not got:
            return None  # a next year's form, or one showing contributions and values only
        return RolloverMatch(**base, status="no_1099r", difference=got, explanation=(
            f"The {who}'s Form 5498 shows {_boxes_text(shown)} that no 1099-R of this case explains."))
    difference = got - want
    boxes_agree = all(abs(shown_all[b] - expected.get(b, ZERO)) < TOLERANCE for b in ("2", "3", "13a"))
    if abs(difference) < TOLERANCE and boxes_agree:
        return RolloverMatch(**base, status="matched", difference=difference, explanation=(
            f"The {who}'s Form 5498 shows {_boxes_text(shown)}, as the 1099-Rs imply."))
    if abs(difference) < TOLERANCE:
        return RolloverMatch(**base, status="box_differs", difference=difference, explanation=(
            f"The total agrees, but the {who}'s Form 5498 shows {_boxes_text(shown)} where the 1099-Rs imply "
            f"{_boxes_text(expected)}."))
    unvalued = [d for d in group.deposits if d.in_kind and d.value_when_distributed is None]
    if unvalued and got and abs(difference) >= TOLERANCE:
        return RolloverMatch(**base, status="in_kind", difference=difference, explanation=(
            f"Form(s) 1099-R {', '.join(sorted({repr(d.form_id) for d in unvalued}))} rolled property over in kind: "
            f"box 1 shows its value when distributed, the {who}'s Form 5498 its value when received, "
            f"{_boxes_text(shown)} against {_boxes_text(expected)} ({'more' if difference > 0 else 'less'} by "
            f"{money_text(abs(difference))}). A change in the property's value in between is not a missing deposit "
            "and is not taxed; give the disposition's value_received to match it to the cent."))
    status = "missing" if not got else "different"
    return RolloverMatch(**base, status=status, difference=difference, explanation=(
        f"The 1099-Rs imply {_boxes_text(expected)}; the {who}'s Form 5498 shows "
        f"{_boxes_text(shown) if shown else 'none'} ({'more' if difference > 0 else 'less'} by "
        f"{money_text(abs(difference))})."))


def _boxes_text(amounts: dict[str, Decimal]) -> str:
    parts = [f"{money_text(amount)} in {BOX_TITLES[box]}" for box, amount in amounts.items() if amount]
    return " and ".join(parts) if parts else "nothing"


def _forms_text(group: _Group) -> str:
    return ", ".join(sorted({repr(d.form_id) for d in group.deposits})) or "none"


def _prefix(group: _Group, case: Case) -> str:
    owner = case.person(group.owner)
    name = owner.name if owner and owner.name else f"the {group.owner}"
    return f"{name}'s {KIND_TITLES[group.kind]}" + (f" (account {group.account})" if group.account else "")


def _report(match: RolloverMatch, group: _Group, findings: list[Finding], sources: dict[str, Source],
            case: Case) -> None:
    form_id = group.forms[0].id if group.forms else (group.deposits[0].form_id if group.deposits else None)
    source = sources.get(form_id) if form_id else None
    prefix = _prefix(group, case)
    undated = [d for d in group.deposits if d.year_assumed and d.how != "conversion"]
    if match.status == "ineligible":
        findings.append(INELIGIBLE.finding(f"{prefix}: {match.explanation}", form_id=form_id, source=source))
    elif match.status == "next_year":
        findings.append(NEXT_YEAR.finding(
            f"{prefix}: {_boxes_text(match.expected)} from Form(s) 1099-R {_forms_text(group)}. {match.explanation}",
            form_id=form_id, source=source))
    elif match.status == "not_given":
        findings.append(NOT_GIVEN.finding(
            f"{prefix}: {_boxes_text(match.expected)} from Form(s) 1099-R {_forms_text(group)}. {match.explanation} "
            f"{PROOF}", form_id=form_id, source=source))
    elif match.status == "no_1099r":
        findings.append(WITHOUT_1099R.finding(
            f"{prefix}: {match.explanation} Either a distribution's 1099-R is missing from the case (box 1 of every "
            "1099-R goes on the return, rolled over or not), or the money came from a distribution of "
            f"{case.tax_year - 1} deposited in {case.tax_year} (its 1099-R is last year's), or the custodian reported "
            "a trustee-to-trustee transfer, which is not a rollover, and should correct the form.",
            form_id=form_id, source=source))
    elif match.status == "box_differs":
        findings.append(BOX_DIFFERS.finding(
            f"{prefix}: {match.explanation} A conversion from a traditional IRA belongs in box 3, a rollover from a plan "
            "in box 2; ask the custodian to correct the Form 5498 so that the IRS's records agree with Form 8606.",
            form_id=form_id, source=source))
    elif match.status == "in_kind":
        findings.append(IN_KIND.finding(f"{prefix}: {match.explanation}", form_id=form_id, source=source))
    elif match.status in ("missing", "different"):
        difference = match.difference or ZERO
        if group.year > case.tax_year and difference > 0:
            findings.append(DIFFERS.finding(
                f"{prefix}: {match.explanation} The {group.year} form also holds {group.year}'s own rollovers, which may "
                "explain the difference.", form_id=form_id, source=source, severity=Severity.info))
            return
        hints = []
        if difference < 0:
            if undated:
                hints.append(f"if part was deposited after December 31, it is on the {case.tax_year + 1} Form 5498: give "
                             "the disposition's date")
            hints.append("otherwise ask the custodian to correct the Form 5498 (and keep proof of the deposit)")
        else:
            hints.append("a rollover whose 1099-R is not in the case, a distribution of last year deposited this year, "
                         "or a transfer the custodian should not have reported may explain the excess")
        definition = NOT_SHOWN if match.status == "missing" else DIFFERS
        findings.append(definition.finding(
            f"{prefix}: {match.explanation} Without a Form 5498 showing the rollover, the IRS's matching may treat the "
            f"distribution as taxable; {'; '.join(hints)}. {PROOF}", form_id=form_id, source=source))
