import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from goals.models import StrategyStatus
from indicators import plausibility, services, wording
from indicators.models import (
    GoalTarget,
    Indicator,
    IndicatorValue,
    Milestone,
    ReferenceFigure,
    validate_weight,
)
from strategyportal.forms import DesignSystemWidgets

# Spaces group thousands in every language: the plain one people type, the no-break space
# the portal writes (1 384 in Swedish) and the narrow one some keyboards and programs write.
SPACES = " \xa0\u202f"


@dataclass(frozen=True)
class Notation:
    """How a language writes numbers: its decimal mark, and the mark it groups thousands
    with besides spaces."""

    decimal_mark: str
    group_mark: str
    # How to write a number when the reader used a mark that could be read two ways.
    ambiguity: str

    @cached_property
    def pattern(self) -> re.Pattern:
        groups = re.escape(SPACES + self.group_mark)
        # [0-9], not \d: Python reads Arabic-Indic and full-width digits as digits too.
        return re.compile(
            rf"-?(?:[0-9]{{1,3}}(?:[{groups}][0-9]{{3}})+|[0-9]+)"
            rf"(?:{re.escape(self.decimal_mark)}[0-9]+)?"
        )

    def written(self, whole: str, thousands: str = "", fraction: str = "") -> str:
        """A number written this way, from its digits: ("1", "500") is 1.500 in Danish,
        ("93", "", "5") is 93,5."""
        number = f"{whole}{self.group_mark}{thousands}" if thousands else whole
        return f"{number}{self.decimal_mark}{fraction}" if fraction else number


NOTATIONS = {
    "da": Notation(
        ",",
        ".",
        # Translators: shown to readers of Danish, about how Danish writes numbers.
        _(
            "»%(text)s« kan læses på to måder. Skriv decimaler med komma (%(decimal)s) og "
            "tusinder med punktum (%(thousands)s)."
        ),
    ),
    "sv": Notation(
        ",",
        "\xa0",
        # Translators: shown to readers of Swedish, about how Swedish writes numbers.
        _(
            "»%(text)s« kan læses på to måder. Skriv decimaler med komma (%(decimal)s) og "
            "tusinder med mellemrum (%(thousands)s)."
        ),
    ),
    "en": Notation(
        ".",
        ",",
        # Translators: shown to readers of English, about how English writes numbers.
        _(
            "»%(text)s« kan læses på to måder. Skriv decimaler med punktum (%(decimal)s) og "
            "tusinder med komma (%(thousands)s)."
        ),
    ),
}


class NotANumber(ValueError):
    """Text that is not a number the way the language writes numbers; `message` says how to
    write it, in the active language."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_number(text: str, language: str = "da") -> Decimal:
    """A number as people write it in `language`: the language's decimal mark is the only
    decimal mark (a comma in Danish and Swedish, a point in English), and thousands are
    grouped by spaces, or by Danish points and English commas, in groups of three: 1.384,5
    in Danish, 1 384,5 in Swedish, 1,384.5 in English. A mark that could be read both ways
    (1.5 in Danish, 1.800 in Swedish, 90,3 in English) is refused, never guessed."""
    notation = NOTATIONS.get(language.split("-")[0], NOTATIONS["da"])
    text = text.strip()
    if notation.pattern.fullmatch(text):
        digits = re.sub(f"[{re.escape(SPACES + notation.group_mark)}]", "", text)
        number = Decimal(digits.replace(notation.decimal_mark, "."))
        return number.copy_abs() if number.is_zero() else number  # never -0
    examples = {
        "whole": notation.written("1", "384"),
        "decimal": notation.written("93", fraction="5"),
    }
    if any(character.isdecimal() and character not in "0123456789" for character in text):
        raise NotANumber(
            _("Skriv tallet med cifrene 0–9, fx %(whole)s eller %(decimal)s.") % examples,
            "foreign_digits",
        )
    # Digits with points and commas that are not one decimal mark and groups of three:
    # the reader meant something by the other mark, and it is not ours to guess what.
    other_mark = "," if notation.decimal_mark == "." else "."
    if re.fullmatch(rf"-?[0-9][0-9{SPACES},.]*[0-9]", text) and (
        other_mark in text or text.count(notation.decimal_mark) > 1
    ):
        raise NotANumber(
            notation.ambiguity
            % {
                "text": text,
                "decimal": notation.written("1", fraction="5"),
                "thousands": notation.written("1", "500"),
            },
            "ambiguous",
        )
    raise NotANumber(_("Skriv et tal, fx %(whole)s eller %(decimal)s.") % examples, "not_a_number")


def read_number(text: str) -> Decimal | None:
    """A number typed in a form, read the way the reader's language writes it; None when
    nothing was typed. The one rule for every number that enters the portal by hand: the
    reporting page, the upload and the admin."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_number(text, get_language() or "da")
    except NotANumber as error:
        raise ValidationError(error.message, code=error.code) from None


