"""Requests that no view can answer as they are, dealt with before a view sees them, so that
hostile or garbled input gets a page or a 4xx and never a server error.

- A NUL byte (%00): PostgreSQL cannot hold one in a text value, and psycopg raises
  ValueError for any query that carries it, which made a 500 of `/soeg/?q=%00` and of the
  admin's autocomplete. Forms refuse NUL in what is posted (Django's CharField does), but a
  GET parameter reaches a query through many roads, so it is mended here once: each NUL in a
  query parameter's name or value becomes U+FFFD, the character that stands for one that
  could not be read (a NUL cannot be meant, and the page still answers, e.g. a search for
  it finds nothing). No page has a NUL in its path: 400 Bad Request.
- An admin history page of an id or version that is no number
  (`/admin/<app>/<model>/<pk>/history/abc/`, `/admin/<app>/<model>/abc/history/`):
  django-simple-history looks them up as given, and the database refuses them with
  ValueError. Every model with a history has a number as its key, so no such page
  exists: 404.
"""

from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict

# U+FFFD REPLACEMENT CHARACTER, percent-encoded as UTF-8.
REPLACEMENT = "%EF%BF%BD"
# Django's history page of an object and django-simple-history's page of one version.
HISTORY_PAGES = ("_history", "_simple_history")


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise BadRequest("A NUL byte in the path.")
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.GET = QueryDict(
                query.replace("%00", REPLACEMENT).replace("\x00", REPLACEMENT),
                encoding=request.encoding,
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        ids = [*view_args, *view_kwargs.values()]
        if (
            match.namespace == "admin"
            and match.url_name.endswith(HISTORY_PAGES)
            and not all(str(id).isdecimal() for id in ids)
        ):
            raise Http404("An object or history version is a number.")
        return None
