"""The README stays true: every command is documented, the quick start commands exist, and the
exit codes table matches the code."""

from __future__ import annotations

import re
from pathlib import Path

from megaroth.cli import app
from megaroth.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_every_command_is_in_the_readme_and_has_help():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"megaroth {name}" in README, name
        assert command.help, name


def test_readme_exit_codes_match_the_code():
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, re.M), code


def test_readme_fixture_paths_exist():
    for path in re.findall(r"fixtures/[\w/.-]+\.(?:json|pdf|csv)", README):
        assert (ROOT / path).exists(), path


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci and "python -m pytest" in README
    assert 'pip install' in ci and '-e ".[test]"' in ci
