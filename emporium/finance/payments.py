"""How a buyer's money reaches escrow: the built-in wallet now, a real gateway behind the same face later."""

from decimal import Decimal
from typing import Protocol

from emporium.finance import ledger
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting
from emporium.members.models import Member


class PaymentProvider(Protocol):
    name: str

    def pay(self, buyer: Member, amount: Decimal, reference: str) -> Posting:
        """Move `amount` of the buyer's money into escrow, or raise; atomic with the caller."""


class WalletPayment:
    """Pays from the buyer's platform wallet; raises ledger.InsufficientFunds when it is short."""

    name = "wallet"

    def pay(self, buyer: Member, amount: Decimal, reference: str) -> Posting:
        return ledger.post(
            Posting.Reason.PAYMENT,
            reference,
            [Leg(ledger.wallet(buyer), -amount), Leg(ledger.escrow(), amount)],
        )


_PROVIDERS: dict[str, PaymentProvider] = {"wallet": WalletPayment()}


def provider(name: str) -> PaymentProvider:
    try:
        return _PROVIDERS[name]
    except KeyError:
        raise ValueError(f"unknown payment method {name!r}") from None
