"""Write the sample address lists of tests/test_tablefiles.py, as the tools agencies use would.

Run from the repository root: `.venv/bin/python -m tests.data.make_samples`. The files are
committed; this script documents how each was made and regenerates them (the workbooks and
the .docx differ only in their timestamps).

The legacy encoders here are written from the published charts (TCVN 5712:1993 VN3, VNI
Windows), apart from agencies.tablefiles, so that reading their output checks its tables.
"""

import datetime
import io
import random
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).parent

HEADER = [
    "Tỉnh",
    "Mã cơ quan",
    "Tên cơ quan",
    "Mã cơ quan cấp trên",
    "Họ và tên",
    "Chức vụ",
    "Thư điện tử",
    "Loại",
    "Công khai",
]
# As typed: stray spaces, a comma and a line break inside cells, an address in mixed case.
ROWS = [
    ["Tây Ninh", "000.31.00.H37", "Sở Nội vụ", "", "", "", "snv@tayninh.gov.vn", "cơ quan", "có"],
    [
        "Tây Ninh",
        "000.31.01.H37",
        "Phòng Tổ chức, biên chế",
        "000.31.00.H37",
        "Đặng Thị  Ngọc Hà",
        "Trưởng phòng",
        " hadtn@tayninh.gov.vn ",
        "cá nhân",
        "có",
    ],
    [
        "Gia Lai",
        "000.00.12.H21",
        "Văn phòng Đoàn đại biểu\nQuốc hội",
        "",
        "  Lương Hữu   Quỳnh ",
        "Chánh Văn phòng",
        "QuynhLH@GiaLai.gov.vn",
        "cá nhân",
        "không",
    ],
    [
        "Gia Lai",
        "000.00.14.H21",
        "Sở Tài chính",
        "",
        "Phạm Ngữ Mỹ",
        "Phó Giám đốc Sở",
        "mypn@gialai.gov.vn",
        "cá nhân",
        "có",
    ],
]
# What reading any of the files gives: NFC, trimmed, single spaces, the address as written.
EXPECTED = [
    [
        "Tây Ninh",
        "000.31.00.H37",
        "Sở Nội vụ",
        "",
        "",
        "",
        "snv@tayninh.gov.vn",
        "cơ quan",
        "có",
    ],
    [
        "Tây Ninh",
        "000.31.01.H37",
        "Phòng Tổ chức, biên chế",
        "000.31.00.H37",
        "Đặng Thị Ngọc Hà",
        "Trưởng phòng",
        "hadtn@tayninh.gov.vn",
        "cá nhân",
        "có",
    ],
    [
        "Gia Lai",
        "000.00.12.H21",
        "Văn phòng Đoàn đại biểu Quốc hội",
        "",
        "Lương Hữu Quỳnh",
        "Chánh Văn phòng",
        "QuynhLH@GiaLai.gov.vn",
        "cá nhân",
        "không",
    ],
    [
        "Gia Lai",
        "000.00.14.H21",
        "Sở Tài chính",
        "",
        "Phạm Ngữ Mỹ",
        "Phó Giám đốc Sở",
        "mypn@gialai.gov.vn",
        "cá nhân",
        "có",
    ],
]


# Encoders -------------------------------------------------------------------------------------

_TONE_ORDER = (
    "",
    "\u0301",
    "\u0300",
    "\u0309",
    "\u0303",
    "\u0323",
)  # none, sắc, huyền, hỏi, ngã, nặng

# TCVN3 (ABC): each lower-case vowel with no tone, sắc, huyền, hỏi, ngã, nặng. Capitals with a
# tone do not exist: .VnTimeH draws the lower-case codes as capitals, so they are written
# lower-case, as UniKey does.
_TCVN3_VOWELS = {
    "a": "a\xb8\xb5\xb6\xb7\xb9",
    "ă": "\xa8\xbe\xbb\xbc\xbd\xc6",
    "â": "\xa9\xca\xc7\xc8\xc9\xcb",
    "e": "e\xd0\xcc\xce\xcf\xd1",
    "ê": "\xaa\xd5\xd2\xd3\xd4\xd6",
    "i": "i\xdd\xd7\xd8\xdc\xde",
    "o": "o\xe3\xdf\xe1\xe2\xe4",
    "ô": "\xab\xe8\xe5\xe6\xe7\xe9",
    "ơ": "\xac\xed\xea\xeb\xec\xee",
    "u": "u\xf3\xef\xf1\xf2\xf4",
    "ư": "\xad\xf8\xf5\xf6\xf7\xf9",
    "y": "y\xfd\xfa\xfb\xfc\xfe",
}
_TCVN3_OTHERS = {"đ": "\xae", "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5"}
_TCVN3_OTHERS |= {"Ư": "\xa6", "Đ": "\xa7"}

