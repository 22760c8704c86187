"""Who sees and does what: two agencies in Tây Ninh, one in Gia Lai, a focal officer for
each agency, and IT staff for each province. Nobody reaches another's records by list, URL
or crafted POST."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Mailbox, MailboxRequest, Role

from .factories import file_request, make_agency, make_mailbox, make_official, make_staff


@pytest.fixture
def world(department, tay_ninh, gia_lai):
    """Agency A (with a unit), agency B in the same province, agency G in another one."""
    unit_a = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
    make_mailbox(unit_a, "ttcntt@longan.gov.vn")
    agency_b = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh")
    make_mailbox(agency_b, "snv@tayninh.gov.vn")
    agency_g = make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai")
    make_mailbox(agency_g, "snv@gialai.gov.vn")
    make_mailbox(agency_g, "canbo@gialai.gov.vn", official=make_official(agency_g, "Lê Văn G"))
    people = {
        "focal_a": make_staff("focal_a", Role.Kind.FOCAL, agency=department),
        "focal_b": make_staff("focal_b", Role.Kind.FOCAL, agency=agency_b),
        "focal_g": make_staff("focal_g", Role.Kind.FOCAL, agency=agency_g),
        "it_tn": make_staff("it_tn", Role.Kind.PROVINCE_IT, province=tay_ninh),
        "it_gl": make_staff("it_gl", Role.Kind.PROVINCE_IT, province=gia_lai),
    }
    requests = {
        "a": file_request(
            department,
            people["focal_a"],
            mailbox_kind="personal",
            full_name="Nguyễn Minh Tân",
            address="tannm@longan.gov.vn",
            published=True,
            letter_scan=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 letter"),
        ),
        "g": file_request(
            agency_g,
            people["focal_g"],
            mailbox_kind="personal",
            full_name="Trần Văn Gia",
            address="giatv@gialai.gov.vn",
            published=True,
        ),
    }
    return {
        "a": department,
        "unit_a": unit_a,
        "b": agency_b,
        "g": agency_g,
        "people": people,
        "requests": requests,
    }


def as_user(client, world, name):
    client.force_login(world["people"][name])
    return client


def listed(client, model):
    response = client.get(reverse(f"admin:agencies_{model}_changelist"))
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


class TestListing:
    def test_a_focal_officer_lists_their_agency_and_units_only(self, client, world):
        as_user(client, world, "focal_a")
        assert listed(client, "mailbox") == {
            "stt@longan.gov.vn",
            "duhv@longan.gov.vn",
            "ttcntt@longan.gov.vn",
        }
        assert listed(client, "agency") == {world["a"].name, world["unit_a"].name}
        assert listed(client, "official") == {"Hoàng Văn Ví Dụ (Giám đốc)"}
        assert listed(client, "mailboxrequest") == {str(world["requests"]["a"])}

    def test_it_staff_list_their_province(self, client, world):
        as_user(client, world, "it_gl")
        assert listed(client, "mailbox") == {"snv@gialai.gov.vn", "canbo@gialai.gov.vn"}
        assert listed(client, "mailboxrequest") == {str(world["requests"]["g"])}
        as_user(client, world, "it_tn")
        assert "snv@tayninh.gov.vn" in listed(client, "mailbox")
        assert "snv@gialai.gov.vn" not in listed(client, "mailbox")

    def test_a_citizen_is_sent_to_the_login_page(self, client, world):
        response = client.get(reverse("admin:agencies_mailbox_changelist"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


class TestOpeningByUrl:
    @pytest.mark.parametrize("view", ["change", "history"])
    def test_another_agencys_mailbox_cannot_be_opened(self, client, world, view):
        as_user(client, world, "focal_a")
        other = Mailbox.objects.get(address="snv@tayninh.gov.vn")
        response = client.get(reverse(f"admin:agencies_mailbox_{view}", args=[other.pk]))
        assert response.status_code in (302, 404)
        assert b"snv@tayninh.gov.vn" not in response.content

    def test_another_provinces_history_version_cannot_be_opened(self, client, world):
        as_user(client, world, "it_tn")
        other = Mailbox.objects.get(address="canbo@gialai.gov.vn")
        version = other.history.first()
        url = reverse("admin:agencies_mailbox_simple_history", args=[other.pk, version.pk])
        assert client.get(url).status_code == 404

    def test_nobody_reverts_through_the_history_view(self, client, world):
        as_user(client, world, "it_tn")
        mailbox = Mailbox.objects.get(address="snv@tayninh.gov.vn")
        version = mailbox.history.first()
        url = reverse("admin:agencies_mailbox_simple_history", args=[mailbox.pk, version.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "address": "hijack@tayninh.gov.vn",
                "kind": "agency",
                "agency": mailbox.agency_id,
                "status": "active",
            },
        )
        assert response.status_code == 403
        assert not Mailbox.objects.filter(address="hijack@tayninh.gov.vn").exists()

    def test_it_staff_open_a_request_of_their_province_with_its_decision_buttons(
        self, client, world
    ):
        as_user(client, world, "it_tn")
        request = world["requests"]["a"]
        response = client.get(reverse("admin:agencies_mailboxrequest_change", args=[request.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="approve"' in html and 'value="reject"' in html
        assert "tannm@longan.gov.vn" in html

    def test_the_requester_sees_the_request_without_decision_buttons(self, client, world):
        as_user(client, world, "focal_a")
        request = world["requests"]["a"]
        html = client.get(
            reverse("admin:agencies_mailboxrequest_change", args=[request.pk])
        ).content.decode()
        assert 'value="approve"' not in html
        assert 'value="cancel"' in html

    def test_another_provinces_request_cannot_be_opened(self, client, world):
        as_user(client, world, "it_tn")
        other = world["requests"]["g"]
        response = client.get(reverse("admin:agencies_mailboxrequest_change", args=[other.pk]))
        assert response.status_code == 302
        assert b"giatv" not in response.content

    def test_the_letter_scan_is_for_the_agency_and_its_it_staff_only(self, client, world):
        url = reverse("admin:agencies_mailboxrequest_letter", args=[world["requests"]["a"].pk])
        for name, status in [("focal_a", 200), ("it_tn", 200), ("focal_b", 404), ("it_gl", 404)]:
            response = as_user(client, world, name).get(url)
            assert response.status_code == status, name
        client.logout()
        assert client.get(url).status_code == 302

    def test_the_letter_scan_has_no_public_url(self, client, world):
        request = world["requests"]["a"]
        assert request.letter_scan.name.startswith("letters/")
        assert client.get(f"/media/{request.letter_scan.name}").status_code == 404
        assert client.get(f"/static/{request.letter_scan.name}").status_code == 404


class TestCraftedPosts:
    def add_request(self, client, **fields):
        data = {
            "kind": "new",
            "letter_number": "1/VP",
            "letter_date": "2026-11-20",
            "mailbox_kind": "personal",
            "full_name": "Phạm Thị Lạ",
            "published": "true",
            "address": "lapt@tayninh.gov.vn",
            **fields,
        }
        return client.post(reverse("admin:agencies_mailboxrequest_add"), data)

    def test_a_focal_officer_cannot_file_for_another_agency(self, client, world):
        as_user(client, world, "focal_a")
        response = self.add_request(client, agency=world["b"].pk)
        assert response.status_code == 200
        assert "agency" in response.context["adminform"].form.errors
        assert not MailboxRequest.objects.filter(full_name="Phạm Thị Lạ").exists()

    def test_a_focal_officer_cannot_retire_another_agencys_mailbox(self, client, world):
        as_user(client, world, "focal_a")
        other = Mailbox.objects.get(address="snv@tayninh.gov.vn")
        response = self.add_request(client, kind="retire", mailbox=other.pk, reason="x")
        assert "mailbox" in response.context["adminform"].form.errors
        assert not MailboxRequest.objects.filter(mailbox=other).exists()

    def test_a_focal_officer_files_for_their_unit(self, client, world):
        as_user(client, world, "focal_a")
        response = self.add_request(client, agency=world["unit_a"].pk, address="lapt@longan.gov.vn")
        assert response.status_code == 302
        request = MailboxRequest.objects.get(full_name="Phạm Thị Lạ")
        assert (request.agency, request.requested_by) == (
            world["unit_a"],
            world["people"]["focal_a"],
        )

    def test_a_filed_request_cannot_be_edited(self, client, world):
        as_user(client, world, "focal_a")
        request = world["requests"]["a"]
        url = reverse("admin:agencies_mailboxrequest_change", args=[request.pk])
        response = client.post(
            url,
            {
                "kind": "new",
                "agency": world["a"].pk,
                "full_name": "Tên Khác",
                "address": "khac@longan.gov.vn",
                "letter_number": "1",
                "letter_date": "2026-11-20",
                "mailbox_kind": "personal",
            },
        )
        assert response.status_code == 403
        request.refresh_from_db()
        assert request.full_name == "Nguyễn Minh Tân"

    def decide(self, client, request, action, **extra):
        url = reverse("admin:agencies_mailboxrequest_decide", args=[request.pk])
        return client.post(url, {"action": action, **extra})

    def test_it_staff_of_another_province_cannot_approve_by_post(self, client, world):
        as_user(client, world, "it_gl")
        request = world["requests"]["a"]
        assert self.decide(client, request, "approve").status_code == 404
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_nor_through_the_list_action(self, client, world):
        as_user(client, world, "it_gl")
        request = world["requests"]["a"]
        client.post(
            reverse("admin:agencies_mailboxrequest_changelist"),
            {"action": "approve_selected", "_selected_action": [request.pk]},
        )
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_a_focal_officer_cannot_approve_their_own_request(self, client, world):
        as_user(client, world, "focal_a")
        request = world["requests"]["a"]
        response = self.decide(client, request, "approve")
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == "submitted"
        client.post(
            reverse("admin:agencies_mailboxrequest_changelist"),
            {"action": "approve_selected", "_selected_action": [request.pk]},
        )
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_it_staff_approve_and_complete_by_post(self, client, world):
        as_user(client, world, "it_tn")
        request = world["requests"]["a"]
        self.decide(client, request, "approve")
        self.decide(client, request, "complete")
        request.refresh_from_db()
        assert request.status == "done"
        assert Mailbox.objects.get(address="tannm@longan.gov.vn").status == "active"

    def test_rejecting_without_a_reason_is_refused_with_a_message(self, client, world):
        as_user(client, world, "it_tn")
        request = world["requests"]["a"]
        response = self.decide(client, request, "reject", reason="")
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("lý do" in message for message in messages)
        request.refresh_from_db()
        assert request.status == "submitted"

    def test_it_staff_cannot_change_another_provinces_agency(self, client, world):
        as_user(client, world, "it_tn")
        agency = world["g"]
        url = reverse("admin:agencies_agency_change", args=[agency.pk])
        response = client.post(
            url, {"province": agency.province_id, "name": "Đổi tên", "kind": "other"}
        )
        assert response.status_code == 302
        agency.refresh_from_db()
        assert agency.name == "Sở Nội vụ tỉnh Gia Lai"

    def test_a_focal_officer_cannot_change_the_directory_directly(self, client, world):
        as_user(client, world, "focal_a")
        mailbox = Mailbox.objects.get(address="stt@longan.gov.vn")
        url = reverse("admin:agencies_mailbox_change", args=[mailbox.pk])
        response = client.post(
            url,
            {
                "address": "stt@longan.gov.vn",
                "kind": "agency",
                "agency": world["a"].pk,
                "status": "active",
            },
        )
        assert response.status_code == 403
        mailbox.refresh_from_db()
        assert mailbox.published is True

    def test_nothing_is_deleted_through_the_admin(self, client, world):
        as_user(client, world, "it_tn")
        mailbox = Mailbox.objects.get(address="snv@tayninh.gov.vn")
        response = client.post(
            reverse("admin:agencies_mailbox_delete", args=[mailbox.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        assert Mailbox.objects.filter(pk=mailbox.pk).exists()


def test_a_national_administrator_picks_users_for_roles(client, db):
    national = make_staff("quoc_gia", Role.Kind.NATIONAL)
    make_staff("moi", Role.Kind.NATIONAL)
    client.force_login(national)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "agencies", "model_name": "role", "field_name": "user", "term": "moi"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["moi"]
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
