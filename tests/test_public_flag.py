"""`Mailbox.is_public` holds the publication rule on every path that changes what it reads.

`public()` reads the stored flag alone; `by_the_rule()` asks the rule itself, with the joins
to agencies and officials, as `public()` did before the flag existed. Every test changes an
input of the rule one way or another and then holds the two to each other.
"""

import ast
import datetime
import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q

from agencies.importing import DirectoryImport
from agencies.models import Agency, Mailbox, Official, Role
from agencies.tablefiles import read_address_list

from .factories import file_request, make_agency, make_mailbox, make_official, make_staff

ROOT = Path(__file__).resolve().parent.parent


def by_the_rule():
    """The rule asked of the records themselves: the mailbox, its official, its agency and
    every agency above it."""
    shown = {
        agency.pk
        for agency in Agency.objects.all()
        if all(a.published and a.is_active for a in [*agency.ancestors(), agency])
    }
    return set(
        Mailbox.objects.filter(
            Q(official__isnull=True) | Q(official__published=True, official__is_active=True),
            status=Mailbox.Status.ACTIVE,
            published=True,
            agency__in=shown,
        ).values_list("address", flat=True)
    )


def flagged():
    return set(Mailbox.objects.public().values_list("address", flat=True))


def assert_flags_follow_the_rule():
    assert flagged() == by_the_rule()


@pytest.fixture
def unit(department):
    """A unit of the department, with its mailbox and a published official's."""
    unit = make_agency(name="Trung tâm Công nghệ thông tin", parent=department)
    make_mailbox(unit, "ttcntt@longan.gov.vn")
    make_mailbox(unit, "annv@longan.gov.vn", official=make_official(unit, "Nguyễn Văn An"))
    return unit


class TestMailboxSave:
    def test_new_mailboxes(self, department, unit):
        make_mailbox(department, "noibo@longan.gov.vn", published=False)
        hidden = make_official(department, "Lê Kín Đáo", published=False)
        make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
        assert {"stt@longan.gov.vn", "annv@longan.gov.vn"} <= flagged()
        assert not {"noibo@longan.gov.vn", "daolk@longan.gov.vn"} & flagged()
        assert_flags_follow_the_rule()

    def test_unpublished_retired_and_back(self, department):
        mailbox = Mailbox.objects.get(address="stt@longan.gov.vn")
        mailbox.published = False
        mailbox.save()
        assert "stt@longan.gov.vn" not in flagged()
        mailbox.published = True
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, datetime.date(2026, 1, 2)
        mailbox.save()
        assert "stt@longan.gov.vn" not in flagged()
        mailbox.status, mailbox.retired_on = Mailbox.Status.ACTIVE, None
        mailbox.save()
        assert "stt@longan.gov.vn" in flagged()
        assert_flags_follow_the_rule()


class TestOfficialSave:
    def test_unpublished_left_and_back(self, department):
        director = Official.objects.get(full_name="Hoàng Văn Ví Dụ")
        director.published = False
        director.save()
        assert "duhv@longan.gov.vn" not in flagged()
        director.published, director.is_active = True, False
        director.save()
        assert "duhv@longan.gov.vn" not in flagged()
        director.is_active = True
        director.save()
        assert "duhv@longan.gov.vn" in flagged()
        assert_flags_follow_the_rule()

    def test_moves_to_an_unpublished_agency_and_back(self, department, tay_ninh):
        hidden = make_agency(tay_ninh, "Ban Kín Đáo", published=False)
        director = Official.objects.get(full_name="Hoàng Văn Ví Dụ")
        director.agency = hidden
        director.save()
        assert Mailbox.objects.get(address="duhv@longan.gov.vn").agency == hidden
        assert "duhv@longan.gov.vn" not in flagged()
        director.agency = department
        director.save()
        assert "duhv@longan.gov.vn" in flagged()
        assert_flags_follow_the_rule()


