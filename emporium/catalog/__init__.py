"""Catalog: the platform category tree, items, SKUs, images and search."""
