"""What the API says of each kind. Related objects are named by their slug where they have a
unique one (organizations, themes, metrics) and by their id otherwise; each object with a
public page gives its address as `url`. Field help comes from the models' verbose names."""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from goals.models import Action, FocusArea, Goal, Strategy, Theme, WorkingModel
from indicators.models import (
    PRIVACY_THRESHOLD,
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    Milestone,
    ReferenceFigure,
    TargetAssessment,
    published_number,
)
from municipalities.models import NetworkMembership, Organization

# Why a number is null though it exists: `indicator.hides(value)`.
SUPPRESSED = "fewer_than_5"
SUPPRESSED_HELP = (
    f"'{SUPPRESSED}' when the number is withheld because it counts fewer than "
    f"{PRIVACY_THRESHOLD} pupils (the number is then null), else null."
)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the object's public page (the Danish one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The object's public page.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class SlugText(serializers.CharField):
    """A slug as plain text: one that is blank until its object is saved is no pattern to
    promise in the schema."""

    def __init__(self, *, allow_unicode=False, **kwargs):
        super().__init__(**kwargs)


# Every field is read-only, so the schema describes answers only. The schema is in English:
# a field is described by the help given here, not by the admin's Danish names and the
# editors' help. (No docstring: the schema would show it for every serializer.)
class PublicSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.SlugField: SlugText,
    }

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            field = extra.setdefault(name, {})
            field["read_only"] = True
            field.setdefault("label", name)
            field.setdefault("help_text", None)
        return extra


@extend_schema_field(OpenApiTypes.STR)
class SlugOf(serializers.SlugRelatedField):
    """A related object by its slug (described as text, not by the related model's field)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", read_only=True, **kwargs)


def slug_of(source: str | None = None, **kwargs) -> SlugOf:
    """`source` when the field has another name."""
    if source is not None:
        kwargs["source"] = source
    return SlugOf(**kwargs)


class OrganizationSerializer(PublicSerializer):
    parent = slug_of(help_text="The organization it belongs under, by slug.")
    children = slug_of(many=True, help_text="The organizations under it, by slug.")
    licence_url = serializers.URLField(read_only=True)
    url = PageUrlField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "country",
            "locality",
            "municipality_code",
            "language",
            "description",
            "website",
            "parent",
            "children",
            "data_licence",
            "licence_url",
            "url",
        ]


class MemberSerializer(PublicSerializer):
    organization = slug_of("member")

    class Meta:
        model = NetworkMembership
        fields = ["organization", "since_year"]


class NetworkSerializer(OrganizationSerializer):
    members = MemberSerializer(source="network_memberships", many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "members"]


class StrategySerializer(PublicSerializer):
    organization = slug_of("owner")
    replaces = serializers.IntegerField(
        source="published_replaces_id",
        read_only=True,
        allow_null=True,
        help_text="The published earlier version this one replaces, by id.",
    )
    replaced_by = serializers.SerializerMethodField(
        help_text="The published newer version that replaces this one, by id."
    )
    url = PageUrlField()

    class Meta:
        model = Strategy
        fields = [
            "id",
            "slug",
            "organization",
            "title",
            "subtitle",
            "start_year",
            "end_year",
            "language",
            "introduction",
            "purpose",
            "mission",
            "vision",
            "values",
            "source_title",
            "source_year",
            "source_month",
            "source_url",
            "replaces",
            "replaced_by",
            "archived_at",
            "url",
        ]

    def get_replaced_by(self, strategy) -> int | None:
        newer = strategy.succeeded_by
        return None if newer is None else newer.pk


class FocusAreaSerializer(PublicSerializer):
    themes = slug_of(many=True)
    url = PageUrlField()

    class Meta:
        model = FocusArea
        fields = [
            "id",
            "slug",
            "strategy",
            "parent",
            "order",
            "label",
            "title",
            "headline",
            "ambition",
            "description",
            "themes",
            "url",
        ]


class GoalSerializer(PublicSerializer):
    themes = slug_of(many=True)
    url = PageUrlField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "slug",
            "strategy",
            "focus_area",
            "order",
            "text",
            "description",
            "themes",
            "archived_at",
            "url",
        ]


class ActionSerializer(PublicSerializer):
    class Meta:
        model = Action
        fields = ["id", "slug", "strategy", "focus_area", "goal", "order", "text", "state"]


class MetricSerializer(PublicSerializer):
    organization = slug_of("owner", help_text="Null for a metric shared by several.")
    url = serializers.SerializerMethodField(
        help_text="The comparison page of a shared metric, else null."
    )

    class Meta:
        model = Metric
        fields = [
            "id",
            "slug",
            "name",
            "definition",
            "unit",
            "measure",
            "decimals",
            "period_kind",
            "counts_pupils",
            "aggregation",
            "language",
            "organization",
            "url",
        ]

    def get_url(self, metric) -> str | None:
        if not metric.is_shared:
            return None
        return self.context["request"].build_absolute_uri(metric.get_absolute_url())


class IndicatorSerializer(PublicSerializer):
    organization = slug_of()
    metric = slug_of()
    unit = serializers.CharField(read_only=True)
    decimals = serializers.IntegerField(read_only=True)
    period_kind = serializers.CharField(read_only=True)
    counts_pupils = serializers.BooleanField(read_only=True)
    definition = serializers.CharField(
        source="description", read_only=True, help_text="Its own, else the metric's."
    )
    reporting_organizations = slug_of(many=True)
    url = PageUrlField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "slug",
            "organization",
            "name",
            "metric",
            "unit",
            "decimals",
            "period_kind",
            "counts_pupils",
            "definition",
            "data_source",
            "reporting_organizations",
            "archived_at",
            "url",
        ]


class MilestoneSerializer(PublicSerializer):
    period_label = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["period", "period_label", "value", "note"]

    def get_period_label(self, milestone) -> str:
        # The target is the one prefetched with its milestones: no query.
        return milestone.target.period_label(milestone.period)


class AssessmentSerializer(PublicSerializer):
    """The stored verdict as the target page and the open data show it
    (`TargetAssessment.published`): a latest value that counts fewer than five pupils is
    withheld, and with it the progress and the forecast's pace, which would tell it."""

    latest_period_label = serializers.CharField(read_only=True, allow_null=True)
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Per cent; null when withheld."
    )
    latest_value = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Null when withheld."
    )
    suppressed = serializers.SerializerMethodField(help_text=SUPPRESSED_HELP)
    forecast_shape = serializers.CharField(
        read_only=True, allow_null=True, help_text="linear or compound; null without a forecast."
    )
    forecast_pace = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Units (linear) or per cent (compound) a period; null when withheld.",
    )

    class Meta:
        model = TargetAssessment
        fields = [
            "status",
            "progress",
            "expected",
            "latest_period",
            "latest_period_label",
            "latest_value",
            "suppressed",
            "deadline_passed",
            "forecast_shape",
            "forecast_pace",
            "forecast_period",
            "forecast_on_time",
            "assessed_at",
        ]

    # `assessment.target` is the target it was read with (select_related): no query.
    def to_representation(self, assessment):
        return super().to_representation(assessment.published())

    def get_suppressed(self, published) -> str | None:
        return SUPPRESSED if published["latest_value_suppressed"] else None


