from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request):
    """The language the visitor chose with the switcher (its cookie), else Vietnamese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Vietnamese unless the visitor chose another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show most
    office computers (English Windows, English Chrome) an English portal. Here only the
    language cookie set by the switcher counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class HealthCheckMiddleware:
    """Answer `/healthz` first, before host validation and the HTTPS redirect, so that a
    container or load balancer probing 127.0.0.1 over plain HTTP gets an answer. It checks
    that the database answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
