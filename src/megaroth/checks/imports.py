"""Findings about imported data: what an importer skipped, and sources that disagree."""

from __future__ import annotations

from megaroth.checks.registry import check
from megaroth.model.results import Severity

IMPORT_NOTE = check(
    "import.note", Severity.info,
    "Something an importer skipped on purpose (a summary page, a repeated copy) or noticed.",
    ["i1099r.box-1"],
)
DATA_DIFFERS = check(
    "import.sources_disagree", Severity.warning,
    "Two readings of the same form disagree (embedded FDX data against the printed form), or something the source "
    "holds was left out (a member that is not a box megaroth reads, a value that is not the box's).",
    ["i1099r.box-1", "i1099r.corrected"],
)
LEDGER_NOTE = check(
    "ledger.not_used", Severity.info,
    "The ledger holds earlier years' basis, but could not be used for a person of this case.",
    ["i8606.line-2", "i8606.line-22", "i8606.line-24"],
)
