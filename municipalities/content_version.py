"""One version for everything the public pages show, kept in the shared cache.

Cached public pages (strategyportal.caching) are stored under the version current when their
rendering began, so a new version retires every one of them at once, on every machine that
shares the cache. `content_changed()` makes a new version once the write that calls it has
been committed; strategyportal connects it to every save and delete that can change a public
page. Writes that send no signals (bulk_create, bulk_update, QuerySet.update, _raw_delete)
call it themselves.

It lives in the lowest app so that every app may call it: imports flow
strategyportal → indicators → goals → municipalities.
"""

import secrets
import threading
from functools import partial

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content-version"

# How many versions this thread has made: a transaction's callbacks compare it to the count
# when they were queued (see `content_changed`).
_made = threading.local()


def content_version() -> str:
    """The current version. A version is random, never a counter: if the cache has lost it
    (Redis evicts under memory pressure) the next one cannot be a version that pages are
    still stored under."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        # `add` stores only if no other process has stored one since; then theirs counts.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def content_changed(using: str | None = None) -> None:
    """Retire every cached page once the current transaction commits (at once outside one).

    Not before the commit: between a new version and the commit, another process could render
    a page from the data as it was before the write and store it under the new version, where
    it would stay until the next write or its timeout. A page whose rendering began under the
    old version is stored under the old one, which nobody reads any more.

    A transaction that saves a thousand rows queues a thousand callbacks; the first to run at
    its commit makes the new version, and the others see that one was made since they were
    queued and do nothing."""
    made = _made_so_far()
    transaction.on_commit(partial(_make_version, made), using=using, robust=True)


def _made_so_far() -> int:
    return getattr(_made, "count", 0)


def _make_version(made_when_queued: int) -> None:
    if _made_so_far() != made_when_queued:
        return
    # Counted before the cache is asked, so that an unreachable cache is asked once per
    # transaction, not once per row (each attempt may wait for its timeout). `robust` logs
    # the error; the pages' timeout (CACHE_PAGE_SECONDS) then bounds how stale they can be.
    _made.count = made_when_queued + 1
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def _new_version() -> str:
    return secrets.token_hex(8)
