"""`megaroth init`: a starter case file, commented ("//" keys, which megaroth ignores), with one
mega backdoor 1099-R (an in-plan Roth rollover) to overwrite with your own forms."""

from __future__ import annotations

import json


def starter_case(tax_year: int) -> str:
    case = {
        "//": "A megaroth case: one return for one tax year. Keys starting with // are comments. "
              "Replace the sample form with yours; `megaroth schema` prints every field.",
        "tax_year": tax_year,
        "// filing_status": "single, married_filing_jointly, married_filing_separately, head_of_household or "
                            "qualifying_surviving_spouse; with a spouse, add \"spouse\": {\"name\": …}.",
        "filing_status": "single",
        "taxpayer": {
            "// id": "your client number for the ledger (never a TIN); tin is masked in every output",
            "id": "C-0001",
            "name": "Your Name",
            "birth_date": "1985-04-02",
            "// ira": "Form 8606 facts: nondeductible_contributions (line 1), basis (line 2), year_end_value "
                      "(line 6), roth_contributions …",
            "ira": {"nondeductible_contributions": "0.00", "basis": "0.00", "year_end_value": "0.00"},
        },
        "forms_1099r": [
            {
                "//": "The boxes as printed on the 1099-R; leave a blank box out (blank is not 0).",
                "id": "plan-irr",
                "payer_name": "Your 401(k) Plan",
                "box_1": "10200.00",
                "box_2a": "200.00",
                "box_5": "10000.00",
                "box_7": "G",
                "// disposition": "where the money went, adding up to box 1: designated_roth_same_plan (in-plan "
                                  "Roth rollover), roth_ira, traditional_ira, employer_plan, "
                                  "designated_roth_other_plan or kept; a 60-day rollover adds "
                                  "\"within_60_days\": true and its \"date\".",
                "disposition": [{"to": "designated_roth_same_plan", "amount": "10200.00"}],
            }
        ],
        "// forms_5498": "the receiving IRAs' Forms 5498, to prove each rollover (see the README).",
        "forms_5498": [],
    }
    return json.dumps(case, indent=2, ensure_ascii=False) + "\n"
