"""Errors megaroth raises on purpose, and the exit codes the CLI derives from outcomes.

Bad input is never a traceback: every `InputError` names where it came from (file, record,
field) through its `Source`. Internal errors (bugs) are the only exceptions left to escape,
and the CLI turns them into exit code 70 with a short message.
"""

from __future__ import annotations

from enum import IntEnum

from megaroth.provenance import Source


class ExitCode(IntEnum):
    """Exit codes of the `megaroth` command; when several apply, the highest wins."""

    OK = 0
    """Everything processed; warnings allowed."""
    INPUT = 1
    """At least one record could not be read or validated (the others were processed)."""
    USAGE = 2
    """Command-line usage error (reported by the argument parser)."""
    UNSUPPORTED = 3
    """At least one record is out of scope: megaroth refuses to compute it."""
    FINDINGS = 4
    """Error-level findings (check), or disagreement with tax software (compare)."""
    INTERNAL = 70
    """A bug in megaroth."""


def worst(codes: "list[ExitCode] | set[ExitCode]") -> ExitCode:
    """The exit code that wins when several apply: input errors outrank knockouts,
    which outrank findings (a number we could not read matters most)."""
    order = [ExitCode.INTERNAL, ExitCode.INPUT, ExitCode.UNSUPPORTED, ExitCode.FINDINGS]
    for code in order:
        if code in codes:
            return code
    return ExitCode.OK


class MegarothError(Exception):
    """Base of every error megaroth raises on purpose."""


class InputError(MegarothError):
    """Input that cannot be read or validated; names the file, record and field."""

    def __init__(self, message: str, source: Source | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source or Source()

    def __str__(self) -> str:
        where = str(self.source)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {"message": self.message, **self.source.to_dict()}


class SeveralPeople(InputError):
    """The sources name more than one person where one return's report was asked for. They may be
    one person whose forms print the TIN or name differently (a plan prints the TIN in full, a
    custodian masks it): a face may ask, and load again with `one_person=True` — never merged
    without asking."""

    def __init__(self, message: str, source: Source | None, people: list[str], cases: list | None = None) -> None:
        super().__init__(message, source)
        self.people = people
        """Each person as the forms show them: name, masked TIN, their forms' payers."""
        self.cases = cases or []
        """Each person's case as read (`LoadedCase`), in the same order: a joint return is made of two."""


class UsageError(MegarothError):
    """The command was called wrongly (a missing or contradictory option): exit 2, like the
    argument parser's own errors."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CatalogError(MegarothError):
    """The shipped form knowledge (forms/) is inconsistent: a bug, not user input."""


class UnsupportedYear(InputError):
    """A tax year megaroth has no parameters for."""
