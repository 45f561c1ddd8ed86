from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import Goal, Strategy, WorkingModel
from indicators.models import GoalTarget
from municipalities.models import Organization

# The attribute that names an object in a breadcrumb, where it is not str(object).
NAMES = {
    Strategy: "title",
    Goal: "text",
    WorkingModel: "name",
    Organization: "name",
    GoalTarget: "name",
}


@dataclass(frozen=True)
class Crumb:
    text: str
    url: str | None = None
    lang: str | None = None  # the content language, when the text is content


def trail(*parts) -> list[Crumb]:
    """The front page, then each part; the last part is the current page and gets no link.

    A part is a `Crumb`, a plain text (a page without an object, as the last part) or an object
    with a public page (an organization, strategy, focus area, goal, goal target, indicator,
    theme, working model or metric); None parts are skipped."""
    crumbs = [Crumb(_("Forside"), reverse("portal:front"))]
    crumbs += [_crumb(part) for part in parts if part is not None]
    last = crumbs[-1]
    crumbs[-1] = Crumb(last.text, None, last.lang)
    return crumbs


def learning() -> Crumb:
    """ "Lær af andre", the page above the themes, working models and comparisons."""
    return Crumb(_("Lær af andre"), reverse("portal:themes"))


def _crumb(part) -> Crumb:
    if isinstance(part, Crumb):
        return part
    if isinstance(part, str):
        return Crumb(part)
    attribute = next((name for model, name in NAMES.items() if isinstance(part, model)), None)
    text = getattr(part, attribute) if attribute else str(part)
    return Crumb(truncatechars(text, 60), part.get_absolute_url(), _language_of(part))


def _language_of(part) -> str | None:
    """Content carries its language itself, or through its strategy (a goal target through
    its goal's strategy, an indicator through its metric)."""
    if hasattr(part, "language"):
        return part.language
    if hasattr(part, "strategy"):
        return part.strategy.language
    if hasattr(part, "goal"):
        return part.goal.strategy.language
    if hasattr(part, "metric"):
        return part.metric.language
    return None
