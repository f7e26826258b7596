"""Time to read a scanned Form 1099-R page, next to the OCR engine's own time on the same page.

Not a test: run it by hand and read the table.

    python benchmarks/bench_scan.py              # 3 forms x 4 scans, 3 runs each
    python benchmarks/bench_scan.py --runs 5

The pages are the real IRS 2025 Form 1099-R filled with known values (tests/realforms/
scan_images.py) and made into images (200 dpi PNG, 150 dpi JPEG, turned 2°, 1-bit fax with
speckle). For each, the median of the runs of: megaroth's whole read (image decoding, the
engine, fitting the form, reading the boxes, the second reading of uncertain boxes) and the
engine alone (`tesseract --psm 11` on the same gray page, one thread). The target is 3 s a page
on the project's 2-core machine. It also counts, over the set, the boxes read right, asked
(awaiting confirmation) and read wrong (which must be none).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from megaroth.importers.scan_image import ocr, page_images  # noqa: E402
from tests.realforms.scan_images import FORMS, expected, render  # noqa: E402

SCANS = {"200 dpi PNG": {"dpi": 200}, "150 dpi JPEG q60": {"dpi": 150, "jpeg": 60},
         "200 dpi turned 2°": {"dpi": 200, "angle": 2.0}, "fax 1-bit 150 dpi": {"dpi": 150, "mode": "1", "noise": 0.01}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'form':6} {'scan':20} {'megaroth s':>10} {'engine s':>9}  right asked wrong")
    totals = {"right": 0, "asked": 0, "wrong": 0, "forms_right": 0, "forms": 0}
    ours_all, engine_all = [], []
    for form in FORMS:
        for label, how in SCANS.items():
            data = render(form, **how)
            doc = Document(f"{form}.img", data)
            image, _ = page_images(doc)[0]
            ours, engine = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                extraction = extract(Document(f"{form}.img", data))
                ours.append(time.perf_counter() - started)
                engine.append(ocr(image, 60, None)[1])
            right = asked = wrong = 0
            record = extraction.records[0] if extraction.records else None
            for box, want in expected(form).items():
                if record is None or box in record.awaiting or record.errors:
                    asked += 1
                    continue
                got = record.values.get(box, False if isinstance(want, bool) else None)
                got = got.replace(",", "") if isinstance(got, str) else got
                right, wrong = (right + 1, wrong) if got == want else (right, wrong + 1)
            totals["right"] += right
            totals["asked"] += asked
            totals["wrong"] += wrong
            totals["forms"] += 1
            totals["forms_right"] += asked == 0 and wrong == 0
            ours_all.append(statistics.median(ours))
            engine_all.append(statistics.median(engine))
            print(f"{form:6} {label:20} {ours_all[-1]:10.2f} {engine_all[-1]:9.2f}  {right:5} {asked:5} {wrong:5}")
    print(f"\nmedian a page: megaroth {statistics.median(ours_all):.2f} s, engine alone {statistics.median(engine_all):.2f} s;"
          f" worst page {max(ours_all):.2f} s")
    print(f"boxes: {totals['right']} right, {totals['asked']} asked, {totals['wrong']} wrong; forms read entirely: "
          f"{totals['forms_right']} of {totals['forms']}")


if __name__ == "__main__":
    main()
