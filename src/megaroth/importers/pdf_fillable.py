"""The IRS fillable Form 1099-R (AcroForm fields), any copy (A, 1, B, C, 2) holding values.

Field names move between revisions, so each revision's map is data in
`forms/pdf_fields/f1099r_<revision>.toml`; a PDF is claimed when its fields are those of a
known revision. Fields are read from each page's widget annotations (full names built from
the /Parent chain), so a file merging several filled forms yields one record per form; copies
of the same form with the same values are read once.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from megaroth.catalog import forms_root
from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.importers.pdf_widgets import widgets
from megaroth.importers.revisions import other_revision

MIN_MATCHING_FIELDS = 10
"""A PDF sharing this many field names with a revision's map is that form."""


@dataclass(frozen=True)
class FieldMap:
    revision: str
    tax_year: int
    verified: bool
    root: str
    fields: dict[str, tuple[str, str, str | None]]
    """Full field name → (copy, model field, checked state for checkboxes)."""


@cache
def field_maps() -> tuple[FieldMap, ...]:
    maps = []
    for entry in sorted(forms_root().joinpath("pdf_fields").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        meta = data["meta"]
        fields = {}
        for copy, names in data["copies"].items():
            for leaf, spec in names.items():
                fields[f"{meta['root']}.{copy}.{leaf}"] = (copy.split("[")[0], spec["field"], spec.get("on"))
        maps.append(FieldMap(revision=meta["revision"], tax_year=meta["tax_year"], verified=meta["verified"],
                             root=meta["root"], fields=fields))
    return tuple(maps)


def _text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip() if value is not None else ""


def widget_values(reader) -> Iterator[tuple[int, str, Any]]:
    """(page number, full field name, value) for every widget, once per page and name;
    checkboxes give their state name."""
    seen = set()
    for widget in widgets(reader):
        if (widget.page, widget.name) not in seen:
            seen.add((widget.page, widget.name))
            yield widget.page + 1, widget.name, widget.value


def matching_map(names: set[str]) -> FieldMap | None:
    best, best_count = None, 0
    for field_map in field_maps():
        count = len(names & field_map.fields.keys())
        if count > best_count:
            best, best_count = field_map, count
    return best if best_count >= MIN_MATCHING_FIELDS else None


FIRST_YEAR_OF_LAYOUT = 2020
"""The Form 1099-R box numbering the field maps know (state and local boxes 14-19)."""


def printed_year(doc: Document, page: int) -> int | None:
    """The tax year printed on a page ("2025" beside "Form 1099-R"), else in the PDF's title."""
    from megaroth.importers.text_forms import Grid, title_year

    texts = doc.page_texts
    if 0 < page <= len(texts):
        year = title_year(Grid(page=page, lines=texts[page - 1].splitlines()))
        if year:
            return year
    match = re.search(r"\b(19|20)\d{2}\b", str((doc.pdf.metadata or {}).get("/Title", "")))
    return int(match.group(0)) if match else None


def has_fdx_json(reader) -> bool:
    metadata = reader.metadata or {}
    return "/fdxJson" in metadata


class FillablePdfImporter:
    name = "pdf-fillable"
    description = "IRS fillable Form 1099-R PDF (AcroForm fields of a known revision)"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "pdf":
            return False
        reader = doc.pdf_or_none()
        if reader is None or has_fdx_json(reader):
            return False
        return matching_map(set(doc.pdf_fields)) is not None

    def extract(self, doc: Document) -> Extraction:
        reader = doc.pdf
        field_map = matching_map(set(doc.pdf_fields))
        extraction = Extraction()
        groups: dict[tuple[int, str], dict[str, tuple[str, Any]]] = {}
        for page, name, value in widget_values(reader):
            known = field_map.fields.get(name)
            if known is None:
                continue
            copy, field, on = known
            groups.setdefault((page, copy), {})[field] = (f"AcroForm field {name}",
                                                          value if on is None else str(value) == f"/{on}")
        seen: dict[str, str] = {}
        for (page, copy), found in sorted(groups.items()):
            filled = {f: v for f, (n, v) in found.items() if (v is True) or (not isinstance(v, bool) and _text(v))}
            if not filled:
                continue
            record = record_from_boxes(found, f"page {page} (Copy {copy.removeprefix('Copy')})", field_map.tax_year)
            self._check_year(doc, page, record, field_map)
            signature = json.dumps(record.values, sort_keys=True, default=str)
            if signature in seen:
                extraction.notes.append(f"{doc.name}: {record.locator} repeats {seen[signature]}; read once")
                continue
            seen[signature] = record.locator
            extraction.records.append(record)
        if not extraction.records:
            extraction.notes.append(f"{doc.name}: an IRS fillable 1099-R with no values filled in")
        return extraction

    @staticmethod
    def _check_year(doc: Document, page: int, record: RawForm, field_map: FieldMap) -> None:
        """The year printed on the form is the tax year; the field map must be of a revision with
        the same box numbering (state and local boxes moved in TY2020)."""
        printed = printed_year(doc, page)
        if printed is None or printed == field_map.tax_year:
            return
        record.tax_year = printed
        if printed < FIRST_YEAR_OF_LAYOUT:
            record.errors.append(
                f"the form is printed for {printed}, before the box renumbering of TY{FIRST_YEAR_OF_LAYOUT}; "
                f"megaroth has no field map for that revision (only {field_map.revision}): type the boxes into a "
                "case file")
        elif (refusal := other_revision(printed, field_map.tax_year, f"the field map of the {field_map.revision} "
                                        "revision")) is not None:
            record.errors.append(refusal)
        else:
            record.warnings.append(
                f"the form is printed for {printed} but its fields are read with the map of the "
                f"{field_map.revision} revision (the same field names and box numbers); check the boxes")


def record_from_boxes(found: dict[str, tuple[str, Any]], locator: str, tax_year: int) -> RawForm:
    """A raw record from boxes read off a Form 1099-R: model field → (where it was read, value;
    True/False for a checkbox). The payer block and recipient address lines are split the way
    the model has them."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    states: dict[int, dict[str, str]] = {}
    locals_: dict[int, dict[str, str]] = {}
    recipient_lines = {}
    for field, (origin, value) in found.items():
        if isinstance(value, bool):
            if value:
                values[field] = True
                fields[field] = origin
            continue
        text = _text(value)
        if not text:
            continue
        if field == "payer_block":
            first, _, rest = text.partition("\n")
            values["payer_name"] = first.strip()
            if rest.strip():
                values["payer_address"] = rest.strip()
            fields["payer_name"] = origin
        elif field in ("recipient_street", "recipient_city"):
            recipient_lines[field] = text
        elif field.startswith(("state.", "local.")):
            group, row, box = field.split(".")
            (states if group == "state" else locals_).setdefault(int(row), {})[box] = text
            fields[box] = origin
        else:
            values[field] = text
            fields[field] = origin
    if recipient_lines:
        values["recipient_address"] = "\n".join(
            recipient_lines[k] for k in ("recipient_street", "recipient_city") if k in recipient_lines)
    if states:
        values["state"] = [states[k] for k in sorted(states)]
    if locals_:
        values["local"] = [locals_[k] for k in sorted(locals_)]
    taxpayer = {k: values[v] for k, v in (("name", "recipient_name"), ("tin", "recipient_tin")) if values.get(v)}
    return RawForm(
        values=values, locator=locator, fields=fields, tax_year=tax_year,
        taxpayer=taxpayer,
    )
