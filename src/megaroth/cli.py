"""The `megaroth` command: parse arguments, call the API, print, exit. No tax logic here.

stdout carries results only (a worksheet, or exactly one JSON document); findings summaries,
progress and errors go to stderr. Exit codes: see `ExitCode` and the README.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from megaroth import __version__, api
from megaroth.errors import CatalogError, ExitCode, InputError

EXIT_CODES_HELP = (
    "Exit codes: 0 fine (warnings allowed); 1 input could not be read or validated; 2 usage error; "
    "3 a form is out of scope or could not be computed; 4 error-level findings; 70 internal error."
)

app = typer.Typer(
    name="megaroth",
    help="Form 1099-R to Form 1040 entries for the mega backdoor Roth, checked and explained. " + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


class To(str, Enum):
    designated_roth_same_plan = "designated_roth_same_plan"
    roth_ira = "roth_ira"
    traditional_ira = "traditional_ira"
    employer_plan = "employer_plan"
    designated_roth_other_plan = "designated_roth_other_plan"
    kept = "kept"


CaseArg = Annotated[str, typer.Argument(help="Case file (JSON), or - to read it from stdin.", show_default=False)]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Worksheet format.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (same as --format json).")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically).")]
RevealOpt = Annotated[bool, typer.Option("--reveal-tins", help="Show full TINs (masked by default).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _guard(debug: bool) -> Iterator[None]:
    """Bad input → message and exit 1; a bug → exit 70 with a short note (traceback with --debug)."""
    try:
        yield
    except InputError as exc:
        _err(f"megaroth: error: {exc}")
        raise typer.Exit(ExitCode.INPUT) from None
    except typer.Exit:
        raise
    except (CatalogError, Exception) as exc:  # a bug: never show the user a traceback by default
        if debug:
            raise
        _err(f"megaroth: internal error ({type(exc).__name__}: {exc}). Please report it; rerun with --debug for "
             "details.")
        raise typer.Exit(ExitCode.INTERNAL) from None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from megaroth.outputs import write_atomic

    write_atomic(output, text)
    _err(f"megaroth: wrote {output}")


def _summary(analysis, code: ExitCode) -> None:
    counts = {s: sum(1 for f in analysis.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    status = "complete" if analysis.complete else "INCOMPLETE"
    _err(f"megaroth: tax year {analysis.tax_year}: {len(analysis.forms)} form(s), {status}; "
         f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s); exit {int(code)}")


def _report(loaded, fmt: OutputFormat, output: Path | None, reveal_tins: bool) -> None:
    from megaroth.render import render

    analysis = api.analyze(loaded)
    code = api.exit_code(analysis)
    _emit(render(analysis, loaded.case, fmt.value, reveal_tins=reveal_tins), output)
    _summary(analysis, code)
    raise typer.Exit(code)


@app.command()
def report(
    case: CaseArg,
    fmt: FormatOpt = OutputFormat.md,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    reveal_tins: RevealOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Worksheet: Form 1040 lines 4a/4b, 5a/5b, 25b, rollover marker, Form 8606 verdict, each number traced."""
    with _guard(debug):
        loaded = api.load_case(case)
        _report(loaded, OutputFormat.json if json_ else fmt, output, reveal_tins)


@app.command()
def check(case: CaseArg, json_: JsonOpt = False, debug: DebugOpt = False) -> None:
    """Findings only: box arithmetic, distribution codes, wrong-form patterns, dispositions."""
    with _guard(debug):
        loaded = api.load_case(case)
        analysis = api.analyze(loaded)
        code = api.exit_code(analysis)
        if json_:
            document = {
                "schema_version": 1,
                "tax_year": analysis.tax_year,
                "complete": analysis.complete,
                "findings": [f.model_dump(mode="json") for f in analysis.findings],
                "errors": [e.model_dump(mode="json") for e in analysis.errors],
            }
            typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            for error in analysis.errors:
                where = ": ".join(x for x in (error.file, error.record, error.field) if x)
                typer.echo(f"INPUT   {where}: {error.message}")
            for finding in analysis.findings:
                where = " ".join(x for x in (
                    f"form {finding.form_id!r}" if finding.form_id else "", finding.box or "") if x)
                typer.echo(f"{finding.severity.value.upper():7} {finding.code} {where}: {finding.message}")
            if not analysis.findings and not analysis.errors:
                typer.echo("No findings.")
        _summary(analysis, code)
        raise typer.Exit(code)


