"""Writes that span several models of a strategy."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from goals.models import Action, FocusArea, Goal, Strategy, StrategyTerm
from goals.signals import strategy_version_created
from municipalities import access
from municipalities.models import User


@transaction.atomic
def strategy_create_next_version(
    *,
    strategy: Strategy,
    user: User,
    title: str,
    slug: str,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Strategy:
    """A draft copy of `strategy` that replaces it once published ("Strategi 2028" →
    "Strategi 2032"): its texts, focus areas, goals, actions (with their state), terms and
    themes, and, through `strategy_version_created`, the goals' targets. The indicators are
    not copied: the new targets aim at the same series, so their whole history carries over.
    """
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    if not access.can_edit(user, strategy.owner_id):
        raise PermissionDenied
    if strategy.newer_version is not None:
        raise ValidationError(
            _("Strategien har allerede en nyere version: %(title)s.")
            % {"title": strategy.newer_version.title}
        )
    version = _copy(
        Strategy.objects.get(pk=strategy.pk),
        title=title,
        slug=slug,
        start_year=start_year,
        end_year=end_year,
        status=Strategy.Status.DRAFT,
        replaces=strategy,
        # A new version is a new draft, even of an archived strategy. Its archived goals and
        # targets stay archived: they were retired, and a new version does not revive them.
        archived_at=None,
        archived_by=None,
    )

    # Each map is keyed by the original's id, read before the copy takes the object over.
    areas: dict[int, FocusArea] = {}
    # Parents before children, so each child can point at its parent's copy.
    top_level_first = (F("parent_id").asc(nulls_first=True), "order", "pk")
    for area in FocusArea.objects.filter(strategy=strategy).order_by(*top_level_first):
        original = area.pk
        areas[original] = _copy(area, strategy=version, parent=areas.get(area.parent_id))
    goals: dict[int, Goal] = {}
    for goal in Goal.objects.filter(strategy=strategy).order_by("pk"):
        original = goal.pk
        goals[original] = _copy(goal, strategy=version, focus_area=areas.get(goal.focus_area_id))
    for action in Action.objects.filter(strategy=strategy).order_by("pk"):
        _copy(
            action,
            strategy=version,
            goal=goals.get(action.goal_id),
            focus_area=areas.get(action.focus_area_id),
        )
    for term in StrategyTerm.objects.filter(strategy=strategy):
        _copy(term, strategy=version)
    strategy_version_created.send(sender=Strategy, strategy=strategy, version=version, goals=goals)
    return version


def _copy(obj, **changes):
    """Save a copy of `obj` with `changes`, validated as a new object, with its themes."""
    themes = list(obj.themes.all()) if hasattr(obj, "themes") else None
    obj.pk = obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    if themes is not None:
        obj.themes.set(themes)
    return obj
