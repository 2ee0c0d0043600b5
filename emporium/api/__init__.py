"""Open API v1: the REST surface third-party apps build on (django-ninja under /api/v1)."""
