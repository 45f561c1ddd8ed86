"""What changed in a strategy between two periods: `changes_between` and its public page."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import Action, Strategy, StrategyStatus
from indicators.models import GoalTarget
from indicators.periods import Interval, PeriodKind
from indicators.progress import Status
from municipalities.models import Membership
from strategyportal.reports.changes import (
    ActionChangeKind,
    changes_between,
    default_periods,
)
from tests.factories import (
    ActionFactory,
    GoalFactory,
    GoalTargetFactory,
    IndicatorValueFactory,
    MembershipFactory,
    MilestoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page_url(strategy, since=None, until=None, language=""):
    args = [strategy.owner.slug, strategy.slug]
    if since is None:
        url = reverse("portal:strategy_changes_latest", args=args)
    else:
        url = reverse("portal:strategy_changes", args=[*args, since, until])
    return f"/{language}{url}" if language else url


def values(target, **by_period):
    for period, value in by_period.items():
        IndicatorValueFactory(indicator=target.indicator, period=int(period[1:]), value=value)


def backdate(obj, when: datetime) -> None:
    """Date the latest historical record of `obj` `when`, as if it had been written then."""
    latest = obj.history.latest("history_date", "history_id")
    type(obj).history.filter(history_id=latest.history_id).update(history_date=when)


@pytest.fixture
def target():
    """At least 1.800 årselever in 2028 from 1.384 in 2023, with values 2023–2025."""
    found = GoalTargetFactory(goal__text="Flere årselever", indicator__name="Årselever")
    values(found, y2023=1384, y2024=1400, y2025=1650)
    return found


def changes_of(strategy, since, until, user=None):
    return changes_between(strategy, since=since, until=until, user=user)


def test_new_values_of_the_interval_are_listed(target):
    changes = changes_of(target.goal.strategy, 2023, 2025)

    [item] = changes.targets
    assert [(value.period, value.value) for value in item.new_values] == [
        (2024, 1400),
        (2025, 1650),
    ]
    assert changes.counts.new_values == 2


def test_a_changed_verdict_is_given_before_and_after(target):
    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert (item.before.status, item.after.status) == (Status.BEHIND, Status.ON_TRACK)
    assert item.verdict_changed
    assert item.improved


def test_the_page_says_how_the_verdict_changed(client, target):
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text

    assert (
        'Vurderingen skiftede fra <span class="badge badge-warning">Bagud</span> '
        'til <span class="badge badge-success">'
    ) in page
    assert "Nyt tal: 1.650\xa0årselever i 2025." in page
    assert target.summary_of(target.assessment_as_of(2025)) in page
    assert "Fra 2024 til 2025:</strong> 1 nyt tal, 1 ændret vurdering (1 bedre)" in page


def test_a_target_met_in_the_interval_says_so(client, target):
    values(target, y2026=1850)

    changes = changes_of(target.goal.strategy, 2025, 2026)

    assert changes.targets[0].met
    assert changes.counts.met == 1
    assert "Målet blev nået." in client.get(page_url(target.goal.strategy, 2025, 2026)).text


def test_a_deadline_in_the_interval_that_was_not_met_is_missed(client):
    target = GoalTargetFactory(target_period=2025)
    values(target, y2023=1384, y2024=1500, y2025=1600)

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert item.deadline_missed
    assert not item.deadline_value_missing
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert "Fristen 2025 er passeret, uden at målet er nået." in page
    assert "1 frist overskredet" in page


def test_a_deadline_without_its_own_value_yet_says_the_value_is_missing(client):
    target = GoalTargetFactory(target_period=2025)
    values(target, y2023=1384, y2024=1500)

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert item.deadline_missed
    assert item.deadline_value_missing


def test_a_deadline_in_this_year_is_not_missed_before_the_year_is_over(client):
    this_year = timezone.localdate().year
    target = GoalTargetFactory(baseline_period=this_year - 3, target_period=this_year)
    values(target, **{f"y{this_year - 1}": 1384, f"y{this_year}": 1400})

    [item] = changes_of(target.goal.strategy, this_year - 1, this_year).targets

    assert not item.deadline_missed
    page = client.get(page_url(target.goal.strategy, this_year - 1, this_year)).text
    assert "Fristen" not in page


def test_an_interval_into_a_year_to_come_is_not_found(client, target):
    this_year = timezone.localdate().year

    response = client.get(page_url(target.goal.strategy, this_year - 1, this_year + 1))

    assert response.status_code == 404


def test_a_deadline_outside_the_interval_is_not_missed_in_it(target):
    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert not item.deadline_missed


def lower_the_target(target, when: datetime, value: int = 1400) -> None:
    """HEG's case: the target, 1.800 since 2023, lowered to `value` on `when`."""
    backdate(target, datetime(2023, 1, 1, tzinfo=UTC))
    target.target_value = Decimal(value)
    target._change_reason = "Bestyrelsen sænkede målet"
    target.save()
    backdate(target, when)


