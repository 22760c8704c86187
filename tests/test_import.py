"""Importing address lists: all or nothing, idempotent, scoped to the uploader."""

import datetime
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agencies.importing import DirectoryImport
from agencies.models import Agency, Mailbox, Official, Role
from agencies.tablefiles import read_address_list

from .factories import make_agency, make_mailbox, make_staff

DATA = Path(__file__).parent / "data"
HEADER = (
    "Tỉnh,Mã cơ quan,Tên cơ quan,Mã cơ quan cấp trên,Họ và tên,Chức vụ,Thư điện tử,Loại,Công khai"
)
LIST = [
    "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@tayninh.gov.vn,cơ quan,có",
    "Tây Ninh,000.33.01.H60,Phòng Tổ chức,000.33.00.H60,,,ptc.snv@tayninh.gov.vn,cơ quan,có",
    "Tây Ninh,000.33.01.H60,Phòng Tổ chức,000.33.00.H60,Đặng Thị Ngọc Hà,Trưởng phòng,"
    "hadtn@tayninh.gov.vn,cá nhân,có",
    "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,Lê Văn Kín,Chuyên viên,kinlv@tayninh.gov.vn,"
    "cá nhân,không",
]


def csv_file(*rows, header=HEADER):
    return "\n".join([header, *rows]).encode("utf-8")


def run_import(data, user=None, dry_run=False, filename="list.csv"):
    table = read_address_list(data, filename)
    importer = DirectoryImport(user, dry_run=dry_run, keep_outcomes=100)
    return importer.run(table.reread, table.columns)


def directory_state():
    """Everything an import could touch, to compare before and after."""
    return (
        sorted(Agency.objects.values_list("code", "name", "parent__code")),
        sorted(Official.objects.values_list("agency__code", "full_name", "position", "published")),
        sorted(Mailbox.objects.values_list("address", "kind", "agency__code", "published")),
    )


class TestFirstImport:
    def test_creates_agencies_units_officials_and_mailboxes(self, tay_ninh):
        result = run_import(csv_file(*LIST))
        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
        department = Agency.objects.get(code="000.33.00.H60")
        unit = Agency.objects.get(code="000.33.01.H60")
        assert (department.province, department.kind) == (tay_ninh, Agency.Kind.DEPARTMENT)
        assert unit.parent == department
        assert unit.get_absolute_url() == "/tinh/tay-ninh/so-noi-vu-tinh-tay-ninh/phong-to-chuc/"
        mailbox = Mailbox.objects.get(address="hadtn@tayninh.gov.vn")
        assert (mailbox.kind, mailbox.agency, mailbox.published) == ("personal", unit, True)
        assert mailbox.official.full_name == "Đặng Thị Ngọc Hà"
        assert mailbox.official.position == "Trưởng phòng"
        assert " ngoc ha " in mailbox.search_key and " phong to chuc " in mailbox.search_key

    def test_published_no_keeps_an_official_off_the_public_pages(self, tay_ninh):
        run_import(csv_file(*LIST))
        assert not Mailbox.objects.public().filter(address="kinlv@tayninh.gov.vn").exists()
        assert Mailbox.objects.public().filter(address="hadtn@tayninh.gov.vn").exists()

    def test_a_unit_may_come_before_its_parent(self, tay_ninh):
        result = run_import(csv_file(LIST[1], LIST[0]))
        assert result.ok, result.errors
        assert Agency.objects.get(code="000.33.01.H60").parent.code == "000.33.00.H60"

    def test_history_records_who_imported(self, tay_ninh):
        it = make_staff("tin_hoc", Role.Kind.PROVINCE_IT, province=tay_ninh)
        run_import(csv_file(*LIST), user=it)
        mailbox = Mailbox.objects.get(address="hadtn@tayninh.gov.vn")
        record = mailbox.history.get()
        assert (record.history_type, record.history_user) == ("+", it)
        assert record.history_change_reason == "Nhập danh sách địa chỉ"
        for field in Mailbox.history.model.tracked_fields:
            assert getattr(record, field.attname) == getattr(mailbox, field.attname), field.name
        assert Official.history.filter(full_name="Đặng Thị Ngọc Hà", history_user=it).exists()
        assert Agency.history.filter(code="000.33.01.H60", history_type="+").exists()


