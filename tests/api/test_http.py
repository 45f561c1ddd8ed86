"""How the API answers as HTTP: ETags and 304, the throttle, CORS, filters and paging."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal
from indicators.models import GoalTarget
from tests.api.conftest import every_row
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


def test_an_unchanged_list_answers_304_without_a_query(client, seed):
    first = client.get("/api/v1/targets/")
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/targets/", HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert len(queries) == 0


def test_a_write_gives_a_new_etag(client, django_capture_on_commit_callbacks, seed):
    etag = client.get("/api/v1/goals/")["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        goal = Goal.objects.public().first()
        goal.text = "Et nyt mål"
        goal.save()
    answer = client.get("/api/v1/goals/", HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 200
    assert answer["ETag"] != etag
    assert "Et nyt mål" in answer.text


def test_the_etag_differs_by_address_and_format(client, db):
    etags = {
        client.get("/api/v1/goals/")["ETag"],
        client.get("/api/v1/goals/?country=DK")["ETag"],
        client.get("/api/v1/goals/", HTTP_ACCEPT="text/html")["ETag"],
    }

    assert len(etags) == 3


def test_a_detail_answers_304_too(client, seed):
    target = GoalTarget.objects.public().first()
    url = f"/api/v1/targets/{target.pk}/"

    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_client_over_the_rate_gets_429_and_another_client_does_not(client, settings, db):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }

    answers = [client.get("/api/v1/themes/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert client.get("/api/v1/themes/").has_header("Retry-After")
    assert client.get("/api/v1/themes/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_api_may_be_read_from_any_website_without_cookies(client, db):
    answer = client.get("/api/v1/strategies/", HTTP_ORIGIN="https://www.example.org")

    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    assert not answer.cookies


def test_the_api_is_not_under_the_language_prefixes(client, db):
    assert client.get("/en/api/v1/strategies/").status_code == 404
    answer = client.get("/api/v1/strategies/", HTTP_ACCEPT_LANGUAGE="sv")
    assert answer.status_code == 200


def test_page_addresses_are_absolute_and_danish_whatever_the_language_asked(client, seed):
    rows = client.get("/api/v1/strategies/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    assert rows
    assert all(row["url"].startswith("http://testserver/strategier/") for row in rows)


def test_filters_narrow_the_lists(client, seed):
    def slugs(url, field="organization"):
        return {row[field] for row in every_row(client, url)}

    assert slugs("/api/v1/strategies/?organization=heg") == {"heg"}
    assert slugs("/api/v1/organizations/?country=SE", "country") == {"SE"}
    assert slugs("/api/v1/targets/?organization=hilleroed-kommune") <= {"hilleroed-kommune"}
    assert client.get("/api/v1/goals/?theme=no-such-theme").json()["results"] == []
    themed = every_row(client, "/api/v1/goals/?theme=breddad-rekrytering")
    assert themed
    assert len(themed) < len(every_row(client, "/api/v1/goals/"))
    values = every_row(client, "/api/v1/values/?period=2023")
    assert values
    assert {row["period"] for row in values} == {2023}
    statuses = {row["assessment"]["status"] for row in every_row(client, "/api/v1/targets/")}
    for status in statuses:
        rows = every_row(client, f"/api/v1/targets/?status={status}")
        assert {row["assessment"]["status"] for row in rows} == {status}
    valued = every_row(client, "/api/v1/values/")[0]
    metric = client.get(f"/api/v1/indicators/{valued['indicator']}/").json()["metric"]
    assert every_row(client, f"/api/v1/values/?metric={metric}") == [valued]
    assert every_row(client, "/api/v1/values/?metric=no-such-metric") == []
    indicators = every_row(client, f"/api/v1/indicators/?metric={metric}")
    assert indicators
    assert {row["metric"] for row in indicators} == {metric}


def test_an_unknown_filter_value_is_a_400_not_an_error(client, db):
    assert client.get("/api/v1/strategies/?country=XX").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "values/?indicator=9223372036854775808",
        "targets/?goal=-9223372036854775809",
        "values/?period_from=2023.5",
        "actions/?strategy=1e400",
        "reference-figures/?period=9223372036854775808",
    ],
)
def test_a_number_filter_past_what_the_database_holds_is_a_400(client, db, query):
    response = client.get(f"/api/v1/{query}")

    assert response.status_code == 400
    assert response.json()


def test_the_cursor_walks_every_row_once_while_rows_are_added(client, db):
    StrategyFactory.create_batch(7)
    url = "/api/v1/strategies/?page_size=3"

    first = client.get(url).json()
    StrategyFactory()  # added between two pages: comes last, once
    rows = first["results"] + every_row(client, first["next"])

    ids = [row["id"] for row in rows]
    assert len(ids) == 8
    assert len(set(ids)) == 8
    assert first["previous"] is None


def test_with_the_page_cache_an_answer_is_served_from_it_until_a_write(
    client, settings, django_capture_on_commit_callbacks, seed
):
    settings.CACHE_PAGE_SECONDS = 60
    first = client.get("/api/v1/goals/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/goals/")
    with django_capture_on_commit_callbacks(execute=True):
        goal = Goal.objects.public().first()
        goal.text = "Et nyt mål"
        goal.save()
    after = client.get("/api/v1/goals/")

    assert len(queries) == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "Et nyt mål" in after.text


def test_a_compressed_answer_is_revalidated_with_its_weak_etag(client, seed):
    first = client.get("/api/v1/goals/", HTTP_ACCEPT_ENCODING="gzip")

    again = client.get(
        "/api/v1/goals/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304


def test_the_browsable_page_is_not_kept_in_the_cache(client, settings, seed):
    settings.CACHE_PAGE_SECONDS = 60
    client.get("/api/v1/goals/", HTTP_ACCEPT="text/html")

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/goals/", HTTP_ACCEPT="text/html")

    assert page["Content-Type"].startswith("text/html")
    assert len(queries) > 0
