import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import search

from .factories import make_agency, make_mailbox, make_official


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


SERIAL = itertools.count()


def grow(agency, count):
    """Add `count` units, each with a mailbox and a published official."""
    for number in itertools.islice(SERIAL, count):
        unit = make_agency(name=f"Phòng số {agency.pk}-{number}", parent=agency)
        make_mailbox(unit, f"phong{agency.pk}x{number}@longan.gov.vn")
        official = make_official(agency, f"Nguyễn Văn Số {number}", "Chuyên viên")
        make_mailbox(agency, f"so{agency.pk}x{number}@longan.gov.vn", official=official)


class TestHome:
    def test_lists_provinces_with_a_search_box(self, client, department, gia_lai):
        response = client.get("/")
        html = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="vi">' in html
        assert 'role="search"' in html
        assert 'href="/tinh/tay-ninh/"' in html
        assert 'href="/tinh/gia-lai/"' in html
        assert "Tra cứu địa chỉ thư điện tử công vụ" in html


class TestSearchPage:
    def test_results_link_address_owner_path_and_province(self, client, department):
        unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
        make_mailbox(unit, "ttcntt@longan.gov.vn")
        response = client.get("/search/", {"q": "trung tam cong nghe long an"})
        html = response.content.decode()
        assert 'href="mailto:ttcntt@longan.gov.vn"' in html
        assert f'href="{department.get_absolute_url()}"' in html
        assert f'href="{unit.get_absolute_url()}"' in html
        assert "Tây Ninh" in html

    def test_official_shows_name_and_position(self, client, department):
        html = client.get("/search/", {"q": "vi du"}).content.decode()
        assert "Hoàng Văn Ví Dụ, Giám đốc" in html
        assert 'href="mailto:duhv@longan.gov.vn"' in html

    def test_is_paginated(self, client, department, settings):
        settings.DIRECTORY_PAGE_SIZE = 2
        grow(department, 3)
        first = client.get("/search/", {"q": "long an"})
        assert first.context["page"].paginator.num_pages == 4
        assert 'rel="next"' in first.content.decode()
        last = client.get("/search/", {"q": "long an", "page": 4})
        assert len(last.context["page"].object_list) == 2

    def test_says_more_than_the_limit_when_there_are_more(self, client, department, monkeypatch):
        monkeypatch.setattr(search, "COUNT_LIMIT", 2)
        client.cookies["django_language"] = "en"
        grow(department, 1)
        html = client.get("/search/", {"q": "long an"}).content.decode()
        assert "More than 2 addresses found" in html
        assert "Add a word" in html
        html = client.get("/search/", {"q": "vi du"}).content.decode()
        assert "1 address found" in html and "More than" not in html

    def test_without_a_query_shows_only_the_form(self, client, department):
        response = client.get("/search/")
        assert response.status_code == 200
        assert response.context["page"] is None

    def test_query_count_does_not_grow_with_results(self, client, department):
        url = "/search/?q=long+an"
        grow(department, 1)
        before = queries_for(client, url)
        grow(department, 10)
        assert queries_for(client, url) == before <= 5


class TestProvincePage:
    def test_shows_the_agency_tree(self, client, department):
        unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
        html = client.get("/tinh/tay-ninh/").content.decode()
        assert f'href="{department.get_absolute_url()}"' in html
        assert f'href="{unit.get_absolute_url()}"' in html
        assert html.index(department.name) < html.index(unit.name)

    def test_groups_top_level_agencies_by_kind(self, client, department, tay_ninh):
        make_agency(tay_ninh, "Ủy ban nhân dân xã Mỹ An", kind="commune_committee")
        html = client.get("/tinh/tay-ninh/").content.decode()
        departments = html.index("<h3>Sở, ban, ngành</h3>")
        communes = html.index("<h3>Ủy ban nhân dân xã, phường, đặc khu</h3>")
        assert departments < html.index(department.name) < communes
        assert communes < html.index("Ủy ban nhân dân xã Mỹ An")

    def test_hides_unpublished_agencies(self, client, department, tay_ninh):
        make_agency(tay_ninh, "Ban Bí mật Nội bộ", published=False)
        assert "Ban Bí mật Nội bộ" not in client.get("/tinh/tay-ninh/").content.decode()

    def test_unknown_province_is_404(self, client, db):
        assert client.get("/tinh/khong-co/").status_code == 404

    def test_query_count_is_constant(self, client, department):
        before = queries_for(client, "/tinh/tay-ninh/")
        grow(department, 10)
        assert queries_for(client, "/tinh/tay-ninh/") == before <= 4


class TestAgencyPage:
    def test_url_is_readable_without_diacritics(self, department):
        assert (
            department.get_absolute_url()
            == "/tinh/tay-ninh/so-thong-tin-va-truyen-thong-tinh-long-an/"
        )

    def test_shows_mailbox_officials_and_units(self, client, department):
        unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
        html = client.get(department.get_absolute_url()).content.decode()
        assert 'href="mailto:stt@longan.gov.vn"' in html
        assert "Hoàng Văn Ví Dụ" in html and "Giám đốc" in html
        assert 'href="mailto:duhv@longan.gov.vn"' in html
        assert f'href="{unit.get_absolute_url()}"' in html
        assert "000.31.00.H37" in html

    def test_unit_page_has_a_breadcrumb(self, client, department):
        unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
        response = client.get(unit.get_absolute_url())
        assert response.status_code == 200
        assert f'href="{department.get_absolute_url()}"' in response.content.decode()

    def test_hides_unpublished_people_and_mailboxes(self, client, department):
        hidden = make_official(department, "Lê Kín Đáo", published=False)
        make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
        make_mailbox(department, "noibo@longan.gov.vn", published=False)
        html = client.get(department.get_absolute_url()).content.decode()
        assert "Kín Đáo" not in html
        assert "daolk@" not in html
        assert "noibo@" not in html

    def test_unpublished_agency_is_404(self, client, department):
        department.published = False
        department.save()
        assert client.get(department.get_absolute_url()).status_code == 404

    def test_query_count_is_constant(self, client, department):
        url = department.get_absolute_url()
        before = queries_for(client, url)
        grow(department, 10)
        assert queries_for(client, url) == before <= 4


@pytest.mark.parametrize("name", ["directory:home", "directory:search"])
def test_pages_work_without_javascript(client, db, name):
    html = client.get(reverse(name)).content.decode()
    assert "<script" not in html


def test_english_is_chosen_with_the_switcher_not_by_the_browser(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="vi">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Find an official e-mail address" in html
