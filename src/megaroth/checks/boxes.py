"""Box arithmetic on one Form 1099-R, as printed. Checks never change the data."""

from __future__ import annotations

from collections.abc import Iterator

from megaroth.catalog import box_layout, boxes
from megaroth.checks.registry import check
from megaroth.model.form1099r import NON_ROTH_DESTINATIONS, Form1099R
from megaroth.model.results import Finding, Severity
from megaroth.money import ZERO, money_text, total
from megaroth.provenance import Source

BOX_2A_OVER_1 = check(
    "box.2a_exceeds_1", Severity.error,
    "Box 2a (taxable amount) is more than box 1 (gross distribution).",
    ["i1099r.box-2a", "i1099r.box-1"],
)
BOX_5_OVER_1 = check(
    "box.5_exceeds_1", Severity.error,
    "Box 5 (basis recovered) is more than box 1: unrecovered basis gives no deduction here.",
    ["i1099r.box-5", "i1099r.box-1"],
)
BOX_4_OVER_1 = check(
    "box.4_exceeds_1", Severity.error,
    "Box 4 (federal tax withheld) is more than box 1.",
    ["i1099r.box-4", "i1099r.box-1"],
)
BOX_3_OVER_2A = check(
    "box.3_exceeds_2a", Severity.warning,
    "Box 3 (capital gain) is included in box 2a, so it cannot be more than box 2a.",
    ["i1099r.box-2a"],
)
BOX_10_OVER_1 = check(
    "box.10_exceeds_1", Severity.error,
    "Box 10 (amount allocable to an IRR within 5 years) is more than box 1.",
    ["i1099r.box-10"],
)
BOX_SUM = check(
    "box.sum_mismatch", Severity.warning,
    "Box 2a + box 5 + box 6 does not equal box 1 on a form whose taxable amount was determined.",
    ["i1099r.box-5", "irs-after-tax.earnings-pretax"],
)
TND_WITH_2A = check(
    "box.2b_tnd_with_2a", Severity.warning,
    "Box 2b \"taxable amount not determined\" is checked but box 2a is filled in.",
    ["i1099r.box-2b-tnd"],
)
BLANK_2A = check(
    "box.2a_blank", Severity.info,
    "Box 2a is blank: the payer did not determine the taxable amount.",
    ["f1099r.box-2a.blank"],
)
BOX_10_WITHOUT_B = check(
    "box.10_without_code_b", Severity.warning,
    "Box 10 is reported only on designated Roth account distributions (code B).",
    ["i1099r.box-10"],
)
VOID_FORM = check(
    "form.void", Severity.warning,
    "The form is marked VOID: it is not counted.",
    ["i1099r.corrected"],
)
CORRECTED_FORM = check(
    "form.corrected", Severity.info,
    "A CORRECTED form replaces the original: enter only the corrected one.",
    ["i1099r.corrected"],
)
SCAN_UNCONFIRMED = check(
    "scan.awaiting_confirmation", Severity.error,
    "A box read from a scan was uncertain or failed the form's checks: it is left blank until a person confirms it.",
    ["i1099r.box-1"],
)

FORM_AWAITING = check(
    "scan.form_awaiting_box", Severity.error,
    "A Form 1099-R read from a scan whose box 1 or box 7 could not be confirmed: every form shows both, so it is "
    "left out of the return until a person reads them off the paper form.",
    ["i1099r.box-1", "i1099r.box-7"],
)

BOX_NOT_ON_LAYOUT = check(
    "box.not_on_this_form", Severity.error,
    "A box that the form of the case's tax year does not print (box 7c or 7d on a form before 2026): the form "
    "or the tax year is wrong.",
    ["f1099r-2026.new-boxes"],
)


