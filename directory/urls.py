from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import api, embeds, exports, views
from .cache import public_page
from .sitemaps import SITEMAPS


class FormatConverter:
    regex = "csv|xlsx|vcf|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class SpreadsheetConverter(FormatConverter):
    regex = "csv|xlsx"


register_converter(FormatConverter, "format")
register_converter(SpreadsheetConverter, "spreadsheet")

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("verify/", views.verify, name="verify"),
    path("api/v1/search", api.search, name="api-search"),
    path("api/v1/verify", api.verify, name="api-verify"),
    path(
        "tai-ve/mau-danh-sach.<spreadsheet:file_format>",
        exports.list_template,
        name="list-template",
    ),
    path("tai-ve/danh-ba.<format:file_format>", exports.everything, name="download"),
    path(
        "tinh/<slug:slug>/tai-ve.<format:file_format>", exports.province, name="province-download"
    ),
    path(
        "tinh/<slug:province_slug>/<path:path>/tai-ve.<format:file_format>",
        exports.agency,
        name="agency-download",
    ),
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
