"""Domain events: the transactional outbox, webhook delivery and the event feed."""
