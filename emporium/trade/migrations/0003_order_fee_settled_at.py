"""Settled orders get the time their held fee became revenue. Orders settled before fees were
held (their commission went straight to revenue) count as fee-settled when they settled."""

from django.db import migrations, models
from django.db.models import F


def fees_of_old_settlements_are_settled(apps, schema_editor):
    Order = apps.get_model("trade", "Order")
    Order.objects.filter(status="settled", fee_settled_at__isnull=True).update(
        fee_settled_at=F("settled_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trade", "0002_order_orderline_orderlog_refund_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="fee_settled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fees_of_old_settlements_are_settled, migrations.RunPython.noop),
    ]
