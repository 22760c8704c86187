"""Downloads of the public directory and of the blank address-list template."""

from django.urls import path, register_converter

from . import exports


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

app_name = "downloads"

urlpatterns = [
    path(
        "tai-ve/mau-danh-sach.<spreadsheet:file_format>",
        exports.list_template,
        name="list-template",
    ),
    path("tai-ve/danh-ba.<format:file_format>", exports.everything, name="directory"),
    path("tinh/<slug:slug>/tai-ve.<format:file_format>", exports.province, name="province"),
    path(
        "tinh/<slug:province_slug>/<path:path>/tai-ve.<format:file_format>",
        exports.agency,
        name="agency",
    ),
]
