"""How long `megaroth serve` takes to answer each request of a ten-form case (issue 22's goal: ≤ 200 ms).

Starts the real server (`python -m megaroth serve --port N`, uvicorn on 127.0.0.1), uploads a case
of ten Forms 1099-R (a mega backdoor's plan forms and backdoor IRA conversions, dispositions and
Form 8606 facts given, so every step has content), then requests each step and view in turn,
`--runs` times, and prints the median and the worst time of each, measured by the client from
the request sent to the response read. Loopback only; the loop is bounded by --runs.

    python benchmarks/bench_page.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import free_port, wait_until_serving  # noqa: E402

GOAL_MS = 200


def ten_form_case() -> dict:
    forms = []
    for i in range(5):
        forms.append({"id": f"plan-{i}", "payer_name": f"Plan {i} 401(k)", "box_1": "10200.00", "box_2a": "200.00",
                      "box_5": "10000.00", "box_7": "G", "disposition": [{"to": "roth_ira", "amount": "10200.00"}]})
        forms.append({"id": f"ira-{i}", "payer_name": f"Brokerage {i}", "box_1": "1402.00", "box_2a": "1402.00",
                      "box_2b_taxable_not_determined": True, "box_7": "2", "box_7_ira_sep_simple": True,
                      "disposition": [{"to": "roth_ira", "amount": "1402.00"}]})
    return {"schema_version": 2, "tax_year": 2025, "taxpayer": {"name": "Pat Example", "ira": {
        "nondeductible_contributions": "7000.00", "basis": "0.00", "year_end_value": "0.00",
        "contributions_made_next_year": "0.00", "deductible_contributions": "0.00"}}, "forms_1099r": forms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "megaroth", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = wait_until_serving(server, port)
        with httpx.Client(base_url=base, headers={"Origin": base}, follow_redirects=True, timeout=30) as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
            files = [("files", ("ten.json", json.dumps(ten_form_case()).encode(), "application/json"))]
            upload = client.post("/upload", data={"csrf": token}, files=files)
            assert upload.status_code == 200, upload.text[:500]
            # the five conversions after a $7,000 nondeductible contribution: 4b $10.02 (i8606 line 18),
            # so the timings below are of the pages with their content, not of an error page
            assert "$10.02" in client.get("/lines").text
            paths = ["/", "/questions", "/questions?group=all", "/lines", "/guide", "/compare", "/view/worksheet",
                     "/view/guide", "/download/worksheet.json"]
            times: dict[str, list[float]] = {p: [] for p in paths}
            for _ in range(args.runs):
                for path in paths:
                    start = time.perf_counter()
                    response = client.get(path)
                    times[path].append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
        print(f"{'request':28} {'median ms':>10} {'worst ms':>10}  goal ≤ {GOAL_MS} ms")
        for path, values in times.items():
            median = statistics.median(values)
            print(f"{path:28} {median:10.1f} {max(values):10.1f}  {'met' if median <= GOAL_MS else 'MISSED'}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
