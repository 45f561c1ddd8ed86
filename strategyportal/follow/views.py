"""Following by e-mail: the page with the form and the feed (one per organization, strategy
and goal), the confirmation link and the unsubscribe link. None of them says whether an
address follows anything: the form always answers "Tjek din e-mail", and a link tells only
its holder about its own subscription."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from indicators.models import Subscription
from strategyportal.breadcrumbs import trail
from strategyportal.follow import followed as doors
from strategyportal.follow import subscriptions, tokens
from strategyportal.forms import PortalForm


class SubscribeForm(PortalForm):
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def follow_organization(request, slug):
    organization = doors.organization_or_404(slug)
    feed = reverse("portal:organization_feed", args=[slug])
    return _follow(request, organization, feed, trail(organization, gettext("Følg")))


@never_cache
@require_http_methods(["GET", "POST"])
def follow_strategy(request, owner, strategy):
    strategy = doors.strategy_or_404(owner, strategy)
    feed = reverse("portal:strategy_feed", args=[owner, strategy.slug])
    return _follow(request, strategy, feed, trail(strategy.owner, strategy, gettext("Følg")))


@never_cache
@require_http_methods(["GET", "POST"])
def follow_goal(request, owner, strategy, goal):
    goal = doors.goal_or_404(owner, strategy, goal)
    feed = reverse("portal:goal_feed", args=[owner, goal.strategy.slug, goal.slug])
    crumbs = trail(goal.strategy.owner, goal.strategy, goal, gettext("Følg"))
    return _follow(request, goal, feed, crumbs)


def _follow(request, followed: doors.Followed, feed: str, breadcrumbs):
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        subscriptions.subscription_request(
            request=request,
            email=form.cleaned_data["email"],
            followed=followed,
            language=get_language(),
        )
        return redirect("portal:follow_sent")
    context = {
        "followed": followed,
        "name": doors.name_of(followed),
        "lang": doors.language_of(followed),
        "feed": feed,
        "form": form,
        "breadcrumbs": breadcrumbs,
        "days": settings.FOLLOW_CONFIRM_DAYS,
    }
    return render(request, "follow/follow.html", context)


@never_cache
def sent(request):
    return render(request, "follow/sent.html", {"days": settings.FOLLOW_CONFIRM_DAYS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET asks to confirm with a button, so that a mail scanner opening the link confirms
    nothing; POST confirms the subscription."""
    subscription = subscriptions.unconfirmed(token)
    if subscription is None:
        return _invalid(request)
    followed = subscription.followed
    if doors.by_key(doors.kind_of(followed), followed.pk) is None:
        return _invalid(request)
    context = {
        "followed": followed,
        "name": doors.name_of(followed),
        "lang": doors.language_of(followed),
    }
    if request.method == "GET":
        return render(request, "follow/confirm.html", context)
    subscriptions.subscription_confirm(subscription=subscription)
    context["unsubscribe"] = tokens.unsubscribe_token(subscription)
    return render(request, "follow/confirmed.html", context)


# RFC 8058: a mail client unsubscribes with a POST of its own, without the page's CSRF token;
# the signed link is the authority.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks with a button (a link opened by a scanner ends nothing); POST ends it, and
    ending what has already ended says the same. Only this subscription ends: the address's
    others stay."""
    try:
        pk, check = tokens.read_unsubscribe_token(token)
    except tokens.BadToken:
        return _invalid(request)
    subscription = (
        Subscription.objects.select_related(
            "organization", "strategy__owner", "goal__strategy__owner"
        )
        .filter(pk=pk)
        .first()
    )
    if subscription is None or not tokens.is_for(subscription, check):
        return render(request, "follow/unsubscribed.html")
    if request.method == "POST":
        subscriptions.subscription_end(subscription=subscription)
        return render(request, "follow/unsubscribed.html")
    followed = subscription.followed
    return render(
        request,
        "follow/unsubscribe.html",
        {"name": doors.name_of(followed), "lang": doors.language_of(followed)},
    )


def _invalid(request):
    return render(request, "follow/invalid.html", status=400)
