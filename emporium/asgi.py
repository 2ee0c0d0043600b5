"""ASGI entry point served by uvicorn (`emporium serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")
application = get_asgi_application()