@app.command()
def quick(
    box_1: Annotated[str, typer.Option("--box-1", help="Gross distribution.")],
    code: Annotated[str, typer.Option("--code", help="Box 7 distribution code(s), e.g. G, 4G, 07.")],
    box_2a: Annotated[Optional[str], typer.Option("--box-2a", help="Taxable amount (omit if blank).")] = None,
    not_determined: Annotated[bool, typer.Option("--not-determined", help="Box 2b taxable amount not determined.")] = False,
    box_4: Annotated[Optional[str], typer.Option("--box-4", help="Federal income tax withheld.")] = None,
    box_5: Annotated[Optional[str], typer.Option("--box-5", help="Employee contributions (after-tax basis).")] = None,
    ira: Annotated[bool, typer.Option("--ira", help="Box 7 IRA/SEP/SIMPLE is checked.")] = False,
    to: Annotated[Optional[To], typer.Option("--to", help="Where all of the money went.")] = None,
    within_60_days: Annotated[bool, typer.Option("--within-60-days", help="An indirect (60-day) rollover.")] = False,
    year: Annotated[Optional[int], typer.Option("--year", help="Tax year (default: latest verified year).")] = None,
    fmt: FormatOpt = OutputFormat.md,
    json_: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """One form without writing a case file, e.g. --box-1 10200 --box-2a 200 --box-5 10000 --code G --to roth_ira."""
    with _guard(debug):
        form: dict = {"id": "quick", "box_1": box_1, "box_7": code, "box_7_ira_sep_simple": ira,
                      "box_2b_taxable_not_determined": not_determined}
        for key, value in (("box_2a", box_2a), ("box_4", box_4), ("box_5", box_5)):
            if value is not None:
                form[key] = value
        if to is not None:
            form["disposition"] = [{"to": to.value, "amount": box_1, "within_60_days": within_60_days}]
        loaded = api.case_from_dict({"tax_year": year or api.default_year(), "forms_1099r": [form]},
                                    label="<command line>")
        if loaded.errors:
            raise loaded.errors[0]
        _report(loaded, OutputFormat.json if json_ else fmt, None, False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the case file."""
    typer.echo(json.dumps(api.case_schema(), indent=2))


@app.command()
def rules(year: Annotated[Optional[int], typer.Option("--year", help="Resolve citations for this tax year.")] = None,
          debug: DebugOpt = False) -> None:
    """Every rule and finding megaroth applies, with its citations."""
    with _guard(debug):
        for entry in api.rules_catalog(year):
            severity = f" ({entry['severity']})" if entry["severity"] else ""
            typer.echo(f"{entry['kind']} {entry['id']}{severity}: {entry['title']}")
            for cite in entry["cites"]:
                typer.echo(f"    - {cite}")


@app.command()
def years() -> None:
    """Supported tax years, their Form 1040 lines and whether the layout was verified."""
    for year in api.years_summary():
        codes = "verified" if year["codes_verified"] else f"from {year['codes_from_year']}"
        layout = "verified" if year["layout_verified"] else "NOT verified"
        typer.echo(
            f"{year['tax_year']}: pensions {'/'.join(year['pension_lines'])}, IRAs {'/'.join(year['ira_lines'])}, "
            f"withholding {year['withholding_line']}; rollover: {year['rollover_marker']} "
            f"(layout {layout}; codes table {codes})")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"megaroth {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """megaroth: Form 1099-R → Form 1040 for after-tax contributions converted to Roth."""


def main() -> None:
    app()
