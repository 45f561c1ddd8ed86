"""The progress rules: pure functions over plain values, no database and no request.

Every page, export and API asks this module how far an indicator has come. The rules, and why
they are what they are, are written for citizens in `templates/indicators/methodology.html`.

The one idea behind all of it: how far a value is from the target, its *distance*. For "at
least 1,800" the distance of 1,500 is 300; for "at most 25 m²" the distance of 27 m² is 2; for a
range it is the distance to the nearer bound; a value that meets the target has distance 0.
Progress, status and forecast are all read off distances, so "at most" is exactly the mirror
of "at least" and a lower value is better for a ceiling without a special case anywhere.
"""

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

# A value at least this share of the progress the path expects by now is "on track". Five per
# cent leaves room for rounding and small year-to-year noise without calling a real shortfall
# on track; Open SDG uses the same 95 % of the needed growth rate for "substantial progress".
ON_TRACK_SHARE = 0.95

# A forecast beyond this many periods from the latest value is no forecast but a guess.
FORECAST_HORIZON = 100

# Floating-point slack when a forecast lands exactly on a whole period.
_EPSILON = 1e-9


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"


class Status(StrEnum):
    """From worst to best; `Status.rank` orders them."""

    NOT_ENOUGH_DATA = "not_enough_data"
    MISSED = "missed"  # the target period has come and gone, and the target is not met
    MOVING_AWAY = "moving_away"
    BEHIND = "behind"
    ON_TRACK = "on_track"
    TARGET_MET = "target_met"

    @property
    def rank(self) -> int:
        return list(Status).index(self)


class PathShape(StrEnum):
    COMPOUND = "compound"
    LINEAR = "linear"


@dataclass(frozen=True)
class Point:
    period: int
    value: float


@dataclass(frozen=True)
class Target:
    """What an indicator aims for, as plain values.

    `value` is the target (the lower bound for a range, `upper` the upper bound); it may be
    None only when a stated growth rate is the whole target. `stated_growth` is in per cent a
    period (HEG: 5.0). Periods are whole numbers: a year, or the first year of a school year.
    `decimals` is how many the indicator publishes: a value is compared with the target as it
    is shown, so a sum of 0.1 and 0.2 meets "at most 0.3".
    """

    direction: Direction
    value: float | None
    period: int | None = None
    upper: float | None = None
    baseline: Point | None = None
    stated_growth: float | None = None
    milestones: tuple[Point, ...] = ()
    decimals: int | None = None

    def distance(self, value: float) -> float:
        """How far `value` is from meeting the target, in the indicator's unit; 0 when met."""
        if self.value is None:
            return 0.0
        if self.decimals is not None:
            value = round(value, self.decimals)
        if self.direction is Direction.AT_LEAST:
            return max(self.value - value, 0.0)
        if self.direction is Direction.AT_MOST:
            return max(value - self.value, 0.0)
        upper = self.value if self.upper is None else self.upper
        return max(self.value - value, value - upper, 0.0)

    def is_met(self, value: float) -> bool:
        return self.value is not None and self.distance(value) == 0

    def aim_from(self, value: float) -> float | None:
        """The value a path starting at `value` heads for: the target, or the nearer bound."""
        if self.value is None:
            return None
        if self.direction is Direction.RANGE:
            upper = self.value if self.upper is None else self.upper
            return min(max(value, self.value), upper)
        return self.value

    @property
    def grows_by_rate(self) -> bool:
        """A target framed as growth by a rate (HEG's 5 % a year) follows a compound path."""
        return self.stated_growth is not None


@dataclass(frozen=True)
class Forecast:
    """Where the pace observed so far leads."""

    shape: PathShape
    pace: float  # units a period (linear) or per cent a period (compound)
    period: int | None  # when the target is reached at this pace; None if it is not
    on_time: bool | None  # reached by the target period; None without a target period

    @property
    def reached(self) -> bool:
        return self.period is not None


