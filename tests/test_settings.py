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
