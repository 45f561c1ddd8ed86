"""Numbers in the reader's language: {{ value|number:1 }}, {{ value|quantity:indicator }}."""

from django import template

from indicators import wording

register = template.Library()


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return ""
    return wording.format_number(value, int(decimals))


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
