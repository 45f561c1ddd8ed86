import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from strategyportal.accounts import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def ask_for_reset(client, email, **headers):
    return client.post(reverse("password_reset"), {"email": email}, follow=True, **headers)


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    request = request_from("203.0.113.7", forwarded="198.51.100.1")

    assert client_ip(request) == "203.0.113.7"
    assert get_client_ip_address(request) == "203.0.113.7"


def test_behind_one_proxy_the_right_most_forwarded_address_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = request_from("10.0.0.2", forwarded="198.51.100.1, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"
    assert get_client_ip_address(request) == "203.0.113.7"


def test_behind_two_proxies_the_second_from_the_right_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    request = request_from("10.0.0.2", forwarded="198.51.100.1, 203.0.113.7, 10.0.0.1")

    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "300.1.1.1"])
def test_a_missing_or_broken_forwarded_address_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_failed_logins_behind_the_proxy_are_counted_per_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="lis")

    client.post(
        reverse("login"),
        {"username": "lis", "password": "forkert"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_a_spoofed_forwarded_address_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="lis")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "lis", "password": "forkert"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    response = client.post(
        reverse("login"),
        {"username": "lis", "password": "correct horse battery staple"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )

    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_password_resets_for_one_address_stop_after_the_limit(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    UserFactory(username="lis", email="lis@skole.dk")
    answers = [ask_for_reset(client, "lis@skole.dk") for _ in range(3)]
    assert len(mail.outbox) == 3

    over = ask_for_reset(client, "LIS@skole.dk")

    assert len(mail.outbox) == 3
    assert over.redirect_chain == answers[0].redirect_chain
    assert over.text == answers[0].text


def test_password_resets_from_one_client_stop_after_the_limit(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for name in ("a", "b", "c"):
        UserFactory(username=name, email=f"{name}@skole.dk")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    ask_for_reset(client, "a@skole.dk", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    ask_for_reset(client, "b@skole.dk", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    ask_for_reset(client, "c@skole.dk", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert [message.to for message in mail.outbox] == [["a@skole.dk"], ["b@skole.dk"]]

    # Another client behind the same proxy is not held up by the first.
    ask_for_reset(client, "c@skole.dk", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert mail.outbox[-1].to == ["c@skole.dk"]


def test_the_answer_over_the_limit_does_not_tell_whether_the_address_exists(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 1
    UserFactory(username="lis", email="lis@skole.dk")
    unknown = ask_for_reset(client, "ingen@skole.dk")
    ask_for_reset(client, "lis@skole.dk")

    over = ask_for_reset(client, "lis@skole.dk")

    assert over.text == unknown.text
    assert len(mail.outbox) == 1
