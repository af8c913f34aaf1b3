"""Where everything goes in the report's charts: horizontal stacked bars, one a row, each
with its label above it and its total after it, and a key of the series above the bars.

Pure functions of the figures, so the geometry is tested without drawing; the SVG is drawn
from it by a template (web/templates/partials/report-chart.html). Sizes are in the SVG's own
units, which the page shows one to one on a narrow phone (WIDTH fits 360 px less margins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
TEXT = 16  # the size of every word and number in a chart: large enough to read on a phone
CHAR = 9.0  # the width a character takes at TEXT, or a little more, to be safe
LABEL = 24  # a bar's label line, above it
BAR = 30
GAP = 12  # between one bar and the next label
AFTER = 48  # room after the longest bar for its total
SWATCH = 20  # a key's sample of its series' fill
KEY_LINE = 28


@dataclass(frozen=True)
class Segment:
    series: int
    value: int
    x: float
    width: float
    numbered: bool  # wide enough to write its number inside

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Bar:
    label: str  # as it fits on one line (the data table has it whole)
    total: int
    label_y: float  # the label's baseline
    y: float  # the top of the bar
    segments: tuple[Segment, ...]
    end: float  # where the bar ends, and its total is written after

    @property
    def text_y(self) -> float:
        """The baseline that centres a number in the bar."""
        return round(self.y + BAR / 2 + TEXT * 0.35, 2)


@dataclass(frozen=True)
class Key:
    series: int
    name: str
    x: float
    y: float  # the top of its swatch


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    keys: tuple[Key, ...]
    bars: tuple[Bar, ...]
    bar_height: float = BAR
    swatch: float = SWATCH
    text: float = TEXT


def fitted(text: str, width: float) -> str:
    """``text`` cut to the characters that fit in ``width``, with an ellipsis if it was."""
    most = int(width // CHAR)
    return text if len(text) <= most else text[: max(most - 1, 1)].rstrip() + "…"


def keys(names: Sequence[str], width: float = WIDTH) -> tuple[tuple[Key, ...], float]:
    """The key of each series, left to right and onto the next line when it would not fit;
    and the height they take."""
    found: list[Key] = []
    x = y = 0.0
    for series, name in enumerate(names):
        name = fitted(name, width - SWATCH - 8)
        wide = SWATCH + 8 + len(name) * CHAR + 16
        if x > 0 and x + wide > width:
            x, y = 0.0, y + KEY_LINE
        found.append(Key(series, name, x, y))
        x += wide
    return tuple(found), (y + KEY_LINE + GAP if names else 0.0)


def stacked(
    rows: Sequence[tuple[str, Sequence[int]]],
    names: Sequence[str],
    *,
    scale: int = 0,
    width: float = WIDTH,
) -> Chart:
    """A bar for each row of (label, a value for each series), drawn to ``scale`` (by default
    the largest row's total) across the width left after room for the totals."""
    legend, top = keys(names, width) if len(names) > 1 else ((), 0.0)
    largest = max([scale, *(sum(values) for _label, values in rows)]) or 1
    across = width - AFTER
    bars: list[Bar] = []
    y = top
    for label, values in rows:
        x = 0.0
        segments = []
        for series, value in enumerate(values):
            if value <= 0:
                continue
            wide = round(across * value / largest, 2)
            numbered = wide >= len(str(value)) * CHAR + 8
            segments.append(Segment(series, value, round(x, 2), wide, numbered))
            x += wide
        bars.append(
            Bar(
                fitted(label, width),
                sum(values),
                round(y + LABEL - 6, 2),
                round(y + LABEL, 2),
                tuple(segments),
                round(x, 2),
            )
        )
        y += LABEL + BAR + GAP
    return Chart(width, round(y - GAP if rows else top, 2), legend, tuple(bars))
