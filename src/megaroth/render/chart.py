"""An SVG timeline of the year's after-tax money: contributions, conversions, and the balance
waiting to be converted. Drawn by megaroth itself (no network, no plotting library) with exact
Decimal arithmetic; every text is escaped."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from megaroth.model.results import TimingResult
from megaroth.money import money_text

WIDTH, HEIGHT = Decimal(720), Decimal(260)
LEFT, RIGHT, TOP, BOTTOM = Decimal(70), Decimal(20), Decimal(30), Decimal(40)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TENTH = Decimal("0.1")


def _n(value: Decimal) -> str:
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP)}"


def _nice_ceiling(value: Decimal) -> Decimal:
    """A round number at or above `value` for the top of the axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return Decimal(1000)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= magnitude * step:
            return magnitude * step
    return magnitude * 10


def timeline_svg(result: TimingResult) -> str:
    year = result.tax_year
    start = date(year, 1, 1)
    days = Decimal((date(year + 1, 1, 1) - start).days)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_ceiling(max([p.unconverted for p in result.timeline] + [p.amount for p in result.timeline
                                                                               if p.event == "contribution"]))

    def x(iso: str) -> Decimal:
        return LEFT + plot_w * Decimal((date.fromisoformat(iso) - start).days) / days

    def y(amount: Decimal) -> Decimal:
        return TOP + plot_h - plot_h * amount / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-labelledby="timeline-title timeline-desc" font-family="sans-serif" font-size="11">',
        f'<title id="timeline-title">After-tax money waiting to be converted, {year}</title>',
        f'<desc id="timeline-desc">{escape(_description(result))}</desc>',
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">After-tax money waiting to be converted, '
        f'{year}</text>',
    ]
    for tick in range(5):
        value = top_value * tick / 4
        ty = y(value)
        parts.append(f'<line x1="{LEFT}" y1="{_n(ty)}" x2="{WIDTH - RIGHT}" y2="{_n(ty)}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{_n(ty + 4)}" text-anchor="end">{escape(money_text(value.quantize(Decimal(1))))}</text>')
    for month, name in enumerate(MONTHS, start=1):
        tx = x(date(year, month, 1).isoformat())
        parts.append(f'<line x1="{_n(tx)}" y1="{TOP + plot_h}" x2="{_n(tx)}" y2="{TOP + plot_h + 4}" stroke="#444"/>')
        parts.append(f'<text x="{_n(tx + 4)}" y="{TOP + plot_h + 16}">{name}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#444"/>')
    path = [f"M {_n(x(result.timeline[0].date))} {_n(y(result.timeline[0].unconverted))}"]
    for point in result.timeline[1:]:
        path.append(f"H {_n(x(point.date))} V {_n(y(point.unconverted))}")
    parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="#b3261e" stroke-width="2"/>')
    for point in result.timeline:
        px, py = x(point.date), y(point.unconverted)
        if point.event == "contribution":
            parts.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="3.5" fill="#2e7d32">'
                         f'<title>{escape(point.date)}: contributed {escape(money_text(point.amount))}</title></circle>')
        elif point.event == "conversion":
            parts.append(f'<path d="M {_n(px - 5)} {_n(py - 9)} L {_n(px + 5)} {_n(py - 9)} L {_n(px)} {_n(py - 1)} Z" '
                         f'fill="#1565c0"><title>{escape(point.date)}: converted {escape(money_text(point.amount))}'
                         '</title></path>')
    legend_y = HEIGHT - 8
    parts.append(f'<circle cx="{LEFT}" cy="{legend_y - 3}" r="3.5" fill="#2e7d32"/>')
    parts.append(f'<text x="{LEFT + 8}" y="{legend_y}">after-tax contribution</text>')
    parts.append(f'<path d="M {LEFT + 155} {legend_y - 8} L {LEFT + 165} {legend_y - 8} L {LEFT + 160} {legend_y} Z" '
                 'fill="#1565c0"/>')
    parts.append(f'<text x="{LEFT + 171}" y="{legend_y}">conversion</text>')
    parts.append(f'<line x1="{LEFT + 250}" y1="{legend_y - 3}" x2="{LEFT + 270}" y2="{legend_y - 3}" '
                 'stroke="#b3261e" stroke-width="2"/>')
    parts.append(f'<text x="{LEFT + 276}" y="{legend_y}">after-tax basis not yet converted</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _description(result: TimingResult) -> str:
    events = [p for p in result.timeline if p.event in ("contribution", "conversion")]
    contributions = sum(1 for p in events if p.event == "contribution")
    conversions = sum(1 for p in events if p.event == "conversion")
    return (f"{contributions} contribution(s) and {conversions} conversion(s); "
            f"{money_text(result.unconverted_basis)} not yet converted on December 31.")
