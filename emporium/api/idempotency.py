"""Idempotency-Key on creating POSTs: a retried request gets the first answer, never a second object.

Keys are scoped per (app, shop) — per (app, buyer) for a buyer's token — and kept
API_IDEMPOTENCY_HOURS. The same key with the same request replays the stored response (with
`Idempotent-Replayed: true`); the same key with a different request is refused (422
idempotency_key_reused). Only successes are stored: a refused request writes nothing, so the
client may fix it and retry with the same key.

The handler and the stored answer commit in one transaction. Two racing requests with one key
both run, but only one can insert the key: the loser rolls its work back and replays the
winner's answer.
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja.operation import Operation
from ninja.responses import Status
from ninja.utils import contribute_operation_callback
from pydantic import BaseModel

from emporium.api.auth import ApiRequest
from emporium.api.errors import ApiError
from emporium.api.models import IdempotencyRecord
from emporium.lib import clock

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED = "Idempotent-Replayed"


class _LostRace(Exception):
    """Another request stored this key first; ours must roll back."""


def fingerprint(request: ApiRequest) -> str:
    """What makes two requests "the same": method, route and the body's content.

    JSON is compared after parsing (key order and spacing do not matter); a multipart upload
    by its fields and the bytes of its files (the boundary changes on every retry).
    """
    digest = hashlib.sha256()
    route = getattr(request.resolver_match, "route", request.path)
    digest.update(f"{request.method} {route}\n".encode())
    if request.content_type == "multipart/form-data" and _digest_form(request, digest):
        return digest.hexdigest()
    try:
        canonical = json.dumps(json.loads(request.body or b"null"), sort_keys=True)
    except ValueError:
        canonical = request.body.decode("utf-8", "replace")
    digest.update(canonical.encode())
    return digest.hexdigest()


def _digest_form(request: ApiRequest, digest) -> bool:
    """Fields and file bytes of a multipart body; False when the body is not really multipart."""
    try:
        fields = sorted(request.POST.lists())
        files = [(name, request.FILES.getlist(name)) for name in sorted(request.FILES)]
    except MultiPartParserError:
        return False  # labelled multipart, read as JSON by the handler: compare the bytes
    for name, value in fields:
        digest.update(json.dumps([name, value]).encode())
    for name, uploads in files:
        digest.update(name.encode())
        for upload in uploads:
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return True


def _as_json(result: object) -> tuple[int, object]:
    status, value = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    if isinstance(value, BaseModel):
        value = value.model_dump()
    elif isinstance(value, list):  # a creating POST that makes several objects (one per shop)
        value = [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
    # Rendered exactly as ninja renders (UTC "Z", decimals as strings), then stored as JSON.
    return status, json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _find(caller, key: str) -> IdempotencyRecord | None:
    owner = {"buyer": caller.buyer} if caller.buyer is not None else {"shop": caller.shop}
    mine = IdempotencyRecord.objects.filter(app=caller.app, key=key, **owner)
    expired = clock.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    mine.filter(created_at__lt=expired).delete()
    return mine.first()


def _replay(record: IdempotencyRecord | None, fingerprint_now: str) -> JsonResponse:
    if record is None:  # the winner's record vanished (purged) between its commit and our read
        raise ApiError("conflict", "Another request with this key was in flight; retry.")
    if record.fingerprint != fingerprint_now:
        raise ApiError("idempotency_key_reused", field=HEADER)
    response = JsonResponse(record.body, status=record.status_code, safe=False)
    response[REPLAYED] = "true"
    return response


def _run_once(view: Callable, request: ApiRequest, key: str, args, kwargs) -> JsonResponse:
    caller, seen = request.auth, fingerprint(request)
    with transaction.atomic():
        stored = _find(caller, key)
        if stored is not None:
            return _replay(stored, seen)
        status, body = _as_json(view(request, *args, **kwargs))
        try:
            with transaction.atomic():
                owner = (
                    {"buyer": caller.buyer}
                    if caller.buyer is not None
                    else {"shop": caller.acting_for}
                )
                IdempotencyRecord.objects.create(
                    app=caller.app, key=key, fingerprint=seen,
                    status_code=status, body=body, created_at=clock.now(), **owner,
                )  # fmt: skip
        except IntegrityError:
            raise _LostRace from None
    return JsonResponse(body, status=status, safe=False)


def idempotent(view: Callable) -> Callable:
    """Put under the router decorator of a creating POST."""

    @wraps(view)
    def wrapper(request: ApiRequest, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.match(key):
            raise ApiError("invalid_idempotency_key", field=HEADER)
        try:
            return _run_once(view, request, key, args, kwargs)
        except _LostRace:
            return _replay(_find(request.auth, key), fingerprint(request))

    contribute_operation_callback(wrapper, _document)
    return wrapper


def _document(operation: Operation) -> None:
    extra = operation.openapi_extra or {}
    extra.setdefault("parameters", []).append(
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            "description": "Send a fresh random key per new object; retries with the same key "
            "and body get the first response instead of a second object.",
        }
    )
    operation.openapi_extra = extra


def purge_expired() -> int:
    """Forget keys past their lifetime (run nightly by the worker)."""
    cutoff = clock.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