# VNI Windows: a vowel followed by one mark character; ơ ư đ and the toned i, ỵ on their own.
_VNI_TONES = "\xf9\xf8\xfb\xf5\xef"  # ù ø û õ ï: sắc, huyền, hỏi, ngã, nặng
_VNI_HAT = "\xe2\xe1\xe0\xe5\xe3\xe4"  # â á à å ã ä: circumflex with no tone, sắc, …
_VNI_BREVE = "\xea\xe9\xe8\xfa\xfc\xeb"  # ê é è ú ü ë: breve with no tone, sắc, …
_VNI_SINGLE = {"ơ": "\xf4", "ư": "\xf6", "đ": "\xf1", "ỉ": "\xe6", "ĩ": "\xf3", "ị": "\xf2"}
_VNI_SINGLE |= {"ỵ": "\xee"}


def _split(char):
    """A Vietnamese letter as (base letter, circumflex/breve/horn or "", tone index)."""
    parts = unicodedata.normalize("NFD", char)
    tone = next((_TONE_ORDER.index(mark) for mark in parts if mark in _TONE_ORDER[1:]), 0)
    shape = next((mark for mark in parts if mark in "\u0302\u0306\u031b"), "")
    return parts[0], shape, tone


def to_tcvn3(text):
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _TCVN3_OTHERS:
            out.append(_TCVN3_OTHERS[char])
            continue
        base, shape, tone = _split(char.lower() if not char.isascii() else char)
        vowel = unicodedata.normalize("NFC", base + shape)
        out.append(_TCVN3_VOWELS[vowel][tone] if vowel in _TCVN3_VOWELS else char)
    return "".join(out).encode("latin-1")


def to_vni(text):
    out = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        if char.isascii() or lower in "íì":
            out.append(char)
        elif lower in _VNI_SINGLE:
            single = _VNI_SINGLE[lower]
            out.append(single if char == lower else single.upper())
        else:
            base, shape, tone = _split(char)
            if shape == "\u031b":  # ơ, ư with a tone: their own letter, then the tone
                base, shape = _VNI_SINGLE[unicodedata.normalize("NFC", base.lower() + shape)], ""
                base = base if char == lower else base.upper()
            marks = {"\u0302": _VNI_HAT, "\u0306": _VNI_BREVE}.get(shape)
            mark = marks[tone] if marks else (_VNI_TONES[tone - 1] if tone else "")
            out.append(base + (mark if char == lower else mark.upper()))
    return "".join(out).encode("latin-1")


