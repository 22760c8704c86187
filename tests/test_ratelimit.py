import json

import pytest
from django.test import RequestFactory
from django.utils import translation

from directory.ratelimit import client_ip, rate_limit

from .test_settings import PRODUCTION, manage


@pytest.fixture
def low_rates(settings):
    settings.DIRECTORY_RATE_SEARCH = "3/m"
    settings.DIRECTORY_RATE_API = "2/m"
    settings.DIRECTORY_RATE_EXPORT = "1/m"


def expected_message(seconds):
    with translation.override("vi"):
        return translation.gettext(
            "Too many requests from your address. Please wait %(seconds)s seconds, then try again."
        ) % {"seconds": seconds}


class TestLimits:
    def test_search_pages_answer_429_with_retry_after_and_a_message(
        self, client, department, low_rates
    ):
        for _ in range(3):
            assert client.get("/search/", {"q": "long an"}).status_code == 200
        response = client.get("/search/", {"q": "long an"})
        assert response.status_code == 429
        retry_after = int(response["Retry-After"])
        assert 1 <= retry_after <= 60
        html = response.content.decode()
        assert expected_message(retry_after) in html
        assert '<html lang="vi">' in html
        assert "stt@longan.gov.vn" not in html

    def test_the_verify_page_shares_the_search_budget(self, client, department, low_rates):
        for _ in range(3):
            client.get("/search/", {"q": "long an"})
        assert client.get("/verify/", {"address": "stt@longan.gov.vn"}).status_code == 429

    def test_api_answers_429_in_json(self, client, department, low_rates):
        for _ in range(2):
            assert client.get("/api/v1/search", {"q": "long an"}).status_code == 200
        response = client.get("/api/v1/verify", {"address": "stt@longan.gov.vn"})
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert int(response["Retry-After"]) >= 1
        message = json.loads(response.content)["errors"]["__all__"][0]
        assert message == expected_message(int(response["Retry-After"]))

    def test_pages_and_api_have_separate_budgets(self, client, department, low_rates):
        for _ in range(3):
            client.get("/search/", {"q": "long an"})
        assert client.get("/api/v1/search", {"q": "long an"}).status_code == 200

    def test_each_client_counts_alone(self, client, department, low_rates):
        for _ in range(3):
            client.get("/search/", {"q": "so"}, REMOTE_ADDR="203.0.113.7")
        assert client.get("/search/", {"q": "so"}, REMOTE_ADDR="203.0.113.7").status_code == 429
        assert client.get("/search/", {"q": "so"}, REMOTE_ADDR="203.0.113.8").status_code == 200

    def test_ipv6_clients_count_per_64_network(self, client, department, low_rates):
        for host in range(1, 4):
            client.get("/search/", {"q": "so"}, REMOTE_ADDR=f"2001:db8:1:2::{host}")
        assert client.get("/search/", {"q": "so"}, REMOTE_ADDR="2001:db8:1:2::99").status_code == (
            429
        )
        assert client.get("/search/", {"q": "so"}, REMOTE_ADDR="2001:db8:1:3::1").status_code == (
            200
        )

    def test_cached_pages_are_not_limited(self, client, department, low_rates):
        for _ in range(10):
            assert client.get(department.get_absolute_url()).status_code == 200

    def test_limits_can_be_turned_off(self, client, department, low_rates, settings):
        settings.RATELIMIT_ENABLE = False
        for _ in range(5):
            assert client.get("/search/", {"q": "so"}).status_code == 200


def test_downloads_have_their_own_budget(client, department, low_rates):
    assert client.get("/tai-ve/danh-ba.csv").status_code == 200
    response = client.get("/tinh/tay-ninh/tai-ve.vcf")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert client.get("/search/", {"q": "long an"}).status_code == 200
    assert client.get("/tai-ve/mau-danh-sach.csv").status_code == 200  # the blank template


def test_an_unknown_scope_is_a_programming_error(db):
    with pytest.raises(ValueError):
        rate_limit("exports")


class TestClientAddress:
    def ip(self, remote="10.0.0.2", forwarded=None, **headers):
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))

    def test_without_a_proxy_forwarded_headers_are_ignored(self, settings):
        settings.BEHIND_PROXY = False
        assert self.ip(remote="203.0.113.5", forwarded="198.51.100.1") == "203.0.113.5"

    def test_behind_a_proxy_the_right_most_address_counts(self, settings):
        settings.BEHIND_PROXY = True
        # The client wrote the left part itself; the proxy appended what it saw.
        assert self.ip(forwarded="1.2.3.4, 203.0.113.9") == "203.0.113.9"

    def test_trusted_proxies_are_skipped(self, settings):
        settings.BEHIND_PROXY = True
        settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
        assert self.ip(forwarded="1.2.3.4, 203.0.113.9, 192.0.2.10") == "203.0.113.9"

    def test_garbage_stops_the_walk(self, settings):
        settings.BEHIND_PROXY = True
        settings.TRUSTED_PROXIES = ["192.0.2.0/24"]
        assert self.ip(forwarded="203.0.113.9, nonsense, 192.0.2.10") == "10.0.0.2"
        assert self.ip(forwarded="") == "10.0.0.2"
        assert self.ip() == "10.0.0.2"

    def test_a_named_header(self, settings):
        settings.BEHIND_PROXY = True
        settings.CLIENT_IP_HEADER = "X-Real-IP"
        assert self.ip(forwarded="1.2.3.4", HTTP_X_REAL_IP=" 203.0.113.9 ") == "203.0.113.9"
        assert self.ip(HTTP_X_REAL_IP="not an address") == "10.0.0.2"

    def test_requests_through_the_proxy_are_counted_per_client(
        self, client, department, low_rates, settings
    ):
        settings.BEHIND_PROXY = True
        for _ in range(3):
            client.get("/search/", {"q": "so"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
        spoofed = "203.0.113.50, 198.51.100.1"
        assert client.get("/search/", {"q": "so"}, HTTP_X_FORWARDED_FOR=spoofed).status_code == (
            429
        )
        assert client.get(
            "/search/", {"q": "so"}, HTTP_X_FORWARDED_FOR="198.51.100.2"
        ).status_code == (200)


class TestSettings:
    def test_a_malformed_rate_stops_start_up(self):
        result = manage("check", **PRODUCTION, DIRECTORY_RATE_SEARCH="lots")
        assert result.returncode != 0
        assert "DIRECTORY_RATE_SEARCH must be a rate like 60/m" in result.stderr

    def test_malformed_trusted_proxies_stop_start_up(self):
        result = manage("check", **PRODUCTION, TRUSTED_PROXIES="10.0.0.0/8, proxy.local")
        assert result.returncode != 0
        assert "TRUSTED_PROXIES must list addresses or networks" in result.stderr

    def test_deploy_check_is_clean_with_redis(self):
        result = manage(
            "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, REDIS_URL="redis://r:6379"
        )
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout
