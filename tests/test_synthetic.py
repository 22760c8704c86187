"""The synthetic directory at small size: 300 officials in Tây Ninh (80) and Gia Lai (52)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from agencies.addresses import NamingPattern, local_parts
from agencies.models import Agency, Commune, Mailbox, Official, Province
from agencies.synthetic import allocate
from agencies.text import clean, fold, search_key
from agencies.validators import validate_agency_code, validate_mailbox_address
from directory.search import search_mailboxes

PROVINCES = ("80", "52")


def generate(*args, officials=300, seed=1):
    out = io.StringIO()
    call_command(
        "generate_directory", f"--officials={officials}", f"--seed={seed}", *args, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def divisions(db):
    call_command("load_divisions", stdout=io.StringIO())


@pytest.fixture
def directory(divisions):
    generate("--provinces=80,52")


def snapshot():
    return list(
        Mailbox.objects.order_by("address").values_list(
            "address", "agency__code", "agency__name", "official__full_name", "status"
        )
    )


def delete_directory():
    Mailbox.objects.all().delete()
    Official.objects.all().delete()
    for depth in sorted(set(Agency.objects.values_list("depth", flat=True)), reverse=True):
        Agency.objects.filter(depth=depth).delete()


def test_the_same_seed_gives_the_same_directory(directory):
    first = snapshot()
    delete_directory()
    generate("--provinces=80,52")
    assert snapshot() == first
    delete_directory()
    generate("--provinces=80,52", seed=2)
    assert snapshot() != first


def test_a_province_has_its_committee_office_departments_and_communes(directory):
    for code in PROVINCES:
        province = Province.objects.get(code=code)
        agencies = Agency.objects.filter(province=province)
        committee = agencies.get(kind=Agency.Kind.PROVINCIAL_COMMITTEE)
        assert committee.name == f"Ủy ban nhân dân tỉnh {province.name}"
        office = committee.children.get()
        assert office.name == f"Văn phòng Ủy ban nhân dân tỉnh {province.name}"
        assert office.children.count() >= 5
        departments = agencies.filter(kind=Agency.Kind.DEPARTMENT, depth=0)
        assert departments.count() >= 12
        for department in departments.exclude(name__startswith="Ban Quản lý dự án"):
            assert department.children.exists(), department.name
        home_affairs = agencies.get(name=f"Sở Nội vụ tỉnh {province.name}")
        assert home_affairs.children.filter(name="Văn phòng Sở").exists()
        committees = agencies.filter(kind=Agency.Kind.COMMUNE_COMMITTEE, depth=0)
        assert sorted(committees.values_list("commune", flat=True)) == sorted(
            Commune.objects.filter(province=province).values_list("pk", flat=True)
        )
        assert all(committee.children.count() >= 4 for committee in committees[:10])
    assert set(Agency.objects.values_list("province__code", flat=True)) == set(PROVINCES)


def test_identifiers_are_well_formed_and_unique(directory):
    codes = list(Agency.objects.values_list("code", flat=True))
    for code in codes:
        validate_agency_code(code)
    assert len(set(codes)) == len(codes)
    assert Agency.objects.get(kind=Agency.Kind.PROVINCIAL_COMMITTEE, province__code="80").code == (
        "000.00.00.H80"
    )


def test_paths_and_slugs_are_what_save_would_compute(directory):
    for agency in Agency.objects.select_related("parent"):
        stored = (agency.slug, agency.ancestor_path, agency.path_slug, agency.depth)
        agency.place_in_tree()
        assert (agency.unique_slug(), agency.ancestor_path, agency.path_slug, agency.depth) == (
            stored
        )


def test_search_keys_are_what_the_models_compute(directory):
    for agency in Agency.objects.all():
        assert agency.search_key == search_key(agency.name, agency.code)
    for official in Official.objects.all():
        assert official.search_key == search_key(official.full_name, official.position)
    stored = dict(Mailbox.objects.values_list("pk", "search_key"))
    Mailbox.objects.all().refresh_search_keys()
    assert dict(Mailbox.objects.values_list("pk", "search_key")) == stored


def test_every_agency_has_a_mailbox_and_every_official_one(directory):
    assert Official.objects.count() == 300
    assert Mailbox.objects.filter(kind=Mailbox.Kind.AGENCY).count() == Agency.objects.count()
    assert not Agency.objects.filter(mailboxes__isnull=True).exists()
    assert not Official.objects.filter(mailboxes__isnull=True).exists()
    for code in PROVINCES:
        assert Official.objects.filter(agency__province__code=code).exists()


def test_addresses_are_valid_and_on_the_primary_domain(directory):
    domains = {p.pk: p.primary_domain.name for p in Province.objects.filter(code__in=PROVINCES)}
    for mailbox in Mailbox.objects.select_related("agency"):
        validate_mailbox_address(mailbox.address)
        assert mailbox.address.partition("@")[2] == domains[mailbox.agency.province_id]
        assert not mailbox.is_temporary


def test_personal_addresses_follow_the_naming_rule(divisions):
    """A name's shapes from `local_parts` in the province's pattern, numbered by `propose`,
    or past a hundred the same shapes followed by the agency's own local part. Nobody gets
    a later choice while the first one is free."""
    Province.objects.filter(code="52").update(naming_pattern=NamingPattern.GIVEN_DOT_FAMILY)
    generate("--provinces=80,52")
    taken = set(Mailbox.objects.values_list("address", flat=True))
    mailboxes = Mailbox.objects.filter(kind=Mailbox.Kind.PERSONAL).select_related(
        "official", "agency__province"
    )
    for mailbox in mailboxes:
        local, _, domain = mailbox.address.partition("@")
        agency_local = mailbox.agency.mailboxes.get(kind=Mailbox.Kind.AGENCY).address
        shapes = local_parts(mailbox.official.full_name, mailbox.agency.province.naming_pattern)
        stripped = re.sub(r"\d+$", "", local)
        assert stripped in shapes or stripped in {
            f"{shape}.{agency_local.partition('@')[0]}" for shape in shapes
        }
        assert local == shapes[0] or f"{shapes[0]}@{domain}" in taken


def test_agency_addresses_are_short_initials(directory):
    addresses = set(Mailbox.objects.values_list("address", flat=True))
    assert {
        "ubnd@tayninh.gov.vn",
        "vpubnd@tayninh.gov.vn",
        "snv@tayninh.gov.vn",
        "vps.snv@tayninh.gov.vn",
        "stc@gialai.gov.vn",
    } <= addresses
    commune = Agency.objects.get(province__code="80", name="Ủy ban nhân dân xã Mỹ An")
    assert commune.mailboxes.get().address == "ubndmyan@tayninh.gov.vn"


def test_names_are_vietnamese_full_names(directory):
    names = list(Official.objects.values_list("full_name", flat=True))
    assert all(3 <= len(name.split()) <= 4 and clean(name) == name for name in names)
    nguyen = sum(name.startswith("Nguyễn ") for name in names) / len(names)
    assert 0.25 < nguyen < 0.55


def test_some_officials_are_unpublished_or_gone_and_their_mailboxes_retired(directory):
    assert Official.objects.filter(published=False).exists()
    assert Official.objects.filter(position="Giám đốc").exclude(published=True).count() == 0
    gone = Official.objects.filter(is_active=False)
    assert gone.exists()
    retired = Mailbox.objects.filter(status=Mailbox.Status.RETIRED)
    assert set(retired.values_list("official", flat=True)) == set(gone.values_list("pk", flat=True))
    assert all(m.activated_on < m.retired_on for m in retired)
    assert not Mailbox.objects.public().filter(official__in=gone).exists()


def test_search_finds_generated_people_and_agencies(directory):
    mailbox = Mailbox.objects.public().filter(kind=Mailbox.Kind.PERSONAL).first()
    found = search_mailboxes(fold(mailbox.official.full_name))
    assert mailbox in found
    assert mailbox in search_mailboxes(mailbox.address)
    assert "snv@tayninh.gov.vn" in {m.address for m in search_mailboxes("so noi vu tay ninh")}


def test_synthetic_rows_have_no_history(directory):
    assert Agency.history.count() == 0
    assert Mailbox.history.count() == 0


def test_officials_are_spread_in_proportion_exactly():
    assert allocate(10, [1, 1, 2]) == [2, 3, 5]
    assert sum(allocate(2_000_000, [7, 130, 5, 1])) == 2_000_000
    assert allocate(0, [3, 4]) == [0, 0]


def test_needs_the_divisions(db):
    with pytest.raises(CommandError, match="load_divisions"):
        generate()


def test_refuses_a_directory_with_agencies_unless_appending(directory):
    with pytest.raises(CommandError, match="--append"):
        generate("--provinces=75")
    tay_ninh = Agency.objects.filter(province__code="80").count()
    output = generate("--provinces=80,75", "--append", officials=50)
    assert "80 Tây Ninh: has agencies, left alone" in output
    assert Agency.objects.filter(province__code="80").count() == tay_ninh
    assert Agency.objects.filter(province__code="75").exists()
    assert Official.objects.count() == 350


def test_refuses_unknown_provinces(divisions):
    with pytest.raises(CommandError, match="99"):
        generate("--provinces=80,99")
