"""Small server-side SVG charts for the admin dashboard: bars and lines, no JavaScript.

Every label goes through `format_html`, so the output is safe to put in a template as is."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

W, H = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 34

Fmt = Callable[[float], str]


def plain(v: float) -> str:
    return f"{v:g}"


@dataclass(frozen=True, slots=True)
class Series:
    """One named line (or bar layer); None marks a gap."""

    name: str
    values: Sequence[float | None]
    color: str


@dataclass(frozen=True, slots=True)
class Scale:
    """The y axis: from 0 to `top` in ticks `step` apart."""

    top: float
    step: float

    @classmethod
    def fit(cls, highest: float, *, whole: bool = False) -> Scale:
        """At most 4 round steps (1, 2, 2.5 or 5 times a power of ten) that reach `highest`;
        `whole`: steps of at least 1 (for counts)."""
        if highest <= 0:
            return cls(1.0, 1.0) if whole else cls(1.0, 0.25)
        power = 10.0 ** math.floor(math.log10(highest / 4))
        step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power * 4 >= highest)
        if whole:
            step = float(max(1, math.ceil(step)))
        return cls(math.ceil(round(highest / step, 9)) * step, step)

    def ticks(self) -> list[float]:
        return [self.step * k for k in range(round(self.top / self.step) + 1)]


def _x(i: int, n: int) -> float:
    return LEFT + (W - LEFT - RIGHT) * (i + 0.5) / max(n, 1)


def _y(v: float, top: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - v / top)


def _axes(labels: Sequence[str], scale: Scale, fmt: Fmt) -> SafeString:
    top = scale.top
    ticks = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="ylab" x="{}" y="{}">{}</text>',
        (
            (LEFT, W - RIGHT, _y(v, top), _y(v, top), LEFT - 6, _y(v, top) + 4, fmt(v))
            for v in scale.ticks()
        ),
    )
    every = max(1, math.ceil(len(labels) / 10))
    xlabels = format_html_join(
        "",
        '<text class="xlab" x="{}" y="{}">{}</text>',
        (
            (_x(i, len(labels)), H - BOTTOM + 16, label)
            for i, label in enumerate(labels)
            if i % every == 0
        ),
    )
    return format_html("{}{}", ticks, xlabels)


def _svg(title: str, body: SafeString, legend: Sequence[Series]) -> SafeString:
    keys = (
        format_html_join(
            "",
            # An SVG fill, not a style attribute: the Content-Security-Policy has no inline styles.
            '<span class="key"><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
            '<rect width="10" height="10" rx="2" fill="{}"/></svg>{}</span>',
            ((s.color, s.name) for s in legend),
        )
        if len(legend) > 1
        else ""
    )
    return format_html(
        '<figure class="chart"><figcaption>{}</figcaption>'
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>'
        '<div class="legend">{}</div></figure>',
        title,
        W,
        H,
        title,
        body,
        keys,
    )


def _scale(series: Sequence[Series]) -> Scale:
    values = [v for s in series for v in s.values if v is not None]
    return Scale.fit(max(values, default=0), whole=all(isinstance(v, int) for v in values))


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Fmt = plain,
    legend: bool = True,
) -> SafeString:
    """Bars per label; later series are drawn over earlier ones (e.g. corrected over all runs)."""
    scale = _scale(series)
    ymax = scale.top
    n = len(labels)
    width = max(1.0, (W - LEFT - RIGHT) / max(n, 1) * 0.75)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
        (
            (
                round(_x(i, n) - width / 2, 2),
                round(_y(v, ymax), 2),
                round(width, 2),
                round(_y(0, ymax) - _y(v, ymax), 2),
                s.color,
                labels[i],
                fmt(v),
                s.name,
            )
            for s in series
            for i, v in enumerate(s.values)
            if v
        ),
    )
    return _svg(
        title, format_html("{}{}", _axes(labels, scale, fmt), bars), series if legend else []
    )


def _path(values: Sequence[float | None], ymax: float) -> str:
    parts, pen = [], "M"
    for i, v in enumerate(values):
        if v is None:
            pen = "M"
            continue
        parts.append(f"{pen}{_x(i, len(values)):.1f},{_y(v, ymax):.1f}")
        pen = "L"
    return " ".join(parts)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Fmt = plain,
) -> SafeString:
    """One line per series with a dot on every value; gaps where a value is None."""
    scale = _scale(series)
    ymax = scale.top
    lines = format_html_join(
        "",
        '<path d="{}" stroke="{}" class="line"/>',
        ((_path(s.values, ymax), s.color) for s in series),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{}: {} {}</title></circle>',
        (
            (
                round(_x(i, len(labels)), 1),
                round(_y(v, ymax), 1),
                s.color,
                labels[i],
                fmt(v),
                s.name,
            )
            for s in series
            for i, v in enumerate(s.values)
            if v is not None
        ),
    )
    body = format_html("{}{}{}", _axes(labels, scale, fmt), lines, dots)
    return _svg(title, body, series)


def percent(v: float) -> str:
    return f"{v * 100:.0f}%"


def seconds(v: float) -> str:
    return f"{v:.2f} s" if v < 10 else f"{v:.0f} s"


def count(v: float) -> str:
    return f"{v:,.0f}"
