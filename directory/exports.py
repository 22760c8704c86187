"""Public downloads of the directory, and the blank address-list template.

Anonymous downloads carry what the public pages show and nothing more, through
`Mailbox.objects.public()`: agencies' mailboxes and competent officials still in post.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from agencies.exporting import CONTENT_TYPES, download, file_download, header_row
from agencies.models import Agency, Mailbox, Province
from agencies.tablefiles import FIELDS, VIETNAMESE_HEADERS

from .ratelimit import rate_limit
from .views import public_agency_or_404

TEMPLATE_NOTES = {
    "province": "Mã hoặc tên tỉnh, thành phố (ví dụ: 80 hoặc Tây Ninh)",
    "agency_code": "Mã định danh điện tử của cơ quan, đơn vị (ví dụ: 000.00.31.H56)",
    "agency_name": "Tên đầy đủ của cơ quan, đơn vị",
    "parent_code": "Mã định danh của cơ quan cấp trên; để trống nếu là cấp cao nhất",
    "full_name": "Họ và tên cán bộ; để trống với hộp thư cơ quan",
    "position": "Chức vụ của cán bộ",
    "email": "Địa chỉ thư điện tử, đuôi .gov.vn",
    "kind": "“cơ quan” hoặc “cá nhân”",
    "published": "“có” hoặc “không”: công khai trên trang danh bạ",
}


@require_GET
@rate_limit("export")
def everything(request, file_format):
    return download(Mailbox.objects.public(), file_format, "danh-ba-thu-dien-tu")


@require_GET
@rate_limit("export")
def province(request, slug, file_format):
    found = get_object_or_404(Province, slug=slug)
    mailboxes = Mailbox.objects.public().filter(agency__province=found)
    return download(mailboxes, file_format, f"danh-ba-{found.slug}")


@require_GET
@rate_limit("export")
def agency(request, province_slug, path, file_format):
    found = public_agency_or_404(province_slug, path)
    mailboxes = Mailbox.objects.public().filter(agency__in=Agency.objects.subtree(found))
    return download(mailboxes, file_format, f"danh-ba-{found.slug}")


@require_GET
def list_template(request, file_format):
    """The address-list template: Vietnamese headers, and in Excel a sheet of notes."""
    if file_format == "xlsx":
        workbook = Workbook()
        workbook.active.title = "Danh sách"
        workbook.active.append(header_row())
        notes = workbook.create_sheet("Hướng dẫn")
        notes.append(["Cột", "Nội dung"])
        for field in FIELDS:
            notes.append([VIETNAMESE_HEADERS[field], TEMPLATE_NOTES[field]])
        return file_download(workbook.save, "mau-danh-sach.xlsx")
    response = HttpResponse(
        "\ufeff" + ",".join(header_row()) + "\r\n", content_type=CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach.csv"'
    return response