def test_each_verdict_is_judged_against_the_target_as_it_stood_then(client, target):
    lower_the_target(target, datetime(2025, 6, 1, tzinfo=UTC))

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert (item.before.status, item.after.status) == (Status.BEHIND, Status.TARGET_MET)
    assert (item.before.target.value, item.after.target.value) == (1800, 1400)
    assert item.met
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert "Vurderingen er uændret" not in page
    assert "Målet blev nået." in page


def test_a_target_changed_after_the_interval_leaves_its_verdicts_alone(target):
    lower_the_target(target, datetime(2026, 3, 1, tzinfo=UTC))

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert (item.before.status, item.after.status) == (Status.BEHIND, Status.ON_TRACK)
    assert item.changes == ()


def test_a_deadline_is_the_one_that_stood_at_the_end_of_the_interval(client):
    target = GoalTargetFactory(target_period=2025)
    values(target, y2023=1384, y2024=1500, y2025=1600)
    backdate(target, datetime(2023, 1, 1, tzinfo=UTC))
    target.target_period = 2028
    target.save()
    backdate(target, datetime(2026, 3, 1, tzinfo=UTC))

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert item.deadline == 2025
    assert item.deadline_missed
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert "Fristen 2025 er passeret, uden at målet er nået." in page


def test_a_change_made_while_the_target_was_a_draft_stays_hidden(client, target):
    backdate(target, datetime(2023, 1, 1, tzinfo=UTC))
    for when, fields in (
        (datetime(2025, 2, 1, tzinfo=UTC), {"status": StrategyStatus.DRAFT}),
        (datetime(2025, 3, 1, tzinfo=UTC), {"target_value": Decimal(1234)}),
        (datetime(2025, 4, 1, tzinfo=UTC), {"target_value": Decimal(1900)}),
        (datetime(2025, 5, 1, tzinfo=UTC), {"status": StrategyStatus.PUBLISHED}),
    ):
        for name, value in fields.items():
            setattr(target, name, value)
        target._change_reason = "Kladdeårsag"
        target.save()
        backdate(target, when)

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert [(change.before.value, change.after.value) for change in item.changes] == [(1800, 1900)]
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert "1.234" not in page


def test_an_action_published_in_the_interval_is_new_whatever_it_did_as_a_draft(target):
    action = ActionFactory(
        strategy=target.goal.strategy,
        goal=target.goal,
        focus_area=None,
        status=StrategyStatus.DRAFT,
    )
    backdate(action, datetime(2024, 3, 1, tzinfo=UTC))
    action.state = Action.State.UNDER_WAY
    action.save()
    backdate(action, datetime(2024, 6, 1, tzinfo=UTC))
    action.state = Action.State.DONE
    action.status = StrategyStatus.PUBLISHED
    action.save()
    backdate(action, datetime(2025, 5, 1, tzinfo=UTC))

    assert changes_of(target.goal.strategy, 2023, 2024).goals[0].actions == ()
    [change] = changes_of(target.goal.strategy, 2024, 2025).goals[0].actions
    assert (change.kind, change.before, change.after) == (
        ActionChangeKind.NEW,
        None,
        Action.State.DONE,
    )


