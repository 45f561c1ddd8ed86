import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from goals.admin import GoalAdmin, OpensWhatWasAdded, PublishedByEditors, StrategyAdmin
from goals.models import Goal, Strategy
from indicators import services, wording
from indicators.forms import GoalTargetForm, IndicatorValueAdminForm, MeasuredForm, NumberField
from indicators.models import (
    Aggregation,
    GoalTarget,
    Indicator,
    IndicatorValue,
    Metric,
    Milestone,
    ReferenceFigure,
    ReminderSent,
    ReportingRound,
    Subscription,
    ValueUpload,
)
from indicators.statistics.admin import StatisticsImportAdmin, StatisticsLinkInline
from municipalities import access
from municipalities.admin_scoping import OrganizationScopedAdmin, OrganizationScopedInline


class ReadersNumbers:
    """Every number in the admin is read by the reporting page's rule and shown the same way,
    in the reader's language (1.800 and 90,3 in Danish), in a metric's unit with its
    decimals."""

    formfield_overrides = {models.DecimalField: {"form_class": NumberField}}
    form = MeasuredForm


def shown_number(value, unit: str, decimals: int) -> str | None:
    """A number in a list, with its unit and its metric's decimals, or more when it has more:
    the list never hides a decimal that is stored. None shows as the admin's empty value."""
    if value is None:
        return None
    return wording.format_quantity(value, unit, max(decimals, wording.decimals_of(value)))


