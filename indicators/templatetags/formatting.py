"""Numbers, statuses and dates in the reader's language, e.g. {{ value|quantity:indicator }}."""

from django import template
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.models import Action
from indicators import wording
from indicators.models import PRIVACY_THRESHOLD
from indicators.progress import Status

register = template.Library()


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return ""
    return wording.format_number(value, int(decimals))


@register.filter
def exact_number(value):
    """A number with the decimals it has and no more, e.g. a weight of 12,5."""
    if value is None or value == "":
        return ""
    return wording.format_number(value, wording.decimals_of(value))


@register.filter
def quantity(value, indicator):
    """The value with the indicator's unit and decimals."""
    if value is None or value == "":
        return ""
    return wording.format_quantity(value, indicator.unit, indicator.decimals)


@register.filter
def rate(value):
    if value is None:
        return ""
    return wording.format_rate(value)


@register.filter
def status_label(status):
    return wording.STATUS_LABELS[status]


STATUS_VARIANTS = {
    Status.TARGET_MET: "success",
    Status.ON_TRACK: "success",
    Status.BEHIND: "warning",
    Status.MOVING_AWAY: "error",
    Status.MISSED: "error",
    Status.NOT_ENOUGH_DATA: "",
}


@register.filter
def status_variant(status):
    """The badge variant of Det Fælles Designsystem for a status; the text always says it too."""
    return STATUS_VARIANTS[status]


@register.filter
def status_tag(status):
    """The status as a badge (includes/status_tag.html), also for a placeholder of a translated
    sentence: {% blocktranslate with before=old|status_tag %}…{% endblocktranslate %}."""
    variant = status_variant(status)
    return format_html(
        '<span class="badge{}">{}</span>',
        f" badge-{variant}" if variant else "",
        status_label(status),
    )


@register.simple_tag
def status_counts(counts):
    """Counts by status as the end of a sentence, each in its badge: "1 er på rette vej og
    1 har for få tal." Statuses counted 0 are left out."""
    parts = [
        format_html(
            '<span class="badge{}">{}</span>',
            f" badge-{STATUS_VARIANTS[status]}" if STATUS_VARIANTS[status] else "",
            wording.status_count(status, count),
        )
        for status, count in counts.items()
        if count
    ]
    if not parts:
        return ""
    # The full stop stays with the last badge: a phone wrapped it onto a line of its own.
    last = format_html('<span class="portal-nowrap">{}.</span>', parts[-1])
    if len(parts) == 1:
        return last
    head = format_html_join(", ", "{}", ((part,) for part in parts[:-1]))
    return format_html("{} {} {}", head, _("og"), last)


@register.filter
def period_label(year, indicator):
    return indicator.period_label(year)


@register.filter
def month_name(month):
    """The month's name in the reader's language: 10 → "oktober"."""
    return MONTHS[int(month)].lower() if month else ""


@register.filter
def action_state_variant(state):
    return {Action.State.UNDER_WAY: "info", Action.State.DONE: "success"}.get(state, "")


@register.filter
def target_phrase(target, indicator):
    """The target as a phrase: {{ target|target_phrase:indicator }} → mindst 1.800 årselever."""
    return wording.target_phrase(
        target, unit=indicator.unit, decimals=indicator.decimals, period_kind=indicator.period_kind
    )


@register.filter
def public_quantity(value, indicator):
    """The value with its unit, or "færre end 5 …" where it counts too few pupils to publish."""
    if indicator.hides(value):
        return hidden_text(indicator)
    return quantity(value, indicator)


@register.filter
def hidden_text(holder):
    """What is shown instead of a count of too few pupils, in the unit of `holder`."""
    return wording.hidden_quantity(PRIVACY_THRESHOLD, holder.unit)


@register.filter
def percent(value):
    """A share in whole per cent, written the reader's way: "28 %" or "28%"."""
    return wording.format_quantity(value, "%")


# Names a sentence lists before it counts the rest ("A, B, C og 10 andre").
NAMES_LISTED = 4


@register.filter
def reporters(indicator):
    """Who reports the indicator's values, as names for a sentence: "Herning Kommune",
    "HEG og Skole A", "A, B, C og 10 andre". Its reporting organizations (prefetched by
    `with_series()` and `with_progress()`), or its owner if none is set."""
    organizations = sorted(indicator.reporting_organizations.all(), key=lambda o: o.name)
    organizations = organizations or [indicator.organization]
    names = [
        format_html('<span lang="{}">{}</span>', organization.language, organization.name)
        for organization in organizations
    ]
    if len(names) > NAMES_LISTED:
        rest = len(names) - NAMES_LISTED + 1
        others = ngettext("%(count)s anden", "%(count)s andre", rest)
        names = [
            *names[: NAMES_LISTED - 1],
            escape(others % {"count": wording.format_number(rest)}),
        ]
    if len(names) == 1:
        return names[0]
    head = format_html_join(", ", "{}", ((name,) for name in names[:-1]))
    return format_html("{} {} {}", head, _("og"), names[-1])
