"""Every fact the rules report missing can be asked, and answering what is asked ends the asking.

For generated returns of IRA and Roth IRA forms (codes 1, 2, 7, J, kept, converted or rolled) on
one or two people, with no IRA facts given: each missing fact has a question in the one
definition (megaroth.questions), answering each question asked (0, a year, a date) writes a
value the case model accepts, no question comes back once answered, and after at most a few
rounds the result is complete. A rule that reported a fact the questions cannot ask would leave
a person with an incomplete return and no way to finish it.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from megaroth import api, questions

AMOUNTS = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("50000.00"), places=2, allow_nan=False,
                      allow_infinity=False)
ANSWER = {"money": "0", "year": "2015", "date": "1980-06-01", "layers": "none", "date_or_none": "none",
          "recharacterizations": "none"}


@st.composite
def ira_form(draw, index: int, owner: str | None):
    code = draw(st.sampled_from(["1", "2", "7", "J", "G", "R"]))
    gross = draw(AMOUNTS)
    roth_account = code == "J"
    if code == "R":  # a recharacterization: its facts (the contribution moved) are asked when missing
        gross = draw(AMOUNTS)
    to = draw(st.sampled_from(["kept"] if roth_account else ["kept", "roth_ira", "traditional_ira"]))
    part = {"to": to, "amount": f"{gross:.2f}"}
    if to == "traditional_ira" and draw(st.booleans()):
        # a 60-day IRA-to-IRA rollover: the one-per-12-months rule may want the last one's date
        part.update(within_60_days=True, date="2025-03-20")
    form = {"id": f"f{index}", "box_1": f"{gross:.2f}", "box_7": code, "box_7_ira_sep_simple": not roth_account,
            "disposition": [part]}
    if part.get("within_60_days"):
        form["distribution_date"] = "2025-03-01"
    if to == "kept" and code != "J":
        form["box_2a"] = f"{gross:.2f}"
    if code == "J":
        form["box_2b_taxable_not_determined"] = True
    if owner:
        form["owner"] = owner
    return form


@st.composite
def cases(draw):
    joint = draw(st.booleans())
    count = draw(st.integers(min_value=1, max_value=3))
    forms = [draw(ira_form(i, draw(st.sampled_from(["taxpayer", "spouse"])) if joint else None))
             for i in range(count)]
    case = {"tax_year": 2025, "taxpayer": {"name": "Pat"}, "forms_1099r": forms}
    if joint:
        case.update(filing_status="married_filing_jointly", spouse={"name": "Robin"})
    return case


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(["1980-06-01", "1950-03-15"]), st.sampled_from(["0", "2500"]))
def test_every_missing_fact_is_asked_and_answering_ends_it(case, birth, amount):
    """Answers: a birth date that makes the owner young or of RMD age, and amounts of 0 or $2,500."""
    answered: set[str] = set()
    for _ in range(6):
        loaded = api.case_from_dict(json.loads(json.dumps(case)))
        assert not loaded.errors, loaded.errors
        missing = api.analyze(loaded).missing_facts
        asked = questions.fact_questions(case, missing)
        assert {q.id for q in asked} == {m.fact for m in missing}, "a missing fact without its question"
        assert not {q.id for q in asked} & answered, "a question asked again after its answer"
        if not asked:
            return
        answers = {q.id: birth if q.value_kind == "date" else amount if q.value_kind == "money" else ANSWER[q.value_kind]
                   for q in asked}
        answered |= set(answers)
        case = questions.apply_answers(case, answers)
    raise AssertionError(f"still asking after 6 rounds: {[m.fact for m in missing]}")