def test_an_action_that_went_back_a_state_is_counted_in_the_summary(client):
    action = ActionFactory(state=Action.State.DONE, text="Ny hal")
    backdate(action, datetime(2024, 3, 1, tzinfo=UTC))
    action.state = Action.State.UNDER_WAY
    action.save()
    backdate(action, datetime(2025, 9, 1, tzinfo=UTC))

    changes = changes_of(action.strategy, 2024, 2025)

    assert changes.counts.actions_changed == 1
    assert changes.counts.phrases() == ["1 handling ændret"]
    page = client.get(page_url(action.strategy, 2024, 2025)).text
    assert "Fra 2024 til 2025:</strong> 1 handling ændret." in page


def test_an_illustrative_value_is_marked_as_illustrative(client):
    target = GoalTargetFactory()
    values(target, y2023=1384)
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=1400, is_illustrative=True)

    [item] = changes_of(target.goal.strategy, 2023, 2024).targets

    assert [value.illustrative for value in item.new_values] == [True]
    page = client.get(page_url(target.goal.strategy, 2023, 2024)).text
    assert (
        'Nyt tal: 1.400\xa0årselever i 2024 <span class="badge badge-info">illustrativt</span>.'
        in page
    )


def test_a_real_value_is_not_marked_illustrative(client, target):
    [item] = changes_of(target.goal.strategy, 2024, 2025).targets

    assert [value.illustrative for value in item.new_values] == [False]
    assert "illustrativt" not in client.get(page_url(target.goal.strategy, 2024, 2025)).text


def test_a_change_of_the_target_in_the_interval_is_listed_with_its_reason(client, target):
    backdate(target, datetime(2023, 1, 1, tzinfo=UTC))
    target.target_value = Decimal(1900)
    target._change_reason = "Byrådet hævede målet"
    target.save()
    backdate(target, datetime(2025, 6, 1, tzinfo=UTC))

    [item] = changes_of(target.goal.strategy, 2024, 2025).targets
    [earlier] = changes_of(target.goal.strategy, 2023, 2024).targets

    assert [(change.before.value, change.after.value) for change in item.changes] == [(1800, 1900)]
    assert item.changes[0].reason == "Byrådet hævede målet"
    assert earlier.changes == ()
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert 'Begrundelse: <span lang="da">Byrådet hævede målet</span>' in page
    assert "1 ændret målsætning" in page


def test_an_action_finished_in_the_interval_is_listed(client, target):
    action = ActionFactory(
        strategy=target.goal.strategy, goal=target.goal, focus_area=None, text="Ny hal"
    )
    backdate(action, datetime(2024, 3, 1, tzinfo=UTC))
    action.state = Action.State.DONE
    action.save()
    backdate(action, datetime(2025, 9, 1, tzinfo=UTC))

    changes = changes_of(target.goal.strategy, 2024, 2025)

    [change] = changes.goals[0].actions
    assert (change.before, change.after, change.kind) == (
        Action.State.PLANNED,
        Action.State.DONE,
        ActionChangeKind.FINISHED,
    )
    assert changes.counts.actions_finished == 1
    assert changes_of(target.goal.strategy, 2023, 2024).goals[0].actions[0].kind == "new"
    page = client.get(page_url(target.goal.strategy, 2024, 2025)).text
    assert "Ny hal" in page
    assert "1 handling gennemført" in page


def test_an_action_whose_state_did_not_change_is_left_out(target):
    action = ActionFactory(strategy=target.goal.strategy, goal=target.goal, focus_area=None)
    backdate(action, datetime(2023, 3, 1, tzinfo=UTC))

    assert changes_of(target.goal.strategy, 2024, 2025).goals[0].actions == ()


def test_a_count_of_too_few_pupils_is_never_shown(client):
    target = GoalTargetFactory(
        indicator__metric__unit="elever",
        indicator__metric__measure="count",
        indicator__metric__counts_pupils=True,
        baseline_period=2022,
        baseline_value=6,
        target_period=2026,
        target_value=10,
    )
    values(target, y2023=7, y2024=3)

    [item] = changes_of(target.goal.strategy, 2023, 2024).targets
    page = client.get(page_url(target.goal.strategy, 2023, 2024)).text

    assert [(value.period, value.value) for value in item.new_values] == [(2024, None)]
    assert "færre end 5\xa0elever i 2024" in page
    assert "3\xa0elever" not in page


