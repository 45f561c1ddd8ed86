import datetime
import re

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from municipalities.invitations import invitation_send, invitation_tokens
from municipalities.models import Membership, User
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "en helt ny lang adgangskode"


def invited_user(**fields):
    user = UserFactory(username="hanne", email="hanne@herning.dk", **fields)
    user.set_unusable_password()
    user.save()
    return user


def link_in(message):
    return re.search(r"https?://\S+", message.body).group()


def choose_password(client, link):
    form = client.get(link, follow=True)
    return client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def test_grant_role_invites_a_new_user_by_e_mail(settings):
    settings.PORTAL_URL = "https://strategi.example.dk"
    organization = OrganizationFactory(slug="herning-kommune")

    call_command("grant_role", "hanne", "herning-kommune", "editor", email="hanne@herning.dk")

    user = User.objects.get(username="hanne")
    assert not user.has_usable_password()
    assert user.memberships.get().organization == organization
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanne@herning.dk"]
    assert mail.outbox[0].subject == "Du er inviteret til Strategiportalen"
    assert link_in(mail.outbox[0]).startswith("https://strategi.example.dk/konto/invitation/")


def test_grant_role_invites_nobody_when_told_not_to():
    OrganizationFactory(slug="herning-kommune")

    call_command(
        "grant_role", "hanne", "herning-kommune", "editor", email="hanne@herning.dk", no_invite=True
    )

    assert mail.outbox == []


def test_the_invitation_link_sets_the_first_password_and_logs_in(client):
    user = invited_user()
    invitation_send(user=user)

    page = client.get(link_in(mail.outbox[0]), follow=True)
    assert "Vælg din adgangskode" in page.text
    assert "hanne" in page.text
    done = choose_password(client, link_in(mail.outbox[0]))

    assert done.redirect_chain[-1][0] == reverse("reporting:home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert get_user(client).pk == user.pk


def test_the_invitation_link_works_once(client):
    user = invited_user()
    invitation_send(user=user)
    choose_password(client, link_in(mail.outbox[0]))
    client.logout()

    again = client.get(link_in(mail.outbox[0]), follow=True)

    assert "Linket virker ikke længere" in again.text
    assert "<form" not in again.text.split("<main", 1)[-1]


def test_setting_the_password_retires_the_token_of_a_user_without_one():
    user = invited_user()
    token = invitation_tokens.make_token(user)
    assert invitation_tokens.check_token(user, token)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert not invitation_tokens.check_token(user, token)


def test_an_expired_invitation_link_fails(client, settings, monkeypatch):
    settings.INVITATION_TIMEOUT_DAYS = 7
    user = invited_user()
    invitation_send(user=user)
    link = link_in(mail.outbox[0])
    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)

    page = client.get(link, follow=True)

    assert "Linket virker ikke længere" in page.text
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_invitation_works_until_it_expires(settings, monkeypatch):
    settings.INVITATION_TIMEOUT_DAYS = 7
    user = invited_user()
    token = invitation_tokens.make_token(user)
    later = datetime.datetime.now() + datetime.timedelta(days=6, hours=23)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)

    assert invitation_tokens.check_token(user, token)


def test_a_password_reset_link_is_no_invitation(client):
    user = invited_user()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)

    page = client.get(reverse("invitation", args=[uid, reset_token]), follow=True)

    assert "Linket virker ikke længere" in page.text


def test_a_mismatched_password_is_shown_beside_the_field(client):
    user = invited_user()
    invitation_send(user=user)
    form = client.get(link_in(mail.outbox[0]), follow=True)

    page = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": "noget andet"},
    )

    assert page.status_code == 200
    assert "form-error" in page.text
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_invited_user_whose_link_expired_can_ask_for_a_new_one(client):
    invited_user()

    client.post(reverse("password_reset"), {"email": "hanne@herning.dk"})

    assert len(mail.outbox) == 1
    assert "/konto/ny-adgangskode/" in mail.outbox[0].body


