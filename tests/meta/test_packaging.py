"""The wheel carries forms/ (parameters, citations, templates) so an installed megaroth works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_contains_the_form_catalogue(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    (wheel,) = tmp_path.glob("megaroth-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("megaroth/forms/citations.toml", "megaroth/forms/statutory.toml",
                     "megaroth/forms/f1099r_boxes.toml", "megaroth/forms/2025/parameters.toml",
                     "megaroth/forms/2019/f1040_lines.toml", "megaroth/forms/2024/distribution_codes.toml",
                     "megaroth/forms/templates/worksheet.md.j2", "megaroth/forms/templates/worksheet.html.j2",
                     "megaroth/forms/csv_columns.toml", "megaroth/forms/pdf_text_labels.toml",
                     "megaroth/forms/pdf_fields/f1099r_2025.toml", "megaroth/importers/pdf_text.py",
                     "megaroth/cli.py", "megaroth/forms/irs_pdfs.toml", "megaroth/forms/2025/f1040.pdf",
                     "megaroth/forms/2025/f1040_pdf_fields.toml", "megaroth/forms/2023/f8606_pdf_fields.toml",
                     "megaroth/forms/2019/f1040s2_pdf_fields.toml", "megaroth/forms/2025/f1099r.pdf",
                     "megaroth/pdf_maps.py", "megaroth/importers/pdf_words.py", "megaroth/forms/static/page.js"):
        assert required in names, required
    # The IRS blank forms (about 3 MB) are the bulk of it; the wheel stays small.
    assert wheel.stat().st_size < 6_000_000
    assert not any(name.startswith("scripts/") or "derive_pdf_maps" in name for name in names)
