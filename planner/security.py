"""Headers every answer carries, and the checks every request passes before its handler reads it."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.types import Message, Scope

from planner.web import parse_id

# No inline script or style anywhere: templates load /static files only; htmx's own indicator style is
# switched off (meta htmx-config in base.html) and lives in app.css. The schedule card's QR code is inline
# SVG markup, not an image, so images come from 'self' only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Not stored by browsers or proxies: static files are the same for everyone, the rest may name people.
CACHEABLE_PREFIXES = ("/static/", "/sw.js", "/healthz")


class SecurityHeaders:
    """A `before_send` hook: Litestar calls it on the ASGI send of the whole application, so it also
    sees answers made outside a route (a CSRF refusal, a 404 of an unknown path, a 405, a 500).
    Headers a route set itself (the feed's Cache-Control) are kept."""

    def __init__(self, https: bool) -> None:
        headers = {
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "x-content-type-options": "nosniff",
            # no-referrer: a set-password link must not leak to another site through the Referer header
            "referrer-policy": "no-referrer",
            "x-frame-options": "DENY",
            "permissions-policy": "camera=(), microphone=(), geolocation=()",
        }
        if https:
            headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
        self.headers = [(k.encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = list(message.get("headers") or [])
        present = {name.lower() for name, _value in headers}
        headers += [(name, value) for name, value in self.headers if name not in present]
        if b"cache-control" not in present and not scope.get("path", "").startswith(CACHEABLE_PREFIXES):
            headers.append((b"cache-control", b"no-store"))
        message["headers"] = headers


def check_request(request: Request) -> None:
    """Before a handler: an int path parameter outside 1..MAX_ID is a 404 (it could only overflow the
    database's integer), so is a path with a NUL byte (no file or token has one); NUL bytes are dropped
    from the query string (PostgreSQL refuses them)."""
    if "\x00" in request.scope.get("path", ""):
        raise NotFoundException()
    for value in request.path_params.values():
        if isinstance(value, int) and parse_id(value) is None:
            raise NotFoundException()
    query = request.scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        cleaned = query.replace(b"\x00", b"")
        for escaped in (b"%00", b"%00".upper()):
            cleaned = cleaned.replace(escaped, b"")
        request.scope["query_string"] = cleaned
