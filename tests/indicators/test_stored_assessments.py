"""Each goal target's assessment is stored (`TargetAssessment`) and refreshed in the
transaction of whatever changes it, so that the lists read one row per target instead of
assessing every target on each request."""

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from goals.services import strategy_create_next_version
from indicators import services
from indicators.models import GoalTarget, IndicatorValue, Metric, Milestone, TargetAssessment
from indicators.progress import Assessment, Status
from indicators.rollups import strategy_progress
from indicators.services import ValueEntry
from municipalities import access
from strategyportal import workspace
from tests.factories import (
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUBMITTED = IndicatorValue.Status.SUBMITTED
# GoalTargetFactory's target, as fields.
HEG_TARGET = {
    "direction": GoalTarget.Direction.AT_LEAST,
    "baseline_period": 2023,
    "baseline_value": Decimal(1384),
    "target_period": 2028,
    "target_value": Decimal(1800),
}


def stored_fields(row: TargetAssessment) -> tuple:
    return (
        Status(row.status),
        row.progress,
        row.expected,
        row.latest_period,
        row.latest_value,
        row.deadline_passed,
        row.forecast_shape,
        row.forecast_pace,
        row.forecast_period,
        row.forecast_on_time,
    )


def computed_fields(assessment: Assessment) -> tuple:
    latest, forecast = assessment.latest, assessment.forecast
    return (
        assessment.status,
        assessment.progress,
        assessment.expected,
        latest and latest.period,
        latest and latest.value,
        assessment.deadline_passed,
        forecast.shape if forecast else "",
        forecast and forecast.pace,
        forecast and forecast.period,
        forecast and forecast.on_time,
    )


def assert_stored_as_computed() -> dict[int, tuple]:
    """Every target's stored assessment is the one computed from its values now, exactly."""
    computed = {
        target.pk: computed_fields(target.assessment)
        for target in GoalTarget.objects.with_progress()
    }
    stored = {row.target_id: stored_fields(row) for row in TargetAssessment.objects.all()}
    assert stored == computed
    return stored


def stored(target) -> TargetAssessment:
    return TargetAssessment.objects.get(target=target)


@pytest.fixture
def editor(db):
    return UserFactory(username="redaktoer", is_staff=True, is_superuser=True)


@pytest.fixture
def target(db):
    """HEG's shape: at least 1,800 in 2028 from 1,384 in 2023, on track with 1,500 in 2024."""
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(1500))
    return target


def test_every_seeded_target_is_stored_as_it_is_computed(seed):
    rows = assert_stored_as_computed()

    heg = stored(GoalTarget.objects.get(indicator__slug="arselever"))
    assert (heg.latest_period, heg.latest_value) == (2023, 1384.0)
    assert len(rows) == GoalTarget.objects.count() > 0


def test_load_seed_stores_every_assessment():
    call_command("load_seed", verbosity=0)

    assert len(assert_stored_as_computed()) == GoalTarget.objects.count() > 0


def test_every_generated_target_is_stored_as_it_is_computed():
    call_command(
        "generate_national_data",
        municipalities_dk=2,
        municipalities_se=1,
        schools=2,
        years=3,
        stdout=StringIO(),
    )

    rows = assert_stored_as_computed()
    assert len(rows) == 3 * 48
    assert len({row[0] for row in rows.values()}) >= 4  # the statuses vary


class Undone(Exception):
    pass


def test_approving_a_value_stores_the_new_status_in_the_same_transaction(target, editor):
    value = IndicatorValueFactory(
        indicator=target.indicator, period=2025, value=Decimal(1900), status=SUBMITTED
    )
    assert stored(target).status == Status.ON_TRACK
    seen_inside = []

    def approve_then_fail():
        with transaction.atomic():
            services.value_approve(value=value, user=editor)
            seen_inside.append(stored(target).status)
            raise Undone  # whatever fails after the approval undoes the stored status too

    with pytest.raises(Undone):
        approve_then_fail()

    assert seen_inside == [Status.TARGET_MET]
    assert stored(target).status == Status.ON_TRACK
    services.value_approve(value=value, user=editor)
    assert stored(target).status == Status.TARGET_MET
    assert_stored_as_computed()


def test_rejecting_a_submitted_value_changes_no_assessment(target, editor):
    value = IndicatorValueFactory(
        indicator=target.indicator, period=2025, value=Decimal(1900), status=SUBMITTED
    )
    before = stored(target)

    services.value_reject(value=value, user=editor, reason="Tallet er for højt")

    assert stored(target).assessed_at == before.assessed_at
    assert_stored_as_computed()