def test_school_years_are_labelled_as_school_years_and_dated_from_august():
    interval = Interval.between(2022, 2023, PeriodKind.SCHOOL_YEAR)

    assert (interval.start.date(), interval.end.date()) == (date(2023, 8, 1), date(2024, 8, 1))
    assert datetime(2024, 7, 31, 12, tzinfo=UTC) in interval
    assert datetime(2023, 7, 31, 12, tzinfo=UTC) not in interval


def test_a_school_year_strategy_shows_its_periods_as_school_years(client):
    target = GoalTargetFactory(indicator__metric__period_kind=PeriodKind.SCHOOL_YEAR)
    values(target, y2023=1384, y2024=1450)

    page = client.get(page_url(target.goal.strategy, 2023, 2024)).text

    assert "Udviklingen fra 2023/24 til 2024/25" in page
    assert "1.450\xa0årselever i 2024/25" in page


@pytest.fixture
def hidden():
    """A published strategy with a published target, a draft target, a target of a draft
    goal (all with values) and an editor of another organization."""
    target = GoalTargetFactory(indicator__name="Offentlig indikator")
    strategy = target.goal.strategy
    draft = GoalTargetFactory(
        goal__focus_area=target.goal.focus_area,
        status=StrategyStatus.DRAFT,
        indicator__name="Kladdeindikator",
    )
    of_draft_goal = GoalTargetFactory(
        goal__focus_area=target.goal.focus_area,
        goal__status=StrategyStatus.DRAFT,
        indicator__name="Indikator under kladdemål",
    )
    for each in (target, draft, of_draft_goal):
        values(each, y2023=1384, y2024=1500)
    outsider = UserFactory(is_staff=True)
    MembershipFactory(user=outsider, role=Membership.Role.EDITOR)
    editor = UserFactory(is_staff=True)
    MembershipFactory(user=editor, organization=strategy.owner, role=Membership.Role.EDITOR)
    return strategy, outsider, editor


def test_drafts_never_appear_to_visitors_or_other_organizations(client, hidden):
    strategy, outsider, editor = hidden
    url = page_url(strategy, 2023, 2024)
    client.force_login(editor)
    previewed = client.get(url).text
    assert "Kladdeindikator" in previewed  # they exist, and their own editors see them
    assert "Indikator under kladdemål" in previewed

    client.logout()
    public = client.get(url).text
    client.force_login(outsider)
    outsiders = client.get(url).text

    for page in (public, outsiders):
        assert "Offentlig indikator" in page
        assert "Kladdeindikator" not in page
        assert "Indikator under kladdemål" not in page
        assert "1 nyt tal" in page


def test_a_draft_strategy_is_not_found_by_visitors(client, target):
    Strategy.objects.filter(pk=target.goal.strategy_id).update(status=Strategy.Status.DRAFT)

    assert client.get(page_url(target.goal.strategy, 2024, 2025)).status_code == 404
    assert client.get(page_url(target.goal.strategy)).status_code == 404


@pytest.mark.parametrize(
    ("since", "until"),
    [(2025, 2025), (2025, 2024), (1000, 2024), (2024, 2500), (1950, 2024)],
)
def test_an_interval_that_makes_no_sense_is_not_found(client, target, since, until):
    assert client.get(page_url(target.goal.strategy, since, until)).status_code == 404


def test_an_unknown_strategy_is_not_found(client, target):
    url = reverse("portal:strategy_changes", args=[target.goal.strategy.owner.slug, "nej", 1, 2])

    assert client.get(url).status_code == 404


def test_the_page_compares_the_latest_period_with_values_with_the_one_before(client, target):
    page = client.get(page_url(target.goal.strategy)).text

    assert "Udviklingen fra 2024 til 2025" in page
    assert '<option value="2024" selected>' in page


def test_the_form_leads_to_the_chosen_periods_without_javascript(client, target):
    response = client.get(page_url(target.goal.strategy, 2024, 2025) + "?fra=2023&til=2025")

    assert response["Location"] == page_url(target.goal.strategy, 2023, 2025)


