"""Pinyin search: existing items' title terms gain the pinyin of their Chinese (search_terms.py);
the full-text index follows by its triggers (SQLite) or its generated column (PostgreSQL)."""

from django.db import migrations

from emporium.catalog.search_terms import title_terms

BATCH = 2000


def fill(apps, schema_editor):
    Item = apps.get_model("catalog", "Item")
    batch = []
    for item in Item.objects.only("pk", "title", "search_title").iterator(BATCH):
        terms = title_terms(item.title)
        if terms != item.search_title:
            item.search_title = terms
            batch.append(item)
        if len(batch) == BATCH:
            Item.objects.bulk_update(batch, ["search_title"])
            batch = []
    Item.objects.bulk_update(batch, ["search_title"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_item_image_shows")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