def test_an_approved_value_corrected_in_the_admin_counts_no_more_until_approved(target, editor):
    value = IndicatorValue.objects.get(indicator=target.indicator)
    value.value = Decimal(1900)

    corrected = services.value_edit(value=value, user=editor, revision=value.revision)

    assert corrected.status == SUBMITTED
    assert stored(target).status == Status.NOT_ENOUGH_DATA
    services.value_approve(value=corrected, user=editor)
    assert stored(target).status == Status.TARGET_MET
    assert_stored_as_computed()


def test_an_approved_value_changed_on_the_reporting_page_counts_no_more(target, editor):
    value = IndicatorValue.objects.get(indicator=target.indicator)

    services.value_report(
        organization=target.indicator.organization,
        entries=[
            ValueEntry(
                indicator=target.indicator,
                period=2024,
                value=Decimal(1900),
                revision=value.revision,
            )
        ],
        user=editor,
        submit=True,
    )

    assert stored(target).status == Status.NOT_ENOUGH_DATA
    assert_stored_as_computed()


def test_an_approved_value_changed_by_an_upload_counts_no_more(target, editor):
    value = IndicatorValue.objects.get(indicator=target.indicator)
    entry = ValueEntry(
        indicator=target.indicator, period=2024, value=Decimal(1900), revision=value.revision
    )

    services.values_import(entries=[(target.indicator.organization, entry)], user=editor)

    assert stored(target).status == Status.NOT_ENOUGH_DATA
    assert_stored_as_computed()


def test_a_deleted_approved_value_counts_no_more(target):
    IndicatorValue.objects.get(indicator=target.indicator).delete()

    assert stored(target).status == Status.NOT_ENOUGH_DATA


def test_a_changed_target_is_assessed_again(target):
    target.target_value = Decimal(1450)
    target.save()

    assert stored(target).status == Status.TARGET_MET
    assert_stored_as_computed()


def test_a_milestone_added_or_deleted_moves_the_expected_path(target):
    milestone = MilestoneFactory(target=target, period=2024, value=Decimal(1600))

    assert stored(target).expected == 1600.0
    assert_stored_as_computed()

    milestone.delete()

    assert stored(target).expected != 1600.0
    assert_stored_as_computed()


def test_a_target_deleted_with_its_milestones_and_strategy_leaves_nothing_stored(target):
    MilestoneFactory(target=target)
    other = MilestoneFactory(target__goal=target.goal)

    target.delete()
    other.target.goal.strategy.delete()

    assert not TargetAssessment.objects.exists()
    assert not Milestone.objects.exists()


def test_a_published_successor_ends_the_replaced_strategy_at_its_last_year(editor):
    strategy = StrategyFactory(start_year=2021, end_year=2024)
    target = GoalTargetFactory(goal__focus_area__strategy=strategy)
    for period, value in ((2024, 1500), (2025, 1300)):
        IndicatorValueFactory(indicator=target.indicator, period=period, value=Decimal(value))
    version = strategy_create_next_version(
        strategy=strategy, user=editor, title="Næste strategi", slug="naeste", end_year=2030
    )
    # A draft replaces nothing yet.
    assert stored(target).status == Status.MOVING_AWAY

    version.status = version.Status.PUBLISHED
    version.save(update_fields=["status"])

    assert (stored(target).status, stored(target).latest_period) == (Status.ON_TRACK, 2024)
    copy = GoalTarget.objects.get(goal__strategy=version)
    assert stored(copy).status == Status.MOVING_AWAY  # the new version sees every value
    assert_stored_as_computed()

    version.delete()

    assert stored(target).status == Status.MOVING_AWAY


@pytest.fixture
def summed(db):
    """A municipality's count, the sum of its two schools' values: A's 60 is approved, B's
    70 waits for approval."""
    municipality = OrganizationFactory()
    school_a, school_b = SchoolFactory.create_batch(2, parent=municipality)
    indicator = IndicatorFactory(
        organization=municipality,
        metric__measure=Metric.Measure.COUNT,
        metric__aggregation=Metric.Aggregation.SUM,
        reporting_organizations=[school_a, school_b],
    )
    target = GoalTargetFactory(
        goal__focus_area__strategy__owner=municipality,
        indicator=indicator,
        baseline_value=Decimal(100),
        target_value=Decimal(200),
    )
    IndicatorValueFactory(indicator=indicator, organization=school_a, value=Decimal(60))
    waiting = IndicatorValueFactory(
        indicator=indicator, organization=school_b, value=Decimal(70), status=SUBMITTED
    )
    return target, school_a, school_b, waiting


