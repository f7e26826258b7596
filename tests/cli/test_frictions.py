"""Issue 19's small frictions, each through the CLI as a person meets it: an empty file is said to
be empty; `quick`'s errors name the options typed; a mistyped --to and a --year that contradicts
the case file are usage errors (exit 2) naming the option; `import -h` says what -o writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


@pytest.mark.parametrize("name, data, words", [
    ("empty.json", b"", "the file is empty (0 bytes)"),
    ("blank.csv", b" \n\n", "the file is empty (only 3 bytes of blank space)"),
    ("empty.pdf", b"", "the file is empty (0 bytes)"),
])
def test_an_empty_input_file_is_called_empty(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = run("report", path)
    assert result.exit_code == 1
    assert f"{path}: {words}: nothing to read" in result.output
    assert "not a PDF, JSON or CSV" not in result.output


@pytest.mark.parametrize("args, says", [
    (["--box-1", "100", "--code", "Z"], "--code: 'Z'"),
    (["--box-1", "abc", "--code", "7"], "--box-1: 'abc' is not an amount"),
])
def test_quick_errors_name_the_options_typed(args, says):
    result = run("quick", *args)
    assert result.exit_code == 2, result.output
    assert says in result.output and "--box-7" not in result.output


def test_quick_amount_error_said_once_with_to():
    """--box-1 is also the disposition's amount with --to: one error, on --box-1, none on a
    `--disposition[0].amount` option that does not exist."""
    result = run("quick", "--box-1", "abc", "--code", "G", "--to", "roth_ira")
    assert result.exit_code == 2
    assert result.output.count("--box-1: 'abc'") == 1 and "disposition" not in result.output


@pytest.mark.parametrize("command", ["report", "guide", "fill"])
def test_an_unknown_to_destination_is_a_usage_error(tmp_path, command):
    """g_without_disposition.json (one code G form, no disposition) with --to roth_iraa."""
    extra = ["--out-dir", tmp_path / "forms"] if command == "fill" else []
    result = run(command, CASES / "g_without_disposition.json", "--to", "roth_iraa", "--no-input", *extra)
    assert result.exit_code == 2, result.output
    assert "--to 'roth_iraa': 'roth_iraa' is not a destination" in result.output
    assert "roth_ira, traditional_ira" in result.output
    assert not (tmp_path / "forms").exists()


def test_a_year_that_contradicts_the_case_file_is_a_usage_error():
    """irr_after_tax_only.json says tax_year 2025; --year 2018 was silently ignored."""
    case = CASES / "irr_after_tax_only.json"
    result = run("report", case, "--year", "2018")
    assert result.exit_code == 2
    assert f"--year 2018 contradicts {case}'s tax_year 2025" in result.output
    assert run("report", case, "--year", "2025", "--json").exit_code == 0  # the same year is fine
    data = case.read_text(encoding="utf-8")
    piped = run("report", "-", "--year", "2024", stdin=data)
    assert piped.exit_code == 2 and "--year 2024 contradicts <stdin>'s tax_year 2025" in piped.output
    assert run("yearend", case, "--year", "2026", "--no-ledger").exit_code == 2


def test_import_help_says_it_writes_a_case_file(tmp_path):
    help_text = " ".join(run("import", "-h").output.split())
    assert "Write the case file (JSON" in help_text and ".md, .html" not in help_text
    out = tmp_path / "case.md"
    result = run("import", CASES.parent / "pdf" / "irs_fillable_code_g.pdf", "-o", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["tax_year"] == 2025  # JSON, whatever the extension


def test_readme_examples_work_on_a_fresh_checkout():
    """`ledger show` fails with no ledger: the README adds to one first; the `--ask` example saves
    the answered case outside the checkout (and *-answered.json is ignored by git)."""
    root = CASES.parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.index("megaroth ledger add") < readme.index("megaroth ledger show")
    (ask,) = [line for line in readme.splitlines() if "--ask" in line and line.startswith("`echo")]
    assert "--save-case /tmp/" in ask
    assert "*-answered.json" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
