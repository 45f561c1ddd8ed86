"""The indicator's admin page: its link to public statistics (an inline), and the page its
editors fetch the values on: a preview of what is new and changed, and a button that
submits them for approval."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import StatisticsLink
from indicators.statistics.client import StatisticsError
from indicators.statistics.imports import count_message, statistics_import, statistics_preview
from indicators.uploads import Action
from indicators.wording import format_quantity
from municipalities import access
from municipalities.admin_scoping import OrganizationScopedInline


class StatisticsLinkInline(OrganizationScopedInline, admin.StackedInline):
    model = StatisticsLink
    extra = 0
    max_num = 1
    fields = [
        ("service", "table"),
        ("area_variable", "kolada_ou"),
        "variables",
        "scale",
        "fetch",
        ("last_fetched_at", "last_result"),
    ]
    readonly_fields = ["fetch", "last_fetched_at", "last_result"]

    @admin.display(description=gettext_lazy("hent tal"))
    def fetch(self, obj):
        if obj is None or obj.pk is None:
            return _("Gem koblingen først; så kan tallene hentes.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:indicators_indicator_statistics", args=[obj.indicator_id]),
            _("Se, hvad der hentes"),
        )


class StatisticsImportAdmin:
    """The page `…/indikator/<id>/hent-statistik/`: GET shows what fetching would bring,
    POST submits it for approval, if it is still what was shown. Editors of the
    indicator's organization only."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/hent-statistik/",
                self.admin_site.admin_view(self.statistics_view),
                name="indicators_indicator_statistics",
            ),
            *super().get_urls(),
        ]

    def statistics_view(self, request, object_id):
        indicator = self.get_object(request, unquote(object_id))
        if indicator is None:
            raise Http404
        if not access.can_edit(request.user, indicator.organization_id):
            raise PermissionDenied
        try:
            link = indicator.statistics_link
        except StatisticsLink.DoesNotExist:
            raise Http404 from None
        change_page = reverse("admin:indicators_indicator_change", args=[indicator.pk])
        if request.method == "POST":
            try:
                preview = statistics_import(
                    link=link, user=request.user, digest=request.POST.get("digest", "")
                )
            except (StatisticsError, ValidationError) as error:
                for message in getattr(error, "messages", None) or [str(error)]:
                    messages.error(request, message)
            else:
                messages.success(request, count_message(preview))
                return redirect(change_page)
        preview = error = None
        try:
            preview = statistics_preview(link=link)
        except StatisticsError as failure:
            error = str(failure)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": indicator,
            "title": _("Hent tal fra %(source)s") % {"source": link.source},
            "link": link,
            "preview": preview,
            "error": error,
            "rows": [] if preview is None else _shown_rows(preview, indicator),
            "change_page": change_page,
        }
        return TemplateResponse(request, "admin/indicators/statistics_preview.html", context)


def _action(row) -> Action:
    # In the words of a spreadsheet upload's preview.
    if row.is_new:
        return Action.NEW
    return Action.CHANGE if row.is_changed else Action.UNCHANGED


def _shown_rows(preview, indicator) -> list[dict]:
    def shown(value):
        return format_quantity(value, indicator.unit, indicator.decimals)

    return [
        {
            "organization": row.organization,
            "period": indicator.period_label(row.period),
            "old": None if row.old is None else shown(row.old),
            "new": shown(row.value),
            "action": _action(row).label,
        }
        for row in preview.rows
    ]
