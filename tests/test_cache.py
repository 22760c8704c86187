import os
import uuid

import pytest
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from agencies.models import Mailbox
from directory.cache import VERSION_KEY, directory_changed, new_version

from .factories import forget_prefix, make_agency, make_mailbox, make_official


def bulk_unpublish(address):
    """A write that bypasses save() and its signals, as bulk writers do: it keeps the stored
    publication flag right itself."""
    mailboxes = Mailbox.objects.filter(address=address)
    mailboxes.update(published=False)
    mailboxes.refresh_public()


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.queries = len(queries)
    return response


def cached_pages(department):
    return [
        "/",
        "/tinh/tay-ninh/",
        department.get_absolute_url(),
        f"/embed/tay-ninh/{department.path_slug}/",
        f"/embed/tay-ninh/{department.path_slug}/feed.json",
        "/sitemap.xml",
        "/robots.txt",
    ]


class TestHits:
    def test_public_pages_are_answered_from_the_cache_without_a_query(self, client, department):
        for url in cached_pages(department):
            first = get(client, url)
            again = get(client, url)
            assert first.status_code == again.status_code == 200, url
            assert again.content == first.content, url
            assert again.queries == 0, url
            assert again["ETag"] == first["ETag"], url
            assert again["Content-Type"] == first["Content-Type"], url

    @pytest.mark.parametrize(
        "url",
        ["/search/?q=long+an", "/api/v1/search?q=long+an", "/verify/?address=stt@longan.gov.vn"],
    )
    def test_search_api_and_verify_are_never_cached(self, client, department, url):
        get(client, url)
        again = get(client, url)
        assert again.status_code == 200
        assert again.queries > 0
        assert "ETag" not in again

    def test_made_up_query_strings_are_answered_but_not_kept(self, client, department):
        get(client, "/?utm_source=spam")
        assert get(client, "/?utm_source=spam").queries > 0
        assert get(client, "/").queries > 0  # the plain page is a key of its own
        assert get(client, "/").queries == 0

    def test_staff_with_a_session_bypass_the_cache(self, client, department):
        get(client, "/")
        client.cookies["sessionid"] = "anything"
        assert get(client, "/").queries > 0

    def test_each_language_has_its_own_copy(self, client, department):
        vietnamese = client.get("/").content.decode()
        client.cookies["django_language"] = "en"
        english = client.get("/").content.decode()
        assert '<html lang="vi">' in vietnamese
        assert '<html lang="en">' in english
        assert "Find an official e-mail address" in english
        client.cookies["django_language"] = "xx"  # unknown: Vietnamese, from the same copy
        assert get(client, "/").content.decode() == vietnamese

    def test_head_is_answered_from_the_cache_without_a_body(self, client, department):
        full = client.get("/")
        with CaptureQueriesContext(connection) as queries:
            head = client.head("/")
        assert len(queries) == 0
        assert head.status_code == 200
        assert head.content == b""
        assert head["Content-Length"] == str(len(full.content))

    def test_pages_are_stored_with_their_security_headers(self, client, department, settings):
        client.get(department.get_absolute_url())
        hit = get(client, department.get_absolute_url())
        assert hit.queries == 0
        assert hit["X-Frame-Options"] == "DENY"
        assert hit["X-Content-Type-Options"] == "nosniff"
        assert hit["Referrer-Policy"] == "same-origin"
        assert hit["Content-Language"] == "vi"
        assert "Set-Cookie" not in hit

    def test_a_cached_page_still_redirects_to_https(self, client, department, settings):
        client.get("/")
        settings.SECURE_SSL_REDIRECT = True
        client.handler.load_middleware()  # the security middleware reads settings once
        response = client.get("/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/"

    def test_a_cached_page_still_refuses_unknown_hosts(self, client, department, settings):
        client.get("/")
        settings.ALLOWED_HOSTS = ["danhba.tayninh.gov.vn"]
        assert client.get("/").status_code == 400

    def test_hosts_do_not_share_copies(self, client, department, settings):
        settings.ALLOWED_HOSTS = ["danhba.tayninh.gov.vn", "danhba.gialai.gov.vn"]
        client.get("/robots.txt", HTTP_HOST="danhba.tayninh.gov.vn")
        other = client.get("/robots.txt", HTTP_HOST="danhba.gialai.gov.vn").content.decode()
        assert "http://danhba.gialai.gov.vn/sitemap.xml" in other

    def test_the_cache_can_be_turned_off(self, client, department, settings):
        settings.DIRECTORY_PAGE_CACHE_SECONDS = 0
        client.get("/")
        response = get(client, "/")
        assert response.queries > 0
        assert "ETag" not in response


class TestConditionalGet:
    def test_if_none_match_answers_304(self, client, department):
        etag = client.get(department.get_absolute_url())["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(department.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert len(queries) == 0
        assert response["ETag"] == etag

    def test_if_modified_since_answers_304(self, client, department):
        last_modified = client.get("/")["Last-Modified"]
        assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    def test_first_visit_with_a_stale_validator_gets_the_page(self, client, department):
        response = client.get("/", HTTP_IF_NONE_MATCH='"something-else"')
        assert response.status_code == 200

    def test_a_change_makes_old_validators_fail(self, client, department):
        url = department.get_absolute_url()
        first = client.get(url)
        department.phone = "0272 3826 123"
        department.save()
        response = client.get(
            url,
            HTTP_IF_NONE_MATCH=first["ETag"],
            HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
        )
        assert response.status_code == 200
        assert response["ETag"] != first["ETag"]
        assert "0272 3826 123" in response.content.decode()

    def test_etags_differ_between_pages_and_languages(self, client, department):
        home = client.get("/")["ETag"]
        province = client.get("/tinh/tay-ninh/")["ETag"]
        client.cookies["django_language"] = "en"
        english_home = client.get("/")["ETag"]
        assert len({home, province, english_home}) == 3
        assert client.get("/", HTTP_IF_NONE_MATCH=home).status_code == 200


class TestInvalidation:
    """Every change a page shows is seen on the next request: the directory is always live."""

    def page(self, client, url):
        return client.get(url).content.decode()

    def test_retiring_a_mailbox_takes_it_off_every_page_at_once(self, client, department):
        pages = cached_pages(department)[2:5]
        for url in pages:
            assert "duhv@longan.gov.vn" in self.page(client, url)
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, timezone.localdate()
        mailbox.save()
        for url in pages:
            assert "duhv@longan.gov.vn" not in self.page(client, url), url

    def test_new_official_appears(self, client, department):
        url = department.get_absolute_url()
        self.page(client, url)
        make_mailbox(department, "annv@longan.gov.vn", official=make_official(department))
        assert "annv@longan.gov.vn" in self.page(client, url)

    def test_unpublished_official_disappears(self, client, department):
        url = department.get_absolute_url()
        assert "Hoàng Văn Ví Dụ" in self.page(client, url)
        official = Mailbox.objects.get(address="duhv@longan.gov.vn").official
        official.published = False
        official.save()
        assert "Hoàng Văn Ví Dụ" not in self.page(client, url)

    def test_dissolved_agency_leaves_the_province_page(self, client, department):
        assert department.name in self.page(client, "/tinh/tay-ninh/")
        department.is_active = False
        department.save()
        assert department.name not in self.page(client, "/tinh/tay-ninh/")
        assert client.get(department.get_absolute_url()).status_code == 404

    def test_renamed_province_and_deleted_domain(self, client, department, tay_ninh):
        self.page(client, "/")
        tay_ninh.name = "Tây Ninh Mới"
        tay_ninh.save()
        assert "Tây Ninh Mới" in self.page(client, "/")
        before = client.get("/")["ETag"]
        tay_ninh.domains.get(name="longan.gov.vn").delete()
        assert client.get("/")["ETag"] != before

    def test_bulk_changes_are_seen_after_directory_changed(self, client, department):
        url = department.get_absolute_url()
        assert "duhv@longan.gov.vn" in self.page(client, url)
        bulk_unpublish("duhv@longan.gov.vn")
        assert "duhv@longan.gov.vn" in self.page(client, url)  # no signal: still cached
        directory_changed()
        assert "duhv@longan.gov.vn" not in self.page(client, url)

    def test_imports_are_seen_once_they_announce_themselves(self, client, department):
        from agencies import signals

        url = department.get_absolute_url()
        client.get(url)
        bulk_unpublish("duhv@longan.gov.vn")
        signals.directory_changed.send(sender=None)
        assert "duhv@longan.gov.vn" not in self.page(client, url)

    def test_a_transaction_forgets_again_when_it_commits(
        self, department, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            make_agency(department.province, "Sở Tư pháp")
            during = cache.get(VERSION_KEY)
        assert cache.get(VERSION_KEY) != during

    def test_query_counts_of_cached_pages_do_not_grow(self, client, department):
        for url in cached_pages(department):
            first = get(client, url).queries
            make_mailbox(
                make_agency(name=f"Phòng {uuid.uuid4().hex[:6]}", parent=department),
                f"p{uuid.uuid4().hex[:6]}@longan.gov.vn",
            )
            assert get(client, url).queries == first, url


@pytest.fixture
def redis_cache(settings):
    """The cache on the Redis server REDIS_URL names, under a key prefix of this test's own
    (so nothing else on that server is touched); skipped when there is none."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    prefix = f"danhba-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix},
    }
    yield
    caches["local"].clear()
    forget_prefix(url, prefix)


class TestRedis:
    def test_pages_are_kept_and_forgotten_in_redis(self, client, department, redis_cache):
        url = department.get_absolute_url()
        client.get(url)
        assert get(client, url).queries == 0
        caches["local"].clear()  # another worker: it finds the page in Redis
        assert get(client, url).queries == 0
        make_mailbox(department, "moi@longan.gov.vn")
        assert "moi@longan.gov.vn" in client.get(url).content.decode()


@pytest.fixture
def two_tiers(settings):
    """A shared cache with each worker's copy in front, as with REDIS_URL; a second
    local-memory cache stands in for Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared-stand-in",
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "front"},
    }
    yield caches["local"], caches["default"]
    caches["local"].clear()
    caches["default"].clear()


class TestTwoTiers:
    def test_hits_are_answered_from_the_workers_own_copy(self, client, department, two_tiers):
        front, shared = two_tiers
        url = department.get_absolute_url()
        client.get(url)
        shared.clear()
        shared.set(VERSION_KEY, front.get(VERSION_KEY), None)
        assert get(client, url).queries == 0

    def test_another_worker_finds_the_page_in_the_shared_cache(self, client, department, two_tiers):
        front, _shared = two_tiers
        url = department.get_absolute_url()
        client.get(url)
        front.clear()
        assert get(client, url).queries == 0
        assert get(client, url).queries == 0

    def test_another_workers_change_is_seen_within_a_second(self, client, department, two_tiers):
        front, shared = two_tiers
        url = department.get_absolute_url()
        client.get(url)
        shared.set(VERSION_KEY, new_version(), None)  # as another worker's save does
        assert get(client, url).queries == 0  # this worker has not looked yet
        front.delete(VERSION_KEY)  # what VERSION_RECHECK_SECONDS later brings
        assert get(client, url).queries > 0

    def test_this_workers_change_is_seen_at_once(self, client, department, two_tiers):
        url = department.get_absolute_url()
        client.get(url)
        make_mailbox(department, "moi@longan.gov.vn")
        assert "moi@longan.gov.vn" in client.get(url).content.decode()


def test_a_cache_server_that_is_down_does_not_take_pages_down(client, department):
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
    }
    with override_settings(CACHES={"default": down}):
        assert client.get(department.get_absolute_url()).status_code == 200
        assert client.get("/search/", {"q": "long an"}).status_code == 200
        assert client.get("/api/v1/search", {"q": "long an"}).status_code == 200
        directory_changed()  # logged, not raised
