"""The preparer CSV: one row per Form 1099-R, columns named after the boxes.

The column layout is data (`forms/csv_columns.toml`): each field with the header spellings
accepted. Row numbers are spreadsheet row numbers (the header is row 1), so "row 14" is the
row a preparer sees. A bad row is rejected with its row and column; the others go on.

For big batches `iter_groups` streams the file twice instead of holding every record: the
first pass notes the last row of each taxpayer, the second emits each taxpayer's records as
soon as that row is read, so memory holds only the taxpayers still open.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from megaroth.catalog import read_toml
from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, RawForm, person_key
from megaroth.tin import looks_like_tin

STATE_FIELDS = ("box_14", "box_15", "box_16")
LOCAL_FIELDS = ("box_17", "box_18", "box_19")
FLAG_TRUE = {"x", "y", "yes", "true", "t", "1", "checked", "on", "✔", "✓", "☒", "☑", "■"}
FLAG_FALSE = {"", "n", "no", "false", "f", "0", "off", "unchecked", "-", "☐"}
KEY_FIELDS = ("taxpayer_id", "taxpayer_tin", "recipient_tin", "taxpayer_name", "recipient_name", "tax_year")
TAXPAYER_FIELDS = {"taxpayer_name": "name", "taxpayer_tin": "tin", "birth_date": "birth_date",
                   "spouse_id": "spouse.id", "spouse_name": "spouse.name", "spouse_tin": "spouse.tin",
                   "spouse_birth_date": "spouse.birth_date", "filing_status": "filing_status"}
NOT_BOXES = {"taxpayer_id", "tax_year", "form_id", "to", "within_60_days", "rollover_date", "disposition", "owner",
             "box_7_code_1", "box_7_code_2", "form_type", "rollover_account", "f5498_box_7"}
# In a Form 5498 row, the 1099-R party columns hold the IRA's trustee and participant.
PARTIES_5498 = {"payer_name": "trustee_name", "payer_tin": "trustee_tin", "recipient_name": "participant_name",
                "recipient_tin": "participant_tin"}
SHARED_5498 = {"account_number", "corrected", "void", "owner"}


def normalize(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


@cache
def words(table: str) -> dict[str, str]:
    """A table of csv_columns.toml (owners, filing_statuses): normalized word → value."""
    return {normalize(word): name for name, spellings in read_toml("csv_columns.toml")[table].items()
            for word in spellings}


@cache
def column_spec() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(normalized alias → field, field → kind, normalized destination word → destination)."""
    data = read_toml("csv_columns.toml")
    aliases: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for name, spec in data["columns"].items():
        kinds[name] = spec["kind"]
        for alias in [name, *spec["aliases"]]:
            key = normalize(alias)
            if aliases.get(key, name) != name:
                raise ValueError(f"csv_columns.toml: alias {alias!r} names both {aliases[key]} and {name}")
            aliases[key] = name
    destinations = {normalize(word): name for name, words in data["destinations"].items() for word in words}
    return aliases, kinds, destinations


def _delimiter(line: str) -> str:
    return max((",", ";", "\t"), key=line.count)


def _reader(doc: Document) -> Iterator[list[str]]:
    """The rows, streamed from the document (its file, for a file): never the whole text at once.
    The delimiter is the one the first line (up to its first "\\n") uses most."""
    with doc.open_text() as stream:
        first = ""
        while "\n" not in first and (chunk := stream.read(Document.HEAD)):
            first += chunk
        stream.seek(0)
        yield from csv.reader(stream, delimiter=_delimiter(first.split("\n", 1)[0]))


def _flag(text: str) -> bool | None:
    value = text.strip().lower()
    if value in FLAG_TRUE:
        return True
    if value in FLAG_FALSE:
        return False
    return None


