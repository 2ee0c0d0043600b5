"""Development tools that are not part of any shipped package (import contracts, checks)."""
