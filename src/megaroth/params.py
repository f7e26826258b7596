"""Tax-year parameters: every figure and form layout that changes by year, with its source.

`load_year(2025)` reads `forms/2025/*.toml` (and `forms/statutory.toml`) into a frozen,
typed `YearParameters`. Rules read typed fields (`params.statutory.additional_tax_rate.value`),
never literals and never string keys. A year's distribution-code table may `inherit` an
earlier year's when that year's table was not available; it is then marked unverified.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from megaroth.catalog import available_years, citation_ids, forms_root, read_toml
from megaroth.errors import CatalogError, UnsupportedYear
from megaroth.money import money_text
from megaroth.provenance import Source

# Schemas are built on first use: a report builds only the models of what it reads.
_FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)

T = TypeVar("T")


def _known_cites(cites: list[str]) -> list[str]:
    unknown = [c for c in cites if c not in citation_ids()]
    if unknown:
        raise ValueError(f"unknown citation id(s) {unknown}")
    return cites


KnownCites = Annotated[list[str], Field(min_length=1), AfterValidator(_known_cites)]
"""Citation ids that resolve in forms/citations.toml (at least one)."""


class Parameter(BaseModel, Generic[T]):
    """A sourced figure: value, what it is (a sentence ending in a period), and citations."""

    model_config = _FROZEN

    title: str
    value: T | None = None
    note: str | None = None
    cite: KnownCites

    @field_validator("title")
    @classmethod
    def _sentence(cls, title: str) -> str:
        if not title.endswith("."):
            raise ValueError("a parameter title is a sentence ending in a period")
        return title

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
    qualified_distribution_period_years: Parameter[int]
    first_time_homebuyer_limit: Parameter[Decimal]
    form_8606_ratio_places: Parameter[int]
    ira_corrective_earnings_exempt_from: Parameter[date]
    one_rollover_period_months: Parameter[int]


class Dates(BaseModel):
    """Dates of the year's return that rules print (never literals in the logic)."""

    model_config = _FROZEN

    extended_due_date: Parameter[date]


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
    f1099r_layout: Literal["ty2019", "ty2020", "ty2026"]
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
    """The line of the 10% on early distributions (Form 5329 Part I, or the code 1 shortcut)."""
    excess_tax: ScheduleLine | None = None
    """The line of the 6% on excess IRA contributions (Form 5329 Parts III/IV) when the year's Schedule 2 gives it
    a line of its own (the 2026 draft: line 18); None: it goes with the 10% on `additional_tax`'s line (line 8
    through 2025)."""

    def excess_line(self) -> ScheduleLine:
        return self.excess_tax or self.additional_tax

    def amounts_text(self, additional: Decimal, excess: Decimal) -> str:
        """\"Schedule 2 line 8: $X\", or per line when the 10% and the 6% have lines of their own."""
        if self.excess_tax is None or not (additional and excess):
            line = self.additional_tax if additional or self.excess_tax is None else self.excess_tax
            return f"Schedule 2 line {line.line}: {money_text(additional + excess)}"
        return (f"Schedule 2 line {self.additional_tax.line}: {money_text(additional)}; line "
                f"{self.excess_tax.line}: {money_text(excess)}")


class F1040(BaseModel):
    model_config = _FROZEN

    meta: FormLayout
    lines: Lines
    markers: Markers
    schedule_2: Schedule2
    corrective: ScheduleLine
    """Where a plan's corrective distributions (codes 8 and P) go: a wage line, not 5a/5b."""


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


class F8606Line(BaseModel):
    model_config = _FROZEN

    part: Literal["I", "II", "III"]
    label: str
    cite: list[str] = Field(min_length=1)


class FormMeta(BaseModel):
    """Which edition of a form a year's file describes, and whether it was read in that edition."""

    model_config = _FROZEN

    tax_year: int
    form: str
    verified: bool
    cite: list[str]
    note: str | None = None


class F8606Meta(FormMeta):
    due: str
    accounts: str


class F8606(BaseModel):
    """Form 8606 of the year: the line wording, with the year's dates and captions filled in."""

    model_config = _FROZEN

    meta: F8606Meta
    lines: dict[str, F8606Line]

    def label(self, line: str) -> str:
        y = self.meta.tax_year
        return self.lines[line].label.format(y=y, n=y + 1, due=self.meta.due, accounts=self.meta.accounts)

    def cites(self, line: str) -> list[str]:
        return list(self.lines[line].cite)


