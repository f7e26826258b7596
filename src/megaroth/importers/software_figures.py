"""Read a tax software's figures given by hand: command-line options, a small JSON or CSV file.

The names follow the forms of the tax year: `line_5b` (or `5b`), `rollover`,
`form_8606_line_18`, `schedule_2_line_8`, `roth_ira_contributions`; on a joint return the
spouse's own Form 8606 is `spouse_form_8606_line_18`. A name that is not a line of that year's
form (line 4c is pensions in 2019 and a checkbox from 2025) is an error that lists the names the
year has, never a guess; given as a command-line option it is a usage error naming the option.

JSON:
    {"software": "...", "tax_year": 2025,
     "form_1040": {"5a": "10200", "5b": "200", "25b": "0", "rollover": true},
     "form_8606": {"1": "7000", "17": "7000", "18": "10"}, "spouse_form_8606": {"1": "7000"},
     "schedule_2": {"8": "0"}, "roth_ira_contributions": "0"}
CSV: two columns, `item,value`, one figure per row (a header row is optional).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from megaroth.errors import InputError, UsageError
from megaroth.model.software import ALL_8606_ITEMS, SPOUSE, Figure, SoftwareFigures
from megaroth.money import MoneyError, parse_money
from megaroth.params import YearParameters
from megaroth.provenance import Source

TRUE = {"yes", "y", "true", "x", "checked", "1", "on", "rollover"}
FALSE = {"no", "n", "false", "", "unchecked", "0", "off", "none"}
META = ("software", "tax_year")
SECTIONS = {"form_1040": "", "lines": "", "form_8606": "form_8606_line_", "spouse_form_8606": "spouse_form_8606_line_",
            "schedule_2": "schedule_2_line_"}


@dataclass
class Pair:
    name: str
    value: Any
    where: str
    source: Source
    option: bool = False
    """Given as a command-line option: a bad name or value is a usage error (exit 2)."""


@dataclass
class RawFigures:
    """Name/value pairs as given, before the tax year's form gives them a meaning."""

    pairs: list[Pair] = field(default_factory=list)
    software: str | None = None
    tax_year: int | None = None
    file: str | None = None


