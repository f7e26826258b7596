"""The --help floor (benchmarks/bare_typer_app.py) has megaroth's commands, no more and no fewer:
otherwise the start-up ratio compares unlike things."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from megaroth.cli import app

BARE = Path(__file__).resolve().parents[2] / "benchmarks" / "bare_typer_app.py"


def test_the_bare_app_has_the_same_commands():
    spec = importlib.util.spec_from_file_location("bare_typer_app", BARE)
    bare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare)
    ours = typer.main.get_command(app)
    theirs = typer.main.get_command(bare.app)
    assert sorted(ours.commands) == sorted(theirs.commands)
    assert sorted(ours.commands["ledger"].commands) == sorted(theirs.commands["ledger"].commands)