class TestReimport:
    def test_the_same_file_twice_changes_nothing(self, tay_ninh):
        run_import(csv_file(*LIST))
        before = directory_state(), Mailbox.history.count(), Official.history.count()
        result = run_import(csv_file(*LIST))
        assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
        assert (directory_state(), Mailbox.history.count(), Official.history.count()) == before

    def test_a_changed_row_is_updated_with_history(self, tay_ninh):
        run_import(csv_file(*LIST))
        changed = LIST[3].replace("Chuyên viên,", "Phó Giám đốc,").replace("không", "có")
        result = run_import(csv_file(*LIST[:3], changed))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
        mailbox = Mailbox.objects.get(address="kinlv@tayninh.gov.vn")
        assert mailbox.published and mailbox.official.position == "Phó Giám đốc"
        assert mailbox.official.published
        assert " pho giam doc " in mailbox.search_key
        assert [r.history_type for r in mailbox.history.order_by("history_date")] == ["+", "~"]
        assert Mailbox.objects.public().filter(address="kinlv@tayninh.gov.vn").exists()

    def test_export_format_round_trip_of_an_existing_directory(self, department):
        rows = [
            "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,,,"
            "stt@longan.gov.vn,cơ quan,có",
            "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,Hoàng Văn Ví Dụ,"
            "Giám đốc,duhv@longan.gov.vn,cá nhân,có",
        ]
        before = directory_state()
        result = run_import(csv_file(*rows))
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert directory_state() == before


class TestAllOrNothing:
    def test_one_bad_row_among_many_commits_nothing(self, tay_ninh):
        rows = [
            f"Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,Nguyễn Văn Số {n},Chuyên viên,"
            f"so{n}@tayninh.gov.vn,cá nhân,có"
            for n in range(3000)
        ]
        rows[2500] = rows[2500].replace("so2500@tayninh.gov.vn", "so2500@tayninh")
        before = directory_state(), Mailbox.history.count()
        result = run_import(csv_file(*rows))
        assert [(e.row, e.column) for e in result.errors] == [(2502, "Thư điện tử")]
        assert "so2500@tayninh" in result.errors[0].message
        assert (directory_state(), Mailbox.history.count()) == before

    def test_a_dry_run_counts_and_writes_nothing(self, tay_ninh):
        before = directory_state()
        result = run_import(csv_file(*LIST), dry_run=True)
        assert (result.ok, result.created) == (True, 4)
        assert directory_state() == before

    @pytest.mark.parametrize(
        ("row", "column", "words"),
        [
            (
                "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@gmail.com,cơ quan,có",
                "Thư điện tử",
                ".gov.vn",
            ),
            (
                "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,sai địa chỉ,cơ quan,có",
                "Thư điện tử",
                "không phải địa chỉ",
            ),
            (
                "Tây Ninh,000-33-00,Sở Nội vụ,,,,snv@tayninh.gov.vn,cơ quan,có",
                "Mã cơ quan",
                "mã định danh",
            ),
            (
                "Hà Tây,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@tayninh.gov.vn,cơ quan,có",
                "Tỉnh",
                "Hà Tây",
            ),
            (
                "Tây Ninh,000.33.02.H60,Phòng Mồ Côi,999.99.H99,,,pmc@tayninh.gov.vn,cơ quan,có",
                "Mã cơ quan cấp trên",
                "999.99.H99",
            ),
            (
                "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@tayninh.gov.vn,cá nhân,có",
                "Họ và tên",
                "họ tên",
            ),
            (
                "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@tayninh.gov.vn,phòng ban,có",
                "Loại",
                "phòng ban",
            ),
            (
                "Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,snv@tayninh.gov.vn,cơ quan,chưa",
                "Công khai",
                "chưa",
            ),
            ("Tây Ninh,000.33.00.H60,,,,,snv@tayninh.gov.vn,cơ quan,có", "Tên cơ quan", "tên"),
        ],
    )
    def test_bad_rows_are_refused_with_row_column_and_reason(self, tay_ninh, row, column, words):
        result = run_import(csv_file(LIST[0].replace("snv@", "khac@"), row))
        assert [(e.row, e.column) for e in result.errors] == [(3, column)]
        assert words.lower() in result.errors[0].message.lower()
        assert not Agency.objects.exists()

    def test_a_duplicate_address_inside_the_file(self, tay_ninh):
        result = run_import(csv_file(LIST[0], LIST[1], LIST[0].replace("cơ quan,có", ",có")))
        assert [(e.row, e.column) for e in result.errors] == [(4, "Thư điện tử")]
        assert "2" in result.errors[0].message

    def test_a_duplicate_address_against_the_database(self, department, tay_ninh):
        result = run_import(
            csv_file("Tây Ninh,000.33.00.H60,Sở Nội vụ tỉnh Tây Ninh,,,,STT@longan.gov.vn,,có")
        )
        assert len(result.errors) == 1
        assert "Sở Thông tin và Truyền thông tỉnh Long An" in result.errors[0].message
        assert not Agency.objects.filter(code="000.33.00.H60").exists()

    def test_a_retired_address_is_not_revived_by_an_import(self, department):
        mailbox = Mailbox.objects.get(address="stt@longan.gov.vn")
        mailbox.status, mailbox.retired_on = "retired", datetime.date(2026, 1, 2)
        mailbox.save()
        result = run_import(
            csv_file(
                "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,,,"
                "stt@longan.gov.vn,cơ quan,có"
            )
        )
        assert "2026-01-02" in result.errors[0].message
        assert Mailbox.objects.get(address="stt@longan.gov.vn").status == "retired"


