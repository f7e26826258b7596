"""Build the year-end worksheet's context: carried basis, room, timing, the year's 1099-Rs, and
what goes forward. Display strings only; no arithmetic."""

from __future__ import annotations

from typing import Any

from megaroth import __version__
from megaroth.model.results import SEVERITY_ORDER, YearEndReport
from megaroth.money import money_text
from megaroth.render.common import Bibliography
from megaroth.rules.registry import RULES

KIND_TITLES = {
    "traditional_ira_basis": "Traditional IRA basis at year end (line 14 of this year's Form 8606; line 2 of the "
                             "next one)",
    "spouse_traditional_ira_basis": "The spouse's traditional IRA basis at year end (line 14 of their Form 8606 "
                                    "this year; line 2 of their next one)",
    "roth_ira_contribution_basis": "Roth IRA basis in contributions (Form 8606 line 22)",
    "roth_ira_conversion_basis": "Roth IRA basis in plan rollovers and conversions (Form 8606 line 24)",
    "plan_after_tax_basis": "After-tax basis still in the plan on December 31, not yet converted",
}
CLOCK_KINDS = {"irr_recapture": "In-plan Roth rollover", "roth_ira_recapture": "Roth IRA rollover or conversion",
               "roth_ira_first_contribution": "Roth IRA (first contribution)"}


def _steps(steps, bib: Bibliography) -> list[dict[str, Any]]:
    return [{"description": s.description, "rule_title": RULES[s.rule].title, "refs": bib.refs(RULES[s.rule].cites)}
            for s in steps]


PLAN_KINDS = {"401k": "401(k)", "403b": "403(b)", "457b": "457(b)"}

# The dollar limits the room is figured from, in the order a preparer checks them.
ROOM_LIMITS = ("elective_deferral_402g", "catch_up_50", "catch_up_60_63", "annual_additions_415c",
               "compensation_401a17")


def _limits(tax_year: int, bib: Bibliography) -> list[dict[str, str]]:
    """The year's dollar limits with the notice that announced them (forms/<year>/parameters.toml)."""
    from megaroth.params import load_year

    limits = load_year(tax_year).limits
    rows = []
    for name in ROOM_LIMITS:
        parameter = getattr(limits, name)
        if parameter.value is not None:
            rows.append({"title": parameter.title.rstrip("."), "amount": money_text(parameter.value),
                         "refs": bib.refs(parameter.cite)})
    return rows


def room_context(r, bib: Bibliography) -> dict[str, Any]:
    """One person's contribution room as display strings."""
    return {
        "limits": _limits(r.tax_year, bib),
        "age": "" if r.age is None else str(r.age),
        "deferral_limit": money_text(r.deferral_limit), "catch_up_limit": money_text(r.catch_up_limit),
        "total_deferrals": money_text(r.total_deferrals), "catch_up_used": money_text(r.catch_up_used),
        "employers": [{"employer": e.employer, "compensation": money_text(e.compensation),
                       "limit": money_text(e.limit_415c), "used": money_text(e.used), "room": money_text(e.room),
                       "made": money_text(e.after_tax_made), "excess": money_text(e.excess) if e.excess else ""}
                      for e in r.employers],
        "plans": [{"plan": p.plan_id, "employer": p.employer, "kind": PLAN_KINDS.get(p.kind, p.kind), "deferrals": money_text(p.deferrals),
                   "catch_up": money_text(p.catch_up), "employer_contributions": money_text(p.employer_contributions),
                   "cap": money_text(p.cap, blank="none"), "room": money_text(p.room),
                   "made": money_text(p.after_tax_made), "left": money_text(p.left)} for p in r.plans],
        "steps": _steps(r.steps, bib),
    }


