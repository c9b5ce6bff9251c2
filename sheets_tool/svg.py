"""Two small SVG charts for the status page: a share against its target, and lines over
time. Written here rather than with a plotting library: the page must work with no
network and no script, and pygal, the SVG library we looked at, links its tooltip
script from a CDN by default and writes a stylesheet per chart; these two shapes are a
few dozen elements each. Every text is escaped (:func:`markupsafe.escape`); the charts
scale to the width of their box (``viewBox``), so they fit a 360-px phone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

# colours with enough contrast on white, told apart also by the dash of each line
PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce")
DASHES = ("", "6 3", "2 3", "8 3 2 3")


def share_bar(share: float | None, target: float, scale: float, label: str) -> Markup:
    """A horizontal bar of ``share`` (0–``scale`` fills the width) with a vertical line
    at ``target``; red-brown under target, green at or above it; grey dashes when there
    is no share (no households). ``label`` is the accessible name (what the bar says)."""
    scale = scale if scale > 0 else 1.0
    line = min(target / scale, 1.0) * 100
    parts = [
        f'<svg class="bar" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}">',
        '<rect x="0" y="1" width="100" height="10" fill="#eef1f5"/>',
    ]
    if share is None:
        parts.append('<line x1="0" y1="6" x2="100" y2="6" stroke="#9aa3ad" stroke-dasharray="3"/>')
    else:
        width = max(0.0, min(share / scale, 1.0)) * 100
        colour = "#15803d" if share >= target else "#b91c1c"
        parts.append(f'<rect x="0" y="1" width="{width:.2f}" height="10" fill="{colour}"/>')
    parts.append(
        f'<line x1="{line:.2f}" y1="0" x2="{line:.2f}" y2="12" stroke="#111" '
        'stroke-width="1.2" vector-effect="non-scaling-stroke"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (an axis maximum)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if value <= step * power)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    number: Callable[[float], str],
    title: str,
    width: int = 480,
    height: int = 240,
) -> Markup:
    """A line per series over ``labels`` (the x axis, evenly spaced); a gap where a value
    is None; a dot at each value; four gridlines labelled with ``number``. ``title``
    names the chart for screen readers; :func:`legend` is written beside it in HTML,
    where long names wrap."""
    left, right, top, bottom = 56, 22, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _name, vs in series for v in vs if v is not None]
    top_value = nice_ceiling(max(values, default=0.0) * 1.05)
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-size="13" font-family="sans-serif">'
    ]
    for k in range(5):
        tick = top_value * k / 4
        out.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="#d8dde3"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end" fill="#444">{escape(number(tick))}</text>'
        )
    every = max(1, math.ceil(n / 6))  # at most six dates under the axis, the last one
    for i in range(n - 1, -1, -every):
        label = labels[i]
        out.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'fill="#444">{escape(label)}</text>'
        )
    for s, (name, vs) in enumerate(series):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        runs: list[list[str]] = [[]]
        for i, v in enumerate(vs):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
                out.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                    f"<title>{escape(name)}: {escape(labels[i])}: {escape(number(v))}</title>"
                    "</circle>"
                )
        for run in runs:
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="{dash}"/>'
                )
    out.append("</svg>")
    return Markup("".join(out))


def legend(names: Sequence[str]) -> Markup:
    """The legend of :func:`line_chart`'s series, as an HTML list (names wrap on a phone)."""
    items = []
    for s, name in enumerate(names):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        items.append(
            f'<li><svg width="22" height="10" aria-hidden="true"><line x1="0" y1="5" x2="22" '
            f'y2="5" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/></svg> '
            f"{escape(name)}</li>"
        )
    return Markup(f'<ul class="legend">{"".join(items)}</ul>')