class TestScope:
    """Two agencies in Tây Ninh, one in Gia Lai; a focal officer of each Tây Ninh agency."""

    @pytest.fixture
    def focal_a(self, department):
        return make_staff("focal_a", Role.Kind.FOCAL, agency=department)

    @pytest.fixture
    def agency_b(self, tay_ninh):
        agency = make_agency(tay_ninh, "Sở Nội vụ tỉnh Tây Ninh", code="000.33.00.H60")
        make_mailbox(agency, "snv@tayninh.gov.vn")
        return agency

    def test_a_focal_officer_cannot_touch_another_agency(self, focal_a, agency_b):
        before = directory_state()
        result = run_import(csv_file(LIST[0].replace("cơ quan,có", "cơ quan,không")), user=focal_a)
        assert [(e.row, e.column) for e in result.errors] == [(2, "Mã cơ quan")]
        assert "ngoài phạm vi" in result.errors[0].message
        assert directory_state() == before

    def test_nor_claim_another_agencys_address_for_their_own(self, focal_a, agency_b):
        result = run_import(
            csv_file(
                "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,,,"
                "snv@tayninh.gov.vn,cơ quan,có"
            ),
            user=focal_a,
        )
        assert len(result.errors) == 1
        assert "ngoài phạm vi" in result.errors[0].message
        assert "Sở Nội vụ" not in result.errors[0].message
        assert Mailbox.objects.get(address="snv@tayninh.gov.vn").agency == agency_b

    def test_a_focal_officer_may_add_a_unit_under_their_agency(self, focal_a, department):
        result = run_import(
            csv_file(
                "Tây Ninh,000.31.02.H37,Phòng Bưu chính,000.31.00.H37,,,pbc.stt@longan.gov.vn,,có"
            ),
            user=focal_a,
        )
        assert result.ok, result.errors
        assert Agency.objects.get(code="000.31.02.H37").parent == department

    def test_but_not_a_new_top_level_agency(self, focal_a):
        result = run_import(csv_file(LIST[0]), user=focal_a)
        assert "ngoài phạm vi" in result.errors[0].message

    def test_it_staff_import_only_their_province(self, gia_lai, tay_ninh):
        it_gia_lai = make_staff("it_gl", Role.Kind.PROVINCE_IT, province=gia_lai)
        result = run_import(csv_file(LIST[0]), user=it_gia_lai)
        assert not result.ok
        assert not Agency.objects.exists()
        it_tay_ninh = make_staff("it_tn", Role.Kind.PROVINCE_IT, province=tay_ninh)
        assert run_import(csv_file(LIST[0]), user=it_tay_ninh).ok


