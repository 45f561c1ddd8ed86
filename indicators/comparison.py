"""Organizations side by side on one measurement: each organization's approved values, a
school's beside its municipality's, and published reference figures, with the source of every
value and the periods each one is missing.

A measurement shared across a country has thousands of series (every municipality's, every
school's): more than a chart can show or a person read, and more than one request should load.
So a comparison is read a page at a time. `Selection.keys` lists the series in SQL, one row per
organization and indicator in the order of the organizations' names, which a page counts and
slices; `compare` then loads the values of only the series on the page, of the viewer's own
organizations and the reference figures, in a fixed number of queries."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import Goal, Theme
from indicators.context import Context, series_of
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    ReferenceFigure,
    ReferenceScope,
)
from indicators.progress import Point
from indicators.tables import computed_from
from municipalities.models import OrganizationKind

# Lines a chart can hold and a reader still tell apart (with the legend beside it).
CHART_LINES = 12
# The table's columns: the latest periods, so that a row fits a phone's width or nearly.
TABLE_PERIODS = 6
# Rows of the table per page: with the viewer's own organization and one reference figure,
# the chart draws every row of the page.
ROWS_PER_PAGE = 10


class Showing(models.TextChoices):
    """Which organizations' series a comparison shows: a school's number is not a
    municipality's, so the two are compared each among their own."""

    MUNICIPALITIES = "municipalities", gettext_lazy("Kommuner")
    SCHOOLS = "schools", gettext_lazy("Skoler")
    OTHERS = "others", gettext_lazy("Lærecentre og netværk")


KINDS = {
    Showing.MUNICIPALITIES: [OrganizationKind.MUNICIPALITY],
    Showing.SCHOOLS: [OrganizationKind.INSTITUTION],
    Showing.OTHERS: [OrganizationKind.LEARNING_CENTRE, OrganizationKind.NETWORK],
}


class Key(NamedTuple):
    """One series of the comparison: an organization's values of one indicator."""

    name: str  # the organization's, which orders the table
    organization: int
    indicator: int


@dataclass(frozen=True)
class Cell:
    value: float
    source: str
    entered_at: datetime | None = None
    hidden: bool = False  # too few pupils to publish
    illustrative: bool = False
    source_url: str = ""
    retrieved_on: date | None = None  # when a reference figure was read from its source


@dataclass(frozen=True)
class Source:
    """Where some of a series' values come from, and for which of its periods."""

    name: str
    url: str
    retrieved_on: date | None
    periods: tuple[int, ...]


@dataclass
class Series:
    label: str
    country: str
    note: str  # what the series is: whose indicator, or a reference figure
    cells: dict[int, Cell] = field(default_factory=dict)
    indicator: Indicator | None = None
    organization_id: int | None = None
    organization_slug: str = ""
    own: bool = False  # of an organization the viewer is a member of
    scope: str = ""  # a reference figure's (ReferenceScope); an organization's row has none

    @property
    def is_reference(self) -> bool:
        return self.indicator is None

    @property
    def drawable_points(self) -> list[Point]:
        return [Point(period, cell.value) for period, cell in self.cells.items() if not cell.hidden]

    @property
    def sources(self) -> list[Source]:
        """Each source once, with the periods it gives, oldest first."""
        periods: dict[tuple[str, str, date | None], list[int]] = {}
        for period in sorted(self.cells):
            cell = self.cells[period]
            periods.setdefault((cell.source, cell.source_url, cell.retrieved_on), []).append(period)
        return [Source(*key, tuple(found)) for key, found in periods.items()]

    @property
    def chart_label(self) -> str:
        if self.own:
            return _("%(name)s (din organisation)") % {"name": self.label}
        return self.label


