import pytest

from megaroth.model.codes import normalize_codes


@pytest.mark.parametrize("printed, codes", [
    ("G", "G"), ("g", "G"), ("4G", "4G"), ("07", "7"), ("7", "7"), ("B G", "BG"), ("7, B", "7B"),
    ("1B", "1B"), (" H ", "H"), ("Y7", "Y7"), ("8-1", "81"), (7, "7"),
])
def test_box_7_is_normalized(printed, codes):
    assert normalize_codes(printed) == codes


@pytest.mark.parametrize("bad, words", [
    ("", "blank"), ("X", "not a distribution code"), ("0", "0 is not"), ("GGG", "at most two"),
    ("GG", "same code twice"), ("123", "at most two"), (None, "expected"), ("I", "not a distribution code"),
])
def test_bad_codes_are_refused(bad, words):
    with pytest.raises(ValueError, match=words):
        normalize_codes(bad)
