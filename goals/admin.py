from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from goals import services
from goals.models import (
    Action,
    FocusArea,
    Goal,
    Mentorship,
    StatusReport,
    Strategy,
    StrategyStatus,
    StrategyTerm,
    Theme,
    WorkingModel,
)
from municipalities.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedInline,
    SharedAdmin,
)
from municipalities.models import ADDRESS_MAX_LENGTH, AddressFormField


class OpensWhatWasAdded:
    """After adding a strategy, focus area, goal or target the editor lands on its page,
    where the next step is (its goals, its targets, publishing it), not on the long list."""

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)


class PublishedByEditors:
    """Goals, actions and targets are published one by one. One added to a published
    strategy starts as a draft, which only its editors see (marked, on the public pages)
    until they publish it; one added while the strategy is itself a draft starts published,
    so that it is public with the strategy. The list's actions publish and unpublish."""

    actions = ["publish_parts", "unpublish_parts"]

    def strategy_of_new(self, initial: dict) -> Strategy | None:
        """The strategy a new object is added to, when the page was opened from it."""
        pk = initial.get("strategy")
        return Strategy.objects.filter(pk=pk).first() if pk else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        try:
            strategy = self.strategy_of_new(initial)
        except (ValueError, ValidationError):
            strategy = None
        in_draft = strategy is not None and not strategy.is_published
        initial.setdefault("status", StrategyStatus.PUBLISHED if in_draft else StrategyStatus.DRAFT)
        return initial

    @admin.action(description=_("Offentliggør de valgte"))
    def publish_parts(self, request, queryset):
        self._publish(request, queryset, StrategyStatus.PUBLISHED)

    @admin.action(description=_("Gør de valgte til kladder"))
    def unpublish_parts(self, request, queryset):
        self._publish(request, queryset, StrategyStatus.DRAFT)

    def _publish(self, request, queryset, status):
        # One by one, so that each change is in its history.
        changed = [obj for obj in queryset if self.has_change_permission(request, obj)]
        for obj in changed:
            obj.status = status
            obj.save(update_fields=["status"])
        opts = self.model._meta
        self.message_user(
            request,
            # The kind's own name ("Mål: 2 …", "Handlinger: 1 …"): Danish nouns differ too
            # much in gender and number for one sentence around them.
            _("%(kind)s: %(count)d er nu »%(status)s«.")
            % {
                "kind": capfirst(
                    opts.verbose_name if len(changed) == 1 else opts.verbose_name_plural
                ),
                "count": len(changed),
                "status": StrategyStatus(status).label,
            },
            messages.SUCCESS,
        )


