"""Checks across the forms of one case: duplicates and corrected forms beside originals."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from megaroth.checks.registry import check
from megaroth.model.case import Case
from megaroth.model.form1099r import Form1099R
from megaroth.model.owners import owner_of
from megaroth.model.results import Finding, Severity
from megaroth.money import money_text
from megaroth.provenance import Source

DUPLICATE = check(
    "batch.possible_duplicate", Severity.warning,
    "Two forms of the same person from the same payer with the same boxes: possibly entered twice.",
    ["i1099r.box-1"],
)
CORRECTED_BESIDE_ORIGINAL = check(
    "batch.corrected_and_original", Severity.warning,
    "A CORRECTED form and another form for the same payer and account: the original should be removed.",
    ["i1099r.corrected"],
)


def _payer_key(form: Form1099R) -> tuple[str, str]:
    payer = (form.payer_name or "").strip().casefold()
    if form.payer_tin is not None:
        payer = form.payer_tin.reveal()
    return payer, (form.account_number or "").strip().casefold()


def check_batch(forms: list[Form1099R], sources: Mapping[str, Source], case: Case | None = None) -> Iterator[Finding]:
    """Args:
        case: the return the forms are on, to tell whose each is: on a joint return two spouses'
            identical forms (the same conversion done by each) are not one form entered twice."""
    seen: dict[tuple, Form1099R] = {}
    for form in forms:
        owner = owner_of(form, case)[0] if case is not None else None
        key = (owner, _payer_key(form), form.box_1, form.box_2a, form.box_5, form.box_7, form.box_7_ira_sep_simple)
        if key in seen and form.corrected == seen[key].corrected:
            first = seen[key]
            yield DUPLICATE.finding(
                f"Form {form.id!r} repeats form {first.id!r} (same payer, box 1 {money_text(form.box_1)}, "
                f"code {form.box_7}). If you received two identical forms for two real distributions, keep both; "
                "if it is the same form entered twice, remove one.",
                form_id=form.id, source=sources.get(form.id),
            )
        else:
            seen.setdefault(key, form)
    # A CORRECTED form against the other forms of its payer and account: indexed, so a case of
    # thousands of forms costs time linear in their number.
    by_payer: dict[tuple, list[Form1099R]] = {}
    for form in forms:
        by_payer.setdefault((_payer_key(form), form.box_7_ira_sep_simple), []).append(form)
    for (payer, _), group in by_payer.items():
        fixed = [f.id for f in group if f.corrected]
        if not payer[0] or not fixed:
            continue
        shown = fixed[:2]  # named in the message; the rest as "and N more"
        named = ", ".join(repr(f) for f in shown) + (f" and {len(fixed) - len(shown)} more" if fixed[len(shown):] else "")
        for other in group:
            if not other.corrected:
                # One finding per original (not per pair), so its size stays linear in the forms.
                yield CORRECTED_BESIDE_ORIGINAL.finding(
                    f"Form {other.id!r} comes from the same payer and account as the CORRECTED form(s) {named}: "
                    f"if {other.id!r} is the original that a corrected form replaces, remove it, or both are counted.",
                    form_id=other.id, source=sources.get(other.id),
                )
