"""A webhook receiver for bench/webhooks.py: an ASGI app that notes when each event arrived.

POST any path: records (event id, occurred_at, arrival); GET /stats: counts and latencies.
"""

import json
import time
from datetime import datetime

arrivals: dict[str, float] = {}
latencies: list[float] = []


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["method"] == "POST":
        now = time.time()
        event = json.loads(body)
        if event["id"] not in arrivals:
            arrivals[event["id"]] = now
            occurred = datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00"))
            latencies.append(now - occurred.timestamp())
        await _answer(send, 204, b"")
        return
    if scope["path"] == "/reset":
        arrivals.clear()
        latencies.clear()
    stats = {
        "received": len(arrivals),
        "first": min(arrivals.values(), default=0),
        "last": max(arrivals.values(), default=0),
        "latencies": sorted(latencies),
    }
    await _answer(send, 200, json.dumps(stats).encode())


async def _answer(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
