"""Throughput of megaroth's importers next to the bare library work on the same input.

Not a test: run it by hand and read the table.

    python benchmarks/bench_import.py               # 100,000 CSV rows, 200 PDFs
    python benchmarks/bench_import.py --rows 20000 --pdfs 50 --batch-rows 2000

It reports, for each path, records per second for megaroth and for the "library floor" (what
csv + pydantic, or pypdf, cost on their own for the same input), so megaroth's own overhead is
visible; and the peak memory (max RSS of a fresh process) of the CSV import at two sizes, which
should stay flat as the batch grows because the CSV is streamed taxpayer by taxpayer.
"""

from __future__ import annotations

import argparse
import importlib
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PDFS = ["irs_look_flat.pdf", "custodian_statement.pdf", "three_up_copies.pdf", "custodian_table_2019.pdf",
                "irs_fillable_code_g.pdf", "fdx_embedded.pdf"]
HEADER = ["Client ID", "Tax Year", "Payer", "Box 1", "Box 2a", "Box 4", "Box 5", "Distribution code", "To"]


def make_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            client = f"C-{n // 2:07d}"  # two forms per taxpayer
            if n % 2:
                writer.writerow([client, 2025, "Acme 401(k) Plan", "$10,200.00", "200.00", "0.00", "10,000.00",
                                 "G", "designated_roth_same_plan"])
            else:
                writer.writerow([client, 2025, "Acme 401(k) Plan", "5,000.00", "5,000.00", "1,000.00", "", "7", ""])


def floor_csv(path: Path) -> int:
    """csv + pydantic alone: each row validated into the same model, no importer logic."""
    from megaroth.model.form1099r import Form1099R

    count = 0
    with path.open(newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            Form1099R.model_validate({"id": f"r{n}", "payer_name": row["Payer"], "box_1": row["Box 1"],
                                      "box_2a": row["Box 2a"], "box_4": row["Box 4"], "box_5": row["Box 5"] or None,
                                      "box_7": row["Distribution code"]})
            count += 1
    return count


def megaroth_csv_import(path: Path) -> int:
    """megaroth's CSV path: identify, stream taxpayer groups, validate every record."""
    from megaroth import intake

    tally = intake.Tally()
    forms = 0
    for group in intake.groups(intake.read_documents([str(path)]), tally):
        result = intake.build_case(group)
        forms += len(result.case.forms_1099r) if not isinstance(result, list) else 0
    return forms


def megaroth_batch(path: Path, out: Path) -> int:
    """The whole batch: import, analyze, render a worksheet per taxpayer, write summaries."""
    from megaroth import api

    return api.batch_report([str(path)], out).records_reported


def floor_pdf(paths: list[Path]) -> int:
    """pypdf alone: open each PDF and lay out its text (or read its fields, for a fillable one)."""
    from pypdf import PdfReader

    pages = 0
    for path in paths:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.get_fields():
            reader.get_fields()
        else:
            for page in reader.pages:
                page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
        pages += len(reader.pages)
    return pages


def megaroth_pdf(paths: list[Path]) -> int:
    from megaroth.importers import Document, identify

    records = 0
    for path in paths:
        doc = Document(name=str(path), data=path.read_bytes())
        records += len(identify(doc).extract(doc).records)
    return records


def floor_f1040(paths: list[Path]) -> int:
    """pypdf alone on a software's Form 1040: each page's plain text and the form fields."""
    from pypdf import PdfReader

    pages = 0
    for path in paths:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        reader.get_fields()
        for page in reader.pages:
            page.extract_text()
        pages += len(reader.pages)
    return pages


def megaroth_f1040(paths: list[Path]) -> int:
    """`compare`'s reading of a software's Form 1040 PDF: figures per return."""
    from megaroth.importers.base import Document
    from megaroth.importers.f1040_pdf import read_f1040_pdf
    from megaroth.params import load_year

    figures = 0
    for path in paths:
        figures += len(read_f1040_pdf(Document(name=str(path), data=path.read_bytes()), load_year).figures)
    return figures


def timed(function, *args) -> tuple[float, int]:
    start = time.perf_counter()
    count = function(*args)
    return time.perf_counter() - start, count


def peak_rss_kib(rows: int, directory: Path) -> int:
    """Max RSS of a fresh process importing a CSV of `rows` rows (Linux reports KiB)."""
    path = directory / f"memory_{rows}.csv"
    make_csv(path, rows)
    code = ("import resource, sys; sys.path.insert(0, %r); from bench_import import megaroth_csv_import; "
            "from pathlib import Path; megaroth_csv_import(Path(%r)); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)") % (str(Path(__file__).parent), str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="CSV rows for the import path")
    parser.add_argument("--batch-rows", type=int, default=10_000, help="CSV rows for the full batch (worksheets)")
    parser.add_argument("--pdfs", type=int, default=200, help="PDF files (copies of the fixtures)")
    args = parser.parse_args()
    results = []
    importlib.import_module("megaroth.api")  # load every module before timing, as a long batch would
    importlib.import_module("megaroth.intake")
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        big = directory / "batch.csv"
        make_csv(big, args.rows)
        floor_seconds, floor_count = timed(floor_csv, big)
        ours_seconds, ours_count = timed(megaroth_csv_import, big)
        results.append(("CSV import (identify, group, validate)", ours_count, ours_seconds, floor_seconds))
        small = directory / "batch_small.csv"
        make_csv(small, args.batch_rows)
        floor_small, _ = timed(floor_csv, small)
        batch_seconds, batch_count = timed(megaroth_batch, small, directory / "out")
        results.append(("CSV batch report (+ analyze, render, write)", batch_count, batch_seconds, floor_small))
        pdf_dir = directory / "pdfs"
        pdf_dir.mkdir()
        paths = []
        for n in range(args.pdfs):
            name = FIXTURE_PDFS[n % len(FIXTURE_PDFS)]
            target = pdf_dir / f"{n:04d}-{name}"
            shutil.copy(ROOT / "fixtures" / "pdf" / name, target)
            paths.append(target)
        floor_pdf_seconds, _ = timed(floor_pdf, paths)
        pdf_seconds, pdf_records = timed(megaroth_pdf, paths)
        results.append((f"PDF import ({args.pdfs} files)", pdf_records, pdf_seconds, floor_pdf_seconds))
        returns = sorted((ROOT / "fixtures" / "pdf" / "f1040").glob("*.pdf"))
        f1040_paths = [returns[n % len(returns)] for n in range(args.pdfs)]
        floor_1040, _ = timed(floor_f1040, f1040_paths)
        f1040_seconds, f1040_figures = timed(megaroth_f1040, f1040_paths)
        results.append((f"Form 1040 PDF figures ({args.pdfs} returns)", f1040_figures, f1040_seconds, floor_1040))
        memory = [(rows, peak_rss_kib(rows, directory)) for rows in (args.rows // 10, args.rows)]

    print(f"{'path':48} {'records':>9} {'seconds':>8} {'records/s':>10} {'floor s':>8} {'overhead':>9}")
    for name, count, seconds, floor in results:
        overhead = f"{(seconds / floor - 1) * 100:+.0f}%" if floor else "n/a"
        print(f"{name:48} {count:9d} {seconds:8.2f} {count / seconds:10.0f} {floor:8.2f} {overhead:>9}")
    print()
    for rows, kib in memory:
        print(f"peak memory importing {rows:>7} CSV rows: {kib / 1024:7.1f} MiB")
    print(json.dumps({"results": [dict(zip(("path", "records", "seconds", "floor_seconds"), r)) for r in results],
                      "memory_kib": dict(memory)}))


if __name__ == "__main__":
    main()
