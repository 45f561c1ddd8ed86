"""Request ids and log lines that a log collector can read.

Every request gets an id: the one the proxy sent in X-Request-ID, else a new one. It goes back
in the answer's X-Request-ID header, so a visitor's report of an error can be found in the log,
and onto every log line written while the request runs, with the user's id.

Each log line is one JSON object on stderr: time, level, logger, message, request id, user id
and, for an exception, the traceback as one string.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
# What a proxy's id may look like (a UUID, or nginx's $request_id of 32 hex digits); anything
# else is replaced, so a client cannot write whatever it likes into the log.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class RequestIdMiddleware:
    """First in MIDDLEWARE: the id is known to every log line of the request, and the header is
    set on every answer, a page served from the page cache or an error page too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request.request_id = given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    """Puts the current request's id and user id on each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx or 5xx answer after the middleware has returned, with the request.
        request = _current_request.get() or getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None)
        record.user_id = _user_id(request, load=record.levelno >= logging.ERROR)
        return True


def _user_id(request: HttpRequest | None, *, load: bool) -> int | None:
    """The logged-in user's id. The user is read from the session only for an error: a warning
    or an info line must not add a query to a request that did not need the user."""
    user = getattr(request, "user", None)
    if user is None or (not load and getattr(user, "_wrapped", None) is empty):
        return None
    try:
        return user.pk
    except Exception:
        # The database may be what failed; the line is written without the user.
        return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            line["method"] = request.method
            line["path"] = request.path
        if hasattr(record, "status_code"):
            line["status"] = record.status_code
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
