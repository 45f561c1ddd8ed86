"""Following by e-mail: the form, the double opt-in, the unsubscribe link, the limits, and that
no answer tells whether an address follows anything."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import StrategyStatus
from indicators.models import Subscription
from strategyportal.follow.tokens import unsubscribe_token
from tests.factories import GoalFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def follow_url(followed, kind: str) -> str:
    strategy, goal = followed.strategy, followed.goal
    owner = strategy.owner.slug
    return {
        "organization": reverse("portal:follow_organization", args=[owner]),
        "strategy": reverse("portal:follow_strategy", args=[owner, strategy.slug]),
        "goal": reverse("portal:follow_goal", args=[owner, strategy.slug, goal.slug]),
    }[kind]


def link_in(message, path: str) -> str:
    """The address of the link in `message` whose path begins with `path`, without the host."""
    match = re.search(r"http://127\.0\.0\.1:8000(\S*" + re.escape(path) + r"\S*)", message.body)
    assert match, message.body
    return match.group(1)


def subscribe(client, url, email="Borger@Example.dk", **extra):
    return client.post(url, {"email": email}, **extra)


def confirmed(client, followed, kind="goal", email="borger@example.dk") -> Subscription:
    mail.outbox.clear()
    subscribe(client, follow_url(followed, kind), email)
    client.post(link_in(mail.outbox[-1], "/foelg/bekraeft/"))
    return Subscription.objects.get(email=email, **{kind: getattr(followed, kind)})


@pytest.mark.parametrize("kind", ["organization", "strategy", "goal"])
def test_the_follow_page_has_the_form_the_feed_and_the_privacy_note(client, followed, kind):
    text = client.get(follow_url(followed, kind)).text

    assert 'type="email"' in text
    assert 'autocomplete="email"' in text
    assert "Vi gemmer kun din e-mailadresse, hvad du følger" in text
    assert 'type="application/atom+xml"' in text
    assert "feed.atom" in text


def test_a_draft_strategy_cannot_be_followed_even_by_its_editors(client, followed):
    draft = StrategyFactory(owner=followed.organization, status=StrategyStatus.DRAFT)
    client.force_login(followed.editor)

    url = reverse("portal:follow_strategy", args=[draft.owner.slug, draft.slug])

    assert client.get(url).status_code == 404
    assert subscribe(client, url).status_code == 404
    assert mail.outbox == []


def test_a_draft_goal_of_a_published_strategy_cannot_be_followed(client, followed):
    draft = GoalFactory(strategy=followed.strategy, status=StrategyStatus.DRAFT)
    owner = followed.organization.slug

    url = reverse("portal:follow_goal", args=[owner, followed.strategy.slug, draft.slug])
    feed = reverse("portal:goal_feed", args=[owner, followed.strategy.slug, draft.slug])

    assert client.get(url).status_code == 404
    assert client.get(feed).status_code == 404


@pytest.mark.parametrize("kind", ["organization", "strategy", "goal"])
def test_the_follow_page_runs_as_many_queries_however_many_follow(client, followed, kind):
    url = follow_url(followed, kind)
    confirmed(client, followed, kind, email="en@example.dk")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        confirmed(client, followed, kind, email=f"flere{number}@example.dk")
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_a_goal_of_several_lines_is_named_on_one_line_in_the_subject(client, followed):
    followed.goal.text = "Flere årselever\r\ni Himmerland"
    followed.goal.save()

    subscribe(client, follow_url(followed, "goal"))

    [message] = mail.outbox
    assert "Flere årselever i Himmerland" in message.subject
    assert not message.body.startswith("i Himmerland")


def test_asking_stores_an_unconfirmed_subscription_and_mails_a_link_without_the_address(
    client, followed
):
    response = subscribe(client, follow_url(followed, "goal"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:follow_sent")
    [message] = mail.outbox
    assert message.to == ["borger@example.dk"]
    assert followed.goal.text in message.subject
    link = link_in(message, "/foelg/bekraeft/")
    token = link.removeprefix("/foelg/bekraeft/").strip("/")
    assert "borger" not in link
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.goal, subscription.confirmed_at) == (
        "borger@example.dk",
        followed.goal,
        None,
    )
    # Only the token's hash is stored.
    assert subscription.token_hash
    assert token not in subscription.token_hash


def test_opening_the_link_asks_to_confirm_and_confirming_stores_the_address_and_what_it_follows(
    client, followed
):
    subscribe(client, follow_url(followed, "goal"))
    link = link_in(mail.outbox[0], "/foelg/bekraeft/")

    page = client.get(link)

    assert page.status_code == 200
    assert "<form" in page.text
    assert Subscription.objects.get().confirmed_at is None

    done = client.post(link)

    assert "Du følger nu med" in done.text
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.goal, subscription.language) == (
        "borger@example.dk",
        followed.goal,
        "da",
    )
    assert subscription.organization is None
    assert subscription.strategy is None
    assert subscription.last_sent_at is None
    assert subscription.confirmed_at is not None


def test_a_confirmation_link_used_twice_keeps_one_subscription(client, followed):
    subscribe(client, follow_url(followed, "strategy"))
    link = link_in(mail.outbox[0], "/foelg/bekraeft/")

    client.post(link)
    client.post(link)

    assert Subscription.objects.get().strategy == followed.strategy


def test_an_altered_or_expired_confirmation_link_is_refused(client, followed, settings):
    subscribe(client, follow_url(followed, "organization"))
    link = link_in(mail.outbox[0], "/foelg/bekraeft/")

    token = link.removeprefix("/foelg/bekraeft/").strip("/")
    altered = ("B" if token[0] == "A" else "A") + token[1:]
    assert client.post(f"/foelg/bekraeft/{altered}/").status_code == 400
    settings.FOLLOW_CONFIRM_DAYS = 0
    assert client.post(link).status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_an_address_never_confirmed_is_deleted_after_the_links_days(client, followed, settings):
    subscribe(client, follow_url(followed, "goal"), "glemt@example.dk")
    confirmed(client, followed)
    Subscription.objects.update(requested_at=timezone.now() - timedelta(days=8))
    settings.FOLLOW_CONFIRM_DAYS = 7

    call_command("send_follow_digests", verbosity=0)

    assert list(Subscription.objects.values_list("email", flat=True)) == ["borger@example.dk"]


def test_the_answer_never_tells_whether_an_address_already_follows(client, followed):
    first = subscribe(client, follow_url(followed, "goal"), "ny@example.dk")
    confirmed(client, followed, "goal")

    again = subscribe(client, follow_url(followed, "goal"))

    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert client.get(first["Location"]).text == client.get(again["Location"]).text
    assert Subscription.objects.filter(email="borger@example.dk").count() == 1


def test_an_address_is_sent_only_so_many_confirmations_an_hour(client, followed, settings):
    settings.FOLLOW_LIMIT_PER_EMAIL = 2
    url = follow_url(followed, "goal")

    answers = [subscribe(client, url, "offer@example.dk") for _ in range(4)]

    assert {answer["Location"] for answer in answers} == {reverse("portal:follow_sent")}
    assert len(mail.outbox) == 2


def test_one_client_is_sent_only_so_many_confirmations_an_hour(client, followed, settings):
    settings.FOLLOW_LIMIT_PER_IP = 3
    url = follow_url(followed, "goal")

    for number in range(5):
        subscribe(client, url, f"offer{number}@example.dk")

    assert len(mail.outbox) == 3


def test_the_unsubscribe_link_asks_then_deletes_the_subscription_and_twice_is_once(
    client, followed
):
    confirmed(client, followed)
    link = link_in(mail.outbox[0], "/foelg/bekraeft/")
    unsubscribe = re.search(r'href="([^"]*/foelg/afmeld/[^"]*)"', client.post(link).text)[1]

    page = client.get(unsubscribe)

    assert page.status_code == 200
    assert "<form" in page.text
    assert Subscription.objects.exists()
    ended = client.post(unsubscribe).text
    assert "Du er afmeldt" in ended
    assert "Dette abonnement er slettet" in ended
    assert not Subscription.objects.exists()
    assert "Du er afmeldt" in client.post(unsubscribe).text
    assert "Du er afmeldt" in client.get(unsubscribe).text


def test_a_mail_client_unsubscribes_with_one_post_without_a_form(followed, client):
    subscription = confirmed(client, followed)
    url = reverse("portal:follow_unsubscribe", args=[unsubscribe_token(subscription)])
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_unsubscribing_ends_only_that_subscription_of_the_address(client, followed):
    goal = confirmed(client, followed, "goal")
    confirmed(client, followed, "strategy")

    client.post(reverse("portal:follow_unsubscribe", args=[unsubscribe_token(goal)]))

    assert Subscription.objects.get().strategy == followed.strategy


def test_an_unsubscribe_link_names_no_address(client, followed):
    token = unsubscribe_token(confirmed(client, followed))

    payload = token.split(":")[0]
    assert b"borger" not in signing.b64_decode(payload.encode())


def test_an_altered_unsubscribe_link_is_refused(client, followed):
    subscription = confirmed(client, followed)
    other = confirmed(client, followed, "strategy", email="anden@example.dk")
    token = unsubscribe_token(subscription)
    payload, signature = token.split(":", 1)
    pk, check = json.loads(signing.b64_decode(payload.encode()))
    assert pk == subscription.pk
    altered = signing.b64_encode(json.dumps([other.pk, check]).encode()).decode()

    url = reverse("portal:follow_unsubscribe", args=[f"{altered}:{signature}"])

    assert client.post(url).status_code == 400
    assert Subscription.objects.count() == 2


def test_the_link_of_an_ended_subscription_ends_no_later_one_with_its_key(client, followed):
    subscription = confirmed(client, followed)
    url = reverse("portal:follow_unsubscribe", args=[unsubscribe_token(subscription)])
    Subscription.objects.filter(pk=subscription.pk).update(email="naeste@example.dk")

    assert "Afmeld" not in client.get(url).text.split("<h1>")[1].split("</h1>")[0]
    client.post(url)

    assert Subscription.objects.get().email == "naeste@example.dk"


def test_the_limits_count_in_the_cache_without_the_clients_ip_address(client, followed):
    subscribe(client, follow_url(followed, "goal"))

    assert cache.get("follow:ip:127.0.0.1") is None


def test_following_in_swedish_writes_and_links_in_swedish(client, followed):
    subscribe(client, "/sv" + follow_url(followed, "goal"))

    link = link_in(mail.outbox[0], "/foelg/bekraeft/")
    assert link.startswith("/sv/foelg/bekraeft/")
    client.post(link)
    assert Subscription.objects.get().language == "sv"


def test_subscribing_and_unsubscribing_leave_the_cached_pages_alone(
    client, followed, django_capture_on_commit_callbacks
):
    # A subscription is on no public page; retiring every cached page for one would let
    # anyone empty the cache.
    with django_capture_on_commit_callbacks() as callbacks:
        subscription = confirmed(client, followed)
        client.post(reverse("portal:follow_unsubscribe", args=[unsubscribe_token(subscription)]))

    assert callbacks == []