class Header:
    """Which column holds which field, for one file."""

    def __init__(self, cells: list[str]) -> None:
        aliases, self.kinds, self.destinations = column_spec()
        self.names = [c.strip() for c in cells]
        self.fields: dict[int, str] = {}
        self.unknown: list[str] = []
        # Numbered second rows of state/local boxes: box_14_2, "Box 14 (2)" …
        for index, name in enumerate(self.names):
            key = normalize(name)
            second = re.fullmatch(r"(box1[4-9])2", key)
            if key in aliases:
                field = aliases[key]
            elif second:
                field = second.group(1).replace("box", "box_") + "_row2"
            else:
                if name:
                    self.unknown.append(name)
                continue
            if field in self.fields.values():
                self.unknown.append(f"{name} (a second column for {field})")
                continue
            self.fields[index] = field

        self.headers = {field: self.names[index] for index, field in self.fields.items()}
        # Per column, decided once: (index, field, kind, where the value goes, provenance text).
        self.plan = []
        for index, field in sorted(self.fields.items()):
            base = field.removesuffix("_row2")
            if field.endswith("_row2"):
                target = "state2" if base in STATE_FIELDS else "local2"
            elif field in STATE_FIELDS:
                target = "state"
            elif field in LOCAL_FIELDS:
                target = "local"
            elif field in TAXPAYER_FIELDS:
                target = "taxpayer"
            elif field in NOT_BOXES:
                target = None
            else:
                target = "values"
            self.plan.append((index, field, base, self.kinds.get(base, "text"), target, f"column {self.names[index]!r}"))

    @property
    def usable(self) -> bool:
        present = set(self.fields.values())
        return ("box_1" in present and bool({"box_7", "box_7_code_1"} & present)) or any(
            f.startswith("f5498_") for f in present)

    def cells(self, row: list[str]) -> dict[str, str]:
        return {field: row[index].strip() for index, field in self.fields.items() if index < len(row)}

    def column(self, field: str) -> str:
        """The header text of the column holding `field`, for messages."""
        return self.headers.get(field, field)


def _parse_disposition(text: str, gross: str, destinations: dict[str, str]) -> tuple[list[dict], str | None]:
    """"roth_ira 10000; traditional_ira 200" → entries; an amount may be left out of a single entry."""
    entries = []
    parts = [p.strip() for p in re.split(r"[;|]", text) if p.strip()]
    for part in parts:
        match = re.fullmatch(r"(.+?)\s*[:=\s]\s*\$?([0-9][0-9,]*(?:\.[0-9]+)?)", part)
        word, amount = (match.group(1), match.group(2)) if match else (part, None)
        destination = destinations.get(normalize(word))
        if destination is None:
            return [], f"{word.strip()!r} is not a destination (use roth_ira, traditional_ira, designated_roth_same_plan, employer_plan, designated_roth_other_plan or kept)"
        if amount is None:
            if len(parts) > 1:
                return [], f"{part!r}: give an amount for each destination when there are several"
            amount = gross
        entries.append({"to": destination, "amount": amount})
    return entries, None


