"""What changed in a strategy between two periods: new values, changed verdicts, targets met,
deadlines missed, targets changed and actions started or finished, for the status report and
its own page (`changes_between`).

The tree, and so what the reader may see, is `build_outline`'s; a verdict is the target's
`assessment_as_of` each period, as a status report for that year said it: judged against the
target as it stood, published, when that period ended, so lowering a target later does not
turn an old "behind" into "met". The whole comparison costs a fixed number of queries: the
outline's, then the history of every target and of every action in one query each.

Periods are years (a school year is stored as the year it begins), but changes of a target
and of an action are dated: the changes between two periods are those in their
`indicators.periods.Interval`. A target is dated by its own kind; an action, which has no
period, by the strategy's (`StrategyChanges.period_kind`).
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from django.utils import timezone
from django.utils.translation import ngettext_lazy

from goals.models import Action, ActionState, Goal, Strategy, StrategyStatus
from indicators.models import GoalTarget, IndicatorValue, TargetChange, target_changes_in
from indicators.periods import (
    FIRST_YEAR,
    Interval,
    PeriodKind,
    after_period,
    period_kind_of,
    period_label,
)
from indicators.progress import Assessment, Status
from indicators.tables import series_rows
from indicators.wording import format_number
from strategyportal.outline import AreaNode, GoalNode, Outline, build_outline

# How far apart two periods may be and still make a comparison: two strategies' lifetimes.
LONGEST_INTERVAL = 50


@dataclass(frozen=True)
class NewValue:
    period: int
    label: str
    value: float | None  # None: a count of too few pupils to publish, never the number
    illustrative: bool  # an example for demonstration, not a real number


@dataclass(frozen=True)
class TargetChanges:
    """One goal target between the two periods."""

    target: GoalTarget
    since: int
    until: int
    before: Assessment  # as it stood at `since`, against the target as it stood then
    after: Assessment  # as it stood at `until`, against the target as it stood then
    new_values: tuple[NewValue, ...]
    changes: tuple[TargetChange, ...]  # of the target itself, with their reasons

    @property
    def summary(self) -> str:
        """The verdict at `until` in sentences, as the target's page words it."""
        return self.target.summary_of(self.after)

    @property
    def verdict_changed(self) -> bool:
        return self.before.status != self.after.status

    @property
    def improved(self) -> bool:
        """A better verdict than before; from or to too few values is neither better nor worse."""
        return self._compared() > 0

    @property
    def worsened(self) -> bool:
        return self._compared() < 0

    @property
    def met(self) -> bool:
        """Reached in the interval: met at `until`, not yet at `since`."""
        return (
            self.after.status is Status.TARGET_MET and self.before.status is not Status.TARGET_MET
        )

    @property
    def deadline(self) -> int | None:
        """The target's period as it stood at `until`."""
        return self.after.target.period

    @property
    def deadline_missed(self) -> bool:
        """The target's period fell in the interval, has ended, and the target was not met by
        `until`: a deadline in this year has not passed before the year is over."""
        return (
            self.deadline is not None
            and self.since < self.deadline <= self.until
            and after_period(self.deadline, self.target.period_kind) <= timezone.now()
            and self.after.status is not Status.TARGET_MET
        )

    @property
    def deadline_value_missing(self) -> bool:
        """A missed deadline whose own period has no value yet: it may still turn out met."""
        latest = self.after.latest
        return self.deadline_missed and (latest is None or latest.period < self.deadline)

    @property
    def has_news(self) -> bool:
        return bool(self.new_values or self.verdict_changed or self.deadline_missed or self.changes)

    def _compared(self) -> int:
        before, after = self.before.status, self.after.status
        if Status.NOT_ENOUGH_DATA in (before, after):
            return 0
        return after.rank - before.rank


class ActionChangeKind(StrEnum):
    NEW = "new"  # published in the interval
    STARTED = "started"
    FINISHED = "finished"
    CHANGED = "changed"  # back to planned, or from done to under way


@dataclass(frozen=True)
class ActionChange:
    action: Action
    before: str | None  # the state at the start of the interval; None: not yet published
    after: str

    @property
    def kind(self) -> str:
        if self.before is None:
            return ActionChangeKind.NEW
        if self.after == ActionState.DONE:
            return ActionChangeKind.FINISHED
        if self.after == ActionState.UNDER_WAY and self.before == ActionState.PLANNED:
            return ActionChangeKind.STARTED
        return ActionChangeKind.CHANGED

    @property
    def before_label(self) -> str:
        return ActionState(self.before).label if self.before else ""

    @property
    def after_label(self) -> str:
        return ActionState(self.after).label


