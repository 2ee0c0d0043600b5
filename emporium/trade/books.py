"""The trading check behind `emporium check-ledger`: the ledger balances and escrow matches orders."""

from emporium.finance import ledger
from emporium.finance.ledger import LedgerReport
from emporium.trade.orders import escrow_should_hold


def check_trading_books() -> LedgerReport:
    report = ledger.check_books()
    held = ledger.balance_of(ledger.ESCROW)
    should = escrow_should_hold()
    if held != should:
        report.problems.append(f"escrow holds {held} but paid-unsettled orders total {should}")
    return report