class TestAgencySave:
    def test_unpublished_dissolved_and_back(self, department, unit):
        for published, is_active in [(False, True), (True, False), (True, True)]:
            unit.published, unit.is_active = published, is_active
            unit.save()
            shown = {"ttcntt@longan.gov.vn", "annv@longan.gov.vn"} <= flagged()
            assert shown is (published and is_active)
            assert "stt@longan.gov.vn" in flagged()  # the department is not the unit
            assert_flags_follow_the_rule()

    def test_hiding_an_agency_hides_its_units_and_showing_it_shows_them(self, department, unit):
        department.published = False
        department.save()
        unit.refresh_from_db()
        assert unit.is_public is False
        assert not {"stt@longan.gov.vn", "ttcntt@longan.gov.vn"} & flagged()
        assert_flags_follow_the_rule()
        department.published = True
        department.save()
        assert {"stt@longan.gov.vn", "ttcntt@longan.gov.vn"} <= flagged()
        assert_flags_follow_the_rule()

    def test_a_unit_created_under_a_hidden_agency_is_hidden(self, tay_ninh):
        hidden = make_agency(tay_ninh, "Ban Kín Đáo", published=False)
        unit = make_agency(name="Phòng Con", parent=hidden)
        make_mailbox(unit, "phongcon@tayninh.gov.vn")
        assert unit.is_public is False
        assert "phongcon@tayninh.gov.vn" not in flagged()
        assert_flags_follow_the_rule()

    def test_moves(self, department, unit, tay_ninh):
        unit.published = False
        unit.save()
        unit.parent = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh")
        unit.save()
        assert_flags_follow_the_rule()
        unit.published = True
        unit.parent = department
        unit.save()
        assert "annv@longan.gov.vn" in flagged()
        assert_flags_follow_the_rule()


class TestRequests:
    @pytest.fixture
    def people(self, department, tay_ninh):
        focal = make_staff("dau_moi", Role.Kind.FOCAL, agency=department)
        return focal, make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=tay_ninh)

    def done(self, request, it_staff):
        request.approve(by=it_staff)
        request.complete(by=it_staff)
        assert_flags_follow_the_rule()

    def test_new_mailboxes(self, department, people):
        focal, it_staff = people
        for address, published in [("tannm@longan.gov.vn", True), ("kinlv@longan.gov.vn", False)]:
            request = file_request(
                department,
                focal,
                mailbox_kind="personal",
                full_name=f"Người {address}",
                address=address,
                published=published,
            )
            self.done(request, it_staff)
            assert (address in flagged()) is published
        request = file_request(department, focal, mailbox_kind="agency", address="vp@longan.gov.vn")
        self.done(request, it_staff)
        assert "vp@longan.gov.vn" in flagged()

    def test_changes_and_retirement(self, department, unit, people, tay_ninh):
        focal, it_staff = people
        mailbox = Mailbox.objects.get(address="duhv@longan.gov.vn")
        self.done(
            file_request(department, focal, "change", mailbox=mailbox, published=False), it_staff
        )
        assert "duhv@longan.gov.vn" not in flagged()
        self.done(
            file_request(department, focal, "change", mailbox=mailbox, published=True), it_staff
        )
        assert "duhv@longan.gov.vn" in flagged()
        hidden = make_agency(tay_ninh, "Ban Kín Đáo", published=False, parent=department)
        self.done(
            file_request(department, focal, "change", mailbox=mailbox, new_agency=hidden), it_staff
        )
        assert "duhv@longan.gov.vn" not in flagged()
        agency_mailbox = Mailbox.objects.get(address="ttcntt@longan.gov.vn")
        self.done(
            file_request(unit, focal, "retire", mailbox=agency_mailbox, reason="Giải thể"), it_staff
        )
        assert "ttcntt@longan.gov.vn" not in flagged()
        person = Mailbox.objects.get(address="annv@longan.gov.vn")
        self.done(file_request(unit, focal, "retire", mailbox=person, reason="Nghỉ hưu"), it_staff)
        assert Official.objects.get(pk=person.official_id).is_active is False


