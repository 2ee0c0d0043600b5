"""How the API reads a JSON body: only when it says it is JSON, and only a JSON object.

A body sent as text/plain (or form-encoded) is what a browser may send across origins without
asking first; reading it as JSON anyway would let a page post to the API in a user's name where
cookies ever authenticated. And a body that is not an object (`[null, null]`, `42`, `null`) is
no change to apply: it is refused before any handler runs, so nothing is saved or announced.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class UnsupportedMediaType(Exception):
    pass


class NotAnObject(Exception):
    pass


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not is_json(request.content_type):
            raise UnsupportedMediaType(request.content_type or "")
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NotAnObject(type(data).__name__)
        return data
