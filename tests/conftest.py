import uuid

import pytest
from django.core.cache import caches

from .factories import forget_prefix, make_agency, make_mailbox, make_official, make_province


@pytest.fixture
def tay_ninh(db):
    province = make_province("80", "Tây Ninh", "tayninh.gov.vn")
    province.domains.create(name="longan.gov.vn", note="Long An trước 01/7/2025")
    return province


@pytest.fixture
def gia_lai(db):
    return make_province("52", "Gia Lai", "gialai.gov.vn")


@pytest.fixture
def department(tay_ninh):
    """Sở Thông tin và Truyền thông tỉnh Long An, now in Tây Ninh, with its mailbox and a
    published official."""
    agency = make_agency(
        tay_ninh,
        "Sở Thông tin và Truyền thông tỉnh Long An",
        code="000.31.00.H37",
        kind="department",
    )
    make_mailbox(agency, "stt@longan.gov.vn")
    director = make_official(agency, "Hoàng Văn Ví Dụ", "Giám đốc")
    make_mailbox(agency, "duhv@longan.gov.vn", official=director)
    return agency


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """A cache of the test's own: cached pages and rate-limit counts of other tests must not
    leak into it, nor out of it. The local-memory cache is emptied before and after; a shared
    Redis (REDIS_URL set when the suite runs) is never flushed: the test gets a key prefix of
    its own, whose keys are deleted afterwards."""
    local = [  # these very ones are emptied afterwards, whatever the test sets
        caches[alias]
        for alias, config in settings.CACHES.items()
        if config["BACKEND"].endswith("LocMemCache")
    ]
    for memory in local:
        memory.clear()
    config = settings.CACHES["default"]
    shared = not config["BACKEND"].endswith("LocMemCache")
    if shared:
        prefix = f"danhba-test-{uuid.uuid4().hex}"
        settings.CACHES = {**settings.CACHES, "default": {**config, "KEY_PREFIX": prefix}}
    yield
    for memory in local:
        memory.clear()
    if shared:
        forget_prefix(config["LOCATION"], prefix)
