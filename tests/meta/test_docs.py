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


def test_messages_name_only_options_that_exist():
    """Every `--option` a message or help text names is an option of some megaroth command (issue 8:
    an error that tells the user to pass an option that does not exist is a dead end)."""
    import ast

    import typer.main

    from megaroth.cli import app

    known = {"--help", "--version"}

    def collect(command) -> None:
        for param in command.params:
            for name in [*param.opts, *param.secondary_opts]:
                known.add(name)
        for sub in getattr(command, "commands", {}).values():
            collect(sub)

    collect(typer.main.get_command(app))
    named = {}
    for path in (ROOT / "src" / "megaroth").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"--[a-z][a-z0-9-]*", node.value):
                    continue  # a bare option is an argument handed to another program (the OCR engine's), not a message
                for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]", node.value):
                    named.setdefault(option, f"{path.name}:{node.lineno}")
    # "--line-" begins the family --line-4a, --line-5b…; "--line NAME=AMOUNT" is --line.
    unknown = {o: where for o, where in named.items() if o not in known and not any(k.startswith(o + "-") for k in known)}
    assert not unknown, unknown
