"""Server-rendered SVG charts: the same markup in pages and in WeasyPrint PDFs, with no
JavaScript. Colours are SVG presentation attributes (allowed by our CSP), text is
escaped, and each chart names itself for screen readers; pages show the numbers in a
table beside it.

On a phone the chart is scaled down to half its size, so territoria.css enlarges its
text in the chart's own units (`.chart-tick-*`, `.chart-minor`): the layout leaves
room for text of PHONE_FONT units (the legend wraps for it, the top margin holds the
y ticks written above their lines).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0f766e"]
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 64, 16, 40
PHONE_FONT = 28  # the text size territoria.css sets under 600 px, in the chart's units
ROW = 32  # height of a legend row
CHAR = 16  # width of a character at PHONE_FONT, wide enough on a desktop too
_ids = count(1)


@dataclass
class Series:
    label: str
    points: list[tuple] = field(default_factory=list)
    dashed: bool = False


def number(value: float) -> str:
    """A French-formatted number for axis labels: narrow no-break space for thousands,
    comma for decimals, at most two significant decimals."""
    if abs(value) >= 100 or value == int(value):
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def nice_ticks(low: float, high: float, wanted: int = 5) -> list[float]:
    """Round tick values covering [low, high] (Heckbert's nice numbers)."""
    if high == low:
        high = low + 1
    raw = (high - low) / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _x_value(x) -> float:
    if isinstance(x, datetime):
        return x.timestamp()
    if isinstance(x, date):
        return float(x.toordinal())
    return float(x)


def _x_label(x) -> str:
    if isinstance(x, datetime):
        return x.strftime("%d/%m %Hh")
    if isinstance(x, date):
        return x.strftime("%d/%m/%Y")
    return str(x) if isinstance(x, int) else number(x)  # years are never grouped


def _frame(title: str, y_label: str, x_label: str, width: int, height: int, body: list[str]):
    uid = f"chart-{next(_ids)}"
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{uid}-title" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="12">'
        '<title id="{uid}-title">{title}</title>',
        uid=uid,
        w=width,
        h=height,
        title=title,
    )
    axis_titles = format_html(
        '<text class="chart-axis" x="4" y="24" fill="#333">{y}</text>'
        '<text x="{xx}" y="{xy}" text-anchor="end" fill="#333">{x}</text>',
        y=y_label,
        x=x_label,
        xx=width - MARGIN_RIGHT,
        xy=height - 4,
    )
    return mark_safe(head + axis_titles + "".join(body) + "</svg>")  # noqa: S308 - escaped above


def _y_axis(ticks, y_of, width) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{width - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text class="chart-tick-y" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" fill="#333">{escape(number(tick))}</text>'
        )
    return parts


def _legend_places(series: list[Series], y_label: str, width: int) -> list[tuple[int, int]]:
    """(x, baseline) of each legend entry: after the y axis title, in rows that wrap
    before the right edge."""
    places, x, y = [], 4 + CHAR * len(y_label) + 24, 24
    for one in series:
        size = 30 + CHAR * len(one.label)
        if x + size > width - MARGIN_RIGHT and x > MARGIN_LEFT:
            x, y = MARGIN_LEFT, y + ROW
        places.append((x, y))
        x += size + 24
    return places


def _top(places: list[tuple[int, int]]) -> int:
    """The plot's top: below the last legend row, with a row for the highest y tick."""
    return max([24, *(y for _, y in places)]) + 8 + PHONE_FONT


def _legend(series: list[Series], places: list[tuple[int, int]]) -> list[str]:
    parts = []
    for index, (one, (x, y)) in enumerate(zip(series, places, strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 22}" y1="{y - 6}" y2="{y - 6}" stroke="{colour}" '
            f'stroke-width="4"{dash}/>'
            f'<text x="{x + 30}" y="{y}" fill="#333">{escape(one.label)}</text>'
        )
    return parts


def _x_tick(x: float, y: float, text: str, minor: bool, anchor: str = "middle") -> str:
    kind = "chart-tick-x chart-minor" if minor else "chart-tick-x"
    return (
        f'<text class="{kind}" x="{x:.1f}" y="{y}" text-anchor="{anchor}" '
        f'fill="#333">{escape(text)}</text>'
    )