@dataclass(frozen=True)
class GoalChanges:
    """A goal with what changed in it; goals where nothing changed are left out."""

    goal: Goal
    targets: tuple[TargetChanges, ...]
    actions: tuple[ActionChange, ...]


@dataclass(frozen=True)
class ChangeCounts:
    unchanged: int  # of them, those with no news at all
    new_values: int
    verdicts_changed: int
    improved: int
    worsened: int
    met: int
    deadlines_missed: int
    target_changes: int
    actions_new: int
    actions_started: int
    actions_finished: int
    actions_changed: int  # back to planned, or from done to under way

    def phrases(self) -> list[str]:
        """The counts that are not 0 as phrases for a sentence, in the active language:
        "2 nye tal", "1 ændret vurdering (1 bedre)", "3 målsætninger uden ændringer"."""
        phrases = []
        for name, phrase in PHRASES.items():
            if count := getattr(self, name):
                text = _counted(phrase, count)
                turned = [
                    _counted(TURNED[way], getattr(self, way))
                    for way in TURNED
                    if name == "verdicts_changed" and getattr(self, way)
                ]
                phrases.append(f"{text} ({', '.join(turned)})" if turned else text)
        return phrases


# The parts of the sentence "Fra 2023 til 2024: 2 nye tal, 1 mål nået.", in its order.
PHRASES = {
    "new_values": ngettext_lazy("%(number)s nyt tal", "%(number)s nye tal", "count"),
    "verdicts_changed": ngettext_lazy(
        "%(number)s ændret vurdering", "%(number)s ændrede vurderinger", "count"
    ),
    "met": ngettext_lazy("%(number)s mål nået", "%(number)s mål nået", "count"),
    "deadlines_missed": ngettext_lazy(
        "%(number)s frist overskredet", "%(number)s frister overskredet", "count"
    ),
    "target_changes": ngettext_lazy(
        "%(number)s ændret målsætning", "%(number)s ændrede målsætninger", "count"
    ),
    "actions_new": ngettext_lazy("%(number)s ny handling", "%(number)s nye handlinger", "count"),
    "actions_started": ngettext_lazy(
        "%(number)s handling sat i gang", "%(number)s handlinger sat i gang", "count"
    ),
    "actions_finished": ngettext_lazy(
        "%(number)s handling gennemført", "%(number)s handlinger gennemført", "count"
    ),
    "actions_changed": ngettext_lazy(
        "%(number)s handling ændret", "%(number)s handlinger ændret", "count"
    ),
    "unchanged": ngettext_lazy(
        "%(number)s målsætning uden ændringer", "%(number)s målsætninger uden ændringer", "count"
    ),
}
# How the changed verdicts turned, in brackets after their count.
TURNED = {
    "improved": ngettext_lazy("%(number)s bedre", "%(number)s bedre", "count"),
    "worsened": ngettext_lazy("%(number)s dårligere", "%(number)s dårligere", "count"),
}


def _counted(phrase, count: int) -> str:
    return phrase % {"count": count, "number": format_number(count)}


@dataclass(frozen=True)
class StrategyChanges:
    strategy: Strategy
    since: int
    until: int
    period_kind: PeriodKind
    goals: tuple[GoalChanges, ...]  # in the strategy's order
    other_actions: tuple[ActionChange, ...]  # of focus areas and of the whole strategy
    counts: ChangeCounts
    # Every target compared, news or not, by primary key: a status report judges each target
    # as this does, against the target as it stood then.
    compared: dict[int, TargetChanges]

    @property
    def since_label(self) -> str:
        return period_label(self.since, self.period_kind)

    @property
    def until_label(self) -> str:
        return period_label(self.until, self.period_kind)

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.other_actions

    @cached_property
    def targets(self) -> tuple[TargetChanges, ...]:
        """The targets where something changed, in the strategy's order."""
        return tuple(target for goal in self.goals for target in goal.targets)


def is_sane_interval(since: int, until: int) -> bool:
    """Periods a page compares: from the portal's first year, the first before the second, at
    most `LONGEST_INTERVAL` apart, and none after this year (what has not happened yet did
    not change)."""
    return (
        FIRST_YEAR <= since < until <= timezone.localdate().year
        and until - since <= LONGEST_INTERVAL
    )


