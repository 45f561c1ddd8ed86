"""The page a reader gets when the server fails: 503 with Retry-After when the database
cannot be reached (`make faults` shows it with PostgreSQL really restarting), 500 otherwise,
and never a traceback."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from strategyportal import urls as portal_urls


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def explode(request):
    raise RuntimeError("a bug")


# The portal's own addresses and error handler beside them: the error pages link to them.
urlpatterns = [
    path("nede/", database_down),
    path("lukket/", connection_closed),
    path("eksplosion/", explode),
    *portal_urls.urlpatterns,
]
handler500 = portal_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls("tests.test_errors")
@pytest.mark.parametrize("address", ["/nede/", "/lukket/"])
def test_a_database_that_cannot_be_reached_gives_503_with_retry_after(address, caplog):
    client = Client(raise_request_exception=False)

    response = client.get(address)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Portalen er midlertidigt utilgængelig" in text
    assert "Error" not in text
    # The menu and its icons, which read no database, are there.
    assert '<use href="#' not in text
    assert "all-svg-icons.svg#" in text
    assert "127.0.0.1" not in text
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None


@pytest.mark.django_db
@pytest.mark.urls("tests.test_errors")
def test_any_other_server_error_is_still_a_500(caplog):
    client = Client(raise_request_exception=False)

    response = client.get("/eksplosion/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Der skete en fejl" in response.content.decode()
