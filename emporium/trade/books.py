"""The trading check behind `emporium check-ledger`: the ledger balances, escrow matches orders,
and every item's shown sold count matches its paid orders."""

from emporium.finance import ledger
from emporium.finance.ledger import LedgerReport
from emporium.trade.bestsellers import sold_count_problems
from emporium.trade.orders import escrow_should_hold, held_fees_should_hold


def check_trading_books() -> LedgerReport:
    report = ledger.check_books()
    held = ledger.balance_of(ledger.ESCROW)
    should = escrow_should_hold()
    if held != should:
        report.problems.append(f"escrow holds {held} but paid-unsettled orders total {should}")
    held_fees = ledger.balance_of(ledger.HELD_COMMISSION)
    if held_fees != held_fees_should_hold():
        report.problems.append(
            f"held fees are {held_fees} but returnable orders' commission is "
            f"{held_fees_should_hold()}"
        )
    report.problems.extend(sold_count_problems())
    return report
