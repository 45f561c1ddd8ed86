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

from indicators import plausibility, services
from indicators.forms import RejectForm, ValueForm
from indicators.models import GoalTarget, Indicator, IndicatorValue, ReportingRound
from indicators.rounds import rounds_asking_for
from municipalities import access
from municipalities.models import Organization

# How far back the period choice goes: a reporter catching up on missing years.
PERIODS_SHOWN = 10
# The review queue links to who is missing in the reviewer's open rounds; a superuser's are
# the country's, so the list is cut short (the admin lists them all).
ROUNDS_LINKED = 10


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
    periods = _chosen_periods(request, latest)
    # A school reports each series once, however many strategies set a target on it.
    indicators = list(
        Indicator.objects.active()
        .filter(reporting_organizations=organization)
        .select_related("organization", "metric")
        .prefetch_related(_targets("targets"))
        .order_by("organization__name", "name", "pk")
    )
    stored = _stored_values(organization, indicators, [periods[0] - 1, *periods])
    data = request.POST if request.method == "POST" else None
    rows = []
    for indicator in indicators:
        targets = _visible_targets(request.user, indicator)
        for period in periods:
            current = stored.get((indicator.pk, period))
            rows.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "form": ValueForm(
                        data,
                        indicator=indicator,
                        period=period,
                        organization_id=organization.pk,
                        current=current,
                    ),
                    "previous": stored.get((indicator.pk, period - 1)),
                    "targets": targets,
                    "period_error": services.period_error(indicator, period),
                }
            )
    if data is not None and _save_report(request, organization, rows):
        return redirect(f"{request.path}?{_periods_query(periods)}")
    choices = range(latest, latest - PERIODS_SHOWN, -1)
    context = {
        "organization": organization,
        "periods": periods,
        "first": periods[0],
        "last": periods[-1],
        "choices": choices,
        "rows": rows,
        "rounds": rounds_asking_for(indicators, periods),
        "has_errors": data is not None and any(row["form"].errors for row in _open(rows)),
        # When every form is valid but some numbers moved more than expected, they are not
        # errors: the page asks the reporter to check them.
        "asks_confirmation": any(row["form"].asks_confirmation for row in rows),
    }
    return render(request, "indicators/report.html", context)


def _stored_values(organization, indicators, periods) -> dict[tuple[int, int], IndicatorValue]:
    return {
        (value.indicator_id, value.period): value
        for value in IndicatorValue.objects.filter(
            organization=organization, indicator__in=indicators, period__in=periods
        ).select_related("entered_by", "reviewed_by")
    }


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
    """The targets on `indicator` that `user` may read: the public ones, and drafts of the
    organizations the user edits, none of them archived. Reads the prefetched targets."""
    return [
        target
        for target in indicator.targets.all()
        if not target.in_archive and target.is_visible_to(user)
    ]


def _chosen_periods(request, latest: int) -> list[int]:
    """The periods on the page: one (`periode`), or a span from `fra` to `periode` for a
    reporter catching up on missing years; never a period that has not begun."""
    params = request.POST if request.method == "POST" else request.GET
    last = _period_param(params.get("periode"), latest - 1)
    last = min(last, latest)
    first = min(_period_param(params.get("fra"), last), last)
    first = max(first, last - PERIODS_SHOWN + 1)
    return list(range(first, last + 1))


def _period_param(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _periods_query(periods: list[int]) -> str:
    if len(periods) == 1:
        return f"periode={periods[0]}"
    return f"fra={periods[0]}&periode={periods[-1]}"


def _open(rows) -> list[dict]:
    """The rows whose value may be entered: not locked by approval, not a refused period."""
    return [row for row in rows if not row["period_error"] and not row["form"].is_locked]


def _save_report(request, organization, rows) -> bool:
    """Validate every row, then save them all or none; False leaves the errors on the rows."""
    open_rows = _open(rows)
    if not all(row["form"].is_valid() for row in open_rows):
        return False
    if not _confirmed(rows):
        return False
    entries = [
        services.ValueEntry(
            indicator=row["indicator"],
            period=row["period"],
            value=row["form"].cleaned_data["value"],
            weight=row["form"].cleaned_data.get("weight"),
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
            organization=organization, entries=entries, user=request.user, submit=submit
        )
    except ValidationError as error:
        _show_stored_where_stale(request, organization, open_rows)
        for row in open_rows:
            key = services.entry_key(row["indicator"].pk, row["period"])
            for message in error.message_dict.get(key, []):
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


def _confirmed(rows) -> bool:
    """Ask for confirmation of every number that moved more than its metric expects from
    the period before: the one typed on the page for that period, else the stored one.
    False when any number still needs it."""
    typed = {
        (row["indicator"].pk, row["period"]): row["form"].cleaned_data.get("value")
        for row in rows
        if row["form"].is_bound and row["form"].is_valid()
    }
    for row in _open(rows):
        key = (row["indicator"].pk, row["period"] - 1)
        previous = typed.get(key)
        if previous is None and row["previous"] is not None:
            previous = row["previous"].value
        row["form"].check_change(previous, row["period"] - 1)
    return not any(row["form"].asks_confirmation for row in rows)


def _show_stored_where_stale(request, organization, rows) -> None:
    """Where someone else saved the value after the page was opened, show what is stored now,
    with its revision, so that saving again works without reloading the page."""
    stored = _stored_values(
        organization, [row["indicator"] for row in rows], {row["period"] for row in rows}
    )
    for row in rows:
        form, current = row["form"], stored.get((row["indicator"].pk, row["period"]))
        if current is None or form.cleaned_data.get("revision") == current.revision:
            continue
        data = request.POST.copy()
        options = {
            "indicator": row["indicator"],
            "period": row["period"],
            "organization_id": organization.pk,
            "current": current,
        }
        shown = ValueForm(**options)
        for name, field in shown.fields.items():
            data[shown.add_prefix(name)] = shown.get_initial_for_field(field, name)
        row["form"] = ValueForm(data, **options)
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
    previous = _previous_values(values)
    for value in values:
        value.targets = _visible_targets(request.user, value.indicator)
        value.previous = previous.get((value.indicator_id, value.organization_id, value.period))
        if value.previous:
            value.previous.indicator = value.indicator  # its label and unit, without a query
        value.change = value.previous and plausibility.implausible_change(
            value.previous.value, value.value, value.indicator.metric.plausible_change
        )
        # Four eyes: the service refuses it too; the page says so before anyone tries.
        value.is_own = value.entered_by_id == request.user.pk and not request.user.is_superuser
        value.reject_form = (
            reject_form if value == rejected else RejectForm(prefix=f"value-{value.pk}")
        )
    rounds = (
        ReportingRound.objects.open_for_editor(request.user)
        .select_related("organization")
        .order_by("deadline", "pk")[:ROUNDS_LINKED]
    )
    return {"values": values, "rounds": rounds}


def _previous_values(values: list[IndicatorValue]) -> dict[tuple[int, int, int], IndicatorValue]:
    """The value of the period before each of `values`, of the same indicator and
    organization, keyed by the later value's indicator, organization and period (one
    query)."""
    wanted = {(value.indicator_id, value.organization_id, value.period - 1) for value in values}
    if not wanted:
        return {}
    found = IndicatorValue.objects.filter(
        indicator__in={key[0] for key in wanted},
        organization__in={key[1] for key in wanted},
        period__in={key[2] for key in wanted},
    )
    return {
        (value.indicator_id, value.organization_id, value.period + 1): value
        for value in found
        if (value.indicator_id, value.organization_id, value.period) in wanted
    }


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
