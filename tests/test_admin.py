import pytest
from django.urls import reverse

from agencies.models import Agency, Commune, Mailbox, Official, Province

from .factories import make_agency


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", [Province, Commune, Agency, Official, Mailbox])
def test_changelists_open_in_vietnamese(admin_client, department, model):
    url = reverse(f"admin:agencies_{model._meta.model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()


@pytest.mark.parametrize("model", [Agency, Official, Mailbox])
def test_change_forms_and_history_open(admin_client, department, model):
    obj = model.objects.first()
    for view in ("change", "history"):
        url = reverse(f"admin:agencies_{model._meta.model_name}_{view}", args=[obj.pk])
        assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("term", ["thong tin long an", "THÔNG TIN", "Sở Thông tin", "h37"])
def test_agency_search_folds_diacritics(admin_client, department, term):
    make_agency(department.province, "Sở Nội vụ tỉnh Tây Ninh")
    response = admin_client.get(reverse("admin:agencies_agency_changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [department]


def test_agency_list_shows_the_tree_by_indentation(admin_client, department):
    make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
    html = admin_client.get(reverse("admin:agencies_agency_changelist")).content.decode()
    assert "— Trung tâm Công nghệ thông tin" in html
    assert html.index(department.name) < html.index("— Trung tâm")


def test_agency_list_filters_by_province_and_kind(admin_client, department, gia_lai):
    make_agency(gia_lai, "Ủy ban nhân dân tỉnh Gia Lai", kind=Agency.Kind.PROVINCIAL_COMMITTEE)
    url = reverse("admin:agencies_agency_changelist")
    response = admin_client.get(url, {"province__id__exact": gia_lai.pk})
    assert [a.name for a in response.context["cl"].result_list] == ["Ủy ban nhân dân tỉnh Gia Lai"]
    response = admin_client.get(url, {"kind__exact": "provincial_committee"})
    assert [a.name for a in response.context["cl"].result_list] == ["Ủy ban nhân dân tỉnh Gia Lai"]


def test_mailbox_search_by_official_name(admin_client, department):
    response = admin_client.get(reverse("admin:agencies_mailbox_changelist"), {"q": "hoang van"})
    assert [m.address for m in response.context["cl"].result_list] == ["duhv@longan.gov.vn"]


def test_adding_a_mailbox_with_an_upper_case_duplicate_is_refused(admin_client, department):
    response = admin_client.post(
        reverse("admin:agencies_mailbox_add"),
        {
            "address": "STT@LongAn.gov.vn",
            "kind": "agency",
            "agency": department.pk,
            "status": "active",
            "published": "on",
        },
    )
    assert response.status_code == 200
    assert "address" in response.context["adminform"].form.errors
    assert Mailbox.objects.filter(address="stt@longan.gov.vn").count() == 1


def test_changes_are_recorded_with_the_user(admin_client, admin_user, department):
    mailbox = Mailbox.objects.get(address="stt@longan.gov.vn")
    admin_client.post(
        reverse("admin:agencies_mailbox_change", args=[mailbox.pk]),
        {
            "address": mailbox.address,
            "kind": "agency",
            "agency": department.pk,
            "status": "active",
            "published": "",
        },
    )
    latest = mailbox.history.latest()
    assert latest.history_user == admin_user
    assert latest.published is False
    assert latest.prev_record.published is True
