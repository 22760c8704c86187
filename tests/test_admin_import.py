"""Uploading address lists in the admin: django-import-export's preview and confirmation over
our all-or-nothing import."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency, Mailbox, Role

from .factories import make_agency, make_mailbox, make_staff
from .test_import import HEADER, LIST, csv_file

DATA = Path(__file__).parent / "data"
IMPORT_URL = reverse("admin:agencies_mailbox_import")
CONFIRM_URL = reverse("admin:agencies_mailbox_process_import")


def upload(client, content, name="danh-sach.csv"):
    return client.post(
        IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile(name, content)}
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM_URL, {name: form[name].value() for name in form.fields})


@pytest.fixture
def it_staff(client, tay_ninh):
    user = make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=tay_ninh)
    client.force_login(user)
    return user


class TestPreviewThenConfirm:
    def test_a_good_file_is_previewed_then_imported(self, client, it_staff):
        preview = upload(client, csv_file(*LIST))
        html = preview.content.decode()
        assert preview.status_code == 200
        assert "Sẽ tạo mới: 4. Sẽ cập nhật: 0. Không đổi: 0." in html
        assert "Cơ quan, đơn vị: tạo mới 2, đổi tên hoặc chuyển 0." in html
        assert "hadtn@tayninh.gov.vn" in html
        assert not Mailbox.objects.exists()  # the preview wrote nothing

        response = confirm(client, preview)
        assert response.status_code == 302
        assert Mailbox.objects.count() == 4
        record = Mailbox.objects.get(address="hadtn@tayninh.gov.vn").history.get()
        assert record.history_user == it_staff
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("4 tạo mới" in message for message in messages)

    def test_a_bad_file_shows_every_error_and_commits_nothing(self, client, it_staff):
        rows = [
            *LIST,
            LIST[0].replace("snv@tayninh.gov.vn", "snv@tayninh.com.vn"),
            LIST[2].replace("cá nhân", "cán bộ").replace("hadtn@", "hadtn2@"),
        ]
        preview = upload(client, csv_file(*rows))
        html = preview.content.decode()
        assert "Một số dòng có lỗi" in html
        assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
        invalid = preview.context["result"].invalid_rows
        assert [(row.number, list(row.field_specific_errors)) for row in invalid] == [
            (6, ["Thư điện tử"]),
            (7, ["Loại"]),
        ]
        assert ".gov.vn" in invalid[0].field_specific_errors["Thư điện tử"][0]
        assert not Mailbox.objects.exists()

    def test_a_vni_file_is_converted_and_imported(self, client, tay_ninh, gia_lai):
        client.force_login(make_staff("quoc_gia", Role.Kind.NATIONAL))
        preview = upload(client, (DATA / "vni.csv").read_bytes(), "vni.csv")
        assert preview.context["result"].totals["new"] == 4
        confirm(client, preview)
        assert Agency.objects.get(code="000.31.00.H37").name == "Sở Nội vụ"
        mailbox = Mailbox.objects.get(address="hadtn@tayninh.gov.vn")
        assert mailbox.official.full_name == "Đặng Thị Ngọc Hà"

    def test_a_file_for_another_province_is_refused_row_by_row(self, client, it_staff, gia_lai):
        preview = upload(client, (DATA / "vni.csv").read_bytes(), "vni.csv")
        assert [row.number for row in preview.context["result"].invalid_rows] == [5, 6]
        assert not Agency.objects.exists()

    def test_an_unreadable_file_is_refused_on_the_form(self, client, it_staff):
        preview = upload(client, (DATA / "image.png").read_bytes(), "danh-sach.csv")
        errors = preview.context["form"].errors["import_file"]
        assert "Excel" in errors[0]
        assert not Mailbox.objects.exists()

    def test_wrong_headers_are_named(self, client, it_staff):
        content = csv_file(*LIST, header=HEADER.replace("Thư điện tử", "Hộp thư"))
        preview = upload(client, content)
        errors = " ".join(preview.context["form"].errors["import_file"])
        assert "Hộp thư" in errors and "Thư điện tử" in errors


class TestScopeAndPermissions:
    def test_a_focal_officers_file_naming_another_agency_is_refused(
        self, client, department, tay_ninh
    ):
        other = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh", code="000.33.00.H60")
        make_mailbox(other, "snv@tayninh.gov.vn")
        client.force_login(make_staff("focal_a", Role.Kind.FOCAL, agency=department))
        preview = upload(client, csv_file(LIST[0].replace("cơ quan,có", "cơ quan,không")))
        invalid = preview.context["result"].invalid_rows
        assert [row.number for row in invalid] == [2]
        assert Mailbox.objects.get(address="snv@tayninh.gov.vn").published is True

    def test_admin_access_alone_does_not_import_or_export(self, client, department):
        clerk = make_staff("xem", Role.Kind.FOCAL, agency=department)
        clerk.groups.clear()
        clerk.user_permissions.add(Permission.objects.get(codename="view_mailbox"))
        client.force_login(clerk)
        assert client.get(reverse("admin:agencies_mailbox_changelist")).status_code == 200
        assert client.get(IMPORT_URL).status_code == 403
        assert client.get(reverse("admin:agencies_mailbox_export")).status_code == 403

    def test_the_import_button_shows_for_those_who_may(self, client, it_staff):
        html = client.get(reverse("admin:agencies_mailbox_changelist")).content.decode()
        assert IMPORT_URL in html
        assert reverse("admin:agencies_mailbox_export") in html


class TestAdminExport:
    def test_exports_the_scope_published_or_not(self, client, department, gia_lai):
        make_mailbox(
            make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai", code="000.33.00.H21"),
            "snv@gialai.gov.vn",
        )
        make_mailbox(department, "noibo@longan.gov.vn", published=False)
        client.force_login(make_staff("focal_a", Role.Kind.FOCAL, agency=department))
        response = client.get(reverse("admin:agencies_mailbox_export"), {"file_format": "csv"})
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        assert "noibo@longan.gov.vn" in content and "duhv@longan.gov.vn" in content
        assert "snv@gialai.gov.vn" not in content
