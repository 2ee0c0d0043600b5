"""Demo trading gives the pages orders in every state, balanced books, and runs only once."""

from emporium.demo.seed import seed_demo
from emporium.demo.trading import seed_trading
from emporium.promotions.models import CouponBatch, Discount, Threshold
from emporium.trade.books import check_trading_books
from emporium.trade.models import Order


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
