"""Every model is in the admin, and its list and change pages work without N+1 queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import FocusArea, Goal, Strategy
from indicators.models import GoalTarget, Indicator, Metric
from municipalities.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

FACTORY_FOR_MODEL = {
    "user": factories.UserFactory,
    "organization": factories.OrganizationFactory,
    "networkmembership": factories.NetworkMembershipFactory,
    "membership": factories.MembershipFactory,
    "strategy": factories.StrategyFactory,
    "focusarea": factories.FocusAreaFactory,
    "goal": factories.GoalFactory,
    "action": factories.ActionFactory,
    "theme": factories.ThemeFactory,
    "workingmodel": factories.WorkingModelFactory,
    "mentorship": factories.MentorshipFactory,
    "indicator": factories.IndicatorFactory,
    "goaltarget": factories.GoalTargetFactory,
    "indicatorvalue": factories.IndicatorValueFactory,
    "metric": factories.MetricFactory,
    "reportinground": factories.ReportingRoundFactory,
    "valueupload": factories.ValueUploadFactory,
    "remindersent": factories.ReminderSentFactory,
    "statusreport": factories.StatusReportFactory,
    "subscription": factories.SubscriptionFactory,
}
# Records of what happened: nobody adds them by hand.
READ_ONLY = {"valueupload", "remindersent", "statusreport", "subscription"}
PROJECT_APPS = {"municipalities", "goals", "indicators"}
PROJECT_MODELS = [model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_every_project_model_is_registered_in_the_admin():
    from django.apps import apps

    models = {
        model._meta.model_name
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.model_name.startswith("historical")  # shown in each admin's history
    }
    registered = {model._meta.model_name for model in PROJECT_MODELS}

    inline = {"strategyterm", "milestone", "referencefigure", "statisticslink"}
    # Computed from the rest, never edited: stored assessments, search's word list and the
    # feeds' event log.
    derived = {"targetassessment", "searchword", "update"}
    assert models - registered <= inline | derived


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.model_name)
def test_the_admin_pages_of_each_model_open(admin_client, model):
    obj = FACTORY_FOR_MODEL[model._meta.model_name]()

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        expected = 403 if url.endswith("/add/") and model._meta.model_name in READ_ONLY else 200
        assert admin_client.get(url).status_code == expected, url


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.model_name)
def test_an_admin_list_runs_as_many_queries_for_five_rows_as_for_one(admin_client, model):
    factory = FACTORY_FOR_MODEL[model._meta.model_name]
    url = admin_url(model, "changelist")
    factory()
    with_one = count_queries(admin_client, url)
    factory.create_batch(4)

    assert count_queries(admin_client, url) == with_one


def test_the_admin_shows_hegs_strategy_with_its_focus_areas_and_texts(admin_client, seed):
    strategy = Strategy.objects.get_by_natural_key("heg", "strategi-2028")

    page = admin_client.get(admin_url(Strategy, "change", strategy.pk)).text

    # Each focus area and goal is a link to its own page, not a page-long inline form.
    for area in strategy.focus_areas.all():
        assert f'{admin_url(FocusArea, "change", area.pk)}">{area}</a>' in page
    for goal in strategy.goals.all():
        assert admin_url(Goal, "change", goal.pk) in page
    assert "Rekruttering" in page
    assert "Gennem lærings- og dannelsesprocesser" in page
    assert "det anerkendende samarbejde" in page
    assert "Danmarks fremtid" in page


def test_the_admin_lists_hegs_targets_with_their_directions(admin_client, seed):
    heg = Organization.objects.get(slug="heg")

    page = admin_client.get(
        admin_url(GoalTarget, "changelist"), {"goal__strategy__owner__id__exact": heg.pk}
    ).text

    assert "Årselever" in page
    assert "Mindst (højere er bedre)" in page
    assert "Areal pr. elev" in page
    assert "Højst (lavere er bedre)" in page


def test_an_editor_uses_shared_metrics_and_their_own_but_changes_only_their_own(client):
    from municipalities.models import Membership

    editor = factories.MembershipFactory(role=Membership.Role.EDITOR, user__is_staff=True)
    own = factories.IndicatorFactory(organization=editor.organization).metric
    shared = factories.MetricFactory()
    foreign = factories.IndicatorFactory().metric
    client.force_login(editor.user)

    assert client.get(admin_url(Metric, "change", own.pk)).status_code == 200
    shared_page = client.get(admin_url(Metric, "change", shared.pk))
    assert shared_page.status_code == 200
    assert 'name="_save"' not in shared_page.text  # shown, not changeable
    choices = client.get(admin_url(Indicator, "add")).context["adminform"].form.fields["metric"]
    assert set(choices.queryset) == {own, shared}
    assert foreign not in choices.queryset


@pytest.mark.parametrize("model", [Strategy, FocusArea, Goal], ids=lambda m: m._meta.model_name)
def test_a_change_form_runs_as_many_queries_for_a_large_strategy_as_for_a_small_one(
    admin_client, model
):
    def page_of(areas):
        strategy = factories.StrategyFactory()
        for _ in range(areas):
            area = factories.FocusAreaFactory(strategy=strategy)
            for _ in range(areas):
                goal = factories.GoalFactory(focus_area=area)
                factories.ActionFactory(focus_area=None, goal=goal, strategy=strategy)
                factories.GoalTargetFactory(goal=goal)
        obj = {Strategy: strategy, FocusArea: area, Goal: goal}[model]
        return admin_url(model, "change", obj.pk)

    small, large = page_of(1), page_of(4)
    count_queries(admin_client, small)  # content types are read once and cached

    assert count_queries(admin_client, large) == count_queries(admin_client, small)


def test_an_indicators_page_runs_as_many_queries_for_a_long_series_as_for_a_short_one(
    admin_client,
):
    def page_of(values):
        target = factories.GoalTargetFactory()
        for year in range(2000, 2000 + values):
            school = factories.SchoolFactory(parent=target.indicator.organization)
            factories.IndicatorValueFactory(
                indicator=target.indicator, organization=school, period=year
            )
        factories.GoalTargetFactory(indicator=target.indicator, goal__text="Et andet mål")
        return admin_url(Indicator, "change", target.indicator.pk)

    short, long = page_of(1), page_of(30)
    count_queries(admin_client, short)  # content types are read once and cached

    assert count_queries(admin_client, long) == count_queries(admin_client, short)


@pytest.mark.parametrize("inline", ["milestone", "referencefigure"])
def test_a_page_with_many_milestones_or_figures_runs_as_many_queries_as_with_one(
    admin_client, inline
):
    def page_of(rows):
        if inline == "milestone":
            target = factories.GoalTargetFactory()
            for year in range(rows):
                factories.MilestoneFactory(target=target, period=2024 + year % 4, value=1500 + year)
            return admin_url(GoalTarget, "change", target.pk)
        metric = factories.MetricFactory()
        for year in range(rows):
            factories.ReferenceFigureFactory(metric=metric, period=2010 + year)
        return admin_url(Metric, "change", metric.pk)

    one, many = page_of(1), page_of(4)
    count_queries(admin_client, one)  # content types are read once and cached

    assert count_queries(admin_client, many) == count_queries(admin_client, one)


def test_the_subscription_list_runs_as_many_queries_for_five_strategies_as_for_one(
    admin_client,
):
    url = reverse("admin:indicators_subscription_changelist")
    factories.SubscriptionFactory(goal=None, strategy=factories.StrategyFactory())
    with_one = count_queries(admin_client, url)
    for _ in range(4):
        factories.SubscriptionFactory(goal=None, strategy=factories.StrategyFactory())

    assert count_queries(admin_client, url) == with_one
