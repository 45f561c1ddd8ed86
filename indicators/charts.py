"""The geometry of an indicator's chart, drawn on the server as SVG so that it needs no
JavaScript. The table beside it always carries the same numbers; the chart only shows them.

Pure functions: values in, coordinates and labels out. The y axis always starts at zero, so a
small change is never drawn as a large one.

One drawing serves every screen: on a phone it shrinks to less than half its size, so there its
labels are drawn larger (portal.css) and only every so many periods is labelled. The margins
are measured for those larger labels, so that no first or last label is ever cut off.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from indicators.progress import Assessment, Direction, Point, Target

WIDTH = 720
HEIGHT = 360
LEFT = 72
RIGHT = 24
MAX_X_LABELS = 8
# The labels' font size when the chart is narrow, in the drawing's units: at 375 px the drawing
# is 343 px wide, so 30 units are 14 px. Must match the narrow font size in portal.css.
NARROW_LABEL_SIZE = 30
# Fewer labels there: at most this many periods, and each label at least half its width apart.
MAX_NARROW_X_LABELS = 4
# A label's width per character, in ems: IBM Plex Sans's digits, the widest of a label's
# characters, are 0.6 em; letters in a period label ("2018/19") are no wider.
CHARACTER_WIDTH = 0.6
LABEL_GAP = 8  # between a y label and the plot, as chart_frame.html draws it
EDGE = 4  # between a label and the edge of the drawing
# The x labels' baseline lies 1.5 em below the plot (chart_frame.html), clear of the lowest y
# label; below that its font's descent, up to 0.4 em with rounding at small sizes.
BOTTOM = math.ceil(1.9 * NARROW_LABEL_SIZE)
# The top value label is centred on its line; its font's ascent reaches up to 0.8 em above it
# (the line box, with rounding at small sizes; the digits themselves 0.5 em).
TOP = math.ceil(0.8 * NARROW_LABEL_SIZE)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    narrow: bool = True  # also labelled when the chart is narrow


def label_width(label: str) -> float:
    """The width of `label` at the narrow font size, the largest it is drawn at."""
    return len(label) * CHARACTER_WIDTH * NARROW_LABEL_SIZE


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
        y_values = [step * index for index in range(round(top_value / step) + 1)]
        # Counted back from the last period, so that the target period is always labelled.
        every = math.ceil((last - first + 1) / MAX_X_LABELS)
        x_periods = list(range(last, first - 1, -every))[::-1]
        x_labels = [format_period(period) for period in x_periods]
        widest_y = max(label_width(format_value(value)) for value in y_values)
        left = max(LEFT, math.ceil(widest_y) + LABEL_GAP + EDGE)
        left = max(left, math.ceil(label_width(x_labels[0]) / 2) + EDGE)
        right = max(RIGHT, math.ceil(label_width(x_labels[-1]) / 2) + EDGE)
        frame = cls(first, last, top_value, [], [], plot_left=left, plot_right=WIDTH - right)
        narrow_every = frame.narrow_every(every, max(map(label_width, x_labels)))
        return replace(
            frame,
            x_ticks=[
                Tick(frame.x(period), label, narrow=(last - period) % narrow_every == 0)
                for period, label in zip(x_periods, x_labels, strict=True)
            ],
            y_ticks=[Tick(frame.y(value), format_value(value)) for value in y_values],
        )

    def narrow_every(self, every: int, widest: float) -> int:
        """How many periods apart the labels are when the chart is narrow: a multiple of
        `every`, at most `MAX_NARROW_X_LABELS` labels, each at least half its width apart."""
        periods = self.last - self.first + 1
        unit = (self.plot_right - self.plot_left) / (self.last - self.first)
        narrow = every
        while math.ceil(periods / narrow) > MAX_NARROW_X_LABELS or unit * narrow < 1.5 * widest:
            narrow += every
        return narrow


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
    # The whole country's published figures of the same measurement, when there are any.
    reference_line: str = ""
    reference_label: str = ""


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
    reference: tuple[str, Sequence[Point]] = ("", ()),
) -> Chart | None:
    """Lay out the observed values (each with whether it is illustrative), the expected path,
    milestones and target, and a `reference` series (its label and points) to compare with.
    None when there is nothing to draw."""
    target = assessment.target
    milestones = list(target.milestones)
    reference_label, reference_points = reference
    periods = [point.period for point in reference_points]
    periods += [point.period for point, _ in observed]
    periods += [point.period for point in assessment.path]
    periods += [milestone.period for milestone in milestones]
    if target.period is not None:
        periods.append(target.period)
    if not periods:
        return None
    values = [point.value for point, _ in observed] + [point.value for point in assessment.path]
    values += [milestone.value for milestone in milestones]
    values += [bound for bound in (target.value, target.upper) if bound is not None]
    values += [point.value for point in reference_points]
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
        reference_line=frame.line(reference_points) if reference_points else "",
        reference_label=reference_label if reference_points else "",
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


# A sparkline: the observed values only, no axes or labels, small enough for a progress card
# (templates/embed/card.html). The y axis starts at zero as on the big chart.
SPARK_WIDTH = 80
SPARK_HEIGHT = 28
SPARK_PAD = 3  # room for the last value's dot and the line's width


@dataclass(frozen=True)
class Sparkline:
    frame: Frame
    points: list[Point]  # oldest first
    line: str
    last: Marker
    target_y: float | None  # the target (a range's lower bound) as a horizontal line


def build_sparkline(observed: Sequence[Point], target: Target) -> Sparkline | None:
    """The observed values as a line ending in a dot, beside the target's level when it has
    one. None without a value."""
    if not observed:
        return None
    points = sorted(observed, key=lambda point: point.period)
    first, last = points[0].period, points[-1].period
    if first == last:
        first, last = first - 1, last + 1
    values = [point.value for point in points]
    if target.value is not None:
        values.append(target.value)
    frame = Frame(
        first,
        last,
        max(values) or 1,
        [],
        [],
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        plot_left=SPARK_PAD,
        plot_right=SPARK_WIDTH - SPARK_PAD,
        plot_top=SPARK_PAD,
        plot_bottom=SPARK_HEIGHT - SPARK_PAD,
    )
    return Sparkline(
        frame=frame,
        points=points,
        line=frame.line(points),
        last=frame.marker(points[-1], ""),
        target_y=None if target.value is None else frame.y(target.value),
    )