def check_layout(form: Form1099R, layout: str, source: Source) -> Iterator[Finding]:
    """Boxes filled in that the tax year's form does not have: a form of another year, or a mistyped case."""
    title = box_layout(layout).title
    for name, info in boxes().items():
        if info.printed_on(layout) or name not in form.model_fields_set:
            continue
        value = getattr(form, name, None)
        if value in (None, False):
            continue
        yield BOX_NOT_ON_LAYOUT.finding(
            f"Box {info.number} ({info.caption}) is filled in, but the {title} has no box {info.number}: is this a "
            f"form of another year, or is the case's tax year wrong?",
            form_id=form.id, box=name, source=source.at(field=name))


OFF_THE_LINES = ("payer_block", "recipient_street", "recipient_city", "trustee_block", "participant_street",
                 "participant_city", "state.", "local.")
"""Boxes a scan may leave to a person that no federal line, check or rollover match reads: the payer's and the
trustee's blocks (name and address: only labels and letters use the name), the recipient's or participant's
address, the state and local rows (for the state return). One of them in doubt is a warning, not an error: the
Form 1040 lines are the same whatever it shows."""


def awaiting_findings(form, source: Source) -> Iterator[Finding]:
    """Each box a scan left awaiting confirmation (a Form 1099-R's or a Form 5498's), as an error (a warning for a
    box off the federal lines, OFF_THE_LINES)."""
    here = {"form_id": form.id, "source": source}
    awaiting = form.provenance.awaiting_confirmation if form.provenance is not None else None
    for box, why in (awaiting or {}).items():
        # Never a number guessed from a scan: the box stays blank and the return waits for a person.
        off = box.startswith(OFF_THE_LINES)
        yield SCAN_UNCONFIRMED.finding(
            f"{why}: look at the paper form, type the box into the case file (megaroth import wrote it) and remove "
            f"{box} from awaiting_confirmation" + (" (it changes no Form 1040 line)" if off else ""),
            box=box, severity=Severity.warning if off else None, **{**here, "source": source.at(field=box)})


def awaits_a_person(findings) -> bool:
    """Whether a box read from a scan still waits for a person (the result is incomplete until it is typed)."""
    return any(f.code in (SCAN_UNCONFIRMED.code, FORM_AWAITING.code) and f.severity == Severity.error
               for f in findings)


def awaiting_form_findings(form, source: Source) -> Iterator[Finding]:
    """A scanned Form 1099-R kept off the return (model.form1099r_awaiting): one error naming the boxes a person must
    read, with box 1 at stake when it was read (the most the form can add to the lines is its gross amount)."""
    awaiting = (form.provenance.awaiting_confirmation if form.provenance is not None else None) or {}
    said = "; ".join(f"{awaiting[box]}" for box in form.awaited if box in awaiting)
    yield FORM_AWAITING.finding(
        f"{said}. The form is left out of the return"
        + (f" (its box 1, {money_text(form.box_1)}, is at stake)" if form.box_1 is not None else "")
        + f" until a person types {' and '.join(b.replace('_', ' ') for b in form.awaited)} "
        "off the paper form (`megaroth report` asks on a terminal and the page; or type it into the case file and "
        "remove it from awaiting_confirmation)"
        + (f"; its box 4 withholding ({money_text(form.box_4)}) is not on the return either" if form.box_4 else ""),
        form_id=form.id, box=form.awaited[0], source=source.at(field=form.awaited[0]), at_stake=form.box_1)
    # Its other doubtful boxes are said too, so that one look at the paper answers them all.
    for finding in awaiting_findings(form, source):
        if finding.box not in form.awaited:
            yield finding


