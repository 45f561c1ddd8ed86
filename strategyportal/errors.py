"""The page a reader gets when a request fails on the server (Django's `handler500`).

A database that cannot be reached (PostgreSQL restarting, a failover, a dropped connection)
is no fault of the page: the reader gets 503 Service Unavailable with Retry-After, which
browsers show as the page below and crawlers and proxies read as "come back soon" rather
than as a broken page. Every other error stays a 500. Both are logged with their traceback
and mailed to ADMINS by Django (settings.LOGGING); neither shows it. The page is rendered
with the portal's menu, language links and icons (`context_processors.portal`, which reads no
database) but without the other context processors, which may need the very database that
failed. `make faults` restarts PostgreSQL under load to show it.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

from strategyportal.context_processors import portal

# Seconds a reader, crawler or proxy is asked to wait before asking again: a restart of
# PostgreSQL takes seconds (`make faults`), a failover may take half a minute.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls the handler while it handles the exception, so it is the current one.
    context = portal(request)
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))
