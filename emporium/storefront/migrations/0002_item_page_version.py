from django.db import migrations


def item_page_version(apps, schema_editor):
    # Row 2: the version item pages are cached under (storefront/pagecache.py); row 1 stays the
    # version of every other page.
    apps.get_model("storefront", "PageVersion").objects.get_or_create(pk=2, defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("storefront", "0001_initial")]

    operations = [migrations.RunPython(item_page_version, migrations.RunPython.noop)]
