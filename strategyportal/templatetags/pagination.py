"""{% page_numbers page %}: which page numbers templates/includes/pagination.html links to."""

from django import template
from django.core.paginator import Page, Paginator

register = template.Library()


@register.simple_tag
def page_numbers(page: Page) -> list[int | None]:
    """The first and last page and those on either side of the current one, with None
    where pages are left out: at most seven links, as in Det Fælles Designsystem."""
    pages = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return [None if number == Paginator.ELLIPSIS else number for number in pages]
