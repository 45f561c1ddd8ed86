"""How goals are measured: indicators with baseline, target and milestones, and yearly values.

On PostgreSQL an indicator also keeps a search vector of its texts and its metric's, which
triggers fill (migrations/0014_search_vectors.py) and no field here maps: a searched text
renamed here needs a migration that replaces its trigger."""

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from goals.models import (
    Archivable,
    ArchiveQuerySet,
    Goal,
    Strategy,
    StrategyStatus,
    VisibleQuerySet,
    publication_field,
)
from indicators.periods import FIRST_YEAR, LAST_YEAR, PeriodKind, after_period, period_label
from indicators.progress import (
    Assessment,
    Combined,
    Coverage,
    Direction,
    Point,
    Reported,
    Status,
    Target,
    assess,
    combine_values,
)
from indicators.wording import STATUS_LABELS, decimals_of, format_quantity, summarize
from municipalities import access
from municipalities.models import (
    AddressField,
    ContentLanguage,
    Country,
    MadeAddress,
    Organization,
    content_language_field,
    source_field,
    source_url_field,
)

MAX_DECIMALS = 4
# Figures about fewer pupils than this are not published (see DOMAIN.md).
PRIVACY_THRESHOLD = 5
PERIOD_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def published_number(value: float | Decimal | None) -> float | None:
    """A number as the API and the open data publish it: a value's Decimal (at most
    MAX_DECIMALS) as the float that prints as it, a computed float (a mean, a progress)
    rounded to MAX_DECIMALS, as the target page's CSV writes it: 22.2222, never
    22.22222222222222, whichever way one reads it."""
    return None if value is None else round(float(value), MAX_DECIMALS)


def period_field(verbose_name, **kwargs):
    kwargs.setdefault("help_text", _("Året; for et skoleår dets første år (2024 for 2024/25)."))
    return models.PositiveSmallIntegerField(verbose_name, validators=PERIOD_VALIDATORS, **kwargs)


MAX_DIGITS = 16
# The largest number a value field holds: 999.999.999.999,9999.
TOO_LARGE = Decimal(10) ** (MAX_DIGITS - MAX_DECIMALS)


def value_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=MAX_DECIMALS, **kwargs
    )


def validate_weight(weight: Decimal) -> None:
    if weight <= 0:
        raise ValidationError(_("Vægten skal være større end 0."), code="weight_positive")
    validate_magnitude(weight)


def validate_magnitude(value: Decimal) -> None:
    """Refuse a number too large to store, with a message a reporter understands, before the
    database's own limit speaks of digits."""
    if abs(value) >= TOO_LARGE:
        raise ValidationError(_("Tallet er for stort."), code="too_large")


def _period_in_range(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (FIRST_YEAR, LAST_YEAR)})


class Measure(models.TextChoices):
    COUNT = "count", _("Antal (hele tal)")
    PERCENT = "percent", _("Procent (0–100)")
    QUANTITY = "quantity", _("Mængde eller forholdstal (fx årselever, m² pr. elev)")


class DirectionChoices(models.TextChoices):
    AT_LEAST = Direction.AT_LEAST.value, _("Mindst (højere er bedre)")
    AT_MOST = Direction.AT_MOST.value, _("Højst (lavere er bedre)")
    RANGE = Direction.RANGE.value, _("Inden for et interval")


class PeriodKindChoices(models.TextChoices):
    CALENDAR_YEAR = PeriodKind.CALENDAR_YEAR.value, _("Kalenderår")
    SCHOOL_YEAR = PeriodKind.SCHOOL_YEAR.value, _("Skoleår")


class Aggregation(models.TextChoices):
    """How an organization's value for a period is found when its schools report."""

    OWN = "own", _("Ejerens egen værdi; andre organisationers værdier vises til sammenligning")
    SUM = "sum", _("Summen af de indberettende organisationers værdier")
    MEAN = "mean", _("Gennemsnittet af de indberettende organisationers værdier")
    WEIGHTED_MEAN = (
        "weighted_mean",
        _("Vægtet gennemsnit af de indberettende organisationers værdier (fx vægtet med elevtal)"),
    )


def decimals_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("decimaler"), default=0, validators=[MaxValueValidator(MAX_DECIMALS)]
    )


def period_kind_field() -> models.CharField:
    """Whether values are reported per calendar year or per school year."""
    return models.CharField(
        _("periode"),
        max_length=15,
        choices=PeriodKindChoices.choices,
        default=PeriodKindChoices.CALENDAR_YEAR,
    )


class MetricQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def shared(self):
        """Measures several organizations use the same way: the ones offered for comparison."""
        return self.filter(owner__isnull=True)

    def in_public_use(self):
        """The metrics that published indicators measure: what the API and the open data
        describe; a metric only drafts use is still its organization's own work."""
        return self.filter(Exists(Indicator.objects.public().filter(metric=OuterRef("pk"))))


