"""Filters of the API's lists. Organizations, themes and metrics are named by their slug (a
plain text filter: a choice filter would read every organization to offer them)."""

import django_filters as filters
from django import forms
from django.db.models import Q

from goals.models import Action, FocusArea, Goal, Strategy, Theme, WorkingModel
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric, ReferenceFigure
from indicators.progress import Status
from municipalities.models import Country, Organization, OrganizationKind


class WholeNumberFilter(filters.NumberFilter):
    """A whole number the database can compare: a larger one (or a fraction) is a 400 with a
    message, not an overflow in the database driver (SQLite stops at 2⁶³ − 1)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def by_organization(path: str) -> type[filters.FilterSet]:
    """A base with `organization` (slug) and `country` of the organization at `path`."""

    class ByOrganization(filters.FilterSet):
        organization = filters.CharFilter(
            field_name=f"{path}__slug", label="The organization's slug, e.g. heg"
        )
        country = filters.ChoiceFilter(
            field_name=f"{path}__country", choices=Country.choices, label="DK or SE"
        )

    return ByOrganization


def on_theme(queryset, slug: str):
    """Goals or focus areas on the theme, through their focus area too (`on_theme`)."""
    theme = Theme.objects.filter(slug=slug).first()
    return queryset.none() if theme is None else queryset.on_theme(theme)


class OrganizationFilter(filters.FilterSet):
    country = filters.ChoiceFilter(choices=Country.choices)
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices)
    parent = filters.CharFilter(field_name="parent__slug", help_text="The parent's slug.")

    class Meta:
        model = Organization
        fields = ["country", "kind", "parent"]


class NetworkFilter(filters.FilterSet):
    country = filters.ChoiceFilter(choices=Country.choices)
    member = filters.CharFilter(
        field_name="network_memberships__member__slug", help_text="A member's slug."
    )

    class Meta:
        model = Organization
        fields = ["country", "member"]


class StrategyFilter(by_organization("owner")):
    year = WholeNumberFilter(
        method="filter_year", help_text="Strategies whose years include this year."
    )

    class Meta:
        model = Strategy
        fields = ["organization", "country"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(start_year__isnull=True) | Q(start_year__lte=value),
            Q(end_year__isnull=True) | Q(end_year__gte=value),
        )


class ThemedPartFilter(by_organization("strategy__owner")):
    """Focus areas and goals: a theme counts when the part carries it itself or through the
    focus area it lies in, as on the theme pages (`on_theme`)."""

    strategy = WholeNumberFilter(field_name="strategy_id", help_text="The strategy's id.")
    theme = filters.CharFilter(method="filter_theme", help_text="A theme's slug.")

    def filter_theme(self, queryset, name, value):
        return on_theme(queryset, value)


class FocusAreaFilter(ThemedPartFilter):
    class Meta:
        model = FocusArea
        fields = ["organization", "country", "strategy", "theme"]


class GoalFilter(ThemedPartFilter):
    class Meta:
        model = Goal
        fields = ["organization", "country", "strategy", "theme"]


class ActionFilter(by_organization("strategy__owner")):
    strategy = WholeNumberFilter(field_name="strategy_id", help_text="The strategy's id.")
    goal = WholeNumberFilter(field_name="goal_id", help_text="The goal's id.")
    status = filters.ChoiceFilter(
        field_name="state", choices=Action.State.choices, help_text="The action's state."
    )

    class Meta:
        model = Action
        fields = ["organization", "country", "strategy", "goal", "status"]


class MetricFilter(filters.FilterSet):
    shared = filters.BooleanFilter(
        field_name="owner", lookup_expr="isnull", help_text="Shared by several organizations."
    )

    class Meta:
        model = Metric
        fields = ["shared"]


class IndicatorFilter(by_organization("organization")):
    metric = filters.CharFilter(field_name="metric__slug", help_text="A metric's slug.")
    theme = filters.CharFilter(
        method="filter_theme", help_text="A theme's slug: indicators of goals on the theme."
    )

    class Meta:
        model = Indicator
        fields = ["organization", "country", "metric", "theme"]

    def filter_theme(self, queryset, name, value):
        goals = on_theme(Goal.objects.public(), value).values("pk")
        return queryset.filter(
            pk__in=GoalTarget.objects.public().filter(goal__in=goals).values("indicator")
        )


class TargetFilter(by_organization("goal__strategy__owner")):
    strategy = WholeNumberFilter(field_name="goal__strategy_id", help_text="The strategy's id.")
    goal = WholeNumberFilter(field_name="goal_id", help_text="The goal's id.")
    indicator = WholeNumberFilter(field_name="indicator_id", help_text="The indicator's id.")
    metric = filters.CharFilter(field_name="indicator__metric__slug", help_text="A metric's slug.")
    theme = filters.CharFilter(method="filter_theme", help_text="A theme's slug.")
    status = filters.ChoiceFilter(
        field_name="stored_assessment__status",
        choices=[(status.value, status.value) for status in Status],
        help_text="The stored assessment's status.",
    )

    class Meta:
        model = GoalTarget
        fields = ["organization", "country", "strategy", "goal", "indicator", "metric", "status"]

    def filter_theme(self, queryset, name, value):
        return queryset.filter(goal__in=on_theme(Goal.objects.all(), value).values("pk"))


class ValueFilter(by_organization("indicator__organization")):
    reported_by = filters.CharFilter(
        field_name="organization__slug", help_text="The reporting organization's slug."
    )
    indicator = WholeNumberFilter(field_name="indicator_id", help_text="The indicator's id.")
    metric = filters.CharFilter(method="filter_metric", help_text="A metric's slug.")
    period = WholeNumberFilter(help_text="The year the period begins in, e.g. 2023.")
    period_from = WholeNumberFilter(field_name="period", lookup_expr="gte")
    period_to = WholeNumberFilter(field_name="period", lookup_expr="lte")

    class Meta:
        model = IndicatorValue
        fields = ["organization", "country", "reported_by", "indicator", "metric", "period"]

    def filter_metric(self, queryset, name, value):
        """By the metric's indicators, read first: given the join instead, PostgreSQL walks
        the values in the order of the pages until it has a page of the metric's, and reads
        all 326.000 of the national set for a metric with few values (450 ms)."""
        indicators = Indicator.objects.filter(metric__slug=value).values_list("pk", flat=True)
        return queryset.filter(indicator__in=list(indicators))


class ReferenceFigureFilter(filters.FilterSet):
    """The figure's own country, not its organization's: a country's figure has none."""

    metric = filters.CharFilter(field_name="metric__slug", help_text="A metric's slug.")
    organization = filters.CharFilter(
        field_name="organization__slug",
        help_text="The slug of the organization whose own figures they are.",
    )
    country = filters.ChoiceFilter(choices=Country.choices, label="DK or SE")
    scope = filters.ChoiceFilter(choices=ReferenceFigure.Scope.choices)
    period = WholeNumberFilter(help_text="The year the period begins in, e.g. 2023.")

    class Meta:
        model = ReferenceFigure
        fields = ["metric", "organization", "country", "scope", "period"]


class WorkingModelFilter(by_organization("organization")):
    theme = filters.CharFilter(field_name="theme__slug", help_text="A theme's slug.")

    class Meta:
        model = WorkingModel
        fields = ["organization", "country", "theme"]


class ThemeFilter(filters.FilterSet):
    network = filters.CharFilter(field_name="network__slug", help_text="The network's slug.")

    class Meta:
        model = Theme
        fields = ["network"]