def build_context(report: YearEndReport, *, chart: str = "") -> dict[str, Any]:
    bib = Bibliography(tax_year=report.tax_year)
    carried = None
    if report.carried is not None:
        c = report.carried
        carried = {
            "years": ", ".join(str(y) for y in c.years) or "none",
            "traditional_ira_basis": money_text(c.traditional_ira_basis),
            "roth_ira_contribution_basis": money_text(c.roth_ira_contribution_basis),
            "roth_ira_conversion_basis": [{"year": y, "amount": money_text(a)}
                                          for y, a in c.roth_ira_conversion_basis.items()],
            "plan_after_tax_basis": money_text(c.plan_after_tax_basis),
            "clocks": [{"year": k["tax_year"], "kind": CLOCK_KINDS.get(k["kind"], k["kind"]),
                        "amount": money_text(k["amount"]), "ends": k["ends"]} for k in c.open_clocks],
        }
    rooms = []
    for owner, result in ((report.taxpayer_name if report.spouse_room else "", report.room),
                          (report.spouse_name or "Spouse", report.spouse_room)):
        if result is not None:
            rooms.append((owner, room_context(result, bib)))
    timing = None
    if report.timing is not None:
        t = report.timing
        timing = {
            "opening": money_text(t.opening_basis), "contributed": money_text(t.contributed),
            "conversions": [{"date": c.date, "amount": money_text(c.amount), "basis": money_text(c.basis),
                             "earnings": money_text(c.earnings) if c.earnings >= 0 else "-" + money_text(-c.earnings),
                             "days": c.days_waited, "form": c.form_id or ""} for c in t.conversions],
            "unconverted": money_text(t.unconverted_basis),
            "unconverted_earnings": "" if t.unconverted_earnings is None else money_text(t.unconverted_earnings),
            "taxable": money_text(t.taxable_earnings),
            "rate": "" if t.marginal_tax_rate is None else f"{(t.marginal_tax_rate * 100).normalize():f}%",
            "estimated_tax": money_text(t.estimated_tax, blank=""),
            "saved": money_text(t.saved_by_converting_at_once, blank=""),
            "average_days": t.average_days_unconverted,
            "timeline": [{"date": p.date, "event": p.event, "amount": money_text(p.amount),
                          "unconverted": money_text(p.unconverted)} for p in t.timeline],
            "steps": _steps(t.steps, bib),
        }
    lines = []
    if report.analysis is not None:
        lines = [{"key": e.key, "label": e.label, "amount": money_text(e.amount, blank="(no entry)")}
                 for e in report.analysis.lines if e.amount is not None]
    findings = [{"severity": f.severity.value, "code": f.code, "message": f.message, "refs": bib.refs(f.cites)}
                for f in sorted(report.findings, key=lambda f: SEVERITY_ORDER[f.severity])]
    forward = [{"title": KIND_TITLES[k], "amount": money_text(v)} for k, v in report.carry_forward.items()]
    return {
        "version": __version__, "tax_year": report.tax_year, "taxpayer_name": report.taxpayer_name or "",
        "taxpayer_id": report.taxpayer_id or "", "has_forms": report.analysis is not None,
        "recorded": bool(report.analysis is not None or report.room is not None or report.timing is not None),
        "carried": carried, "rooms": rooms, "timing": timing, "lines": lines, "findings": findings,
        "forward": forward, "chart": chart, "bibliography": bib.entries(),
    }


def render_yearend(report: YearEndReport, fmt: str = "md") -> str:
    if fmt == "json":
        import json

        return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    from markupsafe import Markup

    from megaroth.render.chart import timeline_svg
    from megaroth.render.env import render_template

    chart = Markup(timeline_svg(report.timing)) if fmt == "html" and report.timing and report.timing.timeline else ""
    return render_template(f"yearend.{fmt}.j2", build_context(report, chart=chart))


def render_room(result, fmt: str = "md") -> str:
    """The room alone (`megaroth room`)."""
    if fmt == "json":
        import json

        return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    from megaroth.render.env import render_template

    report = YearEndReport(tax_year=result.tax_year, room=result, carry_forward={}, findings=result.findings)
    context = build_context(report)
    context["room"] = context["rooms"][0][1]
    context["room"]["tax_year"] = result.tax_year
    return render_template("room.md.j2", context)
