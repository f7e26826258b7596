"""FDX `Tax5498` JSON (v5 and v6 field names): the IRA's Form 5498.

Member names are FDX 5.2's (`rolloverContributions`, `rothIraConversion` — not
`rothIraConversionAmount` — `fairMarketValue` …); v5 names the parties `issuerNameAddress` /
`participantNameAddress`, v6 uses the base `issuer` / `recipient` parties. FDX labels the four
box 7 checkboxes "7a-7d"; the IRS form has one box 7 with four checkboxes.
"""

from __future__ import annotations

from typing import Any

from megaroth.importers.base import RawForm

BOXES = {
    "iraContributions": "box_1",
    "rolloverContributions": "box_2",
    "rothIraConversion": "box_3",
    "recharacterizedContributions": "box_4",
    "fairMarketValue": "box_5",
    "lifeInsuranceCost": "box_6",
    "ira": "box_7_ira",
    "sep": "box_7_sep",
    "simple": "box_7_simple",
    "rothIra": "box_7_roth_ira",
    "sepContributions": "box_8",
    "simpleContributions": "box_9",
    "rothIraContributions": "box_10",
    "rmdNextYear": "box_11",
    "rmdDate": "box_12a",
    "rmdAmount": "box_12b",
    "postponedContribution": "box_13a",
    "postponedYear": "box_13b",
    "postponedCode": "box_13c",
    "repayments": "box_14a",
    "repayCode": "box_14b",
    "fmvSpecifiedAssets": "box_15a",
    "specifiedCodes": "box_15b",
    "accountNumber": "account_number",
    "corrected": "corrected",
    "issuerTin": "trustee_tin",
    "participantTin": "participant_tin",
}


def is_tax5498(obj: Any) -> bool:
    return isinstance(obj, dict) and (
        obj.get("taxFormType") == "Tax5498" or "rolloverContributions" in obj or "fairMarketValue" in obj)


def map_tax5498(obj: dict, locator: str, prefix: str, party_name, name_address, address) -> RawForm:
    """One Tax5498 as a raw Form 5498 (the party helpers are fdx's, shared with Tax1099R)."""
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    for member, name in BOXES.items():
        if member in obj and obj[member] is not None:
            values[name] = obj[member]
            fields[name] = f"{prefix} {member}"
    if isinstance(obj.get("issuer"), dict):  # v6
        values["trustee_name"] = party_name(obj["issuer"])
        if obj["issuer"].get("tin"):
            values["trustee_tin"] = obj["issuer"]["tin"]
    elif isinstance(obj.get("issuerNameAddress"), dict):  # v5
        values["trustee_name"] = name_address(obj["issuerNameAddress"])[0]
    if isinstance(obj.get("recipient"), dict):
        values["participant_name"] = party_name(obj["recipient"])
        if obj["recipient"].get("tin"):
            values["participant_tin"] = obj["recipient"]["tin"]
    elif isinstance(obj.get("participantNameAddress"), dict):
        values["participant_name"] = name_address(obj["participantNameAddress"])[0]
    values = {k: v for k, v in values.items() if v is not None}
    taxpayer = {}
    if values.get("participant_name"):
        taxpayer["name"] = values["participant_name"]
    if values.get("participant_tin"):
        taxpayer["tin"] = values["participant_tin"]
    year = obj.get("taxYear")
    tax_year = int(year) if isinstance(year, (int, str)) and str(year).isdigit() else None
    if tax_year is not None:
        values["tax_year"] = tax_year
    form_id = obj.get("taxFormId")
    return RawForm(form_id=str(form_id) if form_id else None, values=values, locator=locator, fields=fields,
                   tax_year=tax_year, taxpayer=taxpayer, form="5498")
