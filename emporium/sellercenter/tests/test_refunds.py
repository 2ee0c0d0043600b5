"""The seller answers refund requests: open ones first, agreeing pays out of escrow, refusing needs a note."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.finance import ledger
from emporium.trade import orders, refunds
from emporium.trade.models import Order, Refund

from .helpers import seller_balance, wallet_balance

REFUNDS = reverse("sellercenter:refunds")
S, R = Order.Status, Refund.Status


def url(name: str, refund: Refund) -> str:
    return reverse(f"sellercenter:{name}", args=[refund.public_id])


def ask(order: Order, amount: str = "199.00", reason: str = "Changed my mind") -> Refund:
    return refunds.request_refund(order, order.buyer, Decimal(amount), reason)


@pytest.fixture
def asked(paid_order) -> Refund:
    """Bob wants all his 199.00 back before Mei ships."""
    return ask(paid_order)


def test_open_requests_come_first(seller_client, frozen_clock, buy, item):
    first, second, third = (buy((sku, 1)) for sku in item.skus.all()[:3])
    old_open = ask(first, "10.00")
    frozen_clock.advance(timedelta(hours=1))
    answered = ask(second, "10.00")
    refunds.agree(answered)
    frozen_clock.advance(timedelta(hours=1))
    new_open = ask(third, "10.00")
    response = seller_client.get(REFUNDS)
    assert list(response.context["page"].object_list) == [new_open, old_open, answered]
    assert "Answer" in response.content.decode()


def test_the_refund_page_shows_the_request(seller_client, asked):
    page = seller_client.get(url("refund", asked)).content.decode()
    for text in ["Changed my mind", asked.order.number, "before shipping", "Agree and refund"]:
        assert text in page, text


def test_agreeing_asks_first_and_changes_nothing_until_confirmed(seller_client, asked):
    page = seller_client.get(url("refund_agree", asked))
    assert page.status_code == 200
    assert f"Refund ¥199.00 on order {asked.order.number}?" in page.content.decode()
    asked.refresh_from_db()
    assert asked.status == R.REQUESTED


def test_a_full_refund_before_shipping_returns_the_money_and_cancels_the_order(
    seller_client, asked, funded_buyer, item, books_balance
):
    assert ledger.balance_of(ledger.ESCROW) == Decimal("199.00")
    response = seller_client.post(url("refund_agree", asked))
    assert response.status_code == 302
    asked.refresh_from_db()
    order = asked.order
    order.refresh_from_db()
    assert (asked.status, order.status, order.refunded_amount) == (
        R.AGREED,
        S.CANCELLED,
        Decimal("199.00"),
    )
    assert wallet_balance(funded_buyer) == Decimal("10000.00")
    assert ledger.balance_of(ledger.ESCROW) == Decimal("0.00")
    assert item.skus.first().stock == 10, "the goods never left, so they are back on sale"
    books_balance()


def test_a_partial_refund_after_receipt_settles_the_rest_to_the_seller(
    seller_client, paid_order, funded_buyer, seller, books_balance
):
    orders.ship(paid_order, "SF Express", "SF1")
    refund = ask(paid_order, "99.00", "A button is missing")
    orders.confirm_receipt(paid_order)
    seller_client.post(url("refund_agree", refund))
    paid_order.refresh_from_db()
    assert paid_order.status == S.SETTLED
    assert wallet_balance(funded_buyer) == Decimal("9900.00")
    assert paid_order.commission_amount == Decimal("5.00")  # 5% of the 100.00 Mei keeps
    assert seller_balance(seller) == Decimal("95.00")
    assert ledger.balance_of(ledger.ESCROW) == Decimal("0.00")
    books_balance()


def test_refusing_needs_a_note_and_changes_nothing_without_one(seller_client, asked):
    response = seller_client.post(url("refund_refuse", asked), {"note": "   "})
    assert response.status_code == 200
    assert response.context["refuse_form"].errors == {"note": ["Tell the buyer why you refuse."]}
    asked.refresh_from_db()
    assert (asked.status, asked.seller_note) == (R.REQUESTED, "")


def test_refusing_with_a_note_tells_the_buyer_and_moves_no_money(
    seller_client, asked, funded_buyer, books_balance
):
    response = seller_client.post(url("refund_refuse", asked), {"note": "Already packed"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.seller_note) == (R.REFUSED, "Already packed")
    assert wallet_balance(funded_buyer) == Decimal("9801.00")
    assert ledger.balance_of(ledger.ESCROW) == Decimal("199.00")
    books_balance()


def test_an_answered_request_cannot_be_answered_again(seller_client, asked, funded_buyer):
    seller_client.post(url("refund_agree", asked))
    assert seller_client.get(url("refund_agree", asked)).url == url("refund", asked)
    again = seller_client.post(url("refund_agree", asked), follow=True)
    assert "This refund request has already been answered." in again.content.decode()
    refused = seller_client.post(url("refund_refuse", asked), {"note": "No"})
    assert "already been answered" in str(refused.context["refuse_form"].errors)
    assert wallet_balance(funded_buyer) == Decimal("10000.00")


def test_another_shops_refund_is_not_found(seller_client, other_shop, make_item, buy):
    theirs = ask(buy((make_item(other_shop, title="Otto's phone").skus.get(), 1)))
    assert seller_client.get(url("refund", theirs)).status_code == 404
    assert seller_client.post(url("refund_agree", theirs)).status_code == 404
    assert seller_client.post(url("refund_refuse", theirs), {"note": "No"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == R.REQUESTED
    assert list(seller_client.get(REFUNDS).context["page"].object_list) == []


def test_refusing_refuses_get(seller_client, asked):
    assert seller_client.get(url("refund_refuse", asked)).status_code == 405


def test_a_receipt_confirmed_on_an_old_copy_of_the_order_settles_only_what_is_left(
    seller_client, paid_order, funded_buyer, seller, books_balance
):
    """Bob's page loaded the order before Mei agreed to give 99.00 back; then he confirms."""
    orders.ship(paid_order, "SF Express", "SF1")
    refund = ask(paid_order, "99.00", "A button is missing")
    seller_client.post(url("refund_agree", refund))
    assert paid_order.refunded_amount == 0, "the buyer's copy knows nothing of the refund"
    orders.confirm_receipt(paid_order)
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.commission_amount) == (S.SETTLED, Decimal("5.00"))
    assert seller_balance(seller) == Decimal("95.00")
    assert wallet_balance(funded_buyer) == Decimal("9900.00")
    books_balance()
