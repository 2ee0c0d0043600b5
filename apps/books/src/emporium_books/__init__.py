"""Seller accounting: double-entry books kept from the shop's balance transactions."""
