import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from indicators.models import GoalTarget
from indicators.services import refresh_assessments

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
