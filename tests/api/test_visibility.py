"""The API's lists and details hold what the public pages hold and nothing more: the
portal's draft sentinels (tests/portal/test_visibility.py) are planted, proved to exist, and
found in no answer, while a published control beside each is found; a count of fewer than
five pupils is withheld with the reason."""

import json
from decimal import Decimal

import pytest

from goals.models import Action, FocusArea, Goal, Strategy, Theme, WorkingModel
from indicators.models import GoalTarget, Indicator, IndicatorValue, Metric
from tests.api.conftest import ENDPOINTS, every_row
from tests.factories import GoalTargetFactory, IndicatorValueFactory, StrategyFactory
from tests.portal.test_visibility import SECRET, UNAPPROVED, sentinels  # noqa: F401

pytestmark = pytest.mark.django_db

DRAFT = Strategy.Status.DRAFT
SMALL = Decimal(3)


@pytest.fixture
def planted(sentinels):  # noqa: F811
    """The portal's sentinels (a focus area of the draft strategy among them, and metrics
    that only draft indicators use), and a published target on a pupil count whose latest
    approved value is 3 pupils."""
    heg = sentinels["heg"]
    goal = Goal.objects.public().filter(strategy__owner=heg).first()
    pupils = GoalTargetFactory(
        goal=goal,
        indicator__organization=heg,
        indicator__name="Elever i en lille klasse",
        indicator__metric__counts_pupils=True,
        baseline_period=2022,
        baseline_value=Decimal(20),
        target_value=Decimal(25),
    )
    IndicatorValueFactory(indicator=pupils.indicator, period=2023, value=Decimal(22))
    IndicatorValueFactory(indicator=pupils.indicator, period=2024, value=SMALL)
    newer = StrategyFactory(owner=heg, replaces=sentinels["draft_strategy"])
    return {**sentinels, "pupils": GoalTarget.objects.get(pk=pupils.pk), "newer": newer}


def drafts_exist(heg) -> None:
    """Each kind of sentinel is there to be leaked."""
    assert Strategy.objects.filter(owner=heg, status=DRAFT, title__contains=SECRET).exists()
    assert FocusArea.objects.filter(title__contains=SECRET).exists()
    assert Goal.objects.filter(status=DRAFT, text__contains=SECRET).exists()
    assert Action.objects.filter(status=DRAFT, text__contains=SECRET).exists()
    assert GoalTarget.objects.filter(status=DRAFT).exists()
    assert Indicator.objects.filter(name__contains=SECRET).exists()
    assert Metric.objects.filter(name__contains=SECRET).exists()
    assert WorkingModel.objects.filter(status=DRAFT, name__contains=SECRET).exists()
    assert Theme.objects.filter(name__contains=SECRET).exists()
    assert IndicatorValue.objects.filter(value=UNAPPROVED).exclude(status="approved").exists()


def test_no_list_holds_a_draft_or_an_unapproved_value(client, planted):
    drafts_exist(planted["heg"])

    answers = {name: every_row(client, f"/api/v1/{name}/") for name in ENDPOINTS}

    for name, rows in answers.items():
        assert rows, f"{name} should list the seed's published content"
        text = json.dumps(rows, ensure_ascii=False)
        assert SECRET not in text, name
        assert str(UNAPPROVED) not in text, name
    # A published version of a draft is public, and so is a working model described in a
    # draft; the draft they name is not.
    [newer] = [row for row in answers["strategies"] if row["id"] == planted["newer"].pk]
    assert newer["replaces"] is None
    assert any(row["name"].startswith("En offentlig") for row in answers["working-models"])
    assert all(
        row["document"] is None or row["document"] in {row["id"] for row in answers["strategies"]}
        for row in answers["working-models"]
    )


def test_no_detail_of_a_draft_is_found(client, planted):
    draft_target = GoalTarget.objects.filter(goal=planted["draft_goal"]).get()
    addresses = {
        f"/api/v1/strategies/{planted['draft_strategy'].pk}/",
        f"/api/v1/goals/{planted['draft_goal'].pk}/",
        f"/api/v1/targets/{draft_target.pk}/",
        f"/api/v1/targets/{draft_target.pk}/series/",
        "/api/v1/targets/not-a-number/series/",
        f"/api/v1/indicators/{draft_target.indicator_id}/",
        f"/api/v1/themes/{Theme.objects.get(name__contains=SECRET).slug}/",
        f"/api/v1/working-models/{WorkingModel.objects.get(name__contains=SECRET).pk}/",
        f"/api/v1/focus-areas/{FocusArea.objects.get(title__contains=SECRET).pk}/",
        f"/api/v1/actions/{Action.objects.get(text__contains=SECRET).pk}/",
        f"/api/v1/values/{IndicatorValue.objects.filter(value=UNAPPROVED).first().pk}/",
        f"/api/v1/metrics/{draft_target.indicator.metric.slug}/",
    }

    assert {address: client.get(address).status_code for address in addresses} == dict.fromkeys(
        addresses, 404
    )


def test_the_published_control_of_each_kind_is_found_by_its_detail(client, planted):
    target = planted["pupils"]
    addresses = [
        f"/api/v1/strategies/{target.goal.strategy_id}/",
        f"/api/v1/goals/{target.goal_id}/",
        f"/api/v1/targets/{target.pk}/",
        f"/api/v1/targets/{target.pk}/series/",
        f"/api/v1/indicators/{target.indicator_id}/",
        f"/api/v1/organizations/{planted['heg'].slug}/",
        f"/api/v1/themes/{Theme.objects.visible_to(None).first().slug}/",
        f"/api/v1/working-models/{WorkingModel.objects.public().first().pk}/",
        f"/api/v1/values/{IndicatorValue.objects.filter(indicator=target.indicator).first().pk}/",
        f"/api/v1/metrics/{Metric.objects.filter(indicators__targets__isnull=False).first().slug}/",
    ]

    assert [client.get(address).status_code for address in addresses] == [200] * len(addresses)


def test_a_count_of_fewer_than_five_pupils_is_withheld_with_the_reason(client, planted):
    target = planted["pupils"]
    stored = target.stored_assessment
    # What would tell the count: the baseline and the pace from it make it computable.
    assert stored.latest_value == float(SMALL)
    assert stored.progress is not None
    assert stored.forecast_pace is not None

    values = every_row(client, f"/api/v1/values/?indicator={target.indicator_id}")
    answer = client.get(f"/api/v1/targets/{target.pk}/").json()["assessment"]
    series = client.get(f"/api/v1/targets/{target.pk}/series/").json()

    assert {row["period"]: row["value"] for row in values} == {2023: 22.0, 2024: None}
    assert {row["period"]: row["suppressed"] for row in values} == {
        2023: None,
        2024: "fewer_than_5",
    }
    assert answer["latest_period"] == 2024
    assert answer["latest_value"] is None
    assert answer["progress"] is None
    assert answer["forecast_pace"] is None
    assert answer["suppressed"] == "fewer_than_5"
    shown = {row["period"]: (row["value"], row["suppressed"]) for row in series}
    assert (shown[2023], shown[2024]) == ((22.0, None), (None, "fewer_than_5"))
