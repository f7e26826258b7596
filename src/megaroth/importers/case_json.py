"""megaroth's own case files (`tax_year` + `forms_1099r`), so they can be combined with other
sources in `megaroth import`. A case file on its own is read whole by `megaroth report`."""

from __future__ import annotations

from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, RawForm


def is_case(obj: object) -> bool:
    return isinstance(obj, dict) and "forms_1099r" in obj


class CaseFileImporter:
    name = "case-json"
    description = "megaroth case file (JSON with tax_year and forms_1099r)"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "json":
            return False
        try:
            return is_case(doc.json)
        except InputError:
            return False

    def extract(self, doc: Document) -> Extraction:
        case = doc.json
        extraction = Extraction()
        year = case.get("tax_year") if isinstance(case.get("tax_year"), int) else None
        taxpayer = case.get("taxpayer") if isinstance(case.get("taxpayer"), dict) else {}
        forms = case.get("forms_1099r")
        if not isinstance(forms, list):
            extraction.errors.append(InputError("forms_1099r must be a list of forms", doc.source))
            return extraction
        for index, form in enumerate(forms, start=1):
            if not isinstance(form, dict):
                extraction.errors.append(InputError(f"form #{index} is not an object", doc.source))
                continue
            values = {k: v for k, v in form.items() if k not in ("id", "provenance")}
            label = f"form {form['id']!r}" if isinstance(form.get("id"), str) else f"form #{index}"
            extraction.records.append(RawForm(
                values=values, locator=label, tax_year=year,
                # A case file is one person: its forms stay together unless an id or TIN says more.
                taxpayer_key=f"file:{doc.name}",
                taxpayer={k: taxpayer[k] for k in ("id", "name", "tin", "birth_date") if taxpayer.get(k)},
            ))
        return extraction
