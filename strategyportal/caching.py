"""Whole public pages from the shared cache, for visitors who are not logged in.

A page is stored under a key made of
- the content version (`municipalities.content_version`), which every committed write that
  can change a public page replaces: a page is never older than the last such write;
- the release (`release()`), a digest of the code, templates, translations and locked
  dependencies: during a rolling release, old and new machines share Redis but not pages;
- the page's full address (scheme, host, path with the language prefix, query string);
- whether the answer is gzip-compressed (see below).
Stored pages expire after CACHE_PAGE_SECONDS all the same, so a version made while the cache
could not be reached, or a page nobody asks for again, does not linger.

Only the portal's own pages are stored (the URL namespace "portal"), only answers 200 to GET
that set no cookie and may be stored by anyone, and only for requests without a session or a
messages cookie: a logged-in user (an editor sees drafts), or a visitor with a message waiting,
is never served a stored page and never stores one. A page with a CSRF token sets the CSRF
cookie, so it is never stored either.

The middleware stands outside GZipMiddleware and ConditionalGetMiddleware: it stores the
compressed bytes with their ETag (made from the uncompressed page), so a hit costs no
compression, and it answers a revisit with 304 itself. The language needs no part of the key
besides the address: it comes from the address's prefix alone (`prefix_default_language=False`
makes an address without one Danish whatever the browser asks for), although LocaleMiddleware
adds `Vary: Accept-Language` to such pages.

CACHE_PAGE_SECONDS defaults to 0, no page cache, in development (an edited template shows at
once) and with the local-memory cache, where each process would keep versions of its own."""

import hashlib
import logging
import re
from functools import cache as once
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import split_directive_names

from indicators.models import IndicatorValue, Subscription, ValueUpload
from municipalities.content_version import content_changed, content_version
from municipalities.models import User

logger = logging.getLogger(__name__)

# GZipMiddleware's own test of whether a request accepts gzip.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# What a stored page may vary on: the encoding is in the key, the language in the address, and
# a request with a cookie that could change the page (a session) is never served one. Every
# page that reads the session varies on Cookie, so a portal page must not read a cookie of its
# own: it would be served to every visitor as the first one's.
HARMLESS_VARY = {"accept-encoding", "accept-language", "cookie"}
# never_cache, or a page marked as one person's.
NOT_STORED = {"private", "no-store", "no-cache"}
# Saved often and shown on no public page: a login saves the user, an upload its preview, a
# citizen's confirmation or unsubscribing their subscription, and a value's history follows
# the value, which `_value_changed` judges.
NEVER_PUBLIC = {User, ValueUpload, Subscription, IndicatorValue.history.model}
# What a release is made of, relative to the project: whatever changes a page's bytes.
RELEASE_PARTS = (
    "templates",
    "locale",
    "locale_overrides",
    "static",
    "municipalities",
    "goals",
    "indicators",
    "strategyportal",
    "requirements.lock",
    "package-lock.json",
)


class PublicPageCacheMiddleware:
    """Serves and stores whole public pages; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The key is made once, before the page is rendered: a page rendered while a write
        # commits is stored under the version that was current when it began, never under
        # the write's new one.
        key = _key(request) if _may_be_cached(request) else None
        if key is not None:
            stored = read_stored(key)
            if stored is not None:
                return _answer(request, *stored)
        response = self.get_response(request)
        if key is not None and _may_be_stored(request, response):
            store(key, response)
        return response


def _may_be_cached(request: HttpRequest) -> bool:
    return (
        settings.CACHE_PAGE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _key(request: HttpRequest) -> str | None:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    encoding = "gzip" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else ""
    try:
        version = content_version()
    except Exception:
        # Each cache backend raises its own errors; without the cache the page is rendered.
        logger.exception("Page cache: the content version cannot be read")
        return None
    return f"page:{release()}:{version}:{encoding}:{address}"


def _may_be_stored(request: HttpRequest, response: HttpResponse) -> bool:
    # A HEAD answer has no ETag (ConditionalGetMiddleware makes none for HEAD); it is served
    # from what a GET stored.
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    match = request.resolver_match
    if match is None or "portal" not in match.namespaces:
        return False
    if set(split_directive_names(response.get("Cache-Control", ""))) & NOT_STORED:
        return False
    return set(split_directive_names(response.get("Vary", ""))) <= HARMLESS_VARY


def read_stored(key: str) -> tuple[dict, bytes] | None:
    """A stored answer's headers and body (the pages' and the API's); None when there is
    none or the cache does not answer, which only costs making it anew."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Page cache: a page cannot be read")
        return None


def store(key: str, response: HttpResponse) -> None:
    """Keeps a rendered answer for CACHE_PAGE_SECONDS; a cache that fails is logged."""
    try:
        cache.set(key, (dict(response.items()), response.content), settings.CACHE_PAGE_SECONDS)
    except Exception:
        logger.exception("Page cache: a page cannot be stored")


def _answer(request: HttpRequest, headers: dict, content: bytes) -> HttpResponse:
    response = HttpResponse(content, headers=headers)
    if request.method != "GET":
        return response
    # As ConditionalGetMiddleware would: 304 when the visitor has the same page.
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


@once
def release() -> str:
    """A digest of everything in the project that makes a page's bytes. Computed once per
    process from the files' contents, so every machine running the same release agrees."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for part in RELEASE_PARTS:
        root = base / part
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def watch_public_content() -> None:
    """Makes a new content version after every committed save or delete of the apps whose
    rows the public pages show, the history tables included (a target's change reason is a
    history row). Bulk writes send no signals; they call `content_changed` themselves."""
    for label in ("municipalities", "goals", "indicators"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model in NEVER_PUBLIC:
                continue
            receiver = _value_changed if model is IndicatorValue else _changed
            post_save.connect(receiver, sender=model)
            post_delete.connect(receiver, sender=model)
            # Sent with the through model, the automatic one included, as sender.
            m2m_changed.connect(_changed, sender=model)


def _changed(sender, *, using: str, action: str = "post_", **kwargs) -> None:
    # m2m_changed comes twice per change, before (pre_…) and after (post_…).
    if action.startswith("post_"):
        content_changed(using=using)


def _value_changed(sender, *, instance: IndicatorValue, using: str, **kwargs) -> None:
    """Only approved values are public. The drafts and submissions that make most of the
    writes in a reporting round change no public page, unless the value counted before the
    save (an editor's correction of an approved value waits for approval again), which
    indicators.signals notes before each save as `_counted_in`."""
    counted_before = getattr(instance, "_counted_in", None) is not None
    if instance.status == IndicatorValue.Status.APPROVED or counted_before:
        content_changed(using=using)