@dataclass(frozen=True)
class Selection:
    """Which series a comparison is about: the measurement's indicators that `viewer` may
    see (goals.models.VisibleQuerySet), on a theme and in a country if chosen, and the
    organizations of the kinds shown."""

    metric: Metric
    theme: Theme | None = None
    country: str = ""
    showing: str = Showing.MUNICIPALITIES
    viewer: object = None  # the signed-in user, or None for what is public

    def keys(self, *, name: str = "", member=None) -> QuerySet:
        """The series as `Key`s (values_list rows), ordered by the organization's name: each
        indicator's owner's own series, and the values another organization reported to an
        indicator (a school's to its municipality's), of organizations of the kinds shown;
        only those whose name contains `name`, or of which `member` is a member."""
        kinds = KINDS[Showing(self.showing)]
        owners = self._narrow(Indicator.objects.all(), "pk").filter(organization__kind__in=kinds)
        reported = self._narrow(IndicatorValue.objects.approved(), "indicator").filter(
            organization__kind__in=kinds
        )
        if name:
            owners = owners.filter(organization__name__icontains=name)
            reported = reported.filter(organization__name__icontains=name)
        if member is not None:
            owners = owners.filter(organization__memberships__user=member)
            reported = reported.filter(organization__memberships__user=member)
        reported = reported.exclude(organization=F("indicator__organization"))
        columns = ("organization__name", "organization", "indicator")
        # The two parts never share a row (a value reported by the owner is the owner's
        # series), so UNION ALL, which sorts nothing to drop duplicates.
        return (
            owners.annotate(indicator=F("pk"))
            .values_list(*columns)
            .distinct()
            .union(reported.values_list(*columns).distinct(), all=True)
            .order_by(*columns)
        )

    def _narrow(self, queryset: QuerySet, indicator: str) -> QuerySet:
        """`queryset` narrowed to the measurement's visible indicators, on the theme and in the
        country, reached by `indicator` ("pk" from an indicator, "indicator" from a value).
        Written as joins rather than `indicator__in=…`, so that PostgreSQL estimates the
        values it reads: with the subquery it expected every value in the country and sorted
        a school measurement's 37.700 on disk."""
        prefix = "" if indicator == "pk" else f"{indicator}__"
        targets = GoalTarget.objects.visible_to(self.viewer).filter(indicator=OuterRef(indicator))
        queryset = queryset.filter(Exists(targets), **{f"{prefix}metric": self.metric})
        if self.theme is not None:
            # An indicator is on the theme when a visible goal on the theme targets it.
            on_theme = targets.filter(goal__in=Goal.objects.on_theme(self.theme))
            queryset = queryset.filter(Exists(on_theme))
        if self.country:
            queryset = queryset.filter(**{f"{prefix}organization__country": self.country})
        return queryset.order_by()


# A comparison is worth a link when it has at least this many series with values to set
# side by side.
SERIES_TO_COMPARE = 2


def is_comparable(metric, *, viewer, theme: Theme | None = None) -> ExpressionWrapper:
    """Whether a comparison of `metric` (an expression such as OuterRef("pk")) has something
    to compare, as a boolean annotation: at least two series with values, where a series is
    an organization with an approved value on one of the metric's indicators that `viewer`
    may see (on a goal on `theme`, if given, as the comparison filtered by theme shows them) or a
    reference figure's label (the national figure). Hillerød's 93,4 % beside the country's
    89,9 % is a comparison; Herning's series alone, without a value, is not. Only the kinds
    of organization the comparison opens with count (municipalities): a municipality beside
    its own schools' values would be offered a comparison that shows it alone. Pages offer a
    comparison only when this holds; the comparison page itself stays reachable."""
    targets = GoalTarget.objects.visible_to(viewer).filter(indicator=OuterRef("indicator"))
    if theme is not None:
        targets = targets.filter(goal__in=Goal.objects.on_theme(theme))
    organizations = (
        IndicatorValue.objects.approved()
        .filter(
            Exists(targets),
            indicator__metric=metric,
            organization__kind__in=KINDS[Showing.MUNICIPALITIES],
        )
        .order_by()
        .values("indicator__metric")
        .annotate(count=Count("organization", distinct=True))
        .values("count")
    )
    labels = (
        ReferenceFigure.objects.filter(metric=metric)
        .order_by()
        .values("metric")
        .annotate(count=Count("label", distinct=True))
        .values("count")
    )
    series = Coalesce(Subquery(organizations, output_field=IntegerField()), Value(0)) + Coalesce(
        Subquery(labels, output_field=IntegerField()), Value(0)
    )
    return ExpressionWrapper(
        GreaterThanOrEqual(series, SERIES_TO_COMPARE), output_field=BooleanField()
    )


@dataclass
class Comparison:
    metric: Metric
    own: list[Series]  # the viewer's organizations' series, above the page on every page
    references: list[Series]
    rows: list[Series]  # the page's
    periods: list[int]  # the table's columns, oldest first
    # Each organization's own published figure against its country's, in words.
    sentences: list[str] = field(default_factory=list)

    @property
    def pinned(self) -> list[Series]:
        return self.own + self.references

    @property
    def shown(self) -> list[Series]:
        """The viewer's own organizations, the reference figures, then the page's rows in the
        table's order; each once (the viewer's own can be on the page too)."""
        return list({id(series): series for series in self.pinned + self.rows}.values())

    @property
    def drawn(self) -> list[Series]:
        """The chart's lines: the series shown, at most CHART_LINES."""
        return self.shown[:CHART_LINES]

    def _table(self, series: Sequence[Series]) -> list[tuple[Series, list[Cell | None]]]:
        return [(one, [one.cells.get(period) for period in self.periods]) for one in series]

    @property
    def pinned_rows(self) -> list[tuple[Series, list[Cell | None]]]:
        return self._table(self.pinned)

    @property
    def page_rows(self) -> list[tuple[Series, list[Cell | None]]]:
        return self._table(self.rows)

    @property
    def missing(self) -> list[tuple[Series, list[int]]]:
        """Each series in the table with the table's periods it lacks."""
        return [
            (series, [p for p in self.periods if p not in series.cells])
            for series in self.shown
            if any(p not in series.cells for p in self.periods) or not series.cells
        ]