@dataclass(frozen=True)
class Assessment:
    target: Target
    status: Status
    observed: tuple[Point, ...]  # the values assessed, one per period, in order
    start: Point | None  # the baseline, or the first value when there is no baseline
    latest: Point | None
    path: tuple[Point, ...]  # expected value for every period from start to target
    shape: PathShape
    implied_growth: float | None  # per cent a period along a compound path
    stated_growth: float | None
    expected: float | None  # on the path at the latest period
    gap: float | None  # latest minus expected, in the indicator's unit
    progress: float | None  # per cent of the way from start to target, 0–100
    forecast: Forecast | None
    deadline_passed: bool

    @property
    def expected_by_period(self) -> dict[int, float]:
        return {point.period: point.value for point in self.path}

    @property
    def ahead_of_path(self) -> bool | None:
        """Whether the latest value is at or better than the path expects; None without one."""
        if self.expected is None:
            return None
        return _improvement(self.target, self.expected, self.latest.value) >= 0


def expected_path(target: Target, start: Point | None) -> tuple[tuple[Point, ...], PathShape]:
    """The expected value for every period from `start` to the target period.

    The path runs through every milestone. Each stretch between two of these points is
    compound when the target is framed as growth by a rate and both ends are above zero (a
    rate from zero is undefined), and a straight line otherwise. The stated rate itself
    drives the path only when there is no target value. Without a start or a target period
    there is no path.
    """
    shape = PathShape.COMPOUND if target.grows_by_rate else PathShape.LINEAR
    if start is None:
        return (), shape
    if target.value is None:
        return _stated_growth_path(target, start), shape
    if target.period is None or target.period <= start.period:
        return (), shape
    knots = [start]
    for milestone in sorted(target.milestones, key=lambda point: point.period):
        if start.period < milestone.period < target.period:
            knots.append(milestone)
    knots.append(Point(target.period, target.aim_from(start.value)))

    path = [start]
    for begin, end in itertools.pairwise(knots):
        compound = shape is PathShape.COMPOUND and begin.value > 0 and end.value > 0
        for period in range(begin.period + 1, end.period):
            path.append(Point(period, _between(begin, end, period, compound=compound)))
        path.append(end)
    if shape is PathShape.COMPOUND and any(point.value <= 0 for point in knots):
        shape = PathShape.LINEAR
    return tuple(path), shape


def _stated_growth_path(target: Target, start: Point) -> tuple[Point, ...]:
    if target.period is None or target.period <= start.period:
        return ()
    rate = 1 + target.stated_growth / 100
    return tuple(
        Point(period, start.value * rate ** (period - start.period))
        for period in range(start.period, target.period + 1)
    )


def _between(begin: Point, end: Point, period: int, *, compound: bool) -> float:
    share = (period - begin.period) / (end.period - begin.period)
    if compound:
        return begin.value * (end.value / begin.value) ** share
    return begin.value + (end.value - begin.value) * share


def implied_growth(start: Point, end: Point) -> float | None:
    """The yearly rate in per cent that takes `start` to `end`; None from or to zero."""
    if start.value <= 0 or end.value <= 0 or end.period <= start.period:
        return None
    return ((end.value / start.value) ** (1 / (end.period - start.period)) - 1) * 100


def assess(target: Target, observations: Iterable[Point]) -> Assessment:
    """How the latest observed value stands against the target and its expected path.

    Observations may come in any order and skip periods. One value per period is expected;
    if a period repeats, the last one given counts.
    """
    series = _series(observations)
    latest = series[-1] if series else None
    start = target.baseline or (series[0] if series else None)
    path, shape = expected_path(target, start)
    expected = _expected_at(target, path, latest.period) if latest and path else None
    deadline_passed = bool(latest and target.period is not None and latest.period >= target.period)
    forecast = _forecast(target, start, series, shape)

    return Assessment(
        target=target,
        status=_status(target, start, latest, expected, forecast),
        observed=tuple(series),
        start=start,
        latest=latest,
        path=path,
        shape=shape,
        implied_growth=_implied_growth_of(target, path, shape),
        stated_growth=target.stated_growth,
        expected=expected,
        gap=None if expected is None else latest.value - expected,
        progress=_progress(target, start, latest),
        forecast=forecast,
        deadline_passed=deadline_passed,
    )


def _series(observations: Iterable[Point]) -> list[Point]:
    by_period = {point.period: point for point in observations}
    return [by_period[period] for period in sorted(by_period)]


def _expected_at(target: Target, path: Sequence[Point], period: int) -> float | None:
    if period < path[0].period:
        return None
    if period > path[-1].period:
        # After the target period the expectation is the target itself, not the path extended.
        return path[-1].value if target.value is not None else None
    return path[period - path[0].period].value