class ValueForm(DesignSystemWidgets, forms.Form):
    """One indicator's value for one period on the reporting page; empty means "not reported
    now"."""

    value = forms.CharField(
        label=_("Tal"),
        required=False,
        max_length=30,
        help_text=_("Skriv tallet som på resten af siden, fx 1.384 eller 93,5."),
    )
    weight = forms.CharField(
        label=_("Vægt"),
        required=False,
        max_length=30,
        help_text=_("Det, tallet vejer med i kommunens gennemsnit."),
    )
    # Beside the number it confirms; shown only when the page asks.
    confirm = forms.BooleanField(label=_("Tallet er rigtigt"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label=_("Kilde"),
        required=False,
        max_length=300,
        help_text=_("Hvor tallet kommer fra, fx »Skolens elevregistrering, 1. oktober«."),
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        indicator: Indicator,
        period: int,
        organization_id: int,
        current: IndicatorValue | None,
        **kwargs,
    ):
        self.indicator = indicator
        self.current = current
        # Set when the number moved more than the metric expects: the reporter is asked to
        # confirm it before it is saved.
        self.asks_confirmation = False
        # A bound form shows what was posted; the saved value is its initial all the same, so
        # an unbound form shows it, with the revision that a later save must send back.
        if current is not None:
            kwargs["initial"] = {
                "value": for_input(current.value, indicator.decimals),
                "weight": "" if current.weight is None else for_input(current.weight),
                "note": current.note,
                "source": current.source,
                "revision": current.revision,
            }
        super().__init__(data, prefix=f"indicator-{indicator.pk}-{period}", **kwargs)
        self.fields["value"].label = _("Tal (%(unit)s)") % {"unit": indicator.unit}
        if indicator.needs_weight_from(organization_id):
            self.fields["weight"].label = _("Vægt (%(weight)s)") % {
                "weight": indicator.metric.weight_label
            }
        else:
            del self.fields["weight"]

    def clean_value(self):
        number = read_number(self.cleaned_data["value"])
        if number is not None:
            self.indicator.validate_value(number)
        return number

    def clean_weight(self):
        weight = read_number(self.cleaned_data["weight"])
        if weight is not None:
            validate_weight(weight)
        return weight

    def clean(self):
        cleaned_data = super().clean()
        if (
            "weight" in self.fields
            and cleaned_data.get("value") is not None
            and cleaned_data.get("weight") is None
            and "weight" not in self.errors
        ):
            self.add_error("weight", _("Skriv tallets vægt, så det kan indgå i gennemsnittet."))
        return cleaned_data

    def check_change(self, previous: Decimal | None, previous_period: int) -> None:
        """Ask the reporter to confirm a number that moved more than the metric expects from
        `previous`, unless they already did, or the number is the one already stored."""
        number = self.cleaned_data.get("value")
        if self.cleaned_data.get("confirm") or number is None:
            return
        if self.current is not None and self.current.value == number:
            return
        found = plausibility.implausible_change(
            previous, number, self.indicator.metric.plausible_change
        )
        if found is None:
            return
        self.asks_confirmation = True
        self.add_error(
            "value",
            change_message(
                found,
                self.indicator,
                self.indicator.period_label(previous_period),
                advice=CONFIRM_ON_PAGE,
            ),
        )

    @property
    def is_locked(self) -> bool:
        """An approved value is no longer the reporter's to change."""
        return self.current is not None and self.current.status == IndicatorValue.Status.APPROVED


def change_message(
    found: plausibility.Change, indicator: Indicator, previous_label: str, *, advice: str
) -> str:
    """The warning beside a number that moved more than its metric expects, with `advice` on
    what to do where it is shown."""
    values = {
        "previous": wording.format_quantity(found.previous, indicator.unit, indicator.decimals),
        "period": previous_label,
    }
    if found.percent is None:
        text = _("Tallet er meget højere end i %(period)s (%(previous)s).")
    elif found.is_rise:
        text = _("Tallet er %(percent)s højere end i %(period)s (%(previous)s).")
    else:
        text = _("Tallet er %(percent)s lavere end i %(period)s (%(previous)s).")
    if found.percent is not None:
        values["percent"] = wording.format_quantity(found.percent, "%")
    return f"{text % values} {advice}"


CONFIRM_ON_PAGE = _("Tjek det, og sæt kryds ved »Tallet er rigtigt«, hvis det passer.")
CHECK_BEFORE_SAVING = _("Tjek det, før du gemmer.")


def for_input(value: Decimal, decimals: int | None = None) -> str:
    """The stored value in a form's box, as the reader's language writes it (1.384,5 in
    Danish, 1 384,5 in Swedish, 1,384.5 in English), which `read_number` reads back as it
    is; with `decimals` decimals, but never fewer than it has, so that sending the form back
    unchanged changes nothing."""
    return wording.format_number(value, max(decimals or 0, wording.decimals_of(value)))


class NumberInput(forms.TextInput):
    """A number's box. A text box, since a browser's number box reads only its own idea of
    the decimal mark; "decimal" asks a phone for the keypad with one. `decimals` is the
    metric's, when the form knows it."""

    def __init__(self, attrs=None, decimals: int | None = None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.decimals = decimals

    def format_value(self, value):
        # What was typed and sent back (a string) is shown as it was typed.
        if isinstance(value, Decimal):
            return for_input(value, self.decimals)
        return super().format_value(value)


class NumberField(forms.DecimalField):
    """A number in the admin, read by the reporting page's rule in the reader's language
    (`read_number`) and shown the same way; the model's digits and decimals still apply."""

    widget = NumberInput

    def to_python(self, value):
        return read_number(value or "")


class MeasuredForm(forms.ModelForm):
    """A model form whose numbers in a metric's unit show with the metric's decimals: 25,0
    m² when the metric has one, 1.800 årselever when it has none."""

    # The fields in the metric's unit (a weight or a growth rate has its own), and where
    # the metric's decimals are read.
    measured = {
        IndicatorValue: (("value",), lambda value: value.indicator),
        GoalTarget: (
            ("baseline_value", "target_value", "target_value_max"),
            lambda target: target.indicator,
        ),
        Milestone: (("value",), lambda milestone: milestone.target),
        ReferenceFigure: (("value",), lambda figure: figure.metric),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names, measured_by = self.measured[self._meta.model]
        try:
            decimals = measured_by(self.instance).decimals
        except ObjectDoesNotExist:  # a new object, not tied to a metric yet
            return
        for name in names:
            field = self.fields.get(name)  # an inline may leave some out
            if field is not None and isinstance(field.widget, NumberInput):
                field.widget.decimals = decimals


class UploadForm(DesignSystemWidgets, forms.Form):
    file = forms.FileField(
        label=_("Regneark"),
        help_text=_(
            "Skabelonen udfyldt, som Excel-fil (.xlsx) eller CSV. Tomme tal springes over."
        ),
    )


class RejectForm(DesignSystemWidgets, forms.Form):
    # Required, but the service says so, with its own message, for every caller.
    reason = forms.CharField(
        label=_("Begrundelse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorValueAdminForm(MeasuredForm):
    """A value in the admin, which remembers the revision it was opened at, so that a save
    does not overwrite what someone else saved or reviewed meanwhile."""

    opened_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", *services.EDITABLE_FIELDS]
        field_classes = {"value": NumberField, "weight": NumberField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_revision"].initial = self.instance.revision

    def clean(self):
        cleaned_data = super().clean()
        changed = [name for name in self.changed_data if name != "opened_revision"]
        if self.instance.pk is not None and changed:
            # The admin saves in one transaction, so the lock taken here holds until saved.
            try:
                services.value_check_revision(
                    value=self.instance, revision=cleaned_data.get("opened_revision")
                )
            except services.StaleValue as error:
                raise ValidationError(error.messages) from None
        return cleaned_data


# What a target is: a change of any of these asks for its reason.
TARGET_FIELDS = (
    "direction",
    "baseline_period",
    "baseline_value",
    "target_period",
    "target_value",
    "target_value_max",
    "stated_annual_growth",
)


class GoalTargetForm(MeasuredForm):
    """A goal's target in the admin. Changing what it aims for asks why: the reason is kept
    in its history and shown beside the change on the public page."""

    change_reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=_(
            "Skal udfyldes, når målet, udgangspunktet eller fristen ændres. Vises på den "
            "offentlige side ved siden af ændringen, fx »Byrådet vedtog et højere mål i 2025«."
        ),
    )

    class Meta:
        model = GoalTarget
        fields = ["goal", "indicator", "status", "order", *TARGET_FIELDS]

    def clean(self):
        cleaned_data = super().clean()
        reason = cleaned_data.get("change_reason", "").strip()
        changed = set(self.changed_data) & set(TARGET_FIELDS)
        # A draft is the editor's own work until published; the public sees only changes
        # of a published target, and those need a reason.
        is_public = (
            self.instance.pk is not None and self.instance.status == StrategyStatus.PUBLISHED
        )
        if is_public and changed and not reason:
            self.add_error(
                "change_reason",
                _("Skriv, hvorfor målet ændres. Begrundelsen vises på den offentlige side."),
            )
        if reason:
            # django-simple-history keeps it with the record of this save.
            self.instance._change_reason = reason
        return cleaned_data
