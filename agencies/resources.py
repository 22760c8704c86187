"""django-import-export's admin flow (upload, preview, confirm) over our own import.

The library reads the file with its format classes and writes rows one `save()` at a time
(one SELECT per row, `bulk_update` in its bulk mode). Here its format hands the upload to
agencies.tablefiles, which knows Excel's and older Vietnamese encodings, and its resource
hands the rows to agencies.importing, which checks them all, writes in bulk with history,
and commits all or nothing. The preview and the confirmation stay the library's.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import Format
from import_export.results import Result, RowResult

from .importing import DirectoryImport
from .tablefiles import FIELDS, VIETNAMESE_HEADERS, read_address_list

PREVIEW_ROWS = 1000
ROW_NUMBER = "__row__"


class AddressListFormat(Format):
    """An address list in CSV (any encoding agencies use) or XLSX, told apart by content."""

    def __init__(self, encoding=None):
        """The library passes its configured encoding; the content decides here."""

    def get_title(self):
        return "CSV / XLSX"

    def create_dataset(self, in_stream):
        table = read_address_list(in_stream, _("the uploaded file"))
        dataset = tablib.Dataset(headers=[ROW_NUMBER, *FIELDS])
        for row in table.rows:
            dataset.append([row.number, *(row.values.get(field, "") for field in FIELDS)])
        dataset.columns_written = table.columns
        return dataset

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True

    def can_export(self):
        return False


class DatasetRow:
    def __init__(self, number, values):
        self.number, self.values = number, values


class AddressListResource(resources.Resource):
    """The columns of an address list; importing them is agencies.importing's job."""

    province = Field(column_name=VIETNAMESE_HEADERS["province"])
    agency_code = Field(column_name=VIETNAMESE_HEADERS["agency_code"])
    agency_name = Field(column_name=VIETNAMESE_HEADERS["agency_name"])
    parent_code = Field(column_name=VIETNAMESE_HEADERS["parent_code"])
    full_name = Field(column_name=VIETNAMESE_HEADERS["full_name"])
    position = Field(column_name=VIETNAMESE_HEADERS["position"])
    email = Field(column_name=VIETNAMESE_HEADERS["email"])
    kind = Field(column_name=VIETNAMESE_HEADERS["kind"])
    published = Field(column_name=VIETNAMESE_HEADERS["published"])

    @classmethod
    def get_display_name(cls):
        return _("Address list")

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import the whole dataset, or nothing; answer with the library's Result."""
        present = [field for field in FIELDS if field in dataset.columns_written]

        def rows():
            for record in dataset.dict:
                values = {field: record[field] for field in present}
                yield DatasetRow(record[ROW_NUMBER], values)

        importer = DirectoryImport(kwargs.get("user"), dry_run=dry_run, keep_outcomes=PREVIEW_ROWS)
        outcome = importer.run(rows, dataset.columns_written)
        return self.as_result(outcome, dataset, present)

    def as_result(self, outcome, dataset, present):
        result = Result()
        result.diff_headers = [dataset.columns_written[field] for field in present]
        result.total_rows = outcome.rows
        result.directory_import = outcome  # the preview also says how many agencies change
        by_number = (
            {record[ROW_NUMBER]: record for record in dataset.dict} if outcome.errors else {}
        )
        for error in outcome.errors:
            record = by_number.get(error.row, {})
            shown = {dataset.columns_written[f]: record.get(f, "") for f in present}
            result.append_invalid_row(
                error.row,
                shown,
                ValidationError({error.column or NON_FIELD_ERRORS: [error.message]}),
            )
        for row in outcome.outcomes:
            row_result = RowResult()
            row_result.import_type = row.outcome
            row_result.object_repr = row.address
            row_result.diff = [row.row, row.address]
            result.append_row_result(row_result)
        result.totals.update(
            {
                RowResult.IMPORT_TYPE_NEW: outcome.created,
                RowResult.IMPORT_TYPE_UPDATE: outcome.updated,
                RowResult.IMPORT_TYPE_SKIP: outcome.unchanged,
                RowResult.IMPORT_TYPE_INVALID: len(outcome.errors),
            }
        )
        if not outcome.errors:
            result.diff_headers = [_("Row"), VIETNAMESE_HEADERS["email"]]
        return result
