import datetime

import pytest

from agencies.addresses import NamingPattern, agency_local_part, local_parts, propose
from agencies.models import Mailbox
from agencies.models.mailbox import UnavailableAddresses, proposed_addresses

from .factories import make_mailbox, make_official


@pytest.mark.parametrize(
    ("name", "pattern", "first"),
    [
        ("Nguyễn Minh Tân", NamingPattern.GIVEN_INITIALS, "tannm"),
        ("Nguyễn Minh Tân", NamingPattern.MIDDLE_GIVEN, "minhtan"),
        ("Nguyễn Minh Tân", NamingPattern.GIVEN_DOT_FAMILY, "tan.nguyen"),
        ("Nguyễn Minh Tân", NamingPattern.INITIALS_GIVEN, "nmtan"),
        ("Đặng Văn Đức", NamingPattern.GIVEN_INITIALS, "ducdv"),
        ("ĐỖ THỊ ĐÀO", NamingPattern.MIDDLE_GIVEN, "thidao"),
        ("Nguyễn Thị Minh Khai", NamingPattern.GIVEN_INITIALS, "khaintm"),
        ("Nguyễn Thị Minh Khai", NamingPattern.MIDDLE_GIVEN, "minhkhai"),
        ("Lê Lợi", NamingPattern.MIDDLE_GIVEN, "leloi"),
        ("Tôn Nữ Thị Ngọc Ánh", NamingPattern.GIVEN_INITIALS, "anhtntn"),
    ],
)
def test_the_provinces_pattern_comes_first(name, pattern, first):
    assert local_parts(name, pattern)[0] == first


def test_every_pattern_is_offered_once():
    assert local_parts("Nguyễn Minh Tân") == ["tannm", "minhtan", "tan.nguyen", "nmtan"]
    assert local_parts("Tèo") == ["teo"]
    assert local_parts("  ") == []


def test_agency_local_part_from_initials():
    assert agency_local_part("Sở Nội vụ") == "snv"
    assert agency_local_part("Sở Tài chính tỉnh Đồng Nai") == "stctdn"


def test_propose_skips_taken_addresses_then_numbers():
    taken = {"tannm@longan.gov.vn", "minhtan@longan.gov.vn"}
    assert propose(local_parts("Nguyễn Minh Tân"), "longan.gov.vn", taken, count=4) == [
        "tan.nguyen@longan.gov.vn",
        "nmtan@longan.gov.vn",
        "tannm2@longan.gov.vn",
        "minhtan2@longan.gov.vn",
    ]


def test_propose_with_every_short_form_taken():
    taken = {f"teo{n if n > 1 else ''}@x.gov.vn" for n in range(1, 6)}
    assert propose(["teo"], "x.gov.vn", taken, count=2) == ["teo6@x.gov.vn", "teo7@x.gov.vn"]


class TestAgainstTheDatabase:
    def test_active_addresses_are_unavailable(self, department):
        assert "stt@longan.gov.vn" in UnavailableAddresses()
        assert "free@longan.gov.vn" not in UnavailableAddresses()

    def test_a_retired_address_is_quarantined_for_others(self, department):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        mailbox.save()
        newcomer = make_official(department, "Hồ Văn Dũ")
        assert "duhv@longan.gov.vn" in UnavailableAddresses(official=newcomer)
        assert "duhv@longan.gov.vn" in UnavailableAddresses()  # a person not yet listed
        assert "duhv@longan.gov.vn" not in UnavailableAddresses(official=mailbox.official)

    def test_quarantine_ends_after_the_setting(self, department, settings):
        settings.MAILBOX_QUARANTINE_MONTHS = 12
        mailbox = make_mailbox(department, "cu@longan.gov.vn")
        mailbox.status = Mailbox.Status.RETIRED
        mailbox.retired_on = datetime.date.today() - datetime.timedelta(days=370)
        mailbox.save()
        assert "cu@longan.gov.vn" not in UnavailableAddresses()
        settings.MAILBOX_QUARANTINE_MONTHS = 24
        assert "cu@longan.gov.vn" in UnavailableAddresses()

    def test_proposals_skip_quarantined(self, department):
        mailbox = make_mailbox(department, "tannm@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        mailbox.save()
        proposals = propose(local_parts("Nguyễn Minh Tân"), "longan.gov.vn", UnavailableAddresses())
        assert proposals[0] == "minhtan@longan.gov.vn"
        assert "tannm@longan.gov.vn" not in proposals


class TestProposedAddresses:
    def test_for_an_official_on_the_primary_domain(self, department):
        assert proposed_addresses(department, full_name="Nguyễn Minh Tân")[:2] == [
            "tannm@tayninh.gov.vn",
            "minhtan@tayninh.gov.vn",
        ]

    def test_for_the_agency_itself_from_its_initials(self, department):
        assert proposed_addresses(department, for_agency=True)[0] == "sttvtttla@tayninh.gov.vn"

    def test_the_province_pattern_comes_first(self, department):
        province = department.province
        province.naming_pattern = NamingPattern.GIVEN_DOT_FAMILY
        province.save()
        department.refresh_from_db()
        assert proposed_addresses(department, full_name="Nguyễn Minh Tân")[0] == (
            "tan.nguyen@tayninh.gov.vn"
        )
