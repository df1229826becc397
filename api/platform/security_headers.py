"""Headers every response carries: pages may not be framed or run scripts from elsewhere, and
nothing personal is kept by shared caches.

Pure ASGI (no BaseHTTPMiddleware): it runs on every request of a GIL-bound process."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Scripts and styles only from this server (no inline script, no CDN): the pages work offline and
# an injected <script> does not run. Swagger UI sets inline styles, hence style-src 'unsafe-inline'.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = [(b"x-content-type-options", b"nosniff")]
_PAGE = [(b"content-security-policy", PAGE_POLICY.encode()), (b"x-frame-options", b"DENY"),
         (b"referrer-policy", b"same-origin")]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += _ALWAYS
                if b"cache-control" not in names:
                    # Answers are personal unless a route says otherwise (media set their own).
                    headers.append((b"cache-control", b"no-store"))
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers += _PAGE
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