class SameStrategyChoicesMixin(OrganizationScopedInline):
    """Inlines under a strategy or focus area offer only focus areas and goals of that strategy."""

    strategy_lookup = "strategy_id"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        object_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name in {"focus_area", "goal", "parent"}:
            queryset = db_field.related_model.objects.all()
            if object_id is None:
                queryset = queryset.none()
            else:
                queryset = queryset.filter(**{self.strategy_lookup: object_id})
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActionInline(SameStrategyChoicesMixin, admin.TabularInline):
    """A goal's or a focus area's actions, edited in place: a line of text and a state each.
    Their addresses are made from their text."""

    model = Action
    extra = 0
    fields = ["order", "text", "state", "status"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # As everywhere: an action added to a published strategy starts as a draft.
        if obj is not None and obj.strategy.is_published:
            formset.form.base_fields["status"].initial = StrategyStatus.DRAFT
        return formset


def _goals(queryset):
    """Goals in order, each with how many targets it sets (one query)."""
    return list(_counted_goals(queryset))


def _counted_goals(queryset):
    return queryset.annotate(target_count=Count("targets")).order_by("order", "pk")


def _with_contents(areas):
    """Focus areas in order with their sub-areas, goals and number of actions, in a fixed
    number of queries."""
    return list(
        areas.annotate(action_count=Count("actions"))
        .prefetch_related(
            Prefetch(
                "children", queryset=FocusArea.objects.order_by("order"), to_attr="children_list"
            ),
            Prefetch("goals", queryset=_counted_goals(Goal.objects), to_attr="goal_list"),
        )
        .order_by("order", "pk")
    )


class StrategyTermInline(OrganizationScopedInline, admin.TabularInline):
    model = StrategyTerm
    extra = 0
    fields = ["order", "term", "explanation", "source"]


@admin.register(Strategy)
class StrategyAdmin(OpensWhatWasAdded, OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "owner", "start_year", "end_year", "status", "language"]
    list_filter = ["status", "language", "owner__kind", "owner__country"]
    list_select_related = ["owner"]
    search_fields = ["title", "subtitle", "owner__name", "owner__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "owner",
                    ("title", "slug"),
                    "subtitle",
                    ("start_year", "end_year"),
                    ("status", "language"),
                ]
            },
        ),
        (_("Indhold"), {"fields": ["contents"]}),
        (
            _("Strategiens tekster"),
            {
                "classes": ["collapse"],
                "fields": [
                    "introduction",
                    "purpose",
                    "mission",
                    "vision",
                    "values",
                    "closing_text",
                ],
            },
        ),
        (
            _("Overskrifter fra dokumentet"),
            {
                "classes": ["collapse"],
                "fields": [
                    "focus_areas_heading",
                    "focus_areas_intro",
                    ("goals_heading", "goals_numbered"),
                    "actions_heading",
                    "mentorships_heading",
                ],
            },
        ),
        (
            _("Kilde"),
            {
                "fields": [
                    "source_title",
                    ("source_year", "source_month"),
                    "source_url",
                    "source_file",
                ]
            },
        ),
    ]
    inlines = [StrategyTermInline]
    readonly_fields = ["replaces", "contents"]

    @admin.display(description=_("fokusområder og mål"))
    def contents(self, obj):
        if obj.pk is None:
            return gettext("Gem strategien først; så kan du tilføje fokusområder og mål.")
        return render_to_string(
            "admin/goals/contents.html",
            {
                "strategy": obj,
                "areas": _with_contents(
                    FocusArea.objects.filter(strategy=obj, parent__isnull=True)
                ),
                "loose_goals": _goals(Goal.objects.filter(strategy=obj, focus_area__isnull=True)),
            },
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/ny-version/",
                self.admin_site.admin_view(self.next_version_view),
                name="goals_strategy_next_version",
            ),
            *super().get_urls(),
        ]

    def next_version_view(self, request, object_id):
        """Create the strategy's next version as a draft, in one step."""
        strategy = self.get_object(request, object_id)
        if strategy is None:
            raise Http404
        if not self.has_change_permission(request, strategy):
            raise PermissionDenied
        form = NextVersionForm(request.POST or None, strategy=strategy)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.strategy_create_next_version(
                    strategy=strategy, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    gettext(
                        "»%(title)s« er oprettet som kladde med fokusområder, mål, handlinger "
                        "og målsætninger fra »%(old)s«. Ret den til, og offentliggør den, når "
                        "den er vedtaget."
                    )
                    % {"title": version.title, "old": strategy.title},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:goals_strategy_change", args=[version.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": strategy,
            "form": form,
            "title": gettext("Ny version af %(title)s") % {"title": strategy.title},
        }
        return TemplateResponse(request, "admin/goals/strategy/next_version.html", context)

    @admin.action(description=_("Offentliggør de valgte strategier"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Strategy.Status.PUBLISHED)

    @admin.action(description=_("Gør de valgte strategier til kladder igen"))
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Strategy.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        # The list holds only the editor's own strategies, and each is saved one by one so
        # that the change is in its history.
        strategies = [
            s for s in queryset.select_related("owner") if self.has_change_permission(request, s)
        ]
        for strategy in strategies:
            strategy.status = status
            strategy.save(update_fields=["status"])
        self.message_user(
            request,
            ngettext(
                "%(count)d strategi er nu »%(status)s«.",
                "%(count)d strategier er nu »%(status)s«.",
                len(strategies),
            )
            % {"count": len(strategies), "status": Strategy.Status(status).label},
            messages.SUCCESS,
        )


class NextVersionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    slug = AddressFormField(
        label=_("Adresse"),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=_(
            "Den sidste del af sidens adresse, fx strategi-2032. Lad feltet stå tomt, så "
            "laves den af titlen."
        ),
    )
    start_year = forms.IntegerField(label=_("Første år"), required=False, min_value=1900)
    end_year = forms.IntegerField(label=_("Sidste år"), required=False, max_value=2100)

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Strategy.objects.filter(owner_id=self.strategy.owner_id, slug=slug).exists():
            raise ValidationError(
                _("Organisationen har allerede en strategi med denne adresse. Vælg en anden.")
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Det sidste år kan ikke ligge før det første år."))
        return cleaned


class FocusAreaActionInline(ActionInline):
    # An action belongs to one parent: here the focus area; a goal's actions sit on the goal.
    strategy_lookup = "strategy__focus_areas"


class GoalActionInline(ActionInline):
    strategy_lookup = "strategy__goals"


@admin.register(FocusArea)
class FocusAreaAdmin(OpensWhatWasAdded, OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "strategy", "parent", "order"]
    list_filter = [("strategy__owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["strategy__owner", "parent"]
    search_fields = ["title", "label", "headline", "ambition", "strategy__title"]
    autocomplete_fields = ["strategy", "parent", "themes"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["strategy", "parent", ("order", "label"), ("title", "slug"), "themes"]}),
        (_("Mål"), {"fields": ["contents"]}),
        (_("Tekster"), {"fields": ["headline", "ambition", "description", "closing_text"]}),
        (
            _("Overskrifter fra dokumentet"),
            {
                "classes": ["collapse"],
                "fields": [
                    "children_heading",
                    ("goals_heading", "goals_numbered"),
                    "actions_heading",
                ],
            },
        ),
    ]
    inlines = [FocusAreaActionInline]
    readonly_fields = ["contents"]

    @admin.display(description=_("mål"))
    def contents(self, obj):
        if obj.pk is None:
            return gettext("Gem fokusområdet først; så kan du tilføje mål.")
        return render_to_string(
            "admin/goals/contents.html",
            {"areas": _with_contents(FocusArea.objects.filter(pk=obj.pk))},
        )

    def save_formset(self, request, form, formset, change):
        # Actions added under a focus area belong to that area's strategy.
        for instance in formset.save(commit=False):
            instance.strategy = form.instance.strategy
            instance.focus_area = form.instance
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Goal)
class GoalAdmin(OpensWhatWasAdded, PublishedByEditors, OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "status", "focus_area", "strategy", "order"]
    list_filter = [("strategy__owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["strategy__owner", "focus_area"]
    search_fields = ["text", "description", "strategy__title", "focus_area__title"]
    autocomplete_fields = ["strategy", "focus_area", "themes"]
    fieldsets = [
        (None, {"fields": [("strategy", "focus_area"), "text", "status", ("slug", "order")]}),
        (
            _("Uddybning og temaer"),
            {
                "fields": ["description", "themes"],
                "description": _(
                    "Temaer forbinder målet med andre organisationers mål om det samme."
                ),
            },
        ),
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    inlines = [GoalActionInline]

    def save_formset(self, request, form, formset, change):
        # Actions added under a goal belong to the goal's strategy and to the goal alone.
        for instance in formset.save(commit=False):
            instance.strategy = form.instance.strategy
            instance.goal = form.instance
            instance.focus_area = None
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Action)
class ActionAdmin(PublishedByEditors, OrganizationScopedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "state", "status", "focus_area", "strategy"]
    list_editable = ["state"]
    list_filter = ["state", ("strategy__owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["strategy__owner", "focus_area"]
    search_fields = ["text", "strategy__title", "focus_area__title"]
    autocomplete_fields = ["strategy", "focus_area", "goal"]
    fields = ["strategy", ("focus_area", "goal"), "text", ("state", "status"), ("slug", "order")]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


@admin.register(Theme)
class ThemeAdmin(SharedAdmin):
    list_display = ["name", "network", "language"]
    list_filter = ["network", "language"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(WorkingModel)
class WorkingModelAdmin(OrganizationScopedAdmin):
    list_display = ["name", "organization", "theme", "started_year", "duration_text"]
    list_filter = ["theme"]
    list_select_related = ["organization", "theme"]
    search_fields = ["name", "description", "organization__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["theme", "document"]
    unscoped_choices = ("theme", "document")


@admin.register(Mentorship)
class MentorshipAdmin(OrganizationScopedAdmin):
    list_display = ["mentee", "mentor", "theme", "year", "programme"]
    list_filter = ["theme", "year"]
    list_select_related = ["mentee", "mentor", "theme", "programme__owner"]
    search_fields = ["mentee__name", "mentor__name", "theme__name"]
    autocomplete_fields = ["programme", "theme", "mentee", "mentor", "working_model"]
    unscoped_choices = ("theme", "mentee", "mentor", "working_model")


@admin.register(StatusReport)
class StatusReportAdmin(OrganizationScopedAdmin):
    """The status reports, to look up: they are generated and published from the staff
    workspace and the strategy's report page, and never changed. Only a version nobody has
    published yet may be deleted."""

    list_display = ["__str__", "strategy", "generated_at", "published_at", "size"]
    list_filter = ["period", "language", ("strategy__owner", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["strategy__owner"]
    search_fields = ["strategy__title", "note"]
    fields = [
        "strategy",
        ("period", "language", "version"),
        "note",
        ("generated_at", "generated_by"),
        ("published_at", "published_by"),
        ("size", "sha256"),
        "download",
    ]
    readonly_fields = [
        "strategy",
        "period",
        "language",
        "version",
        "note",
        "generated_at",
        "generated_by",
        "published_at",
        "published_by",
        "size",
        "sha256",
        "download",
    ]
    actions = []

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    @admin.display(description=_("PDF"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.filename + ".pdf")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None and not obj.is_published and super().has_delete_permission(request, obj)
        )
