"""Numbers as tables, one row per period. A goal target's table has the value, what the path
expects, milestones and the target; the target page and its CSV download show the same rows.
An indicator's table has its whole series, whatever targets were set on it."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import ngettext

from indicators.charts import Chart, build_chart
from indicators.models import GoalTarget, Indicator, IndicatorValue, published_number
from indicators.progress import Assessment, Coverage, Point
from indicators.wording import format_number


@dataclass(frozen=True)
class Row:
    period: int
    label: str
    point: Point | None
    source: str
    entered_at: datetime | None
    illustrative: bool
    hidden: bool  # too few pupils to publish the value
    coverage: Coverage | None = None  # derived from this many of the reporting organizations
    expected: float | None = None
    milestone: float | None = None
    target: float | None = None

    def published(self) -> dict:
        """The row as the API and the open data publish it: a hidden value keeps its period
        and says it is withheld, not what it is; `computed` when derived from the reporting
        organizations' values (theirs are among the published values)."""
        point = self.point
        return {
            "period": self.period,
            "period_label": self.label,
            "value": None if point is None or self.hidden else published_number(point.value),
            "suppressed": self.hidden,
            "computed": self.coverage is not None,
            "expected": published_number(self.expected),
            "milestone": published_number(self.milestone),
            "target": published_number(self.target),
        }


def target_rows(target: GoalTarget, assessment: Assessment | None = None) -> list[Row]:
    """The values the target is assessed on, beside its expected path, milestones and target:
    those of its page, or of `assessment` (a status report's `assessment_as_of`)."""
    assessment = assessment or target.assessment
    aim = assessment.target
    observed = {point.period: point for point in assessment.observed}
    expected = assessment.expected_by_period
    milestones = {milestone.period: milestone.value for milestone in aim.milestones}
    periods = set(observed) | set(expected) | set(milestones)
    if aim.period is not None:
        periods.add(aim.period)
    origin = _origins(target.indicator)
    return [
        _row(
            target.indicator,
            period,
            observed.get(period),
            origin,
            expected=expected.get(period),
            milestone=milestones.get(period),
            target=aim.value if period == aim.period else None,
        )
        for period in sorted(periods)
    ]


def series_rows(indicator: Indicator) -> list[Row]:
    """Every period of the indicator's series: its own value, or the value derived from its
    reporting organizations'."""
    origin = _origins(indicator)
    return [_row(indicator, point.period, point, origin) for point in indicator.series]


def _origins(indicator: Indicator) -> dict[int, IndicatorValue]:
    """The owner's own approved value of each period, which tells the source of the point."""
    return {
        value.period: value
        for value in indicator.public_values
        if value.organization_id == indicator.organization_id
    }


def _row(
    indicator: Indicator,
    period: int,
    point: Point | None,
    origin: dict[int, IndicatorValue],
    **extra,
) -> Row:
    value = origin.get(period)
    coverage = None
    if value is not None:
        source, entered_at, illustrative = value.source, value.entered_at, value.is_illustrative
    elif point is not None:
        # No value of the owner's own: derived from the reporting organizations' values.
        coverage = indicator.coverage[period]
        source = computed_from(coverage, schools=indicator.reported_by_schools)
        entered_at, illustrative = None, False
    else:
        source, entered_at, illustrative = "", None, False
    return Row(
        period=period,
        label=indicator.period_label(period),
        point=point,
        source=source,
        entered_at=entered_at,
        illustrative=illustrative,
        hidden=point is not None and indicator.hides(point.value),
        coverage=coverage,
        **extra,
    )


def computed_from(coverage: Coverage, *, schools: bool) -> str:
    """Where a derived value comes from: "Beregnet ud fra 9 af 13 skolers tal"."""
    numbers = {
        "counted": format_number(coverage.counted),
        "total": format_number(coverage.of),
    }
    if schools:
        text = ngettext(
            "Beregnet ud fra %(counted)s af %(total)s skoles tal",
            "Beregnet ud fra %(counted)s af %(total)s skolers tal",
            coverage.of,
        )
    else:
        text = ngettext(
            "Beregnet ud fra %(counted)s af %(total)s organisations tal",
            "Beregnet ud fra %(counted)s af %(total)s organisationers tal",
            coverage.of,
        )
    return text % numbers


def target_chart(
    target: GoalTarget,
    rows: list[Row],
    assessment: Assessment,
    reference: tuple[str, list[Point]] = ("", []),
) -> Chart | None:
    """The chart of a target's table rows (`target_rows`), for its page and a status report,
    with a `reference` series (label, points) beside them: values too small to publish are
    not drawn."""
    return build_chart(
        assessment,
        [(row.point, row.illustrative) for row in rows if row.point and not row.hidden],
        format_value=lambda value: format_number(value, target.decimals),
        format_period=target.period_label,
        reference=reference,
    )
