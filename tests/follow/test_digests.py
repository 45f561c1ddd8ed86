"""The weekly digest: only to confirmed subscriptions, at most once a week each, only what
happened since the last one, nothing when nothing happened, and every one with its one-click
unsubscribe link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from goals.models import StrategyStatus
from indicators import notifications
from indicators.models import Subscription, Update
from strategyportal.follow import mails
from strategyportal.follow.digests import SETTLE, send_digests
from tests.factories import GoalTargetFactory
from tests.follow.conftest import approved, changed_target
from tests.follow.test_subscriptions import follow_url, subscribe

pytestmark = pytest.mark.django_db


def subscription_to(followed, *, kind="goal", language="da", email="borger@example.dk"):
    return Subscription.objects.create(
        email=email,
        **{kind: getattr(followed, kind)},
        language=language,
        confirmed_at=timezone.now() - timedelta(hours=1),
    )


def settled():
    """A moment at which what has happened so far is old enough to be told (`SETTLE`)."""
    return timezone.now() + SETTLE


def test_an_address_that_never_confirmed_gets_no_digest(client, followed):
    subscribe(client, follow_url(followed, "goal"))
    mail.outbox.clear()
    approved(followed.target, followed.editor, period=2024, value=1500)

    assert send_digests(now=settled()) == 0
    assert mail.outbox == []


def test_a_confirmed_subscription_is_sent_what_happened_with_a_one_click_unsubscribe(followed):
    subscription = subscription_to(followed)
    approved(followed.target, followed.editor, period=2024, value=1500)
    changed_target(followed.target, value=1900, reason="Bestyrelsen hævede målet")

    assert send_digests(now=settled()) == 1

    [message] = mail.outbox
    assert message.to == ["borger@example.dk"]
    assert followed.goal.text in message.subject
    assert f"Nyt tal for {followed.target.name}: 1.500\xa0årselever (2024)" in message.body
    assert "målet blev ændret fra mindst 1.800\xa0årselever i 2028" in message.body
    assert "Begrundelse: Bestyrelsen hævede målet" in message.body
    assert "http://127.0.0.1:8000" + followed.target.get_absolute_url() in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/foelg/afmeld/")
    assert unsubscribe.strip("<>") in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As sent: the address as it is, not folded into encoded words.
    assert f"\nList-Unsubscribe: {unsubscribe}\n" in message.message().as_string()
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_nothing_is_sent_when_nothing_happened(followed):
    subscription = subscription_to(followed)

    assert send_digests(now=settled()) == 0
    assert mail.outbox == []
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None


def test_a_digest_is_sent_at_most_once_a_week_with_only_what_is_new(followed):
    subscription_to(followed)
    approved(followed.target, followed.editor, period=2024, value=1500)
    first = settled()
    send_digests(now=first)
    approved(followed.target, followed.editor, period=2025, value=1600)

    assert send_digests(now=first + timedelta(days=6)) == 0
    assert send_digests(now=first + timedelta(days=7)) == 1

    first_digest, second_digest = mail.outbox
    assert "(2024)" in first_digest.body
    assert "(2025)" in second_digest.body
    assert "(2024)" not in second_digest.body


def test_a_digest_holds_only_what_the_public_may_read(followed):
    subscription_to(followed, kind="organization")
    draft = GoalTargetFactory(goal=followed.goal, status=StrategyStatus.DRAFT)
    approved(draft, followed.editor, period=2024, value=1500)
    assert draft.updates.exists()

    assert send_digests(now=settled()) == 0

    approved(followed.target, followed.editor, period=2024, value=1500)
    send_digests(now=settled())
    [message] = mail.outbox
    assert followed.target.name in message.body
    assert draft.name not in message.body


def test_a_digest_is_written_in_the_subscribers_language(followed):
    subscription_to(followed, kind="strategy", language="en")
    approved(followed.target, followed.editor, period=2024, value=1500)

    send_digests(now=settled())

    [message] = mail.outbox
    assert "1,500" in message.body
    assert "http://127.0.0.1:8000/en/foelg/afmeld/" in message.extra_headers["List-Unsubscribe"]


def test_the_command_sends_the_digests_due(followed):
    subscription_to(followed, kind="strategy")
    approved(followed.target, followed.editor, period=2024, value=1500)

    Update.objects.update(occurred_at=timezone.now() - SETTLE)
    call_command("send_follow_digests", verbosity=0)
    call_command("send_follow_digests", verbosity=0)

    assert len(mail.outbox) == 1


def test_a_digest_is_due_on_the_seventh_days_run_even_when_it_starts_a_little_earlier(followed):
    subscription_to(followed)
    approved(followed.target, followed.editor, period=2024, value=1500)
    first = settled()
    send_digests(now=first)
    approved(followed.target, followed.editor, period=2025, value=1600)

    assert send_digests(now=first + timedelta(days=7, seconds=-30)) == 1


def test_two_runs_at_once_send_a_digest_once(followed, monkeypatch):
    subscription_to(followed)
    approved(followed.target, followed.editor, period=2024, value=1500)
    now = settled()
    send = notifications.send

    def while_another_run_starts(messages):
        monkeypatch.setattr(notifications, "send", send)
        send_digests(now=now)
        return send(messages)

    monkeypatch.setattr(notifications, "send", while_another_run_starts)
    send_digests(now=now)

    assert len(mail.outbox) == 1


def test_a_run_that_breaks_off_midway_does_not_resend_what_it_sent(followed, monkeypatch):
    subscription_to(followed, email="first@example.dk")
    subscription_to(followed, email="second@example.dk")
    approved(followed.target, followed.editor, period=2024, value=1500)
    send = notifications.send

    def breaking_off_at_the_second(messages):
        if messages[0].to == ["second@example.dk"]:
            raise KeyboardInterrupt
        return send(messages)

    monkeypatch.setattr(notifications, "send", breaking_off_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        send_digests(now=settled())
    monkeypatch.setattr(notifications, "send", send)
    send_digests(now=settled())

    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.dk",
        "second@example.dk",
    ]


def test_a_digest_that_cannot_be_made_holds_back_no_other_and_is_tried_again(
    followed, monkeypatch, caplog
):
    failing = subscription_to(followed, email="first@example.dk")
    subscription_to(followed, email="second@example.dk")
    approved(followed.target, followed.editor, period=2024, value=1500)
    digest = mails.digest

    def failing_for_the_first(subscription, updates):
        if subscription.pk == failing.pk:
            raise ValueError("an event it cannot word")
        return digest(subscription, updates)

    monkeypatch.setattr(mails, "digest", failing_for_the_first)
    assert send_digests(now=settled()) == 1
    assert [message.to for message in mail.outbox] == [["second@example.dk"]]
    assert "The digest of subscription" in caplog.text
    failing.refresh_from_db()
    assert failing.last_sent_at is None

    monkeypatch.setattr(mails, "digest", digest)
    assert send_digests(now=settled()) == 1
    assert mail.outbox[-1].to == ["first@example.dk"]


def test_an_event_committed_just_before_a_run_is_told_by_the_next_one(followed):
    subscription_to(followed)
    approved(followed.target, followed.editor, period=2024, value=1500)
    first = settled()
    send_digests(now=first)
    # Dated a moment before the first run, committed after it had read.
    approved(followed.target, followed.editor, period=2025, value=1600)
    Update.objects.filter(payload__period=2025).update(occurred_at=first - timedelta(seconds=1))

    send_digests(now=first + timedelta(days=7))

    assert "(2025)" in mail.outbox[-1].body
