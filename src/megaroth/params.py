"""Tax-year parameters: every figure and form layout that changes by year, with its source.

`load_year(2025)` reads `forms/2025/*.toml` (and `forms/statutory.toml`) into a frozen,
typed `YearParameters`. Rules read typed fields (`params.statutory.additional_tax_rate.value`),
never literals and never string keys. A year's distribution-code table may `inherit` an
earlier year's when that year's table was not available; it is then marked unverified.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from megaroth.catalog import available_years, citation_ids, read_toml
from megaroth.errors import CatalogError, UnsupportedYear
from megaroth.provenance import Source

_FROZEN = ConfigDict(frozen=True, extra="forbid")

T = TypeVar("T")


class Parameter(BaseModel, Generic[T]):
    """A sourced figure: value, what it is (a sentence ending in a period), and citations."""

    model_config = _FROZEN

    title: str
    value: T | None = None
    note: str | None = None
    cite: list[str] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _sentence(cls, title: str) -> str:
        if not title.endswith("."):
            raise ValueError("a parameter title is a sentence ending in a period")
        return title

    @field_validator("cite")
    @classmethod
    def _resolves(cls, cites: list[str]) -> list[str]:
        unknown = [c for c in cites if c not in citation_ids()]
        if unknown:
            raise ValueError(f"unknown citation id(s) {unknown}")
        return cites

    def required(self) -> T:
        """The value, for rules that cannot run without it."""
        if self.value is None:
            raise CatalogError(f"parameter {self.title!r} has no value for this year")
        return self.value


class Limits(BaseModel):
    model_config = _FROZEN

    elective_deferral_402g: Parameter[Decimal]
    annual_additions_415c: Parameter[Decimal]
    catch_up_50: Parameter[Decimal]
    catch_up_60_63: Parameter[Decimal]
    ira_contribution: Parameter[Decimal]
    ira_catch_up: Parameter[Decimal]
    compensation_401a17: Parameter[Decimal]
    hce_threshold: Parameter[Decimal]
    roth_catch_up_wage_threshold: Parameter[Decimal]


class Statutory(BaseModel):
    model_config = _FROZEN

    additional_tax_rate: Parameter[Decimal]
    early_distribution_age: Parameter[Decimal]
    rollover_period_days: Parameter[int]
    recapture_period_years: Parameter[int]
    mandatory_withholding_rate: Parameter[Decimal]
    catch_up_age: Parameter[int]
    super_catch_up_first_age: Parameter[int]
    super_catch_up_last_age: Parameter[int]
    excess_contribution_tax_rate: Parameter[Decimal]


class Line(BaseModel):
    model_config = _FROZEN

    line: str
    label: str


class Lines(BaseModel):
    """Form 1040 lines by role; the key printed on the form differs by year."""

    model_config = _FROZEN

    ira_gross: Line
    ira_taxable: Line
    pension_gross: Line
    pension_taxable: Line
    withholding: Line


class Marker(BaseModel):
    model_config = _FROZEN

    kind: Literal["write_in", "checkbox"]
    line: str
    box: str | None = None
    text: str
    cite: list[str] = Field(min_length=1)

    def instruction(self) -> str:
        if self.kind == "checkbox":
            return f"Check box {self.box} ({self.text}) on line {self.line}."
        return f"Write \"{self.text}\" next to line {self.line}."


class Markers(BaseModel):
    model_config = _FROZEN

    pension_rollover: Marker
    ira_rollover: Marker


class FormLayout(BaseModel):
    model_config = _FROZEN

    tax_year: int
    form: str
    verified: bool
    cite: list[str]
    f1099r_layout: Literal["ty2019", "ty2020"]
    note: str | None = None


class ScheduleLine(BaseModel):
    """A line of a schedule whose number moved between revisions."""

    model_config = _FROZEN

    line: str
    label: str
    verified: bool
    cite: list[str] = Field(min_length=1)
    note: str | None = None


class Schedule2(BaseModel):
    model_config = _FROZEN

    additional_tax: ScheduleLine


class F1040(BaseModel):
    model_config = _FROZEN

    meta: FormLayout
    lines: Lines
    markers: Markers
    schedule_2: Schedule2


class CodeInfo(BaseModel):
    model_config = _FROZEN

    meaning: str
    used_with: frozenset[str]


class DistributionCodeTable(BaseModel):
    model_config = _FROZEN

    tax_year: int
    verified: bool
    based_on_year: int
    first: frozenset[str] = frozenset()
    codes: dict[str, CodeInfo]
    cite: list[str]

    def pair_allowed(self, a: str, b: str) -> bool:
        return a in self.codes and b in self.codes and b in self.codes[a].used_with


class YearParameters(BaseModel):
    """Everything megaroth knows about one tax year."""

    model_config = _FROZEN

    tax_year: int
    limits: Limits
    statutory: Statutory
    f1040: F1040
    codes: DistributionCodeTable


def _load_codes(year: int, depth: int = 0) -> DistributionCodeTable:
    data = read_toml(str(year), "distribution_codes.toml")
    meta = data.get("meta", {})
    parent = meta.get("inherit")
    if parent is not None:
        if depth > 3 or parent not in available_years():
            raise CatalogError(f"forms/{year}/distribution_codes.toml inherits unknown year {parent}")
        base = _load_codes(int(parent), depth + 1)
        return base.model_copy(
            update={"tax_year": year, "verified": bool(meta.get("verified", False)), "cite": meta["cite"]}
        )
    codes = {
        code: CodeInfo(meaning=value["meaning"], used_with=frozenset(value["used_with"]))
        for code, value in data["codes"].items()
    }
    for code, info in codes.items():
        for other in info.used_with:
            if other not in codes or code not in codes[other].used_with:
                raise CatalogError(f"forms/{year}: code pair {code}+{other} is not symmetric")
    return DistributionCodeTable(
        tax_year=year,
        verified=bool(meta.get("verified", False)),
        based_on_year=year,
        first=frozenset(meta.get("first", [])),
        codes=codes,
        cite=meta["cite"],
    )


def _raw_year(year: int) -> dict[str, Any]:
    parameters = read_toml(str(year), "parameters.toml")
    statutory = read_toml("statutory.toml")["statutory"]
    statutory = {**statutory, **parameters.get("statutory", {})}
    lines = read_toml(str(year), "f1040_lines.toml")
    return {
        "tax_year": year,
        "limits": parameters["limits"],
        "statutory": statutory,
        "f1040": lines,
        "codes": _load_codes(year),
    }


@cache
def load_year(year: int) -> YearParameters:
    """The parameters of a supported tax year.

    Raises:
        UnsupportedYear: when forms/ has no directory for the year (user input).
        CatalogError: when the year's files are malformed (a bug).
    """
    if year not in available_years():
        years = available_years()
        raise UnsupportedYear(
            f"tax year {year} is not supported (supported: {years[0]}-{years[-1]})",
            Source(field="tax_year"),
        )
    try:
        return YearParameters.model_validate(_raw_year(year))
    except ValidationError as exc:
        raise CatalogError(f"forms/{year}: {exc}") from None


def latest_verified_year() -> int:
    """The most recent tax year whose Form 1040 layout was read from that year's form."""
    verified = [year for year in available_years() if load_year(year).f1040.meta.verified]
    return max(verified)


class CompareSettings(BaseModel):
    model_config = _FROZEN

    tolerance: Parameter[Decimal]


@cache
def compare_settings() -> CompareSettings:
    """How `compare` matches a software's figures (forms/compare.toml)."""
    try:
        return CompareSettings.model_validate(read_toml("compare.toml"))
    except ValidationError as exc:
        raise CatalogError(f"forms/compare.toml: {exc}") from None
