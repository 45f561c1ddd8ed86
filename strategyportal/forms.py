from django import forms
from django.forms.renderers import TemplatesSetting


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
