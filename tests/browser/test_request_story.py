"""The whole life of a mailbox, played in the browser as its users would.

A focal officer files a new-mailbox request and picks a proposed address; IT staff approve
it and mark it done; the address appears on the public agency page. Then a retire request
takes it off the page and out of search, while the admin history keeps both states.
"""

import re

import pytest
from django.core.management import call_command

from agencies.models import Agency, Role

from ..factories import make_staff

AGENCY = "Sở Thông tin và Truyền thông tỉnh Long An"
PASSWORD = "a-long-password"


@pytest.fixture
def story(transactional_db):
    call_command("load_divisions", verbosity=0)
    call_command("load_demo", verbosity=0)
    agency = Agency.objects.get(name=AGENCY)
    return {
        "agency": agency,
        "focal": make_staff("dau_moi", Role.Kind.FOCAL, agency=agency),
        "it": make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=agency.province),
    }


def log_in(browser, live_server, username):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def file_request(page, live_server, kind, letter, **fill):
    page.goto(f"{live_server.url}/admin/agencies/mailboxrequest/add/")
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_letter_number").fill(letter)
    page.locator("#id_letter_date").fill("2026-11-20")
    for label, value in fill.items():
        field = page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def save(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu lại", exact=True).click()


def decide(page, live_server, subject, *buttons):
    page.goto(f"{live_server.url}/admin/agencies/mailboxrequest/?status__exact=submitted")
    page.get_by_role("link", name=subject).click()
    for button in buttons:
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        assert page.locator(".messagelist .success").count() == 1, page.content()


def test_a_mailbox_from_request_to_retirement(live_server, browser, story):
    agency_page = live_server.url + story["agency"].get_absolute_url()

    focal = log_in(browser, live_server, "dau_moi")
    file_request(
        focal,
        live_server,
        "new",
        "25/STTTT-VP",
        **{
            "Cơ quan, đơn vị": AGENCY,
            "Hộp thư của": "hộp thư cá nhân",
            "Họ và tên": "Nguyễn Minh Tân",
            "Chức vụ": "Chuyên viên",
        },
    )
    focal.locator("#id_published").select_option("true")
    save(focal)
    assert focal.get_by_role("radio", name="minhtan@tayninh.gov.vn").is_visible()
    focal.get_by_role("radio", name="tannm@tayninh.gov.vn").check()
    save(focal)
    assert focal.locator(".messagelist .success").count() == 1

    it = log_in(browser, live_server, "tin_hoc")
    decide(it, live_server, "Cấp mới: tannm@tayninh.gov.vn", "Duyệt")
    with it.expect_navigation():
        it.get_by_role("button", name="Hoàn thành: hộp thư đã sẵn sàng").click()

    it.goto(agency_page)
    assert it.get_by_role("link", name="tannm@tayninh.gov.vn").is_visible()

    file_request(
        focal,
        live_server,
        "retire",
        "31/STTTT-VP",
        **{"Hộp thư": "tannm@tayninh.gov.vn", "Lý do": "Chuyển công tác ra khỏi tỉnh"},
    )
    save(focal)
    assert focal.locator(".messagelist .success").count() == 1

    decide(it, live_server, "Hủy bỏ: tannm@tayninh.gov.vn", "Duyệt")
    with it.expect_navigation():
        it.get_by_role("button", name="Hoàn thành: hộp thư đã sẵn sàng").click()

    it.goto(agency_page)
    assert it.get_by_role("link", name="tannm@tayninh.gov.vn").count() == 0
    it.goto(f"{live_server.url}/search/?q=nguyen+minh+tan")
    assert it.locator(".result").count() == 0

    it.goto(f"{live_server.url}/admin/agencies/mailbox/?q=tannm&status__exact=retired")
    it.get_by_role("link", name="tannm@tayninh.gov.vn").click()
    it.get_by_role("link", name="Lịch sử thay đổi").click()
    rows = it.locator("#change-history tbody tr")
    assert rows.count() == 2
    retirement, creation = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "active" in retirement and "retired" in retirement and "31/STTTT-VP" in retirement
    assert "Tạo mới" in creation and "25/STTTT-VP" in creation
