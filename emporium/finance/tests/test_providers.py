"""Money in and out only through a provider's signed, checked, idempotent notification (issue 22, hole 1)."""

import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.finance import ledger, notifications, providers, sandbox, wallets
from emporium.finance.amounts import FinanceError
from emporium.finance.ledger import Leg
from emporium.finance.models import PayoutTransfer, Posting, TopUp
from emporium.market import billing

D = Decimal
NOTIFY = "/payments/notify/sandbox/"


def wallet_of(member) -> Decimal:
    return ledger.balance_of(ledger.wallet_code(member))


def post_notification(client, body: bytes, headers: dict[str, str]):
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    return client.post(NOTIFY, body, content_type="application/json", **extra)


def earn(member, amount: str, account) -> None:
    ledger.post(
        Posting.Reason.SETTLEMENT,
        f"test:{member.pk}",
        [Leg(ledger.top_ups(), -D(amount)), Leg(account, D(amount))],
    )


def test_a_top_up_credits_nothing_until_the_provider_confirms(client, buyer, books_balance):
    client.force_login(buyer)
    response = client.post(reverse("trade:wallet"), {"amount": "50000.00"})
    top_up = TopUp.objects.get(member=buyer)
    assert response["Location"] == reverse("finance:sandbox_card", args=[top_up.public_id])
    assert top_up.status == TopUp.Status.PENDING
    assert wallet_of(buyer) == 0 and not Posting.objects.exists()
    client.post(response["Location"], {"outcome": "pay"})
    top_up.refresh_from_db()
    assert top_up.status == TopUp.Status.SUCCEEDED and wallet_of(buyer) == D("50000.00")
    books_balance()


def test_a_declined_card_credits_nothing(client, buyer):
    client.force_login(buyer)
    card_page = client.post(reverse("trade:wallet"), {"amount": "20.00"})["Location"]
    client.post(card_page, {"outcome": "decline"})
    assert TopUp.objects.get().status == TopUp.Status.FAILED
    client.post(card_page, {"outcome": "pay"})  # too late: the intent is finished
    assert wallet_of(buyer) == 0 and not Posting.objects.exists()


def test_without_the_sandbox_setting_no_money_is_simulated(client, settings, buyer, seller):
    earn(seller, "100.00", ledger.seller_balance(seller))
    settings.PAYMENTS_SANDBOX = False
    client.force_login(buyer)
    response = client.post(reverse("trade:wallet"), {"amount": "50.00"})
    assert response.status_code == 200 and "no payment provider" in response.content.decode()
    with pytest.raises(FinanceError, match="no payment provider"):
        wallets.fund_in_sandbox(buyer, D("50.00"))
    with pytest.raises(FinanceError, match="no payout provider"):
        wallets.withdraw(seller, D("10.00"), "6222")
    settings.PAYMENTS_SANDBOX = True
    top_up, card_page = wallets.start_top_up(buyer, D("5.00"))
    body, headers = sandbox.card_outcome(top_up, paid=True)
    settings.PAYMENTS_SANDBOX = False
    assert client.get(card_page).status_code == 404
    assert post_notification(client, body, headers).status_code == 400  # nobody listens
    assert wallet_of(buyer) == 0 and ledger.balance_of(ledger.seller_code(seller)) == 100


