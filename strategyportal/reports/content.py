"""What a strategy's status report for one period says, built in memory from a fixed number of
queries (its periods, the strategy's outline, what changed since the period before and its
actions' history): the same content for the print page and the PDF.

Each target is assessed as it stood when the report's period was the latest
(`GoalTarget.assessment_as_of`), against the target as it stood then, and worded as its page
words it (`summary_of`), so a report for the latest period says exactly what the target page
says unless the target changed since; its chart shows the values up to the period, counts of
fewer than five pupils left out as on the target page."""

import base64
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Action, FocusArea, Goal, Strategy
from indicators.charts import Chart
from indicators.models import GoalTarget, Indicator, TargetChange
from indicators.periods import PeriodKind, after_period, period_end, period_label
from indicators.progress import Assessment, Status, count_by_status
from indicators.tables import target_chart, target_rows
from strategyportal.outline import AreaNode, GoalNode, Outline, build_outline
from strategyportal.reports.changes import (
    Periods,
    StrategyChanges,
    TargetChanges,
    action_states_at,
    actions_of,
    changes_between,
    report_periods,
)

# Everything a chart can show, for the legend that explains them all once: a report's charts
# have none of their own.
EVERY_LINE = SimpleNamespace(observed=True, expected_line=True, target_y=0, milestones=True)


class NoSuchPeriod(ValueError):
    """The strategy has no report for the period (`changes.report_periods`): no approved
    value then, or outside its years, or after this year."""


@dataclass(frozen=True)
class PaperChart:
    """A target's chart (indicators/charts.py) drawn with few elements: its grid and its
    milestones are one path each, and its markers have no tooltips, since WeasyPrint's time
    grows with the number of elements and a report has hundreds of charts. Half the width of
    the text, the chart is as narrow as on a phone. It labels only its lowest and highest grid
    lines and its first and last period: WeasyPrint lays out and draws an SVG's text letter by
    letter, which took a third of a 200-target report's time with more ticks labelled. Its
    markers are three paths, not a circle per value, and it is a picture (`src`), not inline
    SVG, whose elements WeasyPrint would style as the page's."""

    chart: Chart

    @property
    def frame(self):
        return self.chart.frame

    @property
    def src(self) -> str:
        """The chart as a data: address for an <img> (reports/report_chart.svg)."""
        svg = render_to_string("reports/report_chart.svg", {"chart": self})
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    @property
    def grid(self) -> str:
        frame = self.frame
        lines = [f"M{frame.plot_left},{tick.position}H{frame.plot_right}" for tick in frame.y_ticks]
        lines += [f"M{tick.position},{frame.plot_bottom}v6" for tick in frame.x_ticks]
        return "".join(lines)

    @property
    def y_labels(self):
        return _ends(self.frame.y_ticks)

    @property
    def x_labels(self):
        return _ends(self.frame.x_ticks)

    @property
    def milestones(self) -> str:
        return "".join(f"M{marker.diamond.replace(' ', 'L')}Z" for marker in self.chart.milestones)

    @property
    def target_lines(self) -> str:
        """The target's level across the plot, and the upper end of a range, as one path."""
        frame, drawn = self.frame, self.chart
        levels = (drawn.target_y, drawn.target_upper_y)
        return "".join(
            f"M{frame.plot_left},{y}H{frame.plot_right}" for y in levels if y is not None
        )

    @property
    def markers(self) -> str:
        """Every value's marker as a point of one path (reports/report_chart.svg draws the points
        with round caps, so each is a disc): one element rather than one per value."""
        return _points(self.chart.observed)

    @property
    def illustrative_markers(self) -> str:
        """The illustrative values' markers, drawn hollow over the others."""
        return _points(marker for marker in self.chart.observed if marker.illustrative)


def _points(markers) -> str:
    return "".join(f"M{marker.x},{marker.y}h0" for marker in markers)


def _ends(ticks):
    return [ticks[0], ticks[-1]] if len(ticks) > 1 else list(ticks)


@dataclass(frozen=True)
class TargetReport:
    target: GoalTarget
    assessment: Assessment  # as of the report's period
    summary: str  # the verdict and forecast, worded as the target's page words them
    chart: PaperChart | None  # None without a value to draw
    news: TargetChanges | None  # what changed since the period before, if anything

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def anchor(self) -> str:
        return f"maalsaetning-{self.target.pk}"

    @property
    def hides_latest(self) -> bool:
        latest = self.assessment.latest
        return latest is not None and self.target.hides(latest.value)

    @property
    def changes(self) -> tuple[TargetChange, ...]:
        """The published target's own changes during the period, with their reasons."""
        return self.news.changes if self.news else ()


@dataclass
class GoalSection:
    goal: Goal
    targets: list[TargetReport]
    actions: list[Action]

    @property
    def anchor(self) -> str:
        return f"maal-{self.goal.pk}"


@dataclass
class AreaSection:
    area: FocusArea
    goals: list[GoalSection]
    actions: list[Action]  # of the area itself, not of its goals
    children: list["AreaSection"] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"omraade-{self.area.pk}"

    @property
    def has_targets(self) -> bool:
        """A target in the area or one nested in it: on paper only such an area starts a page,
        and the short ones without follow the one before."""
        return any(goal.targets for goal in self.goals) or any(
            child.has_targets for child in self.children
        )


