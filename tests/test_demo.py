from django.core.management import call_command

from agencies.models import Agency, Mailbox
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
