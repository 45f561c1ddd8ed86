"""Deleting without losing (issue #13 item 5): what approved values hang under is archived
by its editors, deleted only by superusers, and a deleted indicator comes back whole."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Goal, Strategy
from indicators import services
from indicators.models import GoalTarget, Indicator, IndicatorValue
from indicators.rounds import reporter_rounds, round_table
from municipalities.models import Membership
from tests.factories import (
    ActionFactory,
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    ReportingRoundFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def herning():
    return OrganizationFactory(name="Herning Kommune", slug="herning")


@pytest.fixture
def school(herning):
    return SchoolFactory(name="Skole A", slug="skole-a", parent=herning)


@pytest.fixture
def indicator(herning, school):
    """Herning's series, reported by Herning and a school, with two approved values and a
    draft; no strategy targets it yet."""
    indicator = IndicatorFactory(
        organization=herning, name="Elever i 0. klasse", reporting_organizations=[herning, school]
    )
    IndicatorValueFactory(indicator=indicator, organization=herning, period=2023, value=1384)
    IndicatorValueFactory(
        indicator=indicator, organization=school, period=2023, value=Decimal("512.5"), note="x"
    )
    IndicatorValueFactory(
        indicator=indicator,
        organization=herning,
        period=2024,
        value=1400,
        status=IndicatorValue.Status.DRAFT,
    )
    return indicator


def editor_of(organization, client):
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, organization=organization, role=Membership.Role.EDITOR)
    client.force_login(user)
    return user


def reporter_of(organization, client):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Membership.Role.REPORTER)
    client.force_login(user)
    return user


def url(view, *args, model=Indicator):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist(model=Indicator):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def fields_of(value: IndicatorValue) -> dict:
    return {field.attname: getattr(value, field.attname) for field in IndicatorValue._meta.fields}


def test_an_editor_cannot_delete_an_indicator_with_approved_values(client, herning, indicator):
    editor_of(herning, client)

    shown = client.get(url("delete", indicator.pk))
    posted = client.post(url("delete", indicator.pk), {"post": "yes"})

    assert shown.status_code == posted.status_code == 302
    assert shown.url == posted.url == url("archive", indicator.pk)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert indicator.values.count() == 3


def test_an_editor_is_refused_the_bulk_deletion_of_an_indicator_with_approved_values(
    client, herning, indicator
):
    editor_of(herning, client)
    deletable = IndicatorFactory(organization=herning)

    for data in ({}, {"post": "yes"}):  # the confirmation page, and its answer
        response = client.post(
            changelist(),
            {"action": "delete_selected", "_selected_action": [indicator.pk, deletable.pk], **data},
            follow=True,
        )
        assert "kan kun slettes af en superbruger" in response.text

    assert Indicator.objects.filter(pk__in=[indicator.pk, deletable.pk]).count() == 2


def test_an_editor_still_deletes_an_indicator_without_approved_values(client, herning):
    editor_of(herning, client)
    drafts_only = IndicatorFactory(organization=herning)
    IndicatorValueFactory(indicator=drafts_only, status=IndicatorValue.Status.SUBMITTED)

    response = client.post(url("delete", drafts_only.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=drafts_only.pk).exists()


def test_a_superuser_deletes_on_a_page_that_lists_every_value_that_goes(admin_client, indicator):
    page = admin_client.get(url("delete", indicator.pk)).text

    for value in indicator.values.all():
        assert f'{url("change", value.pk, model=IndicatorValue)}">{value}</a>' in page

    admin_client.post(url("delete", indicator.pk), {"post": "yes"})
    assert not IndicatorValue.objects.filter(indicator=indicator.pk).exists()


def test_an_editor_archives_an_indicator_and_takes_it_out_of_the_archive(
    client, herning, indicator
):
    editor = editor_of(herning, client)

    assert client.get(url("archive", indicator.pk)).status_code == 200
    client.post(url("archive", indicator.pk))
    indicator.refresh_from_db()
    assert indicator.is_archived
    assert indicator.archived_by == editor
    assert "Genopret fra arkivet" in client.get(url("change", indicator.pk)).text
    assert list(Indicator.objects.archived()) == [indicator]

    client.post(url("unarchive", indicator.pk))
    indicator.refresh_from_db()
    assert not indicator.is_archived
    assert list(Indicator.objects.active()) == [indicator]
    # Both changes are in its history.
    assert indicator.history.filter(archived_at__isnull=False).exists()


def test_the_list_action_archives_the_selected(client, herning, indicator):
    editor_of(herning, client)

    client.post(changelist(), {"action": "archive_selected", "_selected_action": [indicator.pk]})

    assert Indicator.objects.archived().get() == indicator


def test_another_organizations_editor_can_neither_archive_nor_restore(client, indicator):
    editor_of(OrganizationFactory(name="Hillerød Kommune"), client)

    assert client.get(url("archive", indicator.pk)).status_code == 403
    assert client.post(url("archive", indicator.pk)).status_code == 403
    client.post(changelist(), {"action": "archive_selected", "_selected_action": [indicator.pk]})
    assert not Indicator.objects.archived().exists()

    services.archive(obj=indicator, user=UserFactory(is_superuser=True))
    assert client.post(url("unarchive", indicator.pk)).status_code == 403
    pk = indicator.pk
    indicator.delete()
    assert client.post(url("restore", pk)).status_code == 403
    assert not Indicator.objects.filter(pk=pk).exists()


def test_an_archived_indicator_leaves_the_reporting_page_but_stays_public_as_history(
    client, herning, school, indicator
):
    target = GoalTargetFactory(goal__focus_area__strategy__owner=herning, indicator=indicator)
    reporter_of(school, client)
    reporting_page = reverse("reporting:report", args=[school.slug])
    assert "Elever i 0. klasse" in client.get(reporting_page).text

    services.archive(obj=indicator, user=UserFactory(is_superuser=True))

    assert "Elever i 0. klasse" not in client.get(reporting_page).text
    client.logout()
    public = client.get(indicator.get_absolute_url()).text
    assert "Arkiveret" in public
    assert "1.384" in public  # the approved values are still shown
    assert client.get(target.get_absolute_url()).status_code == 200


def test_an_archived_indicator_takes_no_new_values(school, indicator):
    reporter = UserFactory()
    MembershipFactory(user=reporter, organization=school, role=Membership.Role.REPORTER)
    services.archive(obj=indicator, user=UserFactory(is_superuser=True))

    with pytest.raises(services.PermissionDenied):
        services.value_report(
            organization=school,
            entries=[services.ValueEntry(indicator=indicator, period=2024, value=Decimal(3))],
            user=reporter,
            submit=True,
        )


def test_a_submitted_value_of_an_archived_indicator_waits_for_no_review(herning, indicator):
    editor = UserFactory()
    MembershipFactory(user=editor, organization=herning, role=Membership.Role.EDITOR)
    IndicatorValueFactory(indicator=indicator, period=2025, status=IndicatorValue.Status.SUBMITTED)
    assert IndicatorValue.objects.awaiting_review_by(editor).count() == 1

    services.archive(obj=indicator, user=editor)

    assert IndicatorValue.objects.awaiting_review_by(editor).count() == 0


@pytest.mark.parametrize("model", [GoalTarget, Goal, Strategy])
def test_a_target_goal_or_strategy_with_approved_values_is_archived_not_deleted(
    client, herning, indicator, model
):
    target = GoalTargetFactory(goal__focus_area__strategy__owner=herning, indicator=indicator)
    obj = {GoalTarget: target, Goal: target.goal, Strategy: target.goal.strategy}[model]
    editor_of(herning, client)

    assert client.get(url("delete", obj.pk, model=model)).status_code == 302
    client.post(url("archive", obj.pk, model=model))

    assert model.objects.archived().get() == obj


def test_the_history_pages_of_a_deleted_indicator_and_its_values_open(
    client, admin_client, herning, indicator
):
    value_ids = list(indicator.values.values_list("pk", flat=True))
    pk = indicator.pk
    indicator.delete()

    assert admin_client.get(url("history", pk)).status_code == 200
    for pk in value_ids:
        page = admin_client.get(url("history", pk, model=IndicatorValue))
        assert page.status_code == 200
        assert "Elever i 0. klasse" in page.text
    # The indicator's own editors still read it; others are refused.
    editor_of(herning, client)
    assert client.get(url("history", value_ids[0], model=IndicatorValue)).status_code == 200
    editor_of(OrganizationFactory(), client)
    assert client.get(url("history", value_ids[0], model=IndicatorValue)).status_code == 403


def test_a_deleted_indicator_is_restored_with_its_reporters_and_values(
    admin_client, herning, school, indicator
):
    deleted_alone = IndicatorValueFactory(indicator=indicator, period=2022, value=1300)
    deleted_alone.delete()
    before = {value.pk: fields_of(value) for value in indicator.values.all()}
    pk = indicator.pk
    indicator.delete()
    history = admin_client.get(url("history", pk)).text
    assert url("restore", pk) in history

    response = admin_client.post(url("restore", pk))

    assert response.status_code == 302
    restored = Indicator.objects.get(pk=pk)
    assert restored.name == "Elever i 0. klasse"
    assert set(restored.reporting_organizations.all()) == {herning, school}
    assert {value.pk: fields_of(value) for value in restored.values.all()} == before
    # The value deleted on its own before stays deleted.
    assert not IndicatorValue.objects.filter(pk=deleted_alone.pk).exists()
    for value_id in before:
        latest = IndicatorValue.history.filter(id=value_id).latest("history_date")
        assert latest.history_change_reason == services.RESTORED_REASON
    assert restored.history.latest("history_date").history_type in {"+", "~"}
    assert admin_client.get(url("history", pk)).status_code == 200


def test_only_a_superuser_restores(client, herning, indicator):
    editor = editor_of(herning, client)
    pk = indicator.pk
    indicator.delete()

    assert client.post(url("restore", pk)).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.indicator_restore(indicator_id=pk, user=editor)


def test_an_indicator_that_exists_is_not_restored(admin_user, indicator):
    with pytest.raises(services.ValidationError):
        services.indicator_restore(indicator_id=indicator.pk, user=admin_user)


def test_the_indicator_list_runs_as_many_queries_with_archived_indicators(
    admin_client, django_assert_max_num_queries, herning, indicator
):
    admin_client.get(changelist())  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        admin_client.get(changelist())
    for extra in IndicatorFactory.create_batch(4, organization=herning):
        services.archive(obj=extra, user=UserFactory(is_superuser=True))

    with django_assert_max_num_queries(len(one)):
        assert admin_client.get(changelist(), {"archived_at__isnull": "False"}).status_code == 200


def test_the_command_restores_a_deleted_indicator(admin_user, indicator):
    pk = indicator.pk
    indicator.delete()
    out = io.StringIO()

    call_command("restore", "indicator", pk, user=admin_user.username, stdout=out)

    assert Indicator.objects.get(pk=pk).values.count() == 3
    assert "Restored the indicator Elever i 0. klasse" in out.getvalue()
    with pytest.raises(CommandError, match="ikke slettet"):
        call_command("restore", "indicator", pk, user=admin_user.username)


def test_a_deleted_indicator_and_its_values_are_not_reverted_piecemeal(admin_client, indicator):
    pk, value_id = indicator.pk, indicator.values.first().pk
    indicator.delete()
    record = Indicator.history.filter(id=pk, history_type="~").latest("history_date")
    value_record = IndicatorValue.history.filter(id=value_id).earliest("history_date")

    for page in (
        admin_client.get(url("simple_history", pk, record.history_id)),
        admin_client.get(
            url("simple_history", value_id, value_record.history_id, model=IndicatorValue)
        ),
    ):
        assert page.status_code == 200
        assert 'name="_save"' not in page.text  # no »Revert« button


def test_a_deleted_target_is_restored_with_its_milestones_and_assessed_again(
    admin_client, herning, indicator
):
    target = GoalTargetFactory(goal__focus_area__strategy__owner=herning, indicator=indicator)
    kept = MilestoneFactory(target=target, period=2025, value=1500)
    MilestoneFactory(target=target, period=2026, value=1600).delete()  # on its own, before
    pk = target.pk
    target.delete()
    assert (
        url("restore", pk, model=GoalTarget)
        in admin_client.get(url("history", pk, model=GoalTarget)).text
    )

    admin_client.post(url("restore", pk, model=GoalTarget))

    restored = GoalTarget.objects.get(pk=pk)
    assert [milestone.pk for milestone in restored.milestones.all()] == [kept.pk]
    assert restored.stored_assessment.status == restored.assessment.status


def test_no_round_template_or_reminder_asks_for_an_archived_indicator(herning, school, indicator):
    reporting_round = ReportingRoundFactory(organization=herning, period=2025)
    asked = {cell.indicator for cell in round_table(reporting_round).cells.values()}
    assert asked == {indicator}
    assert reporter_rounds([school])

    services.archive(obj=indicator, user=UserFactory(is_superuser=True))

    assert not round_table(reporting_round).cells  # the overview, templates, reminders
    assert reporter_rounds([school]) == []  # the reporter's start page


def test_a_deleted_goal_is_restored_with_its_targets_milestones_and_actions(
    admin_client, herning, indicator
):
    target = GoalTargetFactory(goal__focus_area__strategy__owner=herning, indicator=indicator)
    goal = target.goal
    milestone = MilestoneFactory(target=target, period=2025, value=1500)
    action = ActionFactory(strategy=goal.strategy, goal=goal, focus_area=None)
    pk = goal.pk
    goal.delete()

    admin_client.post(url("restore", pk, model=Goal))

    restored = Goal.objects.get(pk=pk)
    assert list(restored.targets.all()) == [target]
    assert list(restored.targets.get().milestones.all()) == [milestone]
    assert list(restored.actions.all()) == [action]
    assert target.stored_assessment
