"""Generated hostile inputs: never exit 70, never a traceback, always a message naming the place,
and a batch conserves its records (issue 8).

The CI run uses a fixed, small budget of examples. `python tests/fuzz/run.py --examples 2000`
runs the same properties for longer (see its docstring).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from megaroth.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BUDGET = int(os.environ.get("MEGAROTH_FUZZ_EXAMPLES", "0"))
runner = CliRunner()


def budget(ci: int):
    return settings(max_examples=BUDGET or ci, deadline=None, derandomize=not BUDGET,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


def run(*args, stdin: bytes | str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def assert_handled(result, place: str) -> None:
    """A user's input never causes an internal error, and a refusal says where."""
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2, 3, 4), (result.exit_code, output[-2000:])
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code == 1:
        assert place in output, output[-2000:]


# ------------------------------------------------------------------ case files
HOSTILE_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["1e26", "1,2,3", "NaN", "-0", "(5)", "$1,234.50", "9999-12-31", "0001-01-01", "2025-02-30",
                     "", " ", "\x00", "G", "4G", "07", "ZZ", "***-**-1234", "400-00-1234", "é" * 300,
                     "1" + "0" * 60]),
    st.text(max_size=40),
)
JSON_VALUES = st.recursive(HOSTILE_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
CASE_KEYS = ["tax_year", "taxpayer", "options", "traditional_ira_basis", "forms_1099r", "yearend", "schema_version"]
FORM_KEYS = ["id", "box_1", "box_2a", "box_4", "box_5", "box_6", "box_7", "box_7_ira_sep_simple", "box_9a", "box_10",
             "box_11", "box_13", "disposition", "distribution_date", "after_tax_basis", "corrected", "payer_tin",
             "recipient_tin", "state", "rollover_marker", "box_2b_taxable_not_determined"]


@st.composite
def mutated_cases(draw):
    name = draw(st.sampled_from(["irr_after_tax_only", "split_rollover_one_form", "sixty_day_rollover_withholding",
                                 "yearend_mega_backdoor_2025", "ira_conversion_no_basis"]))
    case = json.loads((FIXTURES / "cases" / f"{name}.json").read_text())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        forms = case.get("forms_1099r")
        if draw(st.booleans()) and isinstance(forms, list) and forms and isinstance(forms[0], dict):
            forms[0][draw(st.sampled_from(FORM_KEYS))] = draw(JSON_VALUES)
        else:
            case[draw(st.sampled_from(CASE_KEYS))] = draw(JSON_VALUES)
    return case


@budget(ci=40)
@given(case=mutated_cases(), command=st.sampled_from(["report", "check", "yearend"]))
def test_a_mutated_case_file_is_reported_or_refused_with_its_place(tmp_path_factory, case, command):
    path = tmp_path_factory.mktemp("case") / "case.json"
    path.write_text(json.dumps(case, default=str))
    extra = ["--no-ledger"] if command == "yearend" else []
    assert_handled(run(command, path, *extra), str(path))


# ------------------------------------------------------------------ CSV batches
HEADER = ["Client ID", "Tax Year", "Client Name", "Date of Birth", "Payer", "Recipient TIN", "Box 1", "Box 2a",
          "Taxable amount not determined", "Box 4", "Box 5", "Distribution code", "IRA/SEP/SIMPLE", "Disposition",
          "60-day rollover", "Rollover date", "Distribution date"]
GOOD_ROW = ["C-1", "2025", "Pat Example", "1985-04-02", "Acme 401(k)", "400-00-1001", "10200.00", "200.00", "", "0",
            "10000.00", "G", "", "designated_roth_same_plan", "", "", ""]
CELLS = st.one_of(HOSTILE_SCALARS.map(lambda v: "" if v is None else str(v)),
                  st.sampled_from(["2025", "2019", "1999", "X", "yes", "maybe", "roth_ira 5; kept 5", "$10,200.00"]))


@st.composite
def csv_batches(draw):
    rows = []
    for number in range(draw(st.integers(min_value=1, max_value=6))):
        row = list(GOOD_ROW)
        row[0] = f"C-{draw(st.integers(0, 3))}"
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        if draw(st.integers(0, 9)) == 0:
            row.append(draw(CELLS))  # a shifted row (an unquoted comma)
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


@budget(ci=30)
@given(batch=csv_batches())
def test_a_batch_of_hostile_rows_conserves_its_records(tmp_path_factory, batch):
    text, count = batch
    folder = tmp_path_factory.mktemp("batch")
    source = folder / "batch.csv"
    source.write_text(text)
    result = run("report", source, "--out-dir", folder / "out")
    assert_handled(result, str(source))
    summary = json.loads((folder / "out" / "summary.json").read_text())
    totals = summary["totals"]
    assert totals["records_in"] == count == totals["records_reported"] + totals["records_rejected"]
    with (folder / "out" / "rejected.csv").open(newline="") as handle:
        rejected = {(r["file"], r["record"]) for r in csv.DictReader(handle)}
    assert len(rejected) == totals["records_rejected"]


# ------------------------------------------------------------------ damaged PDFs
PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((FIXTURES / "pdf" / "f1040").glob("*.pdf"))


def damage(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        how = rng.choice(["truncate", "flip", "insert", "duplicate", "zero"])
        at = rng.randrange(len(data)) if data else 0
        if how == "truncate":
            data = data[:at]
        elif how == "flip":
            for _ in range(rng.randint(1, 30)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif how == "duplicate":
            end = min(len(data), at + rng.randint(1, 4000))
            data[end:end] = data[at:end]
        else:
            data[at:at + rng.randint(1, 600)] = b"\0" * rng.randint(1, 600)
    return bytes(data)


@budget(ci=40)
@given(index=st.integers(min_value=0, max_value=len(PDFS) - 1), seed=st.integers(min_value=0, max_value=2**32),
       command=st.sampled_from(["report", "identify", "compare"]))
def test_a_damaged_pdf_is_read_or_refused_with_its_name(tmp_path_factory, index, seed, command):
    path = tmp_path_factory.mktemp("pdf") / f"damaged-{PDFS[index].name}"
    path.write_bytes(damage(PDFS[index].read_bytes(), seed))
    if command == "compare":
        result = run("compare", FIXTURES / "cases" / "irr_after_tax_only.json", "--software", path)
    else:
        result = run(command, path, "--year", "2025") if command == "report" else run(command, path)
    assert_handled(result, path.name)
