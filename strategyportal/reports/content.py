"""What a strategy's status report for one period says, built in memory from a fixed number of
queries (the strategy's outline, then what changed since the period before): the same content
for the print page and the PDF.

Each target is assessed as it stood when the report's period was the latest
(`GoalTarget.assessment_as_of`) and worded as its page words it (`summary_of`), so a report
for the latest period says exactly what the target page says; its chart shows the values up
to the period, counts of fewer than five pupils left out as on the target page."""

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Action, FocusArea, Goal, Strategy
from indicators.charts import Chart
from indicators.models import GoalTarget, Indicator, TargetChange
from indicators.periods import period_label
from indicators.progress import Assessment, Status, count_by_status
from indicators.tables import target_rows
from indicators.wording import status_count
from strategyportal.outline import AreaNode, GoalNode, build_outline
from strategyportal.reports.changes import StrategyChanges, TargetChanges, changes_between
from strategyportal.views import target_chart

# Everything a chart can show, for the legend that explains them all once (the PDF leaves out
# each chart's own).
EVERY_LINE = SimpleNamespace(observed=True, expected_line=True, target_y=0, milestones=True)


class NoSuchPeriod(ValueError):
    """The strategy has no report for the period: before its first year or after its last
    (or this year)."""


@dataclass(frozen=True)
class PaperChart:
    """A target's chart (indicators/charts.py) drawn with few elements: its grid and its
    milestones are one path each, and its markers have no tooltips, since WeasyPrint's time
    grows with the number of elements and a report has hundreds of charts. Half the width of
    the text, the chart is as narrow as on a phone and labels as few periods."""

    chart: Chart

    @property
    def frame(self):
        return self.chart.frame

    @property
    def grid(self) -> str:
        frame = self.frame
        lines = [f"M{frame.plot_left},{tick.position}H{frame.plot_right}" for tick in frame.y_ticks]
        lines += [f"M{tick.position},{frame.plot_bottom}v6" for tick in frame.x_ticks]
        return "".join(lines)

    @property
    def x_labels(self):
        return [tick for tick in self.frame.x_ticks if tick.narrow]

    @property
    def milestones(self) -> str:
        return "".join(f"M{marker.diamond.replace(' ', 'L')}Z" for marker in self.chart.milestones)


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
    periods: range  # every period the strategy has a report for
    changes: StrategyChanges  # since the period before

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
    def status_counts(self) -> list[tuple[Status, str]]:
        """Each status the targets have, best first, with its count in words."""
        counts = count_by_status(report.status for report in self.targets)
        return [
            (status, status_count(status, counts[status]))
            for status in reversed(Status)
            if counts[status]
        ]

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
    size of the strategy: the outline's seven, and two for what changed since the period
    before (`changes_between`). Raises NoSuchPeriod for a period it has no report for."""
    outline = build_outline(strategy, user=user)
    targets = outline.progress.targets
    periods = report_periods(strategy, targets)
    if period not in periods:
        raise NoSuchPeriod(period)
    changes = changes_between(strategy, since=period - 1, until=period, user=user, outline=outline)
    news = {item.target.pk: item for goal in changes.goals for item in goal.targets}
    reports = {target.pk: _target_report(target, period, news.get(target.pk)) for target in targets}

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
    )


def report_periods(strategy: Strategy, targets: list[GoalTarget]) -> range:
    """From the strategy's first year (without one, its first value's period) to its last
    year, and never beyond this year: a report says how far the strategy had come."""
    this_year = timezone.localdate().year
    first = strategy.start_year or min(
        (point.period for target in targets for point in target.indicator.series),
        default=this_year,
    )
    last = min(strategy.end_year or this_year, this_year)
    return range(first, last + 1)


def _target_report(target: GoalTarget, period: int, news: TargetChanges | None) -> TargetReport:
    assessment = target.assessment_as_of(period)
    chart = target_chart(target, target_rows(target, assessment), assessment)
    return TargetReport(
        target=target,
        assessment=assessment,
        summary=target.summary_of(assessment),
        # Values too small to publish are not drawn; a chart of only the target says nothing.
        chart=PaperChart(chart) if chart and chart.observed else None,
        news=news,
    )


def _sections(areas: list[AreaSection], goals: list[GoalSection]):
    """Every goal section, in the report's order."""
    for area in areas:
        yield from area.goals
        yield from _sections(area.children, [])
    yield from goals
