"""Where a batch's time goes: each phase of `report --out-dir`, timed in one process, beside the floor.

Not a test: run it by hand (README, "Performance"). It answers the question bench_goals.py's
ratios raise — which part of megaroth's work costs what, per taxpayer, against the floor of
issue 12 (csv + pydantic validation of the same rows) measured in the same process:

    python benchmarks/bench_phases.py                 # 10,000 rows (5,000 taxpayers)
    python benchmarks/bench_phases.py --rows 2000 --repeat 5

Phases, in the order a batch runs them for each taxpayer (batch._taxpayer):

| phase     | what                                                                   |
|-----------|------------------------------------------------------------------------|
| read      | the CSV streamed into records and grouped by taxpayer (intake.groups)   |
| validate  | the group's records validated into a case (intake.build_case)          |
| rules     | the case analysed: checks, plan money, IRAs, Forms 8606/5329, 5498, lines |
| summary   | the taxpayer's summary row (batch.summary_row)                         |
| render    | the Markdown worksheet (render.render)                                 |
| write     | the worksheet written to its file (outputs.write_atomic, not durable)   |

Beside `write`, "write floor" is the same text written to a new file of another folder with a bare
open().write() (not atomic): what the file system costs for the same bytes, not counted in "all".

Each phase is timed over the whole batch with time.perf_counter (best of --repeat), so the sum is
what one process pays beyond start-up; `report --jobs N` divides the validate…write phases among
N workers. The floor runs the same rows through csv.DictReader and Form1099R.model_validate.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_goals import make_csv  # noqa: E402  (the same generated batch, the same seed)


def floor(path: Path) -> float:
    from megaroth.model.form1099r import Form1099R

    start = time.perf_counter()
    with path.open(newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            Form1099R.model_validate({"id": f"r{n}", "payer_name": row["Payer"], "box_1": row["Box 1"],
                                      "box_2a": row["Box 2a"], "box_4": row["Box 4"], "box_5": row["Box 5"] or None,
                                      "box_7": row["Distribution code"]})
    return time.perf_counter() - start


def phases(path: Path, out: Path) -> tuple[dict[str, float], int]:
    from megaroth import intake
    from megaroth.analysis import analyze, exit_code
    from megaroth.batch import summary_row
    from megaroth.outputs import write_atomic
    from megaroth.render import render

    spent = dict.fromkeys(["read", "validate", "rules", "summary", "render", "write", "write floor"], 0.0)
    bare = out / "bare"
    bare.mkdir()
    clock = time.perf_counter
    tally = intake.Tally()
    taxpayers = 0
    groups = intake.groups(intake.read_documents([str(path)]), tally)
    while True:
        t0 = clock()
        group = next(groups, None)
        t1 = clock()
        spent["read"] += t1 - t0
        if group is None:
            break
        loaded = intake.build_case(group)
        t2 = clock()
        analysis = analyze(loaded)
        t3 = clock()
        summary_row(intake.display_key(group.key), "", analysis, exit_code(analysis))
        t4 = clock()
        text = render(analysis, loaded.case, "md")
        t5 = clock()
        write_atomic(out / f"t{taxpayers}.md", text, durable=False)
        t6 = clock()
        with open(bare / f"t{taxpayers}.md", "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        t7 = clock()
        for name, a, b in (("validate", t1, t2), ("rules", t2, t3), ("summary", t3, t4), ("render", t4, t5),
                           ("write", t5, t6), ("write floor", t6, t7)):
            spent[name] += b - a
        taxpayers += 1
    return spent, taxpayers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        data = Path(temp) / "batch.csv"
        make_csv(data, args.rows)
        gc.collect()
        best_floor = min(floor(data) for _ in range(args.repeat))
        best: dict[str, float] | None = None
        taxpayers = 0
        for n in range(args.repeat):
            out = Path(temp) / f"out{n}"
            out.mkdir()
            spent, taxpayers = phases(data, out)
            best = spent if best is None else {k: min(v, spent[k]) for k, v in best.items()}
    assert best is not None
    write_floor = best.pop("write floor")
    total = sum(best.values())
    print(f"{args.rows:,} rows, {taxpayers:,} taxpayers; best of {args.repeat}; in one process, after start-up")
    print(f"{'phase':10} {'seconds':>8} {'µs/taxpayer':>12} {'share':>6} {'× floor':>8}")
    for name, seconds in best.items():
        print(f"{name:10} {seconds:8.3f} {seconds / taxpayers * 1e6:12.0f} {seconds / total:6.0%} "
              f"{seconds / best_floor:8.2f}")
    print(f"{'(write floor)':10} {write_floor:8.3f} {write_floor / taxpayers * 1e6:12.0f}        "
          f"{write_floor / best_floor:8.2f}   (the same text, a bare open().write() to a new file)")
    print(f"{'all':10} {total:8.3f} {total / taxpayers * 1e6:12.0f} {1:6.0%} {total / best_floor:8.2f}")
    print(f"{'floor':10} {best_floor:8.3f} {best_floor / taxpayers * 1e6:12.0f}        {1:8.2f}   "
          "(csv + Form1099R.model_validate, the same rows)")
    summary_only = total - best["render"] - best["write"]
    print(f"without worksheets (read … summary): {summary_only:.3f} s = {summary_only / best_floor:.1f}× the floor")


if __name__ == "__main__":
    main()
