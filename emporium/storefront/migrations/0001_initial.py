from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("storefront", "PageVersion").objects.create(pk=1, value=0)


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="PageVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "storefront_pageversion"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
