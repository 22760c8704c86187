"""The word index that search reads (directory/search.py), one per database.

PostgreSQL: a GIN index over the words of the stored, folded search key, taken as they are
(`array_to_tsvector`, no parser, no dictionary, no positions), for public mailboxes only.
A query is `'w1' & 'w2' & 'w3':*` cast to tsquery: every word exactly, the last one as a
prefix. The query must repeat the indexed expression word for word.

SQLite: an FTS5 table over the same key (external content: it stores only the index), with
prefix indexes for type-ahead, kept in step with `agencies_mailbox` by triggers, so that
`save()`, `bulk_create`, `bulk_update` and the importer's raw INSERTs all update it.
SQLite's ALTER TABLE emulation (a migration that alters a field of Mailbox) drops the
triggers with the old table: such a migration must run `create_word_index` again.
tests/test_search_index.py fails when they are missing.
"""

from django.db import migrations

PG_INDEX = "mailbox_search_words_idx"
PG_WORDS = "array_to_tsvector(string_to_array(btrim(search_key), ' '))"
FTS = "agencies_mailbox_words"
SQLITE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        search_key, content='agencies_mailbox', content_rowid='id',
        tokenize='ascii', detail='none', prefix='1 2 3')""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON agencies_mailbox BEGIN
        INSERT INTO {FTS}(rowid, search_key) VALUES (new.id, new.search_key);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON agencies_mailbox BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_key ON agencies_mailbox
    WHEN old.search_key IS NOT new.search_key BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_key) VALUES ('delete', old.id, old.search_key);
        INSERT INTO {FTS}(rowid, search_key) VALUES (new.id, new.search_key);
    END""",
]


def create_word_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON agencies_mailbox "
            f"USING gin ({PG_WORDS}) WHERE is_public"
        )
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop_word_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif schema_editor.connection.vendor == "sqlite":
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0006_public_flag_and_name_key")]

    operations = [migrations.RunPython(create_word_index, drop_word_index, elidable=False)]
