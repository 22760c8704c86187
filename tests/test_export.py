"""Exports: the address-list format round-trips; vCard and JSON for people and programs;
public downloads carry only public records; formulas never run in a spreadsheet."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from agencies.exporting import fold_line, restore_formula
from agencies.models import Mailbox, Official

from .factories import make_agency, make_mailbox, make_official
from .test_import import directory_state, run_import


@pytest.fixture
def directory(department, gia_lai):
    unit = make_agency(name="Phòng Bưu chính", parent=department, code="000.31.02.H37")
    make_mailbox(unit, "pbc.stt@longan.gov.vn")
    tricky = make_official(unit, 'Lê =HYPERLINK("x")', "-Phó phòng; kiêm nhiệm, tổ trưởng")
    make_mailbox(unit, "le@longan.gov.vn", official=tricky)
    hidden = make_official(department, "Trần Kín Đáo", published=False)
    make_mailbox(department, "daotk@longan.gov.vn", official=hidden, published=False)
    make_mailbox(
        make_agency(gia_lai, "Sở Nội vụ tỉnh Gia Lai", code="000.33.00.H21"), "snv@gialai.gov.vn"
    )
    return department


def export(file_format, *args, tmp_path):
    path = tmp_path / f"export.{file_format}"
    call_command("export_directory", "--format", file_format, "-o", str(path), *args)
    return path


class TestPublication:
    def test_an_official_not_competent_stays_unpublished_through_a_round_trip(
        self, directory, tmp_path
    ):
        hidden = make_official(directory, "Phan Không Công Bố", published=False)
        make_mailbox(directory, "phankcb@longan.gov.vn", official=hidden)  # mailbox published
        path = export("csv", "--include-unpublished", tmp_path=tmp_path)
        row = next(line for line in path.read_text("utf-8-sig").splitlines() if "phankcb" in line)
        assert row.endswith(",cá nhân,không")
        result = run_import(path.read_bytes(), filename=path.name)
        assert result.ok and result.updated == 0
        assert not Mailbox.objects.public().filter(address="phankcb@longan.gov.vn").exists()
        assert Official.objects.get(full_name="Phan Không Công Bố").published is False


class TestRoundTrip:
    @pytest.mark.parametrize("file_format", ["csv", "xlsx"])
    def test_export_then_import_changes_nothing(self, directory, tmp_path, file_format):
        path = export(file_format, "--include-unpublished", tmp_path=tmp_path)
        before = directory_state(), Mailbox.history.count(), Official.history.count()
        result = run_import(path.read_bytes(), filename=path.name)
        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
        assert (directory_state(), Mailbox.history.count(), Official.history.count()) == before


class TestFormulas:
    def test_csv_and_xlsx_cells_never_start_a_formula(self, directory, tmp_path):
        rows = list(
            csv.reader(io.StringIO(export("csv", tmp_path=tmp_path).read_text("utf-8-sig")))
        )
        cells = [cell for row in rows for cell in row]
        assert '\'Lê =HYPERLINK("x")' not in cells  # not at the start: left alone
        assert 'Lê =HYPERLINK("x")' in cells
        assert "'-Phó phòng; kiêm nhiệm, tổ trưởng" in cells
        sheet = openpyxl.load_workbook(export("xlsx", tmp_path=tmp_path)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        assert "'-Phó phòng; kiêm nhiệm, tổ trưởng" in values
        assert not any(str(value).startswith(("=", "+", "-", "@")) for value in values if value)

    def test_json_and_vcard_keep_the_text(self, directory, tmp_path):
        items = json.loads(export("json", tmp_path=tmp_path).read_text("utf-8"))
        assert {"position": "-Phó phòng; kiêm nhiệm, tổ trưởng"}.items() <= next(
            item for item in items if item["email"] == "le@longan.gov.vn"
        ).items()
        cards = export("vcf", tmp_path=tmp_path).read_text("utf-8")
        assert "TITLE:-Phó phòng\\; kiêm nhiệm\\, tổ trưởng" in cards.replace("\r\n ", "")

    @pytest.mark.parametrize("text", ["=1+1", "+84", "-x", "@a", "\tx", "\rx", "'=1", "ok"])
    def test_restore_undoes_neutralise(self, text):
        from agencies.exporting import neutralise_formula

        assert restore_formula(neutralise_formula(text)) == text


class TestFormats:
    def test_json_items_have_the_documented_fields(self, directory, tmp_path):
        items = json.loads(export("json", tmp_path=tmp_path).read_text("utf-8"))
        assert set(items[0]) == {
            "province",
            "agency_code",
            "agency_name",
            "parent_code",
            "full_name",
            "position",
            "email",
            "kind",
            "published",
        }
        assert {item["email"] for item in items} == {
            "stt@longan.gov.vn",
            "duhv@longan.gov.vn",
            "pbc.stt@longan.gov.vn",
            "le@longan.gov.vn",
            "snv@gialai.gov.vn",
        }

    def test_vcards_are_valid_vcard_4(self, directory, tmp_path):
        raw = export("vcf", tmp_path=tmp_path).read_bytes()
        text = raw.decode("utf-8")
        assert text.count("BEGIN:VCARD\r\n") == text.count("END:VCARD\r\n") == 5
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        unfolded = text.replace("\r\n ", "")
        assert "KIND:individual\r\nFN:Hoàng Văn Ví Dụ\r\nN:Hoàng;Dụ;Văn Ví;;" in unfolded
        assert "EMAIL;TYPE=work:stt@longan.gov.vn" in unfolded
        assert "KIND:org\r\nFN:Sở Thông tin và Truyền thông tỉnh Long An" in unfolded

    def test_long_lines_fold_without_splitting_a_letter(self):
        line = "FN:" + "Nguyễn Thị Ánh Tuyết " * 10
        folded = fold_line(line)
        assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
        assert folded.replace("\r\n ", "") == line

    def test_by_province_and_by_agency(self, directory, tmp_path):
        by_province = export("csv", "--province", "gia-lai", tmp_path=tmp_path).read_text()
        assert "snv@gialai.gov.vn" in by_province and "stt@longan" not in by_province
        by_agency = export("csv", "--agency", "000.31.02.H37", tmp_path=tmp_path).read_text()
        assert "pbc.stt@longan.gov.vn" in by_agency and ",stt@longan.gov.vn," not in by_agency


class TestPublicDownloads:
    @pytest.mark.parametrize("file_format", ["csv", "xlsx", "vcf", "json"])
    def test_carry_only_what_the_public_pages_show(self, client, directory, file_format):
        response = client.get(f"/tai-ve/danh-ba.{file_format}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        if file_format == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(body)).active
            body = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row).encode()
        assert b"daotk@longan.gov.vn" not in body
        assert "Kín Đáo".encode() not in body
        assert b"duhv@longan.gov.vn" in body

    def test_province_and_agency_downloads(self, client, directory):
        province = b"".join(client.get("/tinh/gia-lai/tai-ve.csv").streaming_content)
        assert b"snv@gialai.gov.vn" in province and b"longan" not in province
        url = directory.get_absolute_url() + "tai-ve.vcf"
        cards = b"".join(client.get(url).streaming_content).decode()
        assert "pbc.stt@longan.gov.vn" in cards and "gialai" not in cards
        assert client.get("/tinh/khong-co/tai-ve.csv").status_code == 404

    def test_templates_have_the_vietnamese_headers(self, client, db):
        text = client.get("/tai-ve/mau-danh-sach.csv").content.decode("utf-8-sig")
        assert text.strip() == (
            "Tỉnh,Mã cơ quan,Tên cơ quan,Mã cơ quan cấp trên,Họ và tên,"
            "Chức vụ,Thư điện tử,Loại,Công khai"
        )
        workbook = openpyxl.load_workbook(
            io.BytesIO(b"".join(client.get("/tai-ve/mau-danh-sach.xlsx").streaming_content))
        )
        assert [cell.value for cell in workbook["Danh sách"][1]][:2] == ["Tỉnh", "Mã cơ quan"]
        assert workbook.sheetnames == ["Danh sách", "Hướng dẫn"]