def test_a_schools_approved_value_completes_the_derived_series(summed, editor):
    target, _school_a, _school_b, waiting = summed
    assert stored(target).status == Status.NOT_ENOUGH_DATA  # a sum needs every school

    services.value_approve(value=waiting, user=editor)

    assert (stored(target).status, stored(target).latest_value) == (Status.ON_TRACK, 130.0)
    assert_stored_as_computed()


def test_who_reports_decides_what_the_series_is_made_of(summed):
    target, school_a, school_b, _waiting = summed
    reporters = target.indicator.reporting_organizations

    reporters.remove(school_b)
    assert (stored(target).status, stored(target).latest_value) == (Status.MOVING_AWAY, 60.0)

    reporters.clear()
    assert (stored(target).status, stored(target).latest_value) == (Status.NOT_ENOUGH_DATA, None)

    reporters.add(school_a, school_b)
    assert (stored(target).status, stored(target).latest_value) == (Status.NOT_ENOUGH_DATA, None)

    reporters.remove(school_b)
    assert stored(target).status == Status.MOVING_AWAY
    assert_stored_as_computed()


def test_the_metrics_aggregation_decides_what_the_schools_values_make(summed):
    target, _school_a, _school_b, _waiting = summed
    metric = target.indicator.metric

    metric.aggregation = Metric.Aggregation.MEAN  # half of the schools are enough
    metric.save()

    assert (stored(target).status, stored(target).latest_value) == (Status.MOVING_AWAY, 60.0)
    assert_stored_as_computed()


def test_the_command_stores_every_assessment_again(target):
    GoalTargetFactory()
    TargetAssessment.objects.filter(target=target).update(status=Status.BEHIND, progress=None)
    TargetAssessment.objects.exclude(target=target).delete()
    output = StringIO()

    call_command("refresh_assessments", stdout=output)

    assert_stored_as_computed()
    assert "Assessed 2 goal target(s)" in output.getvalue()


APPROVALS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_of_one_series_are_all_in_its_stored_assessment(target, editor):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time, so the approvals cannot overlap there")
    waiting = [
        IndicatorValueFactory(
            indicator=target.indicator, period=period, value=Decimal(1500), status=SUBMITTED
        )
        for period in range(2025, 2025 + APPROVALS)
    ]
    barrier = threading.Barrier(APPROVALS)
    errors = []

    def approve(value) -> None:
        try:
            barrier.wait()
            services.value_approve(value=value, user=editor)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(value,)) for value in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert stored(target).latest_period == 2024 + APPROVALS
    assert_stored_as_computed()


def test_the_lists_count_the_stored_statuses(client, target):
    """The strategy list, its filter, the roll-ups and the workspace read what is stored and
    never assess: a stored status that the values do not bear out is what they show."""
    TargetAssessment.objects.update(status=Status.MOVING_AWAY)
    strategy = target.goal.strategy
    url = reverse("portal:strategies")

    page = client.get(url + "?status=moving_away").text

    assert strategy.title in page
    assert "Går den forkerte vej" in page
    assert strategy_progress(strategy).total.targets[Status.MOVING_AWAY] == 1
    user = MembershipFactory(organization=strategy.owner).user
    (listed,) = workspace.strategies(access.own_editor_scope(user))
    assert listed.status_counts == [(Status.MOVING_AWAY, 1)]


def test_targets_written_in_bulk_are_assessed_when_a_list_first_meets_them(client):
    """Bulk writes send no signals; a benchmark's or a script's targets are not left out."""
    strategy = StrategyFactory()
    goal = GoalTargetFactory(goal__focus_area__strategy=strategy).goal
    indicator = IndicatorFactory(organization=strategy.owner)
    IndicatorValueFactory(indicator=indicator, period=2024, value=Decimal(1300))
    TargetAssessment.objects.all().delete()
    GoalTarget.objects.bulk_create(
        [GoalTarget(goal=goal, indicator=indicator, order=1, **HEG_TARGET)]
    )

    page = client.get(reverse("portal:strategies") + "?status=moving_away").text

    assert strategy.title in page
    assert_stored_as_computed()
    TargetAssessment.objects.all().delete()
    assert strategy_progress(strategy).total.targets[Status.MOVING_AWAY] == 1
    assert_stored_as_computed()
    TargetAssessment.objects.all().delete()
    user = MembershipFactory(organization=strategy.owner).user
    (listed,) = workspace.strategies(access.own_editor_scope(user))
    assert dict(listed.status_counts)[Status.MOVING_AWAY] == 1
    assert_stored_as_computed()
