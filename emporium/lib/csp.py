"""The Content-Security-Policy of every page: one default, which a view extends for what it shows.

A view that frames an app, or loads from another origin, says so on its request:

    from emporium.lib import csp
    csp.allow(request, "frame-src", "https://app.example")

and `middleware` (listed in settings.MIDDLEWARE) writes the default plus every source allowed.
A `Content-Security-Policy` header a view set itself is merged the same way (its sources are
added), so the page still carries one policy that browsers enforce as a whole. Framing by other
sites stays refused (`frame-ancestors 'none'`) unless the view is `xframe_options_exempt`.
"""

from collections.abc import Callable
from typing import Any

HEADER = "Content-Security-Policy"
NONE = "'none'"
_EXTRA = "_csp_extra"

# Scripts and styles only from our own origin (vendor files are served from npm packages), no
# inline script or event handler. Inline `style="…"` attributes stay allowed: templates and the
# shop designs size and colour things with them, and an attribute cannot read or send anything.
DEFAULT: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "style-src-attr": ("'unsafe-inline'",),
    "img-src": ("'self'", "data:", "blob:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "frame-src": (NONE,),
    "object-src": (NONE,),
    "base-uri": ("'self'",),
    "frame-ancestors": (NONE,),
}


def allow(request: Any, directive: str, *sources: str) -> None:
    """Let the page of this request use `sources` for `directive` (e.g. a frame's origin)."""
    extra: dict[str, list[str]] = request.__dict__.setdefault(_EXTRA, {})
    extra.setdefault(directive, []).extend(s for s in sources if s)


def parse(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy.setdefault(words[0].lower(), []).extend(words[1:])
    return policy


def build(extra: dict[str, list[str]], framed: bool = False) -> str:
    """The default policy with `extra` sources added; `framed` drops `frame-ancestors 'none'`."""
    policy = {directive: list(sources) for directive, sources in DEFAULT.items()}
    if framed:
        del policy["frame-ancestors"]
    for directive, sources in extra.items():
        merged = [s for s in policy.get(directive, []) if s != NONE]
        for source in sources:
            if source != NONE and source not in merged:
                merged.append(source)
        policy[directive] = merged or [NONE]
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def middleware(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def respond(request: Any) -> Any:
        response = get_response(request)
        extra = {k: list(v) for k, v in request.__dict__.get(_EXTRA, {}).items()}
        own = response.get(HEADER) if hasattr(response, "get") else None
        for directive, sources in parse(own or "").items():
            extra.setdefault(directive, []).extend(sources)
        framed = bool(getattr(response, "xframe_options_exempt", False))
        response[HEADER] = build(extra, framed=framed)
        return response

    return respond
