import pytest
from django.core.management import call_command

from goals.models import Goal, Strategy
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_the_seed_loads_into_an_empty_database_with_a_first_history_record():
    call_command("load_seed", verbosity=0)

    assert Strategy.objects.count() == 5
    assert Goal.history.count() == Goal.objects.count() == 62


def test_a_second_run_keeps_local_changes():
    call_command("load_seed", verbosity=0)
    goal = Goal.objects.first()
    goal.text = "Rettet lokalt"
    goal.save()

    call_command("load_seed", verbosity=0)

    goal.refresh_from_db()
    assert goal.text == "Rettet lokalt"


def test_forcing_a_reload_restores_the_seed_and_adds_no_history_twice():
    call_command("load_seed", verbosity=0)
    records = Indicator.history.count()

    call_command("load_seed", "--force", verbosity=0)

    assert Strategy.objects.count() == 5
    assert Indicator.history.count() == records
