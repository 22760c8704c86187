import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import Mailbox, MailboxRequest, Official, Role
from directory.search import search_mailboxes

from .factories import file_request, make_agency, make_mailbox, make_official, make_staff


@pytest.fixture
def focal(department):
    return make_staff("dau_moi", Role.Kind.FOCAL, agency=department)


@pytest.fixture
def it_staff(tay_ninh):
    return make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=tay_ninh)


def new_personal(department, focal, **fields):
    return file_request(
        department,
        focal,
        mailbox_kind="personal",
        full_name="Nguyễn Minh Tân",
        position="Chuyên viên",
        address="tannm@longan.gov.vn",
        published=True,
        **fields,
    )


def public_addresses(query):
    return [mailbox.address for mailbox in search_mailboxes(query)]


class TestNewMailbox:
    def test_the_directory_changes_only_when_done(self, department, focal, it_staff):
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        assert request.status == "approved"
        assert not Mailbox.objects.filter(address="tannm@longan.gov.vn").exists()

        request.complete(by=it_staff)

        mailbox = Mailbox.objects.get(address="tannm@longan.gov.vn")
        assert (mailbox.status, mailbox.kind, mailbox.published) == ("active", "personal", True)
        assert mailbox.official.full_name == "Nguyễn Minh Tân"
        assert mailbox.official.published is True
        assert mailbox.activated_on == datetime.date.today()
        assert request.mailbox == mailbox
        assert public_addresses("nguyen minh tan") == ["tannm@longan.gov.vn"]

    def test_an_unpublished_official_stays_off_the_public_pages(self, department, focal, it_staff):
        request = new_personal(department, focal)
        MailboxRequest.objects.filter(pk=request.pk).update(published=False)
        request.refresh_from_db()
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        assert Mailbox.objects.filter(address="tannm@longan.gov.vn", published=False).exists()
        assert public_addresses("nguyen minh tan") == []

    def test_agency_mailbox_for_a_unit(self, department, focal, it_staff):
        unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
        request = file_request(unit, focal, mailbox_kind="agency", address="ttcntt@longan.gov.vn")
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        mailbox = Mailbox.objects.get(address="ttcntt@longan.gov.vn")
        assert (mailbox.kind, mailbox.agency, mailbox.official) == ("agency", unit, None)
        assert mailbox.published

    def test_approving_a_taken_address_is_refused(self, department, focal, it_staff):
        request = new_personal(department, focal)
        make_mailbox(department, "tannm@longan.gov.vn")
        with pytest.raises(ValidationError) as error:
            request.approve(by=it_staff)
        assert error.value.code == "address_unavailable"
        assert "tannm@longan.gov.vn" in error.value.messages[0]
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_a_quarantined_address_is_refused_for_somebody_else(self, department, focal, it_staff):
        old = make_mailbox(
            department, "tannm@longan.gov.vn", official=make_official(department, "Nguyễn Minh Tấn")
        )
        old.status, old.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        old.save()
        request = new_personal(department, focal)
        with pytest.raises(ValidationError) as error:
            request.approve(by=it_staff)
        assert "12" in error.value.messages[0]

    def test_the_same_person_can_be_reactivated(self, department, focal, it_staff):
        person = make_official(department, "Nguyễn Minh Tân", is_active=False)
        old = make_mailbox(department, "tannm@longan.gov.vn", official=person)
        old.status, old.retired_on = Mailbox.Status.RETIRED, datetime.date.today()
        old.save()
        request = file_request(
            department,
            focal,
            mailbox_kind="personal",
            official=person,
            address="tannm@longan.gov.vn",
            published=True,
        )
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        old.refresh_from_db()
        person.refresh_from_db()
        assert (old.status, old.retired_on, old.official) == ("active", None, person)
        assert person.is_active

    def test_after_the_quarantine_the_address_goes_to_a_newcomer(self, department, focal, it_staff):
        former = make_official(department, "Nguyễn Minh Tấn", is_active=False)
        old = make_mailbox(department, "tannm@longan.gov.vn", official=former)
        old.status = Mailbox.Status.RETIRED
        old.retired_on = datetime.date.today() - datetime.timedelta(days=400)
        old.save()
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        old.refresh_from_db()
        assert old.official.full_name == "Nguyễn Minh Tân"
        assert old.history.filter(official=former).exists()  # the past owner stays on record

    def test_the_address_must_be_on_a_domain_of_the_province(self, department, focal):
        with pytest.raises(ValidationError) as error:
            file_request(
                department,
                focal,
                mailbox_kind="personal",
                full_name="Nguyễn Minh Tân",
                address="tannm@gialai.gov.vn",
            )
        assert "tayninh.gov.vn" in error.value.message_dict["address"][0]