class F5498(BaseModel):
    """Form 5498 of the year: the codes its boxes 13c, 14b and 15b take."""

    model_config = _FROZEN

    meta: FormMeta
    codes: dict[Literal["box_13c", "box_14b", "box_15b"], frozenset[str]]


class RmdRepayment(BaseModel):
    """A year's relief letting a distribution that would have been an RMD be rolled over late
    (Notice 2020-51): who it reaches, the dates, and whether it counts toward the one-rollover rule."""

    model_config = _FROZEN

    title: str
    distributed_from: date
    distributed_through: date
    repay_by: date
    born_before: date
    """Reaches those who would have had an RMD for the year under the pre-SECURE Act age (70½)."""
    accounts: frozenset[Literal["plan", "designated_roth", "ira"]]
    counts_toward_one_rollover: bool
    cite: KnownCites


class ReliefNotComputed(BaseModel):
    """Relief megaroth does not compute, and the signs in a case that it may apply."""

    model_config = _FROZEN

    title: str
    form: str
    signs: frozenset[Literal["early_kept", "late_repayment"]]
    cite: KnownCites


class Relief(BaseModel):
    """A year's relief notices and acts that change how a rollover or distribution is taxed
    (forms/<year>/relief.toml)."""

    model_config = _FROZEN

    rmd_repayment: RmdRepayment | None = None
    not_computed: dict[str, ReliefNotComputed] = Field(default_factory=dict)


class YearParameters(BaseModel):
    """Everything megaroth knows about one tax year."""

    model_config = _FROZEN

    tax_year: int
    limits: Limits
    statutory: Statutory
    dates: Dates
    f1040: F1040
    f8606: F8606
    f5498: F5498
    codes: DistributionCodeTable
    relief: Relief = Field(default_factory=Relief)


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
    f8606 = {"meta": read_toml(str(year), "f8606.toml")["meta"], "lines": read_toml("f8606_lines.toml")["lines"]}
    return {
        "tax_year": year,
        "limits": parameters["limits"],
        "statutory": statutory,
        "dates": parameters["dates"],
        "f1040": lines,
        "f8606": f8606,
        "f5498": read_toml(str(year), "f5498.toml"),
        "codes": _load_codes(year),
        "relief": _relief(year),
    }


def _relief(year: int) -> dict[str, Any]:
    """The year's relief file, or none (most years have no relief that changes a rollover)."""
    if not forms_root().joinpath(str(year), "relief.toml").is_file():
        return {}
    return read_toml(str(year), "relief.toml")


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


class BeginningAge(BaseModel):
    model_config = _FROZEN

    born_before: date
    age: Decimal


class UniformTable(BaseModel):
    model_config = _FROZEN

    from_: int = Field(alias="from")
    divisors: dict[int, Decimal]


class RmdRules(BaseModel):
    """When required minimum distributions begin and how big they are (forms/rmd.toml)."""

    model_config = _FROZEN

    cite: list[str]
    beginning_age: list[BeginningAge] = Field(min_length=1)
    waived_years: frozenset[int]
    designated_roth_exempt_from: int
    designated_roth_cite: list[str]
    uniform_table: list[UniformTable] = Field(min_length=1)

    def first_age(self, birth: date) -> Decimal:
        """The age at which the person's RMDs begin (by birth date)."""
        for row in sorted(self.beginning_age, key=lambda r: r.born_before):
            if birth < row.born_before:
                return row.age
        raise CatalogError(f"forms/rmd.toml: no RMD beginning age for a birth date of {birth.isoformat()}")

    def divisor(self, year: int, age: int) -> Decimal | None:
        """The Uniform Lifetime Table divisor for the age reached in `year` (None below the table)."""
        tables = [t for t in self.uniform_table if t.from_ <= year]
        if not tables:
            return None
        table = max(tables, key=lambda t: t.from_).divisors
        if age < min(table):
            return None
        return table[min(age, max(table))]


@cache
def rmd_rules() -> RmdRules:
    data = read_toml("rmd.toml")
    try:
        return RmdRules.model_validate({
            "cite": data["meta"]["cite"], "beginning_age": data["beginning_age"],
            "waived_years": data["waivers"]["years"], "designated_roth_exempt_from":
            data["designated_roth"]["exempt_from"], "designated_roth_cite": data["designated_roth"]["cite"],
            "uniform_table": data["uniform_table"]})
    except (ValidationError, KeyError) as exc:
        raise CatalogError(f"forms/rmd.toml: {exc}") from None


