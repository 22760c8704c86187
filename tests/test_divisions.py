from django.core.management import call_command

from agencies.models import Commune, MailDomain, Province


def test_load_divisions_is_idempotent(db):
    call_command("load_divisions")
    call_command("load_divisions")
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Province.history.count() == 34  # a second run writes no new history
    tay_ninh = Province.objects.get(slug="tay-ninh")
    assert tay_ninh.primary_domain.name == "tayninh.gov.vn"
    assert tay_ninh.domains.filter(name="longan.gov.vn", is_primary=False).exists()
    assert Province.objects.get(code="01").name == "Hà Nội"
    assert Province.objects.get(slug="dong-nai").name == "Đồng Nai"
    assert Commune.objects.filter(division_type="đặc khu").count() == 13


def test_load_divisions_keeps_a_domain_the_operator_set(db):
    call_command("load_divisions")
    domain = MailDomain.objects.get(name="tayninh.gov.vn")
    domain.name = "tayninh.vn.gov.vn"
    domain.save()
    call_command("load_divisions")
    assert Province.objects.get(code="80").primary_domain.name == "tayninh.vn.gov.vn"
