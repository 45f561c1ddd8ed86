"""Public pages come from the cache for visitors who are not logged in, and every committed
write that changes what they show retires the stored ones (strategyportal/caching.py)."""

import gzip
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from goals.models import Strategy
from indicators import services
from indicators.models import IndicatorValue
from municipalities.content_version import content_version
from strategyportal.caching import PublicPageCacheMiddleware
from tests.factories import (
    GoalFactory,
    IndicatorValueFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k" * 30 + "x9Q2-7vLmPzR4tYw8NcB6dHs1Ja0",
    "ALLOWED_HOSTS": "strategi.example.dk",
}
REDIS = {"CACHE_URL": "redis://127.0.0.1:6379/1"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Pages are cached as in production (development and the rest of the suite cache none),
    in an empty cache."""
    settings.CACHE_PAGE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def target(target_awaiting_review):
    return target_awaiting_review


def queries_of(client, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return len(queries), response


def test_a_public_page_is_served_from_the_cache_without_a_query(
    client, target, django_assert_num_queries
):
    url = target.get_absolute_url()
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert "1.384" in second.text


def test_an_approval_shows_on_the_next_request(client, target, django_capture_on_commit_callbacks):
    url = target.get_absolute_url()
    assert "4.711" not in client.get(url).text
    value = IndicatorValue.objects.get(value=4711)

    with django_capture_on_commit_callbacks(execute=True):
        services.value_approve(value=value, user=target.editor)

    assert "4.711" in client.get(url).text


def test_an_edited_goal_shows_on_the_next_request(
    client, target, django_capture_on_commit_callbacks
):
    url = target.goal.strategy.get_absolute_url()
    assert "Flere årselever" in client.get(url).text
    goal = target.goal

    with django_capture_on_commit_callbacks(execute=True):
        goal.text = "Endnu flere årselever"
        goal.save()

    assert "Endnu flere årselever" in client.get(url).text


def test_a_theme_added_to_a_goal_shows_on_the_next_request(
    client, target, django_capture_on_commit_callbacks
):
    url = target.goal.get_absolute_url()
    theme = ThemeFactory(name="Trivsel for alle")
    assert "Trivsel for alle" not in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        target.goal.themes.add(theme)

    assert "Trivsel for alle" in client.get(url).text


def test_the_version_changes_only_when_the_write_commits(
    target, django_capture_on_commit_callbacks
):
    before = content_version()

    with django_capture_on_commit_callbacks() as callbacks:
        target.goal.text = "Et nyt mål"
        target.goal.save()
        assert content_version() == before
    for callback in callbacks:
        callback()

    assert content_version() != before


def test_a_transaction_of_many_writes_makes_one_new_version(
    target, django_capture_on_commit_callbacks, monkeypatch
):
    made = []
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: made.append(key))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(5):
            GoalFactory(focus_area=target.goal.focus_area, text=f"Mål {number}")

    assert len(callbacks) > 5
    assert made == ["content-version"]


def test_a_submitted_value_retires_no_page(target, django_capture_on_commit_callbacks):
    before = content_version()
    school = target.indicator.reporting_organizations.exclude(pk=target.goal.strategy.owner_id)

    with django_capture_on_commit_callbacks(execute=True):
        IndicatorValueFactory(
            indicator=target.indicator,
            organization=school.get(),
            period=2025,
            status=IndicatorValue.Status.SUBMITTED,
        )

    assert content_version() == before


def test_a_logged_in_editor_never_fills_the_cache_with_drafts(client, target):
    strategy = target.goal.strategy
    GoalFactory(focus_area=target.goal.focus_area, text="Et hemmeligt udkast", status="draft")
    client.force_login(target.editor)
    assert "Et hemmeligt udkast" in client.get(strategy.get_absolute_url()).text
    client.logout()

    assert "Et hemmeligt udkast" not in client.get(strategy.get_absolute_url()).text


def test_a_logged_in_user_is_never_served_the_stored_page(client, target):
    url = target.goal.strategy.get_absolute_url()
    anonymous = client.get(url).text
    assert "Logget ind som" not in anonymous

    client.force_login(target.editor)
    count, page = queries_of(client, url)

    assert count > 0
    assert "Logget ind som" in page.text


def test_a_visitor_with_a_message_waiting_is_not_served_the_stored_page(client, target):
    url = target.goal.strategy.get_absolute_url()
    client.get(url)
    client.cookies["messages"] = "a message for this visitor"

    count, _page = queries_of(client, url)

    assert count > 0


def test_a_missing_page_is_not_stored(client, target):
    url = reverse("portal:strategy", args=[target.goal.strategy.owner.slug, "findes-ikke"])
    assert client.get(url).status_code == 404

    count, page = queries_of(client, url)

    assert page.status_code == 404
    assert count > 0


def test_a_draft_strategy_found_by_its_editor_is_not_stored_for_the_public(client, target):
    strategy = target.goal.strategy
    strategy.status = Strategy.Status.DRAFT
    strategy.save()
    client.force_login(target.editor)
    assert client.get(strategy.get_absolute_url()).status_code == 200
    client.logout()

    assert client.get(strategy.get_absolute_url()).status_code == 404


def test_a_page_that_sets_a_cookie_is_not_stored():
    url = reverse("portal:front")
    request = RequestFactory().get(url)
    rendered = []

    def view_setting_a_cookie(request):
        request.resolver_match = resolve(url)
        rendered.append(request)
        response = HttpResponse("<p>Forsiden</p>")
        response.set_cookie("visited", "yes")
        return response

    middleware = PublicPageCacheMiddleware(view_setting_a_cookie)
    middleware(request)
    middleware(RequestFactory().get(url))

    assert len(rendered) == 2


def test_only_the_portals_pages_are_stored(client, target, monkeypatch):
    stored = []
    store = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *args, **kwargs: [stored.append(key), store(key, *args, **kwargs)]
    )
    for url in (
        reverse("login"),
        reverse("password_reset"),
        reverse("admin:login"),
        reverse("reporting:review"),
        reverse("healthz"),
        reverse("readyz"),
    ):
        client.get(url)
    assert not [key for key in stored if key.startswith("page:")]

    client.get(reverse("portal:front"))

    assert [key for key in stored if key.startswith("page:")]


def test_compressed_and_plain_pages_are_stored_apart(client, target):
    url = target.get_absolute_url()
    client.get(url, headers={"accept-encoding": "gzip"})
    client.get(url)

    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    plain = client.get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(compressed.content) == plain.content


def test_a_revisit_of_a_stored_page_gets_not_modified(client, target, django_assert_num_queries):
    url = target.get_absolute_url()
    etag = client.get(url, headers={"accept-encoding": "gzip"})["ETag"]

    with django_assert_num_queries(0):
        revisit = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": etag})

    assert revisit.status_code == 304
    assert revisit.content == b""


def test_a_page_in_another_language_is_stored_apart(client, target):
    danish = client.get(reverse("portal:strategies")).text
    english = client.get("/en" + reverse("portal:strategies")).text

    assert 'lang="da"' in danish
    assert 'lang="en"' in english


def test_an_upload_that_corrects_an_approved_value_retires_the_pages(
    target, django_capture_on_commit_callbacks
):
    """Uploads write in bulk, without the signals that retire pages."""
    approved = IndicatorValue.objects.get(indicator=target.indicator, period=2023)
    entry = services.ValueEntry(
        indicator=target.indicator, period=2023, value=Decimal(1390), revision=approved.revision
    )
    before = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        services.values_import(entries=[(target.indicator.organization, entry)], user=target.editor)

    assert content_version() != before


def test_assessing_targets_again_retires_the_pages(target, django_capture_on_commit_callbacks):
    """The command that assesses every target after a release writes in bulk."""
    before = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_assessments(type(target).objects.all())

    assert content_version() != before


def test_a_lost_version_is_replaced_by_a_new_one(target):
    before = content_version()
    cache.delete("content-version")

    assert content_version() not in (before, None)


def test_a_head_request_is_answered_from_what_a_get_stored(
    client, target, django_assert_num_queries
):
    url = target.get_absolute_url()
    client.get(url)

    with django_assert_num_queries(0):
        assert client.head(url).status_code == 200


def page_seconds(**environment) -> int:
    """CACHE_PAGE_SECONDS as a fresh process reads it from `environment`."""
    unset = {"DEBUG", "CACHE_URL", "CACHE_PAGE_SECONDS"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from strategyportal import settings; print(settings.CACHE_PAGE_SECONDS)",
        ],
        cwd=PROJECT_DIR,
        env={**{k: v for k, v in os.environ.items() if k not in unset}, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


@pytest.mark.parametrize(
    ("environment", "seconds"),
    [
        ({**PRODUCTION, **REDIS}, 600),
        # Each worker would keep versions of its own and serve the others' stale pages.
        (PRODUCTION, 0),
        # An edited template shows at once.
        ({"DEBUG": "True", **REDIS}, 0),
        ({**PRODUCTION, **REDIS, "CACHE_PAGE_SECONDS": "60"}, 60),
    ],
)
def test_pages_are_cached_in_production_with_a_shared_cache_only(environment, seconds):
    assert page_seconds(**environment) == seconds
