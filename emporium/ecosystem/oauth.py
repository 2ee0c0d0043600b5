"""Emporium's OAuth 2.0 rules on top of django-oauth-toolkit: grants offered, scopes, secrets, tokens.

- The server knows four grants: authorization code (PKCE S256 only), refresh token, client
  credentials and, for buyers' devices, the device authorization grant (RFC 8628, ecosystem/
  device.py); the implicit and password grants and `response_type=token` do not exist here.
- Every confidential app may use client credentials, for the app-level scope `catalog:read` only
  (an App row has a single `authorization_grant_type`; this is how it gets a second grant).
- An authorization may ask only for scopes the app registered.
- A rotated client secret keeps authenticating the app until its overlap window closes.
- One live token pair per (app, seller) — a seller owns one shop, so per (app, shop).
- A grant is a shop's or a buyer's, never both: buyer scopes (`buyer:*`) are not mixed with shop
  scopes, and a buyer token keeps its own pair beside the member's shop token (buyer_grants.py).
"""

import base64
import binascii
import hashlib
from urllib.parse import unquote_plus

from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2.rfc6749.endpoints import (
    AuthorizationEndpoint,
    IntrospectEndpoint,
    ResourceEndpoint,
    RevocationEndpoint,
    TokenEndpoint,
)
from oauthlib.oauth2.rfc6749.grant_types import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
)
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.oauth2.rfc6749.tokens import BearerToken
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant

from emporium.ecosystem import buyer_grants, device
from emporium.ecosystem.models import App
from emporium.ecosystem.registration import previous_secret_accepted
from emporium.members.models import Member

APP_LEVEL_SCOPES = frozenset({"catalog:read"})
CLIENT_CREDENTIALS = "client_credentials"
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"


class S256AuthorizationCodeGrant(AuthorizationCodeGrant):
    # oauthlib treats a missing code_challenge_method as "plain"; with only S256 known, both a
    # "plain" and a method-less challenge are refused at the authorization endpoint.
    _code_challenge_methods = {"S256": code_challenge_method_s256}


class Server(
    AuthorizationEndpoint, IntrospectEndpoint, TokenEndpoint, ResourceEndpoint, RevocationEndpoint
):
    """oauthlib's all-in-one server cut down to the grants Emporium offers (OAUTH2_SERVER_CLASS)."""

    def __init__(
        self,
        request_validator: OAuth2Validator,
        token_expires_in=None,
        token_generator=None,
        refresh_token_generator=None,
        **_device_flow_settings,
    ):
        self.auth_grant = S256AuthorizationCodeGrant(request_validator)
        self.credentials_grant = ClientCredentialsGrant(request_validator)
        self.refresh_grant = RefreshTokenGrant(request_validator)
        self.device_grant = DeviceCodeGrant(request_validator)
        self.bearer = BearerToken(
            request_validator, token_generator, token_expires_in, refresh_token_generator
        )
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={"code": self.auth_grant},
            default_token_type=self.bearer,
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": self.auth_grant,
                "refresh_token": self.refresh_grant,
                CLIENT_CREDENTIALS: self.credentials_grant,
                DEVICE_CODE: self.device_grant,
            },
            default_token_type=self.bearer,
        )
        bearer = "Bearer"  # a token type, not a password
        ResourceEndpoint.__init__(self, default_token=bearer, token_types={bearer: self.bearer})
        RevocationEndpoint.__init__(self, request_validator)
        IntrospectEndpoint.__init__(self, request_validator)


def allowed_scopes(app: App) -> set[str]:
    """What an authorization may ask for: the scopes the app registered, and nothing when it
    registered none (a row made in the admin, say) — never every scope by default."""
    return set(app.scope_list)


