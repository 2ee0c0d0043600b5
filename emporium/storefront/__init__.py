"""Storefront: the pages buyers browse, search and fill their cart on."""
