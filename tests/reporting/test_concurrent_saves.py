"""Eight people save the first value of the same period at once: one value is stored, and the
others are told what it is, never shown a server error."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators import services
from indicators.models import IndicatorValue
from indicators.services import ValueEntry

SAVES = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_saves_give_one_value_and_clear_messages(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time, so the saves cannot overlap there")
    barrier = threading.Barrier(SAVES)
    results: list[object] = []

    def save(number: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.value_report(
                organization=world.school_a,
                entries=[ValueEntry(world.indicator, 2023, Decimal(40 + number))],
                user=world.users["reporter at school A"],
                submit=True,
            )
            results.append("saved")
        except ValidationError as error:
            results.append(error.message_dict[f"{world.indicator.pk}-2023"][0])
        except Exception as error:  # reported below: a server error fails the test
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(SAVES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = IndicatorValue.objects.get(organization=world.school_a, period=2023)
    assert results.count("saved") == 1
    refusals = [result for result in results if result != "saved"]
    assert len(refusals) == SAVES - 1
    for refusal in refusals:
        assert isinstance(refusal, str), refusal
        # Written as the page writes it: 40, never normalize()'s 4E+1 (when the first wins).
        assert f"Det står nu til {stored.value.normalize():f}" in refusal


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_saves_on_the_reporting_page_give_no_server_error(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time, so the saves cannot overlap there")
    url = reverse("reporting:report", args=[world.school_a.slug])
    prefix = f"indicator-{world.indicator.pk}-2023"
    barrier = threading.Barrier(SAVES)
    statuses: list[object] = []

    def save(number: int) -> None:
        from django.db import connections

        client = Client()
        client.force_login(world.users["reporter at school A"])
        try:
            barrier.wait()
            response = client.post(
                url,
                {"periode": 2023, "action": "submit", f"{prefix}-value": 40 + number},
            )
            statuses.append(response.status_code)
        except Exception as error:  # a server error fails the test below
            statuses.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(SAVES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(302) == 1, statuses
    assert all(status in (200, 302) for status in statuses), statuses
    assert IndicatorValue.objects.filter(organization=world.school_a, period=2023).count() == 1
