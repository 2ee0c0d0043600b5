"""Trade: the cart now; orders, escrow and settlement with the trading issue."""
