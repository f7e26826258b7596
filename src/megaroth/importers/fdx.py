"""FDX (Financial Data Exchange) `Tax1099R` (and `Tax5498`, `TaxW2`: see fdx_5498, fdx_w2) JSON, v5 and v6 field names.

Containers accepted: a TaxStatementList (`statements[].forms[].tax1099R`), a TaxDataList
(`forms[].tax1099R`), a TaxData (`{"tax1099R": …}`), a bare Tax1099R object, or a list of
these. v5 names the parties `payerNameAddress` / `recipientNameAddress` with
`stateTaxWithholding` / `localTaxWithholding` (labelled "Boxes 12-14/15-17", the old
numbering); v6 uses `issuer` / `recipient` parties and `stateAndLocal` (boxes 14-19).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from megaroth.errors import InputError
from megaroth.importers.base import Document, Extraction, RawForm
from megaroth.importers.fdx_5498 import is_tax5498, map_tax5498
from megaroth.importers.fdx_w2 import is_taxw2, map_taxw2

# Tax1099R member → model field (the same in v5 and v6).
BOXES = {
    "grossDistribution": "box_1",
    "taxableAmount": "box_2a",
    "taxableAmountNotDetermined": "box_2b_taxable_not_determined",
    "totalDistribution": "box_2b_total_distribution",
    "capitalGain": "box_3",
    "federalTaxWithheld": "box_4",
    "employeeContributions": "box_5",
    "netUnrealizedAppreciation": "box_6",
    "iraSepSimple": "box_7_ira_sep_simple",
    "otherAmount": "box_8",
    "otherPercent": "box_8_percent",
    "yourPercentOfTotal": "box_9a",
    "totalEmployeeContributions": "box_9b",
    "allocableToIRR": "box_10",
    "firstYearOfRoth": "box_11",
    "foreignAccountTaxCompliance": "box_12_fatca",
    "dateOfPayment": "box_13",
    "recipientAccountNumber": "account_number",
    "corrected": "corrected",
    "payerTin": "payer_tin",
    "recipientTin": "recipient_tin",
}

# Members a Tax1099R may carry that are not boxes, or that are read apart from BOXES. Any other member
# with a value is named in a warning: a box megaroth does not know (the 2026 form adds 7c and 7d) is
# never dropped without a word.
NOT_BOXES = {
    "distributionCodes", "issuer", "recipient", "payerNameAddress", "recipientNameAddress", "stateAndLocal",
    "stateTaxWithholding", "localTaxWithholding", "taxYear", "taxFormId", "taxFormType", "taxFormDate",
    "description", "additionalInformation", "taxDataType", "accountId", "attributes", "links", "void",
}


def _unread_members(obj: dict) -> list[str]:
    unread = []
    for member, value in obj.items():
        if member in BOXES or member in NOT_BOXES or value in (None, False, "", 0, [], {}):
            continue
        shown = str(value) if isinstance(value, (int, float, str, bool, Decimal)) else type(value).__name__
        unread.append(f"{member}: FDX member {member!r} ({shown}) is not a box megaroth reads; check the form "
                      "for what it reports")
    return unread


def is_tax1099r(obj: Any) -> bool:
    return isinstance(obj, dict) and (
        obj.get("taxFormType") == "Tax1099R" or "grossDistribution" in obj or "distributionCodes" in obj)


def tax_objects(obj: Any, path: str = "") -> Iterator[tuple[str, dict, str]]:
    """Every Tax1099R, Tax5498 and TaxW2 in an FDX document: (form, object, a JSON path to find it)."""
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from tax_objects(item, f"{path}[{index}]")
    elif isinstance(obj, dict):
        if is_tax1099r(obj):
            yield "1099-R", obj, path or "$"
            return
        if is_tax5498(obj):
            yield "5498", obj, path or "$"
            return
        if is_taxw2(obj):
            yield "W-2", obj, path or "$"
            return
        for member, form in (("tax1099R", "1099-R"), ("tax5498", "5498"), ("taxW2", "W-2")):
            if isinstance(obj.get(member), dict):
                yield form, obj[member], f"{path}.{member}".lstrip(".")
        for key in ("statements", "forms"):
            if isinstance(obj.get(key), list):
                yield from tax_objects(obj[key], f"{path}.{key}".lstrip("."))


def tax1099r_objects(obj: Any, path: str = "") -> Iterator[tuple[dict, str]]:
    """Every Tax1099R in an FDX document, with a JSON path to find it."""
    for form, item, where in tax_objects(obj, path):
        if form == "1099-R":
            yield item, where


def looks_like_fdx(obj: Any) -> bool:
    return next(tax_objects(obj), None) is not None


def _party_name(party: dict) -> str | None:
    business = party.get("businessName") or {}
    individual = party.get("individualName") or {}
    if business.get("name1"):
        return " ".join(x for x in (business.get("name1"), business.get("name2")) if x)
    parts = [individual.get(k) for k in ("first", "middle", "last", "suffix")]
    return " ".join(p for p in parts if p) or None


def _address(address: dict, phone: Any = None) -> str | None:
    lines = [address.get(k) for k in ("line1", "line2", "line3")]
    city = " ".join(x for x in (address.get("city"), address.get("region") or address.get("state"),
                                address.get("postalCode")) if x)
    number = phone.get("number") if isinstance(phone, dict) else phone if isinstance(phone, str) else None
    text = "\n".join(x for x in (*lines, city, address.get("country"), number) if x)
    return text or None


def _name_address(block: dict) -> tuple[str | None, str | None]:
    """v5 NameAddress(Phone): name1/name2 + address lines in the same object."""
    name = " ".join(x for x in (block.get("name1"), block.get("name2")) if x) or None
    return name, _address(block, block.get("phone"))


def map_tax1099r(obj: dict, locator: str, prefix: str = "FDX") -> RawForm:
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    for member, name in BOXES.items():
        if member in obj and obj[member] is not None:
            values[name] = obj[member]
            fields[name] = f"{prefix} {member}"
    codes = obj.get("distributionCodes")
    if codes:
        values["box_7"] = "".join(str(c) for c in codes) if isinstance(codes, list) else str(codes)
        fields["box_7"] = f"{prefix} distributionCodes"
    if isinstance(obj.get("issuer"), dict):  # v6
        issuer = obj["issuer"]
        values["payer_name"] = _party_name(issuer)
        values["payer_address"] = _address(issuer.get("address") or {}, issuer.get("phone"))
        if issuer.get("tin"):
            values["payer_tin"] = issuer["tin"]
        fields.update(payer_name=f"{prefix} issuer", payer_tin=f"{prefix} issuer.tin")
    elif isinstance(obj.get("payerNameAddress"), dict):  # v5
        values["payer_name"], values["payer_address"] = _name_address(obj["payerNameAddress"])
        fields["payer_name"] = f"{prefix} payerNameAddress"
    taxpayer: dict[str, Any] = {}
    if isinstance(obj.get("recipient"), dict):
        recipient = obj["recipient"]
        values["recipient_name"] = _party_name(recipient)
        values["recipient_address"] = _address(recipient.get("address") or {})
        if recipient.get("tin"):
            values["recipient_tin"] = recipient["tin"]
    elif isinstance(obj.get("recipientNameAddress"), dict):
        values["recipient_name"], values["recipient_address"] = _name_address(obj["recipientNameAddress"])
    states, locals_ = [], []
    for row in obj.get("stateAndLocal") or []:  # v6
        state, local = row.get("state") or {}, row.get("local") or {}
        if state:
            code = row.get("stateCode")
            states.append({"box_14": state.get("taxWithheld"), "box_16": state.get("income"),
                           "box_15": "/".join(str(x) for x in (code, state.get("taxId")) if x) or None})
        if local:
            locals_.append({"box_17": local.get("taxWithheld"), "box_18": local.get("localityName"),
                            "box_19": local.get("income")})
    for row in obj.get("stateTaxWithholding") or []:  # v5
        states.append({"box_14": row.get("stateTaxWithheld"), "box_16": row.get("stateIncome"),
                       "box_15": "/".join(str(x) for x in (row.get("state"), row.get("stateTaxId")) if x) or None})
    for row in obj.get("localTaxWithholding") or []:
        locals_.append({"box_17": row.get("localTaxWithheld"), "box_18": row.get("localityName"),
                        "box_19": row.get("localIncome")})
    if states:
        values["state"] = states
    if locals_:
        values["local"] = locals_
    values = {k: v for k, v in values.items() if v is not None}
    if values.get("recipient_name"):
        taxpayer["name"] = values["recipient_name"]
    if values.get("recipient_tin"):
        taxpayer["tin"] = values["recipient_tin"]
    year = obj.get("taxYear")
    form_id = obj.get("taxFormId")
    return RawForm(
        form_id=str(form_id) if form_id else None,
        values=values, locator=locator, fields=fields,
        tax_year=int(year) if isinstance(year, (int, str)) and str(year).isdigit() else None,
        taxpayer=taxpayer, warnings=_unread_members(obj),
    )


def extract_fdx(obj: Any, prefix: str = "FDX") -> Extraction:
    extraction = Extraction()
    counts = {"1099-R": 0, "5498": 0, "W-2": 0}
    for kind, form, path in tax_objects(obj):
        counts[kind] += 1
        if kind == "W-2":
            extraction.records.append(map_taxw2(form, f"TaxW2 #{counts[kind]} ({path})", prefix, _party_name,
                                                _name_address))
        elif kind == "5498":
            extraction.records.append(map_tax5498(form, f"Tax5498 #{counts[kind]} ({path})", prefix, _party_name,
                                                  _name_address, _address))
        else:
            extraction.records.append(map_tax1099r(form, f"Tax1099R #{counts[kind]} ({path})", prefix))
    return extraction


class FdxJsonImporter:
    name = "fdx-json"
    description = "FDX Tax1099R, Tax5498 and TaxW2 JSON (v5 and v6), alone or in a TaxDataList / TaxStatementList"

    def identify(self, doc: Document) -> bool:
        if doc.kind != "json":
            return False
        try:
            return looks_like_fdx(doc.json)
        except InputError:
            return False

    def extract(self, doc: Document) -> Extraction:
        return extract_fdx(doc.json)
