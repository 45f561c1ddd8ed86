"""Changing what a target aims for asks why; the reason is kept in its history and shown
beside the change on the public page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import GoalTarget
from tests.factories import GoalTargetFactory, IndicatorValueFactory
from tests.reporting.test_value_admin import posted

pytestmark = pytest.mark.django_db


def change_url(target):
    return reverse("admin:indicators_goaltarget_change", args=[target.pk])


def form_of(client, target, **changes) -> dict:
    """The target's admin form as the page shows it, with `changes` typed over it."""
    return {**posted(client.get(change_url(target))), **changes}


def test_changing_the_target_without_a_reason_is_refused_next_to_the_field(admin_client):
    target = GoalTargetFactory()

    response = admin_client.post(
        change_url(target), form_of(admin_client, target, target_value="1.900")
    )

    assert response.status_code == 200
    assert "Skriv, hvorfor målet ændres." in response.text
    target.refresh_from_db()
    assert target.target_value == 1800


def test_the_reason_is_kept_in_the_history_and_shown_on_the_public_page(admin_client, client):
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, organization=target.indicator.organization)

    response = admin_client.post(
        change_url(target),
        form_of(
            admin_client, target, target_value="1.900", change_reason="Bestyrelsen hævede målet"
        ),
    )

    assert response.status_code == 302
    assert target.history.first().history_change_reason == "Bestyrelsen hævede målet"
    page = client.get(target.get_absolute_url()).text
    assert "Målet blev ændret fra mindst 1.800\xa0årselever i 2028 til mindst 1.900" in page
    assert "Begrundelse: <span" in page
    assert "Bestyrelsen hævede målet" in page


def test_a_save_that_leaves_the_target_as_it_was_asks_for_no_reason(admin_client):
    target = GoalTargetFactory()

    response = admin_client.post(change_url(target), form_of(admin_client, target, order=3))

    assert response.status_code == 302
    assert GoalTarget.objects.get(pk=target.pk).order == 3


def test_a_target_added_to_a_published_goal_starts_as_a_draft(admin_client):
    published = GoalTargetFactory()

    page = admin_client.get(
        reverse("admin:indicators_goaltarget_add"), {"goal": published.goal_id}
    ).text

    assert '<option value="draft" selected>' in page
    assert Decimal(published.target_value) == 1800


def test_changes_made_while_a_target_was_a_draft_are_not_shown_and_need_no_reason(
    admin_client, client
):
    target = GoalTargetFactory(status="draft")

    response = admin_client.post(
        change_url(target), form_of(admin_client, target, target_value="1.700")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    target.status = "published"
    target.save()

    assert target.target_changes() == []
    assert "Målet blev ændret" not in client.get(target.get_absolute_url()).text
