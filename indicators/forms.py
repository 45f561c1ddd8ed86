import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import plausibility, services, wording
from indicators.models import Indicator, IndicatorValue, validate_weight
from strategyportal.forms import DesignSystemWidgets


def parse_number(text: str, language: str = "da") -> Decimal:
    """A number as people write it in `language`: in Danish 1384, 1.384 and 93,5; in Swedish
    1 384 and 93,5; in English 1,384 and 93.5. A separator that could be read both ways in
    the language is refused rather than guessed."""
    cleaned = re.sub(r"[\s\xa0]", "", text)
    decimal_mark, thousands = (".", ",") if language.startswith("en") else (",", ".")
    grouped = re.compile(rf"^-?\d{{1,3}}(\{thousands}\d{{3}})+(\{decimal_mark}\d+)?$")
    if grouped.match(cleaned):
        cleaned = cleaned.replace(thousands, "")
    elif thousands in cleaned and decimal_mark in cleaned:
        raise ValueError(text)
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


def read_number(text: str) -> Decimal | None:
    """A number typed in a form, read the way the reader's language writes it; None when
    nothing was typed. The one rule for every number that enters the portal by hand."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse_number(text, get_language() or "da")
    except ValueError:
        raise ValidationError(
            _("Skriv et tal, fx 1.384 eller 93,5."), code="not_a_number"
        ) from None


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
        self.period = period
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
            change_message(found, self.indicator, self.indicator.period_label(previous_period)),
        )

    @property
    def is_locked(self) -> bool:
        """An approved value is no longer the reporter's to change."""
        return self.current is not None and self.current.status == IndicatorValue.Status.APPROVED


def change_message(found: plausibility.Change, indicator: Indicator, previous_label: str) -> str:
    """The warning beside a number that moved more than its metric expects."""
    values = {
        "previous": wording.format_quantity(found.previous, indicator.unit, indicator.decimals),
        "period": previous_label,
    }
    if found.percent is None:
        text = _(
            "Tallet er meget højere end i %(period)s (%(previous)s). Tjek det, og sæt kryds "
            "ved »Tallet er rigtigt«, hvis det passer."
        )
    elif found.is_rise:
        text = _(
            "Tallet er %(percent)s højere end i %(period)s (%(previous)s). Tjek det, og sæt "
            "kryds ved »Tallet er rigtigt«, hvis det passer."
        )
    else:
        text = _(
            "Tallet er %(percent)s lavere end i %(period)s (%(previous)s). Tjek det, og sæt "
            "kryds ved »Tallet er rigtigt«, hvis det passer."
        )
    if found.percent is not None:
        values["percent"] = wording.format_quantity(found.percent, "%")
    return text % values


def for_input(value: Decimal, decimals: int | None = None) -> str:
    """The stored value as the reader's language writes it, without grouping; with
    `decimals` decimals, or as many as it has."""
    if decimals is None:
        decimals = wording.decimals_of(value)
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


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


class IndicatorValueAdminForm(forms.ModelForm):
    """A value in the admin, which remembers the revision it was opened at, so that a save
    does not overwrite what someone else saved or reviewed meanwhile."""

    opened_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", *services.EDITABLE_FIELDS]

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


class IndicatorValueInlineFormSet(forms.BaseInlineFormSet):
    """The values on an indicator's admin page, saved through the same service as one value's
    page. `user` is set by the admin on the class it makes for each request."""

    user = None

    def save_new(self, form, commit=True):
        setattr(form.instance, self.fk.name, self.instance)
        return self._save_value(form, commit)

    def save_existing(self, form, obj, commit=True):
        return self._save_value(form, commit)

    def _save_value(self, form, commit):
        value = form.save(commit=False)
        if not commit:
            return value
        return services.value_edit(
            value=value, user=self.user, revision=form.cleaned_data.get("opened_revision")
        )
