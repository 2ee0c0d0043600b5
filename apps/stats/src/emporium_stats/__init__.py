"""Store statistics: the reference analytics app of Emporium."""