class TestChangeRetireReissue:
    def test_change_moves_the_official_and_renames(self, department, focal, it_staff):
        unit = make_agency(name="Phòng Bưu chính", parent=department)
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        request = file_request(
            department,
            focal,
            kind="change",
            mailbox=mailbox,
            new_agency=unit,
            position="Trưởng phòng",
        )
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        mailbox.refresh_from_db()
        assert mailbox.agency == unit
        assert mailbox.official.position == "Trưởng phòng"
        assert mailbox.official.agency == unit

    def test_change_can_unpublish(self, department, focal, it_staff):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        request = file_request(department, focal, kind="change", mailbox=mailbox, published=False)
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        assert public_addresses("hoang van vi du") == []

    def test_change_must_say_what_changes(self, department, focal):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        with pytest.raises(ValidationError):
            file_request(department, focal, kind="change", mailbox=mailbox)

    def test_retire_removes_from_public_view_but_keeps_the_record(
        self, department, focal, it_staff
    ):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        request = file_request(department, focal, kind="retire", mailbox=mailbox, reason="Nghỉ hưu")
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        mailbox.refresh_from_db()
        assert (mailbox.status, mailbox.retired_on) == ("retired", datetime.date.today())
        assert mailbox.official.is_active is False
        assert public_addresses("vi du") == []
        assert list(mailbox.history.values_list("status", flat=True))[:2] == ["retired", "active"]

    def test_retire_and_reissue_need_a_reason(self, department, focal):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        for kind in ("retire", "reissue"):
            with pytest.raises(ValidationError) as error:
                file_request(department, focal, kind=kind, mailbox=mailbox)
            assert "reason" in error.value.message_dict

    def test_reissue_is_recorded_and_changes_nothing(self, department, focal, it_staff):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        request = file_request(
            department, focal, kind="reissue", mailbox=mailbox, reason="Quên mật khẩu"
        )
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        assert request.status == "done"
        assert mailbox.history.count() == Mailbox.objects.get(pk=mailbox.pk).history.count()

    def test_a_retired_mailbox_cannot_be_retired_again(self, department, focal):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        mailbox.status, mailbox.retired_on = "retired", datetime.date.today()
        mailbox.save()
        with pytest.raises(ValidationError) as error:
            file_request(department, focal, kind="retire", mailbox=mailbox, reason="Nghỉ việc")
        assert "mailbox" in error.value.message_dict


class TestTransitions:
    def test_reject_needs_a_reason_and_is_final(self, department, focal, it_staff):
        request = new_personal(department, focal)
        with pytest.raises(ValidationError):
            request.reject(by=it_staff, reason="  ")
        request.reject(by=it_staff, reason="Thiếu chữ ký")
        assert (request.status, request.decision_note) == ("rejected", "Thiếu chữ ký")
        with pytest.raises(ValidationError) as error:
            request.approve(by=it_staff)
        assert error.value.code == "invalid_transition"

    def test_done_only_after_approval(self, department, focal, it_staff):
        request = new_personal(department, focal)
        with pytest.raises(ValidationError) as error:
            request.complete(by=it_staff)
        assert error.value.code == "invalid_transition"
        assert not Mailbox.objects.filter(address="tannm@longan.gov.vn").exists()

    def test_completing_twice_has_one_effect(self, department, focal, it_staff):
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        with pytest.raises(ValidationError):
            request.complete(by=it_staff)
        assert Official.objects.filter(full_name="Nguyễn Minh Tân").count() == 1

    def test_the_requester_may_cancel_a_submitted_request_only(self, department, focal, it_staff):
        request = new_personal(department, focal)
        with pytest.raises(PermissionDenied):
            request.cancel(by=it_staff)
        request.cancel(by=focal)
        assert request.status == "cancelled"

    def test_a_focal_officer_cannot_approve(self, department, focal):
        colleague = make_staff("dong_nghiep", Role.Kind.FOCAL, agency=department)
        request = new_personal(department, focal)
        for user in (focal, colleague):
            with pytest.raises(PermissionDenied):
                request.approve(by=user)
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_nobody_decides_on_their_own_request(self, department, it_staff):
        request = new_personal(department, it_staff)
        with pytest.raises(PermissionDenied):
            request.approve(by=it_staff)

    def test_it_staff_of_another_province_cannot_decide(self, department, focal, gia_lai):
        outsider = make_staff("tin_hoc_gia_lai", Role.Kind.PROVINCE_IT, province=gia_lai)
        request = new_personal(department, focal)
        with pytest.raises(PermissionDenied):
            request.approve(by=outsider)

    def test_national_administrator_decides_everywhere(self, department, focal):
        national = make_staff("quoc_gia", Role.Kind.NATIONAL)
        request = new_personal(department, focal)
        request.approve(by=national)
        assert request.status == "approved"


