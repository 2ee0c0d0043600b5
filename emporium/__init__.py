"""Emporium platform: an open e-commerce marketplace."""
