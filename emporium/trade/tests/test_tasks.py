"""The nightly upkeep removes abandoned anonymous carts and keeps buyers' carts."""

from datetime import timedelta

from django.utils import timezone

from emporium.trade.models import Cart
from emporium.trade.tasks import purge_abandoned_carts


def test_it_removes_only_old_anonymous_carts(buyer):
    old = Cart.objects.create(session_key="old-session")
    fresh = Cart.objects.create(session_key="fresh-session")
    kept = Cart.objects.create(member=buyer)
    long_ago = timezone.now() - timedelta(days=45)
    Cart.objects.filter(pk__in=[old.pk, kept.pk]).update(updated_at=long_ago)

    assert purge_abandoned_carts() == 1
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
