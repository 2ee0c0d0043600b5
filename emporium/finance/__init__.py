"""Finance: the double-entry ledger, wallets, escrow, settlement, fees and withdrawals."""
