"""The geometry of an indicator's chart, drawn on the server as SVG so that it needs no
JavaScript. The table beside it always carries the same numbers; the chart only shows them.

Pure functions: values in, coordinates and labels out. The y axis always starts at zero, so a
small change is never drawn as a large one.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
class Chart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    observed_line: str  # SVG points "x,y x,y"
    observed: list[Marker]
    expected_line: str
    milestones: list[Marker]
    target_y: float | None  # a horizontal line at the target (the lower bound of a range)
    target_upper_y: float | None
    target_x: float | None  # the target period, if any

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


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
    first, last = min(periods), max(periods)
    if first == last:
        first, last = first - 1, last + 1

    values = [point.value for point, _ in observed] + [point.value for point in assessment.path]
    values += [milestone.value for milestone in milestones]
    values += [bound for bound in (target.value, target.upper) if bound is not None]
    step = nice_step(max(values, default=1) or 1)
    top_value = step * math.ceil(max(max(values, default=1), step) / step)

    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def x(period: float) -> float:
        return round(plot_left + (period - first) / (last - first) * (plot_right - plot_left), 1)

    def y(value: float) -> float:
        return round(plot_bottom - value / top_value * (plot_bottom - plot_top), 1)

    every = math.ceil((last - first + 1) / MAX_X_LABELS)
    x_ticks = [Tick(x(period), format_period(period)) for period in range(first, last + 1, every)]
    y_ticks = [
        Tick(y(step * index), format_value(step * index))
        for index in range(round(top_value / step) + 1)
    ]
    observed_markers = [
        Marker(x(point.period), y(point.value), format_value(point.value), illustrative)
        for point, illustrative in observed
    ]
    has_bound = target.value is not None
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        observed_line=" ".join(f"{m.x},{m.y}" for m in observed_markers),
        observed=observed_markers,
        expected_line=" ".join(f"{x(p.period)},{y(p.value)}" for p in assessment.path),
        milestones=[Marker(x(m.period), y(m.value), format_value(m.value)) for m in milestones],
        target_y=y(target.value) if has_bound else None,
        target_upper_y=(
            y(target.upper)
            if has_bound and target.direction is Direction.RANGE and target.upper is not None
            else None
        ),
        target_x=None if target.period is None else x(target.period),
    )
