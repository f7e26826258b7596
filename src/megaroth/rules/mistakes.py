"""Known mistakes of tax software with mega backdoor Roth 1099-Rs, as figures it would show.

Each mistake, applied to one form (or to every form it can apply to), changes megaroth's
lines in a known way: taxing all of box 1 adds the basis to the taxable line, reporting a
plan rollover as an IRA conversion moves it to the IRA lines, and so on. `compare` looks for
the mistakes that reproduce what the software shows. Every mistake is a rule with its
authority, and its text says in plain words what went wrong and what to change in the
software's interview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from megaroth.model.case import Case
from megaroth.model.form1099r import (
    DESTINATION_TITLES,
    NON_ROTH_DESTINATIONS,
    Destination,
    Form1099R,
)
from megaroth.model.results import Analysis, FormResult
from megaroth.model.software import ALL_8606_ITEMS, SoftwareFigures
from megaroth.money import CENT, ZERO, money_text, total, whole_dollars
from megaroth.params import YearParameters
from megaroth.rules.registry import Rule, define

TAXABLE_OF = {"pension_gross": "pension_taxable", "ira_gross": "ira_taxable"}
WRONG_FORM_FINDINGS = ("form.box_2a_unexpected", "form.roth_rollover_reported_untaxed",
                       "form.non_roth_rollover_reported_taxable", "form.split_rollover_taxable",
                       "form.code_h_taxable", "form.designated_roth_inconsistent")

TAXED_GROSS = define(
    "compare.taxed_gross",
    "Only the pretax part of a distribution rolled into a Roth account is taxable; the after-tax basis "
    "(box 5) and amounts rolled over to non-Roth accounts are not.",
    ["i1040.rollovers.roth", "i1040.pensions.partially-taxable", "irs-after-tax.earnings-pretax", "i1099r.box-5"],
)
BOX_2A = define(
    "compare.box_2a_as_printed",
    "Box 2a is the payer's figure; where the form is wrong, the taxable amount follows the rules, not box 2a.",
    ["i1099r.box-2a", "f1099r.box-2a.roth", "i1040.rollovers"],
)
ROLLED_PRETAX = define(
    "compare.rolled_pretax_taxed",
    "Pretax money rolled over to a traditional IRA or another plan is not taxable; in a split rollover the "
    "pretax money goes to the non-Roth destination first.",
    ["i1040.rollovers", "notice-2014-54.pretax-first", "notice-2014-54.single-distribution"],
)
PRO_RATA = define(
    "compare.pro_rata",
    "A distribution split between Roth and non-Roth destinations takes its pretax money to the non-Roth "
    "destination first (Notice 2014-54), not in proportion.",
    ["notice-2014-54.pretax-first", "notice-2014-54.allocation-election"],
)
TWICE = define(
    "compare.entered_twice",
    "Each Form 1099-R is entered once; a form whose money went to two places is split, not duplicated.",
    ["i1099r.box-1", "notice-2014-54.single-distribution"],
)
MISSING = define(
    "compare.form_missing",
    "Every Form 1099-R of the year goes on the return, rollovers included.",
    ["i1040.rollovers", "i1040.line-25b"],
)
UNTAXED_CONVERSION = define(
    "compare.conversion_untaxed",
    "A rollover into a Roth IRA or a designated Roth account is taxable on its pretax part in the year of "
    "the rollover.",
    ["i1040.rollovers.roth", "irc-408A.d3-rollover-income", "irc-402A.c4-irr"],
)
KEPT_UNTAXED = define(
    "compare.kept_untaxed",
    "Money kept, not rolled over within 60 days, is taxable on its pretax part.",
    ["irc-402.c3-60-days", "i1040.rollovers"],
)
PLAN_AS_IRA = define(
    "compare.plan_as_ira",
    "A distribution from a 401(k), 403(b) or governmental 457(b) plan goes on the pension lines, never on "
    "the IRA lines or Form 8606; the IRA/SEP/SIMPLE box of its 1099-R is unchecked.",
    ["i1099r.box-7.ira-checkbox", "i8606.part-ii-ira-only", "i1040.rollovers"],
)
BASIS_IGNORED = define(
    "compare.basis_ignored",
    "The after-tax contributions recovered (box 5) are not taxable wherever they go: to a Roth account or "
    "kept in cash.",
    ["i1040.pensions.partially-taxable", "i1099r.box-5", "notice-2014-54.pretax-first"],
)
ROTH_EARNINGS = define(
    "compare.designated_roth_earnings_taxed",
    "A designated Roth distribution rolled over to a Roth IRA or another designated Roth account is not "
    "taxable, earnings included.",
    ["i1099r.drac-to-roth-ira", "irc-402A.c3-drac-rollovers"],
)
WITHHOLDING = define(
    "compare.withholding_missing",
    "Box 4 of every Form 1099-R goes on the line for tax withheld on Forms 1099.",
    ["i1040.line-25b"],
)


# ------------------------------------------------------------------ the figures megaroth expects
@dataclass
class Expected:
    """megaroth's figure for a line, and the other entry that is also right."""

    amount: Decimal
    also: list[Decimal] = field(default_factory=list)
    """A fully taxable distribution may be entered on the gross line too (i1040: "enter it on line 5b;
    don't make an entry on line 5a", which software often does anyway)."""
    text: str = ""


