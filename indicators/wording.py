"""Numbers and assessments put into words, in the reader's language (Danish by default).

No database here either: these functions take what the progress rules return and format it
the way the active language writes numbers (1.800 and 25,0 in Danish, 1 800 in Swedish,
1,800 in English).
"""

from decimal import Decimal

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, ngettext_lazy
from django.utils.translation import gettext as _

from indicators.periods import PeriodKind, period_label
from indicators.progress import Assessment, Direction, Status, Target

STATUS_LABELS = {
    Status.TARGET_MET: gettext_lazy("Målet er nået"),
    Status.ON_TRACK: gettext_lazy("På rette vej"),
    Status.BEHIND: gettext_lazy("Bagud"),
    Status.MOVING_AWAY: gettext_lazy("Går den forkerte vej"),
    Status.MISSED: gettext_lazy("Ikke nået"),
    Status.NOT_ENOUGH_DATA: gettext_lazy("For få tal"),
}

STATUS_EXPLANATIONS = {
    Status.TARGET_MET: gettext_lazy("Det seneste tal opfylder målet."),
    Status.ON_TRACK: gettext_lazy(
        "Fortsætter udviklingen i samme tempo som hidtil, nås målet til tiden."
    ),
    Status.BEHIND: gettext_lazy(
        "Udviklingen går den rigtige vej, men for langsomt til at nå målet til tiden."
    ),
    Status.MOVING_AWAY: gettext_lazy("Udviklingen går væk fra målet."),
    Status.MISSED: gettext_lazy("Målets periode er gået, og målet er ikke nået."),
    Status.NOT_ENOUGH_DATA: gettext_lazy(
        "Der er endnu ikke godkendte tal nok til at vurdere udviklingen."
    ),
}


# A count of targets with a status, as part of a sentence: "2 målsætninger: 1 er på rette vej og
# 1 har for få tal."
STATUS_COUNTS = {
    Status.TARGET_MET: ngettext_lazy("%(number)s er nået", "%(number)s er nået", "count"),
    Status.ON_TRACK: ngettext_lazy(
        "%(number)s er på rette vej", "%(number)s er på rette vej", "count"
    ),
    Status.BEHIND: ngettext_lazy("%(number)s er bagud", "%(number)s er bagud", "count"),
    Status.MOVING_AWAY: ngettext_lazy(
        "%(number)s går den forkerte vej", "%(number)s går den forkerte vej", "count"
    ),
    Status.MISSED: ngettext_lazy("%(number)s er ikke nået", "%(number)s er ikke nået", "count"),
    Status.NOT_ENOUGH_DATA: ngettext_lazy(
        "%(number)s har for få tal", "%(number)s har for få tal", "count"
    ),
}


def status_count(status: Status, count: int) -> str:
    """The count and its status in words, in the active language: "1 er på rette vej"."""
    return STATUS_COUNTS[status] % {"count": count, "number": format_number(count)}


