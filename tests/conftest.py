import pytest

from .factories import make_agency, make_mailbox, make_official, make_province


@pytest.fixture
def tay_ninh(db):
    province = make_province("80", "Tây Ninh", "tayninh.gov.vn")
    province.domains.create(name="longan.gov.vn", note="Long An trước 01/7/2025")
    return province


@pytest.fixture
def gia_lai(db):
    return make_province("52", "Gia Lai", "gialai.gov.vn")


@pytest.fixture
def department(tay_ninh):
    """Sở Thông tin và Truyền thông tỉnh Long An, now in Tây Ninh, with its mailbox and a
    published official."""
    agency = make_agency(
        tay_ninh,
        "Sở Thông tin và Truyền thông tỉnh Long An",
        code="000.31.00.H37",
        kind="department",
    )
    make_mailbox(agency, "stt@longan.gov.vn")
    director = make_official(agency, "Hoàng Văn Ví Dụ", "Giám đốc")
    make_mailbox(agency, "duhv@longan.gov.vn", official=director)
    return agency
