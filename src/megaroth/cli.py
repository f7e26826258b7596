"""The `megaroth` command: parse arguments, call the API, print, exit. No tax logic here.

stdout carries results only (a worksheet, or exactly one JSON document); findings summaries,
progress and errors go to stderr. Exit codes: see `ExitCode` and the README.

No `from __future__ import annotations` here: typer would evaluate every annotation string on
each start, a third of `megaroth --help`.
"""

import json
import sys
from decimal import Decimal
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from megaroth import __version__
from megaroth.errors import CatalogError, ExitCode, InputError, UsageError
from megaroth.cli_limits import (
    DEFAULT_LIMITS,
    METAVARS as LIMIT_METAVARS,
    MaxContentOpt,
    MaxImagePixelsOpt,
    MaxPagesOpt,
    limits as _limits,
)


class _Api:
    """megaroth.api, imported when a command first uses it: `--help` and `--version` never pay for
    the models, the rules and the templates."""

    def __getattr__(self, name: str):
        from megaroth import api as module

        return getattr(module, name)


api = _Api()

EXIT_CODES_HELP = (
    "Exit codes: 0 fine (warnings allowed); 1 input could not be read or validated; 2 usage error; "
    "3 incomplete (a form out of scope or not computed, or a fact the tax depends on not given); 4 error-level "
    "findings; 70 internal error."
)

# What each option's value is, in words ("YEAR", "AMOUNT", "FILE"), instead of typer's Python type names
# ("<int>", "<str>"). Set once on the whole command tree when it starts (MetavarGroup), so a new option
# gets a plain name without anyone remembering to give it one; tests/cli checks every help page.
METAVARS = {
    "year": "YEAR", "taxpayer": "ID", "ledger": "FILE", "output": "FILE", "save_case": "FILE", "out_dir": "DIR",
    **LIMIT_METAVARS, "port": "PORT", "birth_date": "YYYY-MM-DD",
    "sources": "SOURCE", "case": "CASE", "to": "DEST[=AMOUNT]", "software": "FILE", "code": "CODE",
    "form": "FORM-ID", "line": "NAME=AMOUNT", "what": "WHAT", "cap_percent": "PERCENT", "batch": "DIR",
}


def _no_type(ctx) -> str:
    return ""


def _plain_metavars(command) -> None:
    for param in command.params:
        if param.param_type_name == "argument":
            param.display_type_rich = _no_type  # the metavar says it; typer would add "<list[str]>"
        if getattr(param, "is_flag", False) or param.metavar is not None:
            continue
        descriptor = getattr(param, "type_descriptor", None)
        choices = getattr(descriptor, "choices", None)
        if choices and param.param_type_name == "argument":
            param.metavar = param.name.upper()  # errors then say "Invalid value for 'SHELL'"; the help lists them
        elif choices:
            param.metavar = "|".join(getattr(c, "value", str(c)) for c in choices)
        elif param.name in METAVARS:
            param.metavar = METAVARS[param.name]
        elif getattr(descriptor, "annotation", None) is int:
            param.metavar = "N"
        else:
            # Every other option takes money (box_1, line_5a, compensation…): amounts are read as text.
            param.metavar = "AMOUNT"
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


COMPLETE_VAR = "_MEGAROTH_COMPLETE"


class MetavarGroup(typer.core.TyperGroup):
    def main(self, *args, **kwargs):
        _plain_metavars(self)
        if COMPLETE_VAR in __import__("os").environ:
            # The shell asks for completions (the script `megaroth completion SHELL` prints): typer's
            # completion classes are registered only on demand, so start-up never pays for them.
            from typer.completion import completion_init

            completion_init()
        return super().main(*args, **kwargs)


