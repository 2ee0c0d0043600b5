"""Full-text index of items: an FTS5 table kept by triggers on SQLite, a generated tsvector on PostgreSQL.

Triggers and a generated column keep the index right however a row changes (seller center,
admin, bulk seeding), so no code path can forget to re-index.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE catalog_item_fts USING fts5(
        title, description_text, content='catalog_item', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER catalog_item_fts_ai AFTER INSERT ON catalog_item BEGIN
        INSERT INTO catalog_item_fts(rowid, title, description_text)
        VALUES (new.id, new.title, new.description_text);
    END""",
    """CREATE TRIGGER catalog_item_fts_ad AFTER DELETE ON catalog_item BEGIN
        INSERT INTO catalog_item_fts(catalog_item_fts, rowid, title, description_text)
        VALUES ('delete', old.id, old.title, old.description_text);
    END""",
    """CREATE TRIGGER catalog_item_fts_au AFTER UPDATE OF title, description_text ON catalog_item
    BEGIN
        INSERT INTO catalog_item_fts(catalog_item_fts, rowid, title, description_text)
        VALUES ('delete', old.id, old.title, old.description_text);
        INSERT INTO catalog_item_fts(rowid, title, description_text)
        VALUES (new.id, new.title, new.description_text);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalog_item_fts_au",
    "DROP TRIGGER IF EXISTS catalog_item_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_item_fts_ai",
    "DROP TABLE IF EXISTS catalog_item_fts",
]
POSTGRES = [
    """ALTER TABLE catalog_item ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(description_text, '')), 'B')) STORED""",
    "CREATE INDEX catalog_item_search_vector ON catalog_item USING gin (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS catalog_item_search_vector",
    "ALTER TABLE catalog_item DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