def token_checksum(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def revoke_older_tokens(app: App, user: Member, keep: str) -> None:
    """Revoke every shop token pair of (app, user) except the access token `keep` (raw value);
    the member's buyer tokens for the app are another grant and stay."""
    AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
    keep_checksum = token_checksum(keep)
    older_refresh = (
        RefreshToken.objects.filter(application=app, user=user, revoked__isnull=True)
        .exclude(access_token__token_checksum=keep_checksum)
        .exclude(access_token__scope__contains=buyer_grants.BUYER_PREFIX)
    )
    for refresh in older_refresh:
        refresh.revoke()  # also deletes its access token
    older_access = (
        AccessToken.objects.filter(application=app, user=user)
        .exclude(token_checksum=keep_checksum)
        .exclude(scope__contains=buyer_grants.BUYER_PREFIX)
    )
    for access in older_access:
        access.revoke()


class EmporiumValidator(OAuth2Validator):
    """OAUTH2_VALIDATOR_CLASS: django-oauth-toolkit's validator with the rules in this module."""

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        if grant_type == CLIENT_CREDENTIALS:
            return client.client_type == App.CLIENT_CONFIDENTIAL
        if grant_type == DEVICE_CODE:
            # Any app that registered buyer scopes may let a buyer authorize it from a device.
            return buyer_grants.is_buyer_grant(allowed_scopes(client))
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        if request.grant_type == CLIENT_CREDENTIALS:
            return set(scopes) <= APP_LEVEL_SCOPES
        return set(scopes) <= allowed_scopes(client) and not buyer_grants.mixes_kinds(scopes)

    def get_default_scopes(self, client_id, request, *args, **kwargs) -> list[str]:
        # A client that sends no scope gets what it registered (or, as itself, the catalog).
        if request.grant_type == CLIENT_CREDENTIALS:
            return sorted(APP_LEVEL_SCOPES)
        return request.client.scope_list

    def authenticate_client(self, request: OAuthRequest, *args, **kwargs) -> bool:
        if super().authenticate_client(request, *args, **kwargs):
            return True
        client_id, secret = self._presented_credentials(request)
        if not client_id or not secret:
            return False
        app = self._load_application(client_id, request)
        return app is not None and previous_secret_accepted(app, secret)

    def _presented_credentials(self, request: OAuthRequest) -> tuple[str, str]:
        """(client_id, secret) from HTTP Basic (preferred, as the parent reads it) or the body."""
        basic = self._extract_basic_auth(request)
        if basic:
            try:
                decoded = base64.b64decode(basic, validate=True).decode("utf-8")
                client_id, secret = map(unquote_plus, decoded.split(":", 1))
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return "", ""
            return client_id, secret
        return (request.client_id or ""), (getattr(request, "client_secret", None) or "")

    def validate_device_code(self, client_id, code, request: OAuthRequest, *args, **kwargs):
        return device.poll(client_id, code, request)

    def _save_bearer_token(self, token, request: OAuthRequest, *args, **kwargs) -> None:
        # Client-credentials tokens belong to no seller (the parent sets user None); the app may
        # hold several, e.g. one per server process, and they expire within a day.
        per_member = request.grant_type != CLIENT_CREDENTIALS and request.user is not None
        if per_member:
            # Runs inside the parent's transaction: two exchanges for one member at once queue
            # here, so the second sees (and revokes) the first's pair instead of both surviving.
            Member.objects.select_for_update().only("pk").get(pk=request.user.pk)
        super()._save_bearer_token(token, request, *args, **kwargs)
        if per_member and buyer_grants.is_buyer_grant(token["scope"].split()):
            keep = token_checksum(token["access_token"])
            buyer_grants.revoke_buyer_tokens(request.client, request.user, keep_checksum=keep)
            buyer_grants.used(request.user, request.client)
        elif per_member:
            revoke_older_tokens(request.client, request.user, keep=token["access_token"])
            shop = getattr(request.user, "shop", None)
            if shop is not None:
                from emporium.ecosystem.installations import installed

                installed(request.client, shop, token["scope"].split())
