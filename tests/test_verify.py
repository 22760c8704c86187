import datetime
import json
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from agencies.models import Mailbox
from directory.verify import Verdict

from .factories import make_agency, make_mailbox, make_official

RETIRED_ON = datetime.date(2025, 7, 1)


@pytest.fixture
def directory(department):
    """Beside the department's public mailboxes: a retired one, an unpublished person's, a
    unit without a mailbox of its own, and a temporary non-government address."""
    former = make_official(department, "Trần Thị Đã Nghỉ", "Phó Giám đốc", is_active=False)
    make_mailbox(
        department,
        "danghitt@longan.gov.vn",
        official=former,
        status=Mailbox.Status.RETIRED,
        retired_on=RETIRED_ON,
    )
    hidden = make_official(department, "Lê Kín Đáo", "Chuyên viên", published=False)
    make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
    unit = make_agency(name="Phòng Bưu chính", parent=department)
    make_mailbox(
        unit,
        "buuchinh@longan.gov.vn",
        status=Mailbox.Status.RETIRED,
        retired_on=RETIRED_ON,
    )
    make_mailbox(
        department, "sotttt.longan@gmail.com", is_temporary=True, temporary_reason="Chờ hạ tầng"
    )
    return department


def verify_json(client, address):
    response = client.get("/api/v1/verify", {"address": address})
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def advice(status, address="x@y.gov.vn", **fields):
    """The advice as the page shows it (in Vietnamese, HTML-escaped)."""
    with translation.override("vi"):
        return escape(str(Verdict(address, status, **fields).advice))


class TestApi:
    def test_active_agency_mailbox(self, client, directory):
        status, data = verify_json(client, "stt@longan.gov.vn")
        assert status == 200
        assert data == {
            "address": "stt@longan.gov.vn",
            "status": "active",
            "agency": "Sở Thông tin và Truyền thông tỉnh Long An",
            "province": "Tây Ninh",
            "name": "Sở Thông tin và Truyền thông tỉnh Long An",
            "retired_on": None,
            "write_to": None,
        }

    def test_active_published_official(self, client, directory):
        _, data = verify_json(client, "duhv@longan.gov.vn")
        assert data["status"] == "active"
        assert data["name"] == "Hoàng Văn Ví Dụ"
        assert data["agency"] == "Sở Thông tin và Truyền thông tỉnh Long An"

    def test_unpublished_person_is_confirmed_with_the_province_only(self, client, directory):
        _, data = verify_json(client, "daolk@longan.gov.vn")
        assert data == {
            "address": "daolk@longan.gov.vn",
            "status": "active",
            "agency": None,
            "province": "Tây Ninh",
            "name": None,
            "retired_on": None,
            "write_to": None,
        }

    def test_retired_says_since_when_and_where_to_write(self, client, directory):
        _, data = verify_json(client, "danghitt@longan.gov.vn")
        assert data == {
            "address": "danghitt@longan.gov.vn",
            "status": "retired",
            "agency": "Sở Thông tin và Truyền thông tỉnh Long An",
            "province": "Tây Ninh",
            "name": None,
            "retired_on": "2025-07-01",
            "write_to": "stt@longan.gov.vn",
        }

    def test_a_unit_without_a_mailbox_sends_to_the_agency_above(self, client, directory):
        _, data = verify_json(client, "buuchinh@longan.gov.vn")
        assert data["agency"] == "Phòng Bưu chính"
        assert data["write_to"] == "stt@longan.gov.vn"

    def test_a_retired_mailbox_of_a_hidden_agency_names_no_agency(self, client, directory):
        hidden = make_agency(name="Ban Nội Bộ Kín", parent=directory, published=False)
        make_mailbox(hidden, "kin@longan.gov.vn", status="retired", retired_on=RETIRED_ON)
        _, data = verify_json(client, "kin@longan.gov.vn")
        assert data["agency"] is None
        assert data["write_to"] == "stt@longan.gov.vn"
        assert "Kín" not in json.dumps(data, ensure_ascii=False)

    def test_a_retired_address_never_published_names_no_agency(self, client, directory):
        secret = make_official(directory, "Phan Kín Cũ", published=False)
        make_mailbox(
            directory,
            "kincu@longan.gov.vn",
            official=secret,
            status="retired",
            retired_on=RETIRED_ON,
        )
        _, data = verify_json(client, "kincu@longan.gov.vn")
        assert data == {
            "address": "kincu@longan.gov.vn",
            "status": "retired",
            "agency": None,
            "province": "Tây Ninh",
            "name": None,
            "retired_on": "2025-07-01",
            "write_to": None,
        }

    @pytest.mark.parametrize("address", ["ai.do@tayninh.gov.vn", "phishing@tayninh-gov.vn"])
    def test_unknown(self, client, directory, address):
        _, data = verify_json(client, address)
        assert data == {
            "address": address,
            "status": "unknown",
            "agency": None,
            "province": None,
            "name": None,
            "retired_on": None,
            "write_to": None,
        }

    @pytest.mark.parametrize(
        "typed",
        [
            "  STT@LongAn.GOV.VN ",
            "mailto:stt@longan.gov.vn",
            "<stt@longan.gov.vn>",
            unicodedata.normalize("NFD", "STT@longan.gov.vn"),
        ],
    )
    def test_input_is_normalised(self, client, directory, typed):
        _, data = verify_json(client, typed)
        assert data["address"] == "stt@longan.gov.vn"
        assert data["status"] == "active"

    def test_unicode_is_compared_in_nfc(self, client, directory):
        decomposed = unicodedata.normalize("NFD", "thu@hà-nội.vn")
        _, data = verify_json(client, decomposed)
        assert data["address"] == unicodedata.normalize("NFC", "thu@hà-nội.vn")
        assert data["status"] == "unknown"

    @pytest.mark.parametrize("typed", ["", "Hoàng Văn Ví Dụ", "stt@", "@longan.gov.vn", "a b@c.vn"])
    def test_what_is_not_an_address_is_refused(self, client, directory, typed):
        status, data = verify_json(client, typed)
        assert status == 400
        assert list(data["errors"]) == ["address"]

    def test_only_get(self, client, db):
        assert client.post("/api/v1/verify", {"address": "a@b.gov.vn"}).status_code == 405

    def test_query_count_is_constant(self, client, directory):
        counts = {}
        for address in [
            "stt@longan.gov.vn",
            "daolk@longan.gov.vn",
            "danghitt@longan.gov.vn",
            "ai.do@tayninh.gov.vn",
        ]:
            with CaptureQueriesContext(connection) as queries:
                client.get("/api/v1/verify", {"address": address})
            counts[address] = len(queries)
        assert max(counts.values()) <= 3, counts


