"""Emporium's Python SDK: typed clients for the Open API, OAuth, installs, webhooks, tokens, blocks, the feed."""

from emporium_sdk._base import RetryPolicy
from emporium_sdk.blocks import BlockContext, BlockContextError, frame_script, verify_block_context
from emporium_sdk.client import AsyncClient, Client
from emporium_sdk.errors import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    EmporiumError,
    InternalServerError,
    NotFoundError,
    OAuthError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    SessionTokenError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from emporium_sdk.feed import (
    AsyncFeedConsumer,
    CursorStore,
    FeedConsumer,
    JsonFileCursorStore,
    MemoryCursorStore,
)
from emporium_sdk.install import (
    Installation,
    Installer,
    MemoryPendingStore,
    Pending,
    PendingStore,
    SqlitePendingStore,
)
from emporium_sdk.oauth import (
    DEVICE_KEEP_POLLING,
    AuthorizationRequest,
    DeviceAuthorization,
    JsonFileTokenStore,
    MemoryTokenStore,
    OAuthApp,
    Token,
    TokenStore,
)
from emporium_sdk.pagination import AsyncPager, Page, SyncPager
from emporium_sdk.session import SessionToken, verify_session_token
from emporium_sdk.webhooks import Event, WebhookVerifier, verify_webhook

__all__ = [
    "DEVICE_KEEP_POLLING",
    "DeviceAuthorization",
    "ApiConnectionError",
    "ApiError",
    "AsyncClient",
    "AsyncFeedConsumer",
    "AsyncPager",
    "AuthenticationError",
    "AuthorizationRequest",
    "BadRequestError",
    "BlockContext",
    "BlockContextError",
    "Client",
    "ConflictError",
    "CursorStore",
    "EmporiumError",
    "Event",
    "FeedConsumer",
    "Installation",
    "Installer",
    "InternalServerError",
    "JsonFileCursorStore",
    "JsonFileTokenStore",
    "MemoryCursorStore",
    "MemoryPendingStore",
    "MemoryTokenStore",
    "NotFoundError",
    "OAuthApp",
    "OAuthError",
    "Page",
    "PayloadTooLargeError",
    "Pending",
    "PendingStore",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "SessionToken",
    "SessionTokenError",
    "SqlitePendingStore",
    "SyncPager",
    "Token",
    "TokenStore",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "WebhookVerifier",
    "frame_script",
    "verify_block_context",
    "verify_session_token",
    "verify_webhook",
]
__version__ = "0.1.0"
