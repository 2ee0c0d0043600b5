"""What the Open API takes: request bodies and queries. What it returns is in `emporium.resources`."""
