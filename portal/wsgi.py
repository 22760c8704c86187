import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

try:  # refuse to serve without a key, rather than fail on the first form
    settings.SECRET_KEY  # noqa: B018  (Django refuses an empty key when it is read)
except ImproperlyConfigured:
    raise ImproperlyConfigured(
        "Set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=1 for development"
    ) from None
