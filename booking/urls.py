"""Addresses that leave the site: QR codes, posters, feeds and messages.

They are built on PUBLIC_URL (e.g. https://instap.example), never on the
request's Host header, which a client chooses. Without PUBLIC_URL
(development) the request's own address is used, or SERVER_NAME outside a
request."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint`, for a person to open later."""
    path = url_for(endpoint, _external=False, **values)
    base = public_base()
    if base:
        return base + path
    if has_request_context():
        return request.url_root.rstrip("/") + path
    return url_for(endpoint, _external=True, **values)


def public_base() -> str | None:
    """PUBLIC_URL without a trailing slash, or None when unset."""
    base = (current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not base:
        return None
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"PUBLIC_URL must be an http(s) address, not {base!r}")
    return base