@pytest.mark.parametrize("periods", [None, (2024, 2025)])
def test_another_query_parameter_is_no_form_to_check(client, target, periods):
    url = page_url(target.goal.strategy, *(periods or ())) + "?utm_source=nyhedsbrev"

    response = client.get(url)

    assert response.status_code == 200
    assert "Dette felt er påkrævet" not in response.text
    assert "Udviklingen fra 2024 til 2025" in response.text


def test_the_form_refuses_a_last_period_before_the_first(client, target):
    response = client.get(page_url(target.goal.strategy) + "?fra=2025&til=2023")

    assert response.status_code == 200
    assert "Vælg en periode efter den første." in response.text


def test_default_periods_are_the_latest_two_with_values():
    assert default_periods([2019, 2021, 2024]) == (2021, 2024)
    assert default_periods([2024]) == (2023, 2024)
    assert default_periods([]) is None


def test_a_strategy_without_values_says_so(client):
    strategy = GoalTargetFactory().goal.strategy

    page = client.get(page_url(strategy)).text

    assert "Der er endnu ingen godkendte tal at sammenligne." in page


def test_an_interval_without_news_says_so_honestly(client, target):
    page = client.get(page_url(target.goal.strategy, 2025, 2026)).text

    assert "Ingen nye tal mellem 2025 og 2026, og ingen vurderinger" in page


@pytest.mark.parametrize("language", ["", "sv", "en"])
def test_the_page_renders_in_each_language(client, target, language):
    response = client.get(page_url(target.goal.strategy, 2024, 2025, language=language))

    assert response.status_code == 200
    assert f'<html lang="{language or "da"}"' in response.text


def test_the_strategy_page_links_the_changes(client, target):
    page = client.get(target.goal.strategy.get_absolute_url()).text

    assert f'href="{page_url(target.goal.strategy)}"' in page


def test_the_body_takes_the_heading_level_of_the_report(target):
    changes = changes_of(target.goal.strategy, 2024, 2025)

    html = render_to_string("reports/changes_body.html", {"changes": changes, "level": 3})

    assert '<h3 class="h4"><a ' in html
    assert "<h4" not in html  # the targets are items of the goal's list


def finish(action) -> None:
    action.state = Action.State.DONE
    action.save()


def build_strategy(size: int):
    """A strategy of `size` goals, each with a target with `size` values, a milestone and a
    change of the target, an action that was finished, and as many finished actions of its
    focus area and of the whole strategy."""
    first = GoalTargetFactory()
    strategy, area = first.goal.strategy, first.goal.focus_area
    for number in range(size):
        target = first if number == 0 else GoalTargetFactory(goal=GoalFactory(focus_area=area))
        for period in range(2023, 2023 + size + 1):
            IndicatorValueFactory(indicator=target.indicator, period=period, value=1400 + period)
        MilestoneFactory(target=target)
        target.target_value = Decimal(1900)
        target.save()
        finish(ActionFactory(strategy=strategy, goal=target.goal, focus_area=None))
        finish(ActionFactory(strategy=strategy, focus_area=area))
        finish(ActionFactory(strategy=strategy, focus_area=None))
    return strategy


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_runs_as_many_queries_for_one_target_as_for_many(
    client, django_assert_num_queries
):
    little = count_queries(client, page_url(build_strategy(1), 2023, 2026))
    large = build_strategy(5)
    changes = changes_of(large, 2023, 2026)
    assert len(changes.targets) == 5
    assert len(changes.other_actions) == 10

    with django_assert_num_queries(little):
        client.get(page_url(large, 2023, 2026))


def test_every_seeded_strategy_has_a_page(client, seed):
    for strategy in Strategy.objects.all():
        assert client.get(page_url(strategy)).status_code == 200, strategy


def test_a_new_value_of_hegs_activity_changes_its_verdict(client, seed):
    target = GoalTarget.objects.get(
        indicator__slug="arselever", goal__strategy__slug="strategi-2028"
    )
    IndicatorValueFactory(indicator=target.indicator, period=2024, value=Decimal(1460))
    strategy = target.goal.strategy

    response = client.get(page_url(strategy))

    assert "Udviklingen fra 2023 til 2024" in response.text
    assert "1.460\xa0årselever i 2024" in response.text
    assert "Vurderingen skiftede fra" in response.text
