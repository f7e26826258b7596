"""Rows for the commands that list things (`check`, `room`, `ledger show`, `summary`), and the two
ways of printing them besides JSON: an aligned text table for the terminal and CSV for a
spreadsheet. `--format table|csv|json` means the same on every one of them.

The JSON of each command stays its own documented document; a table is a flat view of it. Money
is printed as `$1,234.50` in the table and as a plain `1234.50` in CSV, so a spreadsheet reads
it as a number. No arithmetic here: every value is one the analysis produced.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from megaroth.model.batch import SUMMARY_COLUMNS
from megaroth.money import money_text

TABLE_FORMATS = ("table", "csv", "json")


@dataclass
class Column:
    key: str
    title: str
    money: bool = False
    on_screen: bool = True
    """False: a machine key (a ledger entry kind) that CSV keeps and the text table leaves out."""


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    empty: str = "Nothing to show."
    footer: list[str] = field(default_factory=list)
    """Lines printed under the text table (totals); CSV and JSON carry them in their own rows/keys."""


def _cell(value: Any, column: Column, *, plain: bool) -> str:
    if value is None:
        return ""
    if column.money and isinstance(value, (Decimal, int, str)) and value != "":
        amount = Decimal(str(value))
        return f"{amount:.2f}" if plain else money_text(amount)
    if isinstance(value, bool):
        return str(value) if plain else ("yes" if value else "no")  # plain: as summary.csv writes it
    return str(value)


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.get(c.key), c, plain=True) for c in table.columns])
    return out.getvalue()


def to_text(table: Table, *, width: int = 100) -> str:
    """Columns padded to their widest cell; the last column (a message, say) runs free."""
    if not table.rows:
        return table.empty + "\n" + "".join(line + "\n" for line in table.footer)
    columns = [c for c in table.columns if c.on_screen]
    cells = [[_cell(row.get(c.key), c, plain=False) for c in columns] for row in table.rows]
    titles = [c.title for c in columns]
    widths = [max(len(titles[i]), *(len(r[i]) for r in cells)) for i in range(len(titles))]

    def line(values: list[str]) -> str:
        parts = []
        for i, (value, column) in enumerate(zip(values, columns)):
            if i == len(values) - 1:
                parts.append(value)
            elif column.money:
                parts.append(value.rjust(widths[i]))
            else:
                parts.append(value.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    lines = [line(titles), "  ".join("-" * w for w in widths[:-1]) + ("  " if len(widths) > 1 else "")
             + "-" * min(widths[-1], max(len(titles[-1]), 8))]
    lines += [line(r) for r in cells]
    return "\n".join(lines) + "\n" + "".join(line + "\n" for line in table.footer)


def render(table: Table, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "table":
        return to_text(table)
    raise ValueError(f"no table format {fmt!r}")  # json is each command's own document


def facts_table(rows: list[dict[str, Any]]) -> Table:
    """`megaroth facts`: each fact's name (for --fact and a CSV column), form line, question; where to
    find it in CSV only (too long for a terminal row)."""
    return Table([Column("name", "Name"), Column("line", "Form line"), Column("question", "Question"),
                  Column("where", "Where to find it", on_screen=False)], rows)


def findings_table(analysis) -> Table:
    """`check`: input errors first, then findings as the analysis ordered them."""
    rows = [{"severity": "input", "code": "input", "form": "", "box": error.field or "",
             "where": ": ".join(x for x in (error.file, error.record) if x), "message": error.message}
            for error in analysis.errors]
    rows += [{"severity": f.severity.value, "code": f.code, "form": f.form_id or "", "box": f.box or "",
              "where": f.file or "", "message": f.message} for f in analysis.findings]
    return Table([Column("severity", "Severity"), Column("code", "Finding"), Column("form", "Form"),
                  Column("box", "Box"), Column("where", "File"), Column("message", "Message")], rows,
                 empty="No findings.")


def room_table(result) -> Table:
    """`room`: one row per plan, with its employer's 415(c) figures beside it."""
    employers = {e.employer: e for e in result.employers}
    rows = []
    for plan in result.plans:
        employer = employers.get(plan.employer)
        rows.append({
            "plan": plan.plan_id, "employer": plan.employer, "kind": plan.kind, "deferrals": plan.deferrals,
            "catch_up": plan.catch_up, "employer_contributions": plan.employer_contributions,
            "limit_415c": employer.limit_415c if employer else None, "plan_cap": plan.cap,
            "room": plan.room, "made": plan.after_tax_made, "left": plan.left,
        })
    return Table([Column("plan", "Plan"), Column("employer", "Employer"), Column("kind", "Kind"),  # 401k: a key
                  Column("deferrals", "Deferrals", True), Column("catch_up", "Catch-up", True),
                  Column("employer_contributions", "Employer money", True),
                  Column("limit_415c", "415(c) limit", True), Column("plan_cap", "Plan cap", True),
                  Column("room", "After-tax room", True), Column("made", "Made", True),
                  Column("left", "Left", True)], rows, empty="No plans.")


