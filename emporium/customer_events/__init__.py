"""Storefront customer events: the collector, their enrichment, storage and batches for apps."""