def compare(selection: Selection, *, page: Sequence[Key], own: Sequence[Key]) -> Comparison:
    """The series of the `page`'s keys and of the viewer's `own`, with the reference figures;
    the table's columns are the latest periods of these series."""
    own, page = [Key(*key) for key in own], [Key(*key) for key in page]
    indicators = Indicator.objects.filter(
        pk__in={key.indicator for key in (*own, *page)}
    ).with_series()
    found = {
        (series.organization_id, indicator.pk): series
        for indicator in indicators
        for series in _series_of(indicator)
    }
    own_organizations = {key.organization for key in own}
    for (organization, _indicator), series in found.items():
        series.own = organization in own_organizations

    figures = ReferenceFigure.objects.filter(metric=selection.metric).select_related("organization")
    if selection.country:
        figures = figures.filter(country=selection.country)
    figures = list(figures.order_by("label", "period"))
    references: dict[str, Series] = {}
    for figure in figures:
        reference = references.setdefault(
            figure.label,
            Series(
                figure.label,
                figure.country,
                _("Sammenligningstal fra en offentlig kilde"),
                organization_id=figure.organization_id,
                organization_slug=figure.organization.slug if figure.organization else "",
                scope=figure.scope,
            ),
        )
        reference.cells[figure.period] = Cell(
            float(figure.value),
            figure.source,
            source_url=figure.source_url,
            retrieved_on=figure.retrieved_on,
        )

    own_series = [found[key.organization, key.indicator] for key in own]
    rows = [found[key.organization, key.indicator] for key in page]
    shown = [*own_series, *references.values(), *rows]
    # The latest periods of the series shown rather than of all: no query over every value,
    # and no column that is empty on the page.
    periods = sorted({period for series in shown for period in series.cells})[-TABLE_PERIODS:]
    return Comparison(
        metric=selection.metric,
        own=own_series,
        references=list(references.values()),
        rows=rows,
        periods=periods,
        sentences=_sentences(selection.metric, figures),
    )


def _sentences(metric: Metric, figures: list[ReferenceFigure]) -> list[str]:
    """ "Herning Kommune: 77,7 % i 2014/15, 0,9 procentpoint over landsgennemsnittet (76,8 %)."
    for each organization's own series that its country's figures share a period with."""
    by_country: dict[str, list[ReferenceFigure]] = {}
    for figure in figures:
        by_country.setdefault(figure.country, []).append(figure)
    sentences = []
    for in_country in by_country.values():
        series = series_of(in_country)
        countries = tuple(one for one in series if one.scope == ReferenceScope.COUNTRY)
        for own in series:
            if own.scope != ReferenceScope.ORGANIZATION:
                continue
            if sentence := Context(metric, own, countries).sentence:
                sentences.append(
                    _("%(name)s: %(sentence)s") % {"name": own.label, "sentence": sentence}
                )
    return sentences


def _series_of(indicator: Indicator) -> list[Series]:
    """The indicator's owner first, then every other organization that reported values."""
    owner = indicator.organization
    note = _("Indikatoren »%(name)s«") % {"name": indicator.name}
    found = {
        owner.pk: Series(
            owner.name,
            owner.country,
            note,
            indicator=indicator,
            organization_id=owner.pk,
            organization_slug=owner.slug,
        )
    }
    for value in indicator.public_values:
        organization = value.organization
        if organization.pk not in found:
            note = _("Indberettet til %(owner)s") % {"owner": owner.name}
            found[organization.pk] = Series(
                organization.name,
                organization.country,
                note,
                indicator=indicator,
                organization_id=organization.pk,
                organization_slug=organization.slug,
            )
        found[organization.pk].cells[value.period] = Cell(
            value=float(value.value),
            source=value.source,
            entered_at=value.entered_at,
            hidden=indicator.hides(value.value),
            illustrative=value.is_illustrative,
            source_url=value.source_url,
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
