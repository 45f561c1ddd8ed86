import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from indicators.models import GoalTarget, IndicatorValue
from indicators.services import refresh_assessments
from municipalities.models import Membership
from tests.factories import (
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)

# HYPOTHESIS_PROFILE=thorough runs the property tests on many more examples.
hypothesis_settings.register_profile("thorough", max_examples=5000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seed"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seed(db):
    """The five source documents as data, loaded from fixtures/seed and assessed. Faster than
    `load_seed`, which looks for each object first and records its history; fixtures load
    without the signals that assess a target, hence the refresh."""
    call_command("loaddata", *sorted(SEED_DIR.glob("*.yaml")), verbosity=0)
    refresh_assessments(GoalTarget.objects.all())


@pytest.fixture(autouse=True)
def danish_by_default():
    # A request in another language leaves that language active in the thread; each test
    # starts in Danish, as the portal does.
    with translation.override("da"):
        yield


@pytest.fixture
def target_awaiting_review(db):
    """A published target with one approved value of 1.384 and a school's value of 4.711
    waiting for review (`.waiting`), and an editor of the municipality to review it
    (`.editor`)."""
    target = GoalTargetFactory(goal__text="Flere årselever")
    municipality = target.goal.strategy.owner
    school = SchoolFactory(parent=municipality)
    target.indicator.reporting_organizations.add(municipality, school)
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(1384))
    reporter = UserFactory(username="indberetter")
    MembershipFactory(user=reporter, organization=school, role=Membership.Role.REPORTER)
    target.waiting = IndicatorValueFactory(
        indicator=target.indicator,
        organization=school,
        period=2024,
        value=Decimal(4711),
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=reporter,
    )
    target.editor = UserFactory(username="redaktoer", is_staff=True)
    MembershipFactory(user=target.editor, organization=municipality, role=Membership.Role.EDITOR)
    return target