class Metric(MadeAddress, models.Model):
    """What is measured and how: the unit, decimals, kind of period and what may be reported.

    A shared metric (no owner) is measured the same way by several organizations, so that
    their indicators can be compared: e.g. the share of a cohort completing an upper-secondary
    education. An organization's own metric defines a measure only it uses, such as HEG's
    årselever. Indicators take their unit, decimals and period kind from here and have none of
    their own, so an indicator can never disagree with its metric."""

    Measure = Measure
    PeriodKind = PeriodKindChoices
    Aggregation = Aggregation
    # A shared metric has no owner: superusers keep those, editors their organization's own.
    organization_path = "owner"
    address_source = "name"

    name = models.CharField(_("navn"), max_length=200)
    slug = AddressField(blank=True, unique=True)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_metrics",
        help_text=_(
            "Tom for en fælles måling, som flere organisationer bruger; ellers den "
            "organisation, der alene måler sådan."
        ),
    )
    definition = models.TextField(_("definition"))
    unit = models.CharField(
        _("enhed"),
        max_length=40,
        help_text=_("Som den skrives efter tallet: årselever, %, m² pr. elev."),
    )
    measure = models.CharField(
        _("slags tal"),
        max_length=10,
        choices=Measure.choices,
        default=Measure.QUANTITY,
        help_text=_("Bestemmer, hvilke værdier der kan indberettes."),
    )
    decimals = decimals_field()
    period_kind = period_kind_field()
    counts_pupils = models.BooleanField(
        _("tæller elever"),
        default=False,
        help_text=_(
            "Tal om få elever må ikke offentliggøres: en værdi under 5 vises som »færre end 5« "
            "og udelades af diagrammer og downloads."
        ),
    )
    aggregation = models.CharField(
        _("samlet værdi"),
        max_length=15,
        choices=Aggregation.choices,
        default=Aggregation.OWN,
        help_text=_(
            "Hvordan ejerens tal for en periode findes, når skolerne indberetter. »Ejerens egen "
            "værdi«: kun det tal, ejeren selv indberetter, tæller; skolernes vises ved siden "
            "af. »Summen«: skolernes godkendte tal lægges sammen, når alle skoler har et tal "
            "for perioden (til antal, fx elever). »Gennemsnit«: skolernes godkendte tal "
            "tæller lige meget, når mindst halvdelen har et tal. »Vægtet gennemsnit«: som "
            "gennemsnit, men hver skoles tal vejer med den vægt, skolen skriver ved tallet, fx "
            "antal elever (til andele). Et tal, ejeren selv indberetter, går altid forud."
        ),
    )
    weight_label = models.CharField(
        _("vægt"),
        max_length=60,
        blank=True,
        help_text=_(
            "Kun for et vægtet gennemsnit: hvad skolerne skriver som vægt ved hvert tal, fx "
            "»antal elever i årgangen«."
        ),
    )
    plausible_change = models.PositiveSmallIntegerField(
        _("største forventede ændring (%)"),
        null=True,
        blank=True,
        default=25,
        help_text=_(
            "Et tal, der ændrer sig mere end så mange procent fra perioden før, skal "
            "indberetteren bekræfte, og det markeres ved gennemgangen. Tomt: ingen kontrol."
        ),
    )
    language = content_language_field()

    objects = MetricQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimals__lte=MAX_DECIMALS), name="metric_decimals_at_most_four"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="metric_measure_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=PeriodKindChoices.values),
                name="metric_period_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(aggregation__in=Aggregation.values), name="metric_aggregation_valid"
            ),
            models.CheckConstraint(
                condition=~Q(measure=Measure.PERCENT, aggregation=Aggregation.SUM),
                name="metric_percentages_not_summed",
                violation_error_message=_("Procentsatser kan ikke lægges sammen."),
            ),
            models.CheckConstraint(
                condition=~Q(aggregation=Aggregation.WEIGHTED_MEAN) | ~Q(weight_label=""),
                name="metric_weighted_mean_names_its_weight",
                violation_error_message=_(
                    "Skriv, hvad tallene vejes med, fx »antal elever i årgangen«."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:comparison", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["municipalities.organization"]

    def address_siblings(self):
        return Metric.objects.all()

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None

    def period_label(self, year: int) -> str:
        return period_label(year, self.period_kind)

    def validate_value(self, value: Decimal) -> None:
        """Raise a ValidationError in Danish when `value` cannot be a value of this measure."""
        if value < 0:
            raise ValidationError(_("Værdien kan ikke være negativ."), code="negative")
        validate_magnitude(value)
        if self.measure == Measure.PERCENT and value > 100:
            raise ValidationError(
                _("En procentsats skal ligge mellem 0 og 100."), code="percent_range"
            )
        if self.measure == Measure.COUNT and value != value.to_integral_value():
            raise ValidationError(_("Et antal skal være et helt tal."), code="not_whole")
        if decimals_of(value) > self.decimals:
            raise ValidationError(
                ngettext(
                    "Værdien må højst have %(decimals)s decimal.",
                    "Værdien må højst have %(decimals)s decimaler.",
                    self.decimals,
                )
                % {"decimals": self.decimals}
                if self.decimals
                else _("Værdien skal være et helt tal."),
                code="too_many_decimals",
            )


class ReferenceFigureQuerySet(models.QuerySet):
    def get_by_natural_key(self, metric_slug, label, period):
        return self.get(metric__slug=metric_slug, label=label, period=period)


class ReferenceScope(models.TextChoices):
    """Whose figure a reference figure is: the figures of one `label` and scope over the
    periods are a context series."""

    COUNTRY = "country", _("Hele landet")
    REGION = "region", _("En region")
    GROUP = "group", _("En gruppe af sammenlignelige kommuner")
    ORGANIZATION = "organization", _("En organisations eget tal")


class ReferenceFigure(models.Model):
    """A published figure to compare with, that no indicator in the portal reports: a national
    average, a region's or a group's, or an organization's own figure from a public source.
    The figures of one label over the periods are a context series, drawn beside an
    organization's own (`indicators/context.py`)."""

    organization_path = "organization"  # a national figure has none: superusers keep those

    Scope = ReferenceScope

    metric = models.ForeignKey(
        Metric,
        verbose_name=_("måling"),
        on_delete=models.CASCADE,
        related_name="reference_figures",
    )
    label = models.CharField(_("hvis tal"), max_length=200, help_text=_("Fx »Hele landet«."))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reference_figures",
        help_text=_("Når tallet er en organisations eget."),
    )
    scope = models.CharField(
        _("slags sammenligning"),
        max_length=12,
        choices=ReferenceScope.choices,
        default=ReferenceScope.COUNTRY,
    )
    country = models.CharField(_("land"), max_length=2, choices=Country.choices)
    period = period_field(_("periode"))
    value = value_field(_("værdi"))
    source = source_field()
    source_url = source_url_field()
    retrieved_on = models.DateField(
        _("hentet"),
        null=True,
        blank=True,
        help_text=_("Den dag, tallet blev hentet fra kilden."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = ReferenceFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("sammenligningstal")
        verbose_name_plural = _("sammenligningstal")
        ordering = ["metric_id", "label", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "label", "period"], name="reference_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(country__in=Country.values), name="reference_figure_country_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=ReferenceScope.values), name="reference_figure_scope_valid"
            ),
            # An organization's own figure names the organization; a country's, a region's or
            # a group's names none.
            models.CheckConstraint(
                condition=Q(scope=ReferenceScope.ORGANIZATION, organization__isnull=False)
                | (~Q(scope=ReferenceScope.ORGANIZATION) & Q(organization__isnull=True)),
                name="reference_figure_organization_with_its_scope",
            ),
        ]

    def __str__(self):
        value = format_quantity(self.value, self.metric.unit, self.metric.decimals)
        return f"{self.label}: {value} ({self.metric.period_label(self.period)})"

    def clean(self):
        super().clean()
        own = self.scope == ReferenceScope.ORGANIZATION
        if own and self.organization_id is None:
            error = ValidationError(
                _("Vælg den organisation, tallet er fra."), code="organization_missing"
            )
        elif not own and self.organization_id is not None:
            error = ValidationError(
                _("Kun en organisations eget tal har en organisation."),
                code="organization_not_allowed",
            )
        else:
            return
        raise ValidationError({"organization": error})

    def natural_key(self):
        return (*self.metric.natural_key(), self.label, self.period)

    natural_key.dependencies = ["indicators.metric", "municipalities.organization"]


