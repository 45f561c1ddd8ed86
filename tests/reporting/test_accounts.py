import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_user_logs_in_and_lands_on_the_reporting_page(client):
    UserFactory(username="lis")

    response = log_in(client, "lis", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:home")


def test_a_wrong_password_gets_a_message_on_the_form(client):
    UserFactory(username="lis")

    response = log_in(client, "lis", "forkert")

    assert response.status_code == 200
    assert "alert-error" in response.text


def test_repeated_failures_lock_the_login(client):
    UserFactory(username="lis")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "lis", "forkert")

    response = log_in(client, "lis", PASSWORD)

    assert response.status_code == 429
    assert "For mange forsøg på at logge ind" in response.text


def test_logging_out_takes_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("reporting:home")).status_code == 302


def test_pages_for_users_send_the_anonymous_to_the_login(client):
    response = client.get(reverse("reporting:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_password_reset_is_sent_by_e_mail(client):
    UserFactory(username="lis", email="lis@skole.dk")

    response = client.post(reverse("password_reset"), {"email": "lis@skole.dk"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lis@skole.dk"]
    assert "/konto/ny-adgangskode/" in mail.outbox[0].body


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_the_link_in_the_e_mail_sets_a_new_password(client):
    user = UserFactory(username="lis", email="lis@skole.dk")
    done = client.post(reverse("password_reset"), {"email": "lis@skole.dk"}, follow=True)
    assert "Tjek din e-mail" in done.text
    link = next(line for line in mail.outbox[0].body.splitlines() if "/ny-adgangskode/" in line)

    form = client.get(link, follow=True)
    assert "Vælg en ny adgangskode" in form.text
    complete = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "en helt ny lang adgangskode",
            "new_password2": "en helt ny lang adgangskode",
        },
        follow=True,
    )

    assert "Adgangskoden er gemt" in complete.text
    user.refresh_from_db()
    assert user.check_password("en helt ny lang adgangskode")
