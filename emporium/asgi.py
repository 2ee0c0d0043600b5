"""ASGI entry point served by uvicorn (`emporium serve`), with the request-body cap (lib/bodycap)
and the storefront event collector's fast path (customer_events/fastpath.py)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")
django_application = get_asgi_application()
# What is loaded by now (Django, our apps, their modules: ~400,000 objects) lives as long as the
# worker: kept out of the collector's sight, a full collection scans only what requests made,
# instead of stopping a request for ~0.5 s every few hundred pages (docs/performance.md). What
# the first requests build to keep is frozen later (lib/heap.py).
gc.freeze()

from django.conf import settings  # noqa: E402 - settings are loaded by the line above

from emporium.customer_events import fastpath  # noqa: E402
from emporium.lib import bodycap, heap  # noqa: E402

application = heap.asgi(
    fastpath.asgi(bodycap.asgi(django_application, lambda: settings.REQUEST_BODY_MAX_BYTES))
)
