"""Invariants that hold for every input, checked with generated data."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import example, given, strategies as st

from megaroth import api
from megaroth.dates import EARLIEST, LATEST
from megaroth.model.form1099r import Form1099R
from megaroth.render import render

CENTS = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("10000000.00"), places=2,
                    allow_nan=False, allow_infinity=False)
ROTH = st.sampled_from(["designated_roth_same_plan", "roth_ira"])
NON_ROTH = st.sampled_from(["traditional_ira", "employer_plan"])


def money(d: Decimal) -> str:
    return f"{d:.2f}"


def analyze(forms: list[dict], year: int = 2025):
    loaded = api.case_from_dict(json.loads(json.dumps({"tax_year": year, "forms_1099r": forms})))
    assert not loaded.errors, loaded.errors
    return api.analyze(loaded)


def lines(analysis) -> dict[str, Decimal | None]:
    return {e.key: e.amount for e in analysis.lines}


def conversion(basis: Decimal, earnings: Decimal, to: str, form_id: str = "f") -> dict:
    gross = basis + earnings
    return {"id": form_id, "box_1": money(gross), "box_2a": money(earnings), "box_5": money(basis), "box_7": "G",
            "disposition": [{"to": to, "amount": money(gross)}]}


@given(basis=CENTS, earnings=CENTS, to=ROTH)
@example(basis=Decimal("10000.00"), earnings=Decimal("200.00"), to="designated_roth_same_plan")
@example(basis=Decimal("0.00"), earnings=Decimal("0.00"), to="roth_ira")
@example(basis=Decimal("0.00"), earnings=Decimal("5000.00"), to="roth_ira")
def test_after_tax_conversion_taxes_exactly_the_earnings(basis, earnings, to):
    analysis = analyze([conversion(basis, earnings, to)])
    (result,) = analysis.forms
    assert result.basis + result.pretax == basis + earnings
    assert result.taxable == earnings >= 0
    got = lines(analysis)
    assert got["5b"] == earnings
    assert got["5a"] is None or got["5b"] <= got["5a"]


@given(basis=CENTS, low=CENTS, extra=CENTS, to=ROTH)
@example(basis=Decimal("100.00"), low=Decimal("0.49"), extra=Decimal("0.01"), to="roth_ira")
@example(basis=Decimal("100.00"), low=Decimal("0.50"), extra=Decimal("0.00"), to="roth_ira")
def test_more_earnings_never_lower_line_5b(basis, low, extra, to):
    before = lines(analyze([conversion(basis, low, to)]))["5b"]
    after = lines(analyze([conversion(basis, low + extra, to)]))["5b"]
    assert after >= before


@given(pretax=CENTS, basis=CENTS, non_roth=NON_ROTH, roth=ROTH)
def test_a_split_form_and_its_entry_split_give_the_same_lines(pretax, basis, non_roth, roth):
    """One G form to a non-Roth and a Roth destination, versus the two forms megaroth says to enter."""
    if roth == "designated_roth_same_plan" and non_roth == "employer_plan":
        non_roth = "traditional_ira"
    gross = pretax + basis
    form = {"id": "one", "box_1": money(gross), "box_2a": "0.00", "box_5": money(basis), "box_7": "G",
            "disposition": [{"to": non_roth, "amount": money(pretax)}, {"to": roth, "amount": money(basis)}]}
    single = analyze([form])
    (result,) = single.forms
    if len(result.entry_split) < 2:
        return  # one of the parts is empty: nothing to split
    parts = [{"id": f"part-{n}", "box_1": money(p.box_1), "box_2a": money(p.box_2a), "box_5": money(p.box_5),
              "box_7": p.box_7, "disposition": [{"to": p.destination.value, "amount": money(p.box_1)}]}
             for n, p in enumerate(result.entry_split)]
    assert sum(p.box_1 for p in result.entry_split) == gross
    assert sum(p.box_5 for p in result.entry_split) == basis
    split = analyze(parts)
    assert lines(split) == lines(single)
    assert split.form_8606.ira_basis_to_carry == single.form_8606.ira_basis_to_carry


@given(data=st.lists(st.tuples(CENTS, CENTS, ROTH), min_size=1, max_size=4), seed=st.randoms())
def test_order_of_forms_does_not_change_the_lines(data, seed):
    forms = [conversion(b, e, to, f"f{n}") for n, (b, e, to) in enumerate(data)]
    shuffled = list(forms)
    seed.shuffle(shuffled)
    assert lines(analyze(forms)) == lines(analyze(shuffled))


@given(basis=CENTS, earnings=CENTS, share=st.integers(min_value=0, max_value=100), to=ROTH)
def test_splitting_one_distribution_into_two_forms_keeps_the_lines(basis, earnings, share, to):
    first_basis = (basis * share / 100).quantize(Decimal("0.01"))
    first_earnings = (earnings * share / 100).quantize(Decimal("0.01"))
    whole = lines(analyze([conversion(basis, earnings, to)]))
    parts = [conversion(first_basis, first_earnings, to, "a"),
             conversion(basis - first_basis, earnings - first_earnings, to, "b")]
    assert lines(analyze(parts)) == whole


TINS = st.from_regex(r"\A[0-9]{3}-[0-9]{2}-[0-9]{4}\Z").filter(lambda t: not t.startswith("000"))


@given(tin=TINS, payer=st.from_regex(r"\A[0-9]{2}-[0-9]{7}\Z"))
def test_no_unmasked_tin_in_any_output(tin, payer):
    data = {"tax_year": 2025, "taxpayer": {"name": "Pat", "tin": tin},
            "forms_1099r": [dict(conversion(Decimal("1000.00"), Decimal("10.00"), "roth_ira"),
                                 recipient_tin=tin, payer_tin=payer)]}
    loaded = api.case_from_dict(data)
    analysis = api.analyze(loaded)
    for fmt in ("md", "html", "json"):
        text = render(analysis, loaded.case, fmt)
        assert tin not in text and tin.replace("-", "") not in text, fmt
        assert payer not in text and payer.replace("-", "") not in text, fmt
        assert tin[-4:] in text
    revealed = render(analysis, loaded.case, "json", reveal_tins=True)
    assert tin in revealed and payer in revealed


FORM_FIELDS = st.fixed_dictionaries(
    {"id": st.from_regex(r"\A[a-z][a-z0-9-]{0,20}\Z"), "box_1": CENTS, "box_7": st.sampled_from(["G", "7", "4G", "1B"])},
    optional={
        "box_2a": CENTS, "box_4": CENTS, "box_5": CENTS, "box_10": CENTS,
        "box_2b_taxable_not_determined": st.booleans(), "box_7_ira_sep_simple": st.booleans(),
        "recipient_tin": TINS, "box_9a": st.decimals(min_value=0, max_value=100, places=2),
        "box_11": st.integers(min_value=1990, max_value=2030), "distribution_date": st.dates(min_value=EARLIEST, max_value=LATEST).map(str),
        "disposition": st.lists(st.fixed_dictionaries({"to": ROTH | NON_ROTH, "amount": CENTS}), max_size=2),
    },
)


@given(fields=FORM_FIELDS)
def test_json_round_trip_is_lossless(fields):
    form = Form1099R.model_validate(json.loads(json.dumps(fields, default=str)))
    dumped = form.model_dump_json(context={"reveal_tins": True})
    assert Form1099R.model_validate_json(dumped) == form


@given(st.lists(st.tuples(CENTS, st.sampled_from(["roth_ira", "traditional_ira"]),
                          st.sampled_from([None, "A-1", "A-2"])), min_size=0, max_size=4),
       st.lists(st.tuples(CENTS, st.booleans(), st.sampled_from([None, "A-1", "A-2"])), min_size=0, max_size=3))
def test_every_ira_deposit_and_every_5498_rollover_is_in_exactly_one_match(rollovers, forms_5498):
    """The Form 5498 match loses nothing: each deposit a 1099-R implies is in one match row, and
    each Form 5498 of the year that shows a rollover is in one; a row is "matched" only when what
    is shown equals what is expected."""
    forms = [{"id": f"r{i}", "box_1": money(amount), "box_2a": "0.00", "box_5": money(amount), "box_7": "G",
              "disposition": [{"to": to, "amount": money(amount), **({"account": account} if account else {})}]}
             for i, (amount, to, account) in enumerate(rollovers)]
    reports = [{"id": f"s{i}", "box_2": money(amount), **({"box_7_roth_ira": True} if roth else {"box_7_ira": True}),
                **({"account_number": account} if account else {})}
               for i, (amount, roth, account) in enumerate(forms_5498)]
    loaded = api.case_from_dict(json.loads(json.dumps({"tax_year": 2025, "forms_1099r": forms,
                                                       "forms_5498": reports})))
    analysis = api.analyze(loaded)
    deposits = [d.form_id for m in analysis.rollover_matches for d in m.deposits]
    assert sorted(deposits) == sorted(f["id"] for f in forms)
    listed = [f for m in analysis.rollover_matches for f in m.forms_5498]
    assert len(listed) == len(set(listed))
    assert {r["id"] for r in reports if Decimal(r["box_2"])} <= set(listed)
    for match in analysis.rollover_matches:
        if match.status == "matched":
            assert abs(sum(match.shown.values(), Decimal(0)) - sum(match.expected.values(), Decimal(0))) < 1
