import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from strategyportal.settings import DEVELOPMENT_SECRET_KEY, check_production_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
REAL_KEY = "k" * 30 + "x9Q2-7vLmPzR4tYw8NcB6dHs1Ja0"


def start_django(**environment):
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "strategyportal.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_portal_speaks_danish_in_copenhagen_time():
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    assert [code for code, _name in settings.LANGUAGES] == ["da", "sv", "en"]


def test_production_refuses_to_start_on_the_development_key():
    result = start_django(DEBUG="False", SECRET_KEY="", ALLOWED_HOSTS="strategi.example.dk")

    assert result.returncode != 0
    assert "DEBUG=False requires a real SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start_django(DEBUG="False", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "DEBUG=False requires ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = start_django(DEBUG="False", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="strategi.example.dk")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "secret_key", ["", DEVELOPMENT_SECRET_KEY, "django-insecure-" + "x" * 60, "too-short"]
)
def test_production_settings_reject_keys_that_are_not_secret(secret_key):
    with pytest.raises(ImproperlyConfigured):
        check_production_settings(
            debug=False, secret_key=secret_key, allowed_hosts=["strategi.example.dk"]
        )


def test_development_accepts_the_defaults():
    check_production_settings(debug=True, secret_key=DEVELOPMENT_SECRET_KEY, allowed_hosts=[])


def read_settings(**environment):
    """DATABASES and CACHES as a fresh process reads them from `environment`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"CONN_MAX_AGE", "CACHE_URL", "CACHE_KEY_PREFIX"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from strategyportal import settings; "
            "print(json.dumps({'DATABASES': settings.DATABASES, 'CACHES': settings.CACHES}))",
        ],
        cwd=PROJECT_DIR,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


PRODUCTION = {"DEBUG": "False", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "strategi.example.dk"}


def test_production_keeps_database_connections_for_a_minute_and_checks_them():
    database = read_settings(**PRODUCTION)["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_development_closes_the_database_connection_after_each_request():
    database = read_settings(DEBUG="True")["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"CONN_MAX_AGE": "300"}, 300),
        ({"DATABASE_URL": "postgres://portal@db.example.dk/portal?conn_max_age=120"}, 120),
        (
            {
                "DATABASE_URL": "postgres://portal@db.example.dk/portal?conn_max_age=120",
                "CONN_MAX_AGE": "0",
            },
            0,
        ),
    ],
)
def test_connection_age_is_read_from_the_environment(environment, expected):
    database = read_settings(**PRODUCTION, **environment)["DATABASES"]["default"]

    assert database["CONN_MAX_AGE"] == expected


def test_the_cache_is_local_memory_by_default():
    cache = read_settings()["CACHES"]["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache["KEY_PREFIX"] == "strategiportalen"


def test_a_redis_cache_url_uses_djangos_own_redis_backend_with_timeouts():
    cache = read_settings(CACHE_URL="redis://127.0.0.1:6379/1")["CACHES"]["default"]

    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "strategiportalen",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


def test_the_cache_url_and_key_prefix_can_override_the_defaults():
    cache = read_settings(
        CACHE_URL="redis://redis.example.dk:6379/2?socket_timeout=5",
        CACHE_KEY_PREFIX="staging",
    )["CACHES"]["default"]

    assert cache["LOCATION"] == "redis://redis.example.dk:6379/2"
    assert cache["KEY_PREFIX"] == "staging"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 5}
