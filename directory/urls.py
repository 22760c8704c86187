from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import api, embeds, views
from .cache import public_page
from .sitemaps import SITEMAPS

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("verify/", views.verify, name="verify"),
    path("api/v1/search", api.search, name="api-search"),
    path("api/v1/verify", api.verify, name="api-verify"),
    path("tinh/<slug:slug>/", views.province_detail, name="province"),
    path("tinh/<slug:province_slug>/<path:path>/", views.agency_detail, name="agency"),
    path(
        "embed/<slug:province_slug>/<path:path>/feed.json",
        embeds.agency_feed,
        name="embed-feed",
    ),
    path("embed/<slug:province_slug>/<path:path>/", embeds.agency_embed, name="embed"),
    path(
        "sitemap.xml",
        public_page(sitemap, query=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
