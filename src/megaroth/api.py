"""The public API: load a case, analyze it, render it, and derive the exit code.

This is the only layer that touches files for the spine (case files, stdin). The CLI calls
these functions and holds no logic of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from megaroth.errors import ExitCode, InputError, UnsupportedYear, worst
from megaroth.model.loading import LoadedCase, load_case_bytes, load_case_data
from megaroth.model.results import Analysis, Severity
from megaroth.provenance import Source

STDIN = "-"


def read_input(path: str | Path) -> tuple[bytes, Source]:
    """The bytes of a file, or of stdin for "-", with where they came from."""
    if str(path) == STDIN:
        return sys.stdin.buffer.read(), Source(file="<stdin>")
    source = Source(file=str(path))
    try:
        return Path(path).read_bytes(), source
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source) from None
    except PermissionError:
        raise InputError("permission denied", source) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source) from None


def load_case(path: str | Path) -> LoadedCase:
    """Read and validate a case file ("-" for stdin)."""
    data, source = read_input(path)
    return load_case_bytes(data, source)


def case_from_dict(data: dict[str, Any], label: str = "<case>") -> LoadedCase:
    return load_case_data(data, Source(file=label))


def analyze(loaded: LoadedCase) -> Analysis:
    """Check and compute a loaded case.

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
    return run(case, params, loaded.sources, loaded.errors)


def exit_code(analysis: Analysis, *, findings_matter: bool = True) -> ExitCode:
    """The exit code an analysis calls for (documented in the README)."""
    codes = set()
    if analysis.errors:
        codes.add(ExitCode.INPUT)
    if any(form.status != "computed" for form in analysis.forms):
        codes.add(ExitCode.UNSUPPORTED)
    if findings_matter and any(f.severity is Severity.error for f in analysis.findings):
        codes.add(ExitCode.FINDINGS)
    return worst(codes)


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case file."""
    from megaroth.model.case import Case

    return Case.model_json_schema(mode="validation")


def default_year() -> int:
    """The tax year `quick` and `rules` use when none is given: the latest verified one."""
    from megaroth.params import latest_verified_year

    return latest_verified_year()


def rules_catalog(tax_year: int | None = None) -> list[dict[str, Any]]:
    """Every rule and finding kind, with its citations resolved for a tax year."""
    from megaroth.catalog import resolve_citation
    from megaroth.checks.registry import CHECKS
    from megaroth.rules.registry import all_rules

    year = tax_year or default_year()
    entries = [{"kind": "rule", "id": r.id, "title": r.title, "severity": None,
                "cites": [resolve_citation(c, year).text for c in r.cites]} for r in all_rules()]
    entries += [{"kind": "finding", "id": c.code, "title": c.title, "severity": c.severity.value,
                 "cites": [resolve_citation(x, year).text for x in c.cites]}
                for c in sorted(CHECKS.values(), key=lambda c: c.code)]
    return entries


def years_summary() -> list[dict[str, Any]]:
    """Supported tax years with their Form 1040 lines and how far they are verified."""
    from megaroth.catalog import available_years
    from megaroth.params import load_year

    summary = []
    for year in available_years():
        params = load_year(year)
        lines = params.f1040.lines
        summary.append({
            "tax_year": year,
            "pension_lines": (lines.pension_gross.line, lines.pension_taxable.line),
            "ira_lines": (lines.ira_gross.line, lines.ira_taxable.line),
            "withholding_line": lines.withholding.line,
            "rollover_marker": params.f1040.markers.pension_rollover.instruction(),
            "layout_verified": params.f1040.meta.verified,
            "codes_from_year": params.codes.based_on_year,
            "codes_verified": params.codes.verified,
        })
    return summary
