"""The target page's side of the progress cards (strategyportal/embeds.py): the iframe code to
copy, and the oEmbed discovery link in the page's head. Tags, so that the target view needs
no change and a draft target, which has no card, offers neither."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from indicators.models import GoalTarget
from strategyportal.embeds import iframe_code

register = template.Library()


@register.inclusion_tag("embed/snippet.html", takes_context=True)
def embed_snippet(context, target: GoalTarget) -> dict:
    if not target.is_public:
        return {}
    return {
        "code": iframe_code(context["request"], target),
        "organization": target.goal.strategy.owner,
    }


@register.inclusion_tag("embed/oembed_link.html", takes_context=True)
def oembed_link(context, target: GoalTarget) -> dict:
    if not target.is_public:
        return {}
    request = context["request"]
    query = urlencode(
        {"url": request.build_absolute_uri(target.get_absolute_url()), "format": "json"}
    )
    return {"href": request.build_absolute_uri(f"{reverse('oembed')}?{query}"), "target": target}
