import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.cache import directory_changed

from .factories import make_agency

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", NS)]


def test_lists_the_pages_of_public_agencies_only(client, department, tay_ninh):
    unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
    make_agency(tay_ninh, "Ban Kín", published=False)
    make_agency(tay_ninh, "Ban Đã Giải Thể", is_active=False)
    assert sorted(locations(client)) == sorted(
        f"http://testserver{agency.get_absolute_url()}" for agency in (department, unit)
    )


def test_has_no_home_search_api_verify_or_province_pages(client, department):
    for url in locations(client):
        assert url.startswith("http://testserver/tinh/tay-ninh/")
        assert url != "http://testserver/tinh/tay-ninh/"


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_search(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/search/", "/verify/", "/api/", "/admin/"):
        assert f"Disallow: {path}" in lines


def test_query_count_is_constant(client, department):
    def count():
        directory_changed()  # a fresh rendering
        with CaptureQueriesContext(connection) as queries:
            locations(client)
        return len(queries)

    before = count()
    for number in range(5):
        make_agency(name=f"Phòng số {number}", parent=department)
    assert count() == before <= 2
