import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import Strategy
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    MentorshipFactory,
    StrategyFactory,
    WorkingModelFactory,
)

pytestmark = pytest.mark.django_db


def test_published_strategies_leave_drafts_out():
    published = StrategyFactory(status=Strategy.Status.PUBLISHED)
    StrategyFactory(status=Strategy.Status.DRAFT)

    assert list(Strategy.objects.public()) == [published]


def test_a_strategy_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyFactory(start_year=2028, end_year=2023)


def test_two_strategies_of_one_owner_cannot_share_a_slug():
    strategy = StrategyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyFactory(owner=strategy.owner, slug=strategy.slug)


def test_focus_areas_nest_only_one_level():
    top = FocusAreaFactory()
    child = FocusAreaFactory(strategy=top.strategy, parent=top)
    grandchild = FocusAreaFactory.build(strategy=top.strategy, parent=child)

    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()

    assert error.value.message_dict["parent"] == [
        "Fokusområder kan kun ligge ét niveau under et andet."
    ]


def test_a_goal_cannot_sit_in_another_strategys_focus_area():
    goal = GoalFactory.build(focus_area=FocusAreaFactory(), strategy=StrategyFactory())

    with pytest.raises(ValidationError) as error:
        goal.full_clean()

    assert error.value.message_dict["focus_area"] == ["Vælg et fokusområde fra samme strategi."]


def test_an_action_cannot_serve_another_strategys_goal():
    action = ActionFactory.build(focus_area=None, strategy=StrategyFactory(), goal=GoalFactory())

    with pytest.raises(ValidationError) as error:
        action.full_clean()

    assert error.value.message_dict["goal"] == ["Vælg et mål fra samme strategi."]


def test_an_action_cannot_sit_under_a_goal_and_a_focus_area_at_once():
    goal = GoalFactory()
    both = ActionFactory.build(focus_area=goal.focus_area, goal=goal)

    with pytest.raises(ValidationError) as error:
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()

    assert error.value.message_dict["goal"] == [
        "En handling hører enten under et mål eller under et fokusområde, ikke begge."
    ]


def test_an_action_sits_under_a_goal_a_focus_area_or_the_whole_strategy():
    goal = GoalFactory()

    ActionFactory(focus_area=None, strategy=goal.strategy, goal=goal).full_clean()
    ActionFactory(focus_area=goal.focus_area).full_clean()
    ActionFactory(focus_area=None, strategy=goal.strategy).full_clean()


def test_a_mentor_works_with_its_own_working_model():
    mentorship = MentorshipFactory()
    mentorship.mentor = mentorship.mentee

    with pytest.raises(ValidationError) as error:
        mentorship.full_clean()

    assert error.value.message_dict["mentor"] == ["En organisation kan ikke være sin egen mentor."]


def test_a_mentorship_with_its_mentors_model_is_valid():
    MentorshipFactory().full_clean()


def test_a_mentorship_uses_a_working_model_of_its_mentor():
    mentorship = MentorshipFactory()
    mentorship.working_model = WorkingModelFactory(theme=mentorship.theme)

    with pytest.raises(ValidationError) as error:
        mentorship.full_clean()

    assert error.value.message_dict["working_model"] == [
        "Vælg en arbejdsmodel, som modelkommunen selv bruger."
    ]


def test_a_change_without_a_reason_is_recorded_with_an_empty_one_not_none():
    goal = GoalFactory()
    goal.text = "Ændret"
    goal.save()

    assert [record.history_change_reason for record in goal.history.all()] == ["", ""]
