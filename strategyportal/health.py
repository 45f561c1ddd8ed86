"""Health checks for load balancers and orchestrators.

`/healthz` says the process answers; `/readyz` says it can serve pages. Both live outside
the language prefixes and touch neither session nor CSRF cookie, so a check every few seconds
costs no query and sets no cookie.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the worker runs. Never asks the database or the cache, so a database outage
    does not make the orchestrator restart every healthy worker."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database and the cache answer. 503 names the one that failed; the reason
    goes to the log only, as it may name hosts and users."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    ready = all(checks.values())
    return JsonResponse(
        {name: "ok" if answers else "unavailable" for name, answers in checks.items()},
        status=200 if ready else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Readiness check: the database does not answer")
        return False
    return True


def _cache_answers() -> bool:
    # A key of its own per check, so that checks from several machines at once cannot read
    # each other's value; it expires by itself.
    token = secrets.token_hex(8)
    key = f"readyz:{token}"
    try:
        cache.set(key, token, timeout=10)
        answers = cache.get(key) == token
    # Each cache backend raises its own errors (redis-py's are no Django exceptions).
    except Exception:
        logger.exception("Readiness check: the cache does not answer")
        return False
    if not answers:
        logger.error("Readiness check: the cache did not return what was stored")
    return answers
