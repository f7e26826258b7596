"""Reading real IRS Form 1040 PDFs with megaroth, next to bare pypdf reading the same fields and
text. Not a test: run it by hand and read the ratio (the goal: at most 1.5).

    python benchmarks/bench_real_1040.py            # every year 2019-2025, fillable/flattened/printed
    python benchmarks/bench_real_1040.py --rounds 5

The returns are the IRS's blank forms (forms/<year>/f1040.pdf with Schedule 2, and Form 8606
where megaroth has it) filled the three ways tests/realforms/irs_fill.py fills them; filling is
not timed. "pypdf" is what any reader of these PDFs pays: parse the file, read the AcroForm
fields, extract every page's text. "megaroth" is `compare`'s whole reading of the return:
words in page coordinates, widgets, the page fits and every figure with where it was read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import floor_f1040, megaroth_f1040  # noqa: E402
from tests.realforms.irs_fill import WAYS  # noqa: E402
from tests.realforms.test_f1040_real import return_pdf  # noqa: E402


def best_of(rounds: int, function, *args) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timings per side; the best is kept")
    args = parser.parse_args()
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        for way in WAYS:
            returns = []
            for year in range(2019, 2026):
                returns.append(Path(temp) / f"f1040_{year}_{way}.pdf")
                returns[-1].write_bytes(return_pdf(year, way))
            megaroth_f1040(returns)  # load maps and modules before timing
            floor = best_of(args.rounds, floor_f1040, returns)
            ours = best_of(args.rounds, megaroth_f1040, returns)
            rows.append((way, len(returns), ours, floor))
    print(f"{'returns':24} {'files':>5} {'megaroth s':>10} {'pypdf s':>8} {'ratio':>6}")
    for way, count, ours, floor in rows:
        print(f"{way + ' (2019-2025)':24} {count:5d} {ours:10.3f} {floor:8.3f} {ours / floor:6.2f}")
    total_ours, total_floor = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"{'all':24} {sum(r[1] for r in rows):5d} {total_ours:10.3f} {total_floor:8.3f} {total_ours / total_floor:6.2f}")
    print(json.dumps({"ratio": round(total_ours / total_floor, 3),
                      "by_way": {way: round(ours / floor, 3) for way, _, ours, floor in rows}}))


if __name__ == "__main__":
    main()
