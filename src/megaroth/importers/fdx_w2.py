"""FDX `TaxW2` JSON: the employer, box 1 wages (`wages`) and box 12 (`codes`: a list of
CodeAmount `{code, amount}`), box 13's retirement plan checkbox (`retirementPlan`). v6 names the
parties `issuer` (the employer) and `recipient` (the employee), as every FDX tax form; v5 names
them `employerNameAddress` / `employeeNameAddress` with `employerTin` / `employeeTin`. Only what
the deferral limits need is read; the rest of the W-2 is not megaroth's business.
"""

from __future__ import annotations

from typing import Any

from megaroth.importers.base import RawForm


def is_taxw2(obj: Any) -> bool:
    return isinstance(obj, dict) and (obj.get("taxFormType") == "TaxW2" or (
        "wages" in obj and ("codes" in obj or "socialSecurityWages" in obj or "medicareWages" in obj)))


def map_taxw2(obj: dict, locator: str, prefix: str, party_name, name_address) -> RawForm:
    """One TaxW2 as a raw Form W-2 (the party helpers are fdx's, shared with Tax1099R)."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    if obj.get("wages") is not None:
        values["box_1"], fields["box_1"] = obj["wages"], f"{prefix} wages"
    codes = [{"code": item.get("code"), "amount": item.get("amount")} for item in obj.get("codes") or []
             if isinstance(item, dict)]
    if codes:
        values["box_12"], fields["box_12"] = codes, f"{prefix} codes"
    if obj.get("retirementPlan") is not None:
        values["box_13_retirement_plan"] = bool(obj["retirementPlan"])
        fields["box_13_retirement_plan"] = f"{prefix} retirementPlan"
    if obj.get("corrected") is not None:
        values["corrected"] = bool(obj["corrected"])
    if isinstance(obj.get("issuer"), dict):  # v6
        values["employer_name"] = party_name(obj["issuer"])
        values["employer_ein"] = obj["issuer"].get("tin")
        fields["employer_name"] = f"{prefix} issuer"
    elif isinstance(obj.get("employerNameAddress"), dict):  # v5
        values["employer_name"] = name_address(obj["employerNameAddress"])[0]
        fields["employer_name"] = f"{prefix} employerNameAddress"
    if obj.get("employerTin"):
        values["employer_ein"] = obj["employerTin"]
    if isinstance(obj.get("recipient"), dict):
        values["employee_name"] = party_name(obj["recipient"])
        values["employee_tin"] = obj["recipient"].get("tin")
    elif isinstance(obj.get("employeeNameAddress"), dict):
        values["employee_name"] = name_address(obj["employeeNameAddress"])[0]
    if obj.get("employeeTin"):
        values["employee_tin"] = obj["employeeTin"]
    values = {k: v for k, v in values.items() if v is not None}
    taxpayer = {k: values[v] for k, v in (("name", "employee_name"), ("tin", "employee_tin")) if values.get(v)}
    year = obj.get("taxYear")
    form_id = obj.get("taxFormId")
    return RawForm(form_id=str(form_id) if form_id else None, values=values, locator=locator, fields=fields,
                   tax_year=int(year) if isinstance(year, (int, str)) and str(year).isdigit() else None,
                   taxpayer=taxpayer, form="W-2")
