import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from agencies.models import Agency, Mailbox
from agencies.validators import validate_agency_code

from .factories import make_agency, make_mailbox, make_official


def raw_insert_mailbox(
    agency,
    address,
    kind="agency",
    official=None,
    temporary=False,
    reason="",
    status="active",
    retired_on=None,
):
    """Write straight to the table, as a careless script would, bypassing model code."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agencies_mailbox (address, kind, agency_id, official_id, status, "
            "published, is_temporary, temporary_reason, retired_on, search_key, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, %s)",
            [
                address,
                kind,
                agency.pk,
                official and official.pk,
                status,
                True,
                temporary,
                reason,
                retired_on,
                "2026-01-01 00:00:00+00:00",
                "2026-01-01 00:00:00+00:00",
            ],
        )


class TestMailboxAddress:
    def test_is_stored_lower_case_nfc(self, department):
        mailbox = make_mailbox(department, "  VanThu@LongAn.GOV.VN ")
        mailbox.refresh_from_db()
        assert mailbox.address == "vanthu@longan.gov.vn"

    def test_lookup_ignores_case(self, department):
        assert Mailbox.objects.get(address="STT@LONGAN.gov.vn").address == "stt@longan.gov.vn"

    def test_is_unique_whatever_the_case(self, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_mailbox(department, "STT@longan.gov.vn")

    def test_retired_address_still_blocks_a_duplicate(self, department):
        mailbox = Mailbox.objects.get(address="stt@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date(2025, 7, 1)
        mailbox.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            make_mailbox(department, "stt@longan.gov.vn")

    def test_database_refuses_upper_case_written_raw(self, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "Raw@longan.gov.vn")

    def test_form_validation_sees_the_duplicate_before_the_database(self, department):
        mailbox = Mailbox(agency=department, address="STT@LongAn.gov.vn", kind="agency")
        with pytest.raises(ValidationError) as error:
            mailbox.full_clean()
        assert "address" in error.value.message_dict

    @pytest.mark.parametrize(
        "address",
        [
            "stt",
            "stt@",
            "@longan.gov.vn",
            "s tt@longan.gov.vn",
            "stt@@longan.gov.vn",
            "stt..x@longan.gov.vn",
            "thư@longan.gov.vn",
            ".stt@longan.gov.vn",
        ],
    )
    def test_syntax_is_checked(self, department, address):
        with pytest.raises(ValidationError) as error:
            Mailbox(agency=department, address=address, kind="agency").full_clean()
        assert "address" in error.value.message_dict


class TestMailboxRules:
    def test_non_government_domain_needs_the_temporary_flag_and_a_reason(self, department):
        mailbox = Mailbox(agency=department, address="ubndxa@gmail.com", kind="agency")
        with pytest.raises(ValidationError) as error:
            mailbox.full_clean()
        assert error.value.error_dict["address"][0].code == "not_government_domain"
        mailbox.is_temporary = True
        with pytest.raises(ValidationError) as error:
            mailbox.full_clean()
        assert error.value.error_dict["temporary_reason"][0].code == "temporary_without_reason"
        mailbox.temporary_reason = "Xã chưa có hạ tầng thư công vụ"
        mailbox.full_clean()

    def test_database_refuses_non_government_domain_without_flag(self, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "ubndxa@gmail.com")
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "ubndxa@gmail.com", temporary=True)
        raw_insert_mailbox(department, "ubndxa@gmail.com", temporary=True, reason="Chưa có hạ tầng")

    def test_database_refuses_a_personal_mailbox_without_official(self, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "nobody@longan.gov.vn", kind="personal")

    def test_database_refuses_an_agency_mailbox_with_an_official(self, department):
        official = department.officials.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "x@longan.gov.vn", kind="agency", official=official)

    def test_database_refuses_retired_without_date(self, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            raw_insert_mailbox(department, "old@longan.gov.vn", status="retired")

    def test_personal_mailbox_must_be_in_the_officials_agency(self, department, gia_lai):
        other = make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai")
        official = department.officials.get()
        mailbox = Mailbox(
            agency=other, official=official, address="x@gialai.gov.vn", kind="personal"
        )
        with pytest.raises(ValidationError) as error:
            mailbox.full_clean()
        assert error.value.error_dict["agency"][0].code == "agency_mismatch"


class TestAgencyTree:
    def test_paths_follow_the_parent(self, tay_ninh):
        committee = make_agency(tay_ninh, "Ủy ban nhân dân tỉnh Tây Ninh")
        office = make_agency(name="Văn phòng UBND tỉnh", parent=committee)
        centre = make_agency(name="Trung tâm Tin học", parent=office)
        assert centre.depth == 2
        assert centre.ancestor_ids == [committee.pk, office.pk]
        assert (
            centre.path_slug
            == "uy-ban-nhan-dan-tinh-tay-ninh/van-phong-ubnd-tinh/trung-tam-tin-hoc"
        )
        assert list(Agency.objects.subtree(office)) == [office, centre]
        assert list(centre.ancestors()) == [committee, office]

    def test_siblings_with_the_same_name_get_distinct_slugs(self, tay_ninh):
        first = make_agency(tay_ninh, "Phòng Kinh tế")
        second = make_agency(tay_ninh, "Phòng Kinh tế")
        assert (first.slug, second.slug) == ("phong-kinh-te", "phong-kinh-te-2")

    def test_moving_an_agency_moves_its_units_and_their_search_keys(self, tay_ninh, gia_lai):
        old_parent = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh")
        new_parent = make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai")
        unit = make_agency(name="Phòng Tổ chức", parent=old_parent)
        team = make_agency(name="Tổ Văn thư", parent=unit)
        mailbox = make_mailbox(team, "vanthu@tayninh.gov.vn")

        unit.parent = new_parent
        unit.save()

        team.refresh_from_db()
        mailbox.refresh_from_db()
        assert team.province == gia_lai
        assert team.ancestor_ids == [new_parent.pk, unit.pk]
        assert team.path_slug == "so-noi-vu-tinh-gia-lai/phong-to-chuc/to-van-thu"
        assert " gia lai " in mailbox.search_key
        assert " tay ninh " not in mailbox.search_key

    def test_renaming_refreshes_search_keys_below(self, department):
        department.name = "Sở Khoa học và Công nghệ tỉnh Long An"
        department.save()
        assert (
            " khoa hoc va cong nghe " in Mailbox.objects.get(address="stt@longan.gov.vn").search_key
        )

    def test_an_agency_cannot_be_placed_below_itself(self, tay_ninh):
        top = make_agency(tay_ninh, "Ủy ban nhân dân tỉnh")
        unit = make_agency(name="Văn phòng", parent=top)
        top.parent = unit
        with pytest.raises(ValidationError) as error:
            top.clean()
        assert error.value.error_dict["parent"][0].code == "tree_cycle"


@pytest.mark.parametrize("code", ["000.00.31.H56", "H56", "G12.01", "A" * 35])
def test_valid_agency_codes(code):
    validate_agency_code(code)


@pytest.mark.parametrize(
    "code", ["000..31", ".H56", "h56", "000-00-31", "A" * 36, "000.00.31.H56."]
)
def test_invalid_agency_codes(code):
    with pytest.raises(ValidationError):
        validate_agency_code(code)


def test_official_rename_updates_mailbox_search_key(department):
    official = department.officials.get()
    official.full_name = "Hoàng Văn Đổi Tên"
    official.save()
    assert " doi ten " in Mailbox.objects.get(address="duhv@longan.gov.vn").search_key


def test_official_moving_agency_takes_the_mailbox_along(department, tay_ninh):
    other = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh")
    official = make_official(department, "Trần Thị Chuyển")
    mailbox = make_mailbox(department, "chuyentt@longan.gov.vn", official=official)
    official.agency = other
    official.save()
    mailbox.refresh_from_db()
    assert mailbox.agency == other
    assert " noi vu " in mailbox.search_key


class TestOwnerChanges:
    """The admin's change form validates with Mailbox.clean: the quarantine holds there too."""

    def test_an_address_in_use_does_not_pass_to_someone_else(self, department):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.official = make_official(department, "Người Khác")
        with pytest.raises(ValidationError) as error:
            mailbox.full_clean()
        assert error.value.error_dict["official"][0].code == "owner_change"

    def test_a_retired_address_goes_to_someone_else_only_after_the_quarantine(self, department):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        mailbox.save()
        newcomer = make_official(department, "Người Mới")
        mailbox.status, mailbox.retired_on, mailbox.official = Mailbox.Status.ACTIVE, None, newcomer
        with pytest.raises(ValidationError):
            mailbox.full_clean()
        Mailbox.objects.filter(pk=mailbox.pk).update(
            retired_on=datetime.date.today() - datetime.timedelta(days=400)
        )
        mailbox.full_clean()

    def test_the_same_person_gets_it_back(self, department):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        mailbox.save()
        mailbox.status, mailbox.retired_on = Mailbox.Status.ACTIVE, None
        mailbox.full_clean()
