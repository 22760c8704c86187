"""Reading an uploaded address list (CSV or XLSX) into clean rows.

Agencies make their lists in Excel on Vietnamese Windows, so a file arrives in one of several
shapes: UTF-8 with or without a BOM; UTF-16 with a BOM, tab-separated (Excel's "Unicode
Text"); Windows-1258 (Excel's plain "CSV", with tone marks as separate combining characters);
or an XLSX workbook. The format is told by content, never by file name.

Older lists were typed with legacy font encodings: TCVN3 (ABC, `.VnTime` fonts) and VNI
(`VNI-Times`). Their text is stored as Latin-1 letters that only the font draws as Vietnamese,
`Së Néi vô` or `Sôû Noäi vuï` for `Sở Nội vụ`, in 8-bit CSVs and in Unicode files and
workbooks alike. Each word of the file is decoded every possible way and checked against the
shape of a Vietnamese syllable; text is converted only when one legacy encoding reads clearly
better than the others, and refused otherwise, so that mojibake never reaches the directory.

Rows are produced by a generator: a file of 200,000 rows is never held as a list.
"""

import codecs
import csv
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .text import clean, fold, nfc

FIELDS = (
    "province",
    "agency_code",
    "agency_name",
    "parent_code",
    "full_name",
    "position",
    "email",
    "kind",
    "published",
)
REQUIRED_FIELDS = ("province", "agency_code", "agency_name", "email")
VIETNAMESE_HEADERS = {
    "province": "Tỉnh",
    "agency_code": "Mã cơ quan",
    "agency_name": "Tên cơ quan",
    "parent_code": "Mã cơ quan cấp trên",
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "email": "Thư điện tử",
    "kind": "Loại",
    "published": "Công khai",
}

_MESSAGES = {
    "too_large": _(
        "“%(name)s” is %(size)s; files of at most %(limit)s are accepted. Split the list."
    ),
    "empty_file": _("“%(name)s” is empty. Fill in the header row and one row per mailbox."),
    "binary_file": _(
        "“%(name)s” is neither a CSV file nor an Excel workbook (.xlsx). Open the list in Excel "
        "and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8 (Comma delimited)”."
    ),
    "undecodable": _(
        "The text of “%(name)s” is not in an encoding that can be read safely (UTF-8, UTF-16 or "
        "Windows-1258). Open it in Excel and save it as “CSV UTF-8 (Comma delimited)” or as "
        "“Excel Workbook (.xlsx)”."
    ),
    "legacy_encoding": _(
        "“%(name)s” seems to be typed in the old %(encoding)s encoding (fonts such as "
        "%(fonts)s), but it cannot be converted with certainty. Convert it to Unicode with "
        "UniKey: copy the cells, open “Công cụ chuyển mã” (Unikey Toolkit, Ctrl+Shift+F6), "
        "choose source “%(encoding)s” and destination “Unicode”, tick “Chuyển mã clipboard”, "
        "click “Chuyển mã”, paste the cells back and save the file as “CSV UTF-8”."
    ),
    "unknown_header": _(
        "“%(name)s” has columns this list does not know: %(headers)s. The column headings are: "
        "%(expected)s."
    ),
    "missing_header": _(
        "“%(name)s” lacks the required columns %(headers)s. Add them to the header row."
    ),
    "duplicate_header": _(
        "“%(name)s” has the same column more than once: %(headers)s. Keep one of each."
    ),
    "no_rows": _("“%(name)s” has a header row but no addresses under it."),
    "too_many_rows": _(
        "“%(name)s” has more than %(limit)s address rows. Split it into files of at most "
        "%(limit)s rows."
    ),
    "malformed_csv": _(
        "Row %(row)s of “%(name)s” cannot be read: a quotation mark is not closed or a cell is "
        "too long. Check the quotation marks from that row on."
    ),
}


class AddressListError(ValidationError):
    """An uploaded file that cannot be read as an address list; `code` tells why."""


def _error(code, **params):
    return AddressListError(_MESSAGES[code], code=code, params=params)


@dataclass(frozen=True)
class Row:
    """One data row: its number as Excel shows it (the header is row 1 in a usual file) and a
    clean value (NFC, trimmed, "" when empty) for each field that has a column in the file."""

    number: int
    values: dict


