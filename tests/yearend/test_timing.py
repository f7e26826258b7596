"""Conversion timing: FIFO matching, earnings, the wait, and the cross-check with the 1099-R."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from megaroth.model.form1099r import Form1099R
from megaroth.model.yearend import YearEnd
from megaroth.rules.timing import timing


def yearend(**fields) -> YearEnd:
    return YearEnd.model_validate(fields)


def test_monthly_contributions_converted_quarterly():
    data = yearend(after_tax_contributions=[{"date": f"2025-{m:02d}-15", "amount": "1000"} for m in (1, 2, 3, 4, 5)],
                   conversions=[{"date": "2025-03-20", "amount": "3030"}, {"date": "2025-06-20", "amount": "2010"}],
                   marginal_tax_rate="0.32")
    result = timing(data, 2025)
    assert [(c.basis, c.earnings, c.days_waited) for c in result.conversions] == [
        (D("3000.00"), D("30.00"), 34), (D("2000.00"), D("10.00"), 51)]
    assert result.taxable_earnings == D("40.00") and result.estimated_tax == D("12.80")
    assert result.unconverted_basis == D("0.00") and result.saved_by_converting_at_once == D("12.80")


def test_unconverted_money_at_year_end_and_opening_basis():
    data = yearend(after_tax_contributions=[{"date": "2025-11-01", "amount": "5000"}],
                   conversions=[{"date": "2025-02-01", "amount": "3050"}], year_end_unconverted_value="5040")
    result = timing(data, 2025, opening_basis=D("3000"))
    assert result.conversions[0].basis == D("3000.00") and result.conversions[0].earnings == D("50.00")
    assert result.unconverted_basis == D("5000.00") and result.unconverted_earnings == D("40.00")
    assert [p.unconverted for p in result.timeline] == [D("3000"), D("0.00"), D("5000.00"), D("5000.00")]


def test_basis_from_the_form_and_a_mismatch_is_reported():
    form = Form1099R.model_validate({"id": "f", "box_1": "10200", "box_2a": "200", "box_5": "10000", "box_7": "G"})
    data = yearend(after_tax_contributions=[{"date": "2025-01-02", "amount": "10000"}],
                   conversions=[{"date": "2025-01-30", "amount": "10200", "form_id": "f"}])
    assert timing(data, 2025, [form]).findings == []
    data = yearend(after_tax_contributions=[{"date": "2025-01-02", "amount": "10000"}],
                   conversions=[{"date": "2025-01-30", "amount": "10100", "form_id": "f"}])
    assert [f.code for f in timing(data, 2025, [form]).findings] == ["timing.conversions_differ_from_form"]


def test_a_conversion_at_a_loss():
    data = yearend(after_tax_contributions=[{"date": "2025-03-02", "amount": "10000"}],
                   conversions=[{"date": "2025-03-30", "amount": "9800"}])
    result = timing(data, 2025)
    assert result.conversions[0].basis == D("9800.00") and result.taxable_earnings == 0
    data = yearend(after_tax_contributions=[{"date": "2025-03-02", "amount": "10000"}],
                   conversions=[{"date": "2025-03-30", "amount": "9800", "basis": "10000"}])
    result = timing(data, 2025)
    assert result.conversions[0].earnings == D("-200.00") and result.taxable_earnings == 0
    assert "timing.conversion_at_a_loss" in {f.code for f in result.findings}


def test_average_wait_counts_unconverted_money_to_year_end():
    data = yearend(after_tax_contributions=[{"date": "2025-12-01", "amount": "1000"}])
    assert timing(data, 2025).average_days_unconverted == (date(2025, 12, 31) - date(2025, 12, 1)).days
