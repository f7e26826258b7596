"""A case as `megaroth import` writes it from scans of Pat Example's two Forms 5498 (the split rollover
of fixtures/cases/f5498_split_matched.json: $10,000 of the Acme plan's code G distribution to the Roth
IRA R-5521, $200 to the traditional IRA T-7730), where the scans left boxes to a person.

The Roth IRA's Form 5498 (Brokerage Co): box 2 (10,000.00 on paper), box 7 (Roth IRA checked), box 11
(empty: no RMD is due) and the account number (R-5521) are awaiting confirmation; box 5 (10,412.33)
was read and taken. The traditional IRA's: box 5 (203.10 on paper) and box 14b (empty) are awaiting.
The answers a person gives, reading the paper forms, are PAPER."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURE = Path(__file__).parent.parent.parent / "fixtures" / "cases" / "f5498_split_matched.json"

AWAITING = {
    "roth-5498": {"box_2": "10,0O0.00", "box_7": "a faint mark by Roth IRA", "box_11": "X?",
                  "account_number": "R-552l"},
    "trad-5498": {"box_5": "2O3.1", "box_14b": "|"},
}
"""Each form's boxes left to a person, with what the engine read there."""
PAPER = {
    "roth-5498:confirm:box_2": "10,000.00", "roth-5498:confirm:box_7": "roth_ira", "roth-5498:confirm:box_11": "no",
    "roth-5498:confirm:account_number": "R-5521",
    "trad-5498:confirm:box_5": "203.10", "trad-5498:confirm:box_14b": "blank",
}
"""What the paper forms show, as a person answers (in the order megaroth asks)."""
TAKEN = {"roth-5498": {"box_5": "10,412.33"}, "trad-5498": {"box_2": "200.00"}}


def scanned_case() -> dict:
    """The case file with each awaiting box removed from its form and listed in its provenance."""
    case = json.loads(FIXTURE.read_text())
    for form in case["forms_5498"]:
        awaiting = AWAITING[form["id"]]
        for box in awaiting:
            for field in ("box_7_roth_ira", "box_7_ira") if box == "box_7" else (box,):
                form.pop(field, None)
        scanned = {box: {"read": read, "confidence": "0.41", "accepted": False, "confirmed": False}
                   for box, read in awaiting.items()}
        scanned.update({box: {"read": read, "confidence": "0.94", "accepted": True, "confirmed": False}
                        for box, read in TAKEN[form["id"]].items()})
        form["provenance"] = {
            "file": f"{form['id']}.png", "locator": "page 1", "importer": "scan",
            "fields": {box: f"scan of {form['id']}.png, page 1" for box in TAKEN[form["id"]]},
            "scanned": scanned,
            "awaiting_confirmation": {
                box: f"box {box.removeprefix('box_').replace('_', ' ')} reads {read!r} with the engine's confidence "
                     "41%, too low to take unread — confirm or correct" for box, read in awaiting.items()}}
    return copy.deepcopy(case)


def write_case(folder: Path) -> Path:
    path = folder / "scanned-5498.json"
    path.write_text(json.dumps(scanned_case(), indent=1))
    return path
