from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, IndicatorValue, Metric, Milestone, ReferenceFigure
from municipalities.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedInline,
    SharedAdmin,
)


class MilestoneInline(OrganizationScopedInline, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["period", "value", "note"]


class IndicatorValueInline(OrganizationScopedInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["period", "organization", "value", "status", "source", "note", "is_illustrative"]
    autocomplete_fields = ["organization"]
    ordering = ["-period", "organization__name"]


@admin.register(Indicator)
class IndicatorAdmin(OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "goal", "direction", "target_value", "unit", "target_period"]
    list_filter = ["direction", "measure", "period_kind", "goal__strategy__owner"]
    list_select_related = ["goal"]
    search_fields = ["name", "definition", "goal__text", "goal__strategy__title"]
    autocomplete_fields = ["goal", "reporting_organizations", "metric"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["goal", ("order", "name", "slug"), "definition"]}),
        (
            _("Måling"),
            {"fields": [("unit", "measure", "decimals"), "direction", "period_kind"]},
        ),
        (
            _("Udgangspunkt og mål"),
            {
                "fields": [
                    ("baseline_period", "baseline_value"),
                    ("target_period", "target_value", "target_value_max"),
                    "stated_annual_growth",
                ]
            },
        ),
        (
            _("Indberetning"),
            {
                "fields": [
                    "reporting_organizations",
                    "aggregation",
                    "data_source",
                    "counts_pupils",
                    "metric",
                ]
            },
        ),
    ]
    inlines = [MilestoneInline, IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "indicator",
        "organization",
        "period",
        "value",
        "status",
        "is_illustrative",
        "entered_at",
    ]
    list_filter = ["status", "is_illustrative", "organization", "period"]
    list_select_related = ["indicator", "organization"]
    search_fields = ["indicator__name", "organization__name", "note", "source"]
    autocomplete_fields = ["indicator", "organization"]
    date_hierarchy = "entered_at"
    readonly_fields = ["entered_at", "entered_by", "reviewed_at", "reviewed_by", "revision"]


class ReferenceFigureInline(admin.TabularInline):
    model = ReferenceFigure
    extra = 0
    fields = ["label", "organization", "country", "period", "value", "source", "source_url"]
    autocomplete_fields = ["organization"]


@admin.register(Metric)
class MetricAdmin(SharedAdmin):
    list_display = ["name", "unit", "period_kind"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ReferenceFigureInline]
