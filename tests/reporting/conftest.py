"""Two municipalities, two schools under Herning, and a user in every role."""

from dataclasses import dataclass

import pytest

from goals.models import Strategy
from indicators.models import IndicatorValue, Metric
from municipalities.models import Membership
from tests.factories import (
    GoalFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)


@dataclass
class World:
    herning: object
    hillerod: object
    school_a: object
    school_b: object
    herning_goal: object
    hillerod_goal: object
    draft: object
    indicator: object  # Herning's, reported by both schools
    target: object  # the Herning goal's target on the indicator
    submitted: object  # school A's submitted value
    users: dict


@pytest.fixture
def world(db):
    herning = OrganizationFactory(name="Herning Kommune", slug="herning")
    hillerod = OrganizationFactory(name="Hillerød Kommune", slug="hillerod")
    school_a = SchoolFactory(name="Skole A", slug="skole-a", parent=herning)
    school_b = SchoolFactory(name="Skole B", slug="skole-b", parent=herning)
    herning_goal = GoalFactory(
        focus_area__strategy=StrategyFactory(owner=herning), text="Herning-mål"
    )
    hillerod_goal = GoalFactory(
        focus_area__strategy=StrategyFactory(owner=hillerod), text="Hillerød-mål"
    )
    draft = StrategyFactory(owner=herning, title="Hemmeligt udkast", status=Strategy.Status.DRAFT)
    indicator = IndicatorFactory(
        organization=herning,
        name="Elever i 0. klasse",
        metric__unit="elever",
        metric__measure=Metric.Measure.COUNT,
        reporting_organizations=[school_a, school_b],
    )
    target = GoalTargetFactory(
        goal=herning_goal,
        indicator=indicator,
        baseline_period=2020,
        baseline_value=40,
        target_period=2030,
        target_value=50,
    )
    submitted = IndicatorValueFactory(
        indicator=indicator,
        organization=school_a,
        period=2022,
        value=38,
        status=IndicatorValue.Status.SUBMITTED,
    )

    def member(username, organization, role):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=organization, role=role)
        if role == Membership.Role.EDITOR:
            user.is_staff = True
            user.save()
        return user

    users = {
        "anonymous": None,
        "reporter at school A": member("reporter_a", school_a, Membership.Role.REPORTER),
        "reporter at school B": member("reporter_b", school_b, Membership.Role.REPORTER),
        "editor at Herning": member("editor_herning", herning, Membership.Role.EDITOR),
        "editor at Hillerød": member("editor_hillerod", hillerod, Membership.Role.EDITOR),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    return World(
        herning,
        hillerod,
        school_a,
        school_b,
        herning_goal,
        hillerod_goal,
        draft,
        indicator,
        target,
        submitted,
        users,
    )


def goal_form(goal, **changes) -> dict:
    """What the admin's change form for `goal` posts: its fields, and the empty inline of the
    goal's actions (the world's goals have none)."""
    return {
        "strategy": goal.strategy_id,
        "focus_area": goal.focus_area_id,
        "order": goal.order,
        "text": goal.text,
        "slug": goal.slug,
        "description": goal.description,
        "status": goal.status,
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
        **changes,
    }


@pytest.fixture
def login(client):
    def log_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return log_in
