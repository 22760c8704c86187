import pytest
from django.core.management import call_command


@pytest.fixture
def demo(transactional_db):
    call_command("load_divisions", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_citizen_finds_an_agency_typing_without_diacritics(live_server, page, demo):
    page.goto(live_server.url)
    page.get_by_label("Họ tên, cơ quan hoặc địa chỉ thư").fill("so thong tin long an")
    page.get_by_role("button", name="Tìm kiếm").click()

    first = page.locator(".result").first
    assert first.get_by_role("link", name="stt@longan.gov.vn").get_attribute("href") == (
        "mailto:stt@longan.gov.vn"
    )
    first.get_by_role("link", name="Sở Thông tin và Truyền thông tỉnh Long An").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sở Thông tin và Truyền thông tỉnh Long An"
    )
    assert page.get_by_role("link", name="stt@longan.gov.vn").is_visible()
    assert page.url.endswith("/tinh/tay-ninh/so-thong-tin-va-truyen-thong-tinh-long-an/")


def test_pages_fit_a_320_pixel_phone(live_server, page, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in [
        "/",
        "/search/?q=long+an",
        "/tinh/tay-ninh/",
        "/tinh/tay-ninh/so-thong-tin-va-truyen-thong-tinh-long-an/",
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_keyboard_alone_reaches_the_search(live_server, page, demo):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    page.get_by_label("Họ tên, cơ quan hoặc địa chỉ thư").focus()
    page.keyboard.type("dong nai")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=dong+nai*")
    assert page.locator(".result").count() >= 3


def test_english_switcher_works_without_javascript(live_server, browser, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url)
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Find an official e-mail address"
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