app = typer.Typer(
    name="megaroth",
    cls=MetavarGroup,
    help="Form 1099-R to Form 1040 entries for the mega backdoor Roth, checked and explained. " + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _choices(name: str, *values: str, doc: str = "") -> type[Enum]:
    """A str Enum of option values, each member named as its value (typer shows them as choices)."""
    choices = Enum(name, [(v, v) for v in values], type=str, module=__name__)
    choices.__doc__ = doc
    return choices


OutputFormat = _choices("OutputFormat", "md", "html", "json")
ReportFormat = _choices("ReportFormat", "md", "html", "json", "pdf",
                        doc="The formats of report, compare and yearend: those of OutputFormat, and a PDF.")
TableFormat = _choices("TableFormat", "table", "csv", "json",
                       doc="The listing commands' formats (check, ledger show, summary): the same meaning everywhere.")
RoomFormat = _choices("RoomFormat", "md", "table", "csv", "json",
                      doc="`room`: its worksheet (md, the default) or the listing formats.")
Product = _choices("Product", "turbotax", "hrblock", "freetaxusa", "drake", "ultratax", "all",
                   doc="Tax products with an entry guide (forms/entry_guides.toml).")
InputFormat = _choices("InputFormat", "pdf", "csv", "json")
To = _choices("To", "designated_roth_same_plan", "roth_ira", "traditional_ira", "employer_plan",
              "designated_roth_other_plan", "kept")
SchemaName = _choices("SchemaName", "case", "summary")
Shell = _choices("Shell", "bash", "zsh", "fish", "powershell")


CaseArg = Annotated[str, typer.Argument(help="Case file (JSON), or - to read it from stdin.", show_default=False)]
SourcesArg = Annotated[list[str], typer.Argument(
    help="A case file, or 1099-R sources: PDFs (IRS fillable, custodian statements, FDX-embedded), a CSV batch, "
         "FDX JSON; - reads stdin.", show_default=False)]
YearOpt = Annotated[Optional[int], typer.Option("--year", help="Tax year, when the sources do not print it.")]
InputFormatOpt = Annotated[Optional[InputFormat], typer.Option(
    "--input-format", help="Read the input as this format instead of sniffing it.")]
OutDirOpt = Annotated[Optional[Path], typer.Option(
    "--out-dir", help="Batch: one worksheet per taxpayer here, with summary.csv, summary.json, rejected.csv.")]
FormatOpt = Annotated[Optional[OutputFormat], typer.Option(
    "--format", "-f", help="Output format: md, html or json (default: from the -o file name, else md).",
    show_default=False)]
ReportFormatOpt = Annotated[Optional[ReportFormat], typer.Option(
    "--format", "-f", help="Output format: md, html, json or pdf (pdf needs -o FILE.pdf; default: from the -o file "
                           "name, else md).", show_default=False)]
ToOpt = Annotated[Optional[list[str]], typer.Option(
    "--to", help="For a single form: where its money went, DEST or DEST=AMOUNT, repeated (roth_ira, "
                 "traditional_ira, designated_roth_same_plan, employer_plan, designated_roth_other_plan, kept); "
                 "one DEST without an amount takes the rest of box 1.", show_default=False)]
FactOpt = Annotated[Optional[list[str]], typer.Option(
    "--fact", help="A fact the forms cannot carry, NAME=VALUE, repeated: ira_nondeductible_contributions (Form 8606 "
                   "line 1), ira_basis (line 2), ira_year_end_value (line 6), birth_date… and spouse_… for the "
                   "spouse; `megaroth facts` lists them all. ? as VALUE is not allowed: leave it out.",
    show_default=False)]
NoInputOpt = Annotated[bool, typer.Option(
    "--no-input", help="Never ask questions, even on a terminal (a rollover whose destination is not given "
                       "is then reported as asking for it).")]
AskOpt = Annotated[bool, typer.Option(
    "--ask", help="Ask the questions even when not on a terminal (answers read from standard input).")]
SaveCaseOpt = Annotated[Optional[Path], typer.Option(
    "--save-case", help="Where to write the case file with your answers (default: CASE-answered.json in "
                        "this folder).")]
TableFormatOpt = Annotated[Optional[TableFormat], typer.Option(
    "--format", "-f", help="table (aligned text, the default), csv (one row per line, plain amounts) or json (one "
                           "JSON document).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (same as --format json).")]
OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to this file (atomically); its extension (.md, .html, .json) sets the format.")]
RevealOpt = Annotated[bool, typer.Option("--reveal-tins", help="Show full TINs (masked by default).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
TaxpayerOpt = Annotated[Optional[str], typer.Option(
    "--taxpayer", help="The taxpayer's id (a client number) when the sources do not carry it: all the sources "
                       "are this one person's.", show_default=False)]
SamePersonOpt = Annotated[bool, typer.Option(
    "--same-person", help="The ledger's taxpayer under this id is this case's person, though the name or birth "
                          "date differ (the ledger then takes the case's).")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _guard(debug: bool) -> Iterator[None]:
    """Bad input → message and exit 1; a usage error → exit 2; a bug → exit 70 with a short note
    (traceback with --debug)."""
    try:
        yield
    except InputError as exc:
        _err(f"megaroth: error: {exc}")
        raise typer.Exit(ExitCode.INPUT) from None
    except UsageError as exc:
        _err(f"megaroth: usage error: {exc.message}")
        raise typer.Exit(ExitCode.USAGE) from None
    except (typer.Exit, typer.BadParameter):
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


def _emit_bytes(data: bytes, output: Path) -> None:
    from megaroth.outputs import write_atomic_bytes

    write_atomic_bytes(output, data)
    _err(f"megaroth: wrote {output}")


def _format(fmt: OutputFormat | ReportFormat | None, json_: bool, output: Path | None, *,
            pdf: bool = False) -> OutputFormat | ReportFormat:
    """The output format from --format, --json and the -o file name; checks -o before any work.
    `pdf`: the command writes a PDF worksheet too (then only to a file)."""
    from megaroth.outputs import check_output, output_format

    if json_ and fmt is not None and fmt.value != OutputFormat.json.value:
        raise UsageError(f"--json and --format {fmt.value} contradict each other")
    if output is not None:
        check_output(output)
    requested = OutputFormat.json.value if json_ else (fmt.value if fmt is not None else None)
    value = output_format(output, requested)
    if value == ReportFormat.pdf.value:
        if not pdf:
            raise UsageError("a PDF is written by report, compare and yearend; use md, html or json here")
        if output is None:
            raise UsageError("--format pdf writes a file: give -o FILE.pdf")
        return ReportFormat.pdf
    return OutputFormat(value)


REJECTED_SHOWN = 20
"""Rejected records listed on the terminal; the worksheet (or rejected.csv) lists them all."""


def _rejected(errors) -> None:
    for error in errors[:REJECTED_SHOWN]:
        where = ": ".join(x for x in (error.file, error.record, error.field) if x)
        _err(f"megaroth: rejected: {where}: {error.message}")
    if len(errors) > REJECTED_SHOWN:
        _err(f"megaroth: … and {len(errors) - REJECTED_SHOWN} more (see the worksheet)")


def _summary(analysis, code: ExitCode, *, rejected: bool = True) -> None:
    if rejected:
        _rejected(analysis.errors)
    counts = {s: sum(1 for f in analysis.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    status = "complete" if analysis.complete else "INCOMPLETE"
    _err(f"megaroth: tax year {analysis.tax_year}: {len(analysis.forms)} form(s), {status}; "
         f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s); exit {int(code)}")


def _report(loaded, fmt: OutputFormat, output: Path | None, reveal_tins: bool, software: str | None = None,
            limits=None, guide: list[str] | None = None) -> None:
    from megaroth.render import render

    if software is None:
        analysis = api.analyze_with_ledger(loaded)
        comparison = None
        code = api.exit_code(analysis)
    else:
        figures = api.load_software(software, None, loaded.case.tax_year, limits=limits, case_source=loaded.source)
        analysis, comparison = api.compare(loaded, figures)
        code = api.report_exit_code(analysis, comparison)
    guides = api.entry_guides(loaded, analysis, [g.value for g in guide]) if guide else None
    if fmt.value == ReportFormat.pdf.value:
        from megaroth.outputs import write_atomic_bytes
        from megaroth.render import render_worksheet_pdf

        write_atomic_bytes(output, render_worksheet_pdf(analysis, loaded.case, reveal_tins=reveal_tins,
                                                        comparison=comparison, guides=guides))
        _err(f"megaroth: wrote {output}")
    else:
        _emit(render(analysis, loaded.case, fmt.value, reveal_tins=reveal_tins, comparison=comparison,
                     guides=guides), output)
    _summary(analysis, code)
    if comparison is not None:
        _compare_summary(comparison)
    raise typer.Exit(code)


def _compare_summary(comparison) -> None:
    differs = [i.line for i in comparison.items if i.status == "differs"]
    if comparison.agree:
        _err(f"megaroth: the software agrees on the {sum(1 for i in comparison.items if i.status != 'not_given')} "
             "figure(s) compared")
    else:
        _err(f"megaroth: the software differs on {', '.join(differs)}; "
             f"{len(comparison.diagnoses)} likely cause(s) explained")


class _Progress:
    """A progress bar on stderr for long batches, only when stderr is a terminal: the count, the
    total when the sources announce it (a CSV does), and the time left at the pace so far."""

    INTERVAL_NS = 100_000_000  # redraw at most ten times a second
    WIDTH = 24

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic_ns
        self.start = self.clock()
        self.last = 0
        self.active = sys.stderr.isatty()
        self.count = 0
        self.total: int | None = None

    def line(self) -> str:
        if not self.total:
            return f"megaroth: {self.count} taxpayer(s) reported"
        bar = "#" * (min(self.count, self.total) * self.WIDTH // self.total)
        elapsed_ns = self.clock() - self.start
        left = elapsed_ns * (self.total - self.count) // self.count // 1_000_000_000 if self.count else 0
        return (f"megaroth: [{bar:<{self.WIDTH}}] {self.count}/{self.total} taxpayers, "
                f"about {left} s left")

    def __call__(self, count: int, total: int | None = None) -> None:
        self.count, self.total = count, total or self.total
        now = self.clock()
        if self.active and now - self.last > self.INTERVAL_NS:
            self.last = now
            sys.stderr.write("\r" + self.line() + "\x1b[K")
            sys.stderr.flush()

    def close(self) -> None:
        if self.active and self.count:
            sys.stderr.write("\r" + self.line().split(", about")[0] + "\x1b[K\n")


def _batch(sources: list[str], out_dir: Path, fmt: OutputFormat, input_format, year, reveal_tins, limits,
           worksheets: bool = True, jobs: int | None = None) -> None:
    progress = _Progress()
    try:
        summary = api.batch_report(sources, out_dir, fmt=fmt.value, input_format=input_format.value
                                   if input_format else None, year=year, reveal_tins=reveal_tins, progress=progress,
                                   limits=limits, worksheets=worksheets, jobs=jobs)
    finally:
        progress.close()
    for note in summary.notes:
        _err(f"megaroth: note: {note}")
    for error in summary.first_rejected:
        _err(f"megaroth: rejected: {error}")
    if summary.records_rejected + summary.files_rejected > len(summary.first_rejected):
        _err("megaroth: … see rejected.csv for every rejected record")
    _err(f"megaroth: {summary.taxpayers} taxpayer(s), {summary.records_in} record(s) read: "
         f"{summary.records_reported} reported, {summary.records_rejected} rejected"
         + (f", {summary.files_rejected} file(s) unreadable" if summary.files_rejected else "")
         + (f", {summary.incomplete} INCOMPLETE (summary.csv's missing_facts names the columns to add)"
            if summary.incomplete else "")
         + f"; see {out_dir}/summary.csv and rejected.csv; exit {int(summary.exit_code)}")
    raise typer.Exit(summary.exit_code)


@app.command()
def report(
    sources: SourcesArg,
    fmt: ReportFormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    out_dir: OutDirOpt = None,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    reveal_tins: RevealOpt = False,
    software: Annotated[Optional[str], typer.Option(
        "--software", help="Add a section comparing with your tax software's figures: its Form 1040 PDF, or a "
                           "JSON/CSV file of figures (see `megaroth compare`).")] = None,
    guide: Annotated[Optional[list[Product]], typer.Option(
        "--guide", help="Add what to type into this tax product (repeat, or all): turbotax, hrblock, freetaxusa, "
                        "drake, ultratax; each step cites the vendor's page or says it is second-hand.",
        show_default=False)] = None,
    summary_only: Annotated[bool, typer.Option(
        "--summary-only", help="With --out-dir: write summary.csv, summary.json and rejected.csv only, no "
                               "worksheet per taxpayer.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", min=1, help="With --out-dir: worker processes analysing the taxpayers (default: one per core; "
                              "1 analyses them all in this process). The outputs are the same for any number.",
        show_default=False)] = None,
    to: ToOpt = None,
    fact: FactOpt = None,
    no_input: NoInputOpt = False,
    ask: AskOpt = False,
    save_case: SaveCaseOpt = None,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """Worksheet: Form 1040 lines 4a/4b, 5a/5b, 25b, rollover marker, Form 8606 verdict, each number traced.

    On a terminal, when a form does not say where the money went (or whose it is on a joint return),
    megaroth asks, and writes the answers into a case file you can keep and run again."""
    with _guard(debug):
        limits = _limits(max_pages, max_content_mb, max_image_pixels)
        if out_dir is not None:
            for option, value in (("--software", software), ("-o", output), ("--taxpayer", taxpayer)):
                if value is not None:
                    raise UsageError(f"{option} is for one taxpayer's report; it cannot go with --out-dir")
            from megaroth.outputs import check_out_dir

            check_out_dir(out_dir)
            if fmt is ReportFormat.pdf:
                raise UsageError("--format pdf writes one worksheet (-o FILE.pdf); it cannot go with --out-dir")
            _batch(sources, out_dir, _format(fmt, json_, None), input_format, year, reveal_tins, limits,
                   worksheets=not summary_only, jobs=jobs)
        if summary_only:
            raise UsageError("--summary-only goes with --out-dir (a batch's summaries)")
        if jobs is not None:
            raise UsageError("--jobs goes with --out-dir (a batch's worker processes)")
        fmt = _format(fmt, json_, output, pdf=True)
        loaded = _load_one(sources, ask, no_input, input_format=input_format.value if input_format else None, year=year,
                                taxpayer_id=taxpayer, limits=limits)
        loaded = _answers(loaded, sources, to, ask, no_input, save_case, reveal_tins, fact)
        _report(loaded, fmt, output, reveal_tins, software, limits, guide)


def _answers(loaded, sources: list[str], to: list[str] | None, ask: bool, no_input: bool,
             save_case: Optional[Path], reveal_tins: bool, facts: list[str] | None = None):
    """--to for a single form and --fact for a person, then the questions still open when a
    terminal is attached (or --ask)."""
    if to:
        loaded = api.with_destinations(loaded, to)
    if facts:
        loaded = api.with_facts(loaded, facts)
    if _interactive(sources, ask, no_input):
        loaded = _interview(loaded, sources, save_case, reveal_tins)
    return loaded


def _interactive(sources: list[str], ask: bool, no_input: bool) -> bool:
    return (ask or (sys.stdin.isatty() and sys.stderr.isatty())) and not no_input and "-" not in sources


def _load_one(sources: list[str], ask: bool, no_input: bool, **options):
    """One return's case from the sources. When they name several people and megaroth may ask, it
    asks whether they are one person (a plan prints the TIN in full, a custodian masks it); only a
    yes puts their forms on one return — never merged without asking."""
    from megaroth.errors import SeveralPeople

    try:
        return api.load_single(sources, **options)
    except SeveralPeople as exc:
        if not _interactive(sources, ask, no_input) or options.get("taxpayer_id"):
            raise
        _err(f"\nThe forms name {len(exc.people)} people:")
        for number, person in enumerate(exc.people, 1):
            _err(f"  {number}. {person}")
        _err("  Whose is each? One word per person, in order: me or spouse (e.g. `me me` when they are all you,\n"
             "  `me spouse` for a joint return); or no to stop.")
        try:
            while True:
                words = _read("Answer: ").lower().replace(",", " ").split()
                if words == ["no"]:
                    raise InputError(exc.message + ". They were not put together: report each with --out-dir",
                                     exc.source)
                if len(words) == len(exc.people) and set(words) <= {"me", "spouse"} and "me" in words:
                    break
                _err(f"  Give {len(exc.people)} words, each me or spouse (at least one me), or no.")
        except _Stopped as stop:
            _err(f"megaroth: {stop.message} at a question; nothing was saved.")
            raise typer.Exit(stop.code) from None
        if "spouse" in words:
            return api.joint_case(exc.cases, ["taxpayer" if w == "me" else "spouse" for w in words])
        return api.load_single(sources, one_person=True, **options)


class _Stopped(Exception):
    """The person stopped answering: Ctrl-C (130) or the end of the input (Ctrl-D, or --ask's
    answers ran out: a usage exit)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _read(prompt: str) -> str:
    """One answer line. The prompt goes to stderr and nothing to stdout, so a worksheet written to
    stdout starts with its own first character (click's prompt writes a space there)."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        raise _Stopped(130, "interrupted") from None
    if not line:
        raise _Stopped(int(ExitCode.USAGE), "no answer (end of input)")
    return line.strip()


def _ask(question) -> object:
    """One question on the terminal (stderr), its answer as the interview takes it."""
    if question.kind == "fact":
        _err(f"\n{question.form_label}: {question.prompt}")
        _err(f"  Where to find it: {question.where}")
        if question.at_stake:
            _err(f"  At stake: up to ${Decimal(question.at_stake):,.2f}. Answer ? if you do not know.")
        else:
            _err("  Answer ? if you do not know.")
        return _read("Answer: ")
    _err(f"\nForm {question.form_label or question.form_id}: {question.prompt}")
    if question.kind == "allocation":
        for choice in question.choices:
            _err(f"  {choice.value:28} {choice.label}")
        text = _read("Destination, or several as DEST=AMOUNT, DEST=AMOUNT: ")
        if "=" not in text:
            return text.strip()
        pairs = [p.split("=", 1) for p in text.replace(";", ",").split(",") if p.strip()]
        return {k.strip(): v.strip() for k, v in pairs}
    width = max([8] + [len(c.value) for c in question.choices])
    for choice in question.choices:
        _err(f"  {choice.value:{width}} {choice.label}")
    return _read("Answer: ")


def _interview(loaded, sources: list[str], save_case: Optional[Path], reveal_tins: bool):
    """Ask what is open, one question at a time; each answer may open the next (a 60-day date, the
    facts a conversion needs). A wrong answer on a terminal is asked again; from --ask's input it
    stops, named. "?" (I don't know) leaves the fact out: the result says it is incomplete."""
    declined: set[str] = set()
    answers: dict = {}
    asked: set[str] = set()
    retry = sys.stdin.isatty()
    try:
        while True:
            pending = [q for q in api.needed_questions(api.answered(loaded, answers), declined)
                       if q.id not in asked]
            if not pending:
                break
            question = pending[0]
            while True:
                answer = _ask(question)
                try:
                    api.answered(loaded, {**answers, question.id: answer})
                except InputError as exc:
                    if not retry:
                        raise
                    _err(f"  {exc.message} — try again.")
                    continue
                break
            asked.add(question.id)
            if question.kind == "fact" and api.is_unknown_answer(answer):
                declined.add(question.id)
                _err("  Left out: the result will say it is incomplete and what is at stake.")
            else:
                answers[question.id] = answer
    except KeyboardInterrupt:
        _err("megaroth: interrupted; the answers so far were not saved.")
        raise typer.Exit(130) from None
    except _Stopped as stop:
        _err(f"megaroth: {stop.message} at a question; the answers so far were not saved. Run again to answer, "
             "or use --no-input to report without answers.")
        raise typer.Exit(stop.code) from None
    if not answers:
        return loaded
    loaded = api.answered(loaded, answers)
    from megaroth.outputs import write_atomic

    target = save_case or Path(f"{Path(sources[0]).stem}-answered.json")
    write_atomic(target, api.case_file(loaded, reveal_tins=reveal_tins))
    _err(f"megaroth: your answers are in {target}; run `megaroth report {target}` next time")
    return loaded


@app.command()
def guide(
    sources: SourcesArg,
    product: Annotated[Optional[list[Product]], typer.Option(
        "--product", "-p", help="Only this product (repeat for several; default all five).", show_default=False)] = None,
    fmt: FormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    to: ToOpt = None,
    fact: FactOpt = None,
    no_input: NoInputOpt = False,
    ask: AskOpt = False,
    save_case: SaveCaseOpt = None,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """Entry guide: what to type into TurboTax, H&R Block, FreeTaxUSA, Drake or UltraTax for this result."""
    with _guard(debug):
        fmt = _format(fmt, json_, output)
        loaded = _load_one(sources, ask, no_input, input_format=input_format.value if input_format else None, year=year,
                                taxpayer_id=taxpayer, limits=_limits(max_pages, max_content_mb, max_image_pixels))
        loaded = _answers(loaded, sources, to, ask, no_input, save_case, False, fact)
        analysis = api.analyze_with_ledger(loaded)
        from megaroth.render import render_guide

        guides = api.entry_guides(loaded, analysis, [p.value for p in product] if product else None)
        _emit(render_guide(guides, fmt.value), output)
        code = api.exit_code(analysis)
        _summary(analysis, code)
        raise typer.Exit(code)


@app.command()
def check(sources: SourcesArg, fmt: TableFormatOpt = None, json_: JsonOpt = False, year: YearOpt = None,
          input_format: InputFormatOpt = None, taxpayer: TaxpayerOpt = None,
          max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
          max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
          max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels, debug: DebugOpt = False) -> None:
    """Findings only: box arithmetic, distribution codes, wrong-form patterns, dispositions."""
    with _guard(debug):
        kind = _table_format(fmt, json_)
        loaded = api.load_single(sources, input_format=input_format.value if input_format else None, year=year,
                                 taxpayer_id=taxpayer, limits=_limits(max_pages, max_content_mb, max_image_pixels))
        analysis = api.analyze_with_ledger(loaded)
        code = api.exit_code(analysis)
        if kind == "json":
            document = {
                "schema_version": 1,
                "tax_year": analysis.tax_year,
                "complete": analysis.complete,
                "findings": [f.model_dump(mode="json") for f in analysis.findings],
                "errors": [e.model_dump(mode="json") for e in analysis.errors],
            }
            typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            from megaroth.render import render_listing

            _emit(render_listing("findings", analysis, kind), None)
        _summary(analysis, code, rejected=kind != "table")  # the table above already shows them
        raise typer.Exit(code)


def _table_format(fmt: TableFormat | RoomFormat | None, json_: bool, default: str = "table") -> str:
    if json_ and fmt is not None and fmt.value != "json":
        raise UsageError(f"--json and --format {fmt.value} contradict each other")
    return "json" if json_ else (fmt.value if fmt is not None else default)


@app.command()
def compare(
    sources: SourcesArg,
    software: Annotated[Optional[str], typer.Option(
        "--software", "-s", help="Your tax software's figures: the Form 1040 PDF it produced (fillable or printed), "
                                 "or a JSON or CSV file of figures.")] = None,
    line_4a: Annotated[Optional[str], typer.Option(
        "--line-4a", help="Software's Form 1040 line 4a.", show_default=False)] = None,
    line_4b: Annotated[Optional[str], typer.Option(
        "--line-4b", help="Software's line 4b.", show_default=False)] = None,
    line_5a: Annotated[Optional[str], typer.Option(
        "--line-5a", help="Software's line 5a (2020 on).", show_default=False)] = None,
    line_5b: Annotated[Optional[str], typer.Option(
        "--line-5b", help="Software's line 5b (2020 on).", show_default=False)] = None,
    line_25b: Annotated[Optional[str], typer.Option(
        "--line-25b", help="Software's line 25b (2020 on).", show_default=False)] = None,
    line: Annotated[Optional[list[str]], typer.Option(
        "--line", help="Any other figure as NAME=AMOUNT, e.g. 4d=200 for 2019's pensions line.")] = None,
    rollover: Annotated[Optional[bool], typer.Option(
        "--rollover/--no-rollover", help="Whether the software marked the pension rollover (\"Rollover\" by "
                                         "line 5b through 2024; line 5c box 1 from 2025).", show_default=False)] = None,
    ira_rollover: Annotated[Optional[bool], typer.Option(
        "--ira-rollover/--no-ira-rollover", help="Whether it marked an IRA rollover (line 4b/4c).",
        show_default=False)] = None,
    form_8606_line_16: Annotated[Optional[str], typer.Option(
        "--form-8606-line-16", help="Software's Form 8606 line 16.", show_default=False)] = None,
    form_8606_line_17: Annotated[Optional[str], typer.Option(
        "--form-8606-line-17", help="Software's Form 8606 line 17.", show_default=False)] = None,
    form_8606_line_18: Annotated[Optional[str], typer.Option(
        "--form-8606-line-18", help="Software's Form 8606 line 18.", show_default=False)] = None,
    roth_ira_contributions: Annotated[Optional[str], typer.Option(
        "--roth-ira-contributions", help="Roth IRA contributions the software recorded for the year.", show_default=False)] = None,
    schedule_2_additional_tax: Annotated[Optional[str], typer.Option(
        "--schedule-2-additional-tax", help="Software's Schedule 2 additional tax on IRAs and plans (line 8; line 6 "
                                       "in 2019-2020).", show_default=False)] = None,
    worksheet: Annotated[bool, typer.Option("--worksheet", help="Print the whole worksheet with the comparison as a "
                                                                "section.")] = False,
    cents: Annotated[bool, typer.Option("--cents", help="Compare in dollars and cents (default: megaroth's lines "
                                                        "rounded to whole dollars, half up, as software files "
                                                        "them).")] = False,
    fmt: ReportFormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    reveal_tins: RevealOpt = False,
    to: ToOpt = None,
    fact: FactOpt = None,
    no_input: NoInputOpt = False,
    ask: AskOpt = False,
    save_case: SaveCaseOpt = None,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """Compare your tax software's return with megaroth's lines: side by side, and why they differ.

    Exit 0 when they agree, 4 when the software differs (1 or 3 when the 1099-Rs themselves could
    not all be read or computed).
    """
    with _guard(debug):
        fmt = _format(fmt, json_, output, pdf=True)
        limits = _limits(max_pages, max_content_mb, max_image_pixels)
        options = {
            "--line-4a": line_4a, "--line-4b": line_4b, "--line-5a": line_5a, "--line-5b": line_5b,
            "--line-25b": line_25b, "--rollover": rollover, "--ira-rollover": ira_rollover,
            "--form-8606-line-16": form_8606_line_16, "--form-8606-line-17": form_8606_line_17,
            "--form-8606-line-18": form_8606_line_18, "--roth-ira-contributions": roth_ira_contributions,
            "--schedule-2-additional-tax": schedule_2_additional_tax,
        }
        for entry in line or []:
            name, sep, value = entry.partition("=")
            if not sep or not name.strip():
                raise UsageError(f"--line {entry!r}: expected NAME=AMOUNT, e.g. 5b=200")
            options[f"--line {name.strip()}"] = value
        if software is None and all(v is None for v in options.values()):
            raise UsageError("give the software's figures: --software FILE, or options such as --line-5a and --line-5b")
        loaded = _load_one(sources, ask, no_input, input_format=input_format.value if input_format else None, year=year,
                                taxpayer_id=taxpayer, limits=limits)
        loaded = _answers(loaded, sources, to, ask, no_input, save_case, reveal_tins, fact)
        figures = api.load_software(software, options, loaded.case.tax_year, limits=limits,
                                    case_source=loaded.source, year_option=year is not None)
        analysis, comparison = api.compare(loaded, figures, cents=cents)
        code = api.compare_exit_code(analysis, comparison)
        from megaroth.render import render, render_compare

        if fmt.value == ReportFormat.pdf.value:
            from megaroth.render import render_compare_pdf, render_worksheet_pdf

            data = (render_worksheet_pdf(analysis, loaded.case, reveal_tins=reveal_tins, comparison=comparison)
                    if worksheet else render_compare_pdf(comparison, analysis, loaded.case, reveal_tins=reveal_tins))
            _emit_bytes(data, output)
        elif worksheet:
            _emit(render(analysis, loaded.case, fmt.value, reveal_tins=reveal_tins, comparison=comparison), output)
        else:
            _emit(render_compare(comparison, analysis, loaded.case, fmt.value, reveal_tins=reveal_tins), output)
        _compare_summary(comparison)
        raise typer.Exit(code)


@app.command()
def fill(
    sources: SourcesArg,
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", help="Folder for the filled forms (f1040-<year>.pdf, f1040s2-<year>.pdf, f5329-<year>.pdf, "
                          "f8606-<year>.pdf); "
                          "created when missing.")],
    cents: Annotated[bool, typer.Option(
        "--cents", help="Write every amount in dollars and cents (default: whole dollars, rounded half up, as the "
                        "forms are filed; Form 8606's lines follow the form's arithmetic on the rounded "
                        "lines).")] = False,
    whole_dollars: Annotated[bool, typer.Option(
        "--whole-dollars", hidden=True, help="Whole dollars: the default now (kept so that scripts work).")] = False,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    to: ToOpt = None,
    fact: FactOpt = None,
    no_input: NoInputOpt = False,
    ask: AskOpt = False,
    save_case: SaveCaseOpt = None,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """The IRS's own blank PDFs of the year filled: Form 1040 with the retirement lines only (a partial form for
    reference), Schedule 2's additional tax, Form 5329 Parts I, III and IV (2025) and each person's Form 8606 (2021-2023, 2025: every
    line of Parts I-III megaroth computes) where they apply."""
    with _guard(debug):
        from megaroth.outputs import prepare_out_dir, write_atomic_bytes

        if cents and whole_dollars:
            raise UsageError("--cents and --whole-dollars contradict each other (whole dollars is the default)")

        loaded = _load_one(sources, ask, no_input, input_format=input_format.value if input_format else None, year=year,
                                taxpayer_id=taxpayer, limits=_limits(max_pages, max_content_mb, max_image_pixels))
        loaded = _answers(loaded, sources, to, ask, no_input, save_case, False, fact)
        analysis, filled = api.fill_irs_forms(loaded, whole_dollars=not cents)
        prepare_out_dir(out_dir)
        for form in filled.forms:
            write_atomic_bytes(out_dir / form.name, form.data)
            _err(f"megaroth: wrote {out_dir / form.name} ({form.form}, from {form.source})")
        for note in filled.notes:
            _err(f"megaroth: {note}")
        code = api.exit_code(analysis)
        _summary(analysis, code)
        raise typer.Exit(code)


@app.command()
def letter(
    sources: SourcesArg,
    fmt: FormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    form: Annotated[Optional[list[str]], typer.Option(
        "--form", help="Only this form's request (a form id; repeat for several).", show_default=False)] = None,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    reveal_tins: RevealOpt = False,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """Request for corrected forms: for each 1099-R or 5498 the checks found wrong, what it says, what it should
    say and why, and what to do if its issuer does not correct it."""
    with _guard(debug):
        from megaroth.render import render_letter

        fmt = _format(fmt, json_, output)
        loaded = api.load_single(sources, input_format=input_format.value if input_format else None, year=year,
                                 taxpayer_id=taxpayer, limits=_limits(max_pages, max_content_mb, max_image_pixels))
        analysis, document = api.letter(loaded, reveal_tins=reveal_tins, form_ids=form)
        _emit(render_letter(document, fmt.value), output)
        _rejected(analysis.errors)
        _err(f"megaroth: {len(document.requests)} form(s) to correct"
             + (": " + ", ".join(r.form_id for r in document.requests) if document.requests else ""))
        raise typer.Exit(ExitCode.INPUT if analysis.errors else ExitCode.OK)


@app.command()
def init(
    output: Annotated[Path, typer.Option("--output", "-o", help="The case file to write.")] = Path("case.json"),
    year: YearOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Write a commented starter case file (one sample in-plan Roth rollover) to fill in."""
    with _guard(debug):
        from megaroth.outputs import check_output, write_atomic

        check_output(output)
        if output.exists() and not force:
            raise UsageError(f"{output} exists; pass --force to overwrite it")
        write_atomic(output, api.starter_case(year))
        _err(f"megaroth: wrote {output}; fill in your forms, then: megaroth report {output}")


@app.command(name="import")
def import_(
    sources: SourcesArg,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the case file (JSON, whatever the extension) to this file, atomically; "
                               "default: standard output.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Write one case file per taxpayer here.")] = None,
    year: YearOpt = None,
    input_format: InputFormatOpt = None,
    taxpayer: TaxpayerOpt = None,
    reveal_tins: RevealOpt = False,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """Read 1099-Rs into case files (forms with empty dispositions to fill in)."""
    with _guard(debug):
        from megaroth.outputs import check_out_dir, check_output

        if output is not None and out_dir is not None:
            raise UsageError("-o writes one case file, --out-dir one per taxpayer: give one of them")
        if output is not None:
            check_output(output)
        if out_dir is not None:
            check_out_dir(out_dir)
        options = dict(input_format=input_format.value if input_format else None, year=year, reveal_tins=reveal_tins,
                       taxpayer_id=taxpayer, limits=_limits(max_pages, max_content_mb, max_image_pixels))
        if out_dir is not None:
            _import_to_dir(sources, out_dir, options)
        documents, tally = api.import_sources(sources, **options)
        for note in api.compact_notes(tally.notes):
            _err(f"megaroth: note: {note}")
        for error in tally.rejected:
            _err(f"megaroth: rejected: {error}")
        if not documents:
            _err("megaroth: error: no Form 1099-R could be imported")
            raise typer.Exit(ExitCode.INPUT)
        if len(documents) > 1:
            _err(f"megaroth: error: the sources hold {len(documents)} taxpayers; use --out-dir to write one case "
                 "file each, or --taxpayer ID if they are all one person's")
            raise typer.Exit(ExitCode.INPUT)
        _emit(json.dumps(documents[0][1], indent=2, ensure_ascii=False) + "\n", output)
        _import_done(tally.records_in, *api.imported_forms(documents[0][1]), 1, _rejected_records(tally.rejected))
        raise typer.Exit(ExitCode.INPUT if tally.rejected else ExitCode.OK)


def _rejected_records(errors) -> int:
    return len({(e.source.file, e.source.record) for e in errors if e.source.record})


def _import_done(records_in: int, forms: int, awaiting: int, taxpayers: int, rejected: int) -> None:
    held = (f" ({awaiting} of them kept off the return until a person reads box 1 or 7 off the paper form: "
            "`megaroth report` asks)") if awaiting else ""
    _err(f"megaroth: {records_in} record(s) read: {forms} imported for {taxpayers} taxpayer(s){held}, "
         f"{rejected} rejected; fill in each form's disposition before `megaroth report`")


def _import_to_dir(sources: list[str], out_dir: Path, options: dict) -> None:
    """`import --out-dir`: each taxpayer's case file written as it is read (a CSV streams; the
    rejections are said as they come), then the notes and the totals."""
    from megaroth.outputs import prepare_out_dir

    taxpayers = forms = awaiting = rejected = 0
    any_rejected = False
    documents, tally = api.iter_imports(sources, **options)

    def say_rejected() -> None:
        nonlocal rejected, any_rejected
        for error in tally.rejected:
            _err(f"megaroth: rejected: {error}")
        rejected += _rejected_records(tally.rejected)
        any_rejected = any_rejected or bool(tally.rejected)
        tally.rejected.clear()

    for name, document in documents:
        say_rejected()
        if not taxpayers:
            prepare_out_dir(out_dir)
        _emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", out_dir / f"{name}.json")
        taxpayers += 1
        imported, held = api.imported_forms(document)
        forms, awaiting = forms + imported, awaiting + held
    say_rejected()
    for note in api.compact_notes(tally.notes):
        _err(f"megaroth: note: {note}")
    if not taxpayers:
        _err("megaroth: error: no Form 1099-R could be imported")
        raise typer.Exit(ExitCode.INPUT)
    _import_done(tally.records_in, forms, awaiting, taxpayers, rejected)
    raise typer.Exit(ExitCode.INPUT if any_rejected else ExitCode.OK)


@app.command()
def identify(sources: SourcesArg, input_format: InputFormatOpt = None,
             max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
             max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
          max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels, debug: DebugOpt = False) -> None:
    """Which importer reads each input, or why none does."""
    with _guard(debug):
        report_lines = api.identify_sources(sources, input_format.value if input_format else None,
                                            _limits(max_pages, max_content_mb, max_image_pixels))
        for entry in report_lines:
            if entry["importer"]:
                typer.echo(f"{entry['file']}: {entry['importer']} ({entry['description']})")
            else:
                typer.echo(f"{entry['file']}: not read: {entry['error']}")
        raise typer.Exit(ExitCode.INPUT if any(e["importer"] is None for e in report_lines) else ExitCode.OK)


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
    fact: FactOpt = None,
    fmt: FormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
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
            # Name the options the user typed: the case's fields are not options (box_7 is --code; the
            # disposition's amount is --box-1 again, so its error is said once).
            said = dict.fromkeys(f"{_QUICK_OPTIONS.get(field, '--' + field.replace('_', '-'))}: {e.message}"
                                 for e in loaded.errors
                                 for field in [(e.source.field or "").removeprefix("forms_1099r[0].")])
            raise UsageError("; ".join(said))
        if fact:
            loaded = api.with_facts(loaded, fact)
        _report(loaded, _format(fmt, json_, output), output, False)


# `quick`'s options by the case field each fills.
_QUICK_OPTIONS = {"box_7": "--code", "box_7_ira_sep_simple": "--ira",
                  "box_2b_taxable_not_determined": "--not-determined",
                  "disposition[0].amount": "--box-1", "disposition[0].to": "--to",
                  "disposition[0].within_60_days": "--within-60-days", "tax_year": "--year"}


@app.command()
def schema(what: Annotated[SchemaName, typer.Argument(
        help="case: the case file; summary: a batch's summary.json.")] = SchemaName.case) -> None:
    """Print the JSON Schema of the case file, or of a batch's summary.json."""
    typer.echo(json.dumps(api.case_schema() if what is SchemaName.case else api.summary_schema(), indent=2))


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
            f"(layout {layout}; codes table {codes}; Schedule 2 line {year['schedule_2_line']}"
            + (f" (10%), {year['schedule_2_excess_line']} (6%)" if year["schedule_2_excess_line"] != year[
                "schedule_2_line"] else "")
            + ("" if year["f1099r_boxes_verified"] else f"; 1099-R boxes as the {year['f1099r_boxes']}")
            + f"; 1040 PDF {'field map' if year['pdf_field_map'] else 'read by position and text'})")


LedgerOpt = Annotated[Optional[Path], typer.Option(
    "--ledger", help="The ledger database (default: $MEGAROTH_LEDGER, else your user data folder).")]


@app.command()
def facts(
    fmt: TableFormatOpt = None,
    json_: JsonOpt = False,
    year: Annotated[Optional[int], typer.Option("--year", help="Word the questions for this tax year.")] = None,
) -> None:
    """Every fact about a person megaroth may ask (only when it changes your result): its name for --fact NAME=VALUE
    and for a CSV column (spouse_NAME for the spouse), the form line, the question and where to find the figure."""
    from megaroth.render import render_listing

    rows = api.fact_catalog(year)
    kind = _table_format(fmt, json_)
    if kind == "json":
        import json

        typer.echo(json.dumps({"schema": "megaroth/facts", "facts": rows}, indent=2))
        return
    typer.echo(render_listing("facts", rows, kind), nl=False)


@app.command()
def room(
    case: Annotated[Optional[str], typer.Argument(help="A case file with yearend.plans (or use the options).",
                                                  show_default=False)] = None,
    year: YearOpt = None,
    birth_date: Annotated[Optional[str], typer.Option("--birth-date", help="YYYY-MM-DD, for catch-ups.")] = None,
    compensation: Annotated[Optional[str], typer.Option("--compensation", help="Pay from the employer.")] = None,
    pretax: Annotated[str, typer.Option("--pretax", help="Pretax elective deferrals.")] = "0",
    roth: Annotated[str, typer.Option("--roth", help="Roth elective deferrals.")] = "0",
    employer: Annotated[str, typer.Option("--employer", help="Employer contributions (match, profit sharing).")] = "0",
    cap_percent: Annotated[Optional[str], typer.Option("--cap-percent", help="Plan cap on after-tax, % of pay.")] = None,
    cap_amount: Annotated[Optional[str], typer.Option("--cap-amount", help="Plan cap on after-tax, dollars.")] = None,
    fmt: Annotated[Optional[RoomFormat], typer.Option(
        "--format", "-f", help="md (the worksheet with how each number was figured, the default), table, csv or "
                               "json.", show_default=False)] = None,
    json_: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """After-tax room: 415(c) per employer, 402(g) per person, catch-ups, plan caps (one plan from options, or a case)."""
    with _guard(debug):
        from datetime import date

        kind = _table_format(fmt, json_, default="md")
        if case is not None:
            loaded = api.load_single([case])
            report = api.yearend(loaded, use_ledger=False)
            if report.room is None:
                raise InputError("the case has no yearend.plans", loaded.source.at(field="yearend.plans"))
            result = report.room
        else:
            if compensation is None:
                raise UsageError("give a case file, or at least --compensation")
            plan = {"id": "your plan", "employer": "your employer", "compensation": compensation, "pretax_deferrals": pretax,
                    "roth_deferrals": roth, "nonelective": employer, "after_tax_cap_percent": cap_percent,
                    "after_tax_cap_amount": cap_amount}
            try:
                born = date.fromisoformat(birth_date) if birth_date else None
            except ValueError:
                raise UsageError(f"--birth-date {birth_date!r} is not a date (YYYY-MM-DD)") from None
            result = api.room_from_plans([plan], year or api.default_year(), born)
        if kind in ("table", "csv"):
            from megaroth.render import render_listing

            _emit(render_listing("room", result, kind), None)
        else:
            from megaroth.render import render_room

            _emit(render_room(result, kind), None)
        raise typer.Exit(ExitCode.FINDINGS if any(f.severity.value == "error" for f in result.findings)
                         else ExitCode.OK)


ledger_app = typer.Typer(help="The ledger of basis and 5-year clocks kept across years (SQLite).",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("add")
def ledger_add(sources: SourcesArg, ledger: LedgerOpt = None, year: YearOpt = None, taxpayer: TaxpayerOpt = None,
               same_person: SamePersonOpt = False, max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
               max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
          max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels, debug: DebugOpt = False) -> None:
    """Remember a case's forms, basis and clocks (idempotent: adding the same case twice changes nothing).

    The taxpayer is known by an id (the case's taxpayer.id, a CSV client column, or --taxpayer) or a
    complete TIN; a masked TIN is never enough.
    """
    with _guard(debug):
        loaded = api.load_single(sources, year=year, taxpayer_id=taxpayer,
                                 limits=_limits(max_pages, max_content_mb, max_image_pixels))
        key, stored, analysis = api.ledger_add(loaded, ledger, same_person=same_person)
        _err(f"megaroth: ledger: {stored} form(s) of {analysis.tax_year} stored for taxpayer {key}")
        raise typer.Exit(api.exit_code(analysis))


@ledger_app.command("show")
def ledger_show(taxpayer: Annotated[Optional[str], typer.Option("--taxpayer", help="A taxpayer id.")] = None,
                year: YearOpt = None, ledger: LedgerOpt = None, fmt: TableFormatOpt = None, json_: JsonOpt = False,
                debug: DebugOpt = False) -> None:
    """What the ledger remembers, per taxpayer and year."""
    with _guard(debug):
        kind = _table_format(fmt, json_)
        view = api.ledger_view(ledger, taxpayer, year)
        if kind == "json":
            typer.echo(json.dumps(view, indent=2, default=str))
            return
        from megaroth.render import render_listing

        _emit(render_listing("ledger", view, kind, title_of=api.entry_title,
                             empty="The ledger holds nothing" + (" for that taxpayer or year." if taxpayer or year
                                                                 else ".")), None)


@app.command()
def summary(
    batch: Annotated[Path, typer.Argument(help="A batch's output folder (report --out-dir), or its summary.json.",
                                          show_default=False, metavar="DIR")],
    fmt: TableFormatOpt = None, json_: JsonOpt = False, debug: DebugOpt = False,
) -> None:
    """A finished batch's summary: one row per taxpayer (lines, Form 8606, 10% tax, findings) and the totals."""
    with _guard(debug):
        kind = _table_format(fmt, json_)
        document = api.read_summary(batch)
        if kind == "json":
            typer.echo(json.dumps(document.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False))
        else:
            from megaroth.render import render_listing

            _emit(render_listing("summary", document, kind), None)
        raise typer.Exit(ExitCode.OK)  # the batch's own exit code is in the summary (Exit column, exit_code)


@app.command()
def yearend(
    case: Annotated[Optional[str], typer.Argument(help="The year's case file (optional with --taxpayer).",
                                                  show_default=False)] = None,
    year: YearOpt = None,
    taxpayer: Annotated[Optional[str], typer.Option("--taxpayer", help="Taxpayer id in the ledger.")] = None,
    ledger: LedgerOpt = None,
    no_ledger: Annotated[bool, typer.Option("--no-ledger", help="Do not read the ledger.")] = False,
    same_person: SamePersonOpt = False,
    fmt: ReportFormatOpt = None,
    json_: JsonOpt = False,
    output: OutputOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Year-end worksheet: room, conversion timing with a chart, basis carried in and out."""
    with _guard(debug):
        fmt = _format(fmt, json_, output, pdf=True)
        loaded = api.load_single([case], year=year, taxpayer_id=taxpayer) if case else None
        report = api.yearend(loaded, tax_year=year, taxpayer=taxpayer, ledger_path=ledger, use_ledger=not no_ledger,
                             same_person=same_person)
        from megaroth.render import render_yearend

        if fmt.value == ReportFormat.pdf.value:
            from megaroth.render import render_yearend_pdf

            _emit_bytes(render_yearend_pdf(report), output)
        else:
            _emit(render_yearend(report, fmt.value), output)
        raise typer.Exit(ExitCode.FINDINGS if any(f.severity.value == "error" for f in report.findings)
                         else ExitCode.OK)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")] = 8014,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in your web browser once it is served.")] = False,
    max_pages: MaxPagesOpt = DEFAULT_LIMITS.max_pages,
    max_content_mb: MaxContentOpt = DEFAULT_LIMITS.max_content_mb,
    max_image_pixels: MaxImagePixelsOpt = DEFAULT_LIMITS.max_image_pixels,
    debug: DebugOpt = False,
) -> None:
    """A local page on 127.0.0.1 (nothing leaves the machine): upload 1099-Rs, answer the questions, see the lines."""
    url = f"http://127.0.0.1:{port}/"

    def ready() -> None:
        typer.echo(f"megaroth: serving on {url} (Ctrl-C stops it)", err=True)
        if open_:
            import threading
            import webbrowser

            # A moment later, from a thread: the server is listening by then, and a browser that
            # cannot be started (none installed, no display) is said, not fatal.
            def launch() -> None:
                if not webbrowser.open(url):
                    typer.echo(f"megaroth: could not open a browser; open {url} yourself", err=True)
            threading.Timer(1, launch).start()

    with _guard(debug):
        api.serve(port, limits=_limits(max_pages, max_content_mb, max_image_pixels), ready=ready)


@app.command()
def completion(shell: Annotated[Shell, typer.Argument(
        help="The shell to complete in: bash, zsh, fish or powershell.", show_default=False)]) -> None:
    """Print the shell's completion script, e.g. eval "$(megaroth completion bash)" in ~/.bashrc."""
    from typer.completion import completion_init, get_completion_script

    completion_init()
    typer.echo(get_completion_script(prog_name="megaroth", complete_var=COMPLETE_VAR, shell=shell.value))


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
    app(prog_name="megaroth")  # also under `python -m megaroth`, so completion finds _MEGAROTH_COMPLETE
