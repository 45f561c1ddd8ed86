"""Context series: published figures (`ReferenceFigure`) that no indicator in the portal
reports, read as series, one per label and scope, oldest period first. An organization's own
published figures are drawn beside the whole country's, with a sentence saying how far above
or below the country its latest figure lies ("0,9 procentpoint over landsgennemsnittet").

`gap_between` and `gap_sentence` are pure; `context_of` reads an organization's series in two
queries, whatever the number of metrics."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from indicators.charts import ComparisonChart, build_comparison_chart
from indicators.models import Metric, ReferenceFigure, ReferenceScope
from indicators.periods import PeriodKind, period_label
from indicators.progress import Point
from indicators.wording import format_number, format_quantity
from municipalities.models import Organization

# The order in which an organization's figures are compared: the country first.
SCOPES = [ReferenceScope.COUNTRY, ReferenceScope.REGION, ReferenceScope.GROUP]
# The compact table's columns: the latest periods; the rest are in the full table under it.
LATEST_PERIODS = 3


@dataclass(frozen=True)
class ContextPoint:
    period: int
    value: float
    source: str
    source_url: str
    retrieved_on: date | None


@dataclass(frozen=True)
class ContextSeries:
    label: str
    scope: ReferenceScope
    points: tuple[ContextPoint, ...]  # oldest first

    @property
    def latest(self) -> ContextPoint:
        return self.points[-1]

    @property
    def sources(self) -> list[tuple[str, str]]:
        """Each (source, address) once, in the order of the periods."""
        return list(dict.fromkeys((point.source, point.source_url) for point in self.points))


@dataclass(frozen=True)
class ContextSource:
    """Where some of a context's figures come from, and for which periods."""

    name: str
    url: str
    retrieved_on: date | None
    periods: tuple[int, ...]  # oldest first

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The periods as runs of consecutive years, (first, last) each: 2011/12–2014/15."""
        runs: list[list[int]] = []
        for period in self.periods:
            if runs and period == runs[-1][1] + 1:
                runs[-1][1] = period
            else:
                runs.append([period, period])
        return [(first, last) for first, last in runs]


@dataclass(frozen=True)
class Gap:
    """An organization's figure against a reference's, in the latest period both have."""

    period: int
    own: float
    reference: float

    @property
    def difference(self) -> float:
        return self.own - self.reference


@dataclass(frozen=True)
class Context:
    """A metric's figures published for an organization, with what they compare with."""

    metric: Metric
    own: ContextSeries
    references: tuple[ContextSeries, ...]  # the country's first, then regions' and groups'

    @property
    def comparison(self) -> tuple[ContextSeries, Gap] | None:
        """The first reference the organization shares a period with, and the gap to it."""
        for reference in self.references:
            if gap := gap_between(self.own, reference):
                return reference, gap
        return None

    @property
    def sentence(self) -> str:
        if self.comparison is None:
            return ""
        reference, gap = self.comparison
        return gap_sentence(
            gap,
            reference=reference,
            unit=self.metric.unit,
            decimals=self.metric.decimals,
            percent=self.metric.measure == Metric.Measure.PERCENT,
            period_kind=self.metric.period_kind,
        )

    @property
    def series(self) -> tuple[ContextSeries, ...]:
        return (self.own, *self.references)

    @cached_property
    def periods(self) -> list[int]:
        """Every period any of the series has, oldest first."""
        return sorted({point.period for series in self.series for point in series.points})

    @property
    def latest_periods(self) -> list[int]:
        return self.periods[-LATEST_PERIODS:]

    @property
    def latest_rows(self) -> list[tuple[ContextSeries, list[ContextPoint | None]]]:
        return self._rows(self.latest_periods)

    @property
    def rows(self) -> list[tuple[ContextSeries, list[ContextPoint | None]]]:
        return self._rows(self.periods)

    def _rows(self, periods: list[int]) -> list[tuple[ContextSeries, list[ContextPoint | None]]]:
        """Each series with its point in each of `periods`, None where it has none."""
        rows = []
        for series in self.series:
            points = {point.period: point for point in series.points}
            rows.append((series, [points.get(period) for period in periods]))
        return rows

    @property
    def sources(self) -> list[ContextSource]:
        """Each source once across the series (an organization's own figures and the
        country's are often published together), with the periods it gives."""
        periods: dict[tuple[str, str, date | None], set[int]] = {}
        for series in self.series:
            for point in series.points:
                key = (point.source, point.source_url, point.retrieved_on)
                periods.setdefault(key, set()).add(point.period)
        return [ContextSource(*key, tuple(sorted(found))) for key, found in periods.items()]

    @cached_property
    def chart(self) -> ComparisonChart | None:
        """The series as lines; none for a single period, where a line would be one dot
        between two empty periods and the table says it all."""
        if len(self.periods) < 2:
            return None
        return build_comparison_chart(
            [
                (series.label, [Point(point.period, point.value) for point in series.points])
                for series in self.series
            ],
            format_value=lambda value: format_number(value, self.metric.decimals),
            format_period=self.metric.period_label,
        )

    @property
    def chart_description(self) -> str:
        """What the chart draws, for those who cannot see it: "Herning Kommune og Hele
        landet, 2011/12–2014/15."""
        return _("%(names)s, %(first)s–%(last)s.") % {
            "names": get_text_list([series.label for series in self.series], _("og")),
            "first": self.metric.period_label(self.periods[0]),
            "last": self.metric.period_label(self.periods[-1]),
        }