@dataclass
class AddressList:
    """A file being read: how it was decoded, its columns as headed, and its rows, one at a
    time (reading them may still raise AddressListError: too many rows, a broken quote)."""

    encoding: str  # utf-8, utf-8-sig, utf-16, cp1258, tcvn3, vni or xlsx
    converted_from: str | None  # tcvn3 or vni when legacy-font text was converted
    columns: dict  # field -> heading as written in the file
    rows: Iterator[Row]
    reread: Callable[[], Iterator[Row]]  # the rows again from the first, without re-decoding


def read_address_list(data, filename, *, uploaded=True):
    """Read an uploaded CSV or XLSX address list; raise AddressListError if it cannot be.

    `filename` only names the file in messages: its content decides how it is read. The size
    limit guards the web server against uploads; a file an operator reads from the server's
    own disk (`uploaded=False`) is bounded by the row limit alone.
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    limit = settings.IMPORT_MAX_FILE_BYTES
    if uploaded and len(data) > limit:
        raise _error(
            "too_large", name=name, size=filesizeformat(len(data)), limit=filesizeformat(limit)
        )
    if _is_workbook(data):
        encoding, base = "xlsx", None
        records = partial(_workbook_records, data, name)
    else:
        text, encoding = _decode(data, name)
        base = "cp1258" if encoding is None else None
        records = partial(_csv_records, text, _sniff_delimiter(text), name)

    reading = _detect(records(), base, name)
    convert = _CONVERTERS.get(reading, str)
    rows = records()
    indexes, columns = _read_header(rows, convert, name)
    rows = _rows(rows, indexes, convert, name)
    first = next(rows, None)
    if first is None:
        raise _error("no_rows", name=name)

    def reread():
        again = records()
        _read_header(again, convert, name)
        return _rows(again, indexes, convert, name)

    return AddressList(
        encoding=encoding or reading,
        converted_from=reading if reading in _LEGACY else None,
        columns=columns,
        rows=_chain(first, rows),
        reread=reread,
    )


def _chain(first, rest):
    """`rows` again whole after peeking at its first row, and still a generator."""
    yield first
    yield from rest


# Files and encodings ---------------------------------------------------------------------------

_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # a zip that is not a workbook: .docx, .ods, …
    b"\xd0\xcf\x11\xe0",  # Excel 97-2003 .xls, .doc
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_workbook(data):
    """An XLSX is a zip with a workbook part inside; a .docx renamed .xlsx is not one."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _decode(data, name):
    """The text of a CSV and its encoding; None as encoding for an 8-bit file.

    An 8-bit file is decoded as Windows-1252 (each undefined byte as its Latin-1 letter), a
    one-to-one view of its bytes in which Windows-1258, TCVN3 and VNI are then told apart.
    """
    if data.startswith(_BINARY_SIGNATURES):
        raise _error("binary_file", name=name)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise _error("undecodable", name=name) from None
        text, encoding = data.decode("latin-1").translate(_WINDOWS_1252), None
    if not text.strip():
        raise _error("empty_file", name=name)
    sample = text[:65536]
    if "\x00" in text or len(_CONTROL.findall(sample)) * 100 > len(sample):
        raise _error("binary_file", name=name)
    return text, encoding


def _single_bytes(encoding):
    """The 256 characters of an 8-bit code page, an undefined byte as its Latin-1 letter."""
    return "".join(bytes([byte]).decode(encoding, "ignore") or chr(byte) for byte in range(256))


_LATIN_1 = "".join(map(chr, range(256)))
_WINDOWS_1252 = str.maketrans(_LATIN_1, _single_bytes("cp1252"))

