"""Long lists in pages a person can read: the page to show comes from the `side` parameter
("page" in Danish), and templates/includes/pagination.html links to the others."""

from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "side"


def page_of(request, object_list, per_page: int) -> Page:
    """The page of `object_list` the request asks for. A number that is no number gives the
    first page and one past the end the last, never an error: an old link to page 9 of a
    list that has since shrunk still shows something."""
    return Paginator(object_list, per_page).get_page(request.GET.get(PAGE_PARAMETER))
