"""The layout's rules, checked on the source: the data flow import → model → checks → rules →
render → cli; no float and no tax-year figures inside rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "megaroth"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("megaroth")}


def modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py")) if (SRC / package).is_dir() else [SRC / f"{package}.py"]


@pytest.mark.parametrize("package, forbidden", [
    ("model", ("megaroth.checks", "megaroth.rules", "megaroth.render", "megaroth.cli", "megaroth.api")),
    ("checks", ("megaroth.rules", "megaroth.render", "megaroth.cli", "megaroth.api")),
    ("rules", ("megaroth.render", "megaroth.cli", "megaroth.api", "megaroth.importers", "megaroth.outputs")),
    ("render", ("megaroth.cli", "megaroth.importers")),
    ("importers", ("megaroth.rules", "megaroth.render", "megaroth.cli", "megaroth.api", "megaroth.checks")),
])
def test_import_boundaries(package, forbidden):
    for path in modules(package):
        bad = {name for name in imports_of(path) if name.startswith(forbidden)}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_cli_imports_only_the_api_render_errors_and_outputs():
    # limits: the option defaults, without importing the api at start-up (`--help`).
    # cli_limits: the options of the limits, beside cli.py, importing only the limits themselves.
    allowed = {"megaroth", "megaroth.api", "megaroth.errors", "megaroth.render", "megaroth.outputs", "megaroth.limits",
               "megaroth.cli_limits"}
    assert imports_of(SRC / "cli.py") <= allowed
    assert imports_of(SRC / "cli_limits.py") <= {"megaroth.limits"}


def modules_imported(path: Path) -> set[str]:
    """As `imports_of`, with `from megaroth import api` counted as `megaroth.api`."""
    names = imports_of(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "megaroth":
            names.update(f"megaroth.{alias.name}" for alias in node.names)
    return names


def test_web_is_a_face_like_the_cli():
    """`megaroth serve` (web.py) asks the api, the interview and render; it holds no tax logic, so it
    never reaches into rules, importers or the model itself."""
    allowed = {"megaroth", "megaroth.api", "megaroth.questions", "megaroth.render", "megaroth.errors",
               "megaroth.limits"}
    assert modules_imported(SRC / "web.py") <= allowed


def test_no_layer_imports_a_face():
    """Only the api's `serve` starts the page; nothing below the faces imports web.py or cli.py."""
    faces = ("megaroth.web", "megaroth.cli")
    for path in sorted(SRC.rglob("*.py")):
        if path.name in ("web.py", "cli.py", "__main__.py") or path == SRC / "api.py":
            continue
        bad = {name for name in modules_imported(path) if name.startswith(faces)}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"
    assert "megaroth.cli" not in modules_imported(SRC / "api.py")


def test_rules_never_touch_files():
    for path in modules("rules"):
        text = path.read_text()
        for word in ("open(", "read_text(", "read_bytes(", "Path(", "sys.stdin"):
            assert word not in text, f"{path.name} uses {word}"


def test_no_float_anywhere_in_the_package():
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                raise AssertionError(f"float literal in {path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
                raise AssertionError(f"float() in {path.relative_to(SRC)}:{node.lineno}")
            # No value is typed float either (a return or argument annotation); only the guards that
            # turn a float given through the Python API into a Decimal may name the type.
            annotations = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                annotations = [node.returns] + [a.annotation for a in node.args.args + node.args.kwonlyargs]
            elif isinstance(node, ast.AnnAssign):
                annotations = [node.annotation]
            for annotation in filter(None, annotations):
                names = {n.id for n in ast.walk(annotation) if isinstance(n, ast.Name)}
                texts = [n.value for n in ast.walk(annotation) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                if "float" in names or any("float" in text for text in texts):
                    raise AssertionError(f"float annotation in {path.relative_to(SRC)}:{node.lineno}")


def test_no_tax_figures_in_rules():
    """Numbers that could be tax-year figures (rates, limits, ages, days) belong in forms/."""
    for path in modules("rules") + modules("checks"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
                assert node.value in (0, 1, 2), f"literal {node.value} in {path.relative_to(SRC)}:{node.lineno}"
