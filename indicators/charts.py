"""The geometry of an indicator's chart, drawn on the server as SVG so that it needs no
JavaScript. The table beside it always carries the same numbers; the chart only shows them.

Pure functions: values in, coordinates and labels out. The y axis always starts at zero, so a
small change is never drawn as a large one.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from indicators.progress import Assessment, Direction, Point

WIDTH = 720
HEIGHT = 320
LEFT = 72
RIGHT = 24
TOP = 16
BOTTOM = 40
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str  # the value as text, for the marker's tooltip
    illustrative: bool = False

    @property
    def diamond(self) -> str:
        """SVG points of a diamond around the marker, the shape of a milestone."""
        size = 6
        return (
            f"{self.x},{self.y - size} {self.x + size},{self.y} "
            f"{self.x},{self.y + size} {self.x - size},{self.y}"
        )


@dataclass(frozen=True)
class Frame:
    """The plot area, its scales and the labelled ticks of both axes."""

    first: int
    last: int
    top_value: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT
    plot_top: float = TOP
    plot_bottom: float = HEIGHT - BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def x(self, period: float) -> float:
        share = (period - self.first) / (self.last - self.first)
        return round(self.plot_left + share * (self.plot_right - self.plot_left), 1)

    def y(self, value: float) -> float:
        share = value / self.top_value
        return round(self.plot_bottom - share * (self.plot_bottom - self.plot_top), 1)

    def marker(self, point: Point, label: str, illustrative: bool = False) -> Marker:
        return Marker(self.x(point.period), self.y(point.value), label, illustrative)

    def line(self, points: Sequence[Point]) -> str:
        """SVG points "x,y x,y" of a line through `points`."""
        return " ".join(f"{self.x(p.period)},{self.y(p.value)}" for p in points)

    @classmethod
    def around(
        cls,
        periods: Sequence[int],
        values: Sequence[float],
        *,
        format_value: Callable[[float], str],
        format_period: Callable[[int], str],
    ) -> "Frame":
        first, last = min(periods), max(periods)
        if first == last:
            first, last = first - 1, last + 1
        highest = max(values, default=1) or 1
        step = nice_step(highest)
        top_value = step * math.ceil(max(highest, step) / step)
        frame = cls(first, last, top_value, [], [])
        every = math.ceil((last - first + 1) / MAX_X_LABELS)
        return replace(
            frame,
            x_ticks=[
                Tick(frame.x(period), format_period(period))
                for period in range(first, last + 1, every)
            ],
            y_ticks=[
                Tick(frame.y(step * index), format_value(step * index))
                for index in range(round(top_value / step) + 1)
            ],
        )


@dataclass(frozen=True)
class Chart:
    """An indicator's values against its expected path, milestones and target."""

    frame: Frame
    observed_line: str
    observed: list[Marker]
    expected_line: str
    milestones: list[Marker]
    target_y: float | None  # a horizontal line at the target (the lower bound of a range)
    target_upper_y: float | None
    target_x: float | None  # the target period, if any


MARKER_SHAPES = ("circle", "square", "diamond")


@dataclass(frozen=True)
class Line:
    label: str
    # Which of the line styles: colour, dash pattern, marker shape, and for the second six
    # hollow markers, so that no two lines differ by colour alone.
    style: int
    points: str
    markers: list[Marker]

    @property
    def shape(self) -> str:
        return MARKER_SHAPES[self.style % len(MARKER_SHAPES)]


@dataclass(frozen=True)
class ComparisonChart:
    """Several organizations' values of one measurement on one chart."""

    frame: Frame
    lines: list[Line]


# As many as a comparison draws lines (indicators.comparison.CHART_LINES).
LINE_STYLES = 12


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `ticks`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def build_chart(
    assessment: Assessment,
    observed: Sequence[tuple[Point, bool]],
    *,
    format_value: Callable[[float], str],
    format_period: Callable[[int], str],
) -> Chart | None:
    """Lay out the observed values (each with whether it is illustrative), the expected path,
    milestones and target. None when there is nothing to draw."""
    target = assessment.target
    milestones = list(target.milestones)
    periods = [point.period for point, _ in observed]
    periods += [point.period for point in assessment.path]
    periods += [milestone.period for milestone in milestones]
    if target.period is not None:
        periods.append(target.period)
    if not periods:
        return None
    values = [point.value for point, _ in observed] + [point.value for point in assessment.path]
    values += [milestone.value for milestone in milestones]
    values += [bound for bound in (target.value, target.upper) if bound is not None]
    frame = Frame.around(periods, values, format_value=format_value, format_period=format_period)

    has_bound = target.value is not None
    has_upper = has_bound and target.direction is Direction.RANGE and target.upper is not None
    return Chart(
        frame=frame,
        observed_line=frame.line([point for point, _ in observed]),
        observed=[
            frame.marker(point, format_value(point.value), illustrative)
            for point, illustrative in observed
        ],
        expected_line=frame.line(assessment.path),
        milestones=[frame.marker(m, format_value(m.value)) for m in milestones],
        target_y=frame.y(target.value) if has_bound else None,
        target_upper_y=frame.y(target.upper) if has_upper else None,
        target_x=None if target.period is None else frame.x(target.period),
    )


def build_comparison_chart(
    series: Sequence[tuple[str, Sequence[Point]]],
    *,
    format_value: Callable[[float], str],
    format_period: Callable[[int], str],
) -> ComparisonChart | None:
    """One line per labelled series; None when no series has a value."""
    drawn = [(label, sorted(points, key=lambda p: p.period)) for label, points in series if points]
    if not drawn:
        return None
    periods = [point.period for _, points in drawn for point in points]
    values = [point.value for _, points in drawn for point in points]
    frame = Frame.around(periods, values, format_value=format_value, format_period=format_period)
    return ComparisonChart(
        frame=frame,
        lines=[
            Line(
                label=label,
                style=index % LINE_STYLES,
                points=frame.line(points),
                markers=[
                    frame.marker(point, f"{label}: {format_value(point.value)}") for point in points
                ],
            )
            for index, (label, points) in enumerate(drawn)
        ],
    )
