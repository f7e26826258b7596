"""A case as `megaroth import` writes it from a photo of Alex Sample's Form 1099-R (fixtures/cases/
cash_out_after_tax.json: the Umbrella 401(k) Plan paid $10,200.00 in cash, box 2a $200.00, box 5 $10,000.00
of after-tax basis, code 1 — an early distribution), where the photo left box 7 to a person: the engine read
"7" (a normal distribution, no 10% tax) with a second reading of "1". Taking either silently would be a wrong
return; the form is kept off the return (forms_1099r_awaiting) until a person reads box 7 off the paper.

Once box 7 is typed as the paper shows ("1"), the lines are the fixture's: 5a $10,200.00, 5b $200.00, and the
10% additional tax $20.00 on the $200.00 taxable (Form 5329 / Schedule 2 line 8)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURE = Path(__file__).parent.parent.parent / "fixtures" / "cases" / "cash_out_after_tax.json"

WHY = {"box_7": "box 7 reads '7' (a second reading of the box alone reads '1': one of them is misread) — confirm "
                "or correct",
       "box_1": "box 1 reads '10,2OO.00' with the engine's confidence 41%, too low to take unread — confirm or "
                "correct"}
PAPER = {"box_7": "1", "box_1": "10,200.00"}
"""What the paper form shows, as a person types it."""


def held_case(boxes: tuple[str, ...] = ("box_7",)) -> dict:
    """The fixture's case with its one form held for `boxes`: those left blank and awaiting a person."""
    case = json.loads(FIXTURE.read_text())
    form = case.pop("forms_1099r")[0]
    read = {"box_1": "10,200.00", "box_2a": "200.00", "box_5": "10,000.00", "box_7": "1"}
    for box in boxes:
        form[box] = None
    form["provenance"] = {
        "file": "umbrella.jpg", "locator": "page 1", "importer": "scan",
        "fields": {box: "scan of umbrella.jpg, page 1" for box in read if box not in boxes},
        "scanned": {box: {"read": WHY[box].split("'")[1] if box in boxes else value,
                          "confidence": "0.41" if box in boxes else "0.95", "accepted": box not in boxes,
                          "confirmed": False} for box, value in read.items()},
        "awaiting_confirmation": {box: WHY[box] for box in boxes}}
    case["forms_1099r"] = []
    case["forms_1099r_awaiting"] = [form]
    return copy.deepcopy(case)


def write_case(folder: Path, boxes: tuple[str, ...] = ("box_7",)) -> Path:
    path = folder / "held-1099r.json"
    path.write_text(json.dumps(held_case(boxes), indent=1))
    return path