def _implied_growth_of(target: Target, path: Sequence[Point], shape: PathShape) -> float | None:
    if shape is not PathShape.COMPOUND or not path or target.value is None:
        return None
    return implied_growth(path[0], path[-1])


def _status(
    target: Target,
    start: Point | None,
    latest: Point | None,
    expected: float | None,
    forecast: Forecast | None,
) -> Status:
    """The verdict. A target value is judged by its forecast, so that the status never says
    one thing and the forecast sentence beside it another: on track means reached in time at
    the pace so far. A growth rate without a target value has no forecast to read, and is held
    against the path the rate draws."""
    if latest is None:
        return Status.NOT_ENOUGH_DATA
    if target.is_met(latest.value):
        return Status.TARGET_MET
    if target.value is not None and target.period is not None and latest.period >= target.period:
        return Status.MISSED
    if start is None or latest.period <= start.period:
        return Status.NOT_ENOUGH_DATA
    if target.value is None:
        return _status_against_path(target, start, latest, expected)
    if forecast.reached:
        return Status.BEHIND if forecast.on_time is False else Status.ON_TRACK
    ahead = (
        latest.value * (1 + forecast.pace / 100)
        if forecast.shape is PathShape.COMPOUND
        else latest.value + forecast.pace
    )
    if _improvement(target, latest.value, ahead) < 0:
        return Status.MOVING_AWAY
    return Status.BEHIND  # no change, or too slow to get there within the horizon


def _status_against_path(
    target: Target, start: Point, latest: Point, expected: float | None
) -> Status:
    achieved = _improvement(target, start.value, latest.value)
    if achieved < 0:
        return Status.MOVING_AWAY
    if expected is None:
        # No deadline to hold the pace against: moving toward the target is all one can ask.
        return Status.ON_TRACK if achieved > 0 else Status.BEHIND
    required = _improvement(target, start.value, expected)
    if achieved >= ON_TRACK_SHARE * required and (achieved > 0 or required <= 0):
        return Status.ON_TRACK
    return Status.BEHIND


def _improvement(target: Target, before: float, after: float) -> float:
    """How much closer `after` is to the target than `before`; negative when further away."""
    if target.value is None:
        # Growth by a stated rate only: the direction alone says which way is better.
        return before - after if target.direction is Direction.AT_MOST else after - before
    return target.distance(before) - target.distance(after)


def _progress(target: Target, start: Point | None, latest: Point | None) -> float | None:
    if latest is None or target.value is None:
        return None
    if target.is_met(latest.value):
        return 100.0
    if start is None or latest.period <= start.period:
        return None  # no development yet to measure
    initial = target.distance(start.value)
    if initial == 0:
        # Met at the start and no longer: all of the way has been lost.
        return 0.0
    return min(max(100 * (1 - target.distance(latest.value) / initial), 0.0), 100.0)


def _forecast(
    target: Target, start: Point | None, series: Sequence[Point], shape: PathShape
) -> Forecast | None:
    """Project the pace observed so far from the latest value until the target is met.

    The pace is fitted over every value available, the baseline included: a straight line by
    least squares, or for a compound indicator a straight line through the logarithms (a
    constant rate). With only a start and one later value this is simply the change between
    them.
    """
    points = list(series)
    if target.baseline is not None and all(p.period != target.baseline.period for p in points):
        points.insert(0, target.baseline)
    points.sort(key=lambda point: point.period)
    if start is None or len(points) < 2 or points[-1].period <= points[0].period:
        return None
    latest = points[-1]
    compound = shape is PathShape.COMPOUND and all(point.value > 0 for point in points)
    shape = PathShape.COMPOUND if compound else PathShape.LINEAR
    if compound:
        slope = _least_squares_slope([(p.period, math.log(p.value)) for p in points])
        pace = (math.exp(slope) - 1) * 100
    else:
        slope = _least_squares_slope([(p.period, p.value) for p in points])
        pace = slope

    if target.value is None:
        return Forecast(shape=shape, pace=pace, period=None, on_time=None)
    if target.is_met(latest.value):
        period = latest.period
    else:
        periods_needed = _periods_to_target(target, latest.value, slope, compound=compound)
        if periods_needed is None or periods_needed > FORECAST_HORIZON:
            return Forecast(shape=shape, pace=pace, period=None, on_time=False)
        period = latest.period + max(1, math.ceil(periods_needed - _EPSILON))
    on_time = None if target.period is None else period <= target.period
    return Forecast(shape=shape, pace=pace, period=period, on_time=on_time)