class TestBulkWrites:
    HEADER = (
        "Tỉnh,Mã cơ quan,Tên cơ quan,Mã cơ quan cấp trên,Họ và tên,Chức vụ,Thư điện tử,Loại,"
        "Công khai"
    )

    def run_import(self, *rows):
        data = "\n".join([self.HEADER, *rows]).encode()
        table = read_address_list(data, "list.csv")
        result = DirectoryImport().run(
            lambda: read_address_list(data, "list.csv").rows, table.columns
        )
        assert result.ok, result.errors
        assert_flags_follow_the_rule()

    def test_imports(self, department):
        # province, code, name, no parent; then the official's name
        agency = "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,"
        self.run_import(
            f"{agency},,stt@longan.gov.vn,cơ quan,có",
            f"{agency}Trần Thị Mới,Chuyên viên,moitt@longan.gov.vn,cá nhân,có",
            f"{agency}Lê Văn Kín,Chuyên viên,kinlv@longan.gov.vn,cá nhân,không",
        )
        assert "moitt@longan.gov.vn" in flagged() and "kinlv@longan.gov.vn" not in flagged()
        # The official gets a second mailbox by hand; a list then unpublishes him through the
        # first one alone: both follow.
        kin = Official.objects.get(full_name="Lê Văn Kín")
        make_mailbox(department, "kin2@longan.gov.vn", official=kin)
        self.run_import(f"{agency}Lê Văn Kín,Chuyên viên,kinlv@longan.gov.vn,cá nhân,có")
        assert {"kinlv@longan.gov.vn", "kin2@longan.gov.vn"} <= flagged()
        self.run_import(f"{agency}Lê Văn Kín,Chuyên viên,kinlv@longan.gov.vn,cá nhân,không")
        assert not {"kinlv@longan.gov.vn", "kin2@longan.gov.vn"} & flagged()

    def test_generated_directory(self, db):
        call_command("load_divisions", stdout=io.StringIO())
        call_command(
            "generate_directory", "--officials=200", "--provinces=80", stdout=io.StringIO()
        )
        assert Mailbox.objects.filter(status="retired").exists()
        assert Mailbox.objects.exclude(official=None).filter(official__published=False).exists()
        assert_flags_follow_the_rule()

    def test_refresh_public_after_an_update(self, department, unit):
        Agency.objects.filter(pk=unit.pk).update(published=False)
        Official.objects.filter(full_name="Hoàng Văn Ví Dụ").update(is_active=False)
        Mailbox.objects.filter(address="stt@longan.gov.vn").update(published=False)
        assert flagged() != by_the_rule()
        Agency.objects.refresh_public()
        assert Mailbox.objects.all().refresh_public() == Mailbox.objects.count()
        assert_flags_follow_the_rule()

    def test_the_migration_fills_the_flags(self, department, unit):
        hidden = make_official(department, "Lê Kín Đáo", published=False)
        make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
        Mailbox.objects.update(is_public=Q(published=False))  # every flag wrong but one
        Agency.objects.update(name_key="")
        migration = importlib.import_module("agencies.migrations.0006_public_flag_and_name_key")
        migration.fill(apps, schema_editor=None)
        assert_flags_follow_the_rule()
        assert Agency.objects.get(pk=unit.pk).name_key == "trung tam cong nghe thong tin"


INPUTS = {"status", "published", "is_active", "agency", "agency_id", "official", "official_id"}


def test_no_code_updates_an_input_of_the_rule_behind_its_back():
    """`QuerySet.update()` skips save(): code that updates what the rule reads this way must
    write `is_public` in the same call. (Tests may, followed by `refresh_public()`.)"""
    offenders = []
    for package in ("agencies", "directory", "portal"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "update"
                ):
                    names = {keyword.arg for keyword in node.keywords}
                    if names & INPUTS and "is_public" not in names:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