def ledger_table(view: list[dict[str, Any]], title_of, empty: str = "The ledger holds nothing.") -> Table:
    """`ledger show`: one row per amount the ledger remembers (entries, year-end state, clocks).

    Args:
        title_of: what a ledger entry kind means (megaroth.ledger.entry_title).
    """
    rows = []
    for entry in view:
        base = {"taxpayer": entry["taxpayer"], "name": entry["name"] or "", "tax_year": entry["tax_year"],
                "forms": len(entry["forms"])}
        if entry.get("note"):
            rows.append({**base, "item": "note", "what": entry["note"]})
        for kind, amount in entry["entries"].items():
            if amount:
                rows.append({**base, "item": kind, "what": title_of(kind), "amount": amount})
        for kind, amount in entry["state"].items():
            rows.append({**base, "item": kind, "what": f"{title_of(kind)} at year end", "amount": amount})
        for clock in entry["clocks"]:
            rows.append({**base, "item": clock["kind"], "what": f"5-year clock ({title_of(clock['kind'])})",
                         "amount": clock["amount"], "until": clock["ends"]})
        if not entry["entries"] and not entry["state"] and not entry["clocks"] and not entry.get("note"):
            rows.append({**base, "item": "", "what": "forms only"})
    return Table([Column("taxpayer", "Taxpayer"), Column("name", "Name"), Column("tax_year", "Year"),
                  Column("forms", "Forms"), Column("item", "Item", on_screen=False), Column("amount", "Amount", True),
                  Column("until", "Until"), Column("what", "What")], rows, empty=empty)


def summary_table(document) -> Table:
    """`summary`: a batch's summary.json, one row per taxpayer, the totals underneath."""
    rows = [row.model_dump() for row in document.results]
    totals = document.totals
    footer = [f"{totals.taxpayers} taxpayer(s); records in {totals.records_in} = reported "
              f"{totals.records_reported} + rejected {totals.records_rejected}"
              + (f"; {totals.files_rejected} file(s) could not be read" if totals.files_rejected else "")
              + (f"; {totals.incomplete} INCOMPLETE (see Missing facts)" if totals.incomplete else "")
              + f"; exit {document.exit_code}"]
    titles = {"taxpayer": "Taxpayer", "tax_year": "Year", "worksheet": "Worksheet", "forms": "Forms",
              "complete": "Complete", "exit_code": "Exit",
              # By meaning, not line number: 2019's return numbers these lines differently.
              "ira_gross": "IRA gross", "ira_taxable": "IRA taxable", "pension_gross": "Pension gross",
              "pension_taxable": "Pension taxable", "withholding": "Withheld", "form_8606": "Form 8606",
              "additional_tax": "10% tax", "excess_tax": "6% tax", "errors": "Errors", "warnings": "Warnings", "finding_codes": "Findings",
              "missing_facts": "Missing facts"}
    money = {"ira_gross", "ira_taxable", "pension_gross", "pension_taxable", "withholding", "additional_tax",
             "excess_tax"}
    # summary.csv's columns in its order, so `summary -f csv` is that file again.
    columns = [Column(key, titles.get(key, key), key in money) for key in SUMMARY_COLUMNS]
    return Table(columns, rows, empty="No taxpayers.", footer=footer)