def _periods_to_target(
    target: Target, value: float, slope: float, *, compound: bool
) -> float | None:
    aim = target.aim_from(value)
    if compound:
        if aim <= 0 or slope == 0:
            return None
        needed = (math.log(aim) - math.log(value)) / slope
    else:
        if slope == 0:
            return None
        needed = (aim - value) / slope
    return needed if needed > 0 else None


def _least_squares_slope(points: Sequence[tuple[float, float]]) -> float:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def count_by_status(statuses: Iterable[Status]) -> dict[Status, int]:
    """How many indicators have each status, every status present (zero counts included).

    Roll-ups count; they never average percentages of different units into one number.
    """
    counts = dict.fromkeys(Status, 0)
    for status in statuses:
        counts[status] += 1
    return counts


class Aggregation(StrEnum):
    """How an owner's value for a period is found from its reporting organizations' values;
    the values of `Metric.Aggregation`."""

    OWN = "own"
    SUM = "sum"
    MEAN = "mean"
    WEIGHTED_MEAN = "weighted_mean"


@dataclass(frozen=True)
class Reported:
    """One organization's approved value for a period, with the weight it gave (if any)."""

    organization: int
    period: int
    value: float
    weight: float | None = None


@dataclass(frozen=True)
class Coverage:
    """How many of the reporting organizations a derived value was computed from: 9 of 13."""

    counted: int
    of: int


@dataclass(frozen=True)
class Combined:
    """An owner's series: the points the progress rules assess, and for each period whose
    value is derived from the reporting organizations, how many of them it rests on."""

    points: tuple[Point, ...]
    coverage: Mapping[int, Coverage]


def combine_values(
    values: Iterable[Reported],
    *,
    owner: int,
    reporters: Iterable[int],
    aggregation: Aggregation | str,
) -> Combined:
    """One series out of the approved values of an owner and its reporting organizations.

    The owner's own value for a period always counts: it is the owner's number as it is.
    A period without one is derived from the reporting organizations other than the owner,
    by the metric's aggregation:

    - SUM: the sum, only when every one of them has a value; a sum of some schools is not
      the municipality's number.
    - MEAN: the plain mean, when at least half of them have a value.
    - WEIGHTED_MEAN: Σ(value × weight) / Σ weight over those with a value and a positive
      weight, when at least half of them have both; a value without its weight cannot be
      weighed.
    - OWN: nothing is derived; the others' values are only shown beside the owner's.

    Values of organizations that are not (or no longer) among the reporters never count.
    """
    aggregation = Aggregation(aggregation)
    expected = set(reporters) - {owner}
    own: dict[int, float] = {}
    parts: dict[int, dict[int, Reported]] = {}
    for reported in values:
        if reported.organization == owner:
            own[reported.period] = reported.value
        elif reported.organization in expected:
            parts.setdefault(reported.period, {})[reported.organization] = reported
    coverage: dict[int, Coverage] = {}
    if aggregation is not Aggregation.OWN and expected:
        for period, by_organization in parts.items():
            if period in own:
                continue
            derived = _derive(aggregation, list(by_organization.values()), len(expected))
            if derived is not None:
                own[period], coverage[period] = derived
    return Combined(
        points=tuple(Point(period, own[period]) for period in sorted(own)),
        coverage=coverage,
    )


def _derive(
    aggregation: Aggregation, reported: Sequence[Reported], expected: int
) -> tuple[float, Coverage] | None:
    """A period's value from the values of its reporting organizations (one each), or None
    when too few of the `expected` organizations have one."""
    if aggregation is Aggregation.WEIGHTED_MEAN:
        reported = [part for part in reported if part.weight is not None and part.weight > 0]
    counted = len(reported)
    if aggregation is Aggregation.SUM:
        if counted < expected:
            return None
        value = math.fsum(part.value for part in reported)
    else:
        # At least half of them: a mean of a few schools says little about all of them.
        if 2 * counted < expected:
            return None
        if aggregation is Aggregation.MEAN:
            value = math.fsum(part.value for part in reported) / counted
        else:
            value = math.fsum(part.value * part.weight for part in reported) / math.fsum(
                part.weight for part in reported
            )
    return value, Coverage(counted=counted, of=expected)