def changes_between(
    strategy: Strategy, *, since: int, until: int, user=None, outline: Outline | None = None
) -> StrategyChanges:
    """What changed in `strategy` after period `since` up to and including `until`, of what
    `user` may see (see the module's docstring). A caller that has built the strategy's
    `outline` for `user` already passes it, and saves its queries."""
    if since >= until:
        raise ValueError(f"{since} is not before {until}")
    outline = outline or build_outline(strategy, user=user)
    kind = outline_period_kind(outline)
    nodes = list(_goals_in_order(outline))
    targets = [target for node in nodes for target in node.targets]
    target_history = _history(GoalTarget, [target.pk for target in targets])
    action_states = _action_states(
        list(actions_of(outline)),
        Interval.between(since, until, kind),
    )

    goals = []
    compared = []
    for node in nodes:
        found = [
            _target_changes(target, since=since, until=until, history=target_history)
            for target in node.targets
        ]
        compared.extend(found)
        news = tuple(target for target in found if target.has_news)
        actions = tuple(action_states[a.pk] for a in node.actions if a.pk in action_states)
        if news or actions:
            goals.append(GoalChanges(goal=node.goal, targets=news, actions=actions))
    other_actions = tuple(
        action_states[action.pk] for action in _other_actions(outline) if action.pk in action_states
    )
    return StrategyChanges(
        strategy=strategy,
        since=since,
        until=until,
        period_kind=kind,
        goals=tuple(goals),
        other_actions=other_actions,
        counts=_count(compared, list(action_states.values())),
        compared={item.target.pk: item for item in compared},
    )


@dataclass(frozen=True)
class Periods:
    years: list[int]  # oldest first
    kind: PeriodKind

    def label(self, year: int) -> str:
        return period_label(year, self.kind)

    @property
    def choices(self) -> list[tuple[int, str]]:
        """Each period with its label, newest first, as a form offers them."""
        return [(year, self.label(year)) for year in reversed(self.years)]


def periods_of(strategies: list[Strategy], *, user=None) -> dict[int, Periods]:
    """The one rule for which periods a strategy has: those with an approved value on an
    indicator that a target of the strategy which `user` may see is set on (None: the
    public's), labelled by the kind of those targets' periods. By strategy, every strategy
    present (two queries)."""
    targets = (
        GoalTarget.objects.filter(goal__strategy__in=strategies)
        .visible_to(user)
        .order_by()
        .values_list("goal__strategy", "indicator", "indicator__metric__period_kind")
    )
    indicators: dict[int, set[int]] = {strategy.pk: set() for strategy in strategies}
    kinds: dict[int, set[str]] = {strategy.pk: set() for strategy in strategies}
    for strategy_id, indicator_id, kind in targets:
        indicators[strategy_id].add(indicator_id)
        kinds[strategy_id].add(kind)
    years: dict[int, set[int]] = {}
    values = (
        IndicatorValue.objects.approved()
        .filter(indicator__in={pk for found in indicators.values() for pk in found})
        .values_list("indicator", "period")
        .distinct()
    )
    for indicator_id, period in values:
        years.setdefault(indicator_id, set()).add(period)
    return {
        pk: Periods(
            years=sorted({year for indicator in found for year in years.get(indicator, ())}),
            kind=period_kind_of(kinds[pk]),
        )
        for pk, found in indicators.items()
    }


def outline_period_kind(outline: Outline) -> PeriodKind:
    """The kind the periods of the strategy as `outline` shows it are labelled and dated by."""
    return period_kind_of(target.period_kind for target in outline.progress.targets)


def periods_with_values(strategy: Strategy, *, user=None) -> Periods:
    """`strategy`'s periods (`periods_of`): every one the changes page can compare."""
    return periods_of([strategy], user=user)[strategy.pk]


def report_periods(strategies: list[Strategy], *, user=None) -> dict[int, Periods]:
    """The periods a status report can be made for (`periods_of`), within the strategy's
    years and never beyond this year: a report says how far the strategy had come. The form
    that generates one offers these, and the report is built only for these."""
    this_year = timezone.localdate().year
    found = periods_of(strategies, user=user)
    for strategy in strategies:
        periods = found[strategy.pk]
        first = strategy.start_year or FIRST_YEAR
        last = min(strategy.end_year or this_year, this_year)
        found[strategy.pk] = Periods(
            years=[year for year in periods.years if first <= year <= last], kind=periods.kind
        )
    return found


def default_periods(periods: list[int]) -> tuple[int, int] | None:
    """The latest period with values and the one with values before it (or the year before,
    when there is only one): "since last year" as the page first shows it. None without
    values."""
    if not periods:
        return None
    until = periods[-1]
    return (periods[-2] if len(periods) > 1 else until - 1), until