def _read_from(related: str, attribute: str) -> property:
    """A read-only attribute that is the related object's own, never a copy of it."""
    return property(lambda obj: getattr(getattr(obj, related), attribute))


class IndicatorQuerySet(ArchiveQuerySet, VisibleQuerySet):
    def get_by_natural_key(self, organization_slug, slug):
        return self.get(organization__slug=organization_slug, slug=slug)

    def published_condition(self) -> Q:
        """Indicators that a published target is set on: a series nobody has published a goal
        for is still the organization's own work."""
        return Q(Exists(GoalTarget.objects.public().filter(indicator=OuterRef("pk"))))

    def with_series(self):
        """Everything `Indicator.series` reads, in a fixed number of queries."""
        return self.select_related("organization", "metric").prefetch_related(
            _approved_values("values"), "reporting_organizations"
        )

    def with_series_only(self):
        """What `Indicator.series` is combined from and nothing more, for assessing many
        series at once: with each value's organization made too, as the pages show it,
        assessing the whole country takes twice the time."""
        return self.select_related("metric").prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.approved().only(
                    "indicator", "organization", "period", "value", "weight"
                ),
                to_attr="approved_values",
            ),
            "reporting_organizations",
        )


def _approved_values(lookup: str) -> Prefetch:
    return Prefetch(
        lookup,
        queryset=IndicatorValue.objects.approved()
        .select_related("organization")
        .order_by("period", "organization_id"),
        to_attr="approved_values",
    )


class Indicator(Archivable, MadeAddress, models.Model):
    """One organization's time series of a metric: HEG's årselever year by year. It outlives
    the strategy that first asked for it; goals of any number of strategies set targets on it
    (`GoalTarget`), and its yearly values hang here and nowhere else."""

    organization_path = "organization"
    address_source = "name"

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    metric = models.ForeignKey(
        Metric,
        verbose_name=_("måling"),
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_(
            "Hvad der måles, i hvilken enhed og periode. Vælg en fælles måling, hvis andre "
            "organisationer måler det samme, så kan I sammenlignes."
        ),
    )
    slug = AddressField(blank=True)
    name = models.CharField(_("navn"), max_length=200)
    definition = models.TextField(
        _("definition"), blank=True, help_text=_("Kun hvis den afviger fra målingens.")
    )
    data_source = models.TextField(_("datakilde"), blank=True)
    reporting_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("indberettes af"),
        blank=True,
        related_name="reported_indicators",
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[reporting_organizations])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["organization_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="indicator_slug_unique_per_organization"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:series", args=[self.organization.slug, self.slug])

    def natural_key(self):
        return (*self.organization.natural_key(), self.slug)

    natural_key.dependencies = ["municipalities.organization", "indicators.metric"]

    def address_siblings(self):
        return Indicator.objects.filter(organization_id=self.organization_id)

    def clean(self):
        if (
            self.metric_id
            and self.organization_id
            and self.metric.owner_id not in (None, self.organization_id)
        ):
            raise ValidationError(
                {"metric": _("Vælg en fælles måling eller en af organisationens egne.")}
            )

    # The definition of what is measured is the metric's; the indicator has no copy of it.
    unit = _read_from("metric", "unit")
    decimals = _read_from("metric", "decimals")
    period_kind = _read_from("metric", "period_kind")
    measure = _read_from("metric", "measure")
    counts_pupils = _read_from("metric", "counts_pupils")
    aggregation = _read_from("metric", "aggregation")

    @property
    def description(self) -> str:
        return self.definition or self.metric.definition

    def period_label(self, year: int) -> str:
        return self.metric.period_label(year)

    def validate_value(self, value: Decimal) -> None:
        self.metric.validate_value(value)

    def needs_weight_from(self, organization_id: int | None) -> bool:
        """A school's value of a weighted mean counts only with its weight; the owner's own
        value is the owner's number as it is."""
        return (
            self.aggregation == Aggregation.WEIGHTED_MEAN
            and organization_id != self.organization_id
        )

    def hides(self, value: float | Decimal | None) -> bool:
        """Whether `value` may not be published: a count of fewer than five pupils."""
        return self.counts_pupils and value is not None and value < PRIVACY_THRESHOLD

    @cached_property
    def public_values(self) -> list["IndicatorValue"]:
        """Approved values, the only ones that are public and count; prefetched by
        `with_series()`, else read in one query."""
        if hasattr(self, "approved_values"):
            return self.approved_values
        return list(self.values.approved().select_related("organization").order_by("period", "pk"))

    @cached_property
    def _combined(self) -> Combined:
        aggregation = self.aggregation
        return combine_values(
            (
                Reported(
                    organization=value.organization_id,
                    period=value.period,
                    value=float(value.value),
                    weight=_as_float(value.weight),
                )
                for value in self.public_values
            ),
            owner=self.organization_id,
            # Only a derived value needs the reporters; an owner's own series reads none.
            reporters=[]
            if aggregation == Aggregation.OWN
            else [organization.pk for organization in self._reporting_others],
            aggregation=aggregation,
        )

    @property
    def series(self) -> list[Point]:
        """The organization's own value per period, or where it has none, the value derived
        from its reporting organizations' values by the metric's aggregation."""
        return list(self._combined.points)

    @property
    def coverage(self) -> Mapping[int, Coverage]:
        """For each period whose value is derived: how many of the reporting organizations
        (other than the owner) it was computed from."""
        return self._combined.coverage

    @property
    def reported_by_schools(self) -> bool:
        """Whether every organization that reports to the owner is a school, so that a page
        can say "9 af 13 skoler" rather than "organisationer"."""
        reporters = self._reporting_others
        return bool(reporters) and all(
            organization.kind == Organization.Kind.INSTITUTION for organization in reporters
        )

    @cached_property
    def _reporting_others(self) -> list[Organization]:
        """The reporting organizations other than the owner; prefetched by `with_series()`."""
        return [
            organization
            for organization in self.reporting_organizations.all()
            if organization.pk != self.organization_id
        ]

    @property
    def uses_illustrative_values(self) -> bool:
        return any(value.is_illustrative for value in self.public_values)


