"""Every public page template passes axe-core with no violation, in both languages, works by
keyboard alone and fits a 320 px wide screen."""

import pytest
from django.core.management import call_command

from .axe import axe_script, violations
from .conftest import missing

AGENCY = "/tinh/tay-ninh/so-thong-tin-va-truyen-thong-tinh-long-an/"
UNIT = "/tinh/tay-ninh/uy-ban-nhan-dan-tinh-tay-ninh/van-phong-uy-ban-nhan-dan-tinh-tay-ninh/"
PAGES = {
    "home": "/",
    "search form": "/search/",
    "search with results": "/search/?q=long+an",
    "search without results": "/search/?q=zzqx",
    "search with an error": "/search/?province=khong-co&q=so",
    "province": "/tinh/tay-ninh/",
    "agency": AGENCY,
    "unit": UNIT,
    "verify form": "/verify/",
    "verify: active, published": "/verify/?address=stt%40longan.gov.vn",
    "verify: active, not published": "/verify/?address=hoalm%40tayninh.gov.vn",
    "verify: retired": "/verify/?address=tamvt%40longan.gov.vn",
    "verify: unknown": "/verify/?address=ai.do%40tayninh.gov.vn",
    "verify: not a government address": "/verify/?address=ubnd.tayninh%40gmail.com",
    "verify: not an address": "/verify/?address=Nguy%E1%BB%85n+V%C4%83n+An",
    "embed": f"/embed/tay-ninh/{AGENCY.removeprefix('/tinh/tay-ninh/')}",
    "not found": "/tinh/khong-co/",
}


@pytest.fixture(scope="session")
def axe():
    return axe_script(missing)


@pytest.fixture
def demo(transactional_db):
    call_command("load_divisions", verbosity=0)
    call_command("load_demo", verbosity=0)


@pytest.fixture
def no_limits(settings):
    settings.RATELIMIT_ENABLE = False


def audit(page, url, axe):
    response = page.goto(url)
    return response.status, violations(page, axe)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_public_page_passes_axe(live_server, browser, axe, demo, no_limits, language):
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        status, problems = audit(page, live_server.url + path, axe)
        assert status == (404 if name == "not found" else 200), name
        assert page.locator("html").get_attribute("lang") == language, name
        if problems:
            found[name] = problems
    page.goto(live_server.url + AGENCY)
    page.locator("summary").click()
    if problems := violations(page, axe):
        found["agency, embed snippets open"] = problems
    context.close()
    assert found == {}


def test_the_rate_limit_page_passes_axe(live_server, page, axe, demo, settings):
    settings.DIRECTORY_RATE_SEARCH = "1/m"
    page.goto(live_server.url + "/search/?q=so")
    response = page.goto(live_server.url + "/search/?q=so")
    assert response.status == 429
    assert violations(page, axe) == []


def test_new_pages_fit_a_320_pixel_phone(live_server, page, demo, no_limits):
    page.set_viewport_size({"width": 320, "height": 640})
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
    page.goto(live_server.url + AGENCY)
    page.locator("summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_keyboard_alone_checks_an_address(live_server, page, demo, no_limits):
    page.goto(live_server.url)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/verify/":
            break
    else:
        pytest.fail("the verification page cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify/")
    page.keyboard.press("Tab")
    for _ in range(15):
        if page.evaluate("document.activeElement.name") == "address":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("TAMVT@longan.gov.vn")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify/?address=*")
    assert page.locator(".verdict-retired").is_visible()
    assert page.get_by_role("link", name="snv@longan.gov.vn").is_visible()


def test_embed_snippets_open_by_keyboard(live_server, page, demo):
    page.goto(live_server.url + AGENCY)
    page.locator("summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".snippet").first.is_visible()
    assert "/embed/tay-ninh/" in page.locator(".snippet").first.inner_text()


def test_vietnamese_text_is_marked_as_such_on_english_pages(live_server, browser, demo):
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + AGENCY)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").get_attribute("lang") == "vi"
    assert page.locator(".officials tbody").get_attribute("lang") == "vi"
    assert page.locator("#language-select option[value=vi]").get_attribute("lang") == "vi"
    assert page.locator("#language-select option[value=en]").get_attribute("lang") == "en"
    context.close()
