"""Plant the platform category tree."""

from django.db import migrations


def plant(apps, schema_editor):
    from emporium.catalog.tree import plant_tree

    plant_tree(apps.get_model("catalog", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_index")]

    operations = [migrations.RunPython(plant, migrations.RunPython.noop)]
