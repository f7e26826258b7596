"""Which Form 1099-R revision a tax year prints, so that a form is never read at another revision's places.

The box numbering changed in TY2020 (state and local boxes 14-19) and again in TY2026 (7a-7d, 8a/8b:
forms/f1099r_boxes.toml). A field map or page layout derived from one revision reads a form of another
revision only when both number their boxes alike; otherwise a value would land in the wrong box
(a 2026 box 7d read as a 2025 box 8), so the form is refused naming the years.
"""

from __future__ import annotations

from functools import cache


@cache
def box_layout_of(year: int) -> str | None:
    """The 1099-R layout ("ty2020", "ty2026") of a tax year megaroth has parameters for, else None."""
    from megaroth.params import available_years, load_year

    if year not in available_years():
        return None
    return load_year(year).f1040.meta.f1099r_layout


def other_revision(printed: int, read_as: int, what: str) -> str | None:
    """Why a form printed for `printed` cannot be read with `what` (the map or layout of `read_as`), or None."""
    if printed == read_as:
        return None
    mine, theirs = box_layout_of(printed), box_layout_of(read_as)
    if mine is not None and mine == theirs:
        return None
    return (f"the form is printed for {printed}, but megaroth reads this kind of PDF only with {what}, whose boxes are "
            f"numbered differently{' (the ' + str(printed) + ' form adds boxes 7c and 7d and splits 7 and 8)' if mine == 'ty2026' else ''}"
            f": reading it there could put a value in the wrong box. Type the boxes into a case file "
            f"(`megaroth init --year {printed}`) or import the payer's statement or FDX data")
