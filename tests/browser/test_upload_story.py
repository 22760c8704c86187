"""Uploading an address list in the admin, as IT staff would: a bad file is previewed with
its errors and commits nothing; a good file is previewed, confirmed and imported."""

import pytest
from django.core.management import call_command

from agencies.models import Mailbox, Province, Role

from ..factories import make_staff
from ..test_import import LIST, csv_file
from .test_request_story import log_in


@pytest.fixture
def it_staff(transactional_db):
    call_command("load_divisions", verbosity=0)
    return make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=Province.objects.get(code="80"))


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/admin/agencies/mailbox/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập danh sách").click()
    page.get_by_label("Tệp cần nhập").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi").click()


def test_a_bad_file_is_refused_and_a_good_one_imported(live_server, browser, it_staff, tmp_path):
    page = log_in(browser, live_server, "tin_hoc")
    bad = tmp_path / "danh-sach-loi.csv"
    bad.write_bytes(csv_file(*LIST, LIST[1].replace("ptc.snv@tayninh.gov.vn", "ptc.snv@gmail")))
    upload(page, live_server, bad)
    errors = page.locator("table.import-preview").inner_text()
    assert "Một số dòng có lỗi" in page.content()
    assert errors.splitlines()[1].startswith("6\t")
    assert "không phải địa chỉ thư điện tử hợp lệ" in errors and "ptc.snv@gmail" in errors
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    assert not Mailbox.objects.exists()

    good = tmp_path / "danh-sach.csv"
    good.write_bytes(csv_file(*LIST))
    upload(page, live_server, good)
    assert "Sẽ tạo mới: 4. Sẽ cập nhật: 0. Không đổi: 0." in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập").click()
    assert page.locator(".messagelist .success").count() == 1
    assert Mailbox.objects.count() == 4
    assert page.get_by_role("link", name="hadtn@tayninh.gov.vn").is_visible()
