import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agencies.text import clean, fold, search_key, search_words, vietnamese_slug

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " .-@0123456789"), max_size=60
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Thông tin và Truyền thông", "so thong tin va truyen thong"),
        ("SỞ THÔNG TIN", "so thong tin"),
        ("Đồng Nai", "dong nai"),
        ("đường ĐIỆN BIÊN PHỦ", "duong dien bien phu"),
        ("Ðồng Tháp", "dong thap"),  # U+00D0, as legacy converters wrote Đ
        ("Nguyễn Thị Thủy", "nguyen thi thuy"),
        ("Khánh Hòa", "khanh hoa"),
    ],
)
def test_fold_strips_every_vietnamese_mark(text, folded):
    assert fold(text) == folded


def test_fold_gives_the_same_for_nfc_and_nfd():
    nfd = unicodedata.normalize("NFD", "Đồng Nai Ủy ban")
    assert nfd != "Đồng Nai Ủy ban"
    assert fold(nfd) == fold("Đồng Nai Ủy ban") == "dong nai uy ban"


@given(vietnamese_text)
def test_fold_is_ascii_lower_case_and_idempotent(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(folded) == folded


@given(vietnamese_text)
def test_fold_ignores_normal_form_and_case(text):
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert fold(unicodedata.normalize(form, text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower())


@given(vietnamese_text)
def test_fold_keeps_one_letter_per_letter(text):
    """No letter vanishes: `đ` and every marked vowel keep their place as a letter."""
    nfc = unicodedata.normalize("NFC", text)
    assert len(fold(nfc)) == len(nfc)


def test_search_words_split_addresses_and_punctuation():
    assert search_words("STT@LongAn.gov.vn") == ["stt", "longan", "gov", "vn"]
    assert search_words("Sở TT&TT, tỉnh Long An") == ["so", "tt", "tt", "tinh", "long", "an"]


def test_search_key_frames_words_with_spaces():
    assert search_key("Sở Nội vụ", None, "", "Tây Ninh") == " so noi vu tay ninh "
    assert search_key(None, "") == ""


def test_clean_gives_nfc_with_single_spaces():
    text = unicodedata.normalize("NFD", "  Nguyễn   Văn\tAn ")
    assert clean(text) == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", clean(text))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Đồng Nai", "dong-nai"),
        ("Sở Tài chính tỉnh Đắk Lắk", "so-tai-chinh-tinh-dak-lak"),
        ("Ủy ban nhân dân xã Đề Gi", "uy-ban-nhan-dan-xa-de-gi"),
    ],
)
def test_slug_keeps_d_of_dd(name, slug):
    assert vietnamese_slug(name) == slug