# TCVN 5712:1993 (VN1) from 0xA0 up, a superset of TCVN3 (ABC, VN3): TCVN3 has the lower-case
# letters and Ă Â Ê Ô Ơ Ư Đ; VN1 fills the gaps with more capitals and five combining tone
# marks. The same table as glibc's TCVN5712-1. Below 0xA0 the text stays Windows-1252.
_TCVN3_HIGH = (
    "\xa0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3 = str.maketrans(_LATIN_1[0xA0:], _TCVN3_HIGH)
_WINDOWS_1258 = str.maketrans(_single_bytes("cp1252"), _single_bytes("cp1258"))

# VNI Windows writes a vowel, then one character for its marks: `aù` is `á`, `aá` is `ấ`,
# `aé` is `ắ`; the mark has an upper-case form for capitals (`AÙ`). ơ, ư, đ and the i's with
# a tone are single characters.
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_HATS = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVES = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_LETTERS = dict(zip("ôÔöÖñÑæÆóÓòÒîÎ", "ơƠưƯđĐỉỈĩĨịỊỵỴ", strict=True))


def _vni_table():
    """Each VNI letter and vowel-with-mark pair, and the Unicode letter it stands for."""
    marks = {mark: "\u0302" + tone for mark, tone in _HATS.items()}
    marks |= {mark: "\u0306" + tone for mark, tone in _BREVES.items()}
    marks |= _TONES
    table = dict(_VNI_LETTERS)
    for bases, allowed in (("a", marks), ("eo", {**_TONES, **_HATS}), ("uyôö", _TONES)):
        for base in bases:
            for mark in allowed:
                letter = nfc(_VNI_LETTERS.get(base, base) + marks[mark])
                for cased_mark in (mark, mark.upper()):
                    table[base + cased_mark] = letter
                    table[base.upper() + cased_mark] = letter.upper()
    return table


_VNI = _vni_table()
_VNI_SEQUENCE = re.compile("|".join(sorted(_VNI, key=len, reverse=True)))


def _from_vni(text):
    return _VNI_SEQUENCE.sub(lambda match: _VNI[match[0]], text) if not text.isascii() else text


_LEGACY = {"tcvn3": ("TCVN3 (ABC)", ".VnTime, .VnTimeH"), "vni": ("VNI Windows", "VNI-Times")}
_CONVERTERS = {
    "cp1258": lambda text: text.translate(_WINDOWS_1258),
    "tcvn3": lambda text: text.translate(_TCVN3),
    "vni": _from_vni,
}


# Telling the encodings apart ------------------------------------------------------------------

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx]"
_NUCLEUS = (
    "iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|"
    "oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|[aăâeêioôơuưy]"
)
_SYLLABLE = re.compile(f"(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|[cmnptk])?")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_WORD_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~\u2000-\u206f]+")  # and – “ ” …
_SAMPLE_WORDS = 20_000
_BEYOND_WINDOWS_1252 = re.compile(f"[^{re.escape(_single_bytes('cp1252'))}]")


def _is_syllable(word):
    """Whether `word` has the shape of a Vietnamese syllable: onset, vowels, ending, one tone."""
    letters = unicodedata.normalize("NFD", word.lower())
    bare = "".join(char for char in letters if char not in _TONE_MARKS)
    return len(letters) - len(bare) <= 1 and bool(_SYLLABLE.fullmatch(nfc(bare)))


def _detect(records, base, name):
    """The reading that gives the file's words as Vietnamese syllables; None: as decoded.

    `base` is the file's own reading: "cp1258" for an 8-bit CSV, None for Unicode files.
    Words that only TCVN3 or VNI reads as Vietnamese are the sign of a legacy font. Text is
    converted when that reading gives at least 90% of the words, three at least, clearly more
    than the others, and no word is plainly Unicode (a mix of fonts); otherwise it is refused.
    """
    readings = (base, *_LEGACY)
    valid = dict.fromkeys(readings, 0)
    rescued = dict.fromkeys(_LEGACY, 0)  # words only that legacy reading makes Vietnamese
    total = unicode_words = 0
    for word in _sample_words(records):
        if _BEYOND_WINDOWS_1252.search(word):  # no legacy font gives such a letter
            unicode_words += 1
            continue
        total += 1
        read = {reading: _is_syllable(_CONVERTERS.get(reading, str)(word)) for reading in readings}
        for reading in readings:
            valid[reading] += read[reading]
        for legacy in _LEGACY:
            rescued[legacy] += read[legacy] and not read[base]
    legacy = max(_LEGACY, key=rescued.get)
    if rescued[legacy] < max(3, total / 200) and (not base or valid[base] * 2 >= total):
        return base
    if not rescued[legacy]:
        raise _error("undecodable", name=name)
    rival = max(valid[reading] for reading in readings if reading != legacy)
    sure = valid[legacy] >= max(3, total * 0.9) and valid[legacy] - rival >= total * 0.3
    if sure and not unicode_words:
        return legacy
    encoding, fonts = _LEGACY[legacy]
    raise _error("legacy_encoding", name=name, encoding=encoding, fonts=fonts)