class MilestoneInline(ReadersNumbers, OrganizationScopedInline, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["period", "value", "note"]

    def get_queryset(self, request):
        # Each row names itself with its unit and period kind, read from the metric.
        return super().get_queryset(request).select_related("target__indicator__metric")


# How many of an indicator's values its admin page shows; the value list has them all.
LATEST_VALUES = 12


def target_links(targets, *, indicator: Indicator | None = None, goal=None) -> str:
    """Goal targets as links to their pages, each with its phrase ("mindst 1.800 årselever
    i 2028"), marked when a draft, and a link to add one (three queries)."""
    targets = list(
        targets.select_related("goal__strategy", "indicator__metric").prefetch_related("milestones")
    )
    return render_to_string(
        "admin/indicators/target_links.html",
        {
            "targets": [
                (
                    target,
                    wording.target_phrase(
                        target.progress_target,
                        unit=target.unit,
                        decimals=target.decimals,
                        period_kind=target.period_kind,
                    ),
                )
                for target in targets
            ],
            "add_query": f"indicator={indicator.pk}" if indicator else f"goal={goal.pk}",
            "for_goal": goal is not None,
        },
    )


class StaleValuesRefused:
    """Values are saved after the admin's form has checked them; a value that someone else
    saved first in that instant is refused by the service (`services.StaleValue`). Nothing
    is saved then, and the editor is sent back to the page with what happened, never to a
    server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleValue as error:
            self.message_user(
                request,
                " ".join([str(_("Intet er gemt.")), *error.messages]),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class ArchivedNotDeleted:
    """Indicators, goal targets, goals and strategies under which approved values hang are
    public history: their editors archive them (»Arkivér«, on the page and in the list)
    instead of deleting them, and take them out of the archive again. Only a superuser
    deletes them, on Django's page that lists everything that goes with them. Without
    approved values they are deleted as before."""

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "<path:object_id>/arkiver/",
                self.admin_site.admin_view(self.archive_view),
                name=f"{name}_archive",
            ),
            path(
                "<path:object_id>/genopret-fra-arkivet/",
                self.admin_site.admin_view(self.unarchive_view),
                name=f"{name}_unarchive",
            ),
            *super().get_urls(),
        ]

    def keeps_history(self, obj) -> bool:
        return services.approved_values_under(self.model.objects.filter(pk=obj.pk)).exists()

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return not self.keeps_history(obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and not request.user.is_superuser
            and super().has_delete_permission(request, obj)
            and self.keeps_history(obj)
        ):
            # The editor came to delete: show the way that keeps the history.
            self.message_user(request, self._kept_message([obj]), messages.WARNING)
            return redirect(self._url("archive", obj))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if "delete_selected" in actions:
            actions["delete_selected"] = dataclasses.replace(
                actions["delete_selected"], func=type(self).delete_selected_keeping_history
            )
        if action_location == ActionLocation.CHANGE_LIST and self.has_change_permission(request):
            for name in ("archive_selected", "unarchive_selected"):
                actions[name] = self.get_action(name, action_location)
        return actions

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "archived_at"]

    def delete_selected_keeping_history(self, request, queryset):
        """Django's deletion of the selected, refused for an editor (on the confirmation
        and on its answer) when any of them has approved values."""
        if not request.user.is_superuser:
            paths = services.VALUE_PATHS[self.model]
            kept = list(
                queryset.filter(
                    pk__in=services.approved_values_under(queryset).values(paths)
                ).order_by("pk")
            )
            if kept:
                self.message_user(request, self._kept_message(kept), messages.ERROR)
                return None
        return delete_selected(self, request, queryset)

    @admin.action(description=_("Arkivér de valgte"))
    def archive_selected(self, request, queryset):
        self._archive_all(request, queryset, services.archive, _("Arkiveret: %(count)d."))

    @admin.action(description=_("Genopret de valgte fra arkivet"))
    def unarchive_selected(self, request, queryset):
        self._archive_all(
            request, queryset, services.unarchive, _("Genoprettet fra arkivet: %(count)d.")
        )

    def _archive_all(self, request, queryset, write, message):
        # One by one, so that each is in its own history.
        changed = [obj for obj in queryset if self.has_change_permission(request, obj)]
        for obj in changed:
            write(obj=obj, user=request.user)
        self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)

    def archive_view(self, request, object_id):
        return self._archive_page(request, object_id, services.archive)

    def unarchive_view(self, request, object_id):
        return self._archive_page(request, object_id, services.unarchive)

    def _archive_page(self, request, object_id, write):
        """A page that says what archiving (or taking out of the archive) means, and does
        it on its button."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        archiving = write is services.archive
        if request.method == "POST":
            write(obj=obj, user=request.user)
            self.message_user(
                request,
                (
                    _("»%(object)s« er arkiveret.")
                    if archiving
                    else _("»%(object)s« er genoprettet fra arkivet.")
                )
                % {"object": obj},
                messages.SUCCESS,
            )
            return redirect(self._url("change", obj))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "archiving": archiving,
            "values": services.approved_values_under(self.model.objects.filter(pk=obj.pk)).count(),
            "title": _("Arkivér %(object)s") % {"object": obj}
            if archiving
            else _("Genopret %(object)s fra arkivet") % {"object": obj},
        }
        return TemplateResponse(request, "admin/archive_confirmation.html", context)

    def _url(self, view: str, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])

    def _kept_message(self, objects) -> str:
        return _(
            "%(objects)s har godkendte tal, som er offentlig historik, og kan kun slettes af en "
            "superbruger. Arkivér i stedet: så vises det stadig, men der indberettes ikke mere."
        ) % {"objects": get_text_list([f"»{obj}«" for obj in objects], _("og"))}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and obj.is_archived:
                self.message_user(request, archived_label(obj), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)


def archived_label(obj) -> str:
    who = obj.archived_by
    label = _("Arkiveret %(date)s") % {"date": date_format(obj.archived_at, "DATE_FORMAT")}
    return label if who is None else _("%(label)s af %(user)s") % {"label": label, "user": who}


class RestoredFromHistory:
    """A deleted indicator, goal target, goal or strategy comes back whole from its history
    page: its »Gendan« (superusers, who delete) restores it with what was deleted with it
    (`restore`). simple-history's own revert of one record would bring it back alone, so it
    is offered for objects that exist only."""

    object_history_template = "admin/restorable_object_history.html"

    def restore(self, pk: int, user):
        raise NotImplementedError

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/gendan/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def _deleted(self, pk) -> bool:
        return pk is not None and not self.model.objects.filter(pk=pk).exists()

    def history_view(self, request, object_id, extra_context=None):
        restorable = request.user.is_superuser and self._deleted(_as_pk(unquote(object_id)))
        extra_context = {**(extra_context or {}), "restorable": restorable}
        return super().history_view(request, object_id, extra_context)

    def revert_disabled(self, request, obj=None):
        deleted = obj is not None and self._deleted(obj.pk)
        return deleted or super().revert_disabled(request, obj)

    def restore_view(self, request, object_id):
        pk = _as_pk(unquote(object_id))
        if request.method != "POST" or pk is None:
            raise Http404
        opts = self.model._meta
        try:
            obj = self.restore(pk, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk]))
        self.message_user(
            request, _("»%(object)s« er gendannet.") % {"object": obj}, messages.SUCCESS
        )
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))


