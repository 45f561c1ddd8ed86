"""What can be followed: an organization (every organization's page is public), a published
strategy or a published goal of one. One door per kind, by address (the pages) and by key (a
confirmation link)."""

from django.shortcuts import get_object_or_404

from goals.models import Goal, Strategy
from municipalities.models import Organization

Followed = Organization | Strategy | Goal


def organization_or_404(slug: str) -> Organization:
    return get_object_or_404(Organization, slug=slug)


def strategy_or_404(owner: str, strategy: str) -> Strategy:
    return get_object_or_404(
        Strategy.objects.public().select_related("owner"), owner__slug=owner, slug=strategy
    )


def goal_or_404(owner: str, strategy: str, goal: str) -> Goal:
    return get_object_or_404(
        Goal.objects.public().select_related("strategy__owner"),
        strategy__owner__slug=owner,
        strategy__slug=strategy,
        slug=goal,
    )


QUERYSETS = {
    "organization": lambda: Organization.objects.all(),
    "strategy": lambda: Strategy.objects.public().select_related("owner"),
    "goal": lambda: Goal.objects.public().select_related("strategy__owner"),
}


def by_key(kind: str, pk) -> Followed | None:
    """The followed thing of a confirmation link, if it is still public."""
    return QUERYSETS[kind]().filter(pk=pk).first()


def kind_of(followed: Followed) -> str:
    """The `Subscription` field that follows `followed`."""
    return {Organization: "organization", Strategy: "strategy", Goal: "goal"}[type(followed)]


def name_of(followed: Followed) -> str:
    """How a page, a feed or an e-mail names what is followed, on one line: an e-mail's
    subject ends at the first line break (a goal's text may have several lines)."""
    if isinstance(followed, Organization):
        name = followed.name
    elif isinstance(followed, Strategy):
        name = f"{followed.title} ({followed.owner.name})"
    else:
        name = str(followed)
    return " ".join(name.split())


def owner_of(followed: Followed) -> Organization:
    if isinstance(followed, Organization):
        return followed
    if isinstance(followed, Strategy):
        return followed.owner
    return followed.strategy.owner


def language_of(followed: Followed) -> str:
    """The language its own texts are written in, for their `lang` attribute."""
    if isinstance(followed, Goal):
        return followed.strategy.language
    return followed.language