class GoalTargetQuerySet(ArchiveQuerySet, VisibleQuerySet):
    def get_by_natural_key(self, owner_slug, strategy_slug, goal_slug, indicator_slug):
        return self.get(
            goal__strategy__owner__slug=owner_slug,
            goal__strategy__slug=strategy_slug,
            goal__slug=goal_slug,
            indicator__slug=indicator_slug,
            indicator__organization__slug=owner_slug,
        )

    def published_condition(self) -> Q:
        """Targets published themselves, of published goals of published strategies."""
        return Q(
            goal__strategy__status=StrategyStatus.PUBLISHED,
            goal__status=StrategyStatus.PUBLISHED,
            status=StrategyStatus.PUBLISHED,
        )

    def with_progress(self):
        """Everything `GoalTarget.assessment` reads, in a fixed number of queries."""
        return self.select_related(
            "goal__strategy__owner",
            "goal__strategy__successor",
            "indicator__metric",
            "indicator__organization",
        ).prefetch_related(
            _approved_values("indicator__values"),
            "indicator__reporting_organizations",
            "milestones",
        )


class GoalTarget(Archivable, models.Model):
    """What one goal aims for on one indicator: "at least 1,800 årselever in 2028". The same
    indicator can carry targets of several goals and strategies (Strategi 2028, then Strategi
    2032); the progress rules assess a target, against the indicator's values."""

    Direction = DirectionChoices
    organization_path = "goal__strategy__owner"

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="targets"
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    direction = models.CharField(_("retning"), max_length=10, choices=DirectionChoices.choices)
    baseline_period = period_field(_("udgangspunktets periode"), null=True, blank=True)
    baseline_value = value_field(_("udgangspunkt"), null=True, blank=True)
    target_period = period_field(
        _("målets periode"),
        null=True,
        blank=True,
        help_text=_("Tomt, når dokumentet ikke sætter en frist."),
    )
    target_value = value_field(
        _("målværdi"),
        null=True,
        blank=True,
        help_text=_(
            "For et interval: den nedre grænse. Kan kun udelades, når målet alene er en "
            "angivet årlig vækst."
        ),
    )
    target_value_max = value_field(
        _("øvre grænse"), null=True, blank=True, help_text=_("Kun for et interval.")
    )
    stated_annual_growth = models.DecimalField(
        _("angivet årlig vækst (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Den vækst, dokumentet selv nævner, fx 5 procent om året i gennemsnit."),
    )
    status = publication_field()

    objects = GoalTargetQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["order"])

    class Meta:
        verbose_name = _("målsætning")
        verbose_name_plural = _("målsætninger")
        ordering = ["goal_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "indicator"],
                name="goal_target_one_per_goal_and_indicator",
                violation_error_message=_("Målet har allerede en målsætning for indikatoren."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=DirectionChoices.values),
                name="goal_target_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=StrategyStatus.values), name="goal_target_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(baseline_period__isnull=True, baseline_value__isnull=True)
                | Q(baseline_period__isnull=False, baseline_value__isnull=False),
                name="goal_target_baseline_complete",
                violation_error_message=_("Udgangspunktet skal have både en periode og en værdi."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_period__isnull=True)
                | Q(target_period__isnull=True)
                | Q(target_period__gt=F("baseline_period")),
                name="goal_target_after_baseline",
                violation_error_message=_("Målets periode skal ligge efter udgangspunktets."),
            ),
            models.CheckConstraint(
                condition=_period_in_range("baseline_period") & _period_in_range("target_period"),
                name="goal_target_periods_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    direction=DirectionChoices.RANGE,
                    target_value__isnull=False,
                    target_value_max__isnull=False,
                    target_value_max__gte=F("target_value"),
                )
                | Q(~Q(direction=DirectionChoices.RANGE), target_value_max__isnull=True),
                name="goal_target_range_has_upper_bound",
                violation_error_message=_(
                    "Et interval skal have en øvre grænse, der ikke er under den nedre; "
                    "andre mål må ikke have en."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=False) | Q(stated_annual_growth__isnull=False),
                name="goal_target_has_a_value_or_growth",
                violation_error_message=_("Angiv en målværdi eller en årlig vækst."),
            ),
            models.CheckConstraint(
                condition=(Q(target_value__isnull=True) | Q(target_value__gte=0))
                & (Q(baseline_value__isnull=True) | Q(baseline_value__gte=0)),
                name="goal_target_values_not_negative",
                violation_error_message=_("Værdier kan ikke være negative."),
            ),
            models.CheckConstraint(
                condition=Q(stated_annual_growth__isnull=True) | Q(stated_annual_growth__gt=-100),
                name="goal_target_growth_above_minus_100",
            ),
        ]

    def __str__(self):
        indicator = access.related_as_it_was(self, "indicator")
        return f"{indicator}: {access.related_as_it_was(self, 'goal')}"

    def get_absolute_url(self):
        strategy = self.goal.strategy
        return reverse(
            "portal:indicator",
            args=[strategy.owner.slug, strategy.slug, self.goal.slug, self.indicator.slug],
        )

    def natural_key(self):
        return (*self.goal.natural_key(), self.indicator.slug)

    natural_key.dependencies = ["goals.goal", "indicators.indicator"]

    def clean(self):
        if (
            self.goal_id
            and self.indicator_id
            and self.indicator.organization_id != self.goal.strategy.owner_id
        ):
            raise ValidationError(
                {"indicator": _("Vælg en af strategiens egen organisations indikatorer.")}
            )
        if not self.indicator_id:
            return
        errors = {}
        for field in ("baseline_value", "target_value", "target_value_max"):
            value = getattr(self, field)
            if value is not None:
                try:
                    self.indicator.validate_value(value)
                except ValidationError as error:
                    errors[field] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        """`GoalTargetQuerySet.public` for a target already read."""
        return (
            self.status == StrategyStatus.PUBLISHED
            and self.goal.status == StrategyStatus.PUBLISHED
            and self.goal.strategy.is_published
        )

    @property
    def is_hidden_from_public(self) -> bool:
        return not self.is_public

    def is_visible_to(self, user) -> bool:
        """`GoalTargetQuerySet.visible_to` for a target already read."""
        return self.is_public or access.can_edit(user, self.goal.strategy.owner_id)

    @property
    def is_draft(self) -> bool:
        return self.status == StrategyStatus.DRAFT

    @property
    def in_archive(self) -> bool:
        """Archived itself, or with its goal or strategy: history, not asked about anew."""
        goal = self.goal
        return self.is_archived or goal.is_archived or goal.strategy.is_archived

    # What the indicator measures, so that templates and wording need only the target.
    name = _read_from("indicator", "name")
    unit = _read_from("indicator", "unit")
    decimals = _read_from("indicator", "decimals")
    period_kind = _read_from("indicator", "period_kind")
    counts_pupils = _read_from("indicator", "counts_pupils")

    def period_label(self, year: int) -> str:
        return self.indicator.period_label(year)

    def hides(self, value: float | Decimal | None) -> bool:
        return self.indicator.hides(value)

    @property
    def progress_target(self) -> Target:
        """The target as the progress rules take it."""
        return self.progress_target_of(self)

    def progress_target_as_of(self, period: int, records) -> Target:
        """The target as it stood, published, when `period` ended (`after_period`): that of
        the last published record among `records` (this target's historical records, oldest
        first) dated before then, or the target as it is now when there is none (it was
        published later, or its history was never recorded). A draft's figures were never
        public, so they never judged anything."""
        moment = after_period(period, self.period_kind)
        published = [
            record
            for record in records
            if record.status == StrategyStatus.PUBLISHED and record.history_date < moment
        ]
        return self.progress_target_of(published[-1] if published else self)

    def progress_target_of(self, record) -> Target:
        """The target as the progress rules take it, with the aim and the baseline of `record`,
        this target or one of its historical records; the milestones are always today's."""
        return _target_of(
            record,
            baseline=(
                None
                if record.baseline_period is None
                else Point(record.baseline_period, float(record.baseline_value))
            ),
            milestones=tuple(
                Point(milestone.period, float(milestone.value))
                for milestone in self.milestones.all()
            ),
            decimals=self.decimals,
        )

    @property
    def last_assessed_period(self) -> int | None:
        """A strategy that a newer version has replaced is judged on the values of its own
        years: Strategi 2028's verdict does not change with the values of 2031."""
        strategy = self.goal.strategy
        if strategy.succeeded_by is None:
            return None
        return strategy.end_year

    @cached_property
    def assessment(self) -> Assessment:
        return self.assessment_as_of(self.last_assessed_period)

    def assessment_as_of(self, period: int | None, *, against: Target | None = None) -> Assessment:
        """The assessment as it stood when `period` was the latest period with values: what a
        status report for that year said, whatever came in later. None: every value. The
        values are judged `against` the target as it stood then (`progress_target_as_of`),
        when given, else against the target as it is now."""
        until = self.last_assessed_period
        if period is not None:
            until = period if until is None else min(until, period)
        series = self.indicator.series
        if until is not None:
            series = [point for point in series if point.period <= until]
        return assess(against or self.progress_target, series)

    @property
    def summary(self) -> str:
        """The assessment in plain sentences in the active language."""
        return self.summary_of(self.assessment)

    def summary_of(self, assessment: Assessment) -> str:
        """An assessment of this target (`assessment_as_of`) in plain sentences in the
        active language, the way the target's page words it."""
        return summarize(
            assessment,
            unit=self.unit,
            decimals=self.decimals,
            period_kind=self.period_kind,
            hide_below=PRIVACY_THRESHOLD if self.counts_pupils else None,
        )

    @property
    def hides_latest(self) -> bool:
        latest = self.assessment.latest
        return latest is not None and self.hides(latest.value)

    @property
    def uses_illustrative_values(self) -> bool:
        return self.indicator.uses_illustrative_values

    @property
    def aim(self) -> Target:
        """What the target aims for (direction, value or range, period, stated growth): what a
        published target's change is a change of."""
        return _target_of(self)

    def target_changes(self) -> list["TargetChange"]:
        """Every change of the published target (direction, value or period) with its date
        and the reason its editor gave, oldest first; the public indicator page lists them
        (one query). What was changed while the target was a draft was never public."""
        return target_changes_in(self.history.order_by("history_date", "history_id"))


