import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, Mailbox, Role
from directory.search import search_mailboxes


def test_demo_loads_twice_and_finds_the_directives_addresses(db):
    call_command("load_divisions")
    call_command("load_demo")
    counts = Agency.objects.count(), Mailbox.objects.count()
    call_command("load_demo")
    assert (Agency.objects.count(), Mailbox.objects.count()) == counts
    assert counts[0] >= 20

    found = [mailbox.address for mailbox in search_mailboxes("so thong tin long an")]
    assert found[0] == "stt@longan.gov.vn"
    for address in ["vpubnd@longan.gov.vn", "skhdt@longan.gov.vn", "snv@longan.gov.vn"]:
        assert Mailbox.objects.public().filter(address=address).exists()
    provinces = set(Mailbox.objects.public().values_list("agency__province__slug", flat=True))
    assert {"tay-ninh", "gia-lai", "dong-nai"} <= provinces
    assert Mailbox.objects.filter(address__endswith="@gialai.gov.vn").exists()


def test_demo_staff_only_with_debug(db, settings):
    call_command("load_divisions")
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", "--with-staff")
    settings.DEBUG = True
    call_command("load_demo", "--with-staff")
    call_command("load_demo", "--with-staff")
    focal = Role.objects.get(user__username="daumoi.sotttt")
    assert focal.agency.name == "Sở Thông tin và Truyền thông tỉnh Long An"
    assert focal.user.check_password("thu-nghiem-2026")
    assert focal.user.has_perm("agencies.add_mailboxrequest")
    assert Role.objects.get(user__username="tinhoc.tayninh").province.name == "Tây Ninh"
