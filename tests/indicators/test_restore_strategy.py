"""A deleted strategy comes back with what was deleted with it (issue #13 item 5): its focus
areas, goals with their targets, milestones and actions, and its actions of no goal."""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from goals.models import Action, FocusArea, Goal, Strategy, StrategyTerm
from indicators import services
from indicators.models import GoalTarget, IndicatorValue, Milestone, TargetAssessment
from municipalities.models import Membership
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    StrategyFactory,
    StrategyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Everything a strategy's deletion takes with it that has a history to come back from.
RESTORED = [Strategy, FocusArea, Goal, Action, GoalTarget, Milestone]


@pytest.fixture
def herning():
    return OrganizationFactory(name="Herning Kommune", slug="herning")


@pytest.fixture
def strategy(herning):
    """Herning's published strategy: a focus area with one under it, a goal in each and one
    of the whole strategy, a target with a milestone on an indicator with approved values,
    an action of a goal and one of a focus area only."""
    strategy = StrategyFactory(owner=herning, title="Strategi 2028", slug="strategi-2028")
    # The area under another comes first, so that restoring by id would miss its parent.
    sub_area = FocusAreaFactory(strategy=strategy, title="Trivsel")
    area = FocusAreaFactory(strategy=strategy, title="Læring")
    sub_area.parent = area
    sub_area.save()
    goal = GoalFactory(focus_area=sub_area, text="Flere elever gennemfører")
    GoalFactory(focus_area=area)
    GoalFactory(strategy=strategy, focus_area=None)
    indicator = IndicatorFactory(organization=herning, name="Årselever")
    for period, value in ((2023, 1384), (2024, 1455), (2025, 1530)):
        IndicatorValueFactory(indicator=indicator, organization=herning, period=period, value=value)
    target = GoalTargetFactory(goal=goal, indicator=indicator)
    MilestoneFactory(target=target, period=2026, value=Decimal(1600))
    ActionFactory(strategy=strategy, focus_area=None, goal=goal)
    ActionFactory(strategy=strategy, focus_area=area, goal=None)
    return strategy


def url(view, *args):
    return reverse(f"admin:goals_strategy_{view}", args=args)


def rows(model) -> dict:
    return {
        obj.pk: {field.attname: getattr(obj, field.attname) for field in model._meta.fields}
        for obj in model.objects.all()
    }


def assessments() -> dict:
    # Stored afresh as new rows: their own key and time are new, what they say is not.
    kept = [f.attname for f in TargetAssessment._meta.fields if f.name not in {"id", "assessed_at"}]
    return {row["target_id"]: row for row in TargetAssessment.objects.values(*kept)}


def delete_as_superuser(admin_client, strategy) -> None:
    response = admin_client.post(url("delete", strategy.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Strategy.objects.filter(pk=strategy.pk).exists()


def test_a_deleted_strategy_is_restored_as_it_was_with_what_was_deleted_with_it(
    admin_client, client, strategy
):
    before = {model: rows(model) for model in RESTORED}
    assessed = assessments()
    assert all(before.values())
    page = client.get(strategy.get_absolute_url())
    verdict = TargetAssessment.objects.get().get_status_display()
    assert verdict in page.text
    delete_as_superuser(admin_client, strategy)
    assert client.get(strategy.get_absolute_url()).status_code == 404
    assert not TargetAssessment.objects.exists()
    assert url("restore", strategy.pk) in admin_client.get(url("history", strategy.pk)).text

    response = admin_client.post(url("restore", strategy.pk))

    assert response.status_code == 302
    assert {model: rows(model) for model in RESTORED} == before
    assert assessments() == assessed
    for model in RESTORED:
        for pk in before[model]:
            latest = model.history.filter(id=pk).latest("history_date", "history_id")
            assert latest.history_change_reason == services.RESTORED_REASON
    # The public page says all it said, its verdicts too.
    assert client.get(strategy.get_absolute_url()).text == page.text


def test_what_was_deleted_on_its_own_before_stays_deleted(admin_user, strategy):
    goal = Goal.objects.get(text="Flere elever gennemfører")
    alone = GoalFactory(focus_area=goal.focus_area)
    alone_pk = alone.pk
    alone.delete()
    area = FocusAreaFactory(strategy=strategy)
    with_area = GoalFactory(focus_area=area)
    area_pk, with_area_pk = area.pk, with_area.pk
    area.delete()  # its goal goes with it, before the strategy
    pk = strategy.pk
    strategy.delete()

    services.strategy_restore(strategy_id=pk, user=admin_user)

    assert Goal.objects.filter(strategy=pk).count() == 3
    assert not Goal.objects.filter(pk__in=[alone_pk, with_area_pk]).exists()
    assert not FocusArea.objects.filter(pk=area_pk).exists()


def test_an_editor_cannot_restore_a_strategy(client, herning, strategy):
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organization=herning, role=Membership.Role.EDITOR)
    client.force_login(editor)
    pk = strategy.pk
    IndicatorValue.objects.all().delete()  # so that its editor may delete it
    strategy.delete()

    assert client.post(url("restore", pk)).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.strategy_restore(strategy_id=pk, user=editor)
    assert not Strategy.objects.filter(pk=pk).exists()


def test_a_strategy_whose_owner_is_gone_is_not_restored_and_says_why(admin_client):
    owner = OrganizationFactory(name="Ikast Kommune")
    strategy = GoalFactory(focus_area__strategy__owner=owner).strategy
    pk = strategy.pk
    strategy.delete()
    owner.delete()

    response = admin_client.post(url("restore", pk))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{strategy.title} kan ikke gendannes: organisation findes ikke længere."
    ]
    assert not Strategy.objects.filter(pk=pk).exists()
    assert not Goal.objects.exists()


def test_the_command_restores_a_deleted_strategy_but_not_its_terms(admin_user, strategy):
    StrategyTermFactory(strategy=strategy, term="Mission")  # terms keep no history
    pk = strategy.pk
    strategy.delete()
    out = io.StringIO()

    call_command("restore", "strategy", pk, user=admin_user.username, stdout=out)

    assert Strategy.objects.get(pk=pk).goals.count() == 3
    assert not StrategyTerm.objects.exists()
    assert "Restored the strategy Strategi 2028 (Herning Kommune)." in out.getvalue()
    with pytest.raises(CommandError, match="ikke slettet"):
        call_command("restore", "strategy", pk, user=admin_user.username)