def check_boxes(form: Form1099R, source: Source) -> Iterator[Finding]:
    """Arithmetic between boxes of one form."""
    here = {"form_id": form.id, "source": source}
    yield from awaiting_findings(form, source)
    gross = form.box_1
    if form.void:
        yield VOID_FORM.finding("This form is marked VOID and is left out of the lines.", **here)
    if form.corrected:
        yield CORRECTED_FORM.finding(
            "This is a CORRECTED form: make sure the original it replaces is not also in the case.", **here
        )
    if form.box_2a is not None and form.box_2a > gross:
        yield BOX_2A_OVER_1.finding(
            f"Box 2a ({money_text(form.box_2a)}) is more than box 1 ({money_text(gross)}).", box="box_2a", **here
        )
    if form.box_5 is not None and form.box_5 > gross:
        yield BOX_5_OVER_1.finding(
            f"Box 5 ({money_text(form.box_5)}) is more than box 1 ({money_text(gross)}): basis cannot be "
            "recovered beyond the distribution, and the unrecovered part is not deductible.",
            box="box_5", **here,
        )
    if form.box_4 is not None and form.box_4 > gross:
        yield BOX_4_OVER_1.finding(
            f"Box 4 ({money_text(form.box_4)}) is more than box 1 ({money_text(gross)}).", box="box_4", **here
        )
    if form.box_3 is not None and form.box_3 > (form.box_2a or ZERO):
        yield BOX_3_OVER_2A.finding(
            f"Box 3 ({money_text(form.box_3)}) is more than box 2a ({money_text(form.box_2a, blank='blank')}).",
            box="box_3", **here,
        )
    if form.box_10 is not None and form.box_10 > gross:
        yield BOX_10_OVER_1.finding(
            f"Box 10 ({money_text(form.box_10)}) is more than box 1 ({money_text(gross)}).", box="box_10", **here
        )
    if form.box_10 and "B" not in form.codes:
        yield BOX_10_WITHOUT_B.finding(
            f"Box 10 shows {money_text(form.box_10)} but box 7 ({form.box_7}) has no code B.", box="box_10", **here
        )
    if form.box_7_ira_sep_simple:
        # For traditional IRAs box 2a = box 1 with "not determined" checked is normal.
        return
    if form.box_2b_taxable_not_determined and form.box_2a is not None:
        yield TND_WITH_2A.finding(
            f"Box 2b \"taxable amount not determined\" is checked, yet box 2a shows {money_text(form.box_2a)}; "
            "the payer should leave box 2a blank when it cannot determine it. megaroth does not rely on box 2a.",
            box="box_2b_taxable_not_determined", **here,
        )
    if form.box_2a is None and not form.box_2b_taxable_not_determined:
        yield BLANK_2A.finding(
            "Box 2a is blank and box 2b \"taxable amount not determined\" is not checked; megaroth treats the "
            "taxable amount as not determined and figures it from box 5 and where the money went.",
            box="box_2a", **here,
        )
    direct_rollover_zero = bool({"G", "H"} & set(form.codes)) and form.box_2a == ZERO
    # A direct rollover whose pretax part went to a traditional IRA or another plan leaves that part
    # out of box 2a by design (i1099r box 2a): box 2a + box 5 is then less than box 1. The rules
    # check box 2a against the disposition instead (form.box_2a_unexpected and its kin).
    to_non_roth = "G" in form.codes and any(
        d.to in NON_ROTH_DESTINATIONS and not d.within_60_days for d in form.disposition or [])
    roth_ira = bool({"J", "Q", "T"} & set(form.codes))
    # A recharacterization (N, R) moves a contribution between IRAs: box 2a 0 is right, there is no basis box.
    recharacterized = bool({"N", "R"} & set(form.codes))
    if form.box_2a is not None and not form.box_2b_taxable_not_determined and not direct_rollover_zero \
            and not to_non_roth and not roth_ira and not recharacterized:
        reported = total([form.box_2a, form.box_5, form.box_6])
        if reported != gross:
            yield BOX_SUM.finding(
                f"Box 2a + box 5 + box 6 = {money_text(reported)}, but box 1 is {money_text(gross)}. "
                "On a plan distribution the taxable amount and the basis recovered make up the whole; "
                "one of them is probably wrong.",
                box="box_2a", **here,
            )