class SeriesRowSerializer(serializers.Serializer):
    """One period of a target page's table (`indicators.tables.Row.published`)."""

    period = serializers.IntegerField(help_text="The period (the year it begins).")
    period_label = serializers.CharField(help_text="The period as the pages write it.")
    value = serializers.FloatField(
        allow_null=True, help_text="The value the page shows; null when none or withheld."
    )
    suppressed = serializers.SerializerMethodField(help_text=SUPPRESSED_HELP)
    computed = serializers.BooleanField(
        help_text="Computed from the reporting organizations' values (e.g. its schools')."
    )
    expected = serializers.FloatField(
        allow_null=True, help_text="What the path from baseline to target expects."
    )
    milestone = serializers.FloatField(allow_null=True, help_text="A milestone of the period.")
    target = serializers.FloatField(allow_null=True, help_text="The target, in its period.")

    def get_suppressed(self, row) -> str | None:
        return SUPPRESSED if row["suppressed"] else None


class TargetSerializer(PublicSerializer):
    strategy = serializers.IntegerField(source="goal.strategy_id", read_only=True)
    organization = slug_of("goal.strategy.owner")
    metric = slug_of("indicator.metric")
    unit = serializers.CharField(read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    assessment = AssessmentSerializer(
        source="stored_assessment",
        read_only=True,
        allow_null=True,
        help_text="The stored assessment; null until the target is first assessed.",
    )
    url = PageUrlField()

    class Meta:
        model = GoalTarget
        fields = [
            "id",
            "goal",
            "strategy",
            "organization",
            "indicator",
            "metric",
            "unit",
            "direction",
            "baseline_period",
            "baseline_value",
            "target_period",
            "target_value",
            "target_value_max",
            "stated_annual_growth",
            "milestones",
            "assessment",
            "archived_at",
            "url",
        ]


class ValueSerializer(PublicSerializer):
    organization = slug_of("indicator.organization", help_text="The indicator's organization.")
    reported_by = slug_of("organization", help_text="The organization that reported it.")
    period_label = serializers.CharField(read_only=True)
    value = serializers.SerializerMethodField(help_text="Null when withheld.")
    suppressed = serializers.SerializerMethodField(help_text=SUPPRESSED_HELP)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "organization",
            "reported_by",
            "period",
            "period_label",
            "value",
            "suppressed",
            "source",
            "source_url",
            "is_illustrative",
            "entered_at",
        ]

    def get_value(self, value) -> float | None:
        return None if value.indicator.hides(value.value) else published_number(value.value)

    def get_suppressed(self, value) -> str | None:
        return SUPPRESSED if value.indicator.hides(value.value) else None


class ReferenceFigureSerializer(PublicSerializer):
    metric = slug_of()
    organization = slug_of(help_text="The organization whose own figure it is, else null.")
    period_label = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()

    class Meta:
        model = ReferenceFigure
        fields = [
            "id",
            "metric",
            "label",
            "scope",
            "organization",
            "country",
            "period",
            "period_label",
            "value",
            "source",
            "source_url",
            "retrieved_on",
            "note",
        ]

    def get_period_label(self, figure) -> str:
        return figure.metric.period_label(figure.period)

    def get_value(self, figure) -> float:
        return published_number(figure.value)


class ThemeSerializer(PublicSerializer):
    network = slug_of()
    url = PageUrlField()

    class Meta:
        model = Theme
        fields = ["id", "slug", "name", "language", "description", "network", "url"]


class WorkingModelSerializer(PublicSerializer):
    organization = slug_of()
    theme = slug_of()
    document = serializers.IntegerField(
        source="published_document_id",
        read_only=True,
        allow_null=True,
        help_text="The published strategy that describes it, by id.",
    )
    url = PageUrlField()

    class Meta:
        model = WorkingModel
        fields = [
            "id",
            "slug",
            "organization",
            "theme",
            "name",
            "started_year",
            "duration_text",
            "description",
            "results",
            "language",
            "document",
            "url",
        ]
