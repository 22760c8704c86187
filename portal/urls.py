from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

admin.site.site_header = _("Official e-mail directory")
admin.site.site_title = _("Official e-mail directory")

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switcher is in every public page, and cached pages hold no CSRF token:
    # switching the language is harmless, so it needs none.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("directory.urls")),
]
