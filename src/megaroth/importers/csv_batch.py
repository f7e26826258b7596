"""The preparer CSV: one row per Form 1099-R, columns named after the boxes.

The column layout is data (`forms/csv_columns.toml`): each field with the header spellings
accepted. Row numbers are spreadsheet row numbers (the header is row 1), so "row 14" is the
row a preparer sees. A bad row is rejected with its row and column; the others go on.

For big batches `iter_groups` streams the file twice instead of holding every record: the
first pass notes the last row of each taxpayer, the second emits each taxpayer's records as
soon as that row is read, so memory holds only the taxpayers still open.

Each person's Form 8606 facts (`ira_basis`, `spouse_ira_year_end_value` …) are columns too,
named as the case file's `taxpayer.ira` / `spouse.ira` fields. They are the person's, not a
form's: a taxpayer's rows may repeat them or leave them blank, but two rows that disagree reject
the taxpayer, since either value would be a guess. A header megaroth does not know is named in
the notes; one that is a near miss of a known spelling refuses the file (its values would
otherwise be dropped, and a dropped basis makes a backdoor Roth look fully taxable).
"""

from __future__ import annotations

import csv
from decimal import Decimal
import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import ValidationError

from megaroth.catalog import read_toml
from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, RawForm, person_key
from megaroth.model.tax_return import IraFacts
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
# In a Form W-2 row the party columns hold the employer and the employee; box 1 is the W-2's (wages).
PARTIES_W2 = {"payer_name": "employer_name", "payer_tin": "employer_ein", "recipient_name": "employee_name",
              "recipient_tin": "employee_tin"}
SHARED_W2 = {"box_1", "corrected", "owner"}
# A person's IRA facts: column prefix → where the value goes in RawForm.taxpayer ("ira.basis" is
# the taxpayer's IraFacts.basis, "spouse.ira.basis" the spouse's).
IRA_PREFIXES = {"ira_": "ira.", "spouse_ira_": "spouse.ira."}
NEAR_MISS_PERCENT = 88
"""How alike (difflib's ratio of the normalized spellings, in percent) an unknown header and a
known one must be for the header to count as a misspelling of it rather than a column of the
preparer's own. A similarity, never money: difflib takes it as a float."""


def ira_fact(field: str) -> str | None:
    """The RawForm.taxpayer key of an IRA fact column ("spouse_ira_basis" → "spouse.ira.basis")."""
    for prefix, target in IRA_PREFIXES.items():
        if field.startswith(prefix) and field.removeprefix(prefix) in IraFacts.model_fields:
            return target + field.removeprefix(prefix)
    return None


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


@cache
def spellings() -> dict[str, str]:
    """Normalized alias → the alias as csv_columns.toml writes it, for messages."""
    return {normalize(alias): alias for name, spec in read_toml("csv_columns.toml")["columns"].items()
            for alias in [name, *spec["aliases"]]}


def near_miss(name: str) -> str | None:
    """The known spelling an unknown header is a near miss of ("Nondeductable contributions" →
    "nondeductible contributions"), or None. Short headers are never near misses: "memo2" is not
    a misspelt "memo", and two letters apart are most of a short word."""
    key = normalize(name)
    if len(key) < 6:
        return None
    known = [k for k in spellings() if len(k) >= 6]
    close = difflib.get_close_matches(key, known, n=1, cutoff=NEAR_MISS_PERCENT / 100)
    return spellings()[close[0]] if close else None


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
        self.misspelt: list[tuple[str, str]] = []
        """(header, the known spelling it is a near miss of)."""
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
                    known = near_miss(name)
                    if known:
                        self.misspelt.append((name, known))
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
            elif ira_fact(field):
                target = "ira"
            elif field in NOT_BOXES:
                target = None
            else:
                target = "values"
            self.plan.append((index, field, base, self.kinds.get(base, "text"), target, f"column {self.names[index]!r}"))

    @property
    def usable(self) -> bool:
        present = set(self.fields.values())
        return ("box_1" in present and bool({"box_7", "box_7_code_1"} & present)) or any(
            f.startswith(("f5498_", "w2_")) for f in present)

    def refusal(self) -> str:
        """Why this header cannot be read, in the words of the form (never a path in megaroth)."""
        present = set(self.fields.values())
        missing = [(box, spellings) for box, spellings, fields in (
            ("box 1", "'Box 1' or 'Gross distribution'", {"box_1"}),
            ("box 7", "'Box 7', 'Distribution code' or 'Code'", {"box_7", "box_7_code_1"}),
        ) if not fields & present]
        if len(missing) == 1:
            text = f"a CSV without a column for {missing[0][0]}: name it {missing[0][1]}"
        else:
            text = f"a CSV without columns for box 1 and box 7: name them {missing[0][1]}, and {missing[1][1]}"
        text += " (a CSV of Forms 5498 only needs their columns, such as '5498 box 2')"
        shown = [repr(name[:40]) for name in self.names[:12] if name]
        text += "; the header row has " + (", ".join(shown) + (" …" if len(self.names) > 12 else "")
                                           if shown else "no names")
        if self.misspelt:
            text += "; " + self.misspelling()
        return text

    def misspelling(self) -> str:
        aliases = column_spec()[0]
        return "; ".join(f"column {name!r} looks like a misspelling of {known!r} ({aliases[normalize(known)]})"
                         for name, known in self.misspelt)

    def cells(self, row: list[str]) -> dict[str, str]:
        return {field: row[index].strip() for index, field in self.fields.items() if index < len(row)}

    def column(self, field: str) -> str:
        """The header text of the column holding `field`, for messages."""
        return self.headers.get(field, field)


