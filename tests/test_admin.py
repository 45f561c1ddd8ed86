"""Every model is in the admin, and its list and change pages work without N+1 queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

FACTORY_FOR_MODEL = {
    "user": factories.UserFactory,
    "organization": factories.OrganizationFactory,
    "networkmembership": factories.NetworkMembershipFactory,
    "strategy": factories.StrategyFactory,
    "focusarea": factories.FocusAreaFactory,
    "goal": factories.GoalFactory,
    "action": factories.ActionFactory,
    "theme": factories.ThemeFactory,
    "workingmodel": factories.WorkingModelFactory,
    "mentorship": factories.MentorshipFactory,
    "indicator": factories.IndicatorFactory,
    "indicatorvalue": factories.IndicatorValueFactory,
}
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
    }
    registered = {model._meta.model_name for model in PROJECT_MODELS}

    assert models - registered <= {"strategyterm", "milestone"}  # edited inline


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.model_name)
def test_the_admin_pages_of_each_model_open(admin_client, model):
    obj = FACTORY_FOR_MODEL[model._meta.model_name]()

    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.model_name)
def test_an_admin_list_runs_as_many_queries_for_five_rows_as_for_one(admin_client, model):
    factory = FACTORY_FOR_MODEL[model._meta.model_name]
    url = admin_url(model, "changelist")
    factory()
    with_one = count_queries(admin_client, url)
    factory.create_batch(4)

    assert count_queries(admin_client, url) == with_one