class TestCommand:
    def test_imports_a_windows_1258_file_as_nfc(self, tay_ninh, gia_lai, capsys):
        call_command("import_directory", str(DATA / "windows1258.csv"))
        out = capsys.readouterr().out
        assert "created 4, updated 0, unchanged 0" in out
        assert "agencies: created 4, renamed or moved 0; officials created 3" in out
        official = Official.objects.get(full_name="Đặng Thị Ngọc Hà")
        assert unicodedata.is_normalized("NFC", official.full_name)
        assert Agency.objects.get(code="000.00.12.H21").name == "Văn phòng Đoàn đại biểu Quốc hội"
        assert Mailbox.objects.get(address="quynhlh@gialai.gov.vn").published is False

    def test_dry_run(self, tay_ninh, gia_lai, capsys):
        call_command("import_directory", str(DATA / "utf8.csv"), "--dry-run")
        assert "created 4" in capsys.readouterr().out
        assert not Mailbox.objects.exists()

    def test_errors_exit_non_zero_and_name_the_rows(self, tay_ninh, capsys):
        # utf8.csv names Gia Lai, which this database does not have
        with pytest.raises(CommandError) as error:
            call_command("import_directory", str(DATA / "utf8.csv"))
        assert "nothing was imported" in str(error.value)
        assert "row 5, Tỉnh" in capsys.readouterr().err
        assert not Mailbox.objects.exists()

    def test_an_unreadable_file_is_refused(self, db):
        with pytest.raises(CommandError) as error:
            call_command("import_directory", str(DATA / "image.png"))
        assert "image.png" in str(error.value)


class TestAgencyMoves:
    """What a list may do to agencies already in the directory."""

    @pytest.fixture
    def unit(self, department):
        return make_agency(name="Phòng Bưu chính", parent=department, code="000.31.02.H37")

    def row(self, code, name, parent, email):
        return f"Tây Ninh,{code},{name},{parent},,,{email},cơ quan,có"

    def test_a_focal_officer_cannot_move_their_agency_to_another_province(
        self, department, gia_lai
    ):
        make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai", code="000.33.00.H21")
        focal = make_staff("focal_a", Role.Kind.FOCAL, agency=department)
        result = run_import(
            csv_file(
                self.row("000.31.00.H37", department.name, "000.33.00.H21", "stt@longan.gov.vn")
            ),
            user=focal,
        )
        assert [(e.row, e.column) for e in result.errors] == [(2, "Mã cơ quan cấp trên")]
        department.refresh_from_db()
        assert (department.parent, department.province.name) == (None, "Tây Ninh")

    def test_an_agency_cannot_go_under_its_own_unit(self, department, unit):
        result = run_import(
            csv_file(
                self.row("000.31.00.H37", department.name, "000.31.02.H37", "stt@longan.gov.vn")
            )
        )
        assert "đơn vị trực thuộc của chính nó" in result.errors[0].message
        department.refresh_from_db()
        assert department.parent is None and department.path_slug.count("/") == 0

    def test_an_empty_parent_keeps_a_unit_where_it_is(self, department, unit):
        make_mailbox(unit, "pbc@longan.gov.vn")
        result = run_import(csv_file(self.row("000.31.02.H37", unit.name, "", "pbc@longan.gov.vn")))
        assert (result.ok, result.unchanged, result.agencies_updated) == (True, 1, 0)
        unit.refresh_from_db()
        assert unit.parent == department

    def test_an_agency_can_move_under_a_new_unit_of_the_same_file(self, department, unit):
        result = run_import(
            csv_file(
                self.row("000.31.09.H37", "Phòng Mới", "000.31.00.H37", "pm@longan.gov.vn"),
                self.row("000.31.02.H37", unit.name, "000.31.09.H37", "pbc2@longan.gov.vn"),
            )
        )
        assert result.ok, result.errors
        unit.refresh_from_db()
        assert unit.parent.code == "000.31.09.H37"
        assert unit.path_slug.endswith("phong-moi/phong-buu-chinh")

    def test_a_new_address_brings_an_official_back_in_post(self, department):
        official = department.officials.get()
        official.is_active = False
        official.save()
        result = run_import(
            csv_file(
                "Tây Ninh,000.31.00.H37,Sở Thông tin và Truyền thông tỉnh Long An,,Hoàng Văn Ví Dụ,"
                "Giám đốc,vidu2@longan.gov.vn,cá nhân,có"
            )
        )
        assert result.ok and result.created == 1
        official.refresh_from_db()
        assert official.is_active
        assert Mailbox.objects.public().filter(address="vidu2@longan.gov.vn").exists()