def _goals_in_order(outline: Outline) -> Iterator[GoalNode]:
    """The goals as the strategy's page lists them: the strategy's own, then each focus area's
    followed by those of the focus areas nested in it."""
    yield from outline.goals

    def walk(areas: list[AreaNode]) -> Iterator[GoalNode]:
        for area in areas:
            yield from area.goals
            yield from walk(area.children)

    yield from walk(outline.areas)


def _other_actions(outline: Outline) -> Iterator[Action]:
    """The actions under a focus area or the whole strategy, in the page's order."""
    yield from outline.actions

    def walk(areas: list[AreaNode]) -> Iterator[Action]:
        for area in areas:
            yield from area.actions
            yield from walk(area.children)

    yield from walk(outline.areas)


def actions_of(outline: Outline) -> Iterator[Action]:
    for node in _goals_in_order(outline):
        yield from node.actions
    yield from _other_actions(outline)


def _history(model, pks: list[int]) -> dict[int, list]:
    """The historical records of the rows `pks`, oldest first, by row (one query)."""
    records = model.history.filter(id__in=pks).order_by("id", "history_date", "history_id")
    return {pk: list(group) for pk, group in itertools.groupby(records, key=lambda r: r.id)}


def _target_changes(
    target: GoalTarget, *, since: int, until: int, history: dict[int, list]
) -> TargetChanges:
    interval = Interval.between(since, until, target.period_kind)
    records = history.get(target.pk, [])
    return TargetChanges(
        target=target,
        since=since,
        until=until,
        before=target.assessment_as_of(since, against=target.progress_target_as_of(since, records)),
        after=target.assessment_as_of(until, against=target.progress_target_as_of(until, records)),
        new_values=tuple(
            NewValue(
                period=row.period,
                label=row.label,
                value=None if row.hidden else row.point.value,
                illustrative=row.illustrative,
            )
            for row in series_rows(target.indicator)
            if since < row.period <= until
        ),
        changes=tuple(change for change in target_changes_in(records) if change.when in interval),
    )


def _action_states(actions: list[Action], interval: Interval) -> dict[int, ActionChange]:
    """The actions whose published state at the end of `interval` differs from that at its
    start (None when the action was not yet published then), by primary key. Only published
    records count, as for a target's changes: a draft's state was never public."""
    by_pk = {action.pk: action for action in actions}
    found = {}
    for pk, group in _published_states(list(by_pk), before=interval.end):
        before = after = None
        for record in group:
            if record.history_date < interval.start:
                before = record.state
            after = record.state
        if after != before:
            found[pk] = ActionChange(action=by_pk[pk], before=before, after=after)
    return found


def action_states_at(actions: list[Action], moment: datetime) -> dict[int, str]:
    """Each action's published state just before `moment`, by primary key (one query); an
    action with no published record before then is left out."""
    found = {}
    for pk, group in _published_states([action.pk for action in actions], before=moment):
        for record in group:
            found[pk] = record.state
    return found


def _published_states(pks: list[int], *, before: datetime):
    """The published records of the actions `pks` before `before`, oldest first, grouped by
    action: only published records count, as for a target's changes."""
    records = (
        Action.history.filter(id__in=pks, status=StrategyStatus.PUBLISHED, history_date__lt=before)
        .exclude(history_type="-")
        .order_by("id", "history_date", "history_id")
        .only("id", "state", "history_date")
    )
    return itertools.groupby(records, key=lambda record: record.id)


def _count(targets: list[TargetChanges], actions: list[ActionChange]) -> ChangeCounts:
    kinds = [action.kind for action in actions]
    return ChangeCounts(
        unchanged=sum(not target.has_news for target in targets),
        new_values=sum(len(target.new_values) for target in targets),
        verdicts_changed=sum(target.verdict_changed for target in targets),
        improved=sum(target.improved for target in targets),
        worsened=sum(target.worsened for target in targets),
        met=sum(target.met for target in targets),
        deadlines_missed=sum(target.deadline_missed for target in targets),
        target_changes=sum(len(target.changes) for target in targets),
        actions_new=kinds.count(ActionChangeKind.NEW),
        actions_started=kinds.count(ActionChangeKind.STARTED),
        actions_finished=kinds.count(ActionChangeKind.FINISHED),
        actions_changed=kinds.count(ActionChangeKind.CHANGED),
    )
