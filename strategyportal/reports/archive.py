"""The status reports that editors generated and kept: the public reads the published
versions of a strategy's reports (`reports`, `download`), its editors also the unpublished
ones, and generate and publish them (`generate`, `publish`; the staff workspace has the same
form per strategy). A version once stored never changes: a correction is the next version."""

import io
import logging
from dataclasses import dataclass, field
from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from goals.models import StatusReport, Strategy
from indicators.periods import PeriodKind, period_label
from municipalities import access
from municipalities.models import ContentLanguage
from strategyportal.breadcrumbs import trail
from strategyportal.forms import PortalForm
from strategyportal.reports import services
from strategyportal.reports.changes import Periods
from strategyportal.views import editable_strategy_or_403, public_strategy_or_404

logger = logging.getLogger(__name__)

# A published version never changes; an hour bounds how long a browser keeps one that its
# strategy has since withdrawn from the public.
PUBLISHED_MAX_AGE = 3600


class ReportForm(PortalForm):
    period = forms.TypedChoiceField(
        label=_("Periode"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Vælg en periode, som strategien har godkendte tal for.")
        },
    )
    language = forms.ChoiceField(label=_("Sprog"), choices=ContentLanguage.choices)
    note = forms.CharField(
        label=_("Bemærkning"),
        required=False,
        max_length=StatusReport._meta.get_field("note").max_length,
        help_text=_("Hvorfor denne version laves, fx »rettet tal for 2024«. Valgfri."),
    )

    def __init__(self, *args, strategy: Strategy, periods: Periods, **kwargs):
        # Ids of their own: the staff workspace has a form per strategy on one page.
        kwargs.setdefault("auto_id", f"id_report_{strategy.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods.choices
        self.fields["period"].initial = periods.years[-1] if periods.years else None
        # The language its owner writes in: a Swedish school's report is Swedish, whatever
        # the editor's own language. WeasyPrint tags the whole PDF with it, not its parts.
        self.fields["language"].initial = strategy.owner.language


def report_form(strategy: Strategy, periods: dict[int, Periods], data=None) -> ReportForm:
    """The form that makes a report of `strategy`, offering the periods a report can be made
    for, newest first (`services.report_periods`)."""
    return ReportForm(data, strategy=strategy, periods=periods[strategy.pk])


@dataclass
class Edition:
    """A strategy's reports for one period in one language: the version the public reads
    (the latest published), the earlier published versions, and for its editors the versions
    not published yet."""

    period: int
    label: str  # the period as the report writes it: 2024 or 2024/25
    language: str
    current: StatusReport | None = None
    earlier: list[StatusReport] = field(default_factory=list)
    unpublished: list[StatusReport] = field(default_factory=list)


def editions(reports: list[StatusReport], kind: PeriodKind) -> list[Edition]:
    """`reports`, ordered by period (newest first), language and version (newest first),
    grouped into editions, each period labelled by `kind`, the strategy's."""
    found = []
    for (period, language), versions in groupby(reports, lambda r: (r.period, r.language)):
        edition = Edition(period=period, label=period_label(period, kind), language=language)
        for report in versions:
            if not report.is_published:
                edition.unpublished.append(report)
            elif edition.current is None:
                edition.current = report
            else:
                edition.earlier.append(report)
        found.append(edition)
    return found


def _reports_of(strategy: Strategy, user):
    return (
        StatusReport.objects.visible_to(user)
        .without_pdf()
        .filter(strategy=strategy)
        .select_related("strategy__owner")
        .order_by("-period", "language", "-version")
    )


def reports(request, owner, strategy):
    return _list_page(request, public_strategy_or_404(request, owner, strategy))


def _list_page(request, strategy: Strategy, form: ReportForm | None = None):
    may_edit = access.can_edit(request.user, strategy.owner_id)
    periods = services.report_periods([strategy])
    if may_edit and form is None:
        form = report_form(strategy, periods)
    context = {
        "strategy": strategy,
        "editions": editions(list(_reports_of(strategy, request.user)), periods[strategy.pk].kind),
        "form": form if may_edit else None,
        "breadcrumbs": trail(strategy.owner, strategy, gettext("Statusrapporter")),
    }
    return render(request, "reports/archive.html", context)


@require_POST
def generate(request, owner, strategy):
    strategy = editable_strategy_or_403(request, owner, strategy)
    periods = services.report_periods([strategy])
    form = report_form(strategy, periods, data=request.POST)
    if form.is_valid():
        try:
            report = services.report_generate(
                strategy=strategy, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except Exception:
            # WeasyPrint or the data it was given: the editor learns that nothing was kept,
            # the operators get the traceback.
            logger.exception(
                "Status report of strategy %s for %s failed",
                strategy.pk,
                form.cleaned_data["period"],
            )
            form.add_error(
                None,
                gettext(
                    "Rapporten kunne ikke laves, og intet er gemt. Portalens drift har fået "
                    "besked; prøv igen senere."
                ),
            )
        else:
            messages.success(
                request,
                gettext(
                    "Statusrapporten for %(period)s er lavet som version %(version)s. Den er "
                    "ikke offentlig, før du offentliggør den."
                )
                % {"period": periods[strategy.pk].label(report.period), "version": report.version},
            )
            return redirect(_list_url(strategy))
    return _list_page(request, strategy, form)


@require_POST
def publish(request, owner, strategy, pk):
    strategy = editable_strategy_or_403(request, owner, strategy)
    report = get_object_or_404(StatusReport.objects.without_pdf(), pk=pk, strategy=strategy)
    try:
        services.report_publish(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Statusrapporten for %(period)s, version %(version)s, er nu offentlig.")
            % {"period": _label(strategy, report.period), "version": report.version},
        )
    return redirect(_list_url(strategy))


def download(request, owner, strategy, pk, filename):
    report = get_object_or_404(
        StatusReport.objects.visible_to(request.user)
        .without_pdf()
        .select_related("strategy__owner"),
        pk=pk,
        strategy__slug=strategy,
        strategy__owner__slug=owner,
    )
    if filename != report.filename:
        return redirect(report, permanent=True)
    etag, modified = f'"{report.sha256}"', report.generated_at.timestamp()
    # A revisit is answered before the bytes are read.
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is None:
        pdf = StatusReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).get()
        # Streamed, so that the page cache keeps no copy of megabytes it may never serve.
        response = FileResponse(
            io.BytesIO(bytes(pdf)),
            content_type="application/pdf",
            filename=f"{report.filename}.pdf",
        )
    else:
        response = not_modified
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    if report.is_public:
        patch_cache_control(response, public=True, max_age=PUBLISHED_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _label(strategy: Strategy, period: int) -> str:
    return services.report_periods([strategy])[strategy.pk].label(period)


def _list_url(strategy: Strategy) -> str:
    return reverse("portal:status_reports", args=[strategy.owner.slug, strategy.slug])
