"""Request and response schemas of the Open API, one module per resource."""
