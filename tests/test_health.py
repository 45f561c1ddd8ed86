import os
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections

from tests.factories import UserFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent
# What a database or cache error may carry, and what must never reach a load balancer's log.
SECRET_IN_ERROR = "password=hemmeligt host=db.internal"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_healthz_runs_no_query_and_sets_no_cookie_even_for_a_logged_in_user(
    client, django_assert_num_queries
):
    # A session cookie makes any touch of the session or the user a query.
    client.force_login(UserFactory())

    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_database_and_cache_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_does_not_answer(client):
    unreachable = OperationalError(f"connection refused: {SECRET_IN_ERROR}")
    with mock.patch.object(connections["default"], "cursor", side_effect=unreachable):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}
    assert SECRET_IN_ERROR.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("operation", ["set", "get"])
def test_readyz_names_the_cache_when_it_does_not_answer(client, operation):
    # Redis' errors are redis-py's own, no Django exception.
    unreachable = ConnectionError(f"Error 111 connecting: {SECRET_IN_ERROR}")
    with mock.patch.object(caches["default"], operation, side_effect=unreachable):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}
    assert SECRET_IN_ERROR.encode() not in response.content


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_loses_what_was_stored(client):
    with mock.patch.object(caches["default"], "get", return_value=None):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


@pytest.mark.django_db
def test_readyz_names_a_redis_that_is_not_running(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_gunicorn_serves_the_portal_with_debug_off(tmp_path):
    pytest.importorskip("gunicorn")
    port = free_port()
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "test-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "GUNICORN_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        # No control socket: it would take over that of a gunicorn already running here.
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket"],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_listening(port, server, log_path)
        # The worker loads the portal's code with its first request, which on a busy machine
        # (CI's two test workers on two cores) has taken more than 5 s.
        assert get(port, "/healthz", timeout=60) == (200, b"ok")
        assert get(port, "/readyz")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "GET /healthz" in log_path.read_text()  # the access log reaches stdout


def get(port: int, path: str, *, timeout: float = 5) -> tuple[int, bytes]:
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_listening(port: int, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{log_path.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    pytest.fail(f"gunicorn did not listen within 15 seconds:\n{log_path.read_text()}")
