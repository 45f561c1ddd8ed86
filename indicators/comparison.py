"""Organizations side by side on one measurement: each organization's approved values, a
school's beside its municipality's, and published reference figures, with the source of every
value and the periods each one is missing. Reads a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from goals.models import Goal, Theme
from indicators.models import GoalTarget, Indicator, Metric, ReferenceFigure
from indicators.progress import Point
from indicators.tables import computed_from


@dataclass(frozen=True)
class Cell:
    value: float
    source: str
    entered_at: datetime | None = None
    hidden: bool = False  # too few pupils to publish
    illustrative: bool = False


@dataclass
class Series:
    label: str
    country: str
    note: str  # what the series is: whose indicator, or a reference figure
    cells: dict[int, Cell] = field(default_factory=dict)
    indicator: Indicator | None = None

    @property
    def drawable_points(self) -> list[Point]:
        return [Point(period, cell.value) for period, cell in self.cells.items() if not cell.hidden]


@dataclass
class Comparison:
    metric: Metric
    series: list[Series]
    indicators: list[Indicator]

    @property
    def periods(self) -> list[int]:
        return sorted({period for series in self.series for period in series.cells})

    def rows(self) -> list[tuple[int, list[Cell | None]]]:
        """One row per period: each series' cell, or None where it has no value."""
        return [
            (period, [series.cells.get(period) for series in self.series])
            for period in self.periods
        ]

    @property
    def missing(self) -> list[tuple[Series, list[int]]]:
        """Each series with the periods it lacks."""
        periods = self.periods
        return [
            (series, [p for p in periods if p not in series.cells])
            for series in self.series
            if any(p not in series.cells for p in periods) or not series.cells
        ]


def compare(metric: Metric, *, theme: Theme | None = None, country: str = "") -> Comparison:
    indicators = Indicator.objects.public().filter(metric=metric)
    if theme is not None:
        # An indicator is on the theme when a published goal on the theme targets it.
        on_theme = GoalTarget.objects.public().filter(
            indicator=OuterRef("pk"), goal__in=Goal.objects.on_theme(theme)
        )
        indicators = indicators.filter(Exists(on_theme))
    if country:
        indicators = indicators.filter(organization__country=country)
    indicators = list(indicators.with_series().order_by("organization__name", "pk"))

    series = []
    for indicator in indicators:
        series.extend(_series_of(indicator))
    figures = ReferenceFigure.objects.filter(metric=metric).select_related("organization")
    if country:
        figures = figures.filter(country=country)
    by_label: dict[str, Series] = {}
    for figure in figures.order_by("label", "period"):
        reference = by_label.setdefault(
            figure.label,
            Series(figure.label, figure.country, _("Sammenligningstal fra en offentlig kilde")),
        )
        reference.cells[figure.period] = Cell(float(figure.value), figure.source)
    series.extend(by_label.values())
    return Comparison(metric=metric, series=series, indicators=indicators)


def _series_of(indicator: Indicator) -> list[Series]:
    """The indicator's owner first, then every other organization that reported values."""
    owner = indicator.organization
    note = _("Indikatoren »%(name)s«") % {"name": indicator.name}
    found = {owner.pk: Series(owner.name, owner.country, note, indicator=indicator)}
    for value in indicator.public_values:
        organization = value.organization
        if organization.pk not in found:
            note = _("Indberettet til %(owner)s") % {"owner": owner.name}
            found[organization.pk] = Series(
                organization.name, organization.country, note, indicator=indicator
            )
        found[organization.pk].cells[value.period] = Cell(
            value=float(value.value),
            source=value.source,
            entered_at=value.entered_at,
            hidden=indicator.hides(value.value),
            illustrative=value.is_illustrative,
        )
    # Where the owner has no value of its own, the one derived from its schools', if any.
    own = found[owner.pk].cells
    for point in indicator.series:
        if point.period not in own:
            own[point.period] = Cell(
                value=point.value,
                source=computed_from(
                    indicator.coverage[point.period], schools=indicator.reported_by_schools
                ),
                hidden=indicator.hides(point.value),
            )
    return list(found.values())
