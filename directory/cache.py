"""The public pages' cache: served before most of the middleware, invalidated by any change.

A directory-wide *version* lives in the cache. Every save or delete of a province, mail
domain, agency, official or mailbox replaces it (receivers connected in `apps.py`); bulk code
paths that bypass signals (imports with `bulk_create`/`update`) call `directory_changed()`
themselves. A cached page is stored with the version it was rendered under and served only
while that version is current.

Where the pages live:
- local memory only (no REDIS_URL): each worker process has its own cache. The worker that
  saved a change forgets at once, the others when `DIRECTORY_PAGE_CACHE_SECONDS` ends.
- Redis (REDIS_URL): pages and the version are shared by every worker and server, and each
  worker keeps a copy of what it served in its own memory (the `local` cache) with the
  version it last read, re-read from Redis at most `VERSION_RECHECK_SECONDS` later. So a hit
  costs no network round trip, and a change leaves every worker within that second.

Views opt in with `@public_page`; `PublicPageCacheMiddleware` (placed right after
SecurityMiddleware and WhiteNoise) answers hits, and conditional requests (`If-None-Match`,
`If-Modified-Since`) with 304, without sessions, CSRF, authentication or URL resolving.
The key is scheme, host, path, query and the language chosen with the switcher: pages hold no
per-visitor content, and visitors with a session cookie (staff) bypass the cache entirely.
"""

import hashlib
import logging
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from portal.middleware import chosen_language

try:
    from redis import RedisError
except ImportError:  # pragma: no cover - redis is a dependency, but only REDIS_URL needs it
    RedisError = OSError

logger = logging.getLogger(__name__)

# A cache server that is down must not take the site down: pages are rendered, searches
# answered, and the error logged.
CACHE_ERRORS = (RedisError, OSError)

VERSION_KEY = "directory:version"
PAGE_KEY_PREFIX = "directory:page:"
LOCAL_CACHE = "local"  # the alias of each worker's own copy, when the cache is shared
VERSION_RECHECK_SECONDS = 1


# The version.


def tiers():
    """(front, shared): the worker's own memory, where hits are answered, and the cache all
    workers share. Without Redis they are the same local-memory cache."""
    if LOCAL_CACHE in settings.CACHES:
        return caches[LOCAL_CACHE], cache
    return cache, cache


def new_version():
    """(time of the change, a token no other change shares)."""
    return (time.time(), secrets.token_hex(8))


def bump_version():
    version = new_version()
    front, shared = tiers()
    try:
        shared.set(VERSION_KEY, version, timeout=None)
        if front is not shared:
            front.set(VERSION_KEY, version, timeout=VERSION_RECHECK_SECONDS)
    except CACHE_ERRORS:
        logger.exception("could not invalidate the public pages' cache")


def shared_version(front, shared):
    """The current version as the shared cache has it (made when missing), remembered in
    front for `VERSION_RECHECK_SECONDS`."""
    version = shared.get(VERSION_KEY)
    if version is None:
        shared.add(VERSION_KEY, new_version(), timeout=None)
        version = shared.get(VERSION_KEY)
    if front is not shared:
        front.set(VERSION_KEY, version, timeout=VERSION_RECHECK_SECONDS)
    return version


def directory_changed(using=None):
    """Forget every cached public page. Call it after changing directory data in a way that
    sends no model signal (`bulk_create`, `bulk_update`, `QuerySet.update`, raw SQL).

    The version changes at once and, inside a transaction, again when it commits: a page
    rendered by another request between the change and the commit still read the old data,
    and must not outlive the commit."""
    bump_version()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(bump_version, using=using)


def record_changed(sender, using=None, **kwargs):
    """Receiver of post_save and post_delete of the models public pages show, and of
    `agencies.signals.directory_changed`, which bulk imports send once they commit."""
    directory_changed(using=using)


# The pages.


def public_page(view=None, *, query=()):
    """Let the page cache keep this view's successful answers.

    Only requests whose query string uses no parameter but those named in `query` are kept,
    so that made-up query strings cannot fill the cache (they are answered, not stored)."""

    def decorator(view):
        allowed = frozenset(query)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.public_page = allowed.issuperset(request.GET.keys())
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def page_key(request):
    """The cache key of a page: scheme, host (validated here: DisallowedHost answers 400),
    path, raw query string and the visitor's chosen language."""
    url = "{}://{}{}?{}#{}".format(
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        chosen_language(request),
    )
    return PAGE_KEY_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def validators(version, key):
    """ETag and Last-Modified of the page `key` rendered under `version`."""
    changed_at, token = version
    digest = hashlib.md5(f"{token}{key}".encode(), usedforsecurity=False).hexdigest()[:24]
    return f'"{digest}"', int(changed_at)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not settings.DIRECTORY_PAGE_CACHE_SECONDS
        ):
            return self.get_response(request)
        key = page_key(request)
        front, shared = tiers()
        timeout = settings.DIRECTORY_PAGE_CACHE_SECONDS
        try:
            found = front.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or shared_version(front, shared)
            entry = found.get(key)
            if front is not shared and (entry is None or entry[0] != version):
                entry = shared.get(key)  # rendered by another worker
                if entry is not None and entry[0] == version:
                    front.set(key, entry, timeout)
            if entry is not None and entry[0] == version:
                return self.answer(request, version, key, entry[1])
        except CACHE_ERRORS:
            logger.exception("page cache unavailable")
            return self.get_response(request)
        response = self.get_response(request)
        if self.may_store(request, response):
            self.prepare(response, version, key)
            entry = self.freeze(version, response)
            try:
                shared.set(key, entry, timeout)
                if front is not shared:
                    front.set(key, entry, timeout)
            except CACHE_ERRORS:
                logger.exception("page cache unavailable")
            return self.answer(request, version, key, response)
        return response

    @staticmethod
    def may_store(request, response):
        return (
            request.method == "GET"
            and response.status_code == 200
            and getattr(response, "public_page", False)
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def prepare(response, version, key):
        etag, last_modified = validators(version, key)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Browsers and proxies may keep the page, but must ask again before showing it:
        # the answer is a cheap 304 while nothing changed.
        response["Cache-Control"] = "no-cache"

    @staticmethod
    def freeze(version, response):
        """What the cache keeps: the version and the response itself, which pickles as
        Django's own cache middleware relies on. It has no cookie (see `may_store`), and the
        headers SecurityMiddleware and the WSGI server add come later, on every answer."""
        return (version, response)

    @staticmethod
    def answer(request, version, key, response):
        etag, last_modified = validators(version, key)
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if request.method == "HEAD" and response.status_code == 200:
            response.content = b""  # keeps the GET's Content-Length, as HEAD should
        return response
