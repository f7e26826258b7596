"""megaroth's own case files (`tax_year` + `forms_1099r`), so they can be combined with other
sources in `megaroth import`. A case file on its own is read whole by `megaroth report`."""

from __future__ import annotations

from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.model.loading import without_comments


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
        case = without_comments(doc.json)
        extraction = Extraction()
        year = case.get("tax_year") if isinstance(case.get("tax_year"), int) else None
        taxpayer = case.get("taxpayer") if isinstance(case.get("taxpayer"), dict) else {}
        forms = case.get("forms_1099r")
        if not isinstance(forms, list):
            extraction.errors.append(InputError("forms_1099r must be a list of forms", doc.source))
            return extraction
        others = case.get("forms_5498", [])
        if not isinstance(others, list):
            extraction.errors.append(InputError("forms_5498 must be a list of forms", doc.source))
            others = []
        w2s = case.get("forms_w2", [])
        if not isinstance(w2s, list):
            extraction.errors.append(InputError("forms_w2 must be a list of forms", doc.source))
            w2s = []
        held = case.get("forms_1099r_awaiting", [])
        if not isinstance(held, list):
            extraction.errors.append(InputError("forms_1099r_awaiting must be a list of forms", doc.source))
            held = []
        for kind, items in (("1099-R", forms), ("1099-R", held), ("5498", others), ("W-2", w2s)):
            for index, form in enumerate(items, start=1):
                prefix = {"5498": "5498 form", "W-2": "W-2"}.get(kind, "form")
                if not isinstance(form, dict):
                    extraction.errors.append(InputError(f"{prefix} #{index} is not an object", doc.source))
                    continue
                values = {k: v for k, v in form.items() if k not in ("id", "provenance")}
                label = f"{prefix} {form['id']!r}" if isinstance(form.get("id"), str) else f"{prefix} #{index}"
                # A scan's boxes still awaiting a person stay awaited (a blank box 2a is not a box read blank).
                provenance = form.get("provenance") if isinstance(form.get("provenance"), dict) else {}
                awaiting = provenance.get("awaiting_confirmation")
                scanned = provenance.get("scanned")
                extraction.records.append(RawForm(
                    values=values, locator=label, tax_year=year, form=kind,
                    awaiting=dict(awaiting) if isinstance(awaiting, dict) else {},
                    scan=(dict(scanned) if isinstance(scanned, dict) else {}) if isinstance(awaiting, dict) else None,
                    # A case file is one person: its forms stay together unless an id or TIN says more.
                    taxpayer_key=f"file:{doc.name}",
                    taxpayer={k: taxpayer[k] for k in ("id", "name", "tin", "birth_date") if taxpayer.get(k)},
                ))
        return extraction
