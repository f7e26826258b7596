"""Across several years of a ledger (issue 10): the basis recovered never exceeds the basis put in,
and every dollar converted is taxed once at most."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from megaroth import api

CENTS = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("20000.00"), places=2, allow_nan=False,
                    allow_infinity=False)
YEAR = st.fixed_dictionaries({
    "contribution": CENTS,        # nondeductible contribution for the year (Form 8606 line 1)
    "convert": CENTS,             # traditional IRA converted to a Roth IRA (line 8)
    "keep": CENTS,                # traditional IRA distribution kept (line 7)
    "year_end": CENTS,            # traditional IRAs on December 31 (line 6)
    "roth_contribution": CENTS,   # regular Roth IRA contribution (line 22)
    "roth_out": CENTS,            # Roth IRA distribution (code J)
})


def ira_form(form_id: str, amount: Decimal, to: str, code: str = "7") -> dict:
    return {"id": form_id, "box_1": f"{amount:.2f}", "box_2a": f"{amount:.2f}", "box_2b_taxable_not_determined": True,
            "box_7": code, "box_7_ira_sep_simple": code != "J", "disposition": [{"to": to, "amount": f"{amount:.2f}"}]}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(years=st.lists(YEAR, min_size=2, max_size=3))
def test_basis_is_recovered_at_most_once_and_conversions_taxed_at_most_once(tmp_path_factory, years):
    db = tmp_path_factory.mktemp("ledger") / "ledger.sqlite3"
    put_in = recovered = converted = traditional_taxed = ZERO = Decimal("0.00")
    roth_basis_left = ZERO
    for index, year in enumerate(years):
        tax_year = 2021 + index
        ira = {"nondeductible_contributions": f"{year['contribution']:.2f}", "year_end_value": f"{year['year_end']:.2f}",
               "roth_contributions": f"{year['roth_contribution']:.2f}", "first_roth_year": 2021}
        if index == 0:  # the opening balances, once; later years come from the ledger
            ira.update(basis="0.00", roth_contribution_basis="0.00", roth_conversions=[])
        forms = [ira_form(f"{name}-{tax_year}", amount, to, code) for name, amount, to, code in (
            ("convert", year["convert"], "roth_ira", "7"), ("keep", year["keep"], "kept", "7"),
            ("roth", year["roth_out"], "kept", "J")) if amount]
        case = {"tax_year": tax_year, "taxpayer": {"id": "C-1", "birth_date": "1980-01-01", "ira": ira},
                "forms_1099r": forms}
        _, _, analysis = api.ledger_add(api.case_from_dict(json.loads(json.dumps(case))), db)
        assert not analysis.errors
        (person,) = analysis.people
        f8606 = person.form_8606
        assert f8606.status != "not_computed", f8606.summary
        put_in += year["contribution"]
        converted += year["convert"]
        # Roth basis available this year: what was left plus what this year put in.
        available = roth_basis_left + year["roth_contribution"] + year["convert"]
        roth_basis_left = available - min(year["roth_out"], available)
        line = {entry.line: entry.amount for entry in f8606.lines}
        if line.get("13") is not None:
            recovered += line["13"]
        if line.get("16") is not None:
            # Each converted dollar is either basis (line 17) or taxable (line 18), never both.
            assert line["17"] + line["18"] == line["16"] == year["convert"]
            assert ZERO <= line["18"] <= line["16"]
        traditional_taxed += sum((r.taxable or ZERO) for r in analysis.forms if r.account == "ira")
        roth_taxed = line.get("25c") or ZERO
        # The basis recovered never exceeds the basis put in; what is left is never negative.
        assert recovered <= put_in
        if f8606.traditional_basis_next_year is not None:
            assert f8606.traditional_basis_next_year == put_in - recovered >= ZERO
        # Traditional IRA money is taxed at most once: never more than what came out.
        assert traditional_taxed <= sum(y["convert"] + y["keep"] for y in years[:index + 1])
        # A Roth IRA distribution is taxable only beyond the basis put in and not yet taken out
        # (contributions and conversions): converted money is never taxed a second time.
        assert roth_taxed <= max(ZERO, year["roth_out"] - available)
