"""Shops: a seller's storefront, its logo and its own categories."""