def _parse_disposition(text: str, gross: str, destinations: dict[str, str]) -> tuple[list[dict], str | None]:
    """"roth_ira 10000; traditional_ira 200" (or "roth_ira=10000, traditional_ira=200", as `--to`
    takes them) → entries; an amount may be left out of a single entry. A comma separates entries
    only before a destination word: in "roth_ira 10,000" it is a thousands separator."""
    entries = []
    parts = [p.strip() for p in re.split(r"[;|]|,(?=\s*[A-Za-z])", text) if p.strip()]
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
        if target == "ira":
            fact = ira_fact(field)
            value = _ira_value(fact.rsplit(".", 1)[1], text, cells.get("tax_year"))
            if isinstance(value, str):
                errors.append(f"{field}: {text[:40]!r} in column {header.names[index]!r}: {value}")
            else:
                parts["taxpayer"][fact] = value
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
        # The same cell as `Disposition`: a destination, or DEST=AMOUNT entries as `--to` takes them.
        entries, problem = _parse_disposition(cells["to"], cells.get("box_1", ""), header.destinations)
        if problem:
            errors.append(f"disposition: {problem} (column {header.column('to')!r})")
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
    elif kind == "W-2":
        values, fields = _as_w2(header, values, fields, errors)
    else:
        filled = [header.column(f) for f in cells if f.startswith(("f5498_", "w2_")) and cells[f]]
        if filled:
            errors.append(f"form_type: column(s) {', '.join(repr(c) for c in filled)} are Form 5498 boxes, filled in "
                          "a Form 1099-R row; give a Form column saying 5498, or put them on a row of their own")
    return RawForm(
        values=values, locator=f"row {row_number}", fields=fields, tax_year=tax_year,
        taxpayer_key=group_key(cells), taxpayer=taxpayer, errors=errors,
        form_id=cells.get("form_id") or None, form=kind,
    )


def _ira_value(name: str, text: str, year: str | None = None) -> object:
    """A cell of an IRA fact read as the case file reads that field (money as every amount is, a
    year as a year), or why it cannot be (a str). A list fact (earlier Roth conversions,
    recharacterizations) is written as `--fact` takes it ("2023=200+10000, 2024=0+7000"): one
    definition of each fact's answer (megaroth.questions.facts) for every channel."""
    from megaroth.questions.facts import BY_NAME, FactValueError, read_value

    fact = BY_NAME.get(f"ira.{name}")
    if fact is not None and fact.kind in ("layers", "recharacterizations"):
        try:
            # The row's tax year bounds the years written in the cell (a row without one is refused for it).
            return IraFacts.model_validate({name: read_value(fact, text, int(year) if year and year.isdigit()
                                                             else 9999)}).model_dump()[name]
        except FactValueError as exc:
            return str(exc)
        except ValidationError as exc:
            return exc.errors()[0]["msg"].removeprefix("Value error, ")
    try:
        return getattr(IraFacts.model_validate({name: text}), name)
    except ValidationError as exc:
        return exc.errors()[0]["msg"].removeprefix("Value error, ")


_PERSON_COLUMNS = {target: column for column, target in TAXPAYER_FIELDS.items()}
"""A person's key in the record (spouse.name) → its CSV field (spouse_name), for the message."""


def _same(value: object) -> object:
    """What counts as the same value: names and words compared without case or extra spaces; a list fact
    (Roth conversion layers) by its items."""
    if isinstance(value, list):
        return json.dumps(value, sort_keys=True, default=str)
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def person_conflicts(header: Header, records: list[RawForm]) -> None:
    """Reject every row of a taxpayer whose rows give one IRA fact different values, naming the
    column and the rows: the fact is the person's (one Form 8606 line), so which row is right
    cannot be guessed. Blank cells are not given, never a disagreement."""
    seen: dict[str, list[tuple[str, object]]] = {}
    for record in records:
        for key, value in record.taxpayer.items():
            # The person's other columns too (birth date, filing status, the spouse): the first row's
            # value winning silently would put a wrong age or status on the return.
            if key.startswith(("ira.", "spouse.")) or key in ("birth_date", "filing_status", "name"):
                seen.setdefault(key, []).append((record.locator, value))
    for key, given in seen.items():
        if len({_same(value) for _, value in given}) < 2:
            continue
        field = key.replace(".", "_") if key.startswith(("ira.", "spouse.ira.")) else _PERSON_COLUMNS.get(key, key)
        shown = ", ".join(f"{format(value, ',') if isinstance(value, Decimal) else value} on {where}"
                          for where, value in given)
        message = (f"{field}: column {header.column(field)!r} gives this person different values ({shown}); it is "
                   "one fact per person, not per form: give the same value on each row, or on one row only")
        for record in records:
            record.errors.append(message)