@dataclass
class Hypothesis:
    rule: Rule
    forms: tuple[str, ...]
    deltas: dict[str, Decimal]
    title: str
    explanation: str
    fix: str
    free: frozenset[str] = frozenset()
    amount: Decimal | None = None
    cites: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.rule.id.removeprefix('compare.')}:{'+'.join(self.forms) or 'all'}"


@dataclass
class Context:
    analysis: Analysis
    case: Case
    params: YearParameters
    figures: SoftwareFigures
    tolerance: Decimal
    forms: dict[str, Form1099R]
    results: list[FormResult]
    cents: bool = False
    """Compare in dollars and cents; by default megaroth's lines are rounded to whole dollars, as
    software files them (i1040 "Rounding Off to Whole Dollars")."""
    guides: object = None
    """The entry guide of the product that made the figures (`EntryGuides`), when it says which."""

    def close(self, a: Decimal, b: Decimal) -> bool:
        return abs(a - b) <= self.tolerance

    def filed(self, amount: Decimal) -> Decimal:
        """An amount as compared: whole dollars, half up, unless cents were asked for."""
        return amount if self.cents else whole_dollars(amount)

    def text(self, amount: Decimal) -> str:
        """megaroth's figure as shown beside the software's: "7,000" (or "6,999.98" with cents)."""
        return f"{amount:,.2f}" if self.cents else f"{whole_dollars(amount):,.0f}"

    def money(self, amount: Decimal) -> str:
        """An amount in an explanation: "$7,000" (or "$6,999.98" with cents)."""
        return money_text(amount) if self.cents else f"${whole_dollars(amount):,.0f}"

    def line(self, role: str) -> str:
        return getattr(self.params.f1040.lines, role).line

    def name(self, form_id: str) -> str:
        result = next((r for r in self.results if r.form_id == form_id), None)
        payer = result.payer_name if result else None
        return f"form {form_id!r}" + (f" ({payer})" if payer else "")


def expected_lines(ctx: Context) -> dict[str, Expected]:
    expected = {}
    for entry in ctx.analysis.lines:
        group = [r for r in ctx.results if r.gross_line == entry.role]
        if entry.amount is None and group:  # fully taxable: line 5a left blank
            gross = ctx.filed(total(r.gross for r in group))
            expected[entry.role] = Expected(ZERO, [gross], f"blank (or {ctx.text(gross)})")
        else:
            amount = ctx.filed(entry.amount if entry.amount is not None else ZERO)
            expected[entry.role] = Expected(amount, [], ctx.text(amount))
    return expected


# ------------------------------------------------------------------ known mistakes, form by form
def _dest_list(parts, wanted) -> str:
    names = [DESTINATION_TITLES[p.destination] for p in parts if wanted(p.destination)]
    return " and ".join(dict.fromkeys(names)) or "the account it went to"


def _entry_split_text(result: FormResult) -> str:
    if len(result.entry_split) < 2:
        return ""
    pieces = [f"one with box 1 {money_text(p.box_1)}, box 2a {money_text(p.box_2a)} and box 5 {money_text(p.box_5)} "
              f"for the {DESTINATION_TITLES[p.destination]}" for p in result.entry_split]
    return " If the software cannot split one form, enter it as " + "; and ".join(pieces) + \
        " (the worksheet's entry split)."


