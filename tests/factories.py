"""Small builders for test data: explicit, no magic, one line per record in a test."""

from agencies.models import Agency, Mailbox, MailDomain, Official, Province
from agencies.text import vietnamese_slug


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
