"""Members: one account that can buy, sell and develop apps."""
