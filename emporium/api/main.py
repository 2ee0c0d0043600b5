"""The NinjaAPI instance for /api/v1: conventions installed, one router per resource mounted."""

from emporium.api import errors
from emporium.api.docs import LocalSwagger
from emporium.api.openapi import EmporiumAPI
from emporium.api.parser import JsonObjectParser
from emporium.api.routes import (
    billing,
    catalog,
    categories,
    customers,
    design,
    events,
    finance,
    images,
    items,
    me,
    orders,
    pictures,
    promotions,
    refunds,
    reviews,
    shop,
    skus,
)

api = EmporiumAPI(
    title="Emporium Open API",
    version="1.0.0",
    description="The shop data sellers let third-party apps use. See docs/api.md for the "
    "conventions: errors, cursors, idempotency keys and rate limits.",
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=LocalSwagger(),
    parser=JsonObjectParser(),
)
errors.install(api)

api.add_router("/shop", shop.router)
api.add_router("/categories", categories.router)
api.add_router("/items", items.router)
api.add_router("/items", skus.router)
api.add_router("/items", images.router)
api.add_router("/orders", orders.router)
api.add_router("/refunds", refunds.router)
api.add_router("/promotions", promotions.router)
api.add_router("/reviews", reviews.router)
api.add_router("/customers", customers.router)
api.add_router("/finance", finance.router)
api.add_router("/catalog", catalog.router)
api.add_router("/billing", billing.router)
api.add_router("/events", events.router)
api.add_router("/design", design.router)
api.add_router("/pictures", pictures.router)
api.add_router("/me", me.router)
