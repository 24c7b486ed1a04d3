"""Charts as inline SVG from pure functions: horizontal bars (one series or stacked) and small line charts.

Accessible by construction. Each chart is one image (role="img") named by its title and description; every
bar and every labelled point carries its number as text, so no reader has to judge a length or a colour;
series differ by pattern (solid, hatched, dotted, cross-hatched) as well as by colour, and every colour has
at least 4.5:1 contrast on white. No style attributes or elements (the Content-Security-Policy allows only
the style sheet): geometry and colours are presentation attributes. No words either: the callers pass every
text, already in Dutch notation.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
ROW = 24
BAR = 14
GAP = 8
CHAR = 7.2  # a generous average width of a character at FONT_SIZE, for laying out labels
FONT_SIZE = 12
MAX_LABEL = 200
LEGEND = 22
TEXT = "#1b1f24"
GRID = "#c6cbd1"


@dataclass(frozen=True)
class Look:
    """How one series is drawn: a colour and a pattern that tells it apart without the colour."""

    colour: str
    pattern: str


LOOKS = (
    Look("#1f4e79", "solid"),
    Look("#9c3d00", "hatch"),
    Look("#5b2a86", "dots"),
    Look("#245c2c", "cross"),
)


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label, one value per series (stacked), and the numbers written after it."""

    label: str
    values: tuple[float, ...]
    note: str


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _fill(chart_id: str, index: int) -> str:
    look = LOOKS[index % len(LOOKS)]
    return look.colour if look.pattern == "solid" else f"url(#{chart_id}-p{index})"


def _pattern(chart_id: str, index: int) -> str:
    """The <pattern> of a series: a mark in the series colour on white, 6 units apart."""
    look = LOOKS[index % len(LOOKS)]
    marks = {
        "hatch": f'<path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" stroke="{look.colour}" stroke-width="2"/>',
        "dots": f'<circle cx="3" cy="3" r="1.8" fill="{look.colour}"/>',
        "cross": f'<path d="M0 3 H6 M3 0 V6" stroke="{look.colour}" stroke-width="1.6"/>',
    }
    if look.pattern not in marks:
        return ""
    return (
        f'<pattern id="{chart_id}-p{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/>{marks[look.pattern]}</pattern>'
    )


def _open(chart_id: str, width: float, height: float, title: str, description: str, defs: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="{FONT_SIZE}" font-family="system-ui, sans-serif" fill="{TEXT}">'
        f'<title id="{chart_id}-title">{_esc(title)}</title><desc id="{chart_id}-desc">{_esc(description)}</desc>'
        + (f"<defs>{defs}</defs>" if defs else "")
    )


def _clip(text: str, width: float) -> str:
    """The text, shortened with an ellipsis to about `width` units (the table beside the chart has it whole)."""
    room = int(width / CHAR)
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def _legend(chart_id: str, series: Sequence[str], x: float) -> str:
    parts = []
    for index, name in enumerate(series):
        parts.append(
            f'<rect x="{x:g}" y="4" width="14" height="14" fill="{_fill(chart_id, index)}" '
            f'stroke="{LOOKS[index % len(LOOKS)].colour}" stroke-width="1.5"/>' + _text(x + 19, 15, name)
        )
        x += 19 + len(name) * CHAR + 16
    return "".join(parts)


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str] = (),
    scale: float | None = None,
) -> str:
    """Horizontal bars, one row per `Bar`; with several series the values are stacked left to right and a
    legend names them. `scale` is the value of a full-length bar (default: the largest row total)."""
    label_width = min(MAX_LABEL, max((len(bar.label) for bar in bars), default=0) * CHAR)
    note_width = max((len(bar.note) for bar in bars), default=0) * CHAR
    x0 = label_width + GAP
    room = max(WIDTH - x0 - GAP - note_width, WIDTH / 4)
    full = scale or max((sum(bar.values) for bar in bars), default=0) or 1
    top = LEGEND + 4 if len(series) > 1 else 4
    height = top + ROW * len(bars) + 4
    defs = "".join(_pattern(chart_id, index) for index in range(len(series)))
    parts = [_open(chart_id, WIDTH, height, title, description, defs)]
    if len(series) > 1:
        parts.append(_legend(chart_id, series, x0))
    for row, bar in enumerate(bars):
        y = top + row * ROW
        middle = y + ROW / 2 + FONT_SIZE / 3
        parts.append(_text(label_width, middle, _clip(bar.label, label_width), "end"))
        x = x0
        for index, value in enumerate(bar.values):
            length = room * value / full
            if length > 0:
                colour = LOOKS[index % len(LOOKS)].colour
                parts.append(
                    f'<rect x="{x:g}" y="{y + (ROW - BAR) / 2:g}" width="{length:.2f}" height="{BAR}" '
                    f'fill="{_fill(chart_id, index)}" stroke="{colour}" stroke-width="1.5"/>'
                )
                x += length + (2 if len(bar.values) > 1 else 0)
        parts.append(_text(x + GAP, middle, bar.note))
    parts.append(f'<line x1="{x0:g}" y1="{top:g}" x2="{x0:g}" y2="{height - 4:g}" stroke="{TEXT}"/>')
    parts.append("</svg>")
    return "".join(parts)