class TestNotificationsAndHistory:
    def test_the_requester_is_told_every_decision(
        self, department, focal, it_staff, django_capture_on_commit_callbacks
    ):
        request = new_personal(department, focal)
        with django_capture_on_commit_callbacks(execute=True):
            request.approve(by=it_staff)
        with django_capture_on_commit_callbacks(execute=True):
            request.complete(by=it_staff)
        assert [message.to for message in mail.outbox] == [[focal.email], [focal.email]]
        assert "đã duyệt" in mail.outbox[0].subject
        assert "tannm@longan.gov.vn" in mail.outbox[1].body

    def test_a_rejection_mail_gives_the_reason(
        self, department, focal, it_staff, django_capture_on_commit_callbacks
    ):
        request = new_personal(department, focal)
        with django_capture_on_commit_callbacks(execute=True):
            request.reject(by=it_staff, reason="Thiếu chữ ký của thủ trưởng")
        assert "Thiếu chữ ký của thủ trưởng" in mail.outbox[0].body

    def test_every_transition_is_in_the_requests_history(self, department, focal, it_staff):
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        records = request.history.order_by("history_date")
        assert [record.status for record in records] == ["submitted", "approved", "done"]
        assert [record.history_user for record in records][1:] == [it_staff, it_staff]
        mailbox_record = request.mailbox.history.get()
        assert mailbox_record.history_user == it_staff
        assert (
            mailbox_record.history_change_reason == f"Đề nghị số {request.pk}, văn bản 12/UBND-VP"
        )


class BrokenMailServer:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class TestWhatCanGoWrong:
    def test_an_approved_request_can_still_be_rejected(self, department, focal, it_staff):
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        request.reject(by=it_staff, reason="Địa chỉ đã cấp cho người khác trên hệ thống thư")
        assert request.status == "rejected"
        assert not Mailbox.objects.filter(address="tannm@longan.gov.vn").exists()

    def test_the_requester_can_withdraw_an_approved_request(self, department, focal, it_staff):
        request = new_personal(department, focal)
        request.approve(by=it_staff)
        request.cancel(by=focal)
        assert request.status == "cancelled"

    def test_one_address_is_not_promised_twice(self, department, focal, it_staff):
        first = new_personal(department, focal)
        first.approve(by=it_staff)
        second = file_request(
            department,
            focal,
            mailbox_kind="personal",
            full_name="Nguyễn Mạnh Tấn",
            address="tannm@longan.gov.vn",
        )
        with pytest.raises(ValidationError) as error:
            second.approve(by=it_staff)
        assert error.value.code == "address_promised"
        assert str(first.pk) in error.value.messages[0]

    def test_a_mailbox_retired_meanwhile_is_not_retired_again(self, department, focal, it_staff):
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        requests = [
            file_request(department, focal, kind="retire", mailbox=mailbox, reason="Nghỉ hưu")
            for _ in range(2)
        ]
        for request in requests:
            request.approve(by=it_staff)
        requests[0].complete(by=it_staff)
        Mailbox.objects.filter(pk=mailbox.pk).update(retired_on=datetime.date(2026, 1, 2))
        with pytest.raises(ValidationError) as error:
            requests[1].complete(by=it_staff)
        assert error.value.code == "mailbox_retired"
        assert Mailbox.objects.get(pk=mailbox.pk).retired_on == datetime.date(2026, 1, 2)

    def test_a_mail_server_down_does_not_undo_a_decision(
        self, department, focal, it_staff, settings, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = "tests.test_workflow.BrokenMailServer"
        request = new_personal(department, focal)
        with django_capture_on_commit_callbacks(execute=True):
            request.approve(by=it_staff)
        request.refresh_from_db()
        assert request.status == "approved"


def test_the_actions_offered_follow_the_transitions_and_the_roles(department, focal, it_staff):
    request = new_personal(department, focal)
    assert request.actions_for(it_staff) == {"approve", "reject"}
    assert request.actions_for(focal) == {"cancel"}
    request.approve(by=it_staff)
    assert request.actions_for(it_staff) == {"complete", "reject"}
    request.complete(by=it_staff)
    assert request.actions_for(it_staff) == request.actions_for(focal) == set()
