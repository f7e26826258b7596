"""Analyze a loaded case and derive the exit code: the step between reading and rendering.

Shared by the public API and the batch, so that neither imports the other.
"""

from __future__ import annotations

from megaroth.errors import ExitCode, InputError, UnsupportedYear, worst
from megaroth.model.loading import LoadedCase
from megaroth.model.results import Analysis, Severity


def analyze(loaded: LoadedCase, ledger: dict | None = None) -> Analysis:
    """Check and compute a loaded case.

    Args:
        ledger: what the ledger holds for each person ("taxpayer", "spouse"), as `LedgerFacts`.

    Raises:
        InputError: when the case's tax year is not supported.
    """
    from megaroth.params import load_year
    from megaroth.rules.engine import analyze as run

    case = loaded.case
    try:
        params = load_year(case.tax_year)
    except UnsupportedYear as exc:
        raise InputError(exc.message, loaded.source.at(field="tax_year")) from None
    findings = list(loaded.findings) + list((ledger or {}).get("findings", []))
    facts = {role: value for role, value in (ledger or {}).items() if role != "findings"}
    return run(case, params, loaded.sources, loaded.errors, findings, ledger=facts)


def needs_ledger(case) -> bool:
    """Whether the case's numbers can depend on what the ledger holds: an IRA or Roth IRA form, or
    IRA facts (Form 8606 lines 2, 22 and 24 carry from earlier years)."""
    from megaroth.rules.accounts import account_of

    return any(account_of(f) in ("ira", "roth_ira") for f in case.forms_1099r) or any(
        person.ira is not None for _, person in case.people)


def exit_code(analysis: Analysis, *, findings_matter: bool = True) -> ExitCode:
    """The exit code an analysis calls for (documented in the README)."""
    codes = set()
    if analysis.errors:
        codes.add(ExitCode.INPUT)
    if any(form.status != "computed" for form in analysis.forms) or analysis.missing_facts:
        # 3 is "incomplete": a form left out, or a fact the lines depend on not given
        codes.add(ExitCode.UNSUPPORTED)
    if findings_matter and any(f.severity is Severity.error for f in analysis.findings):
        codes.add(ExitCode.FINDINGS)
    return worst(codes)
