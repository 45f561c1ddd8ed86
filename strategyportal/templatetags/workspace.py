"""{% workspace %}: a staff member's start page, on the admin's index."""

from django import template

from strategyportal import workspace as selectors

register = template.Library()


@register.inclusion_tag("admin/workspace.html", takes_context=True)
def workspace(context):
    return selectors.workspace(context["request"].user)