def row_form(header: Header, row_number: int, row: list[str]) -> RawForm:
    cells = header.cells(row)
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    errors: list[str] = []
    parts: dict[str, dict[str, Any]] = {"taxpayer": {}, "state": {}, "local": {}, "state2": {}, "local2": {}}
    width = len(row)
    for index, field, base, kind, target, origin in header.plan:
        if target is None or index >= width:
            continue
        text = row[index].strip()
        if not text:
            continue
        if kind == "flag":
            flag = _flag(text)
            if flag is None:
                errors.append(f"{field}: {text!r} in column {header.names[index]!r} is not a checkbox value "
                              "(X, Yes, True or blank)")
                continue
            text = flag
        if target == "values":
            values[field] = text
        else:
            parts[target][TAXPAYER_FIELDS.get(base, base)] = text
            if target == "taxpayer":
                continue
        fields[base] = origin
    taxpayer = parts["taxpayer"]
    for field, table, target in (("owner", "owners", values), ("filing_status", "filing_statuses", taxpayer)):
        if cells.get(field):
            value = words(table).get(normalize(cells[field]))
            if value is None:
                errors.append(f"{field}: {cells[field]!r} in column {header.column(field)!r} is not one of "
                              + ", ".join(sorted(set(words(table).values()))))
            else:
                target[field] = value
                fields[field] = f"column {header.column(field)!r}"
    if cells.get("taxpayer_id"):
        # The client column is the person's id (the ledger's key) unless it holds a TIN, which
        # megaroth never stores as an id: then it is the taxpayer's TIN.
        client = cells["taxpayer_id"]
        taxpayer.setdefault("tin" if looks_like_tin(client) else "id", client)
    state, local, state2, local2 = parts["state"], parts["local"], parts["state2"], parts["local2"]
    # One column with both codes, or two one-code columns (Drake, Free File Fillable Forms, Avalara).
    first_code = cells.get("box_7") or cells.get("box_7_code_1", "")
    codes = first_code + cells.get("box_7_code_2", "")
    if codes:
        values["box_7"] = codes
        fields["box_7"] = f"column {header.column('box_7' if cells.get('box_7') else 'box_7_code_1')!r}"
    if state:
        values["state"] = [state] + ([state2] if state2 else [])
    if local:
        values["local"] = [local] + ([local2] if local2 else [])
    entries: list[dict] = []
    if cells.get("disposition"):
        entries, problem = _parse_disposition(cells["disposition"], cells.get("box_1", ""), header.destinations)
        if problem:
            errors.append(f"disposition: {problem} (column {header.column('disposition')!r})")
    elif cells.get("to"):
        destination = header.destinations.get(normalize(cells["to"]))
        if destination is None:
            errors.append(f"disposition: {cells['to']!r} in column {header.column('to')!r} is not a destination")
        else:
            entries = [{"to": destination, "amount": cells.get("box_1", "")}]
    if entries:
        sixty = _flag(cells.get("within_60_days", ""))
        if sixty is None:
            errors.append(f"within_60_days: {cells['within_60_days']!r} is not a checkbox value")
        for entry in entries:
            if sixty:
                entry["within_60_days"] = True
            if cells.get("rollover_date"):
                entry["date"] = cells["rollover_date"]
        values["disposition"] = entries
        fields["disposition"] = f"column {header.column('disposition' if cells.get('disposition') else 'to')!r}"
    if entries and cells.get("rollover_account"):
        for entry in entries:
            if entry["to"] in ("traditional_ira", "roth_ira"):
                entry["account"] = cells["rollover_account"]
    year = cells.get("tax_year")
    tax_year = int(year) if year and year.isdigit() else None
    if year and tax_year is None:
        errors.append(f"tax_year: {year!r} in column {header.column('tax_year')!r} is not a year")
    kind = _form_type(header, cells, errors)
    if kind == "5498":
        values, fields = _as_5498(header, cells, values, fields, errors)
        if tax_year is not None:
            values["tax_year"] = tax_year
    else:
        filled = [header.column(f) for f in cells if f.startswith("f5498_") and cells[f]]
        if filled:
            errors.append(f"form_type: column(s) {', '.join(repr(c) for c in filled)} are Form 5498 boxes, filled in "
                          "a Form 1099-R row; give a Form column saying 5498, or put them on a row of their own")
    return RawForm(
        values=values, locator=f"row {row_number}", fields=fields, tax_year=tax_year,
        taxpayer_key=group_key(cells), taxpayer=taxpayer, errors=errors,
        form_id=cells.get("form_id") or None, form=kind,
    )


def _form_type(header: Header, cells: dict[str, str], errors: list[str]) -> str:
    """The row's form: the Form column's word, else a 5498 when only Form 5498 boxes are filled."""
    if cells.get("form_type"):
        kind = words("form_types").get(normalize(cells["form_type"]))
        if kind is None:
            errors.append(f"form_type: {cells['form_type']!r} in column {header.column('form_type')!r} is not a form "
                          "megaroth reads (1099-R or 5498)")
            return "1099-R"
        return kind
    only_5498 = any(f.startswith("f5498_") and v for f, v in cells.items()) and not (
        cells.get("box_1") or cells.get("box_7") or cells.get("box_7_code_1"))
    return "5498" if only_5498 else "1099-R"