def series_of(figures) -> list[ContextSeries]:
    """The figures (of one metric) as series, one per label and scope, in the order first
    met; each series oldest period first."""
    grouped: dict[tuple[str, str], list[ContextPoint]] = {}
    for figure in figures:
        grouped.setdefault((figure.label, figure.scope), []).append(
            ContextPoint(
                period=figure.period,
                value=float(figure.value),
                source=figure.source,
                source_url=figure.source_url,
                retrieved_on=figure.retrieved_on,
            )
        )
    return [
        ContextSeries(label, ReferenceScope(scope), tuple(sorted(points, key=_period)))
        for (label, scope), points in grouped.items()
    ]


def _period(point: ContextPoint) -> int:
    return point.period


def gap_between(own: ContextSeries, reference: ContextSeries) -> Gap | None:
    """`own` against `reference` in the latest period both have, or None."""
    theirs = {point.period: point.value for point in reference.points}
    common = [point for point in own.points if point.period in theirs]
    if not common:
        return None
    latest = common[-1]
    return Gap(period=latest.period, own=latest.value, reference=theirs[latest.period])


def gap_sentence(
    gap: Gap,
    *,
    reference: ContextSeries,
    unit: str,
    decimals: int,
    percent: bool,
    period_kind: PeriodKind | str,
) -> str:
    """ "77,7 % i 2014/15, 0,9 procentpoint over landsgennemsnittet (76,8 %)." A difference
    of percentages is in percentage points; one that rounds to nothing is "the same"."""
    period = period_label(gap.period, period_kind)
    own = format_quantity(gap.own, unit, decimals)
    theirs = format_quantity(gap.reference, unit, decimals)
    whom = _("landsgennemsnittet") if reference.scope == ReferenceScope.COUNTRY else reference.label
    size = abs(round(gap.difference, decimals))
    if size == 0:
        return _("%(own)s i %(period)s, det samme som %(whom)s.") % {
            "own": own,
            "period": period,
            "whom": whom,
        }
    amount = (
        _("%(number)s procentpoint") % {"number": format_number(size, decimals)}
        if percent
        else format_quantity(size, unit, decimals)
    )
    template = (
        _("%(own)s i %(period)s, %(amount)s over %(whom)s (%(theirs)s).")
        if gap.difference > 0
        else _("%(own)s i %(period)s, %(amount)s under %(whom)s (%(theirs)s).")
    )
    return template % {
        "own": own,
        "period": period,
        "amount": amount,
        "whom": whom,
        "theirs": theirs,
    }


def context_of(organization: Organization) -> list[Context]:
    """Each metric with figures of `organization`'s own, in the metrics' name order, with the
    references of its country to compare with (two queries)."""
    own = list(
        ReferenceFigure.objects.filter(organization=organization, scope=ReferenceScope.ORGANIZATION)
        .select_related("metric")
        .order_by("metric__name", "metric_id", "period")
    )
    metrics = {figure.metric_id: figure.metric for figure in own}
    references = ReferenceFigure.objects.filter(
        ~Q(scope=ReferenceScope.ORGANIZATION),
        metric_id__in=list(metrics),
        country=organization.country,
    ).order_by("period")
    by_metric: dict[int, list] = {}
    for figure in references:
        by_metric.setdefault(figure.metric_id, []).append(figure)
    found = []
    for metric_id, metric in metrics.items():
        theirs = series_of(by_metric.get(metric_id, []))
        found.append(
            Context(
                metric=metric,
                own=series_of(f for f in own if f.metric_id == metric_id)[0],
                references=tuple(sorted(theirs, key=lambda series: SCOPES.index(series.scope))),
            )
        )
    return found


def against_the_country(
    metric: Metric, own: list[Point], *, label: str, country: str
) -> Context | None:
    """An indicator's own published values (`label`'s) beside its metric's figures for the
    whole of `country`, as a target's page shows them (one query); None when the metric has
    no such figures or the indicator no values."""
    national = series_of(
        ReferenceFigure.objects.filter(
            metric=metric, scope=ReferenceScope.COUNTRY, country=country
        ).order_by("period")
    )
    if not national or not own:
        return None
    points = tuple(ContextPoint(point.period, point.value, "", "", None) for point in own)
    return Context(
        metric=metric,
        own=ContextSeries(label, ReferenceScope.ORGANIZATION, points),
        references=tuple(national),
    )