def _sample_words(records):
    """Up to 20,000 words with a non-ASCII letter from the data rows, or else the header.

    The header is left out when there is data: it may be a Unicode template's, pasted above
    legacy-font data, and is read either way (see _read_header).
    """
    rows = (cells for _number, cells in records if not _is_blank(cells))
    header = next(rows, ())
    words = list(itertools.islice(_words(rows), _SAMPLE_WORDS))
    return words or list(_words([header]))


def _words(rows):
    for cells in rows:
        for cell in cells:
            if isinstance(cell, str) and not cell.isascii():
                yield from (word for word in _WORD_SEPARATORS.split(cell) if not word.isascii())


# Records: (row number, cells) for CSV and XLSX alike ----------------------------------------


def _sniff_delimiter(text):
    """Comma, semicolon or tab: the one that splits the header row into the most columns."""
    best, best_count = ",", 0
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(_lines(text), delimiter=delimiter)
        header = next((row for row in reader if any(cell.strip() for cell in row)), [])
        if len(header) > best_count:
            best, best_count = delimiter, len(header)
    return best


def _lines(text):
    """The lines of `text` with their ends, one at a time (io.StringIO would copy the text)."""
    return (match[0] for match in _LINE.finditer(text))


def _csv_records(text, delimiter, name):
    """Each CSV record numbered as Excel shows it: a quoted line break stays in one row."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        raise _error("malformed_csv", name=name, row=number + 1) from None


def _workbook_records(data, name):
    """The rows of the first sheet, numbered from 1 as in Excel."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails in many ways inside openpyxl
        raise _error("binary_file", name=name) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _cell_text(value):
    """A cell as text: 1.0 is `1`, a date `2025-07-01`, True `1`, an empty cell ``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        midnight = value.time() == datetime.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# Header and rows ------------------------------------------------------------------------------


def _header_key(text):
    """`Thư điện tử`, `THU DIEN TU`, `thu_dien_tu` all give `thudientu`; `E-mail` gives `email`."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


_HEADER_FIELDS = {
    _header_key(header): field for field in FIELDS for header in (field, VIETNAMESE_HEADERS[field])
}


def _quoted(texts):
    return ", ".join(f"“{text}”" for text in texts)


def _read_header(records, convert, name):
    """Read the header row off `records`: each field's column, and its heading as written.

    A heading counts in the file's reading or as it is, so that the Unicode headings of a
    template still match above legacy-font data.
    """
    cells = next((cells for _number, cells in records if not _is_blank(cells)), None)
    if cells is None:
        raise _error("empty_file", name=name)
    indexes, columns, unknown, duplicates = {}, {}, [], []
    for index, cell in enumerate(cells):
        readings = (clean(convert(_cell_text(cell))), clean(_cell_text(cell)))
        heading = next(
            (text for text in readings if _header_key(text) in _HEADER_FIELDS), readings[0]
        )
        if not heading:
            continue  # an unnamed column: Excel's stray formatted cells
        field = _HEADER_FIELDS.get(_header_key(heading))
        if field is None:
            unknown.append(heading)
        elif field in indexes:
            duplicates += [columns[field], heading]
        else:
            indexes[field], columns[field] = index, heading
    if unknown:
        expected = _quoted(f"{VIETNAMESE_HEADERS[field]} ({field})" for field in FIELDS)
        raise _error("unknown_header", name=name, headers=_quoted(unknown), expected=expected)
    if duplicates:
        raise _error("duplicate_header", name=name, headers=_quoted(dict.fromkeys(duplicates)))
    missing = [
        f"{VIETNAMESE_HEADERS[field]} ({field})"
        for field in REQUIRED_FIELDS
        if field not in indexes
    ]
    if missing:
        raise _error("missing_header", name=name, headers=_quoted(missing))
    return indexes, columns


def _is_blank(cells):
    return not any(_cell_text(cell).strip() for cell in cells)


def _rows(records, indexes, convert, name):
    """The data rows left in `records`; blank rows are skipped but keep their numbers."""
    limit = settings.IMPORT_MAX_ROWS
    count = 0
    for number, cells in records:
        if _is_blank(cells):
            continue
        count += 1
        if count > limit:
            raise _error("too_many_rows", name=name, limit=limit)
        values = {}
        for field, index in indexes.items():
            text = nfc(convert(_cell_text(cells[index]))) if index < len(cells) else ""
            values[field] = text.strip() if field == "email" else clean(text)
        yield Row(number, values)
