"""The request for corrected forms as Markdown, HTML or JSON. No arithmetic here: the amounts
are the analysis's; TINs come masked unless the user asked to reveal them."""

from __future__ import annotations

import json
from typing import Any

from megaroth import __version__
from megaroth.model.form1099r import DESTINATION_TITLES
from megaroth.model.letter import LetterDocument
from megaroth.money import money_text
from megaroth.render.common import Bibliography
from megaroth.render.env import render_template

TO_TITLES = {"payer": "the payer (plan or IRA that paid)", "trustee": "the IRA trustee (that received the money)"}


def letter_context(letter: LetterDocument) -> dict[str, Any]:
    bib = Bibliography(tax_year=letter.tax_year)
    requests = []
    for request in letter.requests:
        requests.append({
            "to": TO_TITLES[request.to], "issuer": request.issuer or "(name not on the form)",
            "issuer_tin": request.issuer_tin, "form": request.form, "form_id": request.form_id,
            "tax_year": request.tax_year, "account": request.account_number or "",
            "recipient": request.recipient or "", "recipient_tin": request.recipient_tin,
            "printed": [p.model_dump() for p in request.printed],
            "problems": [{"message": p.message, "ask": p.ask, "refs": bib.refs(p.cites)} for p in request.problems],
            "fixes": [f.model_dump() for f in request.fixes],
            "split": [{"destination": DESTINATION_TITLES[s.destination], "box_1": money_text(s.box_1),
                       "box_2a": money_text(s.box_2a), "box_4": money_text(s.box_4), "box_5": money_text(s.box_5),
                       "box_7": s.box_7} for s in request.split],
            "statement": request.statement,
        })
    return {"version": __version__, "tax_year": letter.tax_year, "taxpayer_name": letter.taxpayer_name or "",
            "requests": requests, "steps": letter.if_not_corrected,
            "steps_refs": bib.refs(letter.cites) if requests else [],
            "bibliography": bib.entries()}


def render_letter(letter: LetterDocument, fmt: str = "md") -> str:
    if fmt == "json":
        return json.dumps(letter.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"
    return render_template(f"letter.{fmt}.j2", letter_context(letter))
