"""{% status_reports strategy %}: on a strategy's page, the latest published status report
of each period, and the way to all of them."""

from django import template
from django.utils.translation import get_language

from goals.models import StatusReport
from municipalities import access
from strategyportal.reports.archive import editions
from strategyportal.reports.changes import outline_period_kind

register = template.Library()


@register.inclusion_tag("reports/archive_links.html", takes_context=True)
def status_reports(context, strategy):
    published = (
        StatusReport.objects.public()
        .without_pdf()
        .filter(strategy=strategy)
        .select_related("strategy__owner")
        .order_by("-period", "language", "-version")
    )
    return {
        "strategy": strategy,
        "editions": [
            edition
            # Labelled by the strategy's periods as its page shows them, read already.
            for edition in editions(list(published), outline_period_kind(context["outline"]))
            if edition.current
        ],
        "may_edit": access.can_edit(context["request"].user, strategy.owner_id),
        "language": get_language(),
    }
