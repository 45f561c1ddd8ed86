"""Two production servers share PostgreSQL and Redis: a value approved through one is on the
other's cached public page at the next request.

Each server is gunicorn with one worker, DEBUG=False, on a port of its own, serving the test
database (committed data: a transactional test) with the page cache in Redis under a key
prefix of this test's own. PostgreSQL only: SQLite is one file that two servers could not
share as machines do. Redis is TEST_REDIS_URL (by default database 14 on 127.0.0.1); where it
does not answer the test is skipped, unless REQUIRE_REDIS=1 (as CI should set), where it
fails."""

import http.client
import os
import secrets
from contextlib import ExitStack

import pytest
import redis
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from indicators.models import IndicatorValue
from tests.gunicorn import HOST, running_gunicorn

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
HASHED_STATIC_FILES = {
    **django_settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two servers share a database as machines do only on PostgreSQL",
    ),
]


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis (xdist runs several tests at once), whose keys
    are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis does not answer at {REDIS_URL} ({error}); set TEST_REDIS_URL"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test-two-servers-{secrets.token_hex(6)}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def server_environment(settings, redis_prefix, tmp_path):
    """What both servers run with; the static files collected once for both, as DEBUG=False
    renders their hashed names. Collected hashed but not compressed: no request here asks
    for a static file, and compressing DKFDS's, the API documentation's and the admin's
    80 MB was most of a PostgreSQL run's time (one to five minutes); the servers read the
    same manifest either way."""
    database = connection.settings_dict
    # The servers check the sessions this process makes, which are signed with the key.
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        # Asked over plain HTTP, without the TLS proxy that production has in front.
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": redis_prefix,
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    with override_settings(STATIC_ROOT=environment["STATIC_ROOT"], STORAGES=HASHED_STATIC_FILES):
        call_command("collectstatic", "--no-input", verbosity=0)
    return environment


@pytest.fixture
def start_server(server_environment, tmp_path):
    """Starts gunicorn on a free port and returns the port once /healthz answers; every server
    started is stopped after the test, whatever happened."""
    with ExitStack() as servers:

        def start(name: str) -> int:
            log_path = tmp_path / f"{name}.log"
            _process, port = servers.enter_context(running_gunicorn(server_environment, log_path))
            return port

        yield start


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.text = response.read().decode()


def _request(port: int, method: str, path: str, body: str = "", headers=None) -> Answer:
    server = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        server.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        return Answer(server.getresponse())
    finally:
        server.close()


@pytest.fixture
def submitted_value(target_awaiting_review):
    """The school's value waiting for review, with its editor and the target's page."""
    value = target_awaiting_review.waiting
    value.editor = target_awaiting_review.editor
    value.page = target_awaiting_review.get_absolute_url()
    return value


def test_a_value_approved_through_one_server_is_shown_by_the_other_at_once(
    start_server, submitted_value, redis_prefix
):
    server_a, server_b = start_server("a"), start_server("b")
    page = submitted_value.page
    before = _request(server_b, "GET", page)
    assert before.status == 200
    assert "1.384" in before.text
    assert "4.711" not in before.text
    cached = redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}:*:page:*")
    assert cached, "server B stored the page"
    assert _request(server_b, "GET", page).text == before.text

    # Logged in as the editor, as the review page's form posts.
    session = Client()
    session.force_login(submitted_value.editor)
    csrf = secrets.token_hex(16)
    approval = _request(
        server_a,
        "POST",
        reverse("reporting:approve", args=[submitted_value.pk]),
        body=f"csrfmiddlewaretoken={csrf}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session.cookies['sessionid'].value}; csrftoken={csrf}",
        },
    )
    assert approval.status == 302
    submitted_value.refresh_from_db()
    assert submitted_value.status == IndicatorValue.Status.APPROVED

    after = _request(server_b, "GET", page)
    assert after.status == 200
    assert "4.711" in after.text
