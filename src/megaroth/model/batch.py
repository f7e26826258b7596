"""The batch summary (`summary.json`, `summary.csv`): a contract for preparers' scripts.

`megaroth schema summary` prints its JSON Schema. The version goes up when a key changes
meaning or goes away; new keys may be added within a version.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SUMMARY_SCHEMA = "megaroth/batch-summary"
SUMMARY_SCHEMA_VERSION = 1

_DOC = ConfigDict(frozen=True, extra="forbid")


class SummaryRow(BaseModel):
    """One taxpayer's return in the batch: its worksheet, Form 1040 lines and findings."""

    model_config = _DOC

    taxpayer: str = Field(description="The client id, or the person as the sources name them (a TIN only by its "
                                      "last four digits).")
    tax_year: int
    worksheet: str = Field(description="The worksheet's file name in the output folder (empty with "
                                       "--summary-only).")
    forms: int = Field(description="Forms 1099-R reported for this taxpayer.")
    complete: bool = Field(description="False when a form was rejected or not computed, or a fact the tax depends on "
                                       "is not given: the lines miss something.")
    exit_code: int = Field(description="What `megaroth report` would exit with for this taxpayer alone.")
    ira_gross: str | None = Field(description="IRA distributions, gross (line 4a); null: no entry.")
    ira_taxable: str | None = Field(description="IRA distributions, taxable (line 4b).")
    pension_gross: str | None = Field(description="Pensions and annuities, gross (line 5a; 4c in 2019).")
    pension_taxable: str | None = Field(description="Pensions and annuities, taxable (line 5b; 4d in 2019).")
    withholding: str | None = Field(description="Federal income tax withheld on Forms 1099 (line 25b; 17 in 2019).")
    form_8606: str = Field(description="Form 8606 verdict: does_not_apply, carry_basis, applies, depends.")
    additional_tax: str = Field(description="The 10% additional tax on early distributions, in dollars and cents.")
    excess_tax: str = Field(default="0.00", description="The 6% excise tax on excess IRA contributions (Form 5329 "
                                                        "Parts III and IV), in dollars and cents; Schedule 2 line 8 "
                                                        "takes it with the 10%.")
    errors: int
    warnings: int
    finding_codes: str = Field(description="The codes of the error and warning findings, space separated.")
    missing_facts: str = Field(default="", description="Facts the tax depends on that the rows do not give, as the "
                                                       "CSV columns to add (ira_basis, spouse_ira_year_end_value…), "
                                                       "space separated; the return is incomplete until they are.")


class SummaryTotals(BaseModel):
    """What came in and what became of it: records in = records reported + records rejected."""

    model_config = _DOC

    taxpayers: int = Field(description="Worksheets written.")
    records_in: int = Field(description="Forms 1099-R read from the sources (CSV rows, PDF forms, FDX entries).")
    records_reported: int = Field(description="Records reported (in a worksheet, or in the summary with "
                                              "--summary-only).")
    records_rejected: int = Field(description="Records listed in rejected.csv, with file, record, field and reason.")
    files_rejected: int = Field(description="Files that could not be read at all (they hold no records).")
    incomplete: int = Field(default=0, description="Taxpayers whose result is not final (complete is false).")
    conserved: bool = Field(description="records_in == records_reported + records_rejected; always true.")


class BatchSummaryDocument(BaseModel):
    """`summary.json`."""

    model_config = _DOC

    schema_: Literal["megaroth/batch-summary"] = Field(alias="schema")
    schema_version: Literal[1]
    megaroth_version: str
    results: list[SummaryRow]
    totals: SummaryTotals
    notes: list[str] = Field(description="What was skipped on purpose (summary pages, copies read once, columns not used).")
    exit_code: int = Field(description="The batch's exit code (README, Exit codes).")


SUMMARY_COLUMNS = list(SummaryRow.model_fields)
"""The columns of summary.csv, in order (the same keys as each result in summary.json)."""
