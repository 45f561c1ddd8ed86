from rest_framework.pagination import CursorPagination


class StablePagination(CursorPagination):
    """Cursor paging on the primary key: a page never shifts when rows are added meanwhile,
    and walking the pages reads every row once."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
