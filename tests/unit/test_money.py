from decimal import Decimal

import pytest

from megaroth.money import MoneyError, money_text, parse_money, total, whole_dollars


@pytest.mark.parametrize(
    "printed, amount",
    [
        ("10200.00", "10200.00"),
        ("$1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        (" 1 234.50 ", "1234.50"),
        (1234, "1234.00"),
        (Decimal("7.1"), "7.10"),
        ("-0", "0.00"),
        ("0.000", "0.00"),
        ("(0.00)", "0.00"),
        (0.1, "0.10"),
    ],
)
def test_parse_money_reads_printed_amounts(printed, amount):
    value = parse_money(printed)
    assert value == Decimal(amount)
    assert str(value) == amount  # always two places, never -0.00


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "—"])
def test_blank_stays_blank(blank):
    assert parse_money(blank) is None


@pytest.mark.parametrize(
    "bad, words",
    [("-5", "negative"), ("(12.00)", "negative"), ("1.005", "fractions of a cent"), ("abc", "not an amount"),
     ("NaN", "not an amount"), ("Infinity", "not an amount"), (Decimal("NaN"), "not a finite"),
     (True, "true/false"), ([1], "expected an amount"),
     # Commas only as thousands separators: "1,2,3" is not 123 (issue 8).
     ("1,2,3", "not an amount"), ("12,34", "not an amount"), ("1_000", "not an amount"), ("1e5", "not an amount"),
     # Larger than the 12-digit amount fields of information returns (Pub 1220): refused, never a crash.
     ("1e26", "not an amount"), (Decimal("1E+26"), "more than any"), (10**30, "more than any"),
     pytest.param(10**5000, "more than any", id="5001-digit-int"), ("10000000000.00", "more than any")],
)
def test_bad_amounts_are_refused_with_a_reason(bad, words):
    with pytest.raises(MoneyError, match=words):
        parse_money(bad)


@pytest.mark.parametrize(
    "amount, dollars",
    [("2.50", "3"), ("2.49", "2"), ("3.50", "4"), ("10200.00", "10200"), ("0.50", "1"), ("0.49", "0")],
)
def test_whole_dollars_round_half_up(amount, dollars):
    # Python's default rounding would give 2 for 2.50 (half even); the IRS rounds half up.
    assert whole_dollars(Decimal(amount)) == Decimal(dollars)


def test_total_skips_blanks_and_stays_in_cents():
    assert total([Decimal("0.10"), None, Decimal("0.20")]) == Decimal("0.30")


def test_money_text():
    assert money_text(Decimal("10200")) == "$10,200.00"
    assert money_text(None, blank="blank") == "blank"
