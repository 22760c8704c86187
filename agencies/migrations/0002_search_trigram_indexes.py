"""Trigram GIN indexes for search on PostgreSQL; SQLite has no such index and scans.

The search filters are `search_key LIKE '% word%'`, which a `gin_trgm_ops` index serves.
"""

from django.db import migrations

INDEXED = [("agencies_mailbox", "search_key"), ("agencies_agency", "search_key"),
           ("agencies_official", "search_key")]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in INDEXED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
            f"ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
