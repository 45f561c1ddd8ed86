"""Reporting and review: school leaders enter their organization's yearly values; editors of
the owning organization approve or reject them. Only approved values are public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators import services
from indicators.forms import RejectForm, ValueForm
from indicators.models import GoalTarget, Indicator, IndicatorValue
from indicators.rounds import rounds_asking_for
from municipalities import access
from municipalities.models import Organization

PERIODS_SHOWN = 6


def reportable_organization_or_403(request, slug: str) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    if not access.can_report(request.user, organization.pk):
        raise PermissionDenied
    return organization


def reviewable_value_or_403(request, pk: int) -> IndicatorValue:
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__organization", "indicator__metric"),
        pk=pk,
    )
    if not access.can_edit(request.user, access.organization_of(value)):
        raise PermissionDenied
    return value


@login_required
def report(request, organization):
    organization = reportable_organization_or_403(request, organization)
    latest = services.latest_reportable_period()
    period = _chosen_period(request, latest)
    # A school reports each series once, however many strategies set a target on it.
    indicators = list(
        Indicator.objects.filter(reporting_organizations=organization)
        .select_related("organization", "metric")
        .prefetch_related(_targets("targets"))
        .order_by("organization__name", "name", "pk")
    )
    values = {
        (value.indicator_id, value.period): value
        for value in IndicatorValue.objects.filter(
            organization=organization, indicator__in=indicators, period__in=[period, period - 1]
        ).select_related("entered_by", "reviewed_by")
    }
    data = request.POST if request.method == "POST" else None
    rows = [
        {
            "indicator": indicator,
            "form": ValueForm(
                data, indicator=indicator, current=values.get((indicator.pk, period))
            ),
            "previous": values.get((indicator.pk, period - 1)),
            "targets": _visible_targets(request.user, indicator),
            "period_error": services.period_error(indicator, period),
        }
        for indicator in indicators
    ]
    if data is not None and _save_report(request, organization, period, rows):
        return redirect(f"{request.path}?periode={period}")
    context = {
        "organization": organization,
        "period": period,
        "periods": range(latest, latest - PERIODS_SHOWN, -1),
        "rows": rows,
        "rounds": rounds_asking_for(indicators, period),
        "has_errors": data is not None and any(row["form"].errors for row in _open(rows)),
    }
    return render(request, "indicators/report.html", context)


def _targets(lookup: str) -> Prefetch:
    """The goal targets on an indicator, with what the page says about each: the goal, its
    strategy and the target phrase (which reads the milestones)."""
    return Prefetch(
        lookup,
        queryset=GoalTarget.objects.select_related("goal__strategy")
        .prefetch_related("milestones")
        .order_by("goal__strategy__title", "goal__order", "pk"),
    )


def _visible_targets(user, indicator: Indicator) -> list[GoalTarget]:
    """The targets on `indicator` that `user` may read: those of published strategies, and
    drafts of the organizations the user edits. Reads the prefetched targets."""
    return [
        target
        for target in indicator.targets.all()
        if target.goal.strategy.is_published or access.can_edit(user, target.goal.strategy.owner_id)
    ]


def _chosen_period(request, latest: int) -> int:
    try:
        period = int(request.POST.get("period") or request.GET.get("periode") or latest - 1)
    except ValueError:
        return latest - 1
    return min(period, latest)


def _open(rows) -> list[dict]:
    """The rows whose value may be entered: not locked by approval, not a refused period."""
    return [row for row in rows if not row["period_error"] and not row["form"].is_locked]


def _save_report(request, organization, period, rows) -> bool:
    """Validate every row, then save them all or none; False leaves the errors on the rows."""
    open_rows = _open(rows)
    if not all(row["form"].is_valid() for row in open_rows):
        return False
    entries = [
        services.ValueEntry(
            indicator=row["indicator"],
            value=row["form"].cleaned_data["value"],
            note=row["form"].cleaned_data["note"],
            source=row["form"].cleaned_data["source"],
            revision=row["form"].cleaned_data["revision"],
        )
        for row in open_rows
        if row["form"].cleaned_data["value"] is not None
    ]
    if not entries:
        messages.error(request, _("Skriv mindst ét tal, før du gemmer."))
        return False
    submit = request.POST.get("action") == "submit"
    try:
        services.value_report(
            organization=organization,
            period=period,
            entries=entries,
            user=request.user,
            submit=submit,
        )
    except ValidationError as error:
        _show_stored_where_stale(request, organization, period, open_rows)
        for row in open_rows:
            for message in error.message_dict.get(str(row["indicator"].pk), []):
                row["form"].add_error("value", message)
        return False
    if submit:
        text = ngettext(
            "%(count)d tal er sendt til godkendelse.",
            "%(count)d tal er sendt til godkendelse.",
            len(entries),
        )
    else:
        text = ngettext(
            "%(count)d tal er gemt som kladde.", "%(count)d tal er gemt som kladde.", len(entries)
        )
    messages.success(request, text % {"count": len(entries)})
    return True


def _show_stored_where_stale(request, organization, period, rows) -> None:
    """Where someone else saved the value after the page was opened, show what is stored now,
    with its revision, so that saving again works without reloading the page."""
    stored = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            organization=organization, period=period, indicator__in=[r["indicator"] for r in rows]
        ).select_related("entered_by", "reviewed_by")
    }
    for row in rows:
        form, current = row["form"], stored.get(row["indicator"].pk)
        if current is None or form.cleaned_data.get("revision") == current.revision:
            continue
        data = request.POST.copy()
        shown = ValueForm(indicator=row["indicator"], current=current)
        for name, field in shown.fields.items():
            data[shown.add_prefix(name)] = shown.get_initial_for_field(field, name)
        row["form"] = ValueForm(data, indicator=row["indicator"], current=current)
        row["form"].is_valid()


@login_required
def review(request):
    if not access.editor_scope(request.user):
        raise PermissionDenied
    return render(request, "indicators/review.html", _review_context(request))


def _review_context(request, rejected: IndicatorValue | None = None, reject_form=None) -> dict:
    values = list(
        IndicatorValue.objects.awaiting_review_by(request.user)
        .select_related(
            "indicator__organization", "indicator__metric", "organization", "entered_by"
        )
        .prefetch_related(_targets("indicator__targets"))
        .order_by("indicator__organization__name", "indicator__name", "period", "pk")
    )
    for value in values:
        value.targets = _visible_targets(request.user, value.indicator)
        # Four eyes: the service refuses it too; the page says so before anyone tries.
        value.is_own = value.entered_by_id == request.user.pk and not request.user.is_superuser
        value.reject_form = (
            reject_form if value == rejected else RejectForm(prefix=f"value-{value.pk}")
        )
    return {"values": values}


@login_required
@require_POST
def approve(request, pk):
    value = reviewable_value_or_403(request, pk)
    try:
        services.value_approve(value=value, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Tallet for %(indicator)s, %(period)s er godkendt og offentliggjort.")
            % {"indicator": value.indicator.name, "period": value.period_label},
        )
    return redirect(reverse("reporting:review"))


@login_required
@require_POST
def reject(request, pk):
    value = reviewable_value_or_403(request, pk)
    form = RejectForm(request.POST, prefix=f"value-{value.pk}")
    form.is_valid()
    try:
        services.value_reject(value=value, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for message in error.message_dict.get("reason", []):
                form.add_error("reason", message)
        else:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("reporting:review"))
        context = _review_context(request, rejected=value, reject_form=form)
        return render(request, "indicators/review.html", context, status=400)
    messages.success(
        request,
        _("Tallet for %(indicator)s, %(period)s er sendt tilbage med din begrundelse.")
        % {"indicator": value.indicator.name, "period": value.period_label},
    )
    return redirect(reverse("reporting:review"))
