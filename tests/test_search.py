import datetime
import unicodedata

import pytest

from agencies.models import Mailbox
from directory.search import search_mailboxes

from .factories import make_agency, make_mailbox, make_official


def addresses(query, province=None):
    return [mailbox.address for mailbox in search_mailboxes(query, province)]


@pytest.fixture
def directory(department, gia_lai):
    dong_nai_like = make_agency(gia_lai, "Sở Tài chính tỉnh Gia Lai")
    make_mailbox(dong_nai_like, "stc@gialai.gov.vn")
    return department


@pytest.mark.parametrize(
    "query",
    [
        "so thong tin long an",
        "SỞ THÔNG TIN",
        "Sở Thông tin và Truyền thông",
        "long an thong tin so",  # any order
        "sở thông tin",
        "stt@longan.gov.vn",
        "STT@LONGAN.GOV.VN",
        "tay ninh truyen",
    ],
)
def test_finds_the_department_however_it_is_typed(directory, query):
    assert "stt@longan.gov.vn" in addresses(query)


def test_nfd_query_finds_the_same(directory):
    query = unicodedata.normalize("NFD", "Sở Thông tin Long An")
    assert addresses(query) == addresses("so thong tin long an")


def test_every_word_must_match(directory):
    assert addresses("so thong tin gia lai") == []
    assert addresses("so tai chinh gia lai") == ["stc@gialai.gov.vn"]


def test_d_with_stroke_folds_to_d(tay_ninh):
    make_mailbox(
        make_agency(tay_ninh, "Ủy ban nhân dân xã Đồng Nai Mới"), "ubnddongnai@tayninh.gov.vn"
    )
    assert addresses("dong nai") == ["ubnddongnai@tayninh.gov.vn"]
    assert addresses("ĐỒNG NAI") == ["ubnddongnai@tayninh.gov.vn"]


def test_words_match_from_their_beginning(directory):
    assert "stt@longan.gov.vn" in addresses("truyen thon")
    assert addresses("ruyen") == []


def test_agency_mailboxes_come_before_people(directory):
    assert addresses("thong tin long an")[:2] == ["stt@longan.gov.vn", "duhv@longan.gov.vn"]


def test_official_found_by_name_and_position(directory):
    assert addresses("hoang van vi du") == ["duhv@longan.gov.vn"]
    assert addresses("giam doc thong tin") == ["duhv@longan.gov.vn"]


def test_province_filter(directory, gia_lai, tay_ninh):
    assert addresses("so", province=gia_lai) == ["stc@gialai.gov.vn"]
    assert "stc@gialai.gov.vn" not in addresses("so", province=tay_ninh)


def test_empty_or_punctuation_only_query_finds_nothing(directory):
    assert addresses("") == []
    assert addresses(" .,;@ ") == []


class TestOnlyPublicRecordsAreFound:
    def test_unpublished_official(self, department):
        hidden = make_official(department, "Lê Kín Đáo", published=False)
        make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
        assert addresses("kin dao") == []

    def test_unpublished_mailbox(self, department):
        make_mailbox(department, "noibo@longan.gov.vn", published=False)
        assert addresses("noibo") == []

    def test_retired_mailbox(self, department):
        Mailbox.objects.filter(address="stt@longan.gov.vn").update(
            status=Mailbox.Status.RETIRED, retired_on=datetime.date(2025, 7, 1)
        )
        assert "stt@longan.gov.vn" not in addresses("thong tin long an")

    def test_official_who_left(self, department):
        department.officials.update(is_active=False)
        assert addresses("vi du") == []

    def test_unpublished_or_dissolved_agency(self, department):
        department.published = False
        department.save()
        assert addresses("thong tin long an") == []
        department.published, department.is_active = True, False
        department.save()
        assert addresses("thong tin long an") == []
