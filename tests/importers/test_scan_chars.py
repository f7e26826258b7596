"""An account number confirmed by the engine's confidence in each of its characters (scan_chars),
where the word's confidence is dragged down by a doubtful "Z" or a speck beside the characters
(issue 21: "Z92-951607" read "Z292-…" at 41-43% by every second reading, each other character at
98-99%; "'401K-19487" at 0% at 150 dpi, each character at 98%).

The crops are Helvetica as the IRS form's fields print it, drawn by fpdf2 and rendered as a scan
would be; the expected values are the ones drawn."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import require_scan  # noqa: E402

require_scan()

from megaroth.importers import scan_chars  # noqa: E402


def _chars(text: str, confidences: list[int]) -> list[tuple[str, Decimal]]:
    return [(c, Decimal(x)) for c, x in zip(text, confidences, strict=True)]


SURE = [99] * 10


def test_two_readings_of_the_same_characters_each_sure_confirm_the_value():
    readings = [_chars("401K-19487", SURE), _chars("401K-19487", [98] * 10), None]
    assert scan_chars.agreed(readings, "401K-19487", []) == Decimal(98)


def test_one_reading_is_not_two_and_an_unsure_character_does_not_confirm():
    assert scan_chars.agreed([_chars("401K-19487", SURE)], "401K-19487", []) is None
    unsure = _chars("401K-19487", [99, 99, 99, 80, 99, 99, 99, 99, 99, 99])  # the "K" at 80%
    assert scan_chars.agreed([_chars("401K-19487", SURE), unsure], "401K-19487", []) is None
    # A faxed TIN's "5" read "6" at 90% by three readings (seed 2025's r07): 90% confirms nothing.
    fax = _chars("19-9565881", [93, 97, 98, 98, 96, 90, 94, 98, 95, 97])
    assert scan_chars.agreed([fax, fax, fax], "19-9565881", []) is None


def test_a_reading_of_other_characters_refuses_the_value_however_unsure():
    # A photographed page's box rule read as a leading "1" (the benchmark's r13, seed 2025), at 85-89%.
    rule = _chars("17107-81621", [89, 99, 93, 99, 99, 99, 99, 99, 99, 99, 99])
    assert scan_chars.agreed([_chars("7107-81621", SURE), _chars("7107-81621", SURE), rule], "7107-81621", []) is None
    # A "Z" read "7" (seed 7's faxed r07): not a "Z"/"2" question, whatever the glyph's shape says.
    seven = _chars("755-815887", [95, 99, 99, 99, 99, 99, 99, 99, 99, 98])
    sure = [_chars("255-815887", SURE)] * 2
    assert scan_chars.agreed([*sure, seven], "Z55-815887", [0]) is None


def test_a_doubtful_glyph_read_twice_confirms_the_others_and_its_place_stays_the_shapes():
    doubled = _chars("Z292-951607", [92, 91, 98, 98, 99, 99, 98, 99, 99, 99, 99])
    assert scan_chars.agreed([doubled, doubled], "Z92-951607", [0, 2]) == Decimal(98)
    # Not at a doubtful place: "Z92-9551607" is another number, not a doubled "Z".
    other = _chars("Z92-9551607", [99] * 11)
    assert scan_chars.agreed([other, other], "Z92-951607", [0, 2]) is None
    # A value with no "Z" or "2" has no doubtful place: a doubled character is another number.
    assert scan_chars.agreed([_chars("401K-194877", [99] * 11)] * 2, "401K-19487", []) is None


def test_a_rule_or_a_speck_at_the_ends_is_not_a_character():
    speck = _chars("'401K-19487|", [0, *[98] * 10, 30])
    assert scan_chars.agreed([speck, speck], "401K-19487", []) == Decimal(98)


@pytest.fixture(scope="module")
def account_crop():
    """"401K-19487" (the benchmark's r03 account number) in 9-point Helvetica at 150 dpi, enlarged
    as the account number's second readings are (digits ~32 px)."""
    import pypdfium2 as pdfium
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="pt", format=(140, 30))
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.text(20, 18, "401K-19487")
    page = pdfium.PdfDocument(bytes(pdf.output()))[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    crop = page.crop((30, 14, 200, 48))
    return crop.resize((crop.width * 24 // 10, crop.height * 24 // 10), Image.LANCZOS)


def test_the_engine_gives_each_character_and_its_confidence(account_crop):
    [chars] = scan_chars.read_crops([account_crop])
    assert "".join(c for c, _ in scan_chars.trimmed(chars)) == "401K-19487"
    assert all(Decimal(0) <= conf <= Decimal(100) for _, conf in chars)
    assert scan_chars.agreed([chars, chars], "401K-19487", []) is not None


def test_a_5498_account_number_by_its_characters_only_when_every_reading_reads_it_and_no_z_or_2(monkeypatch):
    """The Form 5498's account number (scan_5498._account_by_chars): a 1-bit page's "IRA-933-5949" read
    alike at 75% as a word by both crops, each character at 96-99%. Never for a value with a "Z" or a
    "2" (no glyph shapes there), nor when a crop read other characters; the engine is not asked then."""
    from megaroth.importers import scan_5498

    asked: list = []
    monkeypatch.setattr(scan_5498, "_crop", lambda *a, **k: asked.append(a) or None)
    alike = [("IRA-933-5949", Decimal(75)), ("IRA-933-5949", Decimal(74))]
    assert scan_5498._account_by_chars(None, [], "IRA-223-5949", alike, None, False) is None
    assert scan_5498._account_by_chars(None, [], "IRA-933-5949", [alike[0], ("IRA-933-5940", 60)], None, False) is None
    assert scan_5498._account_by_chars(None, [], "IRA-933-5949", [alike[0], None], None, False) is None
    assert not asked
    sure = [(c, Decimal(98)) for c in "IRA-933-5949"]
    monkeypatch.setattr(scan_5498, "_crop", lambda *a, **k: account_crop_stub)
    monkeypatch.setattr(scan_chars, "read_crops", lambda crops: [sure, sure, None, None])
    assert scan_5498._account_by_chars(None, [], "IRA-933-5949", alike, None, False) == Decimal(98)


class _Stub:
    width = height = 10

    def resize(self, size):
        return self


account_crop_stub = _Stub()
