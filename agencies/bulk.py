"""Fast bulk writes for imports: plain multi-row INSERT statements, history included.

Django's `bulk_create` prepares every value through the field API, which is most of the
time of an import (about a million calls for 20,000 officials and mailboxes with their
history). Here values go to the database as they are, and only dates pass through the
database adapter. On PostgreSQL new rows go by COPY, with ids drawn from their sequence
beforehand; elsewhere by multi-row INSERT … RETURNING. Changed rows are written back by
primary key with `INSERT … ON CONFLICT (id) DO UPDATE`, never with `bulk_update`'s CASE WHEN.

The history rows are the ones django-simple-history's `bulk_history_create` would write:
its model's `tracked_fields`, who, when, why and `+` or `~`, without building a model
instance for each row.
"""

from functools import lru_cache

from django.db import connection
from django.db.models import DateField
from django.utils import timezone


class BulkWriter:
    def __init__(self, user=None, reason=""):
        self.user_id = user.pk if user else None
        self.reason = reason

    def create(self, model, objs):
        """Insert new instances, give them their ids, and record their creation."""
        if not objs:
            return
        now = timezone.now()
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        for obj in objs:
            stamp(obj, fields, now, created=True)
        pk = model._meta.pk
        rows = [values(obj, fields) for obj in objs]
        ids = insert(model._meta.db_table, fields, rows, returning=pk.column)
        for obj, obj_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, obj_id)
            obj._state.adding, obj._state.db = False, "default"
        self.record(model, objs, now, "+")

    def update(self, model, objs, names):
        """Write the `names` fields of existing instances back, and record the change."""
        if not objs:
            return
        now = timezone.now()
        fields = list(model._meta.concrete_fields)  # the whole row: NOT NULL is checked first
        for obj in objs:
            stamp(obj, fields, now, created=False)
        rows = [values(obj, fields) for obj in objs]
        changed = [model._meta.get_field(name) for name in names]
        insert(model._meta.db_table, fields, rows, conflict=changed)
        self.record(model, objs, now, "~")

    def record(self, model, objs, now, history_type):
        history = model.history.model
        tracked = list(history.tracked_fields)
        fields = [
            *tracked,
            *(
                history._meta.get_field(name)
                for name in (
                    "history_date",
                    "history_change_reason",
                    "history_type",
                    "history_user",
                )
            ),
        ]
        extra = (now, self.reason, history_type, self.user_id)
        rows = [(*values(obj, tracked), *extra) for obj in objs]
        insert(history._meta.db_table, fields, rows)


def stamp(obj, fields, now, created):
    """Set what auto_now and auto_now_add fields would have set on save()."""
    for field in fields:
        if getattr(field, "auto_now", False) or (created and getattr(field, "auto_now_add", False)):
            setattr(obj, field.attname, now)


def values(obj, fields):
    return tuple(
        adapt_date(field, getattr(obj, field.attname))
        if isinstance(field, DateField)  # dates and times need the database's adapter
        else getattr(obj, field.attname)
        for field in fields
    )


@lru_cache(maxsize=1024)
def adapt_date(field, value):
    """A date or time as the database takes it. A batch stamps every row with the same
    moment, so this is computed once per batch rather than once per row."""
    return field.get_db_prep_save(value, connection)


def insert(table, fields, rows, returning=None, conflict=None):
    """Insert `rows` into `table` in batches; return the `returning` column's values.

    With `conflict` (fields), a row whose primary key (the first field) exists updates those
    columns instead.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    tail = ""
    if conflict:
        updates = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in conflict)
        tail += f" ON CONFLICT ({quote(fields[0].column)}) DO UPDATE SET {updates}"
    if returning:
        tail += f" RETURNING {quote(returning)}"
    if connection.vendor == "postgresql" and not conflict:
        if not returning:
            copy(table, columns, rows)
            return []
        ids = new_ids(table, returning, len(rows))
        copy(
            table,
            f"{quote(returning)}, {columns}",
            [(i, *r) for i, r in zip(ids, rows, strict=True)],
        )
        return ids
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            sql = f"INSERT INTO {quote(table)} ({columns}) VALUES {', '.join([row] * len(batch))}"
            cursor.execute(sql + tail, [value for values_ in batch for value in values_])
            if returning:
                returned += [result[0] for result in cursor.fetchall()]
    return returned


def copy(table, columns, rows):
    """PostgreSQL's COPY: several times faster than INSERT. psycopg streams the rows."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        ) as stream,
    ):
        for row in rows:
            stream.write_row(row)


def new_ids(table, column, count):
    """`count` ids drawn from the column's sequence, for rows written by COPY."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]