@admin.register(Indicator)
class IndicatorAdmin(
    StatisticsImportAdmin,
    RestoredFromHistory,
    ArchivedNotDeleted,
    StaleValuesRefused,
    OrganizationScopedAdmin,
    SimpleHistoryAdmin,
):
    list_display = ["name", "organization", "metric"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter), "metric__period_kind"]
    list_select_related = ["organization", "metric"]
    search_fields = ["name", "definition", "organization__name", "metric__name"]
    autocomplete_fields = ["organization", "reporting_organizations", "metric"]
    unscoped_choices = ("reporting_organizations",)
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["counting", "targets", "latest_values"]
    fieldsets = [
        (None, {"fields": ["organization", ("name", "slug"), "metric", "definition"]}),
        (_("Indberetning"), {"fields": ["reporting_organizations", "counting", "data_source"]}),
        (_("Målsætninger og tal"), {"fields": ["targets", "latest_values"]}),
    ]
    inlines = [StatisticsLinkInline]

    def restore(self, pk: int, user) -> Indicator:
        return services.indicator_restore(indicator_id=pk, user=user)

    @admin.display(description=_("målsætninger"))
    def targets(self, obj):
        if obj.pk is None:
            return _("Gem indikatoren først; så kan mål sætte målsætninger på den.")
        return target_links(obj.targets.all(), indicator=obj)

    @admin.display(description=_("seneste tal"))
    def latest_values(self, obj):
        """The latest values as links, not as a page-long inline: a series of a country's
        schools over many years would make the page slow to open and to save. Each value is
        edited on its own page, or reported on the reporting page or in an upload."""
        if obj.pk is None:
            return ""
        values = obj.values.select_related("organization").order_by("-period", "organization__name")
        return render_to_string(
            "admin/indicators/latest_values.html",
            {
                "indicator": obj,
                "values": [
                    (value, shown_number(value.value, obj.unit, obj.decimals))
                    for value in values[:LATEST_VALUES]
                ],
                "count": values.count(),
            },
        )

    @admin.display(description=_("sådan tæller tallene"))
    def counting(self, obj):
        """The metric's aggregation beside the reporters it applies to: the rule lives on the
        metric, but it decides what this indicator's reporters' values are worth."""
        if obj is None or obj.metric_id is None:
            return _("Vælg en måling.")
        metric = obj.metric
        rule = metric.get_aggregation_display()
        if metric.aggregation == Aggregation.WEIGHTED_MEAN:
            rule = _("%(rule)s, vægtet med %(weight)s") % {
                "rule": rule,
                "weight": metric.weight_label,
            }
        return _(
            "%(rule)s (fra målingen »%(metric)s«). Et tal, organisationen selv indberetter, "
            "går altid forud."
        ) % {"rule": rule, "metric": metric.name}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            indicator = self.get_object(request, unquote(object_id))
            if indicator is not None and self.has_view_or_change_permission(request, indicator):
                self._warn(request, indicator)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        # "Save and continue" opens the change page, which warns by itself.
        if "_continue" not in request.POST:
            self._warn(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            self._warn(request, obj)
        return super().response_change(request, obj)

    def _warn(self, request, indicator):
        for warning in values_that_never_count(indicator):
            messages.warning(request, warning)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "metric" and not request.user.is_superuser:
            # Shared metrics are everyone's to use; own metrics only their organization's.
            scope = access.editor_scope(request.user)
            kwargs["queryset"] = Metric.objects.filter(owner__isnull=True) | scope.filter(
                Metric.objects.all(), "owner"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _as_pk(object_id: str) -> int | None:
    try:
        return int(object_id)
    except ValueError:
        return None


def values_that_never_count(indicator: Indicator) -> list[str]:
    """Why some or all of what is reported for `indicator` can never count in its series,
    in Danish for its editors; empty when everything reported can count."""
    reporters = list(indicator.reporting_organizations.all())
    if not reporters:
        return [
            _(
                "Ingen organisation indberetter indikatoren, så den får aldrig et tal. Vælg "
                "under »Indberetning«, hvem der indberetter."
            )
        ]
    owner = indicator.organization
    others = [organization for organization in reporters if organization.pk != owner.pk]
    owner_reports = len(others) < len(reporters)
    warnings = []
    if indicator.aggregation == Aggregation.OWN and not owner_reports:
        warnings.append(
            _(
                "Kun de tal, %(owner)s selv indberetter, tæller (målingen bruger ejerens egen "
                "værdi), men %(owner)s er ikke blandt dem, der indberetter. Tallene fra "
                "%(others)s vises kun til sammenligning, så intet af det, der indberettes, "
                "tæller. Tilføj %(owner)s blandt dem, der indberetter, eller vælg en måling, "
                "der lægger tallene sammen eller tager gennemsnittet af dem."
            )
            % {
                "owner": owner.name,
                "others": get_text_list([organization.name for organization in others], _("og")),
            }
        )
    if indicator.aggregation == Aggregation.WEIGHTED_MEAN:
        # A school's value approved before the metric became a weighted mean has no weight,
        # and a value that cannot be weighed is left out of the mean.
        unweighted = list(
            indicator.values.approved()
            .filter(weight__isnull=True, organization__in=others)
            .select_related("organization")
            .order_by("period", "organization__name")
        )
        if unweighted:
            warnings.append(
                ngettext(
                    "%(count)d godkendt tal har ingen vægt (%(weight)s) og tæller derfor ikke "
                    "med i gennemsnittet: %(values)s.",
                    "%(count)d godkendte tal har ingen vægt (%(weight)s) og tæller derfor ikke "
                    "med i gennemsnittet: %(values)s.",
                    len(unweighted),
                )
                % {
                    "count": len(unweighted),
                    "weight": indicator.metric.weight_label,
                    "values": ", ".join(
                        f"{value.organization.name} ({value.period_label})" for value in unweighted
                    ),
                }
            )
    return warnings


@admin.register(GoalTarget)
class GoalTargetAdmin(
    RestoredFromHistory,
    ArchivedNotDeleted,
    OpensWhatWasAdded,
    PublishedByEditors,
    ReadersNumbers,
    OrganizationScopedAdmin,
    SimpleHistoryAdmin,
):
    list_display = [
        "indicator",
        "goal",
        "status",
        "direction",
        "shown_target_value",
        "target_period",
    ]
    list_filter = [
        "status",
        "direction",
        ("goal__strategy__owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["indicator__metric", "goal"]
    search_fields = ["indicator__name", "goal__text", "goal__strategy__title"]
    autocomplete_fields = ["goal", "indicator"]
    form = GoalTargetForm
    fieldsets = [
        (None, {"fields": ["goal", "indicator", ("status", "order")]}),
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

    def strategy_of_new(self, initial):
        goal = Goal.objects.filter(pk=initial.get("goal")).select_related("strategy").first()
        return goal and goal.strategy

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # A change of what the target is needs its reason, which the public page shows.
        return [*fieldsets, (_("Ændring"), {"fields": ["change_reason"]})]

    @admin.display(description=_("målværdi"), ordering="target_value")
    def shown_target_value(self, obj):
        return shown_number(obj.target_value, obj.unit, obj.decimals)

    def restore(self, pk: int, user) -> GoalTarget:
        return services.target_restore(target_id=pk, user=user)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(
    ReadersNumbers, StaleValuesRefused, OrganizationScopedAdmin, SimpleHistoryAdmin
):
    list_display = [
        "indicator",
        "organization",
        "period",
        "shown_value",
        "status",
        "is_illustrative",
        "entered_at",
    ]
    list_filter = [
        "status",
        "is_illustrative",
        ("organization", admin.RelatedOnlyFieldListFilter),
        "period",
    ]
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
        "weight",
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

    def revert_disabled(self, request, obj=None):
        # A value of a deleted indicator comes back with it (»Gendan« on its history).
        orphan = obj is not None and not Indicator.objects.filter(pk=obj.indicator_id).exists()
        return orphan or super().revert_disabled(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Which series, period and organization a stored value belongs to does not change.
        return [*self.readonly_fields, "indicator", "organization", "period"]

    @admin.display(description=_("værdi"), ordering="value")
    def shown_value(self, obj):
        indicator = obj.indicator
        return shown_number(obj.value, indicator.unit, indicator.decimals)

    def save_model(self, request, obj, form, change):
        # Through the service, like the reporting page: revision, who entered it, re-review.
        form.instance = services.value_edit(
            value=obj, user=request.user, revision=form.cleaned_data.get("opened_revision")
        )


class ReferenceFigureInline(ReadersNumbers, admin.TabularInline):
    model = ReferenceFigure
    extra = 0
    fields = ["label", "scope", "organization", "country", "period", "value", "source"]
    fields += ["source_url", "retrieved_on"]
    autocomplete_fields = ["organization"]

    def get_queryset(self, request):
        # Each row names itself with the metric's unit and period kind.
        return super().get_queryset(request).select_related("metric", "organization")


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
                    ("aggregation", "weight_label"),
                    "plausible_change",
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


class ReadOnlyRecordAdmin(OrganizationScopedAdmin):
    """Records the portal keeps of what happened: shown to those who may see them, changed
    by nobody."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ValueUpload)
class ValueUploadAdmin(ReadOnlyRecordAdmin):
    list_display = ["filename", "reporting_round", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["applied_at"]
    list_select_related = ["reporting_round__organization", "uploaded_by"]
    search_fields = ["filename", "reporting_round__organization__name"]
    fields = ["reporting_round", "filename", "uploaded_by", "uploaded_at", "applied_at"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyRecordAdmin):
    list_display = ["reporting_round", "user", "days", "sent_at"]
    list_select_related = ["reporting_round__organization", "user"]
    search_fields = ["user__username", "reporting_round__organization__name"]


class GoalWithTargetsAdmin(RestoredFromHistory, ArchivedNotDeleted, GoalAdmin):
    """A goal's page lists the targets it sets, linked: the goals app does not know of
    indicators, so the indicators app adds them here."""

    readonly_fields = [*GoalAdmin.readonly_fields, "targets"]
    fieldsets = [*GoalAdmin.fieldsets, (_("Målsætninger"), {"fields": ["targets"]})]

    @admin.display(description=_("målsætninger"))
    def targets(self, obj):
        if obj.pk is None:
            return _("Gem målet først; så kan du sætte en målsætning på en indikator.")
        return target_links(GoalTarget.objects.filter(goal=obj), goal=obj)

    def restore(self, pk: int, user) -> Goal:
        return services.goal_restore(goal_id=pk, user=user)


admin.site.unregister(Goal)
admin.site.register(Goal, GoalWithTargetsAdmin)


class StrategyKeepingHistoryAdmin(RestoredFromHistory, ArchivedNotDeleted, StrategyAdmin):
    """A strategy whose targets' indicators have approved values is archived, not deleted,
    and a deleted one comes back with its goals' targets: the strategies app does not know
    of values or targets, so the indicators app adds the rules here."""

    def restore(self, pk: int, user) -> Strategy:
        return services.strategy_restore(strategy_id=pk, user=user)


admin.site.unregister(Strategy)
admin.site.register(Strategy, StrategyKeepingHistoryAdmin)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Citizens' subscriptions, for superusers only: to find and delete an address when its
    owner asks (they end a subscription themselves with the link in every digest). Editors
    never see who follows their organization."""

    list_display = ["email", "followed", "language", "confirmed_at", "last_sent_at"]
    list_select_related = ["organization", "strategy__owner", "goal"]
    list_filter = ["language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = ["email", "organization", "strategy", "goal", "language", "requested_at"]
    fields += ["confirmed_at", "last_sent_at"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
