"""A bare typer application with megaroth's commands and a few options each, no work behind
them: the floor `megaroth --help` and `--version` are measured against (bench_goals.py)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(name="megaroth", help="Form 1099-R to Form 1040 entries for the mega backdoor Roth.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
ledger = typer.Typer(help="The ledger of basis and 5-year clocks kept across years.")
app.add_typer(ledger, name="ledger")

Sources = Annotated[list[str], typer.Argument(help="Inputs.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")]
Fmt = Annotated[Optional[str], typer.Option("--format", "-f", help="md, html or json.")]
Year = Annotated[Optional[int], typer.Option("--year", help="Tax year.")]


def _command(name: str, doc: str):
    def command(sources: Sources, fmt: Fmt = None, output: Output = None, year: Year = None) -> None:
        pass
    command.__doc__ = doc
    return app.command(name=name)(command)


# megaroth's commands (megaroth --help lists them): keep the two lists the same.
for _name in ("report", "check", "compare", "fill", "letter", "init", "import", "identify", "quick", "schema",
              "rules", "years", "room", "yearend", "serve", "summary", "guide", "completion", "facts"):
    _command(_name, f"The {_name} command.")


@ledger.command("add")
def ledger_add(sources: Sources) -> None:
    """Add cases to the ledger."""


@ledger.command("show")
def ledger_show(taxpayer: Annotated[Optional[str], typer.Option("--taxpayer")] = None) -> None:
    """Show the ledger."""


def _version(value: bool) -> None:
    if value:
        typer.echo("megaroth 0.1.0")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False) -> None:
    """Form 1099-R to Form 1040 entries for the mega backdoor Roth."""


if __name__ == "__main__":
    app()
