"""Writes of the status reports' archive: generating a report as a new version, and
publishing it. A report, once stored, is never changed or deleted here: a correction is a new
version, and a published version stays public beside later ones."""

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import StatusReport, Strategy
from municipalities import access
from municipalities.models import ContentLanguage, User
from strategyportal.reports import pdf
from strategyportal.reports.changes import Periods, report_periods
from strategyportal.reports.content import NoSuchPeriod

__all__ = ["report_generate", "report_periods", "report_publish"]


def report_generate(
    *, strategy: Strategy, period: int, language: str, user: User, note: str = ""
) -> StatusReport:
    """Render the status report of `strategy` as of `period` and store it as the next version
    for that period and language, unpublished.

    The report is rendered as the public reads the strategy, without its editors' drafts,
    because it is made to be published; a draft strategy therefore has no report yet. It is
    rendered before the transaction that numbers and stores it: rendering takes seconds, and
    the strategy's row stays locked only while the version is numbered. A rendering that
    fails stores nothing."""
    if not access.can_edit(user, strategy.owner_id):
        raise PermissionDenied
    periods = _check(strategy=strategy, period=period, language=language)
    try:
        content = pdf.render_pdf(strategy, period=period, language=language, user=None)
    except NoSuchPeriod:
        # A value withdrawn since the check: the editor's choice, not the portal's fault.
        raise ValidationError({"period": _no_values(periods.label(period))}) from None
    return _store(
        strategy=strategy, period=period, language=language, user=user, note=note, content=content
    )


def _check(*, strategy: Strategy, period: int, language: str) -> Periods:
    """The strategy's report periods, after checking that the report can be made."""
    periods = report_periods([strategy])[strategy.pk]
    errors = {}
    if not strategy.is_published:
        errors[NON_FIELD_ERRORS] = _(
            "Strategien er en kladde. Offentliggør den først; en statusrapport gør status for "
            "det, offentligheden kan læse."
        )
    if period not in periods.years:
        errors["period"] = _no_values(periods.label(period))
    if language not in ContentLanguage.values:
        errors["language"] = _("Vælg dansk, svensk eller engelsk.")
    if errors:
        raise ValidationError(errors)
    return periods


def _no_values(period: str) -> str:
    return _("Strategien har ingen godkendte tal for %(period)s inden for strategiens år.") % {
        "period": period
    }


@transaction.atomic
def _store(
    *, strategy: Strategy, period: int, language: str, user: User, note: str, content: bytes
) -> StatusReport:
    # Two clicks at once wait for each other here and become versions 1 and 2.
    Strategy.objects.select_for_update().get(pk=strategy.pk)
    latest = (
        StatusReport.objects.filter(strategy=strategy, period=period, language=language)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    report = StatusReport(
        strategy=strategy,
        period=period,
        language=language,
        version=(latest or 0) + 1,
        pdf=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        generated_by=user,
        note=note,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_publish(*, report: StatusReport, user: User) -> StatusReport:
    """Make `report` public, beside the versions published before it. Publishing is for
    good: a later correction is a new version, published in its turn."""
    report = StatusReport.objects.select_for_update().select_related("strategy").get(pk=report.pk)
    if not access.can_edit(user, report.strategy.owner_id):
        raise PermissionDenied
    if report.is_published:
        raise ValidationError(_("Rapporten er allerede offentliggjort."))
    report.published_at = timezone.now()
    report.published_by = user
    report.save(update_fields=["published_at", "published_by"])
    return report
