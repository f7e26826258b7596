"""A page turned on the glass, or lying sideways, is put right from its pixels before the engine
reads it (importers/scan_geometry.py: `rules_angle`, `lies_sideways`, `stood_up`), so that it is
read once: the real IRS 2025 Form 1099-R filled with the test's cases (tests/realforms/scan_images.py)
turned by angles the test chose. The expected angles are the test's own turns, never what megaroth
measured; the values read are the ones filled in."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from tests.helpers import require_scan

require_scan()

from megaroth.importers import scan_geometry, scan_image
from megaroth.importers.base import Document
from megaroth.importers.scan_1099r import extract
from tests.importers.test_scan_1099r import _wrong
from tests.realforms.scan_images import expected, render


def _gray(data: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("L")


@pytest.mark.parametrize("angle", [-4.6, -1.3, 0.7, 2.2, 3.8])
def test_the_angle_a_page_was_turned_is_measured_from_its_rules(angle):
    """Within 1/20 of a degree of the test's turn, undone (Pillow turns counter-clockwise)."""
    measured = scan_geometry.rules_angle(_gray(render("plan", dpi=200, angle=angle)))
    assert measured is not None and isinstance(measured, Fraction)
    assert abs(measured + Fraction(angle)) <= Fraction(1, 20), measured


@pytest.mark.parametrize("how", [{"dpi": 300}, {"dpi": 200, "jpeg": 60}, {"dpi": 150, "mode": "1", "noise": 0.02}])
def test_a_level_page_is_read_as_it_lies(how):
    """Straight scans, clean or faxed, are not turned: the very image goes to the engine."""
    image = _gray(render("mega", **how))
    assert scan_geometry.rules_angle(image) in (None, 0)
    same, _, done = scan_geometry.prepared(image, how["dpi"])
    assert same is image and done == []


def _whole_page_readings(monkeypatch) -> list:
    """The sizes of the images the engine reads whole (page segmentation 11, wider than 1,000 pixels)."""
    sizes = []
    real = scan_image.ocr

    def counting(image, seconds, source, psm=11, allowed=None):
        if psm == 11 and image.width > 1000:
            sizes.append(image.size)
        return real(image, seconds, source, psm, allowed)

    monkeypatch.setattr(scan_image, "ocr", counting)
    return sizes


def test_a_page_turned_3_degrees_is_read_once_level_and_right(monkeypatch):
    sizes = _whole_page_readings(monkeypatch)
    extraction = extract(Document("mega.png", render("mega", dpi=200, angle=-3)))
    [record] = extraction.records
    assert _wrong(record, "mega") == []
    assert record.values["box_1"].replace(",", "") == expected("mega")["box_1"]
    assert len(sizes) == 1, sizes  # not read turned, then read again straightened
    # The page's turn on the glass is still said, though its words were read level.
    assert any("turned +3.0°" in note for note in extraction.notes), extraction.notes


@pytest.mark.parametrize(("turn", "sideways"), [(0, False), (90, True), (180, False), (270, True)])
def test_a_page_lying_sideways_is_told_from_its_pixels(turn, sideways):
    from PIL import Image

    page = _gray(render("ira", dpi=200, turn=turn) if turn else render("ira", dpi=200))
    assert scan_geometry.lies_sideways(page) is sideways
    # The form alone, cut from its page (wider than high when upright), turned the same way.
    upright = _gray(render("ira", dpi=200))
    form = upright.crop((0, 0, upright.width, upright.height // 3))
    turned = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    assert scan_geometry.lies_sideways(form.transpose(turned[turn]) if turn else form) is sideways


def test_a_sideways_page_is_stood_up_before_it_is_read_once(monkeypatch):
    sizes = _whole_page_readings(monkeypatch)
    extraction = extract(Document("plan.png", render("plan", dpi=200, turn=90)))
    [record] = extraction.records
    assert _wrong(record, "plan") == [] and not set(record.awaiting) & set(expected("plan")), record.awaiting
    assert sizes == [(1700, 2200)], sizes  # one reading, of the page standing up
