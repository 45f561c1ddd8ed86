from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from indicators.comparison import Showing
from municipalities.models import Country


class PortalFormRenderer(TemplatesSetting):
    """Renders every form field with the markup of Det Fælles Designsystem."""

    field_template_name = "forms/field.html"


class DesignSystemWidgets:
    """Gives a form's widgets the classes of Det Fælles Designsystem."""

    css_classes = {
        forms.Select: "form-select",
        forms.CheckboxInput: "form-checkbox",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css_class = next(
                (
                    css
                    for widget, css in self.css_classes.items()
                    if isinstance(field.widget, widget)
                ),
                "form-input",
            )
            field.widget.attrs.setdefault("class", css_class)


class PortalForm(DesignSystemWidgets, forms.Form):
    pass


class LearningFilterForm(PortalForm):
    """Narrow a theme or comparison to one country, and a comparison to one theme."""

    country = forms.ChoiceField(
        label=_("Land"), required=False, choices=[("", _("Alle lande")), *Country.choices]
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["theme"] = forms.ModelChoiceField(
                label=_("Tema"),
                required=False,
                queryset=themes,
                to_field_name="slug",
                empty_label=_("Alle temaer"),
            )
            self.fields["theme"].widget.attrs["class"] = "form-select"

    def chosen(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class ComparisonFilterForm(LearningFilterForm):
    """A comparison's filters: which kind of organization to show (municipalities unless
    asked), country, theme, and a name to look for among many."""

    show = forms.ChoiceField(label=_("Vis"), required=False, choices=Showing.choices)
    name = forms.CharField(label=_("Navn indeholder"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["show", "country", "theme", "name"])
