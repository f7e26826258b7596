"""Which account a distribution came from, and whether megaroth computes it.

Four kinds of money leave through a 1099-R, and each follows its own rules:
- `plan`: the non-Roth account of a 401(k)/403(b)/governmental 457(b) plan, holding pretax
  money and after-tax contributions (whose earnings are pretax);
- `designated_roth`: a designated Roth account (codes B and H);
- `ira`: a traditional, SEP or SIMPLE IRA (box 7 checkbox; codes N, R, S), on Form 8606 Parts I-II;
- `roth_ira`: a Roth IRA (codes J, Q, T; the checkbox is not checked for Roth IRAs), Part III.
Rules never guess: a code outside what megaroth computes is an explicit knockout.
"""

from __future__ import annotations

from typing import Literal

from megaroth.model.form1099r import Form1099R
from megaroth.rules.registry import define

Account = Literal["plan", "designated_roth", "ira", "roth_ira"]

ACCOUNT_RULE = define(
    "account.kind",
    "The account a distribution came from follows from box 7: the IRA/SEP/SIMPLE box (or a Roth IRA "
    "code J, Q, T) means an IRA, reported on lines 4a/4b; codes B and H mean a designated Roth "
    "account; otherwise the plan's non-Roth account, reported on lines 5a/5b.",
    ["i1099r.box-7.ira-checkbox", "i1099r.drac-separate-form", "i1040.ira.exception-1"],
)

# Codes that only IRA distributions carry even when the checkbox is (correctly) unchecked:
# Roth IRA distributions (J, Q, T), recharacterizations (N, R), early SIMPLE IRA (S).
ROTH_IRA_CODES = frozenset("JQT")
IRA_CODES = frozenset("NRS") | ROTH_IRA_CODES

SUPPORTED = {
    "plan": frozenset("1247GLM"),
    "designated_roth": frozenset("1247BGHLM"),
    "ira": frozenset("1247GN"),
    "roth_ira": frozenset("JQT"),
}

WHY_NOT = {
    "3": "code 3 (disability): a disability pension before minimum retirement age is reported as wages on line 1h",
    "5": "code 5 (prohibited transaction)",
    "6": "code 6 (section 1035 exchange)",
    "8": "code 8 (corrective distribution of excess contributions or deferrals), which follows its own timing rules",
    "9": "code 9 (cost of current life insurance protection)",
    "A": "code A (10-year tax option, Form 4972)",
    "C": "code C (reportable death benefits under section 6050Y)",
    "D": "code D (nonqualified annuity)",
    "E": "code E (EPCRS corrective distribution)",
    "F": "code F (charitable gift annuity)",
    "J": "code J on a form that is not a Roth IRA's",
    "K": "code K (IRA assets without a readily available market value)",
    "N": "code N (recharacterized IRA contribution)",
    "P": "code P (corrective distribution taxable in an earlier year)",
    "Q": "code Q on a form that is not a Roth IRA's",
    "R": "code R (recharacterized IRA contribution of an earlier year): it belongs on the earlier year's return, "
         "in the statement that explains the recharacterization",
    "S": "code S (early SIMPLE IRA distribution in the first 2 years)",
    "T": "code T on a form that is not a Roth IRA's",
    "U": "code U (ESOP dividend, not eligible for rollover)",
    "W": "code W (long-term care insurance charges)",
    "Y": "code Y (qualified charitable distribution)",
    "B": "code B on an IRA form",
    "H": "code H on an IRA form",
    "L": "code L on an IRA form",
    "M": "code M on an IRA form",
}


def account_of(form: Form1099R) -> Account:
    """The account a form reports, by box 7."""
    codes = set(form.codes)
    if codes & ROTH_IRA_CODES:
        return "roth_ira"
    if form.box_7_ira_sep_simple or codes & IRA_CODES:
        return "ira"
    if codes & {"B", "H"}:
        return "designated_roth"
    return "plan"


def unsupported_code_reason(form: Form1099R, account: Account) -> str | None:
    """Why megaroth will not compute this form's codes, or None when it will."""
    outside = [code for code in form.codes if code not in SUPPORTED[account]]
    if not outside:
        return None
    reasons = [WHY_NOT.get(code, f"code {code}") for code in outside]
    return "megaroth does not compute " + "; ".join(reasons) + "."
