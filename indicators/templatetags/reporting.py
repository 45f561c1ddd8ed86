"""The reporting cycle where staff work: {% reporting_summary %} on the admin's start page."""

from django import template

from indicators.models import IndicatorValue, ReportingRound

register = template.Library()


@register.inclusion_tag("admin/reporting_summary.html", takes_context=True)
def reporting_summary(context):
    """The open rounds of the organizations the user edits, each linked to who is missing,
    and how many values wait for the user's review."""
    user = context["request"].user
    rounds = ReportingRound.objects.open_for_editor(user)
    return {
        # A superuser's list is the country's; the admin's round list has the rest.
        "rounds": rounds.select_related("organization").order_by("deadline", "pk")[:SHOWN],
        "more": max(0, rounds.count() - SHOWN),
        "waiting": IndicatorValue.objects.awaiting_review_by(user).count(),
    }


SHOWN = 10