def _form_type(header: Header, cells: dict[str, str], errors: list[str]) -> str:
    """The row's form: the Form column's word, else a 5498 when only Form 5498 boxes are filled."""
    if cells.get("form_type"):
        kind = words("form_types").get(normalize(cells["form_type"]))
        if kind is None:
            errors.append(f"form_type: {cells['form_type']!r} in column {header.column('form_type')!r} is not a form "
                          "megaroth reads (1099-R, 5498 or W-2)")
            return "1099-R"
        return kind
    only_5498 = any(f.startswith("f5498_") and v for f, v in cells.items()) and not (
        cells.get("box_1") or cells.get("box_7") or cells.get("box_7_code_1"))
    only_w2 = any(f.startswith("w2_") and v for f, v in cells.items()) and not (
        cells.get("box_7") or cells.get("box_7_code_1") or any(f.startswith("f5498_") and v for f, v in cells.items()))
    return "5498" if only_5498 else "W-2" if only_w2 else "1099-R"


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


W2_CODE_PREFIX = "w2_box_12_"


def _as_w2(header: Header, values: dict[str, Any], fields: dict[str, str],
           errors: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A Form W-2 row's values under the FormW2 model's names: box 12 from per-code columns and from the
    12a-12d code/amount slots."""
    out: dict[str, Any] = {}
    where: dict[str, str] = {}
    box_12: list[dict[str, str]] = []
    for name, value in values.items():
        origin = fields.get(name, "")
        if name.startswith(W2_CODE_PREFIX) and name.removeprefix(W2_CODE_PREFIX).isalpha():
            box_12.append({"code": name.removeprefix(W2_CODE_PREFIX).upper(), "amount": value})
            where["box_12"] = origin
            continue
        if name.startswith("w2_box_12") and name.endswith(("_code", "_amount")):
            continue  # the slots, below
        if name == "w2_box_13_retirement_plan":
            out["box_13_retirement_plan"], where["box_13_retirement_plan"] = value, origin
            continue
        if name in PARTIES_W2:
            out[PARTIES_W2[name]], where[PARTIES_W2[name]] = value, origin
        elif name in SHARED_W2:
            out[name], where[name] = value, origin
        elif name != "note":
            errors.append(f"{name}: {origin or 'a column'} is a Form 1099-R box; a Form W-2 row leaves it blank")
    for slot in "abcd":
        code, amount = values.get(f"w2_box_12{slot}_code"), values.get(f"w2_box_12{slot}_amount")
        if code and amount:
            box_12.append({"code": str(code), "amount": amount})
            where["box_12"] = fields.get(f"w2_box_12{slot}_code", "")
        elif code or amount:
            errors.append(f"box_12: box 12{slot} needs both its code and its amount (column "
                          f"{header.column(f'w2_box_12{slot}_code' if not code else f'w2_box_12{slot}_amount')!r} is "
                          "blank)")
    if box_12:
        out["box_12"] = box_12
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
        """The file's header.

        Raises:
            InputError: when a header is a near miss of a known column: its values would be lost.
        """
        header = Header(next(_reader(doc)))
        if header.misspelt:
            them = "it" if len(header.misspelt) == 1 else "them"
            raise InputError(f"{header.misspelling()}: rename {them} to that spelling, or the values would be left "
                             "out", doc.source)
        return header

    def refusal(self, doc: Document) -> str | None:
        """Why a CSV is not read as a preparer's batch, naming the missing columns; None when it is
        (or cannot be read at all)."""
        try:
            first = next(_reader(doc), None)
        except (csv.Error, InputError):
            return None
        if not first:
            return None
        header = Header(first)
        return None if header.usable else header.refusal()

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
        taxpayers: dict[tuple, list[RawForm]] = {}
        for record in extraction.records:
            taxpayers.setdefault((record.taxpayer_key, record.tax_year), []).append(record)
        for records in taxpayers.values():
            person_conflicts(header, records)
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
                records = open_groups.pop(key)
                person_conflicts(header, records)
                yield key.split("\x00")[0], records
        # Only if the file changed between the passes: what is still open is not lost.
        for key, records in open_groups.items():
            person_conflicts(header, records)
            yield key.split("\x00")[0], records
