"""A staff member's start page in the admin: their organizations' strategies with how far
their targets have come and a form to make each one's status report, what waits for their
review, the open reporting rounds, the indicators still without a number for the latest
period, and what others changed lately.
Each part is read in a fixed number of queries, whatever the size of the organizations."""

import heapq
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.models import Action, FocusArea, Goal, Strategy
from indicators import services
from indicators.models import GoalTarget, Indicator, IndicatorValue, ReportingRound
from indicators.progress import Status
from indicators.rollups import status_counts
from municipalities import access
from strategyportal.reports.archive import report_form
from strategyportal.reports.services import report_periods

# Each list on the page is cut short; the admin's own lists have the rest.
SHOWN = 10


@dataclass(frozen=True)
class Change:
    when: datetime
    who: object
    kind: str
    what: str
    action: str
    url: str | None


def strategies(scope) -> list[Strategy]:
    """The strategies of `scope`'s organizations, each with its targets (drafts too) counted
    by their stored status, and the form that makes its status report."""
    found = list(
        scope.filter(Strategy.objects.all(), "owner")
        .select_related("owner")
        .annotate(goal_count=Count("goals"))
        .order_by("owner__name", "title")
    )
    counts = status_counts(GoalTarget.objects.filter(goal__strategy__in=found))
    periods = report_periods(found)
    for strategy in found:
        strategy.status_counts = list(counts.get(strategy.pk, {}).items())
        strategy.report_form = report_form(strategy, periods)
    return found


def latest_period() -> int:
    """The period the reporting page offers first: last calendar year, or the school year
    that began then."""
    return services.latest_reportable_period() - 1


def indicators_without_value(scope, period: int):
    """The indicators of `scope`'s organizations with no approved value for `period`."""
    approved = IndicatorValue.objects.approved().filter(indicator=OuterRef("pk"), period=period)
    return (
        scope.filter(Indicator.objects.active(), "organization")
        .exclude(Exists(approved))
        .select_related("organization", "metric")
        .order_by("organization__name", "name")
    )


def _text(text: str) -> str:
    return truncatechars(text, 80)


# What is recorded in the history and shown as a change: the path to its organization, what
# its history reads along, and how it is named.
RECORDED = (
    (Strategy, "owner", (), lambda record: record.title),
    (FocusArea, "strategy__owner", (), lambda record: record.title),
    (Goal, "strategy__owner", (), lambda record: _text(record.text)),
    (Action, "strategy__owner", (), lambda record: _text(record.text)),
    (
        GoalTarget,
        "goal__strategy__owner",
        ("indicator", "goal"),
        lambda record: f"{record.indicator.name}: {_text(record.goal.text)}",
    ),
    (
        IndicatorValue,
        "indicator__organization",
        ("indicator", "organization"),
        lambda record: f"{record.indicator.name}, {record.organization.name}, {record.period}",
    ),
)
ACTIONS = {"+": _("oprettet"), "~": _("ændret"), "-": _("slettet")}


def changes_by_others(user, scope) -> list[Change]:
    """The latest changes that others made to `scope`'s organizations' content (a query per
    kind of content)."""
    latest = []
    for model, path, related, name in RECORDED:
        records = (
            scope.filter(model.history.all(), path)
            .exclude(history_user=user)
            .select_related("history_user", *related)
            .order_by("-history_date")[:SHOWN]
        )
        latest.extend(
            Change(
                when=record.history_date,
                who=record.history_user,
                kind=model._meta.verbose_name,
                what=name(record),
                action=ACTIONS[record.history_type],
                url=None
                if record.history_type == "-"
                else reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                    args=[record.id],
                ),
            )
            for record in records
        )
    return heapq.nlargest(SHOWN, latest, key=lambda change: change.when)


def workspace(user) -> dict:
    scope = access.own_editor_scope(user)
    period = latest_period()
    rounds = ReportingRound.objects.open_for_editor(user)
    missing = indicators_without_value(scope, period) if scope else Indicator.objects.none()
    return {
        "is_superuser": user.is_superuser,
        "has_organizations": bool(scope),
        "strategies": strategies(scope) if scope else [],
        "waiting": IndicatorValue.objects.awaiting_review_by(user).count(),
        "rounds": rounds.select_related("organization").order_by("deadline", "pk")[:SHOWN],
        "more_rounds": max(0, rounds.count() - SHOWN),
        "period": period,
        "missing": list(missing[:SHOWN]),
        "missing_count": missing.count(),
        "changes": changes_by_others(user, scope) if scope else [],
        "statuses": Status,
    }