def normalize(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")
    for prefix in ("form_1040_", "f1040_", "1040_"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text


def names_for(params: YearParameters) -> dict[str, str]:
    """Every accepted name → item, for the year's layout."""
    f1040 = params.f1040
    names: dict[str, str] = {}
    for role in ("ira_gross", "ira_taxable", "pension_gross", "pension_taxable", "withholding"):
        line = getattr(f1040.lines, role).line.lower()
        names[f"line_{line}"] = names[line] = role
    for item, marker in (("pension_rollover", f1040.markers.pension_rollover),
                         ("ira_rollover", f1040.markers.ira_rollover)):
        names[item] = item
        names[f"rollover_{marker.line.lower()}"] = item
        names[f"line_{marker.line.lower()}_rollover"] = item
        names[f"{marker.line.lower()}_rollover"] = item
    names["rollover"] = "pension_rollover"
    for item in ALL_8606_ITEMS:
        number = item.rsplit("_", 1)[1]
        prefix = SPOUSE if item.startswith(SPOUSE) else ""
        for alias in (item, f"8606_line_{number}", f"f8606_line_{number}", f"form_8606_{number}", f"8606_{number}"):
            names[alias if alias.startswith(prefix) else prefix + alias] = item
    line = f1040.schedule_2.additional_tax.line
    for alias in (f"schedule_2_line_{line}", f"sch_2_line_{line}", f"schedule_2_{line}", "schedule_2_additional_tax"):
        names[alias] = "schedule_2_additional_tax"
    for alias in ("roth_ira_contributions", "roth_ira_contribution", "roth_contributions"):
        names[alias] = "roth_ira_contributions"
    return names


def _display_names(params: YearParameters) -> str:
    lines = params.f1040.lines
    amount_lines = ", ".join(f"line_{getattr(lines, r).line}" for r in
                             ("ira_gross", "ira_taxable", "pension_gross", "pension_taxable", "withholding"))
    markers = params.f1040.markers
    return (f"{amount_lines}, rollover (or rollover_{markers.pension_rollover.line}), ira_rollover (or "
            f"rollover_{markers.ira_rollover.line}), form_8606_line_1/2/3/6/13/14/16/17/18 (the spouse's: "
            "spouse_form_8606_line_…), "
            f"schedule_2_line_{params.f1040.schedule_2.additional_tax.line}, roth_ira_contributions")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def _bad(pair: Pair, message: str) -> Exception:
    """A bad figure: an input error naming file, row and name; a usage error naming the option."""
    if pair.option:
        return UsageError(f"{pair.where}: {message}")
    return InputError(message, pair.source)


def resolve(raw: RawFigures, params: YearParameters) -> SoftwareFigures:
    """Give each pair its meaning in the tax year's forms.

    Raises:
        InputError: naming the file, row and name, for an unknown name, a bad amount or a
            figure given twice.
        UsageError: the same, for a figure given as a command-line option (`--line 5x=100`).
    """
    names = names_for(params)
    figures: dict[str, Figure] = {}
    for pair in raw.pairs:
        key = normalize(pair.name)
        item = names.get(key)
        if item is None and key.startswith("line_"):  # `--line spouse_form_8606_line_1=7000`
            item = names.get(key.removeprefix("line_"))
        if item is None:
            if re.fullmatch(r"(line_)?\d+[a-z]?", key):
                message = (f"line {key.removeprefix('line_')} of {params.f1040.meta.form} is not a line megaroth "
                           f"compares; the names for {params.tax_year} are: {_display_names(params)}")
            else:
                message = f"unknown figure {pair.name!r}; the names for {params.tax_year} are: {_display_names(params)}"
            raise _bad(pair, message)
        if item in figures:
            raise _bad(pair, f"{pair.name!r} is given twice (also as {figures[item].where})")
        try:
            if item.endswith("_rollover"):
                figure = Figure(item=item, flag=_flag(pair.value), where=pair.where)
            else:
                amount = parse_money(pair.value)
                figure = Figure(item=item, amount=amount if amount is not None else parse_money("0"), where=pair.where)
        except (MoneyError, ValueError) as exc:
            raise _bad(pair, str(exc)) from None
        figures[item] = figure
    return SoftwareFigures(software=raw.software, tax_year=raw.tax_year, file=raw.file, figures=figures)


def from_options(options: dict[str, Any]) -> RawFigures:
    """Figures given as command-line options: option name → value (None when not given)."""
    raw = RawFigures()
    for option, value in options.items():
        if value is None:
            continue
        raw.pairs.append(Pair(name=option.lstrip("-"), value=value, where=option, source=Source(field=option),
                              option=True))
    return raw


def _year(value: Any, source: Source) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InputError(f"tax_year {value!r} is not a year", source) from None
    return year


def from_json(data: Any, source: Source) -> RawFigures:
    if not isinstance(data, dict):
        raise InputError("a software figures file holds one JSON object, like "
                         "{\"tax_year\": 2025, \"form_1040\": {\"5a\": \"10200\", \"5b\": \"200\"}}", source)
    raw = RawFigures(file=source.file)
    for key, value in data.items():
        where = source.at(field=key)
        if key == "software":
            raw.software = None if value is None else str(value)
        elif key == "tax_year":
            raw.tax_year = _year(value, where)
        elif key in SECTIONS:
            if not isinstance(value, dict):
                raise InputError(f"{key!r} must be an object of line → amount", where)
            for name, amount in value.items():
                label = f"{key}.{name}"
                full = SECTIONS[key] + normalize(name).removeprefix("line_") if SECTIONS[key] else str(name)
                raw.pairs.append(Pair(name=full, value=amount, where=f"{source.file}: {label}",
                                      source=source.at(field=label)))
        elif isinstance(value, (dict, list)):
            raise InputError(f"unknown section {key!r}; expected form_1040, form_8606, spouse_form_8606, schedule_2 "
                             "or a figure name",
                             where)
        else:
            raw.pairs.append(Pair(name=key, value=value, where=f"{source.file}: {key}", source=where))
    return raw


def looks_like_csv(data: bytes) -> bool:
    """Rows of item,value, perhaps after comment lines."""
    lines = [line.strip() for line in data[:4096].decode("utf-8", "replace").splitlines()]
    rows = [line for line in lines if line and not line.startswith("#")]
    return bool(rows) and all("," in row for row in rows[:5])


def from_csv(text: str, source: Source) -> RawFigures:
    raw = RawFigures(file=source.file)
    rows = csv.reader(io.StringIO(text))
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        where = source.at(record=f"row {number}")
        if number == 1 and normalize(cells[0]) in ("item", "name", "line", "figure"):
            continue
        if len(cells) < 2 or len([c for c in cells[2:] if c]) > 0:
            raise InputError(f"expected two columns, item and value; got {len(cells)}", where)
        name, value = cells[0], cells[1]
        if normalize(name) == "software":
            raw.software = value or None
        elif normalize(name) == "tax_year":
            raw.tax_year = _year(value, where.at(field="tax_year"))
        else:
            raw.pairs.append(Pair(name=name, value=value, where=f"{source.file} row {number}",
                                  source=where.at(field=name)))
    if not raw.pairs and raw.software is None and raw.tax_year is None:
        raise InputError("no figures in the file (expected rows of item,value such as line_5b,200)", source)
    return raw