def test_a_superuser_invites_from_the_user_list(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    user = invited_user()
    with_password = UserFactory(username="lis")

    response = client.post(
        reverse("admin:municipalities_user_changelist"),
        {"action": "invite", "_selected_action": [user.pk, with_password.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [["hanne@herning.dk"]]
    assert "Ikke sendt: 1" in response.text


def test_the_invitation_is_written_in_the_users_language():
    user = invited_user(language="en")

    invitation_send(user=user)

    assert "/en/konto/invitation/" in mail.outbox[0].body


# Editors invite people to their own organizations from the admin's list of memberships.


def editor_of(organization):
    membership = MembershipFactory(
        organization=organization, role=Membership.Role.EDITOR, user__is_staff=True
    )
    return membership.user


def invite(client, organization, email="hanne@herning.dk", role="reporter", **fields):
    return client.post(
        reverse("admin:municipalities_membership_add"),
        {"email": email, "organization": organization.pk, "role": role, **fields},
        follow=True,
    )


def test_an_editor_invites_a_new_person_who_then_chooses_a_password(client):
    herning = OrganizationFactory(slug="herning-kommune")
    school = OrganizationFactory(parent=herning, name="Lindbjergskolen")
    client.force_login(editor_of(herning))

    page = invite(client, school, first_name="Hanne", last_name="Holm")

    assert "En invitation til at vælge adgangskode er sendt til hanne@herning.dk" in page.text
    hanne = User.objects.get(email="hanne@herning.dk")
    assert (hanne.username, hanne.get_full_name()) == ("hanne@herning.dk", "Hanne Holm")
    assert not hanne.has_usable_password()
    assert not hanne.is_staff  # a reporter enters values outside the admin
    assert list(hanne.memberships.values_list("organization", "role")) == [(school.pk, "reporter")]
    assert [message.to for message in mail.outbox] == [["hanne@herning.dk"]]
    client.logout()
    done = choose_password(client, link_in(mail.outbox[0]))
    assert done.redirect_chain[-1][0] == reverse("reporting:home")


def test_an_invited_editor_gets_into_the_admin(client):
    herning = OrganizationFactory()
    client.force_login(editor_of(herning))

    invite(client, herning, role="editor")

    assert User.objects.get(email="hanne@herning.dk").is_staff


def test_inviting_someone_with_an_account_gives_the_role_and_sends_no_mail(client):
    herning = OrganizationFactory()
    lis = UserFactory(username="lis", email="Lis@Herning.dk")
    client.force_login(editor_of(herning))

    page = invite(client, herning, email="lis@herning.dk")

    assert page.status_code == 200
    assert lis.memberships.get().organization == herning
    assert User.objects.filter(email__iexact="lis@herning.dk").count() == 1
    assert mail.outbox == []


def test_inviting_a_person_twice_to_the_same_role_is_refused_beside_the_form(client):
    herning = OrganizationFactory(name="Herning Kommune")
    client.force_login(editor_of(herning))
    invite(client, herning)

    again = invite(client, herning, email="HANNE@herning.dk")

    assert "Personen har allerede denne rolle i Herning Kommune." in again.text
    assert Membership.objects.filter(user__email="hanne@herning.dk").count() == 1
    assert len(mail.outbox) == 1


def test_a_bad_address_is_refused_and_nothing_is_written(client):
    herning = OrganizationFactory()
    client.force_login(editor_of(herning))

    page = invite(client, herning, email="hanne at herning")

    assert page.status_code == 200
    assert "errorlist" in page.text
    assert not User.objects.filter(username__contains="hanne").exists()


def test_an_editor_cannot_invite_to_another_organization_nor_see_its_members(client):
    herning = OrganizationFactory()
    other = MembershipFactory(role=Membership.Role.REPORTER, user__email="karl@ikast.dk")
    client.force_login(editor_of(herning))

    page = invite(client, other.organization, email="mallory@example.com")
    listed = client.get(reverse("admin:municipalities_membership_changelist"))
    opened = client.get(reverse("admin:municipalities_membership_change", args=[other.pk]))

    assert "errorlist" in page.text
    assert not User.objects.filter(email="mallory@example.com").exists()
    assert "karl@ikast.dk" not in listed.text
    assert opened.status_code == 403


def test_an_expired_invitation_is_sent_again_from_the_list_and_the_new_link_works(
    client, settings, monkeypatch
):
    settings.INVITATION_TIMEOUT_DAYS = 7
    herning = OrganizationFactory()
    client.force_login(editor_of(herning))
    invite(client, herning)
    membership = Membership.objects.get(user__email="hanne@herning.dk")
    later = datetime.datetime.now() + datetime.timedelta(days=8)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)

    client.post(
        reverse("admin:municipalities_membership_changelist"),
        {"action": "invite_again", "_selected_action": [membership.pk]},
    )

    assert len(mail.outbox) == 2
    client.logout()
    assert "Linket virker ikke længere" in client.get(link_in(mail.outbox[0]), follow=True).text
    choose_password(client, link_in(mail.outbox[1]))
    assert User.objects.get(pk=membership.user_id).has_usable_password()


def test_removing_an_editors_membership_takes_them_out_of_the_admin(client):
    herning = OrganizationFactory()
    colleague = MembershipFactory(
        organization=herning, role=Membership.Role.EDITOR, user__is_staff=True
    )
    client.force_login(editor_of(herning))

    client.post(
        reverse("admin:municipalities_membership_delete", args=[colleague.pk]), {"post": "yes"}
    )

    colleague.user.refresh_from_db()
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert not colleague.user.is_staff
