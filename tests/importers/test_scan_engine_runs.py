"""Several images read in one run of the OCR engine (scan_image.ocr_many) give each image the
words it gets read alone (scan_image.ocr): the text, the confidence and the box of every word.
ocr_many is how the six readings of a box are made (scan_code.readings): one start of the engine
instead of six (a faxed page: 30 runs, 5.3 s -> 10 runs, 2.1 s on this machine)."""

from __future__ import annotations

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.importers.scan_image import ocr, ocr_many  # noqa: E402
from tests.realforms.scan_images import render  # noqa: E402


def _crops():
    """Crops of the "plan" case scanned at 200 dpi: box 2a with its caption (58,720.19), box 2a cut
    across its value, a strip of the form's fine print, a blank corner, and the form's top third
    (box 1's 61,950.44 in it): several sizes, one with nothing to read."""
    import io

    from PIL import Image

    page = Image.open(io.BytesIO(render("plan", dpi=200))).convert("L")
    scale = 200 / 72
    boxes = [(300, 70, 400, 110), (300, 97, 400, 130), (300, 300, 360, 330), (10, 5, 60, 20), (0, 0, 612, 200)]
    return [page.crop(tuple(round(v * scale) for v in box)) for box in boxes]


def test_images_read_in_one_run_get_the_words_each_gets_alone():
    crops = _crops()
    together = ocr_many(crops, 60, None, psm=11)
    alone = [ocr(crop, 60, None, psm=11)[0] for crop in crops]
    assert together == alone
    assert "58,720.19" in [w.text for w in together[0]]  # read, not all empty
    assert any(w.text == "61,950.44" for w in together[4])
    assert together[3] == []


def test_the_settings_apply_to_every_image_of_the_run():
    crops = _crops()[:3]
    together = ocr_many(crops, 60, None, psm=7, allowed="0123456789.,")
    assert together == [ocr(crop, 60, None, psm=7, allowed="0123456789.,")[0] for crop in crops]
    assert all(set(w.text) <= set("0123456789.,") for words in together for w in words)
    assert ocr_many([], 60, None) == []
