import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import services
from indicators.models import Indicator, IndicatorValue
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


class ValueForm(DesignSystemWidgets, forms.Form):
    """One indicator's value on the reporting page; empty means "not reported now"."""

    value = forms.CharField(
        label=_("Tal"),
        required=False,
        max_length=30,
        help_text=_("Skriv tallet som på resten af siden, fx 1.384 eller 93,5."),
    )
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
        current: IndicatorValue | None,
        **kwargs,
    ):
        self.indicator = indicator
        self.current = current
        # A bound form shows what was posted; the saved value is its initial all the same, so
        # an unbound form shows it, with the revision that a later save must send back.
        if current is not None:
            kwargs["initial"] = {
                "value": _for_input(current.value, indicator.decimals),
                "note": current.note,
                "source": current.source,
                "revision": current.revision,
            }
        super().__init__(data, prefix=f"indicator-{indicator.pk}", **kwargs)
        self.fields["value"].label = _("Tal (%(unit)s)") % {"unit": indicator.unit}

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        if not text:
            return None
        try:
            number = parse_number(text, get_language() or "da")
        except ValueError:
            raise ValidationError(
                _("Skriv et tal, fx 1.384 eller 93,5."), code="not_a_number"
            ) from None
        self.indicator.validate_value(number)
        return number

    @property
    def is_locked(self) -> bool:
        """An approved value is no longer the reporter's to change."""
        return self.current is not None and self.current.status == IndicatorValue.Status.APPROVED


def _for_input(value: Decimal, decimals: int) -> str:
    """The stored value as the reader's language writes it, without grouping."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


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
