"""The performance goals of issue 12, measured as ratios against the libraries' own floor.

Not a test: run it by hand and read the table (the README shows the latest figures).

    python benchmarks/bench_goals.py                  # every goal, 10,000 and 100,000 rows
    python benchmarks/bench_goals.py batch --rows 10000 --jobs 1 --jobs 2
    python benchmarks/bench_goals.py batch --rows 100000 --summary-only
    python benchmarks/bench_goals.py memory startup pdf

Each goal runs megaroth and its floor as whole processes, alternately (A B A B …), and prints the
median of each and the median of the pairwise ratios, so a drift of the machine's speed hits both
sides. Inputs are generated with a fixed seed.

| goal     | megaroth                                        | floor                                        | target |
|----------|-------------------------------------------------|----------------------------------------------|--------|
| batch    | report CSV --out-dir D --summary-only           | csv + pydantic validation of the same rows   | ≤ 2×   |
| batch-md | report CSV --out-dir D (a worksheet per taxpayer)| the same floor                              | ≤ 4×   |
| memory   | peak RSS of the batch (and of import --out-dir) at 100,000 rows | the same at 1,000 rows       | ≤ 1.2× |
| help     | megaroth --help, --version                      | a bare typer app with the same commands      | ≤ 1.2× |
| report   | report of one small case                        | python -c "import pydantic, jinja2, typer"   | ≤ 1.5× |
|          | the same                                        | the libraries at work (FLOOR_AT_WORK)        | shown  |
| pdf      | import of one-form PDFs                         | pypdf: the fields, each page's layout text (a fillable form's: the pages with values) | ≤ 1.3× |
|          | the same                                        | that, in a typer command, a pydantic model per page (FLOOR_PDF_AT_WORK) | shown |
| f1040    | compare with a software's 1040 PDF, whole command | pypdf reading the same fields and text     | shown (the 1.5× reading goal: bench_real_1040.py) |
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# The installed command, as users run it (python -m megaroth adds runpy's own start-up).
MEGAROTH = [str(Path(PYTHON).with_name("megaroth"))] if Path(PYTHON).with_name("megaroth").exists() else [
    PYTHON, "-m", "megaroth"]
HEADER = ["Client ID", "Tax Year", "Payer", "Box 1", "Box 2a", "Box 4", "Box 5", "Distribution code", "Disposition"]
SEED = 12

FLOOR_CSV = """
import csv, sys
from megaroth.model.form1099r import Form1099R
with open(sys.argv[1], newline="") as handle:
    for n, row in enumerate(csv.DictReader(handle)):
        Form1099R.model_validate({"id": f"r{n}", "payer_name": row["Payer"], "box_1": row["Box 1"],
                                  "box_2a": row["Box 2a"], "box_4": row["Box 4"], "box_5": row["Box 5"] or None,
                                  "box_7": row["Distribution code"]})
"""

BARE_TYPER = ROOT / "benchmarks" / "bare_typer_app.py"

# What the start-up floor (`import pydantic, jinja2, typer`) leaves out: the libraries at work
# rather than imported. Typer binds a command's parameters through pydantic TypeAdapters (its
# runtime adapters, which import pydantic's model machinery and its plugin loader), a model's
# first validation builds its schema and validator, and a template is compiled. This is the
# least any typer command that validates one pydantic model and renders one jinja2 template
# pays; it is shown beside the goal (no target) so the ratio can be read as "megaroth's own".
FLOOR_AT_WORK = """
import json
import jinja2, typer
from pydantic import BaseModel

class Case(BaseModel):
    tax_year: int
    forms_1099r: list[dict]

app = typer.Typer(add_completion=False)

@app.command()
def report(case: str, year: int = 0, reveal_tins: bool = False):
    with open(case) as handle:
        data = Case.model_validate(json.load(handle))
    print(jinja2.Environment(autoescape=False).from_string(
        "Tax year {{ c.tax_year }}: {{ c.forms_1099r | length }} form(s)").render(c=data))

