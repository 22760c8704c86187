"""Per-client rate limits against harvesting: search, API, verification, exports.

Counting is django-ratelimit's (fixed windows in the default cache). With `REDIS_URL` the
counts are shared by every worker and server; with the local-memory cache each worker
process counts alone, so a client may get up to (workers × rate) through.

    @rate_limit("search")                 # HTML page: 429 page in the visitor's language
    @rate_limit("api", as_json=True)      # JSON: 429 {"errors": {"__all__": [message]}}
    @rate_limit("export")                 # for download views

Each scope is one budget per client, shared by the views that name it; its rate is the
setting `DIRECTORY_RATE_<SCOPE>` (e.g. `"60/m"`).
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .cache import CACHE_ERRORS, logger

SCOPES = ("search", "api", "export")


def client_ip(request):
    """The client's address: the peer's, or behind a reverse proxy (`BEHIND_PROXY`), the one
    the proxy reports: in the header `CLIENT_IP_HEADER` names when set, else the right-most
    address of X-Forwarded-For that is not one of `TRUSTED_PROXIES` (the left part of that
    header is written by the client and proves nothing)."""
    peer = request.META["REMOTE_ADDR"]
    if not settings.BEHIND_PROXY:
        return peer
    if settings.CLIENT_IP_HEADER:
        meta_name = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        return _valid_ip(request.META.get(meta_name, "").strip()) or peer
    trusted = [ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES]
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for candidate in reversed(forwarded):
        address = _valid_ip(candidate)
        if address is None:
            break  # garbage: nothing to the left of it can be believed either
        if not any(ipaddress.ip_address(address) in network for network in trusted):
            return address
    return peer


def _valid_ip(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def rate_limit(scope, as_json=False):
    """Answer 429 (with Retry-After and a message) once the client exceeds the scope's rate."""
    if scope not in SCOPES:
        raise ValueError(f"unknown rate-limit scope {scope!r}; one of {SCOPES}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                usage = get_usage(
                    request,
                    group=f"directory-{scope}",
                    key="ip",  # through RATELIMIT_IP_META_KEY = client_ip, IPv6 per /64
                    rate=getattr(settings, f"DIRECTORY_RATE_{scope.upper()}"),
                    increment=True,
                )
            except CACHE_ERRORS:
                logger.exception("rate limits unavailable: the request is let through")
                usage = None
            if usage is not None and usage["should_limit"]:
                return too_many_requests(request, max(usage["time_left"], 1), as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request, retry_after, as_json):
    message = _(
        "Too many requests from your address. Please wait %(seconds)s seconds, then try again."
    ) % {"seconds": retry_after}
    if as_json:
        response = JsonResponse(
            {"errors": {"__all__": [message]}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "directory/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
