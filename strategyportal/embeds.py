"""Progress cards that an organization shows on its own website: one goal target's status,
latest value, target and sparkline in 300 × 200 CSS pixels, with a link back to the target
page, in an iframe that only the websites the organization lists may frame
(`Organization.embed_origins`). The target page offers the iframe code, and `/oembed` hands it
to a website that asks by the target page's address.

Only published targets have a card, whoever asks (`GoalTarget.objects.public()`): a card is
shown on other websites, where an editor's login must not turn a draft into their content.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from indicators.charts import build_sparkline
from indicators.models import GoalTarget
from indicators.tables import target_rows
from municipalities.models import EMBED_ORIGIN_RE, Organization

ORIGIN = re.compile(EMBED_ORIGIN_RE)
CARD_WIDTH = 300
CARD_HEIGHT = 200


def published_targets(owner: str, strategy: str, goal: str, indicator: str) -> QuerySet:
    """The published target at a target page's address (none or one)."""
    return GoalTarget.objects.public().filter(
        goal__strategy__owner__slug=owner,
        goal__strategy__slug=strategy,
        goal__slug=goal,
        indicator__organization__slug=owner,
        indicator__slug=indicator,
    )


def frame_policy(organization: Organization) -> str:
    """The portal's Content-Security-Policy, but framed by the portal itself and by the
    websites the organization lists instead of by nobody."""
    # The admin validates the list; a row written past it (a script, a raw update) must not
    # add a directive of its own ("https://a.dk; script-src *") to the policy.
    origins = [origin for origin in organization.embed_origin_list if ORIGIN.match(origin)]
    return build_policy({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF, *origins]})


@require_safe
@xframe_options_exempt
def card(request, owner, strategy, goal, indicator):
    target = get_object_or_404(published_targets(owner, strategy, goal, indicator).with_progress())
    # The points the target page's chart draws: a count of too few pupils is left out.
    drawn = [row.point for row in target_rows(target) if row.point and not row.hidden]
    response = render(
        request,
        "embed/card.html",
        {
            "target": target,
            "indicator": target.indicator,
            "strategy": target.goal.strategy,
            "organization": target.goal.strategy.owner,
            "assessment": target.assessment,
            "sparkline": build_sparkline(drawn, target.assessment.target),
        },
    )
    # The policy is a header of the view's answer, not a `csp_override`: that decorator leaves
    # an attribute on the response object, which the page cache (inside
    # ContentSecurityPolicyMiddleware) does not store, so a card served from the cache would
    # get the default frame-ancestors 'none'. The middleware keeps a policy the answer has.
    response.headers[str(CSP.HEADER_ENFORCE)] = frame_policy(target.goal.strategy.owner)
    return response


def iframe_code(request, target: GoalTarget) -> str:
    """The HTML that shows `target`'s card on another website, in the active language."""
    strategy = target.goal.strategy
    address = reverse(
        "portal:target_card_embed",
        args=[strategy.owner.slug, strategy.slug, target.goal.slug, target.indicator.slug],
    )
    return render_to_string(
        "embed/iframe.html",
        {
            "src": request.build_absolute_uri(address),
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
            "target": target,
            "organization": strategy.owner,
        },
    ).strip()


@require_safe
def oembed(request):
    """oEmbed (https://oembed.com) for a target page's address in any of the portal's
    languages: a "rich" answer with the card's iframe in that language. Outside the language
    prefixes, since the language is the asked address's; JSON only (501 for anything else,
    as the specification says), and 404 for an address that has no published target, or
    when the card cannot fit the maxwidth and maxheight asked for."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    address = urlsplit(request.GET.get("url", ""))
    if address.netloc and address.netloc != request.get_host():
        raise Http404
    language = translation.get_language_from_path(address.path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(address.path)
        except Resolver404:
            raise Http404 from None
        if match.view_name != "portal:indicator":
            raise Http404
        for limit, size in (("maxwidth", CARD_WIDTH), ("maxheight", CARD_HEIGHT)):
            asked = request.GET.get(limit, "")
            # ASCII digits only: isdigit() also admits "²", which int() cannot read.
            if asked and (not (asked.isascii() and asked.isdecimal()) or int(asked) < size):
                raise Http404
        target = get_object_or_404(
            published_targets(**match.kwargs).select_related("goal__strategy__owner", "indicator")
        )
        organization = target.goal.strategy.owner
        return JsonResponse(
            {
                "version": "1.0",
                "type": "rich",
                "title": target.name,
                "author_name": organization.name,
                "author_url": request.build_absolute_uri(organization.get_absolute_url()),
                "provider_name": _("Strategiportalen"),
                "provider_url": request.build_absolute_uri(reverse("portal:front")),
                "html": iframe_code(request, target),
                "width": CARD_WIDTH,
                "height": CARD_HEIGHT,
            }
        )


class NotModifiedKeepsPolicyMiddleware:
    """A 304 answer carries no Content-Security-Policy, so that a browser keeps the policy it
    stored with the page the 304 confirms. A browser replaces a stored header with the one a
    304 carries, and Django's 304s (ConditionalGetMiddleware's and the page cache's) keep only
    RFC 9110's headers: ContentSecurityPolicyMiddleware, outside both, would give a card's 304
    the default frame-ancestors 'none', and the card, revalidated, would be refused its frame
    on the organization's website. Stands just inside ContentSecurityPolicyMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 304:
            # An empty configuration: ContentSecurityPolicyMiddleware adds no header.
            response._csp_config = response._csp_ro_config = {}
        return response