LINE_WIDTH = 250
LINE_HEIGHT = 110
# The plot's edges inside the chart: room for the axis's numbers, the value above the highest marker, the dates.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 24, 8, 22, 30
INSET = 16  # between the axis and the first and last marker, so their values have room
LABEL_ALL_UP_TO = 6


@dataclass(frozen=True)
class Scale:
    """Where the n-th of `count` values, and a value between `low` and `high`, go in a small line chart."""

    count: int
    low: float
    high: float

    def x(self, index: int) -> float:
        span = LINE_WIDTH - PLOT_LEFT - PLOT_RIGHT - 2 * INSET
        return PLOT_LEFT + INSET + (span * index / (self.count - 1) if self.count > 1 else span / 2)

    def y(self, value: float) -> float:
        bottom = LINE_HEIGHT - PLOT_BOTTOM
        return bottom - (bottom - PLOT_TOP) * (value - self.low) / (self.high - self.low)


def _text(x: float, y: float, text: str, anchor: str = "start", weight: str = "400") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}">{_esc(text)}</text>'


def _grid(scale: Scale, ticks: Sequence[tuple[float, str]]) -> str:
    parts = []
    for value, text in ticks:
        y = scale.y(value)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{LINE_WIDTH - PLOT_RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(PLOT_LEFT - 6, y + FONT_SIZE / 3, text, "end"))
    return "".join(parts)


def _lines(points: Sequence[tuple[float, float] | None]) -> str:
    """One polyline per run of consecutive values: a round without a value breaks the line."""
    parts, run = [], []
    for point in [*points, None]:
        if point is not None:
            run.append(f"{point[0]:.1f},{point[1]:.1f}")
            continue
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LOOKS[0].colour}" stroke-width="2"/>'
            )
        run = []
    return "".join(parts)


def line_chart(
    values: Sequence[float | None],
    labels: Sequence[str],
    *,
    chart_id: str,
    title: str,
    description: str,
    low: float,
    high: float,
    ticks: Sequence[tuple[float, str]],
    first: str,
    last: str,
) -> str:
    """A small line chart of one series over the rounds: a marker on every value, a gap where there is none.

    Every value's label is written above its marker when there are at most LABEL_ALL_UP_TO values, else the
    last one's; `first` and `last` name the first and last round under the axis.
    """
    scale = Scale(len(values), low, high)
    points = [(scale.x(i), scale.y(v)) if v is not None else None for i, v in enumerate(values)]
    shown = [i for i, point in enumerate(points) if point is not None]
    labelled = shown if len(values) <= LABEL_ALL_UP_TO else shown[-1:]
    parts = [
        _open(chart_id, LINE_WIDTH, LINE_HEIGHT, title, description),
        _grid(scale, ticks),
        _lines(points),
    ]
    for index in shown:
        x, y = points[index]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{LOOKS[0].colour}"/>')
        if index in labelled:
            parts.append(_text(x, y - 7, labels[index], "middle", "600"))
    axis = LINE_HEIGHT - PLOT_BOTTOM + 16
    parts.append(_text(PLOT_LEFT, axis, first))
    if len(values) > 1:
        parts.append(_text(LINE_WIDTH - PLOT_RIGHT, axis, last, "end"))
    parts.append("</svg>")
    return "".join(parts)
