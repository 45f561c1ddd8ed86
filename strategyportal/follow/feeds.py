"""Atom feeds of what happens to an organization's, a strategy's or a goal's targets: new
approved values, changed verdicts and changed targets, the newest FEED_ENTRIES, each linking
to its target's page, in the language of the address (/sv/…, /en/…). One query for the
entries, whatever their number; only what `Update.objects.public()` lets through."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from indicators.models import Update
from strategyportal.follow import followed as doors
from strategyportal.follow.entries import Entry, entry_of

FEED_ENTRIES = 50


@dataclass(frozen=True)
class Source:
    """What a feed is of, and the host its entries' ids are made with."""

    followed: doors.Followed
    host: str


@dataclass(frozen=True)
class Item:
    entry: Entry
    guid: str


def entries_for(
    followed: doors.Followed, *, limit: int | None = None, since=None, until=None
) -> list[Update]:
    """The public events of `followed`, newest first, as read for an entry: the latest
    `limit`, or those after `since` up to `until`."""
    updates = Update.objects.public().for_feed().filter(**{doors.kind_of(followed): followed})
    if since is not None:
        updates = updates.filter(occurred_at__gt=since)
    if until is not None:
        updates = updates.filter(occurred_at__lte=until)
    return list(updates[:limit] if limit else updates)


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def source(self, request, followed) -> Source:
        # An id that stays when the host's port or the language changes: a tag URI (RFC 4151).
        return Source(followed=followed, host=request.get_host().partition(":")[0])

    def title(self, source):
        return _("%(name)s – Strategiportalen") % {"name": doors.name_of(source.followed)}

    def subtitle(self, source):
        return _("Nye godkendte tal, ændrede vurderinger og ændrede mål")

    def link(self, source):
        return source.followed.get_absolute_url()

    def author_name(self, source):
        return doors.owner_of(source.followed).name

    def items(self, source):
        return [
            Item(entry=entry_of(update), guid=f"tag:{source.host},2026:update-{update.pk}")
            for update in entries_for(source.followed, limit=FEED_ENTRIES)
        ]

    def item_title(self, item):
        # Atom's title is plain text; the feed generator escapes it for XML.
        return item.entry.title

    def item_description(self, item):
        # The summary is declared HTML.
        return escape(item.entry.text)

    def item_link(self, item):
        return item.entry.link

    def item_guid(self, item):
        return item.guid

    def item_pubdate(self, item):
        return item.entry.when

    def item_updateddate(self, item):
        return item.entry.when


class OrganizationFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return self.source(request, doors.organization_or_404(slug))


class StrategyFeed(UpdatesFeed):
    def get_object(self, request, owner, strategy):
        return self.source(request, doors.strategy_or_404(owner, strategy))


class GoalFeed(UpdatesFeed):
    def get_object(self, request, owner, strategy, goal):
        return self.source(request, doors.goal_or_404(owner, strategy, goal))