class TestPage:
    def page(self, client, address):
        response = client.get("/verify/", {"address": address})
        assert response.status_code == 200
        return response.content.decode()

    def test_is_linked_from_every_page(self, client, db):
        assert 'href="/verify/"' in client.get("/").content.decode()

    def test_empty_form(self, client, db):
        html = client.get("/verify/").content.decode()
        assert 'name="address"' in html
        assert 'class="verdict' not in html

    def test_active_public_address_names_owner_and_links_the_agency(self, client, directory):
        html = self.page(client, "duhv@longan.gov.vn")
        assert "Hoàng Văn Ví Dụ" in html
        assert f'href="{directory.get_absolute_url()}"' in html
        assert advice("active") in html

    def test_unpublished_person_is_never_named(self, client, directory):
        html = self.page(client, "daolk@longan.gov.vn")
        assert "Kín Đáo" not in html
        assert "Tây Ninh" in html
        assert 'class="verdict verdict-active"' in html

    def test_retired_address(self, client, directory):
        html = self.page(client, "danghitt@longan.gov.vn")
        assert "Đã Nghỉ" not in html
        assert "01/07/2025" in html
        assert 'href="mailto:stt@longan.gov.vn"' in html
        assert advice("retired", write_to="stt@longan.gov.vn") in html

    def test_non_government_address_gets_the_gov_vn_advice(self, client, directory):
        html = self.page(client, "thong.bao@tayninh-gov.com")
        expected = advice("unknown", address="thong.bao@tayninh-gov.com")
        assert expected in html
        assert expected != advice("unknown")
        assert ".gov.vn" in expected

    def test_temporary_address_is_active_with_its_own_advice(self, client, directory):
        html = self.page(client, "sotttt.longan@gmail.com")
        assert 'class="verdict verdict-active"' in html
        assert advice("active", temporary=True) in html

    def test_unknown_government_address(self, client, directory):
        html = self.page(client, "ai.do@tayninh.gov.vn")
        assert 'class="verdict verdict-unknown"' in html
        assert advice("unknown") in html

    def test_refuses_what_is_not_an_address(self, client, db):
        html = self.page(client, "Nguyễn Văn An")
        assert 'aria-invalid="true"' in html
        assert 'id="verify-error"' in html
        assert 'class="verdict' not in html

    def test_works_without_javascript(self, client, directory):
        assert "<script" not in self.page(client, "stt@longan.gov.vn")

    def test_query_count_is_constant(self, client, directory):
        counts = set()
        for address in ["duhv@longan.gov.vn", "daolk@longan.gov.vn", "danghitt@longan.gov.vn"]:
            with CaptureQueriesContext(connection) as queries:
                self.page(client, address)
            counts.add(len(queries))
        assert max(counts) <= 3, counts
