from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators import services
from indicators.forms import IndicatorValueAdminForm, IndicatorValueInlineFormSet
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    Milestone,
    ReferenceFigure,
    ReportingRound,
)
from municipalities import access
from municipalities.admin_scoping import OrganizationScopedAdmin, OrganizationScopedInline


class MilestoneInline(OrganizationScopedInline, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["period", "value", "note"]


class GoalTargetInline(OrganizationScopedInline, admin.TabularInline):
    """The goals that set a target on the indicator; each target's milestones are on its own
    page."""

    model = GoalTarget
    extra = 0
    fields = [
        "goal",
        "direction",
        "baseline_period",
        "baseline_value",
        "target_period",
        "target_value",
        "target_value_max",
        "stated_annual_growth",
    ]
    autocomplete_fields = ["goal"]
    show_change_link = True


class IndicatorValueInline(OrganizationScopedInline, admin.TabularInline):
    """Values are saved by the reporting rules (`services.value_edit`): a changed number waits
    for someone else's approval, and a value changed since the page was opened is refused."""

    model = IndicatorValue
    form = IndicatorValueAdminForm
    formset = IndicatorValueInlineFormSet
    extra = 0
    fields = [
        "period",
        "organization",
        "value",
        "status",
        "source",
        "note",
        "is_illustrative",
        "entered_by",
        "reviewed_by",
        "opened_revision",
    ]
    readonly_fields = ["status", "entered_by", "reviewed_by"]
    autocomplete_fields = ["organization"]
    ordering = ["-period", "organization__name"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


@admin.register(Indicator)
class IndicatorAdmin(OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "organization", "metric"]
    list_filter = ["organization", "metric__period_kind"]
    list_select_related = ["organization", "metric"]
    search_fields = ["name", "definition", "organization__name", "metric__name"]
    autocomplete_fields = ["organization", "reporting_organizations", "metric"]
    unscoped_choices = ("reporting_organizations",)
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["organization", ("name", "slug"), "metric", "definition"]}),
        (_("Indberetning"), {"fields": ["reporting_organizations", "data_source"]}),
    ]
    inlines = [GoalTargetInline, IndicatorValueInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "metric" and not request.user.is_superuser:
            # Shared metrics are everyone's to use; own metrics only their organization's.
            scope = access.editor_scope(request.user)
            kwargs["queryset"] = Metric.objects.filter(owner__isnull=True) | scope.filter(
                Metric.objects.all(), "owner"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GoalTarget)
class GoalTargetAdmin(OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "goal", "direction", "target_value", "target_period"]
    list_filter = ["direction", "goal__strategy__owner"]
    list_select_related = ["indicator", "goal"]
    search_fields = ["indicator__name", "goal__text", "goal__strategy__title"]
    autocomplete_fields = ["goal", "indicator"]
    fieldsets = [
        (None, {"fields": ["goal", "indicator", "order"]}),
        (
            _("Udgangspunkt og mål"),
            {
                "fields": [
                    "direction",
                    ("baseline_period", "baseline_value"),
                    ("target_period", "target_value", "target_value_max"),
                    "stated_annual_growth",
                ]
            },
        ),
    ]
    inlines = [MilestoneInline]


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
    list_select_related = ["indicator__metric", "organization"]
    search_fields = ["indicator__name", "organization__name", "note", "source"]
    autocomplete_fields = ["indicator", "organization"]
    date_hierarchy = "entered_at"
    form = IndicatorValueAdminForm
    fields = [
        "indicator",
        "organization",
        "period",
        "value",
        "source",
        "source_url",
        "note",
        "is_illustrative",
        "status",
        "rejection_reason",
        "entered_by",
        "entered_at",
        "reviewed_by",
        "reviewed_at",
        "revision",
        "opened_revision",
    ]
    # The workflow's fields change only by reporting, approving and rejecting.
    readonly_fields = [
        "status",
        "rejection_reason",
        "entered_at",
        "entered_by",
        "reviewed_at",
        "reviewed_by",
        "revision",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Which series, period and organization a stored value belongs to does not change.
        return [*self.readonly_fields, "indicator", "organization", "period"]

    def save_model(self, request, obj, form, change):
        # Through the service, like the reporting page: revision, who entered it, re-review.
        form.instance = services.value_edit(
            value=obj, user=request.user, revision=form.cleaned_data.get("opened_revision")
        )


class ReferenceFigureInline(admin.TabularInline):
    model = ReferenceFigure
    extra = 0
    fields = ["label", "organization", "country", "period", "value", "source", "source_url"]
    autocomplete_fields = ["organization"]


@admin.register(Metric)
class MetricAdmin(OrganizationScopedAdmin, SimpleHistoryAdmin):
    """Editors keep their organizations' own metrics; shared ones (no owner) are used by all
    and kept by superusers."""

    list_display = ["name", "owner", "unit", "decimals", "period_kind"]
    list_filter = ["period_kind", "measure"]
    list_select_related = ["owner"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    everyone_may_view = True
    fieldsets = [
        (None, {"fields": [("name", "slug"), "owner", "definition", "language"]}),
        (
            _("Måling"),
            {
                "fields": [
                    ("unit", "measure", "decimals"),
                    "period_kind",
                    "aggregation",
                    "counts_pupils",
                ]
            },
        ),
    ]
    inlines = [ReferenceFigureInline]

    def get_inlines(self, request, obj):
        return self.inlines if request.user.is_superuser else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser and "owner" in form.base_fields:
            # An editor's metric is their organization's own; shared ones are kept centrally.
            form.base_fields["owner"].required = True
        return form


@admin.register(ReportingRound)
class ReportingRoundAdmin(OrganizationScopedAdmin):
    """An editor opens a round: reporters see what is due on their start page, and the
    overview shows who is missing."""

    list_display = ["__str__", "organization", "period", "deadline", "is_closed", "overview"]
    list_filter = ["is_closed", "period"]
    list_select_related = ["organization"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["organization", "period", "deadline", "title", "note", "is_closed"]}),
        (_("Oprettet"), {"classes": ["collapse"], "fields": ["created_by", "created_at"]}),
    ]

    @admin.display(description=_("hvem mangler"))
    def overview(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Se oversigten"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
