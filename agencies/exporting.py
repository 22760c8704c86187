"""Writing the directory out: the address-list format (CSV, XLSX), vCard 4 and JSON.

Exports stream. Rows come from the database in chunks through `values_list` and are written
one at a time, so a national export of two million mailboxes runs in constant memory and
never builds a tablib Dataset (which took 75 s and all its rows in memory here).

A CSV or XLSX export is also an import: exporting then importing the same file changes
nothing. A cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) is written with a leading apostrophe, which the importer takes off again.
"""

import csv
import io
import json
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from .models import Mailbox
from .tablefiles import FIELDS, VIETNAMESE_HEADERS

LOOKUPS = (
    "agency__province__name",
    "agency__code",
    "agency__name",
    "agency__parent__code",
    "official__full_name",
    "official__position",
    "address",
    "kind",
    "published",
)
KIND_WORDS = {Mailbox.Kind.AGENCY: "cơ quan", Mailbox.Kind.PERSONAL: "cá nhân"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 5000


def looks_like_formula(value):
    """A formula start, perhaps behind apostrophes (so that quoting can be undone exactly)."""
    return value.lstrip("'").startswith(FORMULA_STARTS)


def neutralise_formula(value):
    """`=1+1` becomes `'=1+1`: shown as text by a spreadsheet, never run."""
    return f"'{value}" if looks_like_formula(value) else value


def restore_formula(value):
    """Undo `neutralise_formula` on a value read back from a file."""
    return value[1:] if value.startswith("'") and looks_like_formula(value[1:]) else value


def exported(mailboxes):
    """The active mailboxes of `mailboxes` in a stable order, as rows of LOOKUPS values.

    `published` is whether the address shows: for a person's mailbox, only when the official
    is published (competent) too, which is how the importer reads the column back."""
    rows = (
        mailboxes.filter(status=Mailbox.Status.ACTIVE)
        .order_by("agency__province__code", "agency__path_slug", "kind", "address")
        .values_list(*LOOKUPS, "official__published")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for *values, published, official_published in rows:
        yield (*values, published and official_published is not False)


def list_rows(mailboxes):
    """Rows of the address-list format, all text, in the order of FIELDS."""
    for province, code, name, parent, person, position, address, kind, published in exported(
        mailboxes
    ):
        yield (
            province,
            code or "",
            name,
            parent or "",
            person or "",
            position or "",
            address,
            KIND_WORDS[kind],
            "có" if published else "không",
        )


def header_row():
    return [VIETNAMESE_HEADERS[field] for field in FIELDS]


class Echo:
    """A file-like object that hands back what is written to it, for streaming."""

    def write(self, value):
        return value


def write_csv(mailboxes):
    """CSV in UTF-8 with a BOM, so that Excel reads the Vietnamese right; yields chunks."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header_row())
    for row in list_rows(mailboxes):
        yield writer.writerow([neutralise_formula(cell) for cell in row])


def write_xlsx(mailboxes, stream):
    """An XLSX workbook written to `stream` (a file open for binary writing)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh bạ")
    sheet.append(header_row())
    for row in list_rows(mailboxes):
        sheet.append([neutralise_formula(cell) for cell in row])
    workbook.save(stream)


def write_json(mailboxes):
    """A JSON array, one mailbox an object keyed by the English field names; yields chunks."""
    yield "[\n"
    separator = ""
    for values in exported(mailboxes):
        item = dict(zip(FIELDS, values, strict=True))
        item["published"] = bool(item["published"])
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def write_vcards(mailboxes):
    """vCard 4.0 (RFC 6350): one card a mailbox, which phones and mail clients import."""
    for province, _code, agency, _parent, person, position, address, kind, _published in exported(
        mailboxes
    ):
        lines = ["BEGIN:VCARD", "VERSION:4.0"]
        if kind == Mailbox.Kind.PERSONAL:
            words = person.split()
            family, given, middle = words[0], words[-1], " ".join(words[1:-1])
            lines += [
                "KIND:individual",
                f"FN:{escape(person)}",
                f"N:{escape(family)};{escape(given)};{escape(middle)};;",
                f"ORG:{escape(agency)}",
            ]
            if position:
                lines.append(f"TITLE:{escape(position)}")
        else:
            lines += ["KIND:org", f"FN:{escape(agency)}", f"ORG:{escape(agency)}"]
        lines += [
            f"EMAIL;TYPE=work:{address}",
            f"ADR;TYPE=work:;;;;{escape(province)};;Việt Nam",
            "END:VCARD",
        ]
        yield "".join(fold_line(line) + "\r\n" for line in lines)


def escape(text):
    """Escape a vCard text value: backslash, comma, semicolon and newline."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold_line(line, limit=75):
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350 3.2)."""
    if len(line) * 4 <= limit or len(line.encode("utf-8")) <= limit:
        return line  # most lines: no need to look at each character
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current, size = current + char, size + width
    parts.append(current)
    return "\r\n ".join(parts)


WRITERS = {"csv": write_csv, "json": write_json, "vcf": write_vcards}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "vcf": "text/vcard; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_to(stream, mailboxes, file_format):
    """Write `mailboxes` in `file_format` to a binary stream."""
    if file_format == "xlsx":
        write_xlsx(mailboxes, stream)
        return
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    for chunk in WRITERS[file_format](mailboxes):
        text.write(chunk)
    text.detach()


def download(mailboxes, file_format, filename):
    """An HTTP response streaming `mailboxes` as a file to download."""
    if file_format == "xlsx":
        return file_download(lambda stream: write_xlsx(mailboxes, stream), f"{filename}.xlsx")
    chunks = (chunk.encode("utf-8") for chunk in WRITERS[file_format](mailboxes))
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


def file_download(write, filename):
    """A download of what `write(stream)` writes to a temporary file: a workbook is a zip
    file, which needs a seekable file rather than a stream."""
    stream = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it when sent)
    write(stream)
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[filename.rpartition(".")[2]],
    )