def test_a_forged_or_tampered_notification_moves_no_money(client, buyer):
    top_up, _page = wallets.start_top_up(buyer, D("10.00"))
    body, headers = sandbox.card_outcome(top_up, paid=True)
    now = int(time.time())
    tampered = body.replace(b'"10.00"', b'"10000.00"')
    other = providers.Notification(
        "n1", "top_up", str(top_up.public_id), "succeeded", D("9.00"), "CNY"
    )
    forged = [
        (body, {}),  # unsigned
        (body, {providers.SIGNATURE_HEADER: providers.sign(body, "not-the-secret", now)}),
        (tampered, headers),  # the signature covers the exact bytes
        (body, {providers.SIGNATURE_HEADER: providers.sign(body, sandbox.secret(), now - 3600)}),
        sandbox.signed(other),  # signed, but not the amount asked for
        sandbox.signed(
            providers.Notification("n2", "top_up", "0" * 32, "succeeded", D("10.00"), "CNY")
        ),
        (b"[1, 2]", {providers.SIGNATURE_HEADER: providers.sign(b"[1, 2]", sandbox.secret(), now)}),
    ]
    for forged_body, forged_headers in forged:
        response = post_notification(client, forged_body, forged_headers)
        assert response.status_code == 400, (forged_body, response.content)
    top_up.refresh_from_db()
    assert top_up.status == TopUp.Status.PENDING and wallet_of(buyer) == 0
    assert not Posting.objects.exists()
    assert client.get(NOTIFY).status_code == 405


def test_a_repeated_notification_credits_the_wallet_once(client, buyer, books_balance):
    top_up, _page = wallets.start_top_up(buyer, "25.50")
    body, headers = sandbox.card_outcome(top_up, paid=True)
    for _ in range(3):
        response = post_notification(client, body, headers)
        assert response.status_code == 200 and json.loads(response.content) == {"received": True}
    failed_later = sandbox.card_outcome(
        top_up, paid=False
    )  # a late contrary answer changes nothing
    assert post_notification(client, *failed_later).status_code == 200
    top_up.refresh_from_db()
    assert top_up.status == TopUp.Status.SUCCEEDED and wallet_of(buyer) == D("25.50")
    assert Posting.objects.filter(reason=Posting.Reason.TOP_UP).count() == 1
    books_balance()


def test_a_member_cannot_pay_or_see_anothers_top_up(client, buyer, seller):
    top_up, card_page = wallets.start_top_up(buyer, "10.00")
    client.force_login(seller)
    assert client.get(card_page).status_code == 404
    assert client.post(card_page, {"outcome": "pay"}).status_code == 404
    assert wallet_of(buyer) == 0


def test_a_withdrawal_leaves_when_the_bank_pays_and_comes_back_when_it_fails(seller, books_balance):
    earn(seller, "100.00", ledger.seller_balance(seller))
    wallets.withdraw(seller, D("30.00"), "6222 0000")
    wallets.withdraw(seller, D("20.00"), f"{sandbox.FAILING_ACCOUNT} 1111")
    assert ledger.balance_of(ledger.seller_code(seller)) == D("50.00")
    assert ledger.balance_of(ledger.PAYOUTS_IN_TRANSIT) == D("50.00")
    assert ledger.balance_of(ledger.PAYOUTS) == 0
    assert notifications.run_sandbox_bank() == 2
    assert notifications.run_sandbox_bank() == 0
    statuses = dict(PayoutTransfer.objects.values_list("amount", "status"))
    assert statuses == {D("30.00"): "paid", D("20.00"): "failed"}
    assert ledger.balance_of(ledger.seller_code(seller)) == D("70.00")
    assert ledger.balance_of(ledger.PAYOUTS_IN_TRANSIT) == 0
    assert ledger.balance_of(ledger.PAYOUTS) == D("30.00")
    books_balance()


def test_a_developer_payout_goes_through_the_same_provider(developer, books_balance):
    earn(developer, "80.00", ledger.developer_payable(developer))
    payout = billing.request_payout(developer, "80.00", "6222")
    transfer = PayoutTransfer.objects.get(posting=payout.posting)
    assert transfer.status == PayoutTransfer.Status.PENDING
    body, headers = sandbox.bank_outcome(transfer)
    notifications.receive(sandbox.NAME, body, headers)
    notifications.receive(sandbox.NAME, body, headers)  # resent: still once
    transfer.refresh_from_db()
    assert transfer.status == PayoutTransfer.Status.PAID
    assert ledger.balance_of(ledger.PAYOUTS) == D("80.00")
    books_balance()
