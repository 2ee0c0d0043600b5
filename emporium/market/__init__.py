"""The app market: listings, installs with a plan, billing and revenue share, embedded apps, shop blocks."""
