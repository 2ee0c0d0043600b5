"""Demo data: a deterministic generator of shops, items with drawn pictures, and buyers."""