def to_cp1258(text):
    """As Windows writes Windows-1258: precomposed where the code page has the letter,
    otherwise the letter without its tone followed by a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, shape, tone = _split(char)
            out += unicodedata.normalize("NFC", base + shape).encode("cp1258")
            out += _TONE_ORDER[tone].encode("cp1258")
    return bytes(out)


# Files ----------------------------------------------------------------------------------------


def csv_text(header, rows, delimiter=",", newline="\r\n"):
    """A CSV as Excel writes it, with a blank line after the second row."""
    lines = []
    for index, row in enumerate([header, *rows]):
        cells = []
        for cell in row:
            if any(char in cell for char in f'{delimiter}"\n'):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
        if index == 2:
            lines.append("")
    return newline.join(lines) + newline


def workbook(header, rows, typed=False):
    """An XLSX as Excel saves it; `typed` adds numbers, dates and formatted empty rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh bạ"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if typed:
        sheet.append(
            [80, "000.31.09.H37", "Sở Y tế", None, None, None, "syt@tayninh.gov.vn", "", True]
        )
        typed_row = [80.0, "000.31.09.H37", "Sở Y tế", 12.5, "Võ Văn Tám"]
        sheet.append([*typed_row, datetime.date(2025, 7, 1), "tamvv@tayninh.gov.vn", "cá nhân", 0])
        for number in range(sheet.max_row + 1, sheet.max_row + 6):
            sheet.cell(row=number, column=1).font = Font(bold=True)  # empty, formatted
        other = book.create_sheet("Ghi chú")
        other.append(["Tỉnh", "Thư điện tử"])
        book.active = other  # the list is still read from the first sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def png():
    """A real 1×1 PNG."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf():
    """A minimal one-page PDF with a compressed content stream."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Danh ba) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx():
    """A minimal Word document: a zip, like an XLSX, but without a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Danh bạ</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def samples():
    """File name → bytes, for every sample."""
    text = csv_text(HEADER, ROWS)
    english = [
        "EMAIL",
        "Agency_Code",
        "agency name",
        "PROVINCE",
        "Full Name",
        "position",
        "Kind",
        "published",
        "parent-code",
    ]
    order = [6, 1, 2, 0, 4, 5, 7, 8, 3]
    unaccented = ["TINH", "MA CO QUAN", "TEN CO QUAN", "Ma co quan cap tren", "ho va ten"]
    unaccented += ["CHUC VU", "Thu Dien Tu", "LOAI", "cong khai"]
    tcvn3_rows = [[to_tcvn3(cell).decode("latin-1") for cell in row] for row in ROWS]
    vni_rows = [[to_vni(cell).decode("latin-1") for cell in row] for row in ROWS]
    half_vni = [*tcvn3_rows[:2], *vni_rows[2:]]
    return {
        "utf8.csv": text.encode("utf-8"),
        "utf8_bom_semicolon.csv": csv_text(
            english, [[row[i] for i in order] for row in ROWS], delimiter=";"
        ).encode("utf-8-sig"),
        "unaccented_headers.csv": csv_text(unaccented, ROWS).encode("utf-8"),
        "nfd.csv": unicodedata.normalize("NFD", text).encode("utf-8"),
        "unicode_text_utf16le.txt": b"\xff\xfe" + csv_text(HEADER, ROWS, "\t").encode("utf-16-le"),
        "unicode_text_utf16be.txt": b"\xfe\xff" + csv_text(HEADER, ROWS, "\t").encode("utf-16-be"),
        "windows1258.csv": to_cp1258(text),
        "tcvn3.csv": to_tcvn3(text),
        "vni.csv": to_vni(text),
        "vni_font_in_utf8.csv": to_vni(text).decode("latin-1").encode("utf-8"),
        "template_header_vni_rows.csv": csv_text(HEADER, vni_rows).encode("utf-8"),
        "unicode_and_vni_rows.csv": csv_text(HEADER, [*ROWS[:2], *vni_rows[2:]]).encode("utf-8"),
        "broken_utf16.txt": b"\xff\xfe" + "Tỉnh\t".encode("utf-16-le") + b"\x00\xd8a\x00",
        "list.xlsx": workbook(HEADER, ROWS, typed=True),
        "tcvn3_font.xlsx": workbook(
            [to_tcvn3(cell).decode("latin-1") for cell in HEADER], tcvn3_rows
        ),
        "tcvn3_and_vni.csv": csv_text(
            [to_tcvn3(cell).decode("latin-1") for cell in HEADER], half_vni
        ).encode("latin-1"),
        "western_european.csv": csv_text(
            ["province", "agency_code", "agency_name", "email"],
            [["Genève", "CH.01", "Département de l'économie", "müller@genève.ch"]] * 3,
        ).encode("latin-1"),
        "empty.csv": b"",
        "blank.csv": b" \r\n\t\r\n",
        "header_only.csv": csv_text(HEADER, []).encode("utf-8"),
        "unknown_header.csv": csv_text([*HEADER, "Ghi chú", "Số điện thoại"], ROWS).encode(),
        "missing_header.csv": csv_text(
            [h for h in HEADER if h not in ("Mã cơ quan", "Thư điện tử")],
            [[c for i, c in enumerate(row) if i not in (1, 6)] for row in ROWS],
        ).encode(),
        "duplicate_header.csv": csv_text(
            ["email", *HEADER], [["x@y.vn", *row] for row in ROWS]
        ).encode(),
        "random.bin": random.Random(34).randbytes(2048),
        "image.png": png(),
        "document.pdf": pdf(),
        "document.docx": docx(),
    }


def main():
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
