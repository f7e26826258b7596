"""Every finding megaroth can report: its code, severity, title and authority.

Checks (form arithmetic, codes, batches) and rules (disposition, wrong-form patterns) both
report through these definitions, so `megaroth rules` can list them and a meta-test can
check that each one cites a source that resolves.
"""

from __future__ import annotations

from dataclasses import dataclass

from megaroth.model.results import Finding, Severity
from megaroth.provenance import Source


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    title: str
    cites: tuple[str, ...]

    def finding(
        self,
        message: str,
        *,
        form_id: str | None = None,
        box: str | None = None,
        source: Source | None = None,
        severity: Severity | None = None,
        fact: str | None = None,
        at_stake=None,
    ) -> Finding:
        """The finding; with `fact` (its place in the case file) it is a missing fact, which makes
        the result incomplete, with `at_stake` the most the lines can change by."""
        return Finding(
            severity=severity or self.severity,
            code=self.code,
            message=message,
            form_id=form_id,
            box=box,
            file=source.file if source else None,
            cites=list(self.cites),
            fact=fact,
            at_stake=at_stake,
        )


CHECKS: dict[str, Check] = {}


def check(code: str, severity: Severity, title: str, cites: list[str]) -> Check:
    """Register a finding kind. Codes are unique and every kind cites its authority."""
    if code in CHECKS:
        raise ValueError(f"check {code!r} defined twice")
    if not cites:
        raise ValueError(f"check {code!r} cites nothing")
    definition = Check(code=code, severity=severity, title=title, cites=tuple(cites))
    CHECKS[code] = definition
    return definition
