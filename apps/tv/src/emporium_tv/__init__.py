"""TV mall: a buyer app for television browsers, on the Emporium open API."""
