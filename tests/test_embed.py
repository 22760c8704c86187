import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Mailbox

from .factories import make_agency, make_mailbox, make_official


def embed_url(agency):
    return f"/embed/{agency.province.slug}/{agency.path_slug}/"


def feed_url(agency):
    return f"{embed_url(agency)}feed.json"


@pytest.fixture
def hidden(department):
    """What no embed may show: an unpublished person, an unpublished and a retired mailbox."""
    person = make_official(department, "Lê Kín Đáo", published=False)
    make_mailbox(department, "daolk@longan.gov.vn", official=person)
    make_mailbox(department, "noibo@longan.gov.vn", published=False)
    make_mailbox(department, "cu@longan.gov.vn", status="retired", retired_on=timezone.localdate())
    return ["Kín Đáo", "daolk@", "noibo@", "cu@longan"]


class TestFrame:
    def test_lists_the_agency_mailbox_and_competent_officials(self, client, department, hidden):
        response = client.get(embed_url(department))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'href="mailto:stt@longan.gov.vn"' in html
        assert "Hoàng Văn Ví Dụ" in html and 'href="mailto:duhv@longan.gov.vn"' in html
        assert f'href="{department.get_absolute_url()}"' in html
        for text in hidden:
            assert text not in html

    def test_may_be_framed_by_any_site_even_from_the_cache(self, client, department):
        for _ in range(2):
            response = client.get(embed_url(department))
            assert "X-Frame-Options" not in response
        assert client.get(department.get_absolute_url())["X-Frame-Options"] == "DENY"

    def test_is_a_whole_accessible_document_without_javascript(self, client, department):
        html = client.get(embed_url(department)).content.decode()
        assert html.startswith("<!doctype html>")
        assert '<html lang="vi">' in html
        assert "<main>" in html and "<h1>" in html
        assert "<script" not in html

    def test_unpublished_and_dissolved_agencies_have_none(self, client, department):
        unit = make_agency(name="Ban Kín", parent=department, published=False)
        dissolved = make_agency(name="Ban Cũ", parent=department, is_active=False)
        for agency in (unit, dissolved):
            assert client.get(embed_url(agency)).status_code == 404
            assert client.get(feed_url(agency)).status_code == 404

    def test_is_always_live(self, client, department):
        assert "duhv@longan.gov.vn" in client.get(embed_url(department)).content.decode()
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, timezone.localdate()
        mailbox.save()
        assert "duhv@longan.gov.vn" not in client.get(embed_url(department)).content.decode()
        assert "duhv@longan.gov.vn" not in client.get(feed_url(department)).content.decode()

    def test_query_count_is_constant(self, client, department):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(embed_url(department)).status_code == 200
                assert client.get(feed_url(department)).status_code == 200
            return len(queries)

        before = count()
        for number in range(5):
            person = make_official(department, f"Nguyễn Văn Số {number}")
            make_mailbox(department, f"so{number}@longan.gov.vn", official=person)
        assert count() == before <= 4


class TestFeed:
    def test_answers_the_list_with_cors(self, client, department, hidden):
        response = client.get(feed_url(department))
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        data = json.loads(response.content)
        assert data["agency"] == {
            "name": "Sở Thông tin và Truyền thông tỉnh Long An",
            "code": "000.31.00.H37",
            "province": "Tây Ninh",
            "url": f"http://testserver{department.get_absolute_url()}",
        }
        assert data["count"] == 2
        assert data["results"] == [
            {
                "address": "stt@longan.gov.vn",
                "name": "Sở Thông tin và Truyền thông tỉnh Long An",
                "position": None,
                "agency": "Sở Thông tin và Truyền thông tỉnh Long An",
                "agency_code": "000.31.00.H37",
                "province": "Tây Ninh",
                "kind": "agency",
            },
            {
                "address": "duhv@longan.gov.vn",
                "name": "Hoàng Văn Ví Dụ",
                "position": "Giám đốc",
                "agency": "Sở Thông tin và Truyền thông tỉnh Long An",
                "agency_code": "000.31.00.H37",
                "province": "Tây Ninh",
                "kind": "personal",
            },
        ]
        text = response.content.decode()
        for hidden_text in hidden:
            assert hidden_text not in text

    def test_cors_header_is_kept_in_the_cache(self, client, department):
        client.get(feed_url(department))
        assert client.get(feed_url(department))["Access-Control-Allow-Origin"] == "*"


def test_agency_page_offers_copy_paste_snippets(client, department):
    html = client.get(department.get_absolute_url()).content.decode()
    frame = f"http://testserver{embed_url(department)}"
    assert f'&lt;iframe src="{frame}"' in html
    assert f'href="http://testserver{feed_url(department)}"' in html
    assert "<details>" in html and "<summary>" in html