def target_changes_in(records) -> list["TargetChange"]:
    """The changes of a published target among its historical records (oldest first), as
    `GoalTarget.target_changes` lists them; for reading the history of many targets at once."""
    published = [record for record in records if record.status == StrategyStatus.PUBLISHED]
    return [
        TargetChange(
            when=after.history_date,
            before=_target_of(before),
            after=_target_of(after),
            reason=after.history_change_reason or "",
        )
        for before, after in itertools.pairwise(published)
        if _target_of(before) != _target_of(after)
    ]


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _target_of(target, **extra) -> Target:
    """The target fields of a goal target or of one of its historical records."""
    return Target(
        direction=Direction(target.direction),
        value=_as_float(target.target_value),
        upper=_as_float(target.target_value_max),
        period=target.target_period,
        stated_growth=_as_float(target.stated_annual_growth),
        **extra,
    )


@dataclass(frozen=True)
class TargetChange:
    when: datetime
    before: Target
    after: Target
    reason: str = ""


class MilestoneQuerySet(models.QuerySet):
    def get_by_natural_key(self, owner_slug, strategy_slug, goal_slug, indicator_slug, period):
        return self.get(
            target=GoalTarget.objects.get_by_natural_key(
                owner_slug, strategy_slug, goal_slug, indicator_slug
            ),
            period=period,
        )


