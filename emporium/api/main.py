"""The NinjaAPI instance for /api/v1; resource routers are added in emporium/api/routes/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Emporium Open API",
    version="1.0.0",
    urls_namespace="api-v1",
    docs_url="/docs",
)