def _as_5498(header: Header, cells: dict[str, str], values: dict[str, Any], fields: dict[str, str],
             errors: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A Form 5498 row's values under the Form5498 model's names."""
    out: dict[str, Any] = {}
    where: dict[str, str] = {}
    for name, value in values.items():
        origin = fields.get(name, "")
        if name.startswith("f5498_"):
            target = name.removeprefix("f5498_")
        elif name in PARTIES_5498:
            target = PARTIES_5498[name]
        elif name in SHARED_5498:
            target = name
        elif name == "note":
            continue
        else:
            errors.append(f"{name}: {origin or 'a column'} is a Form 1099-R box; a Form 5498 row leaves it blank")
            continue
        out[target] = value
        where[target] = origin
    if cells.get("f5498_box_7"):
        flags, bad = ira_kind_flags(cells["f5498_box_7"])
        for part in bad:
            errors.append(f"box_7: {part!r} in column {header.column('f5498_box_7')!r} is not a kind of IRA "
                          "(IRA, SEP, SIMPLE or Roth IRA)")
        for flag in flags:
            out[flag] = True
            where[flag] = f"column {header.column('f5498_box_7')!r}"
    return out, where


def ira_kind_flags(text: str) -> tuple[list[str], list[str]]:
    """Form 5498 box 7 as written in a cell or on a statement ("Roth IRA", "SEP + Roth IRA"): the
    checkbox fields it names, and the parts that name no kind of IRA."""
    kinds = words("ira_kinds")
    flags, bad = [], []
    for part in re.split(r"[+,/&;]| and ", text):
        if part.strip():
            flag = kinds.get(normalize(part))
            (flags.append(flag) if flag else bad.append(part.strip()))
    return flags, bad


def group_key(cells: dict[str, str]) -> str:
    """The person a row belongs to: the client column, else a complete TIN, else a masked TIN with
    the name, else the name (`person_key`: a masked TIN alone never joins two rows)."""
    client = cells.get("taxpayer_id")
    tin = cells.get("taxpayer_tin") or cells.get("recipient_tin")
    if client and looks_like_tin(client):
        client, tin = None, tin or client
    return person_key(client, tin, cells.get("taxpayer_name") or cells.get("recipient_name"))


class CsvBatchImporter:
    name = "csv"
    description = "preparer CSV: one row per 1099-R, columns named after the boxes (forms/csv_columns.toml)"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "csv":
            return False
        try:
            first = next(_reader(doc), None)
        except (csv.Error, InputError):
            return False
        return bool(first) and Header(first).usable

    def _rows(self, doc: Document) -> Iterator[tuple[int, list[str]]]:
        reader = _reader(doc)
        next(reader, None)
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield number, row

    def header(self, doc: Document) -> Header:
        return Header(next(_reader(doc)))

    def _record(self, header: Header, number: int, row: list[str]) -> RawForm:
        while len(row) > len(header.names) and not row[-1].strip():
            row = row[:-1]  # spreadsheets often write empty cells past the last column
        if len(row) > len(header.names):
            # Usually an unquoted comma inside an amount ("10,200.00"): every later cell shifts.
            # Short rows are fine: spreadsheets drop trailing empty cells.
            form = RawForm(values={}, locator=f"row {number}")
            form.errors.append(f"the row has {len(row)} cells but the header has {len(header.names)}: "
                               "probably an unquoted comma in an amount (write \"10,200.00\" in quotes)")
            return form
        return row_form(header, number, row)

    def extract(self, doc: Document) -> Extraction:
        header = self.header(doc)
        extraction = Extraction()
        if header.unknown:
            extraction.notes.append(f"{doc.name}: columns not used: {', '.join(header.unknown)}")
        for number, row in self._rows(doc):
            extraction.records.append(self._record(header, number, row))
        return extraction

    def iter_groups(self, doc: Document, announce=None) -> Iterator[tuple[str, list[RawForm]]]:
        """Each taxpayer's records, streamed: memory holds only the taxpayers still open.

        The first pass notes each row's taxpayer (in a temporary file, `megaroth.spill`: the
        bookkeeping of 100,000 taxpayers does not grow the memory); the second emits a taxpayer's
        records when the last row of theirs is read.

        Args:
            announce: called with the number of taxpayer groups once the first pass has counted them.
        """
        from megaroth.spill import LastRows

        header = self.header(doc)
        index = [(i, field) for i, field in header.fields.items() if field in KEY_FIELDS]

        def key_of(row: list[str]) -> str:
            cells = {field: row[i].strip() for i, field in index if i < len(row)}
            return f"{group_key(cells)}\x00{cells.get('tax_year', '')}"

        last = LastRows((key_of(row), number) for number, row in self._rows(doc))
        if announce is not None:
            announce(last.keys)
        open_groups: dict[str, list[RawForm]] = {}
        for number, row in self._rows(doc):
            record = self._record(header, number, row)
            key = key_of(row)
            open_groups.setdefault(key, []).append(record)
            if number in last:
                yield key.split("\x00")[0], open_groups.pop(key)
        # Only if the file changed between the passes: what is still open is not lost.
        for key, records in open_groups.items():
            yield key.split("\x00")[0], records
