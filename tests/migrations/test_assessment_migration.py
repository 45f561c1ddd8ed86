"""The migration that adds stored assessments fills them for the targets there are, as the
models compute them: data made with the models as they were before it, migrated forward."""

from decimal import Decimal

import pytest

from tests.indicators.test_stored_assessments import assert_stored_as_computed
from tests.migrations.test_goal_target_migration import latest, migrate

BEFORE = [("indicators", "0012_drafts_of_targets")]


def make_targets(apps) -> None:
    """A replaced strategy's target on a series its schools sum, with a milestone; its
    successor's target on the same series; and a target without any value."""
    model = apps.get_model
    Organization, Strategy = model("municipalities", "Organization"), model("goals", "Strategy")
    municipality = Organization.objects.create(
        name="Kommune", slug="kommune", kind="municipality", country="DK"
    )
    schools = [
        Organization.objects.create(
            name=f"Skole {n}",
            slug=f"skole-{n}",
            kind="institution",
            country="DK",
            parent=municipality,
        )
        for n in (1, 2)
    ]
    old = Strategy.objects.create(
        owner=municipality, title="Gammel", slug="gammel", end_year=2024, status="published"
    )
    new = Strategy.objects.create(
        owner=municipality, title="Ny", slug="ny", replaces=old, status="published"
    )
    summed = model("indicators", "Metric").objects.create(
        name="Elever", slug="elever", definition="Elever", unit="elever", aggregation="sum"
    )
    pupils = model("indicators", "Indicator").objects.create(
        organization=municipality, metric=summed, name="Elever", slug="elever"
    )
    pupils.reporting_organizations.set(schools)
    for period, values in ((2023, (50, 50)), (2024, (60, 70)), (2025, (40, 40))):
        for school, value in zip(schools, values, strict=True):
            model("indicators", "IndicatorValue").objects.create(
                indicator=pupils, organization=school, period=period, value=value, status="approved"
            )
    model("indicators", "IndicatorValue").objects.create(
        indicator=pupils, organization=municipality, period=2026, value=500, status="submitted"
    )
    other = model("indicators", "Indicator").objects.create(
        organization=municipality, metric=summed, name="Andre", slug="andre"
    )
    Goal, GoalTarget = model("goals", "Goal"), model("indicators", "GoalTarget")
    for strategy, indicator in ((old, pupils), (new, pupils), (new, other)):
        goal = Goal.objects.create(strategy=strategy, text="Flere elever", slug=indicator.slug)
        target = GoalTarget.objects.create(
            goal=goal,
            indicator=indicator,
            direction="at_least",
            baseline_period=2023,
            baseline_value=Decimal(100),
            target_period=2027,
            target_value=Decimal(200),
        )
        model("indicators", "Milestone").objects.create(target=target, period=2025, value=150)


@pytest.mark.django_db(transaction=True)
def test_every_target_there_is_gets_its_assessment_stored():
    try:
        make_targets(migrate(BEFORE))

        migrate(latest())

        rows = assert_stored_as_computed()
        assert sorted((row[0], row[3]) for row in rows.values()) == [
            ("moving_away", 2025),  # the new version sees 2025's 80
            ("not_enough_data", None),
            ("on_track", 2024),  # the old one ends with its last year's 130
        ]
    finally:
        migrate(latest())