def _wrong_form_messages(ctx: Context, form_id: str) -> list[tuple[str, list[str]]]:
    return [(f.message, f.cites) for f in ctx.analysis.findings
            if f.form_id == form_id and f.code in WRONG_FORM_FINDINGS]


def form_hypotheses(ctx: Context, result: FormResult, form: Form1099R) -> list[Hypothesis]:
    found: list[Hypothesis] = []
    gross_role = result.gross_line or "pension_gross"
    taxable_role = TAXABLE_OF[gross_role]
    taxable = result.taxable or ZERO
    name = ctx.name(result.form_id)
    t_line, g_line = ctx.line(taxable_role), ctx.line(gross_role)
    fid = (result.form_id,)
    into_roth = any(p.destination.is_roth for p in result.parts)
    # An IRA converted to a Roth IRA, or one whose basis comes from Form 8606: its 1099-R does not
    # carry the taxable part (box 2a is all of it, "not determined"), so "box 1 taxed" or "box 2a
    # trusted" are only symptoms; mistakes_8606 names the Form 8606 fact the software lacked.
    by_8606 = result.account == "ira" and (into_roth or bool(result.basis))

    # Box 1 taxed: the basis and the non-Roth rollovers counted as income.
    if result.gross - taxable > ZERO and not by_8606:
        reasons = []
        if result.basis:
            reasons.append(f"{money_text(result.basis)} is after-tax money (box 5) that comes back tax free")
        non_roth = total(p.amount for p in result.parts if p.destination in NON_ROTH_DESTINATIONS)
        if non_roth:
            reasons.append(f"{money_text(non_roth)} was rolled over to a "
                           f"{_dest_list(result.parts, lambda d: d in NON_ROTH_DESTINATIONS)}, which is not taxable")
        blank = form.box_2a is None or form.box_2b_taxable_not_determined
        found.append(Hypothesis(
            rule=TAXED_GROSS, forms=fid, deltas={taxable_role: result.gross - taxable},
            title=f"Taxed all of box 1 of {name}",
            explanation=(f"The software's line {t_line} matches counting all {money_text(result.gross)} of {name} "
                         f"as taxable. Only {money_text(taxable)} is: " + "; ".join(reasons or ["see the worksheet"])
                         + "." + (" Box 2a is blank or \"taxable amount not determined\" is checked, and software "
                                  "then often takes all of box 1 as taxable." if blank else "")),
            fix=(f"In the 1099-R entry for {name}, copy box 5 ({money_text(form.box_5, blank='blank')}) and box 2a as "
                 f"printed; answer that the money was rolled over"
                 + (f" to a {_dest_list(result.parts, lambda d: d.is_rollover)}" if result.parts else "")
                 + f", and where asked for the after-tax or nontaxable part, give {money_text(result.basis or ZERO)}. "
                 f"Line {t_line} should then show {money_text(taxable)}."),
            amount=result.gross - taxable,
        ))

    # Box 2a as printed, where megaroth computes something else.
    if form.box_2a is not None and not ctx.close(form.box_2a, taxable) and not by_8606:
        wrong = _wrong_form_messages(ctx, result.form_id)
        because = (" The form looks wrong: " + " ".join(m for m, _ in wrong)) if wrong else \
            f" The rules give {money_text(taxable)} for where the money went (see the worksheet's steps)."
        found.append(Hypothesis(
            rule=BOX_2A, forms=fid, deltas={taxable_role: form.box_2a - taxable},
            title=f"Took box 2a of {name} as the taxable amount",
            explanation=(f"The software's line {t_line} matches box 2a of {name} as printed "
                         f"({money_text(form.box_2a)}); megaroth's taxable amount is {money_text(taxable)}.{because}"),
            fix=(f"Override the taxable amount of {name} to {money_text(taxable)} (most software lets you edit box 2a "
                 "or answer that the taxable amount on the form is not right) and keep this worksheet with your "
                 "records" + (", and ask the plan for a corrected 1099-R." if wrong else
                              ": the form itself is right for where the money went, only its entry needs the "
                              "answers about where it went.")),
            amount=abs(form.box_2a - taxable),
            cites=tuple(c for _, cites in wrong for c in cites),
        ))

    # Pretax money that went to a traditional IRA or plan, taxed.
    non_roth_pretax = total(p.pretax for p in result.parts if p.destination in NON_ROTH_DESTINATIONS)
    if non_roth_pretax:
        split = into_roth
        dest = _dest_list(result.parts, lambda d: d in NON_ROTH_DESTINATIONS)
        roth_amount = total(p.amount for p in result.parts if p.destination.is_roth)
        found.append(Hypothesis(
            rule=ROLLED_PRETAX, forms=fid, deltas={taxable_role: non_roth_pretax},
            title=(f"Taxed the earnings of {name} that went to the {dest}" if split
                   else f"Taxed the rollover of {name} to a {dest}"),
            explanation=(f"The software's line {t_line} matches taxing the {money_text(non_roth_pretax)} of pretax "
                         f"money (earnings) that went to the {dest}. Rolled into a non-Roth account it stays untaxed "
                         "until it comes out" + ("; in a split rollover the pretax money goes to the non-Roth "
                                                 "account first (Notice 2014-54), so the Roth part is basis."
                                                 if split else ".")),
            fix=((f"Tell the software the distribution was split: {money_text(roth_amount)} to the Roth account and "
                  f"{money_text(total(p.amount for p in result.parts if p.destination in NON_ROTH_DESTINATIONS))} to "
                  f"the {dest}." if split else
                  f"Answer that {money_text(total(p.amount for p in result.parts if p.destination in NON_ROTH_DESTINATIONS))} "
                  f"of {name} was rolled over to a {dest}"
                  + (" within 60 days (an indirect rollover)" if any(p.within_60_days for p in result.parts) else "")
                  + ", not kept or converted.")
                 + _entry_split_text(result)),
            amount=non_roth_pretax,
        ))

    # Box 5 ignored while the rollover to a non-Roth account was recognized.
    kept_or_roth_basis = total(p.basis for p in result.parts if p.destination.is_roth
                               or p.destination is Destination.kept)
    if result.account == "plan" and kept_or_roth_basis and kept_or_roth_basis != result.gross - taxable:
        found.append(Hypothesis(
            rule=BASIS_IGNORED, forms=fid, deltas={taxable_role: kept_or_roth_basis},
            title=f"Left out the after-tax basis (box 5) of {name}",
            explanation=(f"The software's line {t_line} matches taxing the {money_text(kept_or_roth_basis)} of "
                         f"after-tax contributions of {name} that went to a Roth account or to you: they come back "
                         "tax free; only the earnings are taxable."),
            fix=(f"Enter box 5 of {name} ({money_text(form.box_5, blank='blank: use the plan statement')}) in its "
                 "1099-R entry, and say which part went where."),
            amount=kept_or_roth_basis,
        ))

    # A designated Roth rollover's earnings taxed.
    if result.account == "designated_roth":
        earnings = result.gross - (result.basis or ZERO) - taxable
        rolled = any(p.destination.is_roth for p in result.parts)
        if earnings > ZERO and rolled:
            found.append(Hypothesis(
                rule=ROTH_EARNINGS, forms=fid, deltas={taxable_role: earnings},
                title=f"Taxed the earnings of the designated Roth rollover {name}",
                explanation=(f"The software's line {t_line} matches taxing the {money_text(earnings)} of earnings of "
                             f"{name}, designated Roth money rolled into a Roth account: a rollover of Roth money is "
                             "not taxable, earnings included."),
                fix=(f"In the 1099-R entry for {name} (code {result.box_7}), answer that the money was rolled over to "
                     "a Roth IRA or Roth account; do not enter it as a conversion or as cash kept."),
                amount=earnings,
            ))

    # Pro rata instead of pretax first.
    roth_or_kept = [p for p in result.parts if p.destination.is_roth or p.destination is Destination.kept]
    if result.pretax and result.gross and roth_or_kept and non_roth_pretax:
        share = total(p.amount for p in roth_or_kept)
        pro_rata = (share * result.pretax / result.gross).quantize(CENT, rounding=ROUND_HALF_UP)
        roth_taxable = total(p.taxable for p in roth_or_kept)
        if not ctx.close(pro_rata, roth_taxable):
            found.append(Hypothesis(
                rule=PRO_RATA, forms=fid, deltas={taxable_role: pro_rata - roth_taxable},
                title=f"Split the earnings of {name} in proportion instead of sending them to the non-Roth account",
                explanation=(f"The software's line {t_line} matches spreading the {money_text(result.pretax)} of "
                             f"earnings over both destinations in proportion ({money_text(pro_rata)} taxable). Under "
                             "Notice 2014-54 one distribution split between a Roth and a non-Roth account sends the "
                             "pretax money to the non-Roth account first; nothing of it is taxable if it all fits "
                             "there."),
                fix="Enter the form split by destination, with the earnings on the non-Roth part." +
                    _entry_split_text(result),
                amount=abs(pro_rata - roth_taxable),
            ))

    # The Roth conversion taken as a tax-free rollover.
    roth_taxable = total(p.taxable for p in result.parts if p.destination.is_roth)
    if roth_taxable and not by_8606:
        dest = _dest_list(result.parts, lambda d: d.is_roth)
        found.append(Hypothesis(
            rule=UNTAXED_CONVERSION, forms=fid, deltas={taxable_role: -roth_taxable},
            title=f"Treated the Roth conversion of {name} as a tax-free rollover",
            explanation=(f"The software's line {t_line} leaves out the {money_text(roth_taxable)} of earnings "
                         f"converted into the {dest}: pretax money rolled into a Roth account is taxable in the year "
                         "of the rollover."),
            fix=(f"In the 1099-R entry, say the money went to a Roth account ({dest}), not to a traditional IRA or "
                 f"plan; line {t_line} should then include {money_text(roth_taxable)}."),
            amount=roth_taxable,
        ))

    # Money kept, taken as rolled over.
    kept_taxable = total(p.taxable for p in result.parts if p.destination is Destination.kept)
    if kept_taxable:
        kept = total(p.amount for p in result.parts if p.destination is Destination.kept)
        found.append(Hypothesis(
            rule=KEPT_UNTAXED, forms=fid, deltas={taxable_role: -kept_taxable},
            title=f"Treated the cash kept from {name} as rolled over",
            explanation=(f"The software's line {t_line} leaves out the {money_text(kept_taxable)} taxable part of the "
                         f"{money_text(kept)} you kept (not rolled over within 60 days)."),
            fix=f"Answer that only part of {name} was rolled over, and that {money_text(kept)} was kept.",
            amount=kept_taxable,
        ))

    # Entered twice, or not at all.
    found.append(Hypothesis(
        rule=TWICE, forms=fid,
        deltas={gross_role: result.gross, taxable_role: taxable, "withholding": result.withholding},
        title=f"Entered {name} twice",
        explanation=(f"The software's lines match {name} counted twice (line {g_line} higher by "
                     f"{money_text(result.gross)})" + (", as happens when a form whose money went to two places is "
                                                       "entered once for each destination." if len(result.parts) > 1
                                                       else ".")),
        fix=f"Delete the duplicate entry of {name}: each 1099-R is entered once." + _entry_split_text(result),
        amount=result.gross,
    ))
    found.append(Hypothesis(
        rule=MISSING, forms=fid,
        deltas={gross_role: -result.gross, taxable_role: -taxable, "withholding": -result.withholding},
        title=f"Left out {name}",
        explanation=(f"The software's lines match a return without {name}. A rollover is reported too: box 1 on "
                     f"line {g_line}, the taxable part on line {t_line}, with the rollover marker."),
        fix=f"Enter {name} in the software, even though it was rolled over.",
        amount=result.gross,
    ))
    if result.withholding:
        found.append(Hypothesis(
            rule=WITHHOLDING, forms=fid, deltas={"withholding": -result.withholding},
            title=f"Left out the tax withheld on {name}",
            explanation=(f"The software's line {ctx.line('withholding')} leaves out the {money_text(result.withholding)} "
                         f"withheld on {name} (box 4)."),
            fix=f"Enter box 4 of {name} ({money_text(result.withholding)}) in its 1099-R entry.",
            amount=result.withholding,
        ))

    # A plan distribution reported as an IRA one (IRA box checked, or a Form 8606 conversion).
    if result.account != "ira" and gross_role == "pension_gross":
        with_8606 = any((f := ctx.figures.get(i)) is not None and f.amount for i in ALL_8606_ITEMS) or any(
            f.amount for form in ctx.figures.forms_8606 for f in form.figures.values())
        found.append(Hypothesis(
            rule=PLAN_AS_IRA, forms=fid,
            deltas={"pension_gross": -result.gross, "pension_taxable": -taxable, "ira_gross": result.gross},
            free=frozenset({"ira_taxable", *ALL_8606_ITEMS}),
            title=(f"Reported {name} as an IRA conversion on Form 8606" if with_8606
                   else f"Reported {name} as an IRA distribution"),
            explanation=(f"The software's lines match {name} moved from the pension lines ({g_line}/{t_line}) to the "
                         f"IRA lines ({ctx.line('ira_gross')}/{ctx.line('ira_taxable')})"
                         + (" and figured on Form 8606 Part II" if with_8606 else "")
                         + ". It comes from an employer plan: its 1099-R has the IRA/SEP/SIMPLE box unchecked, and a "
                           "plan rollover to a Roth account is not a conversion of a traditional IRA. Form 8606 would "
                           "also mix it with the basis and balances of your IRAs."),
            fix=(f"In the 1099-R entry for {name}, leave the IRA/SEP/SIMPLE box unchecked (as on the form); do not "
                 "report a conversion from a traditional IRA, and delete Form 8606 Part II for this money."),
            amount=result.gross,
        ))
    return found


