"""Photographed Forms 1099-R: the real IRS 2025 form filled with our three cases
(tests/realforms/scan_images.py) made into phone photos (tests/realforms/photo_images.py) —
turned 90/180/270°, held at an angle (corners moved 10-15%), on a darker table, under a lamp's
gradient or a hand's shadow, slightly blurred, saved as JPEG. The expected values are the ones
filled in, never what megaroth read: each box is read right or left awaiting confirmation (or the
form refused naming box 1 or 7), never a wrong value accepted."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from tests.helpers import require_scan  # noqa: E402

require_scan()

from typer.testing import CliRunner  # noqa: E402

from megaroth.cli import app  # noqa: E402
from megaroth.importers import scan_geometry  # noqa: E402
from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from tests.importers.test_scan_1099r import _wrong  # noqa: E402
from tests.realforms.photo_images import photograph  # noqa: E402
from tests.realforms.scan_images import expected, render  # noqa: E402

TILTED = [(0.12, 0.05), (0.02, 0.10), (0.10, 0.02), (0.03, 0.12)]
"""A camera held at an angle: each corner moved inward 2-12% of the page's width and height."""


@pytest.mark.parametrize(("form", "turn"), [("mega", 90), ("ira", 180), ("plan", 270)])
def test_a_page_turned_sideways_or_upside_down_is_stood_up_and_read_entirely(form, turn):
    extraction = extract(Document(f"{form}.jpg", photograph(form, turn=turn)))
    [record] = extraction.records
    # Entirely: every box of the case (amounts, code, IRA/SEP/SIMPLE) taken; a payer's address
    # left awaiting is not a tax figure.
    assert not record.errors and not set(record.awaiting) & set(expected(form)), (record.errors, record.awaiting)
    assert _wrong(record, form) == []
    assert record.values["box_1"].replace(",", "") == expected(form)["box_1"]


PHOTOS = [
    # (form, how, read entirely): held at an angle, one to four boxes may be left awaiting
    # confirmation (or the form refused naming box 7); held square, lit unevenly, every box is read.
    ("plan", {"corners": TILTED, "light": "gradient", "blur": 0.8}, False),
    ("mega", {"corners": [(0.15, 0), (0.15, 0), (0, 0), (0, 0)], "light": "shadow", "blur": 1.0}, False),
    ("ira", {"corners": [(0, 0.1), (0.1, 0), (0, 0.1), (0.1, 0)], "light": "shadow", "blur": 0.6, "turn": 90}, False),
    ("mega", {"light": "shadow", "jpeg": 80}, True),
    ("ira", {"light": "gradient"}, True),
]


# One test a photo (not one test of five): pytest-xdist then shares them among its workers.
@pytest.mark.parametrize(("form", "how", "entirely"), PHOTOS)
def test_photos_at_an_angle_in_uneven_light_are_read_right_or_asked_never_wrong(form, how, entirely):
    extraction = extract(Document(f"{form}.jpg", photograph(form, **how)))
    assert extraction.records, (form, how, [e.message for e in extraction.errors])
    [record] = extraction.records
    assert _wrong(record, form) == [], (form, how)
    for box in record.awaiting:
        assert box not in record.values and record.scan[box]["accepted"] is False
    if entirely:
        assert not record.errors and not set(record.awaiting) & set(expected(form)), (record.errors, record.awaiting)


def test_the_sheet_is_found_against_the_table_where_it_lies():
    """The page's corners, moved by the test's own warp, are found within 1.5% of the page's size."""
    from PIL import Image

    image = Image.open(io.BytesIO(photograph("mega", corners=TILTED, jpeg=90))).convert("L")
    width, height = 1700, 2200  # the 200 dpi letter page
    margin_x, margin_y = int(width * 0.06), int(height * 0.06)
    signs = [(1, 1), (-1, 1), (-1, -1), (1, -1)]
    base = [(0, 0), (width, 0), (width, height), (0, height)]
    want = [(margin_x + x + sx * dx * width, margin_y + y + sy * dy * height)
            for (x, y), (sx, sy), (dx, dy) in zip(base, signs, TILTED)]
    quad = scan_geometry.page_quad(image)
    assert quad is not None
    for (u, v), (x, y) in zip(quad, want):
        assert abs(u - x) <= width * 0.015 and abs(v - y) <= height * 0.015, (quad, want)


def test_the_perspective_is_solved_exactly():
    """Four corners of a 100 x 130 rectangle taken from a trapezoid: each coefficient is a Fraction
    and the map sends every target corner exactly onto its source."""
    target = [(0, 0), (100, 0), (100, 130), (0, 130)]
    source = [(10, 5), (95, 12), (100, 140), (3, 128)]
    a, b, c, d, e, f, g, h = scan_geometry.perspective(target, source)
    assert all(isinstance(k, Fraction) for k in (a, b, c, d, e, f, g, h))
    for (x, y), (u, v) in zip(target, source):
        w = g * x + h * y + 1
        assert ((a * x + b * y + c) / w, (d * x + e * y + f) / w) == (u, v)
    assert scan_geometry.perspective([(0, 0)] * 4, source) is None  # degenerate corners: no warp guessed


def test_a_clean_scan_is_left_as_it_is():
    """No table around it, light even, upright: the very image goes to the engine, at no extra pass."""
    from PIL import Image

    image = Image.open(io.BytesIO(render("mega", dpi=200))).convert("L")
    same, dpi, done = scan_geometry.prepared(image, 200)
    assert same is image and dpi == 200 and done == []


def test_a_turned_photo_through_the_cli(tmp_path):
    path = tmp_path / "sideways.jpg"
    path.write_bytes(photograph("ira", turn=270))
    case = tmp_path / "case.json"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(case)])
    assert result.exit_code == 0, result.output
    import json

    [form] = json.loads(case.read_text())["forms_1099r"]
    assert form["box_1"] == "7000.38" and form["box_2a"] == "7000.38" and form["box_7"] == "2"