def format_number(value: float | Decimal, decimals: int = 0) -> str:
    """A number the way the active language writes it, rounded to `decimals` places."""
    rounded = round(Decimal(str(value)), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def decimals_of(value: Decimal) -> int:
    """How many decimals `value` has without trailing zeros: 12,5000 has one."""
    return max(0, -value.normalize().as_tuple().exponent)


def format_quantity(value: float | Decimal, unit: str, decimals: int = 0) -> str:
    """A number with its unit, kept on one line: "1.800 årselever", "95 %", "25,0 m² pr. elev"."""
    number = format_number(value, decimals)
    if not unit:
        return number
    if unit == "%" and (get_language() or "da").startswith("en"):
        return f"{number}%"
    return f"{number}\xa0{unit}"


def format_rate(percent: float) -> str:
    """A growth rate per period with at most one decimal: "5,4 %", "5 %"."""
    decimals = 0 if round(percent, 1) == round(percent) else 1
    return format_quantity(percent, "%", decimals)


def hidden_quantity(threshold: int, unit: str) -> str:
    """What is published instead of a figure about fewer than `threshold` pupils."""
    return _("færre end %(quantity)s") % {"quantity": format_quantity(threshold, unit)}


def target_phrase(
    target: Target, *, unit: str, decimals: int, period_kind: PeriodKind | str
) -> str:
    """The target as a phrase for a label: "mindst 1.800 årselever i 2028"."""
    if target.value is None:
        phrase = _("en vækst på %(rate)s om året") % {"rate": format_rate(target.stated_growth)}
    elif target.direction is Direction.AT_LEAST:
        phrase = _("mindst %(value)s") % {"value": format_quantity(target.value, unit, decimals)}
    elif target.direction is Direction.AT_MOST:
        phrase = _("højst %(value)s") % {"value": format_quantity(target.value, unit, decimals)}
    else:
        phrase = _("mellem %(lower)s og %(upper)s") % {
            "lower": format_quantity(target.value, unit, decimals),
            "upper": format_quantity(target.upper, unit, decimals),
        }
    if target.period is None:
        return phrase
    return _("%(target)s i %(period)s") % {
        "target": phrase,
        "period": period_label(target.period, period_kind),
    }


def summarize(
    assessment: Assessment,
    *,
    unit: str,
    decimals: int,
    period_kind: PeriodKind | str,
    hide_below: int | None = None,
) -> str:
    """The assessment in a few plain sentences, e.g. "1.384 årselever i 2023. Målet er mindst
    1.800 årselever i 2028. Der er endnu ikke tal nok til at vurdere udviklingen."

    With `hide_below`, a latest value under it is written as "færre end 5 …", not as itself.
    """

    def quantity(value: float) -> str:
        return format_quantity(value, unit, decimals)

    def period(year: int) -> str:
        return period_label(year, period_kind)

    sentences = []
    latest = assessment.latest
    if latest is None:
        sentences.append(_("Der er endnu ingen godkendte tal."))
    else:
        hidden = hide_below is not None and latest.value < hide_below
        value = hidden_quantity(hide_below, unit) if hidden else quantity(latest.value)
        sentences.append(
            capfirst(
                _("%(value)s i %(period)s.") % {"value": value, "period": period(latest.period)}
            )
        )
    sentences.append(_target_sentence(assessment, quantity, period))
    outcome = _outcome_sentence(assessment, period)
    if outcome:
        sentences.append(outcome)
    return " ".join(sentences)


def _target_sentence(assessment: Assessment, quantity, period) -> str:
    target = assessment.target
    if target.value is None:
        rate = format_rate(target.stated_growth)
        if target.period is None:
            return _("Målet er en vækst på %(rate)s om året.") % {"rate": rate}
        return _("Målet er en vækst på %(rate)s om året frem til %(period)s.") % {
            "rate": rate,
            "period": period(target.period),
        }
    values = {"target": quantity(target.value)}
    if target.direction is Direction.RANGE:
        values["upper"] = quantity(target.upper)
    if target.period is None:
        wording = {
            Direction.AT_LEAST: _("Målet er mindst %(target)s."),
            Direction.AT_MOST: _("Målet er højst %(target)s."),
            Direction.RANGE: _("Målet er mellem %(target)s og %(upper)s."),
        }
    else:
        values["period"] = period(target.period)
        wording = {
            Direction.AT_LEAST: _("Målet er mindst %(target)s i %(period)s."),
            Direction.AT_MOST: _("Målet er højst %(target)s i %(period)s."),
            Direction.RANGE: _("Målet er mellem %(target)s og %(upper)s i %(period)s."),
        }
    return wording[target.direction] % values


def _outcome_sentence(assessment: Assessment, period) -> str:
    status = assessment.status
    forecast = assessment.forecast
    if status is Status.TARGET_MET:
        return _("Målet er nået.")
    if status is Status.NOT_ENOUGH_DATA:
        return (
            _("Der er endnu ikke tal nok til at vurdere udviklingen.") if assessment.latest else ""
        )
    if status is Status.MISSED:
        missed = _("Målet blev ikke nået i %(period)s.") % {
            "period": period(assessment.target.period)
        }
        return " ".join(filter(None, [missed, _pace_sentence(forecast, period)]))
    if forecast is None or assessment.target.value is None:
        return str(STATUS_EXPLANATIONS[status])
    if status is Status.MOVING_AWAY:
        return _("Udviklingen går væk fra målet, så med den hidtidige udvikling nås det ikke.")
    return _pace_sentence(forecast, period)


def _pace_sentence(forecast, period) -> str:
    """Where the pace so far leads; the status says the same (see `progress._status`)."""
    if forecast is None:
        return ""
    if not forecast.reached:
        return _("Med den hidtidige udvikling nås målet ikke.")
    if forecast.on_time is False:
        return _("Med den hidtidige udvikling nås målet først i %(period)s.") % {
            "period": period(forecast.period)
        }
    return _("Med den hidtidige udvikling nås målet i %(period)s.") % {
        "period": period(forecast.period)
    }
