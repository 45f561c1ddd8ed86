"""An event of the log (`indicators.Update`) in words, in the active language: what the feeds'
entries and the digest's lines say. Numbers as the target page writes them; a count of fewer
than 5 pupils as "færre end 5 elever"."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from indicators.models import PRIVACY_THRESHOLD, Update
from indicators.progress import Status
from indicators.updates import aim_from_payload
from indicators.wording import STATUS_LABELS, format_quantity, hidden_quantity, target_phrase


@dataclass(frozen=True)
class Entry:
    title: str
    text: str
    link: str  # the target page's address, without the host
    when: datetime


def entry_of(update: Update) -> Entry:
    """`update` read with `UpdateQuerySet.for_feed()`."""
    target = update.target
    goal = target.goal
    indicator = target.indicator
    payload = update.payload
    if update.kind == Update.Kind.VALUE_APPROVED:
        value = update.value
        shown = (
            hidden_quantity(PRIVACY_THRESHOLD, indicator.unit)
            if indicator.hides(value.value)
            else format_quantity(value.value, indicator.unit, indicator.decimals)
        )
        words = {
            "indicator": indicator.name,
            "value": shown,
            "period": indicator.period_label(value.period),
            "organization": value.organization.name,
        }
        if value.organization_id == indicator.organization_id:
            title = _("Nyt tal for %(indicator)s: %(value)s (%(period)s)") % words
        else:
            title = (
                _(
                    "Nyt tal for %(indicator)s: %(value)s (%(period)s) – "
                    "indberettet af %(organization)s"
                )
                % words
            )
    elif update.kind == Update.Kind.VERDICT_CHANGED:
        title = _("%(indicator)s: nu »%(new)s« (før »%(old)s«)") % {
            "indicator": indicator.name,
            "new": STATUS_LABELS[Status(payload["new"])],
            "old": STATUS_LABELS[Status(payload["old"])],
        }
    else:
        title = _("%(indicator)s: målet blev ændret fra %(old)s til %(new)s") % {
            "indicator": indicator.name,
            "old": _aim(payload["old"], indicator),
            "new": _aim(payload["new"], indicator),
        }
    words = {
        # The sentence ends with its own full stop, whether or not the goal's text has one.
        "goal": goal.text.strip().rstrip("."),
        "strategy": goal.strategy.title.strip().rstrip("."),
        "reason": payload.get("reason", "").strip(),
    }
    if update.kind == Update.Kind.TARGET_CHANGED and words["reason"]:
        text = _("Mål: %(goal)s. Strategi: %(strategy)s. Begrundelse: %(reason)s") % words
    else:
        text = _("Mål: %(goal)s. Strategi: %(strategy)s.") % words
    return Entry(title=title, text=text, link=target.get_absolute_url(), when=update.occurred_at)


def _aim(payload: dict, indicator) -> str:
    return target_phrase(
        aim_from_payload(payload),
        unit=indicator.unit,
        decimals=indicator.decimals,
        period_kind=indicator.period_kind,
    )
