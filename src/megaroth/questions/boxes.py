"""What each box of a scanned form holds, for asking a person to confirm it: one catalogue per form
(Form 1099-R, Form 5498), keyed the way a scan names a box awaiting confirmation in the form's
provenance (`awaiting_confirmation`).

The catalogue says how a box is answered (an amount, a checkbox, a code, a date, a year, a
percentage, text) and which model fields the answer is written to: Form 5498's box 7 is four
checkboxes on the model (IRA, SEP, SIMPLE, Roth IRA) but one question, which kind of IRA is
checked. A box not in a catalogue (a 1099-R's state and local rows, the payer's block) is typed
into the case file, as the report's finding says. tests/unit/test_question_boxes.py checks that
every box of both models is here with a kind that matches its pydantic type, so a box added to a
model without a kind here fails a test rather than being asked the wrong way.
"""

from __future__ import annotations

from dataclasses import dataclass

from megaroth.model.form1099r_awaiting import REQUIRED_BOXES

MONEY = "money"
CHECK = "check"
CODES = "codes"
DATE = "date"
YEAR = "year"
PERCENT = "percent"
TEXT = "text"
TIN = "tin"
IRA_KIND = "ira_kind"
"""Form 5498 box 7: which kind of IRA is checked (one question for its four checkboxes)."""


@dataclass(frozen=True)
class Box:
    """One box a person may be asked to read off the paper form."""

    key: str
    """The box as the scan and the model name it ("box_2a"; "box_7" for Form 5498's IRA kind)."""
    kind: str
    name: str
    """As a person reads it on the form: "box 2a", "the account number"."""
    fields: tuple[str, ...] = ()
    """The model fields an answer writes (default: the key alone)."""

    @property
    def written(self) -> tuple[str, ...]:
        return self.fields or (self.key,)


def _box(key: str, kind: str, name: str = "", fields: tuple[str, ...] = ()) -> Box:
    return Box(key, kind, name or "box " + key.removeprefix("box_").replace("_", " "), fields)


FORM_1099R: dict[str, Box] = {b.key: b for b in (
    _box("box_1", MONEY), _box("box_2a", MONEY),
    _box("box_2b_taxable_not_determined", CHECK, "box 2b (taxable amount not determined)"),
    _box("box_2b_total_distribution", CHECK, "box 2b (total distribution)"),
    _box("box_3", MONEY), _box("box_4", MONEY), _box("box_5", MONEY), _box("box_6", MONEY),
    _box("box_7", CODES), _box("box_7_ira_sep_simple", CHECK, "box 7 (IRA/SEP/SIMPLE)"),
    _box("box_7c", CHECK, "box 7c (2026 form)"), _box("box_7d", MONEY, "box 7d (earnings on excess contributions)"),
    _box("box_8", MONEY), _box("box_8_percent", PERCENT, "box 8 (its percentage)"), _box("box_9a", PERCENT),
    _box("box_9b", MONEY), _box("box_10", MONEY), _box("box_11", YEAR), _box("box_12_fatca", CHECK, "box 12 (FATCA)"),
    _box("box_13", DATE),
    _box("account_number", TEXT, "the account number box"),
    _box("payer_tin", TIN, "the payer's TIN box"), _box("recipient_tin", TIN, "the recipient's TIN box"),
    _box("recipient_name", TEXT, "the recipient's name box"),
)}
"""Form 1099-R's boxes as the model names them (Instructions for Forms 1099-R and 5498, "Specific Instructions
for Form 1099-R")."""

IRA_KIND_FLAGS = ("box_7_ira", "box_7_sep", "box_7_simple", "box_7_roth_ira")
IRA_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ira": ("IRA", ("box_7_ira",)),
    "sep": ("SEP", ("box_7_sep",)),
    "simple": ("SIMPLE", ("box_7_simple",)),
    "roth_ira": ("Roth IRA", ("box_7_roth_ira",)),
    "roth_sep": ("SEP and Roth IRA (a Roth SEP IRA)", ("box_7_sep", "box_7_roth_ira")),
    "roth_simple": ("SIMPLE and Roth IRA (a Roth SIMPLE IRA)", ("box_7_simple", "box_7_roth_ira")),
}
"""Form 5498 box 7's answers: the checkboxes each checks (citation i1099r.f5498-boxes, "7 the kind of IRA";
a Roth SEP or SIMPLE IRA checks Roth IRA and SEP or SIMPLE, as `Form5498.roth` reads them)."""

FORM_5498: dict[str, Box] = {b.key: b for b in (
    _box("box_1", MONEY), _box("box_2", MONEY), _box("box_3", MONEY), _box("box_4", MONEY), _box("box_5", MONEY),
    _box("box_6", MONEY), _box("box_7", IRA_KIND, "box 7 (the kind of IRA)", IRA_KIND_FLAGS),
    _box("box_8", MONEY), _box("box_9", MONEY), _box("box_10", MONEY),
    _box("box_11", CHECK, "box 11 (an RMD is due for next year)"),
    _box("box_12a", DATE), _box("box_12b", MONEY), _box("box_13a", MONEY), _box("box_13b", YEAR),
    _box("box_13c", CODES), _box("box_14a", MONEY), _box("box_14b", CODES), _box("box_15a", MONEY),
    _box("box_15b", CODES),
    _box("account_number", TEXT, "the account number box"),
    _box("participant_tin", TIN, "the participant's TIN box"), _box("trustee_tin", TIN, "the trustee's TIN box"),
    _box("participant_name", TEXT, "the participant's name box"),
)}
"""Form 5498's boxes, the same set 2019-2026 (citation i1099r.f5498-boxes); the codes of boxes 13c, 14b and
15b are data in forms/<year>/f5498.toml."""

CATALOGUES: dict[str, dict[str, Box]] = {"forms_1099r": FORM_1099R, "forms_1099r_awaiting": FORM_1099R,
                                         "forms_5498": FORM_5498}
"""The case file's list of each form → its boxes (a scanned 1099-R awaiting box 1 or 7 has a 1099-R's)."""

REQUIRED: dict[str, tuple[str, ...]] = {"forms_1099r": REQUIRED_BOXES, "forms_1099r_awaiting": REQUIRED_BOXES}
"""The boxes every form of a list shows, which an answer cannot leave blank (model.form1099r_awaiting)."""


def model_of(form_list: str):
    """The pydantic model of a case file's list of forms."""
    if form_list == "forms_5498":
        from megaroth.model.form5498 import Form5498

        return Form5498
    if form_list == "forms_1099r_awaiting":
        from megaroth.model.form1099r_awaiting import AwaitingForm1099R

        return AwaitingForm1099R
    from megaroth.model.form1099r import Form1099R

    return Form1099R


def box_of(form_list: str, key: str) -> Box | None:
    """The box a scan left awaiting confirmation, or None when it is typed into the case file."""
    return CATALOGUES.get(form_list, {}).get(key)