class CorrectionAsk(BaseModel):
    """What megaroth asks an issuer to correct for one kind of finding (forms/corrections.toml)."""

    model_config = _FROZEN

    to: Literal["payer", "trustee"]
    box: str
    ask: str
    cite: KnownCites
    problem: str | None = None


@cache
def correction_asks() -> dict[str, CorrectionAsk]:
    """Finding code → the correction to request from the form's issuer."""
    try:
        return {code: CorrectionAsk.model_validate(spec)
                for code, spec in read_toml("corrections.toml")["findings"].items()}
    except (ValidationError, KeyError) as exc:
        raise CatalogError(f"forms/corrections.toml: {exc}") from None


# --- Entry guides (forms/entry_guides.toml): how to key the result into tax software -----------------

GUIDE_SITUATIONS = frozenset({"split", "irr", "plan_to_roth_ira", "plan_to_non_roth", "sixty_day", "ira_to_roth",
                              "kept", "other", "nondeductible_contribution"})
GUIDE_PLACEHOLDERS = frozenset({"box_1", "box_2a", "box_4", "box_5", "box_7", "payer", "form", "destination",
                                "rolled", "taxable", "amount", "parts", "gross_line", "taxable_line", "gross",
                                "line_taxable", "basis", "marker"})


class GuideSourceSpec(BaseModel):
    model_config = _FROZEN

    title: str
    url: str | None = None
    publisher: str
    vendor: bool = False
    """The vendor's own help page; otherwise a forum answer or a blog (second-hand)."""


class GuideStepSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    for_: frozenset[str] = Field(alias="for")
    when: Literal["all_taxable_rolled", "part_taxable_rolled", "prior_basis"] | None = None
    """Only for an entry whose rollover covers all of the taxable amount printed (box 2a, else box 1), or
    only part of it (products that exclude a rollover from income ask the two cases differently); or
    for a contribution by someone with basis from earlier years (Form 8606 line 2 above zero)."""
    text: str
    sources: tuple[str, ...]
    basis: Literal["vendor", "second_hand", "inferred"]


class GuideSoftwareSpec(BaseModel):
    model_config = _FROZEN

    title: str
    audience: str
    where: str
    where_sources: tuple[str, ...]
    where_basis: Literal["vendor", "second_hand", "inferred"]
    steps: tuple[GuideStepSpec, ...]


class GuideCatalog(BaseModel):
    model_config = _FROZEN

    title: str
    note: str
    sources: dict[str, GuideSourceSpec]
    software: dict[str, GuideSoftwareSpec]


def _check_guides(catalog: GuideCatalog) -> None:
    """Every step cites known pages, says "vendor" only over a vendor's page, uses known placeholders."""
    import string

    for name, software in catalog.software.items():
        steps = [(s.sources, s.basis, s.text, s.for_) for s in software.steps]
        steps.append((software.where_sources, software.where_basis, software.where, frozenset()))
        for index, (sources, basis, text, situations) in enumerate(steps):
            where = f"software.{name}.steps[{index}]"
            unknown = [s for s in sources if s not in catalog.sources]
            if not sources or unknown:
                raise CatalogError(f"forms/entry_guides.toml: {where} cites no page or unknown pages {unknown}")
            if basis == "vendor" and not any(catalog.sources[s].vendor for s in sources):
                raise CatalogError(f"forms/entry_guides.toml: {where} says vendor but cites no vendor page")
            if basis == "second_hand" and all(catalog.sources[s].vendor for s in sources):
                raise CatalogError(f"forms/entry_guides.toml: {where} says second_hand but cites vendor pages only")
            if situations - GUIDE_SITUATIONS:
                raise CatalogError(f"forms/entry_guides.toml: {where}: unknown situations {sorted(situations - GUIDE_SITUATIONS)}")
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            if fields - GUIDE_PLACEHOLDERS:
                raise CatalogError(f"forms/entry_guides.toml: {where}: unknown placeholders {sorted(fields - GUIDE_PLACEHOLDERS)}")


@cache
def entry_guides() -> GuideCatalog:
    """How each product takes 1099-Rs and IRA contributions (forms/entry_guides.toml), checked."""
    data = read_toml("entry_guides.toml")
    try:
        catalog = GuideCatalog(title=data["meta"]["title"], note=data["meta"]["note"], sources=data["sources"],
                               software=data["software"])
    except (ValidationError, KeyError) as exc:
        raise CatalogError(f"forms/entry_guides.toml: {exc}") from None
    _check_guides(catalog)
    return catalog
