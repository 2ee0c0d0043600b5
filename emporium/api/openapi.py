"""The OpenAPI 3.1 document: OAuth 2.0 scopes per operation, the error envelope on every response.

ninja documents an HttpBearer as a bare bearer scheme without scopes; this subclass writes
the `oauth2` scheme (authorization code and client credentials, with every scope) and puts
each operation's `Scoped(...)` scopes into its `security`, so generated clients and the
docs page show exactly what a call needs.
"""

from typing import Any, cast

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from emporium.resources.common import ErrorEnvelope

ERROR_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
APP_LEVEL_SCOPES = ("catalog:read",)
ERROR_RESPONSES = {
    400: "The body is not valid JSON (malformed_json) or not readable (bad_request).",
    401: "No token, or an unknown, revoked or expired one.",
    403: "The token lacks the scope (insufficient_scope) or is not a seller's (shop_required).",
    404: "No such object in this shop (or the URL is unknown).",
    409: "The object's state does not allow this.",
    413: "The body is too large.",
    422: "Invalid input; `field` names the culprit.",
    429: "Rate limited; retry after Retry-After seconds.",
}
RATE_HEADERS = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "seconds"},
    "RateLimit": {"schema": {"type": "string"}, "description": "limit=, remaining=, reset="},
    "RateLimit-Policy": {"schema": {"type": "string"}, "description": "capacity;w=window"},
}


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def oauth2_scheme() -> dict[str, Any]:
    scopes = cast(dict[str, str], settings.OAUTH2_PROVIDER["SCOPES"])
    token_url = _url("oauth2_provider:token", "/o/token/")
    return {
        "type": "oauth2",
        "description": "OAuth 2.0: a seller grants an app scopes on their shop (authorization "
        "code with PKCE); an app alone reads the public catalog (client credentials).",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": _url("oauth2_provider:authorize", "/o/authorize/"),
                "tokenUrl": token_url,
                "refreshUrl": token_url,
                "scopes": dict(scopes),
            },
            "clientCredentials": {
                "tokenUrl": token_url,
                "scopes": {s: scopes[s] for s in APP_LEVEL_SCOPES},
            },
        },
    }


class ScopedSchema(OpenAPISchema):
    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        result: list[dict[str, Any]] = []
        for auth in operation.auth_callbacks:
            # Alternatives: any one of the scopes opens the operation.
            result.extend({"oauth2": [scope]} for scope in getattr(auth, "scopes", ()))
        if not result:
            return None
        self.securitySchemes["oauth2"] = oauth2_scheme()
        return result

    def responses(self, operation: Operation) -> dict[int, Any]:
        result = super().responses(operation)
        if not operation.auth_callbacks:
            return result
        envelope = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
        self.add_schema_definitions({**envelope.pop("$defs", {}), "ErrorEnvelope": envelope})
        for status, description in ERROR_RESPONSES.items():
            response = {
                "description": description,
                "content": {"application/json": {"schema": ERROR_REF}},
            }
            if status == 429:
                response["headers"] = RATE_HEADERS
            result.setdefault(status, response)
        return result


class EmporiumAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ScopedSchema(self, path_prefix)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids (list_items, ship_order) read well in generated clients.
        return operation.view_func.__name__
