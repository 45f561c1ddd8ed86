from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import FocusArea, Goal, Strategy
from indicators.models import Indicator
from municipalities.models import Organization


@dataclass(frozen=True)
class Crumb:
    text: str
    url: str | None = None
    lang: str | None = None  # the content language, when the text is content


def trail(*parts) -> list[Crumb]:
    """The front page, then each part; the last part is the current page and gets no link.

    A part is an organization, strategy, focus area, goal or indicator, or a plain text."""
    crumbs = [Crumb(_("Forside"), reverse("portal:front"))]
    crumbs += [_crumb(part) for part in parts if part is not None]
    last = crumbs[-1]
    crumbs[-1] = Crumb(last.text, None, last.lang)
    return crumbs


def _crumb(part) -> Crumb:
    if isinstance(part, Organization):
        return Crumb(part.name, part.get_absolute_url(), part.language)
    if isinstance(part, Strategy):
        return Crumb(part.title, part.get_absolute_url(), part.language)
    if isinstance(part, FocusArea):
        return Crumb(str(part), part.get_absolute_url(), part.strategy.language)
    if isinstance(part, Goal):
        return Crumb(truncatechars(part.text, 60), part.get_absolute_url(), part.strategy.language)
    if isinstance(part, Indicator):
        return Crumb(part.name, part.get_absolute_url(), part.goal.strategy.language)
    return Crumb(str(part))