def line_chart(
    series: list[Series], *, title: str, y_label: str, x_label: str = "", width=720, height=300
) -> SafeString:
    """Lines over numbers, dates or datetimes (one kind per chart), from zero upwards
    unless values go below it."""
    points = [p for one in series for p in one.points]
    if not points:
        return _frame(title, y_label, x_label, width, height, [])
    places = _legend_places(series, y_label, width)
    top = _top(places)
    height += top - 40  # the plot keeps its height whatever the legend takes
    xs = [_x_value(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    x_min, x_max = min(xs), max(xs)
    ticks = nice_ticks(min(0.0, min(ys)), max(0.0, max(ys)))
    y_min, y_max = ticks[0], ticks[-1]
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - top - MARGIN_BOTTOM

    def x_of(x):
        span = (x_max - x_min) or 1
        return MARGIN_LEFT + (_x_value(x) - x_min) / span * plot_w

    def y_of(y):
        return top + plot_h - (float(y) - y_min) / ((y_max - y_min) or 1) * plot_h

    body = _y_axis(ticks, y_of, width)
    distinct = sorted({x for x, _ in points}, key=_x_value)
    step = max(1, math.ceil(len(distinct) / 8))
    for position, x in enumerate(distinct[::step]):
        # Labels at the plot's ends are aligned inwards, so that none runs off the chart.
        at = x_of(x)
        anchor = (
            "start"
            if at < MARGIN_LEFT + 1
            else "end"
            if at > width - MARGIN_RIGHT - 1
            else "middle"
        )
        body.append(
            _x_tick(at, height - MARGIN_BOTTOM + 16, _x_label(x), position % 2 == 1, anchor)
        )
    for index, one in enumerate(series):
        if not one.points:
            continue
        colour = PALETTE[index % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        path = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in one.points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
    body += _legend(series, places)
    return _frame(title, y_label, x_label, width, height, body)


def bar_chart(
    bars: list[Series] | list[tuple[str, float]],
    *,
    title: str,
    y_label: str,
    x_label: str = "",
    width=720,
    height=300,
) -> SafeString:
    """Bars per category; several series give grouped bars. `bars` is a list of
    (category, value) pairs or of Series whose points are (category, value)."""
    series = bars if bars and isinstance(bars[0], Series) else [Series("", list(bars))]
    categories = list(dict.fromkeys(c for one in series for c, _ in one.points))
    values = [float(v) for one in series for _, v in one.points]
    if not categories:
        return _frame(title, y_label, x_label, width, height, [])
    named = series if len(series) > 1 or series[0].label else []
    places = _legend_places(named, y_label, width)
    top = _top(places)
    height += top - 40  # the plot keeps its height whatever the legend takes
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    y_min, y_max = ticks[0], ticks[-1]
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - top - MARGIN_BOTTOM

    def y_of(y):
        return top + plot_h - (float(y) - y_min) / ((y_max - y_min) or 1) * plot_h

    body = _y_axis(ticks, y_of, width)
    slot = plot_w / len(categories)
    bar_w = slot * 0.8 / len(series)
    label_step = max(1, math.ceil(len(categories) / 12))
    for position, category in enumerate(categories):
        left = MARGIN_LEFT + position * slot + slot * 0.1
        for index, one in enumerate(series):
            value = dict(one.points).get(category)
            if value is None:
                continue
            high, zero = y_of(max(float(value), 0)), y_of(min(float(value), 0))
            body.append(
                f'<rect x="{left + index * bar_w:.1f}" y="{high:.1f}" width="{bar_w:.1f}" '
                f'height="{max(zero - high, 0.5):.1f}" fill="{PALETTE[index % len(PALETTE)]}">'
                f"<title>{escape(category)} : {escape(number(float(value)))}</title></rect>"
            )
        if position % label_step == 0:
            minor = (position // label_step) % 2 == 1
            body.append(_x_tick(left + slot * 0.4, height - MARGIN_BOTTOM + 16, category, minor))
    body += _legend(named, places)
    return _frame(title, y_label, x_label, width, height, body)
