"""Secure by default in production (issue #13 item 1): `check --deploy` is clean with the
README's production settings, every answer carries the Content-Security-Policy, HTTPS is
enforced behind the proxy, and log lines tell which request and user they come from."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import path

from strategyportal import urls as portal_urls
from strategyportal.observability import JsonFormatter, RequestContextFilter
from tests.factories import StrategyFactory, UserFactory

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The production settings as the README documents them.
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k" * 30 + "x9Q2-7vLmPzR4tYw8NcB6dHs1Ja0",
    "ALLOWED_HOSTS": "strategi.example.dk",
    "CSRF_TRUSTED_ORIGINS": "https://strategi.example.dk",
    "EMAIL_URL": "smtp+tls://strategiportalen:secret@mail.example.dk:587",
    "ADMINS": "drift@example.dk",
}
# Every variable the settings read, so that the developer's own environment does not count.
UNSET = {
    "DEBUG",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    # Set for the browser tests in this process; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_in_production(*arguments: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name not in UNSET}
    return subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, *arguments],
        cwd=PROJECT_DIR,
        env={**environment, **PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_finds_no_issue_with_the_documented_production_settings():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# Asks for /healthz, which needs no database, as the proxy and as a client on plain HTTP would.
ASK_AS_THE_PROXY = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="strategi.example.dk")
through_tls = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
plain = client.get("/", headers={"X-Forwarded-Proto": "http"})
print(json.dumps({
    "https": dict(through_tls.headers), "https_status": through_tls.status_code,
    "http": dict(plain.headers), "http_status": plain.status_code,
}))
"""


def test_behind_the_proxy_https_answers_carry_hsts_and_plain_http_is_redirected():
    result = run_in_production("-c", ASK_AS_THE_PROXY)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)

    assert answers["https_status"] == 200
    assert answers["https"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Content-Security-Policy" in answers["https"]
    assert answers["http_status"] == 301
    assert answers["http"]["Location"] == "https://strategi.example.dk/"


def test_production_cookies_are_sent_over_https_only():
    result = run_in_production(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)",
    )

    assert result.stdout.split() == ["True", "True"], result.stderr


POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/strategier/", "/admin/login/", "/konto/log-ind/"])
def test_pages_and_the_admin_carry_the_content_security_policy(client, url):
    StrategyFactory()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_a_page_from_the_page_cache_carries_the_policy_and_the_current_request_id(
    client, settings, django_assert_num_queries
):
    settings.CACHE_PAGE_SECONDS = 600
    cache.clear()
    StrategyFactory()
    first = client.get("/", headers={"X-Request-ID": "first-request-1"})

    # No query: the page comes from the cache.
    with django_assert_num_queries(0):
        second = client.get("/", headers={"X-Request-ID": "second-request-2"})

    assert second.content == first.content
    assert second["X-Request-ID"] == "second-request-2"
    assert second["Content-Security-Policy"] == POLICY
    cache.clear()


@pytest.mark.django_db
def test_an_answer_carries_a_new_request_id_when_the_proxy_sends_none_or_a_strange_one(client):
    plain = client.get("/healthz")
    strange = client.get("/healthz", headers={"X-Request-ID": "<script>\n"})

    assert len(plain["X-Request-ID"]) == 32
    assert len(strange["X-Request-ID"]) == 32
    assert plain["X-Request-ID"] != strange["X-Request-ID"]


@pytest.fixture
def log_lines():
    """What the stderr handler of settings.LOGGING writes, as parsed JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_logging_writes_json_to_stderr_through_the_request_filter(settings):
    handler = settings.LOGGING["handlers"]["stderr"]

    assert handler["stream"] == "ext://sys.stderr"
    assert handler["filters"] == ["request_context"]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == (
        "strategyportal.observability.JsonFormatter"
    )


@pytest.mark.django_db
def test_a_log_line_carries_the_request_id_and_the_users_id(client, log_lines):
    user = UserFactory()
    client.force_login(user)

    response = client.get("/findes-ikke/", headers={"X-Request-ID": "proxy-given-id-7"})

    assert response.status_code == 404
    [line] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["request_id"] == "proxy-given-id-7"
    assert line["user_id"] == user.pk
    assert line["path"] == "/findes-ikke/"
    assert line["status"] == 404


def explode(request):
    raise RuntimeError("the database is on fire")


# The portal's own addresses beside it: the error page links to them.
urlpatterns = [path("eksplosion/", explode), *portal_urls.urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_security")
def test_a_server_error_logs_its_traceback_and_mails_the_admins(settings, log_lines):
    settings.ADMINS = ["drift@example.dk"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client = Client(raise_request_exception=False)

    response = client.get("/eksplosion/")

    assert response.status_code == 500
    [line] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] is None
    assert "RuntimeError: the database is on fire" in line["traceback"]
    [message] = mail.outbox
    assert message.to == ["drift@example.dk"]
    assert "/eksplosion/" in message.subject
