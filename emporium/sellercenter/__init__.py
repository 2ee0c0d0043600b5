"""Seller center: where a seller runs a shop, its items, SKUs, pictures and stock."""
