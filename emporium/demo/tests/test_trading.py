"""Demo trading gives the pages orders in every state, balanced books, and runs only once."""

from datetime import timedelta

from emporium.demo.seed import seed_demo
from emporium.demo.trading import seed_trading
from emporium.finance.models import Posting
from emporium.lib import clock
from emporium.members.models import Member
from emporium.promotions.models import CouponBatch, Discount, Threshold
from emporium.trade.books import check_trading_books
from emporium.trade.models import Order, Refund


def test_demo_trading_fills_the_pages_once(db, category_tree):
    seed_demo(items=60, progress=lambda _: None)
    made = seed_trading(progress=lambda _: None)

    assert made >= 6
    states = set(Order.objects.values_list("status", flat=True))
    assert {"settled", "shipped", "paid", "pending_payment"} <= states
    assert Discount.objects.exists() and Threshold.objects.exists() and CouponBatch.objects.exists()
    report = check_trading_books()
    assert report.ok, report.problems
    assert seed_trading(progress=lambda _: None) == 0
    assert Order.objects.count() == made


def test_mei_has_months_of_history_for_the_books_app(db, category_tree):
    seed_demo(items=60, progress=lambda _: None)
    seed_trading(progress=lambda _: None)

    this_month = clock.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    mei = Member.objects.get(username="mei")
    settled = Order.objects.filter(shop__owner=mei, status="settled",
                                   completed_at__gte=last_month, completed_at__lt=this_month)  # fmt: skip
    assert settled.count() >= 5
    older = Order.objects.filter(shop__owner=mei, created_at__lt=last_month)
    assert older.exists()
    reasons = set(
        Posting.objects.filter(created_at__lt=this_month).values_list("reason", flat=True)
    )
    assert {Posting.Reason.APP_CHARGE, Posting.Reason.WITHDRAWAL} <= reasons
    assert Refund.objects.filter(order__shop__owner=mei).exists()
    assert clock.frozen_at() is None  # the clock was put back
    assert check_trading_books().ok
