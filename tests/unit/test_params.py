from decimal import Decimal

import pytest

from megaroth.catalog import available_years
from megaroth.errors import UnsupportedYear
from megaroth.params import latest_verified_year, load_year

YEARS = available_years()


def test_years_2019_through_2026_are_supported():
    assert YEARS == tuple(range(2019, 2027))
    assert latest_verified_year() == 2025


@pytest.mark.parametrize("year, pension, withholding, marker", [
    (2019, ("4c", "4d"), "17", "write_in"),
    (2020, ("5a", "5b"), "25b", "write_in"),
    (2024, ("5a", "5b"), "25b", "write_in"),
    (2025, ("5a", "5b"), "25b", "checkbox"),
    (2026, ("5a", "5b"), "25b", "checkbox"),
])
def test_form_1040_lines_by_year(year, pension, withholding, marker):
    lines = load_year(year).f1040.lines
    assert (lines.pension_gross.line, lines.pension_taxable.line) == pension
    assert (lines.ira_gross.line, lines.ira_taxable.line) == ("4a", "4b")
    assert lines.withholding.line == withholding
    assert load_year(year).f1040.markers.pension_rollover.kind == marker


@pytest.mark.parametrize("year, limit_402g, limit_415c", [
    (2019, "19000.00", "56000.00"), (2023, "22500.00", "66000.00"), (2024, "23000.00", "69000.00"),
    (2025, "23500.00", "70000.00"), (2026, "24500.00", "72000.00"),
])
def test_limits_are_the_notices_figures(year, limit_402g, limit_415c):
    limits = load_year(year).limits
    assert limits.elective_deferral_402g.value == Decimal(limit_402g)
    assert limits.annual_additions_415c.value == Decimal(limit_415c)


def test_code_tables_by_year():
    assert "Y" not in load_year(2024).codes.codes and "Y" in load_year(2025).codes.codes
    assert not load_year(2025).codes.pair_allowed("7", "G")
    assert load_year(2025).codes.pair_allowed("4", "G") and load_year(2025).codes.pair_allowed("B", "G")
    assert load_year(2025).codes.pair_allowed("7", "Y") and not load_year(2024).codes.codes["7"].used_with & {"Y"}
    assert load_year(2021).codes.based_on_year == 2024 and not load_year(2021).codes.verified


def test_unsupported_year():
    with pytest.raises(UnsupportedYear):
        load_year(2010)


def test_statutory_figures_are_exact():
    statutory = load_year(2025).statutory
    assert statutory.additional_tax_rate.value == Decimal("0.10")
    assert statutory.early_distribution_age.value == Decimal("59.5")
    assert statutory.rollover_period_days.value == 60