class Milestone(models.Model):
    """An intermediate target on the way, e.g. a value the organization promises for 2026."""

    organization_path = "target__goal__strategy__owner"

    target = models.ForeignKey(
        GoalTarget,
        verbose_name=_("målsætning"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    period = period_field(_("periode"))
    value = value_field(_("delmål"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["target_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="milestone_unique"),
        ]

    def __str__(self):
        target = access.related_as_it_was(self, "target")
        value = format_quantity(self.value, target.unit, target.decimals)
        indicator = access.related_as_it_was(target, "indicator")
        return f"{indicator}: {value} ({target.period_label(self.period)})"

    def natural_key(self):
        return (*self.target.natural_key(), self.period)

    natural_key.dependencies = ["indicators.goaltarget"]

    def clean(self):
        if self.target_id is None:
            return
        target = self.target
        if self.value is not None:
            try:
                target.indicator.validate_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
        if self.period is None:
            return
        if target.baseline_period is not None and self.period <= target.baseline_period:
            raise ValidationError({"period": _("Et delmål skal ligge efter udgangspunktet.")})
        if target.target_period is not None and self.period >= target.target_period:
            raise ValidationError({"period": _("Et delmål skal ligge før målets periode.")})


class TargetAssessment(models.Model):
    """What the progress rules say of a goal target, kept for the pages that need it for many
    targets at once: the strategy list with its statuses and its filter by status, the
    roll-ups and the staff workspace. Assessing every target on each request took 20 s at the
    scale of two countries, so the assessment is computed when its inputs change and stored
    (a one-to-one row rather than fields on the target: it is derived, has no history and is
    never edited, and writing it locks no row an editor is saving).

    It is `GoalTarget.assessment` as of `assessed_at`, written only by
    `services.refresh_assessments` in the transaction of the change that made it stale (see
    `indicators/signals.py` for the changes). The numbers are the floats `assess()` returned,
    so the stored figure is the computed one exactly. A target's own page still assesses
    from the values, as it draws the whole path."""

    target = models.OneToOneField(
        GoalTarget,
        verbose_name=_("målsætning"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_assessment",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(status.value, STATUS_LABELS[status]) for status in Status],
    )
    progress = models.FloatField(_("fremdrift (%)"), null=True, blank=True)
    expected = models.FloatField(_("forventet værdi i den seneste periode"), null=True, blank=True)
    latest_period = models.PositiveSmallIntegerField(_("seneste periode"), null=True, blank=True)
    latest_value = models.FloatField(_("seneste værdi"), null=True, blank=True)
    deadline_passed = models.BooleanField(_("målets periode er nået"))
    # A `PathShape`; empty when there is no forecast (fewer than two values).
    forecast_shape = models.CharField(_("prognosens form"), max_length=10, blank=True)
    forecast_pace = models.FloatField(_("prognosens tempo"), null=True, blank=True)
    forecast_period = models.PositiveSmallIntegerField(
        _("prognosens periode"), null=True, blank=True
    )
    forecast_on_time = models.BooleanField(_("prognosen når målet i tide"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("vurderet"))

    class Meta:
        verbose_name = _("gemt vurdering")
        verbose_name_plural = _("gemte vurderinger")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in Status]),
                name="target_assessment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.target_id}: {self.status}"

    @property
    def withholds_latest(self) -> bool:
        """The latest value counts fewer than five pupils: the target page says so instead of
        the number, and no published figure may tell it either."""
        return self.target.hides(self.latest_value)

    def published(self) -> dict:
        """The verdict as the API and the open data publish it, the target page's own way:
        numbers as `published_number` writes them, and a withheld latest value null together
        with what it can be computed back from, the progress (baseline to target) and the
        forecast's pace (first value to latest). The forecast's period stays: the page says
        it too, and a period tells only a range. `self.target` is read, so select it with
        its indicator's metric."""
        withheld = self.withholds_latest
        latest_period = self.latest_period
        return {
            "status": self.status,
            "progress": None if withheld else published_number(self.progress),
            "expected": published_number(self.expected),
            "latest_period": latest_period,
            "latest_period_label": (
                None if latest_period is None else self.target.period_label(latest_period)
            ),
            "latest_value": None if withheld else published_number(self.latest_value),
            "latest_value_suppressed": withheld,
            "deadline_passed": self.deadline_passed,
            "forecast_shape": self.forecast_shape or None,
            "forecast_pace": None if withheld else published_number(self.forecast_pace),
            "forecast_period": self.forecast_period,
            "forecast_on_time": self.forecast_on_time,
            "assessed_at": self.assessed_at,
        }

    @classmethod
    def of(cls, target: GoalTarget, *, at: datetime) -> "TargetAssessment":
        """`target.assessment`, as it is stored."""
        assessment = target.assessment
        latest, forecast = assessment.latest, assessment.forecast
        return cls(
            target=target,
            status=assessment.status,
            progress=assessment.progress,
            expected=assessment.expected,
            latest_period=None if latest is None else latest.period,
            latest_value=None if latest is None else latest.value,
            deadline_passed=assessment.deadline_passed,
            forecast_shape="" if forecast is None else forecast.shape,
            forecast_pace=None if forecast is None else forecast.pace,
            forecast_period=None if forecast is None else forecast.period,
            forecast_on_time=None if forecast is None else forecast.on_time,
            assessed_at=at,
        )


class IndicatorValueQuerySet(models.QuerySet):
    def get_by_natural_key(self, owner_slug, indicator_slug, period, organization_slug):
        return self.get(
            indicator__organization__slug=owner_slug,
            indicator__slug=indicator_slug,
            period=period,
            organization__slug=organization_slug,
        )

    def approved(self):
        return self.filter(status=ValueStatus.APPROVED)

    def public(self):
        """The approved values of published indicators: every value a visitor can read
        somewhere on the portal."""
        return self.approved().filter(
            Exists(Indicator.objects.public().filter(pk=OuterRef("indicator_id")))
        )

    def visible_to(self, user):
        """Approved values only, for everyone: an editor previews a draft goal or target with
        the values the public will see, and reviews the rest in the admin. Which series a
        visitor may see at all is the indicator's rule."""
        return self.approved()

    def awaiting_review_by(self, user):
        """Submitted values of indicators whose organization `user` edits."""
        submitted = self.filter(status=ValueStatus.SUBMITTED, indicator__archived_at=None)
        return access.editor_scope(user).filter(submitted, IndicatorValue.organization_path)


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Indsendt")
    APPROVED = "approved", _("Godkendt")
    REJECTED = "rejected", _("Afvist")


class IndicatorValue(models.Model):
    """One organization's value of an indicator for one period."""

    Status = ValueStatus
    # Editors of the indicator's owner review a value; its organization's reporters enter it.
    organization_path = "indicator__organization"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("indberettet af"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    period = period_field(_("periode"))
    value = value_field(_("værdi"))
    weight = value_field(
        _("vægt"),
        null=True,
        blank=True,
        help_text=_(
            "Kun når målingen er et vægtet gennemsnit: det, tallet vejer med, fx antal elever."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    source = source_field()
    source_url = source_url_field()
    is_illustrative = models.BooleanField(
        _("illustrativ"),
        default=False,
        help_text=_("Et eksempeltal til demonstration, ikke et virkeligt tal."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("indtastet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("indtastet"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gennemgået af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("gennemgået"), null=True, blank=True)
    rejection_reason = models.TextField(_("begrundelse for afvisning"), blank=True)
    revision = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Tælles op ved hver ændring, så to samtidige ændringer ikke overskriver hinanden."
        ),
    )

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("værdi")
        verbose_name_plural = _("værdier")
        ordering = ["indicator_id", "period", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "organization"],
                name="indicator_value_one_per_period_and_organization",
                violation_error_message=_(
                    "Der findes allerede en værdi for denne periode og organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ValueStatus.values), name="indicator_value_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("Værdien kan ikke være negativ."),
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gt=0),
                name="indicator_value_weight_positive",
                violation_error_message=_("Vægten skal være større end 0."),
            ),
            models.CheckConstraint(
                condition=_period_in_range("period"), name="indicator_value_period_in_range"
            ),
        ]

    def __str__(self):
        # Named as it was when its indicator is deleted: its history page still lists it.
        indicator = access.related_as_it_was(self, "indicator")
        value = format_quantity(self.value, indicator.unit, indicator.decimals)
        return f"{indicator}: {value} ({self.period_label})"

    def natural_key(self):
        return (*self.indicator.natural_key(), self.period, self.organization.slug)

    natural_key.dependencies = ["indicators.indicator", "municipalities.organization"]

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period)

    def clean(self):
        if self.indicator_id is None:
            return
        if self.value is not None:
            try:
                self.indicator.validate_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
        if self.weight is None and self.needs_weight:
            raise ValidationError(
                {
                    "weight": _("Skriv tallets vægt: %(weight)s.")
                    % {"weight": self.indicator.metric.weight_label}
                }
            )

    @property
    def needs_weight(self) -> bool:
        return self.indicator.needs_weight_from(self.organization_id)


class ReportingRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_closed=False)

    def open_for_editor(self, user):
        """Open rounds of the organizations `user` edits: the rounds whose overview they see."""
        return access.editor_scope(user).filter(self.open(), ReportingRound.organization_path)


class ReportingRound(models.Model):
    """An editor's call for the values of one period, with a deadline.

    The rule for what a round asks for is kept simple: every indicator owned by the round's
    organization or by an organization below it (a municipality's own indicators and its
    schools'), from every organization that reports that indicator."""

    organization_path = "organization"

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
        help_text=_("Runden omfatter organisationens indikatorer og dem under den."),
    )
    period = period_field(_("periode"))
    deadline = models.DateField(_("frist"))
    title = models.CharField(_("titel"), max_length=200, blank=True)
    note = models.TextField(
        _("besked til indberetterne"), blank=True, help_text=_("Vises på indberetningssiden.")
    )
    is_closed = models.BooleanField(
        _("lukket"), default=False, help_text=_("En lukket runde vises ikke længere.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("indberetningsrunde")
        verbose_name_plural = _("indberetningsrunder")
        ordering = ["-period", "organization_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"],
                name="reporting_round_one_per_period_and_organization",
                violation_error_message=_(
                    "Organisationen har allerede en indberetningsrunde for denne periode."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period__range=(FIRST_YEAR, LAST_YEAR)),
                name="reporting_round_period_in_range",
            ),
        ]

    def __str__(self):
        return self.title or _("Indberetning for %(period)s") % {"period": self.period}

    def get_absolute_url(self):
        return reverse("reporting:round", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.deadline < timezone.localdate()


class ReminderSent(models.Model):
    """A reminder of a round sent to one person, so that the daily run never sends it twice.
    `days` is the reminder's place in the schedule: days after the deadline, negative before
    it."""

    organization_path = "reporting_round__organization"

    reporting_round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("indberetningsrunde"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modtager"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    days = models.SmallIntegerField(_("dage efter fristen"))
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        verbose_name = _("sendt påmindelse")
        verbose_name_plural = _("sendte påmindelser")
        ordering = ["reporting_round_id", "days", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_round", "user", "days"], name="reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.reporting_round}: {self.user} ({self.days:+d})"


class ValueUpload(models.Model):
    """A spreadsheet of values uploaded by an editor: checked and shown as a preview first,
    then applied all at once. The checked rows are kept, so what is applied is exactly what
    the preview showed."""

    organization_path = "reporting_round__organization"

    reporting_round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("indberetningsrunde"),
        on_delete=models.CASCADE,
        related_name="uploads",
    )
    filename = models.CharField(_("filnavn"), max_length=255)
    rows = models.JSONField(_("rækker"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploadet af"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploadet"), default=timezone.now)
    applied_at = models.DateTimeField(_("gemt"), null=True, blank=True)

    class Meta:
        verbose_name = _("upload af tal")
        verbose_name_plural = _("uploads af tal")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.filename


class StatisticsService(models.TextChoices):
    STATBANK = "statbank", _("Danmarks Statistik (Statistikbanken)")
    KOLADA = "kolada", _("Kolada")


STATBANK_TABLE = RegexValidator(
    r"^[A-Za-z0-9]{2,20}$", _("Et tabelnavn fra Statistikbanken, fx FOLK1A.")
)
KOLADA_KPI = RegexValidator(r"^[A-Z]\d{5}$", _("Et nøgletal fra Kolada, fx N15033."))
# The variables of a table that the link fills in itself: the area and the time.
STATBANK_TIME_VARIABLE = "Tid"


class StatisticsLink(models.Model):
    """Where an indicator's values are published by a public statistics service: a table in
    Statistics Denmark's Statistikbank, or a Kolada key figure. The importer fetches the
    values of the indicator's reporting organizations by their municipality code (or one
    Kolada organizational unit), and enters them for review like a reporter's
    (`indicators.statistics.imports`)."""

    Service = StatisticsService
    organization_path = "indicator__organization"

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="statistics_link",
    )
    service = models.CharField(_("statistik"), max_length=10, choices=StatisticsService.choices)
    table = models.CharField(
        _("tabel eller nøgletal"),
        max_length=20,
        help_text=_("Statistikbankens tabel (fx FOLK1A) eller Koladas nøgletal (fx N15033)."),
    )
    area_variable = models.CharField(
        _("områdevariabel"),
        max_length=40,
        blank=True,
        default="OMRÅDE",
        help_text=_(
            "Kun Statistikbanken: tabellens variabel for kommunen, som "
            "kommunekoden vælges i, fx OMRÅDE."
        ),
    )
    variables = models.JSONField(
        _("øvrige variable"),
        default=dict,
        blank=True,
        help_text=_(
            "Kun Statistikbanken: én værdi for hver af tabellens andre variable end område og "
            'tid, fx {"KØN": ["TOT"], "ALDER": ["IALT"]}.'
        ),
    )
    kolada_ou = models.CharField(
        _("Kolada-enhed"),
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^V\w+$", _("En enhed i Kolada, fx V15E144001301."))],
        help_text=_(
            "Kun Kolada: en enheds id (fx en skole) for enhedens tal. Tom: tallene for "
            "de indberettende organisationers kommunekoder."
        ),
    )
    scale = models.DecimalField(
        _("gange med"),
        max_digits=12,
        decimal_places=6,
        default=Decimal(1),
        help_text=_("Fx 100, når statistikken giver en andel (0,934) og målingen procent."),
    )
    last_fetched_at = models.DateTimeField(_("sidst hentet"), null=True, blank=True)
    last_result = models.TextField(_("resultat"), blank=True)

    class Meta:
        verbose_name = _("kobling til offentlig statistik")
        verbose_name_plural = _("koblinger til offentlig statistik")
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=StatisticsService.values),
                name="statistics_link_service_valid",
            ),
            models.CheckConstraint(condition=~Q(table=""), name="statistics_link_table_required"),
            models.CheckConstraint(
                condition=Q(scale__gt=0),
                name="statistics_link_scale_positive",
                violation_error_message=_("Tallet, der ganges med, skal være større end 0."),
            ),
            models.CheckConstraint(
                condition=Q(service=StatisticsService.KOLADA) | ~Q(area_variable=""),
                name="statistics_link_statbank_has_area",
                violation_error_message=_("Skriv tabellens områdevariabel, fx OMRÅDE."),
            ),
            models.CheckConstraint(
                condition=Q(service=StatisticsService.KOLADA) | Q(kolada_ou=""),
                name="statistics_link_ou_only_kolada",
                violation_error_message=_("En Kolada-enhed hører kun til et nøgletal i Kolada."),
            ),
        ]

    def __str__(self):
        return self.source

    @property
    def source(self) -> str:
        """The citation every imported value carries: stored with the value, so in the
        publisher's own words, not in the reader's language."""
        if self.service == StatisticsService.STATBANK:
            return f"Danmarks Statistik, tabel {self.table}"
        return f"Kolada, {self.table}"

    def clean(self):
        if self.service not in StatisticsService.values:
            return  # refused by the field itself
        validator = STATBANK_TABLE if self.service == StatisticsService.STATBANK else KOLADA_KPI
        try:
            validator(self.table)
        except ValidationError as error:
            raise ValidationError({"table": error.messages}) from error
        if self.service == StatisticsService.KOLADA:
            if self.variables:
                raise ValidationError(
                    {"variables": _("Kolada har ingen variable at vælge; lad feltet være tomt.")}
                )
            return
        problem = statbank_selection_problem(self.variables, self.area_variable)
        if problem:
            raise ValidationError({"variables": problem})


