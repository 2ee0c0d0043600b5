"""Shop decoration and picture albums: an Emporium app that speaks to the platform only through the SDK."""
