"""Small builders for test data: explicit, no magic, one line per record in a test."""

import datetime

from django.contrib.auth import get_user_model

from agencies.models import Agency, Mailbox, MailboxRequest, MailDomain, Official, Province, Role
from agencies.text import vietnamese_slug

User = get_user_model()


def make_province(code="80", name="Tây Ninh", domain="tayninh.gov.vn"):
    province = Province.objects.create(
        code=code,
        name=name,
        full_name=f"Tỉnh {name}",
        division_type=Province.DivisionType.PROVINCE,
        slug=vietnamese_slug(name),
    )
    MailDomain.objects.create(province=province, name=domain, is_primary=True)
    return province


def make_agency(province=None, name="Sở Nội vụ", parent=None, **fields):
    return Agency.objects.create(
        province=province or parent.province, parent=parent, name=name, **fields
    )


def make_official(
    agency, full_name="Nguyễn Văn An", position="Chuyên viên", published=True, **fields
):
    return Official.objects.create(
        agency=agency, full_name=full_name, position=position, published=published, **fields
    )


def make_mailbox(agency, address, official=None, **fields):
    kind = Mailbox.Kind.PERSONAL if official else Mailbox.Kind.AGENCY
    return Mailbox.objects.create(
        agency=agency, official=official, address=address, kind=kind, **fields
    )


def make_staff(username, kind, province=None, agency=None):
    """A staff user holding one directory role (see agencies.models.Role)."""
    user = User.objects.create_user(username, f"{username}@example.gov.vn", "a-long-password")
    Role.objects.create(user=user, kind=kind, province=province, agency=agency)
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions or roles


def file_request(agency, by, kind="new", **fields):
    """A request as a focal officer files it, with a letter reference."""
    fields.setdefault("letter_number", "12/UBND-VP")
    fields.setdefault("letter_date", datetime.date(2026, 11, 20))
    request = MailboxRequest(kind=kind, agency=agency, requested_by=by, **fields)
    request.full_clean()
    request.save()
    return request


def forget_prefix(location, prefix):
    """Delete the Redis keys of one test's cache prefix (never the whole server)."""
    import redis

    server = redis.Redis.from_url(location)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
