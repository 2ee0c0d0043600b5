"""Promotions ("activities"): item discounts, spend-X-save-Y, shop coupons and flash sales."""
