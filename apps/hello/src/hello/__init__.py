"""hello: the smallest Emporium app, built on emporium_sdk only."""