def statbank_selection_problem(variables, area_variable: str) -> str | None:
    """Why `variables` is no selection of a Statistikbank table's other variables, or None:
    each code maps to a list of one value, so that each area and period has one number."""
    if not isinstance(variables, dict):
        return _('Skriv variablene som {"KODE": ["værdi"]}.')
    for code, values in variables.items():
        if code.casefold() in {area_variable.casefold(), STATBANK_TIME_VARIABLE.casefold()}:
            return _("Område og tid vælges af portalen selv; fjern %(code)s.") % {"code": code}
        if (
            not isinstance(values, list)
            or len(values) != 1
            or not isinstance(values[0], str)
            or not values[0]
        ):
            return _("Vælg netop én værdi for %(code)s, så hvert område og år har ét tal.") % {
                "code": code
            }
    return None


class UpdateKind(models.TextChoices):
    VALUE_APPROVED = "value_approved", _("Nyt godkendt tal")
    VERDICT_CHANGED = "verdict_changed", _("Ny vurdering")
    TARGET_CHANGED = "target_changed", _("Målet ændret")


class UpdateQuerySet(models.QuerySet):
    def public(self):
        """What a citizen may read of the log, by the pages' own rules at the time of reading:
        the target published (with its goal and strategy), and a value's event only while the
        value is still approved. A value approved while a target was a draft shows once it is
        published; a verdict's or a target's change is recorded only while the public reads
        the target (`updates`)."""
        return self.filter(
            Exists(GoalTarget.objects.public().filter(pk=OuterRef("target_id"))),
            Q(value__isnull=True) | Q(value__status=ValueStatus.APPROVED),
        )

    def for_feed(self):
        """Newest first, with everything an entry is written from, in one query."""
        return self.select_related(
            "target__indicator__metric",
            "target__indicator__organization",
            "target__goal__strategy__owner",
            "value__organization",
        ).order_by("-occurred_at", "-pk")


