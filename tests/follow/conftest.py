"""A published target of a municipality with an editor who approves values, and the helpers
that make each kind of event the way editors make them: through the services and saves."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from indicators import services
from indicators.models import GoalTarget, IndicatorValue
from municipalities.models import Membership
from tests.factories import GoalTargetFactory, IndicatorValueFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    # The subscription limits count in the cache.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Followed:
    target: GoalTarget
    editor: object

    @property
    def goal(self):
        return self.target.goal

    @property
    def strategy(self):
        return self.target.goal.strategy

    @property
    def organization(self):
        return self.target.goal.strategy.owner


def approved(target: GoalTarget, editor, *, period: int, value) -> IndicatorValue:
    """A value of `target`'s indicator submitted by its reporter and approved by `editor`."""
    submitted = IndicatorValueFactory(
        indicator=target.indicator,
        period=period,
        value=Decimal(value),
        status=IndicatorValue.Status.SUBMITTED,
    )
    return services.value_approve(value=submitted, user=editor)


def changed_target(target: GoalTarget, *, value, reason: str = "") -> GoalTarget:
    """`target` aiming for `value`, saved as the admin saves it, with its reason."""
    target.target_value = Decimal(value)
    target._change_reason = reason
    target.save()
    return target


def editor_of(organization):
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organization=organization, role=Membership.Role.EDITOR)
    return editor


@pytest.fixture
def followed(db) -> Followed:
    """HEG's target (at least 1.800 årselever in 2028 from 1.384 in 2023), published."""
    target = GoalTargetFactory(goal__text="Flere årselever")
    return Followed(target=target, editor=editor_of(target.goal.strategy.owner))