app()
"""


def make_csv(path: Path, rows: int) -> None:
    """A preparer's batch: two forms per taxpayer, the usual mega backdoor mix."""
    rng = random.Random(SEED)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            client = f"C-{n // 2:07d}"
            basis = rng.randrange(1000, 30000) * 100
            earnings = rng.randrange(0, 50000)
            gross = basis + earnings
            kind = rng.randrange(5)
            money = lambda cents: f"{cents / 100:,.2f}"  # noqa: E731
            if kind == 0:  # in-plan Roth rollover
                writer.writerow([client, 2025, "Acme 401(k) Plan", money(gross), money(earnings), "0.00", money(basis),
                                 "G", "designated_roth_same_plan"])
            elif kind == 1:  # after-tax to a Roth IRA, earnings to a traditional IRA
                writer.writerow([client, 2025, "Acme 401(k) Plan", money(gross), "0.00", "0.00", money(basis), "G",
                                 f"roth_ira {money(basis)}; traditional_ira {money(earnings)}"])
            elif kind == 2:  # after-tax and earnings to a Roth IRA
                writer.writerow([client, 2025, "Globex 403(b) Plan", money(gross), money(earnings), "0.00",
                                 money(basis), "G", "roth_ira"])
            elif kind == 3:  # cash kept, early
                withheld = earnings // 5
                writer.writerow([client, 2025, "Acme 401(k) Plan", money(gross), money(earnings), money(withheld),
                                 money(basis), "1", ""])
            else:  # a pension payment
                writer.writerow([client, 2025, "State Pension", money(gross), money(gross), money(gross // 10), "",
                                 "7", ""])


# An installed package has its bytecode compiled (pip does it); a checkout run with
# PYTHONDONTWRITEBYTECODE=1 would compile megaroth's sources on every start, the libraries' not.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_sources() -> None:
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    compileall.compile_dir(str(ROOT / "benchmarks"), quiet=1)


def run_once(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of a command, in a fresh process."""
    probe = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
             "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
             "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)")
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True,
                         env=ENV).stdout.split()
    if out[2] not in ("0", "4"):
        raise SystemExit(f"{' '.join(command)} exited {out[2]}")
    return float(out[0]), int(out[1])


def pair(name: str, ours: list[str], floor: list[str], runs: int, target: float | None, prepare=None,
         warm_up: bool = True) -> dict:
    """Run both commands alternately; the ratio is the median of the pairwise ratios.

    Args:
        warm_up: run megaroth once uncounted first (file caches, bytecode); the floor always is.
    """
    times_a, times_b, ratios, memory = [], [], [], []
    if warm_up:
        if prepare:
            prepare()
        run_once(ours)
    run_once(floor)  # warm-up: file caches, bytecode
    for _ in range(runs):
        if prepare:
            prepare()
        a, rss = run_once(ours)
        b, _ = run_once(floor)
        times_a.append(a)
        times_b.append(b)
        ratios.append(a / b)
        memory.append(rss)
    ratio = statistics.median(ratios)
    result = {"goal": name, "megaroth_s": statistics.median(times_a), "floor_s": statistics.median(times_b),
              "ratio": ratio, "target": target, "met": target is None or ratio <= target, "peak_kib": max(memory)}
    verdict = "(no target: what the floor leaves out)" if target is None else (
        f"(target ≤ {target}×) {'met' if result['met'] else 'NOT MET'}")
    print(f"{name:38} {result['megaroth_s']:8.3f} s {result['floor_s']:8.3f} s {ratio:6.2f}× {verdict}")
    return result


def goal_batch(temp: Path, rows: int, runs: int, jobs: list[int | None], worksheets: bool = True) -> list[dict]:
    data = temp / f"batch_{rows}.csv"
    make_csv(data, rows)
    floor = [PYTHON, "-c", FLOOR_CSV, str(data)]
    out = temp / f"out_{rows}"
    clean = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    results = []
    for n in jobs:
        option, label = (["--jobs", str(n)], f", --jobs {n}") if n else ([], "")
        results.append(pair(f"batch {rows:,} rows, summary only{label}",
                            MEGAROTH + ["report", str(data), "--out-dir", str(out), "--summary-only", *option],
                            floor, runs, 2.0, clean, warm_up=rows <= 10_000))
        if worksheets:
            results.append(pair(f"batch {rows:,} rows, Markdown{label}",
                                MEGAROTH + ["report", str(data), "--out-dir", str(out), *option], floor, runs, 4.0,
                                clean, warm_up=rows <= 10_000))
    return results


def goal_memory(temp: Path, small: int, large: int) -> list[dict]:
    """Peak RSS of `report --out-dir --summary-only` and of `import --out-dir` (a case file per
    taxpayer) at `large` rows against `small` rows."""
    results = []
    for name, command in (("report --summary-only", ["report", "{data}", "--out-dir", "{out}", "--summary-only"]),
                          ("import --out-dir", ["import", "{data}", "--out-dir", "{out}"])):
        peaks = {}
        for rows in (small, large):
            data = temp / f"memory_{rows}.csv"
            if not data.exists():
                make_csv(data, rows)
            out = temp / f"memory_out_{rows}"
            shutil.rmtree(out, ignore_errors=True)
            _, peaks[rows] = run_once(MEGAROTH + [c.format(data=data, out=out) for c in command])
            shutil.rmtree(out, ignore_errors=True)
        ratio = peaks[large] / peaks[small]
        print(f"{f'peak memory, {name}, {small:,} → {large:,}':38} {peaks[small] / 1024:8.1f} MiB → "
              f"{peaks[large] / 1024:.1f} MiB {ratio:6.2f}× (target ≤ 1.2×) {'met' if ratio <= 1.2 else 'NOT MET'}")
        results.append({"goal": f"memory {name}", "small_kib": peaks[small], "large_kib": peaks[large],
                        "ratio": ratio, "target": 1.2, "met": ratio <= 1.2})
    return results


def goal_startup(temp: Path, runs: int) -> list[dict]:
    case = ROOT / "fixtures" / "cases" / "irr_after_tax_only.json"
    return [
        pair("megaroth --help", MEGAROTH + ["--help"], [PYTHON, str(BARE_TYPER), "--help"], runs, 1.2),
        pair("megaroth --version", MEGAROTH + ["--version"], [PYTHON, str(BARE_TYPER), "--version"], runs, 1.2),
        pair("report of one small case", MEGAROTH + ["report", str(case)],
             [PYTHON, "-c", "import pydantic, jinja2, typer"], runs, 1.5),
        pair("the same, floor: libraries at work", MEGAROTH + ["report", str(case)],
             [PYTHON, "-c", FLOOR_AT_WORK, str(case)], runs, None),
        pair("libraries at work vs the floor", [PYTHON, "-c", FLOOR_AT_WORK, str(case)],
             [PYTHON, "-c", "import pydantic, jinja2, typer"], runs, None),
    ]


FLOOR_PDF = """
import sys
from pypdf import PdfReader
for path in sys.argv[1:]:
    reader = PdfReader(path)
    fillable = bool(reader.get_fields())
    for page in reader.pages:
        # A fillable form's fields are read from its widgets; the text of a page holding a filled
        # one is read for the year printed on it. Any other page is read from its text.
        if fillable and not any(a.get_object().get("/V") for a in page.get("/Annots") or []):
            continue
        page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
"""

FLOOR_F1040 = """
import sys
from pypdf import PdfReader
for path in sys.argv[1:]:
    reader = PdfReader(path)
    reader.get_fields()
    for page in reader.pages:
        page.extract_text()
"""


# The PDF floor with the libraries at work as well (see FLOOR_AT_WORK): a typer command taking the
# files, pypdf's reading as FLOOR_PDF, a pydantic model validated per page read.
FLOOR_PDF_AT_WORK = """
import typer
from pydantic import BaseModel
from pypdf import PdfReader

class Page(BaseModel):
    file: str
    text: str

app = typer.Typer(add_completion=False)

@app.command()
def read(paths: list[str], out_dir: str = ""):
    for path in paths:
        reader = PdfReader(path)
        fillable = bool(reader.get_fields())
        for page in reader.pages:
            if fillable and not any(a.get_object().get("/V") for a in page.get("/Annots") or []):
                continue
            Page.model_validate({"file": path, "text": page.extract_text(extraction_mode="layout",
                                                                         layout_mode_space_vertically=True)})

app()
"""


def goal_pdf(temp: Path, runs: int, copies: int) -> list[dict]:
    names = ["irs_look_flat.pdf", "custodian_statement.pdf", "three_up_copies.pdf", "irs_fillable_code_g.pdf"]
    paths = []
    for n in range(copies):
        target = temp / f"{n:03d}-{names[n % len(names)]}"
        shutil.copy(ROOT / "fixtures" / "pdf" / names[n % len(names)], target)
        paths.append(str(target))
    # The case is a 2025 one: compare reads a 2025 return.
    returns = sorted(str(p) for p in (ROOT / "fixtures" / "pdf" / "f1040").glob("*2025*.pdf"))
    case = ROOT / "fixtures" / "cases" / "irr_after_tax_only.json"
    return [
        pair(f"import {copies} one-form PDFs", MEGAROTH + ["import", *paths, "--out-dir", str(temp / "cases")],
             [PYTHON, "-c", FLOOR_PDF, *paths], runs, 1.3),
        pair("the same, floor: libraries at work", MEGAROTH + ["import", *paths, "--out-dir", str(temp / "cases")],
             [PYTHON, "-c", FLOOR_PDF_AT_WORK, *paths], runs, None),
        # The goal "reading a software's 1040 within 1.5× of pypdf" is bench_real_1040.py's (the
        # reading alone, on real returns); this is the whole command, start-up and analysis too.
        pair("compare, a software Form 1040 PDF",
             MEGAROTH + ["compare", str(case), "--software", returns[0], "--json"],
             [PYTHON, "-c", FLOOR_F1040, returns[0]], runs, None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Checked below, not with choices=: Python 3.11's argparse checks an empty nargs="*" list
    # against the choices as one value and refuses it ("invalid choice: []"), so
    # `bench_goals.py` alone would not run.
    parser.add_argument("goals", nargs="*", help="batch, memory, startup, pdf (default: all)")
    parser.add_argument("--rows", type=int, action="append", help="batch sizes, repeatable (default 10,000 and "
                                                                     "100,000; above 10,000 one run each)")
    parser.add_argument("--runs", type=int, default=3, help="counted runs of each side")
    parser.add_argument("--jobs", type=int, action="append",
                        help="batch worker processes, repeatable (default: megaroth's own default)")
    parser.add_argument("--summary-only", action="store_true", help="batch: skip the Markdown worksheets' runs")
    parser.add_argument("--memory-rows", type=int, nargs=2, default=[1_000, 100_000], metavar=("SMALL", "LARGE"),
                        help="the two sizes the memory goal compares (default 1,000 and 100,000)")
    args = parser.parse_args()
    known = ["batch", "memory", "startup", "pdf"]
    if set(args.goals) - set(known):
        parser.error(f"unknown goal(s) {sorted(set(args.goals) - set(known))}; choose from {', '.join(known)}")
    args.goals = args.goals or known
    print(f"megaroth {subprocess.run(MEGAROTH + ['--version'], capture_output=True, text=True).stdout.strip()} on "
          f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f}; medians of {args.runs} alternated runs (batch above 10,000 rows: 1)")
    print(f"goals {' '.join(args.goals)}; batch rows {args.rows or [10_000, 100_000]}, jobs {args.jobs or 'default'}; "
          f"memory rows {args.memory_rows}")
    print(f"{'goal':38} {'megaroth':>10} {'floor':>10} {'ratio':>7}")
    compile_sources()
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        if "batch" in args.goals:
            for rows in args.rows or [10_000, 100_000]:
                goal_batch(temp, rows, args.runs if rows <= 10_000 else 1, args.jobs or [None],
                           worksheets=not args.summary_only)
        if "memory" in args.goals:
            goal_memory(temp, *args.memory_rows)
        if "startup" in args.goals:
            goal_startup(temp, max(args.runs, 5))
        if "pdf" in args.goals:
            goal_pdf(temp, args.runs, 40)
    _ = resource  # measured in the child probes


if __name__ == "__main__":
    main()