@dataclass(frozen=True)
class Sources:
    """Where an indicator's values come from: its definition and data source, and the
    sources its approved values name, up to the report's period."""

    indicator: Indicator
    values: list[tuple[str, str]]  # (source, address), each once


@dataclass
class Report:
    strategy: Strategy
    period: int
    period_label: str
    generated: date
    areas: list[AreaSection]
    goals: list[GoalSection]  # of the whole strategy, outside any focus area
    actions: list[Action]  # of the whole strategy
    targets: list[TargetReport]
    periods: Periods  # every period the strategy has a report for
    changes: StrategyChanges  # since the period before
    # The end of the period, whose state each action shows; None: they show today's.
    action_states_as_of: date | None

    @property
    def organization(self):
        return self.strategy.owner

    @property
    def title(self) -> str:
        return _("Statusrapport for %(period)s: %(strategy)s, %(organization)s") % {
            "period": self.period_label,
            "strategy": self.strategy.title,
            "organization": self.organization.display_name,
        }

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        """Each status the targets have, best first, with how many have it."""
        counts = count_by_status(report.status for report in self.targets)
        return [(status, counts[status]) for status in reversed(Status) if counts[status]]

    @property
    def improved(self) -> list[TargetReport]:
        """The targets with a better verdict than in the period before."""
        return [report for report in self.targets if report.news and report.news.improved]

    @property
    def fell_behind(self) -> list[TargetReport]:
        return [report for report in self.targets if report.news and report.news.worsened]

    @property
    def changed(self) -> list[TargetReport]:
        return [report for report in self.targets if report.changes]

    @property
    def sources(self) -> list[Sources]:
        seen: dict[int, Sources] = {}
        for report in self.targets:
            indicator = report.target.indicator
            if indicator.pk not in seen:
                values = {
                    (value.source, value.source_url): None
                    for value in indicator.public_values
                    if value.period <= self.period and (value.source or value.source_url)
                }
                seen[indicator.pk] = Sources(indicator, list(values))
        return list(seen.values())

    legend = EVERY_LINE

    @property
    def methodology_url(self) -> str:
        return settings.PORTAL_URL.rstrip("/") + reverse("portal:methodology")


def build_report(strategy: Strategy, *, period: int, user=None) -> Report:
    """The report on `strategy` as of `period`, with what `user` may see (the public parts,
    or for the strategy's editors its drafts too), in a fixed number of queries whatever the
    size of the strategy: two for its periods (`report_periods`), the outline's seven, two
    for what changed since the period before (`changes_between`) and one for its actions'
    states at the period's end. Raises NoSuchPeriod for a period it has no report for."""
    periods = report_periods([strategy], user=user)[strategy.pk]
    if period not in periods.years:
        raise NoSuchPeriod(period)
    outline = build_outline(strategy, user=user)
    targets = outline.progress.targets
    changes = changes_between(strategy, since=period - 1, until=period, user=user, outline=outline)
    states_as_of = _states_as_of(outline, period, changes.period_kind)
    reports = {target.pk: _target_report(changes.compared[target.pk]) for target in targets}

    def goal_section(node: GoalNode) -> GoalSection:
        return GoalSection(
            goal=node.goal,
            targets=[reports[target.pk] for target in node.targets],
            actions=node.actions,
        )

    def area_section(node: AreaNode) -> AreaSection:
        return AreaSection(
            area=node.area,
            goals=[goal_section(goal) for goal in node.goals],
            actions=node.actions,
            children=[area_section(child) for child in node.children],
        )

    areas = [area_section(node) for node in outline.areas]
    goals = [goal_section(node) for node in outline.goals]
    return Report(
        strategy=strategy,
        period=period,
        period_label=period_label(period, changes.period_kind),
        generated=timezone.localdate(),
        areas=areas,
        goals=goals,
        actions=outline.actions,
        # In the order the report shows them, focus area by focus area.
        targets=[target for section in _sections(areas, goals) for target in section.targets],
        periods=periods,
        changes=changes,
        action_states_as_of=states_as_of,
    )


def _states_as_of(outline: Outline, period: int, kind: PeriodKind) -> date | None:
    """Set each action's state to the one it had published at the end of the report's period,
    from its history, and return that date. Leave every state as it is today, and return
    None, for a period not over yet, or when an action has no published record by its end
    (a row loaded without history, or one published later): a report mixing both would say
    neither."""
    end = after_period(period, kind)
    if end > timezone.now():
        return None
    actions = list(actions_of(outline))
    states = action_states_at(actions, end)
    if len(states) < len(actions):
        return None
    for action in actions:
        action.state = states[action.pk]
    return period_end(period, kind)


def _target_report(compared: TargetChanges) -> TargetReport:
    """A target as its comparison with the period before judged it at the report's period:
    against the target as it stood then, as the report's "what changed" does."""
    target, assessment = compared.target, compared.after
    chart = target_chart(target, target_rows(target, assessment), assessment)
    return TargetReport(
        target=target,
        assessment=assessment,
        summary=target.summary_of(assessment),
        # Values too small to publish are not drawn; a chart of only the target says nothing.
        chart=PaperChart(chart) if chart and chart.observed else None,
        news=compared if compared.has_news else None,
    )


def _sections(areas: list[AreaSection], goals: list[GoalSection]):
    """Every goal section, in the report's order."""
    for area in areas:
        yield from area.goals
        yield from _sections(area.children, [])
    yield from goals