class Update(models.Model):
    """Something a citizen following an organization, strategy or goal is told about: a new
    approved value of a target's indicator, a changed verdict, a changed target. Written in
    the transaction of the change (`indicators.updates`), one row per target it concerns; the
    organization, strategy and goal are copied onto the row so that a feed is one indexed
    query. Whether it may be read is decided when it is read (`UpdateQuerySet.public`)."""

    Kind = UpdateKind
    organization_path = "organization"

    kind = models.CharField(_("slags"), max_length=20, choices=UpdateKind.choices)
    occurred_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    target = models.ForeignKey(
        GoalTarget, verbose_name=_("målsætning"), on_delete=models.CASCADE, related_name="updates"
    )
    value = models.ForeignKey(
        IndicatorValue,
        verbose_name=_("værdi"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="+"
    )
    # The period, the verdict before and after ("old"/"new" as `Status` values), or the
    # target before and after ("old"/"new" as `Target` fields) with the editor's reason.
    payload = models.JSONField(_("indhold"), default=dict, blank=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("opdatering")
        verbose_name_plural = _("opdateringer")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="update_organization_time"),
            models.Index(fields=["strategy", "-occurred_at"], name="update_strategy_time"),
            models.Index(fields=["goal", "-occurred_at"], name="update_goal_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UpdateKind.values), name="update_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=UpdateKind.VALUE_APPROVED, value__isnull=False)
                | (~Q(kind=UpdateKind.VALUE_APPROVED) & Q(value__isnull=True)),
                name="update_value_only_for_values",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_id} ({self.occurred_at:%Y-%m-%d})"


FOLLOWED = ("organization", "strategy", "goal")


class Subscription(models.Model):
    """A citizen's e-mail address and the one organization, strategy or goal it follows, and
    nothing more: no name, no client address. A row is stored when the address is entered,
    unconfirmed (`confirmed_at` empty), with the hash of the random token its confirmation
    e-mail links to (`strategyportal/follow/tokens.py`): the links carry no address, so none
    ends up in a log. It is sent nothing until it is confirmed (double opt-in), and an
    unconfirmed row is deleted FOLLOW_CONFIRM_DAYS after it was asked for
    (`send_follow_digests`). `last_sent_at` keeps the digest weekly at most."""

    organization_path = "organization"

    email = models.EmailField(_("e-mail"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategi"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("mål"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("sprog"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.DANISH,
        help_text=_("Det sprog, e-mailene skrives på."),
    )
    requested_at = models.DateTimeField(_("bedt om"), default=timezone.now)
    # SHA-256 of the token in the latest confirmation link, hex.
    token_hash = models.CharField(_("bekræftelsesnøgle"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("sidst sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementer")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, strategy__isnull=True, goal__isnull=True)
                | Q(organization__isnull=True, strategy__isnull=False, goal__isnull=True)
                | Q(organization__isnull=True, strategy__isnull=True, goal__isnull=False),
                name="subscription_follows_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(language__in=ContentLanguage.values), name="subscription_language_valid"
            ),
            *(
                models.UniqueConstraint(
                    fields=["email", followed],
                    condition=Q(**{f"{followed}__isnull": False}),
                    name=f"subscription_once_per_{followed}",
                )
                for followed in FOLLOWED
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="subscription_token_unique",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.followed}"

    @property
    def followed(self) -> Organization | Strategy | Goal:
        return next(getattr(self, name) for name in FOLLOWED if getattr(self, f"{name}_id"))
