"""Reading uploaded address lists: every file shape Excel and old fonts give, or a clear no.

The sample files in tests/data/ are real bytes, made by tests/data/make_samples.py.
"""

import inspect
import tracemalloc
import unicodedata
from pathlib import Path

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from agencies.tablefiles import FIELDS, AddressListError, read_address_list

from .data.make_samples import EXPECTED, HEADER, csv_text, to_cp1258, to_tcvn3, to_vni

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source; locale/ holds the Vietnamese."""
    with translation.override("en"):
        yield


def read(name, filename=None):
    return read_address_list((DATA / name).read_bytes(), filename or name)


def values(table):
    return [[row.values.get(field, "") for field in FIELDS] for row in table.rows]


def refusal(data, filename="danh-ba.csv"):
    """The code and message of the error reading `data` gives, at once or on the rows."""
    with pytest.raises(AddressListError) as caught:
        list(read_address_list(data, filename).rows)
    assert isinstance(caught.value, ValidationError)
    return caught.value.code, caught.value.messages[0]


def list_of(names, column=4):
    """A CSV with one row per name, in the column `column` (full name by default)."""
    rows = [
        ["80", f"X.{index}", "Sở", "", "", "", "a@b.gov.vn", "", ""] for index in range(len(names))
    ]
    for row, name in zip(rows, names, strict=True):
        row[column] = name
    return csv_text(HEADER, rows)


# Encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "converted_from"),
    [
        ("utf8.csv", "utf-8", None),
        ("utf8_bom_semicolon.csv", "utf-8-sig", None),
        ("nfd.csv", "utf-8", None),
        ("unicode_text_utf16le.txt", "utf-16", None),
        ("unicode_text_utf16be.txt", "utf-16", None),
        ("windows1258.csv", "cp1258", None),
        ("tcvn3.csv", "tcvn3", "tcvn3"),
        ("vni.csv", "vni", "vni"),
        ("vni_font_in_utf8.csv", "utf-8", "vni"),
        ("template_header_vni_rows.csv", "utf-8", "vni"),
        ("tcvn3_font.xlsx", "xlsx", "tcvn3"),
    ],
)
def test_every_shape_of_the_same_list_reads_the_same(name, encoding, converted_from):
    table = read(name)
    assert (table.encoding, table.converted_from) == (encoding, converted_from)
    assert values(table) == EXPECTED


def test_legacy_font_text_comes_back_as_unicode():
    assert b"S\xeb N\xe9i v\xf4" in (DATA / "tcvn3.csv").read_bytes()  # Së Néi vô
    assert b"S\xf4\xfb No\xe4i vu\xef" in (DATA / "vni.csv").read_bytes()  # Sôû Noäi vuï
    for name in ("tcvn3.csv", "vni.csv"):
        first, second, third, fourth = read(name).rows
        assert first.values["agency_name"] == "Sở Nội vụ"
        assert unicodedata.is_normalized("NFC", first.values["agency_name"])
        # đ/Đ, ư, ơ, ă, â, ê, ô and the five tones: sắc, huyền, hỏi, ngã, nặng
        assert second.values["full_name"] == "Đặng Thị Ngọc Hà"
        assert second.values["position"] == "Trưởng phòng"
        assert third.values["full_name"] == "Lương Hữu Quỳnh"
        assert fourth.values["full_name"] == "Phạm Ngữ Mỹ"
        assert fourth.values["position"] == "Phó Giám đốc Sở"


@pytest.mark.parametrize(
    ("legacy", "text"),
    [
        # As other converters document them: .VnTime text, with ư as the soft hyphen 0xAD.
        (b"B\xb6o Th\xbeng, M\xad\xeang Kh\xad\xacng", "Bảo Thắng, Mường Khương"),
        (b"Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),  # VNI: Xin chaøo caùc baïn
    ],
    ids=["tcvn3", "vni"],
)
def test_text_written_by_other_converters_reads_the_same(legacy, text):
    data = b'province,agency_code,agency_name,email\r\n"%s",X.1,N,a@b.gov.vn\r\n' % legacy
    (row,) = read_address_list(data, "danh-ba.csv").rows
    assert row.values["province"] == text


VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LETTERS = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES]


@pytest.mark.parametrize(
    ("encode", "words"),
    [
        (to_cp1258, [f"t{letter}n T{letter.upper()}N" for letter in LETTERS] + ["đan ĐAN"]),
        (to_vni, [f"t{letter}n T{letter.upper()}N" for letter in LETTERS] + ["đan ĐAN"]),
        # TCVN3 has no capitals with a tone: .VnTimeH draws the lower-case codes as capitals.
        (to_tcvn3, [f"t{letter}n" for letter in LETTERS] + ["đan Đan ĂN ÂN ÊN ÔN ƠN ƯN"]),
    ],
    ids=["windows-1258", "vni", "tcvn3"],
)
def test_every_vietnamese_letter_survives(encode, words):
    table = read_address_list(encode(list_of(words)), "letters.csv")
    assert [row.values["full_name"] for row in table.rows] == words


# Syllables of agency names and personal names, every vowel and tone among them.
WORDS = (
    "sở nội vụ tài chính phòng tổ chức biên chế văn đoàn đại biểu quốc hội trưởng chánh phó "
    "giám đốc nguyễn trần phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương thị hữu ngọc "
    "quỳnh mỹ ánh tuyết hương thủy khánh hòa đắk lắk tây đồng ủy nhân dân xã phường đặc "
    "thông truyền kế hoạch đầu tư giáo dục tế nông nghiệp môi trường công thương lao "
    "động người ưu tiên chuyên viên kiểm thanh ngữ tỉnh huyện điện tử khuya gửi"
)
SYLLABLES = st.sampled_from(WORDS.split())
ENCODERS = {
    "windows-1258": to_cp1258,
    "vni": to_vni,
    "tcvn3": to_tcvn3,
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-8 nfd": lambda text: unicodedata.normalize("NFD", text).encode("utf-8-sig"),
}


def names_of(words, case=str.lower):
    return [case(" ".join(words[start : start + 3])) for start in range(0, len(words), 3)]


@given(
    words=st.lists(SYLLABLES, min_size=12, max_size=40, unique=True),
    case=st.sampled_from([str.lower, str.title, str.upper]),
    encoding=st.sampled_from(sorted(ENCODERS)),
)
@hypothesis.settings(deadline=None)
def test_vietnamese_names_round_trip_through_every_encoding(words, case, encoding):
    names = names_of(words, str.lower if encoding == "tcvn3" else case)
    table = read_address_list(ENCODERS[encoding](list_of(names)), "random.csv")
    assert [row.values["full_name"] for row in table.rows] == names


@given(
    unicode_words=st.lists(SYLLABLES, min_size=3, max_size=9, unique=True),
    font_words=st.lists(SYLLABLES, min_size=12, max_size=30, unique=True),
    font=st.sampled_from([to_tcvn3, to_vni]),
    position=st.integers(0, 10),
)
@hypothesis.settings(deadline=None)
def test_a_list_mixing_unicode_and_legacy_font_rows_is_refused(
    unicode_words, font_words, font, position
):
    """Converting would garble the Unicode rows, not converting the font rows: refuse."""
    hypothesis.assume(any(ord(char) > 0xFF for char in "".join(unicode_words)))
    font_names = [font(name).decode("latin-1") for name in names_of(font_words)]
    names = [*font_names[:position], " ".join(unicode_words), *font_names[position:]]
    assert refusal(list_of(names).encode("utf-8"))[0] == "legacy_encoding"


def test_an_unsure_legacy_file_is_refused_naming_the_encoding_and_the_cure():
    code, message = refusal((DATA / "tcvn3_and_vni.csv").read_bytes())
    assert code == "legacy_encoding"
    assert "old VNI Windows encoding" in message
    assert "“Công cụ chuyển mã” (Unikey Toolkit" in message
    assert "choose source “VNI Windows” and destination “Unicode”" in message


# Headings, rows and cells --------------------------------------------------------------------


def test_headings_match_in_any_order_case_and_accents():
    assert read("utf8_bom_semicolon.csv").columns == {
        "email": "EMAIL",
        "agency_code": "Agency_Code",
        "agency_name": "agency name",
        "province": "PROVINCE",
        "full_name": "Full Name",
        "position": "position",
        "kind": "Kind",
        "published": "published",
        "parent_code": "parent-code",
    }
    assert read("unaccented_headers.csv").columns["email"] == "Thu Dien Tu"
    assert read("utf8.csv").columns["email"] == "Thư điện tử"
    assert read("tcvn3.csv").columns["parent_code"] == "Mã cơ quan cấp trên"


def test_rows_are_numbered_as_excel_shows_them_skipping_blank_lines():
    # utf8.csv: the header on line 1, line 4 blank, row 5's name spans two lines in quotes.
    assert [row.number for row in read("utf8.csv").rows] == [2, 3, 5, 6]
    assert [row.number for row in read("tcvn3_font.xlsx").rows] == [2, 3, 4, 5]


def test_only_the_columns_in_the_file_are_given():
    data = "Tỉnh,Mã cơ quan,Tên cơ quan,Thư điện tử\n80,X.1,Sở Nội vụ,snv@tayninh.gov.vn\n"
    (row,) = read_address_list(data.encode(), "danh-ba.csv").rows
    assert row.values == {
        "province": "80",
        "agency_code": "X.1",
        "agency_name": "Sở Nội vụ",
        "email": "snv@tayninh.gov.vn",
    }


def test_cells_are_trimmed_and_names_single_spaced_but_addresses_kept():
    data = "Tỉnh;Mã cơ quan;Tên cơ quan;Thư điện tử\n"
    data += " Đồng  Nai ;X.1;\tSở\u00a0 Nội   vụ ; Ab.C d@X.vn \n"
    (row,) = read_address_list(data.encode(), "danh-ba.csv").rows
    assert row.values["province"] == "Đồng Nai"
    assert row.values["agency_name"] == "Sở Nội vụ"
    assert row.values["email"] == "Ab.C d@X.vn"


def test_workbook_cells_become_text_from_the_first_sheet():
    table = read("list.xlsx")
    assert table.encoding == "xlsx"
    rows = list(table.rows)
    assert [row.number for row in rows] == [2, 3, 4, 5, 6, 7]  # formatted empty rows ignored
    assert [[row.values[field] for field in FIELDS] for row in rows[:4]] == EXPECTED
    assert rows[4].values["province"] == "80"
    assert rows[4].values["published"] == "1"  # TRUE
    assert rows[5].values["province"] == "80"  # 80.0
    assert rows[5].values["parent_code"] == "12.5"
    assert rows[5].values["position"] == "2025-07-01"
    assert rows[5].values["published"] == "0"


def test_the_content_tells_a_workbook_from_a_csv_not_the_name():
    assert read("list.xlsx", filename="danh-ba.csv").encoding == "xlsx"
    assert read("utf8.csv", filename="danh-ba.xlsx").encoding == "utf-8"
    assert refusal((DATA / "document.docx").read_bytes(), "danh-ba.xlsx")[0] == "binary_file"


# Refusals and limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "named"),
    [
        ("empty.csv", "empty_file", "“empty.csv” is empty"),
        ("blank.csv", "empty_file", "“blank.csv” is empty"),
        ("header_only.csv", "no_rows", "no addresses"),
        ("unknown_header.csv", "unknown_header", "“Ghi chú”, “Số điện thoại”"),
        ("missing_header.csv", "missing_header", "“Mã cơ quan (agency_code)”, “Thư điện tử"),
        ("duplicate_header.csv", "duplicate_header", "“email”, “Thư điện tử”"),
        ("random.bin", "binary_file", "CSV UTF-8"),
        ("image.png", "binary_file", "Excel Workbook (.xlsx)"),
        ("document.pdf", "binary_file", "Excel Workbook (.xlsx)"),
        ("document.docx", "binary_file", "Excel Workbook (.xlsx)"),
        ("western_european.csv", "undecodable", "CSV UTF-8"),
        ("broken_utf16.txt", "undecodable", "CSV UTF-8"),
        ("tcvn3_and_vni.csv", "legacy_encoding", "Unikey Toolkit"),
        ("unicode_and_vni_rows.csv", "legacy_encoding", "source “VNI Windows”"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(name, code, named):
    refused_code, message = refusal((DATA / name).read_bytes(), name)
    assert refused_code == code
    assert named in message


def test_the_size_limit_is_checked_before_anything_else(settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    code, message = refusal((DATA / "random.bin").read_bytes())
    assert code == "too_large"
    assert f"is {filesizeformat(2048)}; files of at most {filesizeformat(100)}" in message


def test_reading_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = read("utf8.csv").rows
    assert [next(rows).number for _ in range(3)] == [2, 3, 5]
    with pytest.raises(AddressListError) as caught:
        next(rows)
    assert caught.value.code == "too_many_rows"
    assert "more than 3 address rows" in caught.value.messages[0]


def test_an_unclosed_quotation_mark_names_its_row():
    data = b'Tinh,Ma co quan,Ten co quan,Email\n80,X.1,"Unclosed' + b" x" * 100_000
    assert refusal(data) == (
        "malformed_csv",
        "Row 2 of “danh-ba.csv” cannot be read: a quotation mark is not closed or a cell is too "
        "long. Check the quotation marks from that row on.",
    )


def test_rows_stream_without_holding_the_file_in_rows():
    line = "Tây Ninh,000.31.{:02}.H37,Sở Nội vụ,an{}@tayninh.gov.vn,Nguyễn Văn Ánh\r\n"
    data = "Tỉnh,Mã cơ quan,Tên cơ quan,Thư điện tử,Họ và tên\r\n"
    data = (data + "".join(line.format(n % 100, n) for n in range(100_000))).encode()
    tracemalloc.start()
    try:
        table = read_address_list(data, "big.csv")
        assert inspect.isgenerator(table.rows)
        count = sum(1 for _row in table.rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 100_000
    # The decoded text takes about 18 MB; the rows as a list would add well over 100 MB.
    assert peak < 50_000_000
