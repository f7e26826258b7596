"""Box 7 codes against the tax year's Table 1 ("Guide to Distribution Codes")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from megaroth.checks.registry import check
from megaroth.dates import date_reaching_age
from megaroth.model.tax_return import Person as Taxpayer
from megaroth.model.form1099r import Form1099R
from megaroth.model.results import Finding, Severity
from megaroth.params import YearParameters
from megaroth.provenance import Source

CODE_UNKNOWN = check(
    "code.unknown_for_year", Severity.error,
    "A box 7 code that does not exist in the tax year's Table 1.",
    ["i1099r.box-7"],
)
CODE_PAIR = check(
    "code.invalid_combination", Severity.error,
    "Two box 7 codes that Table 1 does not allow together (e.g. 7G, 1G: code G pairs only with 4, B or K).",
    ["i1099r.box-7.combinations"],
)
CODE_ORDER = check(
    "code.order", Severity.error,
    "Code Y must be entered first.",
    ["i1099r.box-7.code-y-first"],
)
IRA_FLAG_PLAN_CODE = check(
    "code.ira_box_with_plan_code", Severity.error,
    "The IRA/SEP/SIMPLE box is checked with a code used only for employer plans.",
    ["i1099r.box-7.ira-checkbox", "i1099r.box-7"],
)
CODE_AGE = check(
    "code.age_mismatch", Severity.warning,
    "Code 1 or 7 does not match the taxpayer's age against 59½.",
    ["irc-72.t2-age", "i1099r.box-7"],
)

# Codes Table 1 gives only to employer plans (designated Roth, loans, 10-year option, ESOP).
PLAN_ONLY_CODES = frozenset("ABHLMU")


def check_codes(form: Form1099R, params: YearParameters, source: Source) -> Iterator[Finding]:
    table = params.codes
    here = {"form_id": form.id, "source": source, "box": "box_7"}
    codes = form.codes
    based_on = "" if table.verified else f" (Table 1 of {table.based_on_year} applied; this year's table was not available)"
    unknown = [c for c in codes if c not in table.codes]
    for code in unknown:
        yield CODE_UNKNOWN.finding(
            f"Code {code} is not a distribution code for tax year {params.tax_year}{based_on}.", **here
        )
    if len(codes) == 2 and not unknown:
        first, second = codes
        if not table.pair_allowed(first, second):
            allowed = ", ".join(sorted(table.codes[first].used_with)) or "no other code"
            yield CODE_PAIR.finding(
                f"Codes {first} and {second} cannot be combined on one form (Table 1: {first} is used with "
                f"{allowed}){based_on}. The payer should have issued a separate form, or one code is wrong.",
                severity=None if table.verified else Severity.warning,
                **here,
            )
        if second in table.first:
            yield CODE_ORDER.finding(f"Code {second} must be printed first ({second}{first}, not {first}{second}).",
                                     **here)
    if form.box_7_ira_sep_simple:
        plan_codes = sorted(set(codes) & PLAN_ONLY_CODES)
        if plan_codes:
            yield IRA_FLAG_PLAN_CODE.finding(
                f"The IRA/SEP/SIMPLE box is checked, but code {', '.join(plan_codes)} is used only for "
                "employer plans (401(k), 403(b), 457(b)). One of them is wrong; megaroth follows the checkbox.",
                **here,
            )


def check_age(form: Form1099R, taxpayer: Taxpayer, params: YearParameters, source: Source) -> Iterator[Finding]:
    """Code 1 for someone 59½ all year, or code 7 for someone under 59½ all year."""
    if taxpayer.birth_date is None:
        return
    age = params.statutory.early_distribution_age.required()
    reached = date_reaching_age(taxpayer.birth_date, age)
    year_start = date(params.tax_year, 1, 1)
    year_end = date(params.tax_year + 1, 1, 1) - timedelta(days=1)
    paid = form.distribution_date
    older = reached <= (paid or year_start)
    younger = reached > (paid or year_end)
    here = {"form_id": form.id, "source": source, "box": "box_7"}
    if "1" in form.codes and older:
        yield CODE_AGE.finding(
            f"Code 1 (early distribution) but the taxpayer reached 59½ on {reached.isoformat()}, before the "
            "distribution: the code looks wrong (7 = normal distribution) and the 10% additional tax should "
            "not apply. Ask the payer for a corrected form.",
            **here,
        )
    if "7" in form.codes and younger:
        yield CODE_AGE.finding(
            f"Code 7 (normal distribution) but the taxpayer reaches 59½ only on {reached.isoformat()}, after "
            "the distribution: the code may be wrong, and the 10% additional tax may apply unless an exception "
            "does.",
            **here,
        )
