"""Chinese search: bigram and category-name columns, filled for existing items, and the full-text
index (FTS5 table and triggers on SQLite, the generated tsvector on PostgreSQL) rebuilt over them.
"""

from django.db import migrations, models

from emporium.catalog.search_terms import category_path, category_terms, cjk_terms

COLUMNS = ("title", "description_text", "search_title", "search_category", "search_text")
_NEW = ", ".join(f"new.{c}" for c in COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in COLUMNS)
_COLS = ", ".join(COLUMNS)

SQLITE = [
    "DROP TRIGGER IF EXISTS catalog_item_fts_au",
    "DROP TRIGGER IF EXISTS catalog_item_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_item_fts_ai",
    "DROP TABLE IF EXISTS catalog_item_fts",
    f"""CREATE VIRTUAL TABLE catalog_item_fts USING fts5(
        {_COLS}, content='catalog_item', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER catalog_item_fts_ai AFTER INSERT ON catalog_item BEGIN
        INSERT INTO catalog_item_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
    f"""CREATE TRIGGER catalog_item_fts_ad AFTER DELETE ON catalog_item BEGIN
        INSERT INTO catalog_item_fts(catalog_item_fts, rowid, {_COLS})
        VALUES ('delete', old.id, {_OLD});
    END""",
    f"""CREATE TRIGGER catalog_item_fts_au AFTER UPDATE OF {_COLS} ON catalog_item BEGIN
        INSERT INTO catalog_item_fts(catalog_item_fts, rowid, {_COLS})
        VALUES ('delete', old.id, {_OLD});
        INSERT INTO catalog_item_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
    "INSERT INTO catalog_item_fts(catalog_item_fts) VALUES ('rebuild')",
]
POSTGRES = [
    "DROP INDEX IF EXISTS catalog_item_search_vector",
    "ALTER TABLE catalog_item DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE catalog_item ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(description_text, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(search_text, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(search_category, '')), 'C')) STORED""",
    "CREATE INDEX catalog_item_search_vector ON catalog_item USING gin (search_vector)",
]


def fill(apps, schema_editor):
    """Existing items get their terms; category terms are worked out once per category."""
    Item = apps.get_model("catalog", "Item")
    Category = apps.get_model("catalog", "Category")
    categories = {c.pk: c for c in Category.objects.all()}
    for c in categories.values():
        c.parent = categories.get(c.parent_id)
    by_category = {pk: category_terms(category_path(c)) for pk, c in categories.items()}
    batch = []
    for item in Item.objects.only("pk", "title", "description_text", "category_id").iterator(2000):
        item.search_title = cjk_terms(item.title)
        item.search_text = cjk_terms(item.description_text)
        item.search_category = by_category[item.category_id]
        batch.append(item)
        if len(batch) == 2000:
            Item.objects.bulk_update(batch, ["search_title", "search_text", "search_category"])
            batch = []
    Item.objects.bulk_update(batch, ["search_title", "search_text", "search_category"])


def rebuild_index(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(
        schema_editor.connection.vendor, []
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_item_image_original")]

    operations = [
        migrations.AddField(
            model_name="item",
            name=name,
            field=models.TextField(blank=True, default="", editable=False),
        )
        for name in ("search_title", "search_category", "search_text")
    ] + [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(rebuild_index, migrations.RunPython.noop),
    ]