def aggregate(found: list[Hypothesis], ctx: Context) -> list[Hypothesis]:
    """The same mistake on every form it can apply to (software that gets one form wrong
    usually gets all such forms wrong)."""
    extra = []
    for rule, title in ((TAXED_GROSS, "Taxed all of box 1 of every form"),
                        (BOX_2A, "Took box 2a of every form as the taxable amount"),
                        (ROLLED_PRETAX, "Taxed the earnings of every form that went to a traditional IRA or plan"),
                        (UNTAXED_CONVERSION, "Treated every Roth conversion as a tax-free rollover"),
                        (BASIS_IGNORED, "Left out the after-tax basis (box 5) of every form")):
        group = [h for h in found if h.rule is rule]
        if len(group) < 2:
            continue
        deltas: dict[str, Decimal] = {}
        for h in group:
            for role, value in h.deltas.items():
                deltas[role] = deltas.get(role, ZERO) + value
        names = ", ".join(ctx.name(h.forms[0]) for h in group)
        extra.append(Hypothesis(
            rule=rule, forms=tuple(f for h in group for f in h.forms), deltas=deltas,
            title=title,
            explanation=f"The same mistake on {names}: " + " ".join(h.explanation for h in group),
            fix=" ".join(h.fix for h in group),
            amount=total(h.amount for h in group),
            cites=tuple(c for h in group for c in h.cites),
        ))
    return extra


PRIORITY = (BOX_2A, ROLLED_PRETAX, PRO_RATA, BASIS_IGNORED, ROTH_EARNINGS, UNTAXED_CONVERSION, KEPT_UNTAXED,
            PLAN_AS_IRA, WITHHOLDING, TAXED_GROSS, TWICE, MISSING)
"""When several mistakes reproduce the same figures, the most specific first: a box 2a the plan got
wrong, a split rollover, the basis left out… before "all of box 1 taxed", and a form entered twice
or left out last."""


def specificity(h: Hypothesis, ctx: Context) -> tuple[int, int]:
    """Sort key: a box 2a taken as printed ranks first only when the form was flagged as wrong;
    on a right form it is the symptom, not the cause."""
    # A Form 8606 fact left out (mistakes_8606) is the most specific cause there is.
    rank = PRIORITY.index(h.rule) if h.rule in PRIORITY else -1
    if h.rule is BOX_2A and not any(_wrong_form_messages(ctx, f) for f in h.forms):
        rank = PRIORITY.index(TAXED_GROSS) + 1
    return rank, len(h.forms)
